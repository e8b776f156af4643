"""``qa bench``: a build on a local Ray instance against the local build, same folder, same run.

What it does: builds the folder locally and with ``qa.index.raybuild.RayEngine``
(two workers on this machine), in turn, each into a fresh index folder; reports
both throughputs (sentences/s, whole build), their ratio with and without Ray's
own start, the pipeline's sentences/s per worker (what a cluster multiplies),
and whether the two generations agree: identical sentence rows, the largest
difference between their vectors. ``section`` renders it for ``bench.md``.

What it does not do: run on a real cluster (``docs/scaling.md`` says how), or
assert a time.

>>> section({}) == []
True
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from qa.bench.report import table


def _gen(index: Path) -> Path:
    return index / (index / "CURRENT").read_text(encoding="utf-8").strip()


def ray_vs_local(docs: Path, work: Path, cfg, embedder, workers: int = 2) -> dict:
    """Local build, then Ray build, of ``docs`` (fresh folders under ``work``); figures and agreement."""
    try:
        import ray

        from qa.index.raybuild import RayEngine
    except ImportError:
        return {"status": "skipped", "reason": "Ray is not installed (pip install -e '.[ray]')"}
    from qa.index.onnx_export import ensure_encoder
    from qa.pipeline import build_index_folder

    ensure_encoder(work / "ray-vs-local" / "warm-up", embedder)  # so neither build below pays the export
    local = build_index_folder(docs, work / "ray-vs-local" / "local", cfg, embedder=embedder)
    engine = RayEngine(None, workers=workers)
    started = time.perf_counter()
    remote = build_index_folder(docs, work / "ray-vs-local" / "ray", cfg, embedder=embedder, engine=engine)
    ray_seconds = time.perf_counter() - started
    ray.shutdown()
    a, b = _gen(work / "ray-vs-local" / "local"), _gen(work / "ray-vs-local" / "ray")
    diff = float(np.abs(np.load(a / "sentence_vectors.npy") - np.load(b / "sentence_vectors.npy")).max())
    same = (a / "sentences.jsonl").read_bytes() == (b / "sentences.jsonl").read_bytes()
    n, s = local.sentences, engine.stats
    without_start = ray_seconds - s["connect_seconds"]
    return {"status": "measured", "sentences": n, "workers": workers, "local_seconds": round(local.seconds, 2),
            "ray_seconds": round(ray_seconds, 2), "ray_start_seconds": s["connect_seconds"],
            "local_rate": round(n / local.seconds, 1), "ray_rate": round(n / ray_seconds, 1),
            "ratio": round(local.seconds / ray_seconds, 3), "ratio_without_ray_start": round(local.seconds / without_start, 3),
            "pipeline_seconds": s["seconds"], "sentences_per_second_per_worker": s["sentences_per_second_per_worker"],
            "same_sentences": same, "max_vector_difference": diff}


def section(r: dict) -> list[str]:
    """``bench.md``'s section on the Ray build (empty without its figures)."""
    x = r.get("ray")
    if not x:
        return []
    if x.get("status") != "measured":
        return ["## Build on Ray", "", f"Skipped: {x.get('reason')}.", ""]
    met = "yes" if x["ratio"] >= 0.8 else "**no**"
    return ["## Build on Ray", "",
            f"SQuAD part A ({x['sentences']} sentences), built locally and then on a local Ray instance with "
            f"{x['workers']} workers (one ONNX model per actor), each into a fresh folder:", "",
            table(["", "local", "Ray"], [["whole build s", x["local_seconds"], x["ray_seconds"]],
                                          ["sentences/s", x["local_rate"], x["ray_rate"]]]), "",
            table(["target", "measured", "met"], [["Ray throughput ≥ 0.8 × local (whole builds)", x["ratio"], met]]), "",
            f"Without Ray's own start ({x['ray_start_seconds']} s): {x['ratio_without_ray_start']}. The pipeline "
            f"(splitting, actors' start, embedding, shards back) took {x['pipeline_seconds']} s, "
            f"{x['sentences_per_second_per_worker']} sentences/s per worker. Same sentence rows: {x['same_sentences']}; "
            f"largest vector difference: {x['max_vector_difference']:.1e}.", ""]
