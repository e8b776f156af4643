"""The scaling curve of ``qa bench --scale``: what is real and what is synthetic.

What it does: measures one collection size per child process (so peak and
resident memory belong to that step alone) and prints the figures as JSON.

* ``build`` then ``serve``: a real collection end to end. The SQuAD articles are copied
  until they hold the wanted number of sentences -- real text, each copy's
  title line marked ``(copy N)`` so no two files are identical -- and the
  real ``build_index_folder`` indexes them (real splitting, BM25, FAISS
  choice, checksummed save). Only the *vectors* are replayed: every
  sentence's real vector (encoded once by the model) plus a little noise
  (``ReplayEmbedder``), because embedding 100k sentences on two cores would
  take the better part of an hour; the build time is reported without
  embedding, and the embedding time is estimated from the measured encode
  rate. ``serve`` loads the index in a fresh process (load time, memory)
  and asks real questions, embedded for real.
* ``search``: the search stage alone over synthetic vectors: clusters
  around the real SQuAD sentence vectors (``synthetic_vectors``), queried
  with real question vectors; exact search against ``qa.ann``'s choice.

What it does not do: write the report (``qa.bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from qa.store import sha256_file

COPY_MARK = re.compile(r" \(copy \d+\)")


def rss_mib() -> float:
    """Resident memory of this process now, MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency(seconds: list[float]) -> dict:
    """p50 / p95 / mean in milliseconds.

    >>> latency([0.010, 0.020, 0.030])["p50_ms"]
    20.0
    """
    ms = np.asarray(seconds, dtype=np.float64) * 1000
    if not len(ms):
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None}
    return {"n": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2), "mean_ms": round(float(ms.mean()), 2)}


def repeat_collection(src: Path, out: Path, copies: int) -> int:
    """Write ``copies`` copies of the articles of ``src`` into ``out``; return the file count."""
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(src.glob("*.txt"))
    for copy in range(copies):
        for path in sources:
            title, _, rest = path.read_text(encoding="utf-8").partition("\n")
            (out / f"c{copy:04d}_{path.name}").write_text(f"{title} (copy {copy})\n{rest}", encoding="utf-8")
    return copies * len(sources)


class ReplayEmbedder:
    """Real vectors of known sentences, with small noise on repeats (see module docstring)."""

    def __init__(self, known: dict[str, np.ndarray], fallback, noise: float = 0.25, seed: int = 0):
        self.known, self.fallback, self.noise = known, fallback, noise
        self.name, self.dim = fallback.name, fallback.dim
        self.rng, self.seen = np.random.default_rng(seed), set()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        keys = [COPY_MARK.sub("", t) for t in texts]
        missing = sorted({k for k in keys if k not in self.known})
        if missing:
            self.known.update(zip(missing, self.fallback.encode(missing)))
        out = np.stack([self.known[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        repeat = np.zeros(len(keys), dtype=bool)
        for i, k in enumerate(keys):  # a repeat: seen before, in this call or an earlier one
            repeat[i] = k in self.seen
            self.seen.add(k)
        noise = self.rng.standard_normal((int(repeat.sum()), self.dim), dtype=np.float32)
        out[repeat] += noise * (self.noise / np.sqrt(self.dim))
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


@contextmanager
def stage_timer(module, names: list[str], seconds: dict):
    """Time calls of ``module``'s functions ``names`` (summed into ``seconds``) while inside."""
    originals = {n: getattr(module, n) for n in names}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    for n, fn in originals.items():
        setattr(module, n, timed(n, fn))
    try:
        yield seconds
    finally:
        for n, fn in originals.items():
            setattr(module, n, fn)


def timed_build(docs_dir: Path, index_dir: Path, cfg, embedder) -> tuple[object, dict]:
    """``build_index_folder`` with its stages timed: split, embed, FAISS, BM25, the rest."""
    import qa.index
    from qa.pipeline import build_index_folder

    stages: dict = {}
    with stage_timer(qa.index, ["split_documents", "embed_sentences", "choose_dense_index", "build_bm25"], stages):
        report = build_index_folder(docs_dir, index_dir, cfg, embedder=embedder)
    stages = {k: round(v, 3) for k, v in stages.items()}
    stages["read, save, verify"] = round(report.seconds - sum(stages.values()), 3)
    return report, stages


def checksum_seconds(gen: Path) -> tuple[float, int]:
    """Seconds to SHA-256 every file of generation ``gen`` (what a load verifies), and their bytes."""
    files = [p for p in gen.rglob("*") if p.is_file() and p.name != "manifest.json"]
    started = time.perf_counter()
    for p in files:
        sha256_file(p)
    return time.perf_counter() - started, sum(p.stat().st_size for p in files)


def ask_latencies(assistant, questions: list[str]) -> dict:
    """Warm per-question latency of ``Assistant.ask``, and of the question's embedding alone."""
    for q in questions[:3]:
        assistant.ask(q)
    total, embed = [], []
    for q in questions:
        started = time.perf_counter()
        assistant.embedder.encode([q])
        embed.append(time.perf_counter() - started)
        started = time.perf_counter()
        assistant.ask(q)
        total.append(time.perf_counter() - started)
    return {"ask": latency(total), "embed": latency(embed)}


def measure_build(docs_dir: Path, index_dir: Path, known_path: Path) -> dict:
    """Index one real collection with replayed vectors (see module docstring)."""
    from qa.config import Config
    from qa.embedding import load_embedder

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
    from qa.embedding import load_embedder
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
    """Exact search against ``qa.ann``'s choice over ``n`` synthetic vectors (see module docstring)."""
    import faiss

    from qa.ann import choose_dense_index, exact_index, exact_neighbours, index_bytes, recall_at_k

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
    """Child-process entry: ``python -m qa.scale build|serve|search ...`` prints one JSON object."""
    p = argparse.ArgumentParser(prog="python -m qa.scale")
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
