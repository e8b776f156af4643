"""The torch-free question path: the ONNX encoder exported at build time, checked, and used by ask and the web app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import Config
from qa.index.onnx_session import EncoderProblem, encoder_folder, open_encoder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SQUAD = ROOT.parent / "shared" / "benchmarks" / "squad2-dev-part-a.json"
HEAVY = ("torch", "transformers", "sentence_transformers")
# Prints, after the code before it ran, which of HEAVY it imported: the check of every no-torch test.
IMPORTED = f"\nimport sys; print('IMPORTED', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"


def _manifest(index_dir: Path) -> dict:
    gen = (index_dir / "CURRENT").read_text().strip()
    return json.loads((index_dir / gen / "manifest.json").read_text())


def _child(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "import sys\n" + code + IMPORTED, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def _imported(done: subprocess.CompletedProcess) -> list:
    line = [x for x in done.stdout.splitlines() if x.startswith("IMPORTED ")]
    assert line, done.stdout[-500:] + done.stderr[-500:]
    return eval(line[-1][len("IMPORTED "):])


def test_the_manifest_cannot_point_outside_the_encoder_cache(tmp_path):
    for folder in ("../x", "/etc", "encoders/../gen-000001", "encoders", "other/abc"):
        with pytest.raises(EncoderProblem, match="outside|malformed"):
            encoder_folder(tmp_path, {"engine": "onnxruntime", "folder": folder, "sha256": "0"})
    with pytest.raises(EncoderProblem, match="malformed"):
        encoder_folder(tmp_path, {"engine": "torch", "folder": "encoders/abc", "sha256": "0"})


def test_a_model_that_is_not_bert_says_it_uses_sentence_transformers(tmp_path):
    from qa.index.onnx_export import ensure_encoder

    class Other:
        name, dim = "some/other-model", 8

    entry, note = ensure_encoder(tmp_path, Other())
    assert entry is None and "sentence-transformers" in note and "some/other-model" in note
    assert not (tmp_path / "encoders").exists()


@pytest.mark.integration
def test_the_build_exports_the_encoder_once_and_names_it(real_seed_index_dir):
    entry = _manifest(real_seed_index_dir)["query_encoder"]
    folder = encoder_folder(real_seed_index_dir, entry)
    assert sorted(p.name for p in folder.iterdir()) == ["encoder.json", "model.onnx", "tokenizer.json", "weights.bin"]
    card = json.loads((folder / "encoder.json").read_text())
    assert card["dimension"] == 384 and card["files"]["weights.bin"][0] == (folder / "weights.bin").stat().st_size


@pytest.mark.integration
def test_onnx_vectors_equal_sentence_transformers_on_every_seed_sentence(real_seed_index_dir, real_embedder):
    from qa.index.embedding import SentenceTransformerEmbedder
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import read_folder

    cfg = Config()
    texts = [s.text for s in split_documents(read_folder(SEEDS)[0], cfg.chunk_size, cfg.chunk_overlap).sentences]
    texts += ["How heavy is the tank?", "Who said the ship was late?"]
    onnx = open_encoder(real_seed_index_dir, _manifest(real_seed_index_dir)["query_encoder"], cfg.model, full=True)
    plain = SentenceTransformerEmbedder(cfg.model)._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    batched, one_by_one = onnx.encode(texts), np.stack([onnx.encode([t])[0] for t in texts])
    for got in (batched, one_by_one):  # padded batches and single questions both
        assert float((got * plain).sum(1).min()) >= 0.99999
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.skipif(not SQUAD.exists(), reason="SQuAD part A is not beside the repository")
def test_onnx_vectors_equal_sentence_transformers_on_squad_part_a(real_seed_index_dir, tmp_path):
    from qa.evaluation.squad import convert_squad
    from qa.index.embedding import SentenceTransformerEmbedder
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import read_folder

    cfg = Config()
    questions = convert_squad(SQUAD, tmp_path / "docs")
    texts = [s.text for s in split_documents(read_folder(tmp_path / "docs")[0], cfg.chunk_size, cfg.chunk_overlap).sentences]
    texts += [q.question for q in questions[::10]]
    onnx = open_encoder(real_seed_index_dir, _manifest(real_seed_index_dir)["query_encoder"], cfg.model, threads=2)
    plain = SentenceTransformerEmbedder(cfg.model)._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert len(texts) > 1000 and float((onnx.encode(texts) * plain).sum(1).min()) >= 0.99999


@pytest.mark.integration
def test_qa_ask_never_imports_torch_even_when_it_warns(real_seed_index_dir, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    first = sorted(docs.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nA sentence added after the build.\n")  # the index is now stale
    done = _child("from qa.cli import run; code = run(sys.argv[1:]); print('EXIT', code)", "ask", "--json",
                  "--index", str(real_seed_index_dir), "--docs", str(docs), "How heavy is the tank?")
    assert "EXIT 0" in done.stdout and "stale" in done.stderr and _imported(done) == []
    answer = json.loads(done.stdout.splitlines()[0])
    assert answer["passages"] and answer["passages"][0]["quote"]


@pytest.mark.integration
def test_the_web_app_starts_without_torch_and_checks_staleness(real_seed_index_dir):
    code = ("from qa.config import Config\nfrom qa.live import LiveAssistant\nfrom qa.web.app import build_app\n"
            "from qa.index.staleness import folder_staleness\nfrom qa.pipeline import index_status\n"
            "a = LiveAssistant(sys.argv[1], Config()); folder_staleness(a.index); build_app(a)\n"
            "print('STATUS', index_status('seeds', sys.argv[1], Config())); print('ANSWERED', a.ask('How heavy is the tank?').answered)")
    done = _child(code, str(real_seed_index_dir))
    assert "STATUS None" in done.stdout and "ANSWERED" in done.stdout and _imported(done) == [], done.stderr[-500:]


@pytest.fixture()
def index_copy(real_seed_index_dir, tmp_path) -> Path:
    shutil.copytree(real_seed_index_dir, tmp_path / "index")
    return tmp_path / "index"


@pytest.mark.integration
@pytest.mark.parametrize("damage", ["truncated", "flipped", "card", "missing", "no entry"])
def test_a_damaged_or_missing_encoder_falls_back_to_torch_with_a_warning(index_copy, damage):
    from qa.index.bert import BertEmbedder
    from qa.index.onnx_session import OnnxEmbedder
    from qa.pipeline import index_status, open_assistant

    entry = _manifest(index_copy)["query_encoder"]
    weights = encoder_folder(index_copy, entry) / "weights.bin"
    if damage == "truncated":
        weights.write_bytes(weights.read_bytes()[:-4096])
    elif damage == "flipped":  # same size: the default check misses it unless the probe does; full=True never does
        data = bytearray(weights.read_bytes())
        data[len(data) // 2] ^= 0xFF
        weights.write_bytes(bytes(data))
        with pytest.raises(EncoderProblem, match="damaged"):
            open_encoder(index_copy, entry, "all-MiniLM-L6-v2", full=True)
        return
    elif damage == "card":
        (weights.parent / "encoder.json").write_text("{}")
    elif damage == "missing":
        shutil.rmtree(weights.parent)
    else:
        gen = index_copy / (index_copy / "CURRENT").read_text().strip()
        manifest = _manifest(index_copy)
        del manifest["query_encoder"]
        (gen / "manifest.json").write_text(json.dumps(manifest))
    warnings = []
    assistant = open_assistant(index_copy, Config(), warn=warnings.append)
    assert isinstance(assistant.embedder, BertEmbedder) and not isinstance(assistant.embedder, OnnxEmbedder)
    if damage == "no entry":  # an index built before encoders were exported: torch, quietly
        assert warnings == []
    else:
        assert len(warnings) == 1 and "torch" in warnings[0] and "qa index" in warnings[0]
    assert assistant.ask("How heavy is the tank?").passages
    assert "ONNX" in (index_status(SEEDS, index_copy, Config()) or "")  # so `qa index --if-stale` repairs it
    if damage in ("truncated", "no entry"):
        from qa.pipeline import build_index_folder

        build_index_folder(SEEDS, index_copy, Config(), embedder=assistant.embedder)
        assert isinstance(open_assistant(index_copy, Config()).embedder, OnnxEmbedder)
        assert index_status(SEEDS, index_copy, Config()) is None


@pytest.mark.integration
def test_a_rebuild_reuses_the_encoder_and_prunes_the_unnamed(index_copy, real_embedder):
    from qa.pipeline import build_index_folder

    folder = encoder_folder(index_copy, _manifest(index_copy)["query_encoder"])
    inode = (folder / "weights.bin").stat().st_ino
    (index_copy / "encoders" / "0123456789abcdef01234567").mkdir()  # an encoder no generation names
    build_index_folder(SEEDS, index_copy, Config(), embedder=real_embedder)
    assert (folder / "weights.bin").stat().st_ino == inode  # not exported again
    assert [p.name for p in (index_copy / "encoders").iterdir()] == [folder.name]


@pytest.mark.integration
def test_a_typed_question_reads_its_values_without_spacy_or_torch(real_seed_index_dir):
    """A "how much" question reads its amounts by rule (qa.answer.values): no entity model loads
    (tests/test_typed_values.py asks a place and a count question the same way)."""
    done = _child("from qa.cli import run; code = run(sys.argv[1:]); print('EXIT', code); "
                  "print('SPACY', 'spacy' in sys.modules)", "ask", "--json", "--index", str(real_seed_index_dir),
                  "How much is the Defense Ministry considering spending on drones?")
    assert "EXIT 0" in done.stdout and "SPACY False" in done.stdout and _imported(done) == []
