"""``qa bench``: per-question latency, start-up, build throughput, the LangChain peer, scale.

What it does: measures in one run, on this machine, and writes
``eval/bench.md`` (tables), ``eval/bench.json`` (every figure) and
``eval/bench.png``:

* warm per-question latency (p50/p95) through the library, through
  ``qa ask --json -`` in a child process (per answer line) and through the web
  app's ``ask`` endpoint with ``gradio_client``; the question's embedding
  alone, with the previous embedding path (sentence-transformers'
  ``encode``) measured beside it, question by question;
* cold start to first answer (a new ``qa ask`` process, index on disk) and
  ``qa --help``;
* build throughput (sentences/s) beside the model's raw encode rate on the
  same sentences, build stages, and the build's peak memory (a child ``qa
  index``);
* the usual LangChain recipe (``qa.evaluation.baselines.LangChainRecipe``: 1000/200
  splitter, ``IndexFlatL2``, the same model through sentence-transformers as
  LangChain's ``HuggingFaceEmbeddings`` calls it) on the same questions;
* with ``--scale``, the scaling curve of ``qa.bench.scale`` (which says what is
  real and what is synthetic).

Every comparison is measured in the same run, interleaved where it can be,
because the machine is shared; figures are printed with their ratios and no
test asserts a time.

What it does not do: judge answer quality (``qa eval`` does).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.bench.procs import build_memory, cli_batch, cold_start, http_api
from qa.bench.scale import ask_latencies, interleaved, scale_curve
from qa.bench.raybench import ray_vs_local, section as ray_section
from qa.bench.startup import section as startup_section, startup_bench
from qa.bench.sources import source_throughput, sources_section

SMALL_BATCH_PLUS = 1_000  # a batch size that gets torch's default threads
SLOW_PATH_QUESTIONS = 60  # questions for the peer, the before/after and HTTP (spread over the set)


@dataclass
class BenchOptions:
    out: Path = Path("eval")
    docs: Path = Path("seeds")
    questions: Path = Path("eval/questions.jsonl")
    squad: Path = Path("../shared/benchmarks/squad2-dev-part-a.json")
    quick: bool = False              # seeds only
    scale: bool = False              # add the scaling curve
    processes: bool = True           # child processes: CLI, cold start, HTTP, build memory
    work: Path | None = None         # scratch folder (default: a temporary one, removed)
    embedder: object = None          # tests pass a fake; default: the real model
    real_sizes: tuple = (10_000, 100_000)
    search_sizes: tuple = (10_000, 100_000, 1_000_000)
    squad_questions: int = 100
    extra: dict = field(default_factory=dict)


def read_questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_throughput(docs: Path, work: Path, cfg, embedder, reps: int) -> dict:
    """Best of ``reps`` alternations: a whole build against encoding its sentences alone; and,
    immune to the machine's drift between the two, the embedding's share of one build."""
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import read_folder
    from qa.bench.scale import timed_build

    texts = [s.text for s in split_documents(read_folder(docs)[0], cfg.chunk_size, cfg.chunk_overlap).sentences]
    raw = build_encoder(work / "encoder", embedder)  # what the build encodes with (ONNX on every core when exported)
    builds, encodes, torch_encodes, stages = [], [], [], {}
    for rep in range(reps):
        started = time.perf_counter()
        raw.encode(texts)
        encodes.append(time.perf_counter() - started)
        if raw is not embedder:  # the torch path beside it: why the build uses ONNX
            started = time.perf_counter()
            embedder.encode(texts)
            torch_encodes.append(time.perf_counter() - started)
        report, stages = timed_build(docs, work / f"build-{rep}", cfg, embedder)
        builds.append(report.seconds)
    n = len(texts)
    return {"sentences": n, "build_seconds": round(min(builds), 2), "build_rate": round(n / min(builds), 1),
            "encode_seconds": round(min(encodes), 2), "encode_rate": round(n / min(encodes), 1), "encoder": type(raw).__name__,
            "torch_encode_rate": round(n / min(torch_encodes), 1) if torch_encodes else None,
            "ratio": round(min(encodes) / min(builds), 3), "stages_last_build": stages, "index": str(work / "build-0"),
            "embedding_share_of_build": round(stages["embed_sentences"] / sum(stages.values()), 3)}


def build_encoder(folder: Path, embedder):
    """The embedder a build of ``embedder``'s model encodes with (``qa.index.embedding.batch_embedder``)."""
    from qa.index.embedding import batch_embedder
    from qa.index.onnx_export import ensure_encoder

    return batch_embedder(folder, embedder, ensure_encoder(folder, embedder)[0])


def embed_before_after(embedder, st_embedder, questions: list[str]) -> dict:
    """The question's embedding: sentence-transformers ``encode`` (before) and ours, interleaved."""
    diff = max(float(np.abs(st_encode(st_embedder, q) - embedder.encode([q])[0]).max()) for q in questions)
    out = interleaved({"before": lambda q: st_encode(st_embedder, q), "after": lambda q: embedder.encode([q])}, questions)
    return {**out, "max_abs_difference": diff, "speed_up_p50": round(out["before"]["p50_ms"] / out["after"]["p50_ms"], 2)}


