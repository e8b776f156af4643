"""The scaling curve of ``qa bench --scale``: what is real and what is synthetic.

What it does: runs one measurement per child process (``qa.bench.scalechild``,
so peak and resident memory belong to that step alone), and holds the
timing helpers the bench shares.

* ``build`` then ``serve``: a real collection end to end. The SQuAD articles
  are copied until they hold the wanted number of sentences -- real text,
  each copy's title line marked ``(copy N)`` so no two files are identical
  -- and the real ``build_index_folder`` indexes them (real splitting, BM25,
  FAISS choice, checksummed save). Only the *vectors* are replayed: every
  sentence's real vector (encoded once by the model) plus a little noise
  (``ReplayEmbedder``), because embedding 100k sentences on two cores would
  take the better part of an hour; the build time is reported without
  embedding, and the embedding time is estimated from the measured encode
  rate. ``serve`` loads the index in a fresh process (load time, memory)
  and asks real questions, embedded for real.
* ``search``: the search stage alone over synthetic vectors: clusters
  around the real SQuAD sentence vectors, queried with real question
  vectors; exact search against ``qa.index.ann``'s choice.

What it does not do: write the report (``qa.bench.report``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

COPY_MARK = re.compile(r" \(copy \d+\)")


def rss_mib() -> float:
    """Resident memory of this process now, MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssTimeline:
    """This process's resident memory, sampled every ``every`` seconds while the block runs."""

    def __init__(self, every: float = 0.5):
        import threading

        self.every, self.samples, self._stop = every, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        started = time.monotonic()
        while not self._stop.wait(self.every):
            self.samples.append((round(time.monotonic() - started, 1), round(rss_mib(), 1)))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def peak_rss_mib() -> float:
    """Peak resident memory of this process, MiB: VmHWM, not ``ru_maxrss``, which a child
    started from a big parent inherits (Linux carries the old image's peak across exec)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


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


def interleaved(runs: dict, questions: list[str], warm: int = 3) -> dict:
    """Latency of each run on each question, the runs taking turns question by question."""
    for q in questions[:warm]:
        for run in runs.values():
            run(q)
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for q in questions:
        for name, run in runs.items():
            started = time.perf_counter()
            run(q)
            seconds[name].append(time.perf_counter() - started)
    return {name: latency(t) for name, t in seconds.items()}


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
    import qa.index.hybrid
    from qa.pipeline import build_index_folder

    stages: dict = {}
    with stage_timer(qa.index.hybrid, ["split_documents", "embed_sentences", "choose_dense_index", "build_bm25"], stages):
        report = build_index_folder(docs_dir, index_dir, cfg, embedder=embedder)
    stages = {k: round(v, 3) for k, v in stages.items()}
    stages["read, save, verify"] = round(report.seconds - sum(stages.values()), 3)
    return report, stages


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


def scale_curve(squad: dict, docs: Path, questions: list[str], work: Path, opts, embedder) -> dict:
    """The real repeated collections end to end, then the synthetic search stage (child processes)."""
    import shutil

    from qa.config import Config
    from qa.index.store import load_index

    index = load_index(squad["build"]["index"], Config())
    np.savez(work / "known.npz", texts=np.array([s.text for s in index.sentences]), vectors=np.asarray(index.sentence_vectors))
    np.save(work / "questions.npy", embedder.encode(questions))
    (work / "questions.json").write_text(json.dumps(questions), encoding="utf-8")
    real, search, per_copy = [], [], len(index.sentences)
    for size in opts.real_sizes:
        folder = work / f"real-{size}"
        repeat_collection(docs, folder / "docs", -(-size // per_copy))
        built = _child(["build", "--docs", folder / "docs", "--index", folder / "index", "--known", work / "known.npz"])
        served = _child(["serve", "--index", folder / "index", "--questions", work / "questions.json"])
        point = {**built, "peak_rss_build_mib": built.get("peak_rss_mib"), **served, "peak_rss_serve_mib": served.get("peak_rss_mib")}
        point["estimated_embedding_seconds"] = round(point.get("sentences", 0) / squad["build"]["encode_rate"], 1)
        real.append(point)
        shutil.rmtree(folder, ignore_errors=True)
    for n in opts.search_sizes:
        search.append(_child(["search", "--n", n, "--known", work / "known.npz", "--questions", work / "questions.npy",
                              "--work", work]))
    return {"real": real, "search": search}


def _child(args: list, timeout: float = 900) -> dict:
    done = subprocess.run([sys.executable, "-m", "qa.bench.scalechild", *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(done.stdout)
