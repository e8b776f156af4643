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
* the usual LangChain recipe (``qa.baselines.LangChainRecipe``: 1000/200
  splitter, ``IndexFlatL2``, the same model through sentence-transformers as
  LangChain's ``HuggingFaceEmbeddings`` calls it) on the same questions;
* with ``--scale``, the scaling curve of ``qa.scale`` (which says what is
  real and what is synthetic).

Every comparison is measured in the same run, interleaved where it can be,
because the machine is shared; figures are printed with their ratios and no
test asserts a time.

What it does not do: judge answer quality (``qa eval`` does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.scale import latency, peak_rss_mib

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


def _qa_command() -> list[str]:
    script = Path(sys.executable).parent / "qa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "qa"]


def _wall(cmd: list[str], stdin: str = "", timeout: float = 300) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - started, done


def read_questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_throughput(docs: Path, work: Path, cfg, embedder, reps: int) -> dict:
    """Best of ``reps`` alternations: a whole build against encoding its sentences alone; and,
    immune to the machine's drift between the two, the embedding's share of one build."""
    from qa.chunking import split_documents
    from qa.documents import read_folder
    from qa.scale import timed_build

    texts = [s.text for s in split_documents(read_folder(docs)[0], cfg.chunk_size, cfg.chunk_overlap).sentences]
    builds, encodes, stages = [], [], {}
    for rep in range(reps):
        started = time.perf_counter()
        embedder.encode(texts)
        encodes.append(time.perf_counter() - started)
        report, stages = timed_build(docs, work / f"build-{rep}", cfg, embedder)
        builds.append(report.seconds)
    n = len(texts)
    return {"sentences": n, "build_seconds": round(min(builds), 2), "build_rate": round(n / min(builds), 1),
            "encode_seconds": round(min(encodes), 2), "encode_rate": round(n / min(encodes), 1),
            "ratio": round(min(encodes) / min(builds), 3), "stages_last_build": stages, "index": str(work / "build-0"),
            "embedding_share_of_build": round(stages["embed_sentences"] / sum(stages.values()), 3)}


def embed_before_after(embedder, st_embedder, questions: list[str]) -> dict:
    """The question's embedding: sentence-transformers ``encode`` (before) and ours, interleaved."""
    diff = max(float(np.abs(st_encode(st_embedder, q) - embedder.encode([q])[0]).max()) for q in questions)
    out = interleaved({"before": lambda q: st_encode(st_embedder, q), "after": lambda q: embedder.encode([q])}, questions)
    return {**out, "max_abs_difference": diff, "speed_up_p50": round(out["before"]["p50_ms"] / out["after"]["p50_ms"], 2)}


def st_encode(st_embedder, q: str) -> np.ndarray:
    """One question through plain ``SentenceTransformer.encode`` on torch's default threads: the
    previous embedding path, and what LangChain's ``HuggingFaceEmbeddings`` calls."""
    import torch

    from qa.embedding import use_threads

    torch.set_num_threads(use_threads(SMALL_BATCH_PLUS))  # our embedders set 1 thread for questions
    return st_embedder._model.encode([q], normalize_embeddings=True, convert_to_numpy=True)[0]


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


def peer(assistant, questions: list[str], peer_encode) -> dict:
    """The LangChain recipe per question (embed + similarity_search), beside the assistant."""
    from qa.baselines import LangChainRecipe

    started = time.perf_counter()
    recipe = LangChainRecipe(assistant.index.docs, assistant.embedder)
    build_s = time.perf_counter() - started
    out = interleaved({"assistant": assistant.ask, "langchain": lambda q: recipe.search(peer_encode(q), 4),
                       "langchain_our_embedding": lambda q: recipe.search(assistant.embedder.encode([q])[0], 4)}, questions)
    out["chunks"], out["build_seconds"] = len(recipe.chunks), round(build_s, 2)
    out["ratio_p50"] = round(out["assistant"]["p50_ms"] / out["langchain"]["p50_ms"], 2)
    return out


def cli_batch(index: Path, docs: Path, questions: list[str]) -> dict:
    """``qa ask --json -``: start-up (empty input), then all questions, timed per answer line."""
    cmd = _qa_command() + ["ask", "--json", "-", "--index", str(index), "--docs", str(docs)]
    startup, _ = _wall(cmd)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write("".join(q + "\n" for q in questions))
    proc.stdin.close()
    arrivals = [time.perf_counter() for _ in iter(proc.stdout.readline, "")]
    proc.wait()
    total = time.perf_counter() - started
    gaps = np.diff(arrivals).tolist()
    return {"startup_seconds": round(startup, 2), "total_seconds": round(total, 2), "answers": len(arrivals),
            "per_question_ms": round((total - startup) / max(1, len(questions)) * 1000, 2),
            "first_answer_seconds": round(arrivals[0] - started, 2) if arrivals else None, **latency(gaps)}


def cold_start(index: Path, docs: Path, question: str, runs: int = 3) -> dict:
    """A new ``qa ask --json`` process, index on disk, to its answer; and ``qa --help``."""
    ask = [_wall(_qa_command() + ["ask", "--json", "--index", str(index), "--docs", str(docs), question]) for _ in range(runs)]
    helps = [_wall(_qa_command() + ["--help"])[0] for _ in range(runs)]
    probe = "import sys\nfrom qa.cli import build_parser\ntry: build_parser().parse_args(['--help'])\nexcept SystemExit: pass\nprint('torch' in sys.modules)"
    torch_loaded = _wall([sys.executable, "-c", probe])[1].stdout.strip().splitlines()[-1:] == ["True"]
    return {"first_answer_seconds": latency([s for s, _ in ask]), "ok": all(d.returncode == 0 for _, d in ask),
            "help_seconds": latency(helps), "help_imports_torch": torch_loaded}


def build_memory(docs: Path, index: Path) -> dict:
    """Peak resident memory and wall time of a child ``qa index`` (model load included)."""
    started = time.perf_counter()
    proc = subprocess.Popen(_qa_command() + ["index", "--docs", str(docs), "--index", str(index)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "wall_seconds": round(time.perf_counter() - started, 2),
            "ok": proc.returncode == 0}


def http_api(index: Path, questions: list[str], timeout: float = 180) -> dict:
    """The web app's ``ask`` endpoint (server in a child process): the two documented HTTP requests
    (POST ``/gradio_api/call/ask``, GET its result), and ``gradio_client``, interleaved."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-c", "from qa.webapp import main; main()", "--index", str(index), "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        client, up = _connect(f"http://127.0.0.1:{port}/", server, timeout)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

        def raw(q: str) -> None:
            event = http.post("/gradio_api/call/ask", json={"data": [q, 3]}).json()["event_id"]
            body = http.get(f"/gradio_api/call/ask/{event}").text
            if "event: complete" not in body:
                raise RuntimeError(f"no answer: {body[-200:]}")

        out = interleaved({"raw_http": raw, "gradio_client": lambda q: client.predict(q, 3, api_name="/ask")}, questions)
        return {"status": "measured", "server_start_seconds": round(up, 1), **out["raw_http"], **out}
    except Exception as err:  # the web app is a colleague's work in progress: report, don't fail
        return {"status": "pending", "reason": f"{type(err).__name__}: {str(err)[:300]}"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _connect(url: str, server, timeout: float):
    from gradio_client import Client

    started = time.perf_counter()
    while True:
        try:
            return Client(url, verbose=False), time.perf_counter() - started
        except Exception:
            if server.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError(f"web app did not start: {(server.stderr.read() or '')[-300:]}") from None
            time.sleep(1.0)


def bench_collection(docs: Path, questions: list[str], work: Path, cfg, embedder, st, reps: int, processes: bool) -> dict:
    """Build throughput, warm latency through every path, the peer; for one collection."""
    from qa.pipeline import open_assistant
    from qa.scale import ask_latencies

    out = {"build": build_throughput(docs, work, cfg, embedder, reps)}
    index = Path(out["build"]["index"])
    assistant = open_assistant(index, cfg, embedder=embedder)
    out["library"] = ask_latencies(assistant, questions)
    out["dense_index"] = assistant.index.dense_info.get("type")
    few = questions[::max(1, len(questions) // SLOW_PATH_QUESTIONS)][:SLOW_PATH_QUESTIONS]
    out["peer"] = peer(assistant, few, (lambda q: st_encode(st, q)) if st else (lambda q: embedder.encode([q])[0]))
    if st is not None:
        out["embedding"] = embed_before_after(embedder, st, few)
    if processes:
        out["cli"] = cli_batch(index, docs, questions)
        out["cold_start"] = cold_start(index, docs, questions[0])
        out["build_memory"] = build_memory(docs, work / "build-memory")
        out["http"] = http_api(index, few)
    return out


def squad_inputs(opts: BenchOptions, work: Path, embedder) -> tuple[Path, list[str]]:
    """The SQuAD articles as text files, and a deterministic sample of their questions."""
    from qa.squad import convert_squad, sample_questions

    questions = convert_squad(opts.squad, work / "squad-docs")
    sample = sample_questions([q.question for q in questions], opts.squad_questions, seed=0)
    return work / "squad-docs", sample


def scale_curve(squad: dict, docs: Path, questions: list[str], work: Path, opts: BenchOptions, embedder) -> dict:
    """The real repeated collections end to end, then the synthetic search stage (child processes)."""
    import shutil

    from qa.scale import repeat_collection
    from qa.store import load_index
    from qa.config import Config

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
    done = subprocess.run([sys.executable, "-m", "qa.scale", *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(done.stdout)


def machine() -> dict:
    import platform

    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "platform": platform.platform()}


def run_bench(opts: BenchOptions) -> dict:
    """Measure everything ``opts`` asks for and write the report; return the figures."""
    import shutil

    from qa.config import Config
    from qa.embedding import load_embedder

    started, cfg = time.perf_counter(), Config()
    work = opts.work or Path(tempfile.mkdtemp(prefix="qa-bench-"))
    embedder = opts.embedder or load_embedder(cfg.model, cfg.batch_size)
    st = load_st_embedder(cfg.model) if opts.embedder is None else None
    result = {"command": opts.extra.get("command", "qa bench"), "machine_at_start": machine(),
              "options": {"quick": opts.quick, "scale": opts.scale, "processes": opts.processes}}
    result["seeds"] = bench_collection(opts.docs, read_questions(opts.questions), work / "seeds", cfg, embedder, st, 3, opts.processes)
    if not opts.quick:
        docs, questions = squad_inputs(opts, work, embedder)
        result["squad"] = bench_collection(docs, questions, work / "squad", cfg, embedder, st, 1, False)
        result["squad"]["note"] = f"{opts.squad_questions} SQuAD questions, a deterministic sample (seed 0)"
        if opts.scale:
            result["scale"] = scale_curve(result["squad"], docs, questions, work, opts, embedder)
    result["machine_at_end"], result["seconds"] = machine(), round(time.perf_counter() - started, 1)
    from qa.benchreport import write_report

    write_report(result, opts.out)
    if opts.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return result


def load_st_embedder(name: str):
    from qa.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name)
