"""Builds on Ray (qa.index.raybuild): the same generation as a local build, incremental, resumable; a clear
message without Ray. The Ray tests start one local Ray instance for the module (two workers)."""

from __future__ import annotations

import json
import shutil
import tempfile
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import Config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Differ between any two builds (the clock) or by design (the engine's note, vectors within 1e-5).
VOLATILE = {"built_at", "build_engine", "files", "docs_dir"}
VECTOR_FILES = {"sentence_vectors.npy", "chunk_vectors.npy", "sentences.faiss", "piece_codes.npy"}


def _gen(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def assert_same_generation(local: Path, ray: Path) -> None:
    a, b = _gen(local), _gen(ray)
    ma, mb = (json.loads((g / "manifest.json").read_text()) for g in (a, b))
    for m in (ma, mb):
        m["dense_index"].pop("build_seconds")  # a clock reading
    assert {k: v for k, v in ma.items() if k not in VOLATILE} == {k: v for k, v in mb.items() if k not in VOLATILE}
    assert mb["build_engine"]["name"] == "ray" and "build_engine" not in ma
    assert {k: v for k, v in ma["files"].items() if k not in VECTOR_FILES} == \
        {k: v for k, v in mb["files"].items() if k not in VECTOR_FILES}  # sentence ids, chunks, BM25: byte for byte
    for name in ("sentence_vectors.npy", "chunk_vectors.npy"):
        assert np.abs(np.load(a / name) - np.load(b / name)).max() <= 1e-5


def test_without_ray_the_flag_says_what_to_install(monkeypatch, tmp_path, capsys):
    from qa.cli import run

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    assert run(["index", "--docs", str(SEEDS), "--index", str(tmp_path / "index"), "--ray"]) == 1
    err = capsys.readouterr().err
    assert "pip install -e '.[ray]'" in err and "Traceback" not in err and not (tmp_path / "index").exists()


def test_an_address_where_no_head_node_answers_is_one_line_and_touches_nothing(tmp_path, capsys):
    pytest.importorskip("ray")
    import socket

    from qa.cli import run

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run(["index", "--docs", str(SEEDS), "--index", str(tmp_path / "index"), "--ray", f"127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert "no Ray head node answers" in err and "Traceback" not in err and not (tmp_path / "index").exists()


def test_shard_lookup_refuses_a_sentence_the_cluster_did_not_embed():
    from qa.index.raybuild import ShardVectors

    with pytest.raises(RuntimeError, match="no vector from the cluster"):
        ShardVectors({"a": np.ones(2, dtype=np.float32)}, dim=2).encode(["a", "b"])


@pytest.fixture(scope="module")
def ray_engine():
    pytest.importorskip("ray")
    import ray

    from qa.index.raybuild import RayEngine

    engine = RayEngine(None, workers=2)
    yield engine
    ray.shutdown()


@pytest.mark.integration
@pytest.mark.slow
def test_a_ray_build_is_the_local_build(ray_engine, real_seed_index_dir, real_embedder, tmp_path):
    from qa.pipeline import build_index_folder

    report = build_index_folder(SEEDS, tmp_path / "index", Config(), embedder=real_embedder, engine=ray_engine)
    assert report.encoded == report.sentences and ray_engine.stats["documents_sent"] == report.documents
    assert ray_engine.stats["sentences"] == report.sentences and ray_engine.stats["sentences_per_second_per_worker"] > 0
    assert_same_generation(real_seed_index_dir, tmp_path / "index")
    assert not (tmp_path / "index" / "shards").exists()  # the generation holds the vectors now


@pytest.mark.integration
@pytest.mark.slow
def test_an_incremental_ray_build_sends_only_new_or_changed_documents_and_resumes(ray_engine, real_embedder, tmp_path):
    from qa.pipeline import build_index_folder

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    build_index_folder(docs, tmp_path / "ray", Config(), embedder=real_embedder)  # the first build, local
    first = sorted(docs.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nThe ministry added a new sentence after the first build.\n")
    (docs / "new.txt").write_text("Drones\n\nThe ministry plans to buy 300 drones by 2027.\n")
    # An earlier try that died after the cluster embedded the new file: its shard is there.
    (tmp_path / "ray" / "shards").mkdir()
    from qa.index.raybuild import _write_shard
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import load_folder

    new = next(d for d in load_folder(docs, Config().max_file_bytes).docs if d.name == "new.txt")
    texts = [s.text for s in split_documents([new], Config().chunk_size, Config().chunk_overlap).sentences]
    from qa.index.pieces import pack, to_codes

    vectors, pieces = real_embedder.encode_with_tokens(texts)
    _write_shard(tmp_path / "ray" / "shards", new.sha256, texts, vectors, *pack([to_codes(p[1]) for p in pieces]))
    report = build_index_folder(docs, tmp_path / "ray", Config(), embedder=real_embedder, engine=ray_engine)
    assert ray_engine.stats["documents_sent"] == 1 and ray_engine.stats["documents_resumed"] == 1
    assert report.encoded < report.sentences
    build_index_folder(docs, tmp_path / "local", Config(), embedder=real_embedder)
    assert_same_generation(tmp_path / "local", tmp_path / "ray")


def test_bins_hold_every_document_once_balanced_largest_first():
    from qa.index.rayworker import bins_of

    sizes = [67, 35, 34, 28, 25, 25, 19, 18, 3, 1]
    bins = bins_of(sizes, 3, size=lambda d: d)
    assert sorted(d for b in bins for d in b) == sorted(sizes) and len(bins) == 3
    totals = [sum(b) for b in bins]
    assert totals == sorted(totals, reverse=True)  # the pool takes the heaviest bin first
    assert max(totals) - min(totals) <= max(sizes)  # greedy packing: no bin more than one document behind
    assert len(bins_of(sizes[:2], 8, size=lambda d: d)) == 2  # never an empty bin


@pytest.mark.integration
@pytest.mark.slow
def test_a_worker_without_the_folder_opens_the_encoder_shipped_through_the_object_store(ray_engine, real_seed_index_dir,
                                                                                         real_embedder, tmp_path):
    """What a cluster node does: the driver's encoder folder is not there, so the files come from Ray's object
    store into a temporary folder that is gone once the session is open; same sentences and vectors as locally."""
    import pickle

    import ray

    from qa.index.onnx_session import sha256_of
    from qa.index.rayworker import Encode
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import load_folder

    ray_engine._connect()
    gen = _gen(real_seed_index_dir)
    folder = real_seed_index_dir / json.loads((gen / "manifest.json").read_text())["query_encoder"]["folder"]
    files = ray.put({p.name: p.read_bytes() for p in folder.iterdir()})
    before = set(Path(tempfile.gettempdir()).glob("qa-encoder-*"))
    worker = Encode(str(tmp_path / "not-on-this-node"), sha256_of(folder / "encoder.json"), files, real_embedder.name,
                    threads=1, chunking=(Config().chunk_size, Config().chunk_overlap))
    assert set(Path(tempfile.gettempdir()).glob("qa-encoder-*")) == before  # the temporary copy is removed
    docs = load_folder(SEEDS, Config().max_file_bytes).docs[:2]
    out = worker({"docs": np.array([pickle.dumps(docs)], dtype=object)})
    texts = [s.text for s in split_documents(docs[:1], Config().chunk_size, Config().chunk_overlap).sentences]
    assert out["sha256"].tolist() == [d.sha256 for d in docs] and list(out["texts"][0]) == texts
    assert np.abs(out["vectors"][0] - real_embedder.encode(texts)).max() <= 1e-5
    with pytest.raises(RuntimeError, match="cannot read the encoder folder"):  # a local instance ships nothing
        Encode(str(tmp_path / "missing"), "0" * 64, None, real_embedder.name, 1, (100, 0))


@pytest.mark.integration
def test_a_worker_uses_an_encoder_folder_in_place_only_when_it_is_the_drivers(real_seed_index_dir, tmp_path):
    from qa.index.onnx_session import sha256_of
    from qa.index.rayworker import _same_encoder

    gen = _gen(real_seed_index_dir)
    folder = real_seed_index_dir / json.loads((gen / "manifest.json").read_text())["query_encoder"]["folder"]
    card = sha256_of(folder / "encoder.json")
    copy = shutil.copytree(folder, tmp_path / "encoder", ignore=shutil.ignore_patterns("weights.bin"))
    (copy / "weights.bin").symlink_to(folder / "weights.bin")  # 90 MB: a link, not a copy
    assert _same_encoder(folder, card) and _same_encoder(copy, card) and not _same_encoder(copy, "0" * 64)
    (copy / "tokenizer.json").write_text((copy / "tokenizer.json").read_text()[:-10])  # not the driver's any more
    assert not _same_encoder(copy, card)


def test_the_bench_section_reports_each_size_against_the_target_with_and_without_the_start():
    from qa.bench.raybench import section

    size = {"copies": 1, "sentences": 1630, "local_seconds": [7.0, 7.2], "ray_seconds": 12.0, "ray_start_seconds": 3.5,
            "ray_stop_seconds": 1.2, "local_rate": 230.0, "ray_rate": 136.0, "ratio": 0.592, "ratio_without_ray_start": 0.835,
            "per_worker_rate": 80.0, "per_worker_rate_running": 120.0, "same_sentences": True, "max_vector_difference": 3e-8}
    big = {**size, "copies": 4, "sentences": 6520, "ratio": 0.84}
    text = "\n".join(section({"ray": {"status": "measured", "workers": 2, "ray_import_seconds": 1.3,
                                      "sizes": [size, big], "load_average": [0.5, 0.9], "two_encoders_speedup": 1.9}}))
    assert "| Ray throughput ≥ 0.8 × local, SQuAD part A | 0.592 | **no** |" in text
    assert "| Ray throughput ≥ 0.8 × local, SQuAD part A × 4 (repeated) | 0.840 | yes |" in text
    assert "0.835" in text and "| 6520 |" in text and "[0.5, 0.9]" in text and "×1.9" in text
    assert section({"ray": {"status": "skipped", "reason": "no Ray"}}) == ["## Build on Ray", "", "Skipped: no Ray.", ""]
