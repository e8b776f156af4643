"""``qa bench``: a build on a local Ray instance against the local build, same folder, same run.

What it does: for each size -- SQuAD part A as it is, then its articles
repeated (``qa.bench.scale.repeat_collection``: real text, each copy's title
marked, so the fixed costs of Ray's start are amortised as on a real
collection) -- builds the folder locally, with ``qa.index.raybuild.RayEngine``
(two workers on this machine, a new Ray instance each time, as ``qa index
--ray`` starts one), and locally again, each into a fresh index folder. The
ratio is the Ray build's throughput over the mean of the two local builds'
around it (the machine's drift cancels); with and without Ray's own start
(``ray.init``), never hiding it. It also reports the pipeline's sentences/s
per worker, with the actors' start and without it (what a cluster
multiplies), and whether the generations agree: identical sentence rows, the
largest difference between their vectors. ``section`` renders it.

What it does not do: run on a real cluster (``docs/scaling.md`` says how), or
assert a time.

>>> rates({"sentences": 100, "seconds": 5.0, "first_row": (1.0, 20)}, workers=2)
(10.0, 10.0)
>>> section({}) == []
True
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from qa.bench.report import table

COPIES = (1, 4)  # SQuAD part A (1,630 sentences) and four times it


def _gen(index: Path) -> Path:
    return index / (index / "CURRENT").read_text(encoding="utf-8").strip()


def rates(stats: dict, workers: int) -> tuple[float, float]:
    """Sentences/s per worker: over the whole pipeline (actors' start included), and after the first document
    came back (the actors running; what more workers multiply)."""
    whole = stats["sentences"] / stats["seconds"] / workers
    done, rest = stats["first_row"][1], stats["seconds"] - stats["first_row"][0]
    return round(whole, 1), round((stats["sentences"] - done) / rest / workers, 1) if rest > 0 else None


def _agree(a: Path, b: Path) -> tuple[bool, float]:
    a, b = _gen(a), _gen(b)
    diff = float(np.abs(np.load(a / "sentence_vectors.npy") - np.load(b / "sentence_vectors.npy")).max())
    return (a / "sentences.jsonl").read_bytes() == (b / "sentences.jsonl").read_bytes(), diff


def _encode_seconds(folder: str, texts: list[str]) -> float:
    from qa.index.onnx_session import OnnxEmbedder

    model = OnnxEmbedder("probe", folder, threads=1)
    started = time.perf_counter()
    model.encode(texts)
    return time.perf_counter() - started


_PROBE = ("import json, sys\nfrom qa.bench.raybench import _encode_seconds\n"
          "texts = json.load(open(sys.argv[2], encoding='utf-8'))[int(sys.argv[3])::int(sys.argv[4])]\n"
          "print(_encode_seconds(sys.argv[1], texts))")


def core_speedup(folder: Path, texts: list[str], work: Path) -> float:
    """How much faster two single-threaded encoders (new processes, started together) embed ``texts`` than one:
    2.0 on two free cores, less where other work shares them. Two local workers can win only what this allows."""
    import json
    import subprocess
    import sys

    (work / "probe.json").write_text(json.dumps(texts), encoding="utf-8")

    def run(parts: int) -> float:
        children = [subprocess.Popen([sys.executable, "-c", _PROBE, str(folder), str(work / "probe.json"), str(i), str(parts)],
                                     stdout=subprocess.PIPE, text=True) for i in range(parts)]
        return max(float(child.communicate(timeout=600)[0].split()[-1]) for child in children)

    return round(run(1) / run(2), 2)


def _texts(docs: Path, cfg) -> list[str]:
    from qa.ingest.chunking import split_documents
    from qa.ingest.documents import load_folder

    return [x.text for x in split_documents(load_folder(docs, cfg.max_file_bytes).docs, cfg.chunk_size, cfg.chunk_overlap).sentences]


def one_size(docs: Path, work: Path, cfg, embedder, workers: int) -> dict:
    """Local, Ray, local builds of ``docs`` into fresh folders under ``work``; the figures."""
    import ray

    from qa.index.raybuild import RayEngine
    from qa.pipeline import build_index_folder

    local = [build_index_folder(docs, work / "local-1", cfg, embedder=embedder)]
    engine, started = RayEngine(None, workers=workers), time.perf_counter()
    build_index_folder(docs, work / "ray", cfg, embedder=embedder, engine=engine)
    ray_seconds = time.perf_counter() - started
    stopping = time.perf_counter()
    ray.shutdown()  # the next Ray build starts its own instance, as a new `qa index --ray` does
    stop_seconds = time.perf_counter() - stopping
    local.append(build_index_folder(docs, work / "local-2", cfg, embedder=embedder))
    n, s, local_seconds = local[0].sentences, engine.stats, float(np.mean([r.seconds for r in local]))
    same, diff = _agree(work / "local-1", work / "ray")
    whole, running = rates(s, s.get("actors", workers))
    return {"sentences": n, "documents": local[0].documents, "local_seconds": [round(r.seconds, 2) for r in local],
            "ray_seconds": round(ray_seconds, 2), "ray_start_seconds": s["connect_seconds"], "ray_stop_seconds": round(stop_seconds, 2),
            "local_rate": round(n / local_seconds, 1), "ray_rate": round(n / ray_seconds, 1),
            "ratio": round(local_seconds / ray_seconds, 3),
            "ratio_without_ray_start": round(local_seconds / (ray_seconds - s["connect_seconds"]), 3),
            "pipeline_seconds": s["seconds"], "first_document_seconds": round(s["first_row"][0], 2),
            "per_worker_rate": whole, "per_worker_rate_running": running,
            "same_sentences": same, "max_vector_difference": diff}


def ray_vs_local(docs: Path, work: Path, cfg, embedder, workers: int = 2, copies=COPIES) -> dict:
    """``one_size`` for ``docs`` and for its articles repeated ``copies`` times (the export paid beforehand)."""
    started = time.perf_counter()
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return {"status": "skipped", "reason": "Ray is not installed (pip install -e '.[ray]')"}
    imported = time.perf_counter() - started
    from qa.bench.scale import repeat_collection
    from qa.index.onnx_export import ensure_encoder

    encoder = ensure_encoder(work / "ray-vs-local" / "warm-up", embedder)[0]  # so no build below pays the export
    sizes, load = [], [round(os.getloadavg()[0], 2)]  # a shared machine: two workers need two free cores
    speedup = (core_speedup(work / "ray-vs-local" / "warm-up" / encoder["folder"], _texts(docs, cfg)[:800], work / "ray-vs-local")
               if encoder else None)
    for k in copies:
        folder = docs if k == 1 else work / "ray-vs-local" / f"docs-x{k}"
        if k != 1:
            repeat_collection(docs, folder, k)
        sizes.append({"copies": k, **one_size(folder, work / "ray-vs-local" / f"x{k}", cfg, embedder, workers)})
    load.append(round(os.getloadavg()[0], 2))
    return {"status": "measured", "workers": workers, "ray_import_seconds": round(imported, 2), "sizes": sizes,
            "load_average": load, "two_encoders_speedup": speedup}


def section(r: dict) -> list[str]:
    """``bench.md``'s section on the Ray build (empty without its figures)."""
    x = r.get("ray")
    if not x:
        return []
    if x.get("status") != "measured":
        return ["## Build on Ray", "", f"Skipped: {x.get('reason')}.", ""]
    name = lambda z: "SQuAD part A" if z["copies"] == 1 else f"SQuAD part A × {z['copies']} (repeated)"  # noqa: E731
    rows = [[name(z), z["sentences"], " / ".join(map(str, z["local_seconds"])), z["ray_seconds"], z["ray_start_seconds"],
             z["local_rate"], z["ray_rate"], z["ratio"], z["ratio_without_ray_start"], z["per_worker_rate"],
             z["per_worker_rate_running"], z["same_sentences"], f"{z['max_vector_difference']:.1e}"] for z in x["sizes"]]
    targets = [[f"Ray throughput ≥ 0.8 × local, {name(z)}", z["ratio"], "yes" if z["ratio"] >= 0.8 else "**no**"]
               for z in x["sizes"]]
    return ["## Build on Ray", "",
            f"Each folder built locally, then on a new local Ray instance with {x['workers']} workers (one ONNX model "
            "per actor, one thread each), then locally again, each into a fresh folder; the ratio is the Ray build's "
            "throughput over the mean of the two local builds', whole builds (Ray's start included), and without "
            f"Ray's start (`ray.init`). `import ray` ({x['ray_import_seconds']} s, once per process) and stopping the local "
            f"instance ({' / '.join(str(z['ray_stop_seconds']) for z in x['sizes'])} s, after the build) are in neither.", "",
            table(["target", "measured", "met"], targets), "",
            table(["collection", "sentences", "local s", "Ray s", "Ray start s", "local sentences/s", "Ray sentences/s",
                   "ratio", "ratio without start", "per worker sentences/s", "per worker, actors running",
                   "same sentence rows", "largest vector difference"], rows), "",
            "Per worker: the pipeline's sentences over its time (actors' start included), and after the first "
            f"document came back (what more workers multiply). Load average before and after: {x['load_average']} "
            f"on {os.cpu_count()} cores; two single-threaded encoders in parallel against one, same run (2.0 on two "
            f"free cores): ×{x.get('two_encoders_speedup')}, the most that two local workers can gain here.", ""]
