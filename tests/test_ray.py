"""Builds on Ray (qa.index.raybuild): the same generation as a local build, incremental, resumable; a clear
message without Ray. The Ray tests start one local Ray instance for the module (two workers)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import Config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Differ between any two builds (the clock) or by design (the engine's note, vectors within 1e-5).
VOLATILE = {"built_at", "build_engine", "files", "docs_dir"}
VECTOR_FILES = {"sentence_vectors.npy", "chunk_vectors.npy", "sentences.faiss"}


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
    _write_shard(tmp_path / "ray" / "shards", new.sha256, texts, real_embedder.encode(texts))
    report = build_index_folder(docs, tmp_path / "ray", Config(), embedder=real_embedder, engine=ray_engine)
    assert ray_engine.stats["documents_sent"] == 1 and ray_engine.stats["documents_resumed"] == 1
    assert report.encoded < report.sentences
    build_index_folder(docs, tmp_path / "local", Config(), embedder=real_embedder)
    assert_same_generation(tmp_path / "local", tmp_path / "ray")
