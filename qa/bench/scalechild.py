"""Child processes of the scaling curve: ``python -m qa.bench.scalechild build|serve|search``.

What it does: one measurement per process, so peak and resident memory
belong to it alone, printed as one JSON object: ``build`` indexes a real
repeated collection with replayed vectors, ``serve`` loads that index in a
fresh process and asks it real questions, ``search`` times the search stage
over synthetic vectors (``qa.bench.scale`` says what is real and what is not).

What it does not do: start itself or write the report (``qa.bench.scale``,
``qa.bench.report``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from qa.bench.scale import ReplayEmbedder, ask_latencies, latency, peak_rss_mib, rss_mib, timed_build
from qa.index.store import sha256_file


def checksum_seconds(gen: Path) -> tuple[float, int]:
    """Seconds to SHA-256 every file of generation ``gen`` (what a load verifies), and their bytes."""
    files = [p for p in gen.rglob("*") if p.is_file() and p.name != "manifest.json"]
    started = time.perf_counter()
    for p in files:
        sha256_file(p)
    return time.perf_counter() - started, sum(p.stat().st_size for p in files)


def measure_build(docs_dir: Path, index_dir: Path, known_path: Path) -> dict:
    """Index one real collection with replayed vectors (see module docstring)."""
    from qa.config import Config
    from qa.index.embedding import load_embedder

    known = np.load(known_path)
    replay = ReplayEmbedder(dict(zip(known["texts"].tolist(), known["vectors"])), load_embedder())
    report, stages = timed_build(docs_dir, index_dir, Config(), replay)
    sha_s, size = checksum_seconds(index_dir / report.generation)
    return {"sentences": report.sentences, "chunks": report.chunks, "documents": report.documents,
            "build_seconds_without_embedding": round(report.seconds - stages.get("embed_sentences", 0.0), 2),
            "build_stages": stages, "checksum_seconds": round(sha_s, 2), "index_disk_mib": round(size / 2**20, 1)}


def measure_serve(index_dir: Path, questions: list[str]) -> dict:
    """Load one index in a fresh process and ask it: load time, memory, latency."""
    from qa.config import Config
    from qa.index.embedding import load_embedder
    from qa.pipeline import open_assistant

    embedder = load_embedder()
    embedder.encode(["warm up"])
    before, started = rss_mib(), time.perf_counter()
    assistant = open_assistant(index_dir, Config(), embedder=embedder)
    load_s, loaded = time.perf_counter() - started, rss_mib()
    return {"load_seconds": round(load_s, 2), "rss_model_mib": round(before, 1), "rss_load_delta_mib": round(loaded - before, 1),
            "dense_index": assistant.index.dense_info, **ask_latencies(assistant, questions),
            "rss_after_questions_mib": round(rss_mib(), 1)}


def synthetic_vectors(base: np.ndarray, n: int, seed: int = 0, spread: tuple[float, float] = (0.6, 0.4)) -> np.ndarray:
    """``n`` unit vectors in clusters around ``base`` (real sentence vectors).

    Two levels: n/50 sub-centres (``base`` + noise of norm ``spread[0]``), then
    points (sub-centre + noise of norm ``spread[1]``), made in slices.

    >>> synthetic_vectors(np.eye(8, dtype=np.float32), 100).shape
    (100, 8)
    """
    rng, dim = np.random.default_rng(seed), base.shape[1]

    def near(centres: np.ndarray, count: int, norm: float) -> np.ndarray:
        out = centres[rng.integers(0, len(centres), count)]
        out += rng.standard_normal((count, dim), dtype=np.float32) * np.float32(norm / np.sqrt(dim))
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    subs = near(base.astype(np.float32), max(1, n // 50), spread[0])
    return np.concatenate([near(subs, min(65536, n - s), spread[1]) for s in range(0, n, 65536)])


def search_latency(index, queries: np.ndarray, k: int = 60) -> dict:
    """Per-query latency of ``index.search`` one query at a time (as the assistant asks)."""
    index.search(queries[:1], k)
    seconds = []
    for q in queries:
        started = time.perf_counter()
        index.search(q[None, :], k)
        seconds.append(time.perf_counter() - started)
    return latency(seconds)


def measure_search(n: int, base: np.ndarray, queries: np.ndarray, work: Path, exact_queries: int = 20) -> dict:
    """Exact search against ``qa.index.ann``'s choice over ``n`` synthetic vectors (see module docstring)."""
    import faiss

    from qa.index.ann import choose_dense_index, exact_index, exact_neighbours, index_bytes, recall_at_k

    started = time.perf_counter()
    vectors = synthetic_vectors(base, n)
    result = {"n": n, "make_seconds": round(time.perf_counter() - started, 1)}
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    result["flat_ip"], result["exact"] = search_latency(flat, queries[:exact_queries]), search_latency(exact_index(vectors)[0], queries[:exact_queries])
    result["exact"]["bytes"] = index_bytes(flat)
    del flat
    ann, info = choose_dense_index(vectors)
    result["chosen"] = {k: v for k, v in info.items() if k != "settings"}
    result["recall_at_10_real_questions"] = round(recall_at_k(ann.search(queries, 10)[1], exact_neighbours(vectors, queries, 10)), 4)
    path = work / f"synthetic-{n}.faiss"
    faiss.write_index(ann, str(path))
    started = time.perf_counter()
    sha256_file(path)
    result["checksum_seconds"], before = round(time.perf_counter() - started, 2), rss_mib()
    loaded = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    result["rss_mmap_load_delta_mib"] = round(rss_mib() - before, 1)
    result["chosen_latency"] = search_latency(loaded, queries)
    result["index_file_mib"], result["vectors_file_mib"] = round(path.stat().st_size / 2**20, 1), round(vectors.nbytes / 2**20, 1)
    path.unlink()
    return result


def main(argv: list[str] | None = None) -> None:
    """Child-process entry: ``python -m qa.bench.scalechild build|serve|search ...`` prints one JSON object."""
    p = argparse.ArgumentParser(prog="python -m qa.bench.scalechild")
    p.add_argument("what", choices=["build", "serve", "search"])
    p.add_argument("--docs", type=Path)
    p.add_argument("--index", type=Path)
    p.add_argument("--known", type=Path, help=".npz of texts and their real vectors")
    p.add_argument("--questions", type=Path, help="JSON list of questions (serve) or .npy of their vectors (search)")
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--work", type=Path)
    args = p.parse_args(argv)
    if args.what == "build":
        result = measure_build(args.docs, args.index, args.known)
    elif args.what == "serve":
        result = measure_serve(args.index, json.loads(args.questions.read_text(encoding="utf-8")))
    else:
        result = measure_search(args.n, np.load(args.known)["vectors"], np.load(args.questions), args.work)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
