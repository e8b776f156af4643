"""The FAISS index choice by size (qa.index.ann) and its memory-mapped round trip through qa.index.store."""

from __future__ import annotations

import functools

import faiss
import numpy as np
import pytest

import qa.index.hybrid
from qa.index.ann import AnnSettings, choose_dense_index, exact_neighbours, recall_at_k
from qa.config import Config
from qa.pipeline import build_index_folder, open_assistant
from qa.bench.scalechild import synthetic_vectors
from qa.index.store import load_index

SMALL_IVF = AnnSettings(exact_limit=500, recall_queries=50)


def clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    centres = np.random.default_rng(seed).standard_normal((40, dim)).astype(np.float32)
    return synthetic_vectors(centres / np.linalg.norm(centres, axis=1, keepdims=True), n, seed=seed)


def test_small_collections_get_exact_search():
    vectors = clustered(300)
    index, info = choose_dense_index(vectors, SMALL_IVF)
    assert info["type"] == type(index).__name__ == "IndexIVFFlat" and index.ntotal == 300
    assert info["exact"] and info["nlist"] == 1 and info["recall_at_10"] == 1.0
    assert info["bytes"] == 300 * (32 * 4 + 8) + 32 * 4  # vectors, ids, one centroid
    flat = faiss.IndexFlatIP(32)
    flat.add(vectors)
    queries = clustered(20, seed=3)
    scores, ids = index.search(queries, 10)
    flat_scores, flat_ids = flat.search(queries, 10)  # exactly what IndexFlatIP returns
    assert (ids == flat_ids).all() and np.allclose(scores, flat_scores, atol=1e-6)
    assert (ids == exact_neighbours(vectors, queries, 10)).all()


def test_an_empty_collection_gets_an_empty_exact_index():
    index, info = choose_dense_index(np.zeros((0, 8), dtype=np.float32))
    assert index.ntotal == 0 and info["exact"] and info["vectors"] == 0


def test_large_collections_get_ivf_sq8_with_recall_recorded():
    vectors = clustered(3000)
    index, info = choose_dense_index(vectors, SMALL_IVF)
    ivf = faiss.extract_index_ivf(index)
    assert info["type"] == "IndexIVFScalarQuantizer" and not info["exact"]
    assert info["nlist"] == ivf.nlist == 64 and info["nprobe"] == ivf.nprobe and index.ntotal == 3000
    assert info["recall_at_10_blended_queries"] >= SMALL_IVF.recall_target or info["nprobe"] == ivf.nlist
    assert 0 < info["recall_at_10"] <= 1
    assert info["bytes"] < 3000 * 32 * 4  # one byte per dimension, not four
    # the recorded recall is what this index gives on a sample of its own vectors
    sample = np.random.default_rng(7).choice(3000, 50, replace=False)
    again = recall_at_k(index.search(vectors[sample], 10)[1], exact_neighbours(vectors, vectors[sample], 10))
    assert abs(again - info["recall_at_10"]) < 0.1


def test_nprobe_rises_until_the_target_is_met():
    vectors = clustered(3000)
    _, info = choose_dense_index(vectors, AnnSettings(exact_limit=500, recall_queries=50, recall_target=1.01))
    assert info["nprobe"] == 64 and list(map(int, info["recall_by_nprobe"])) == [1, 2, 4, 8, 16, 32, 64]


def write_docs(folder, n_docs: int, sentences: int) -> None:
    folder.mkdir()
    words = "tank drone budget ministry export factory rifle missile radar ship".split()
    for d in range(n_docs):
        lines = [f"Article {d}", ""] + [f"The {words[(d + s) % 10]} number {s} of article {d} costs {s * d} yen."
                                         for s in range(sentences)]
        (folder / f"{d:03d}.txt").write_text("\n\n".join(lines), encoding="utf-8")


@pytest.fixture()
def ivf_index_dir(tmp_path, monkeypatch, fake_embedder, fake_cfg):
    monkeypatch.setattr(qa.index.hybrid, "choose_dense_index", functools.partial(choose_dense_index, settings=SMALL_IVF))
    write_docs(tmp_path / "docs", 12, 60)
    build_index_folder(tmp_path / "docs", tmp_path / "index", fake_cfg, embedder=fake_embedder)
    return tmp_path / "index"


def test_manifest_records_the_choice_and_load_is_memory_mapped(ivf_index_dir, fake_cfg):
    index = load_index(ivf_index_dir, fake_cfg)
    info = index.manifest["dense_index"]
    assert info["type"] == "IndexIVFScalarQuantizer" and info["vectors"] == len(index.sentences) > 500
    assert {"nlist", "nprobe", "recall_at_10", "recall_at_10_blended_queries", "recall_measure", "bytes"} <= set(info)
    assert faiss.extract_index_ivf(index.dense).nprobe == info["nprobe"]  # persisted with the index
    assert isinstance(index.sentence_vectors, np.memmap) and isinstance(index.chunk_vectors, np.memmap)
    assert isinstance(index.bm25_sentences.scores["data"], np.memmap)
    assert index.dense_info == info


def test_loaded_ivf_index_searches_like_the_built_one(ivf_index_dir, fake_cfg, fake_embedder):
    index = load_index(ivf_index_dir, fake_cfg)
    fresh, _ = choose_dense_index(np.asarray(index.sentence_vectors), SMALL_IVF)
    queries = np.ascontiguousarray(index.sentence_vectors[:20])
    assert (index.dense.search(queries, 5)[1] == fresh.search(queries, 5)[1]).all()
    answer = open_assistant(ivf_index_dir, fake_cfg, embedder=fake_embedder).ask("How much does the radar number 7 of article 3 cost?")
    assert answer.passages and answer.passages[0].file.endswith(".txt")


def test_small_index_round_trip_records_exact_search(fake_seed_assistant):
    info = fake_seed_assistant.index.manifest["dense_index"]
    assert info["type"] == "IndexIVFFlat" and info["exact"] and info["recall_at_10"] == 1.0
    assert info["vectors"] == len(fake_seed_assistant.index.sentences)
    assert isinstance(fake_seed_assistant.index.sentence_vectors, np.memmap)


def test_an_old_manifest_without_choice_details_still_loads(tmp_path, fake_embedder):
    cfg = Config(model="fake")
    write_docs(tmp_path / "docs", 2, 5)
    report = build_index_folder(tmp_path / "docs", tmp_path / "index", cfg, embedder=fake_embedder)
    manifest_path = tmp_path / "index" / report.generation / "manifest.json"
    import json

    manifest = json.loads(manifest_path.read_text())
    manifest["dense_index"] = {"type": "IndexFlatIP", "metric": "inner_product"}  # as written before qa.index.ann
    manifest_path.write_text(json.dumps(manifest))
    assert load_index(tmp_path / "index", cfg).dense_info["type"] == "IndexFlatIP"