def st_encode(st_embedder, q: str) -> np.ndarray:
    """One question through plain ``SentenceTransformer.encode`` on torch's default threads: the
    previous embedding path, and what LangChain's ``HuggingFaceEmbeddings`` calls."""
    from qa.index.bert import use_threads

    use_threads(SMALL_BATCH_PLUS)  # our embedders put a question on 1 thread; this one gets the default
    return st_embedder._model.encode([q], normalize_embeddings=True, convert_to_numpy=True)[0]


def peer(assistant, questions: list[str], peer_encode) -> dict:
    """The LangChain recipe per question (embed + similarity_search), beside the assistant."""
    from qa.evaluation.baselines import LangChainRecipe

    started = time.perf_counter()
    recipe = LangChainRecipe(assistant.index.docs, assistant.embedder)
    build_s = time.perf_counter() - started
    out = interleaved({"assistant": assistant.ask, "langchain": lambda q: recipe.search(peer_encode(q), 4),
                       "langchain_our_embedding": lambda q: recipe.search(assistant.embedder.encode([q])[0], 4)}, questions)
    out["chunks"], out["build_seconds"] = len(recipe.chunks), round(build_s, 2)
    out["ratio_p50"] = round(out["assistant"]["p50_ms"] / out["langchain"]["p50_ms"], 2)
    return out


def bench_collection(docs: Path, questions: list[str], work: Path, cfg, embedder, st, reps: int, processes: bool) -> dict:
    """Build throughput, warm latency through every path, the peer; for one collection."""
    from qa.pipeline import open_assistant

    out = {"build": build_throughput(docs, work, cfg, embedder, reps)}
    index = Path(out["build"]["index"])
    assistant = open_assistant(index, cfg, embedder=None if st else embedder)  # real runs: the index's own question path
    out["library"] = ask_latencies(assistant, questions)
    info = assistant.index.dense_info
    out["dense_index"] = f"{info.get('type')} ({'exact' if info.get('exact') else 'approximate'})"
    few = questions[::max(1, len(questions) // SLOW_PATH_QUESTIONS)][:SLOW_PATH_QUESTIONS]
    out["peer"] = peer(assistant, few, (lambda q: st_encode(st, q)) if st else (lambda q: embedder.encode([q])[0]))
    if st is not None:
        out["embedding"] = embed_before_after(assistant.embedder, st, few)
    if processes:
        out["cli"] = cli_batch(index, docs, questions)
        out["cold_start"] = cold_start(index, docs, questions[0])
        out["build_memory"] = build_memory(docs, work / "build-memory")
        out["http"] = http_api(index, few)
    return out


def squad_inputs(opts: BenchOptions, work: Path) -> tuple[Path, list[str]]:
    """The SQuAD articles as text files, and a deterministic sample of their questions."""
    from qa.evaluation.squad import convert_squad, sample_questions

    questions = convert_squad(opts.squad, work / "squad-docs")
    sample = sample_questions([q.question for q in questions], opts.squad_questions, seed=0)
    return work / "squad-docs", sample


def machine() -> dict:
    import platform

    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "platform": platform.platform()}


def run_bench(opts: BenchOptions) -> dict:
    """Measure everything ``opts`` asks for and write the report; return the figures."""
    import shutil

    from qa.bench.report import write_report
    from qa.config import Config
    from qa.index.embedding import SentenceTransformerEmbedder, load_embedder

    started, cfg = time.perf_counter(), Config()
    work = opts.work or Path(tempfile.mkdtemp(prefix="qa-bench-"))
    embedder = opts.embedder or load_embedder(cfg.model, cfg.batch_size)
    st = SentenceTransformerEmbedder(cfg.model) if opts.embedder is None else None  # the "before" path and the peer's
    result = {"command": opts.extra.get("command", "qa bench"), "machine_at_start": machine(),
              "options": {"quick": opts.quick, "scale": opts.scale, "processes": opts.processes}}
    result["seeds"] = bench_collection(opts.docs, read_questions(opts.questions), work / "seeds", cfg, embedder, st, 3, opts.processes)
    if opts.processes and st is not None:  # the torch-free question path against torch (qa.bench.startup)
        result["startup"] = startup_bench(Path(result["seeds"]["build"]["index"]), opts.docs,
                                          read_questions(opts.questions)[0], work)
    result["sources"] = source_throughput(opts.docs, work / "sources", cfg, embedder)  # s/MB of web pages, PDFs
    if not opts.quick:
        docs, questions = squad_inputs(opts, work)
        result["squad"] = bench_collection(docs, questions, work / "squad", cfg, embedder, st, 3, False)
        result["squad"]["note"] = f"{opts.squad_questions} SQuAD questions, a deterministic sample (seed 0)"
        if st is not None:  # the same folder built on a local Ray instance (qa.bench.raybench)
            result["ray"] = ray_vs_local(docs, work, cfg, embedder)
        if opts.scale:
            result["scale"] = scale_curve(result["squad"], docs, questions, work, opts, embedder)
    result["machine_at_end"], result["seconds"] = machine(), round(time.perf_counter() - started, 1)
    write_report(result, opts.out)
    with open(opts.out / "bench.md", "a", encoding="utf-8") as f:
        f.write("\n".join(["", *startup_section(result), *sources_section(result), *ray_section(result)]))
    if opts.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return result
