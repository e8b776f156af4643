"""Write the figures of ``qa bench`` as ``bench.md`` (tables), ``bench.json`` and ``bench.png``.

What it does: checks the figures against the issue's targets, renders one
markdown table per measurement and a three-panel plot (latency by path;
latency and memory against collection size).

What it does not do: measure anything (``qa.bench.run`` and ``qa.bench.scale`` do).

>>> table(["a", "b"], [[1, None]])
'| a | b |\\n|---|---|\\n| 1 | – |'
"""

from __future__ import annotations

import json
from pathlib import Path

REAL_VS_SYNTHETIC = (
    "**What is real and what is synthetic.** Seeds and SQuAD: real text, real model, real index, real questions. "
    "Scaling, real collections (10k, 100k sentences): the SQuAD articles copied until they hold that many sentences "
    "(real text; each copy's title line says `(copy N)`), indexed by the real `build_index_folder` -- real sentence "
    "splitting, BM25, FAISS choice, checksummed save and load -- with each sentence's *real* vector replayed plus "
    "small noise instead of re-encoding it (embedding time is estimated from the measured encode rate); questions are "
    "real SQuAD questions embedded by the model. Search stage (10k..1M): synthetic unit vectors in two-level clusters "
    "around the real SQuAD sentence vectors, queried with real question vectors. A passage here is one sentence, the "
    "unit the dense index holds.")


def _get(d: dict, path: str, default=None):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows])


def _search_at(r: dict, n: int) -> dict:
    return next((s for s in _get(r, "scale.search", []) if s.get("n") == n), {})


def _real_at(r: dict, n: int) -> dict:
    return next((s for s in _get(r, "scale.real", []) if abs(s.get("sentences", 0) - n) < n * 0.05), {})


def targets(r: dict) -> list[list]:
    """[target, measured, met] rows; met is None when not measured."""
    s1m, r100k = _search_at(r, 1_000_000), _real_at(r, 100_000)
    rows = [
        ("library p50 ≤ 25 ms (seeds, warm)", _get(r, "seeds.library.ask.p50_ms"), lambda v: v <= 25),
        ("library p95 ≤ 50 ms (seeds, warm)", _get(r, "seeds.library.ask.p95_ms"), lambda v: v <= 50),
        ("HTTP API p50 ≤ 100 ms (two HTTP requests per question)", _get(r, "seeds.http.raw_http.p50_ms"), lambda v: v <= 100),
        ("cold start to first answer ≤ 6 s (median)", _get(r, "seeds.cold_start.first_answer_seconds.p50_ms"), lambda v: v <= 6000),
        ("`qa --help` ≤ 0.5 s (median)", _get(r, "seeds.cold_start.help_seconds.p50_ms"), lambda v: v <= 500),
        ("build ≥ 90% of raw encode (SQuAD 1.6k sentences; separate runs)", _get(r, "squad.build.ratio"), lambda v: v >= 0.9),
        ("  the same, as the embedding's share of one build", _get(r, "squad.build.embedding_share_of_build"), lambda v: v >= 0.9),
        ("build ≥ 90% of raw encode (seeds; separate runs)", _get(r, "seeds.build.ratio"), lambda v: v >= 0.9),
        ("per question ≤ LangChain peer (p50 ratio, seeds)", _get(r, "seeds.peer.ratio_p50"), lambda v: v <= 1.0),
        ("1M search p50 ≤ 10 ms", _get(s1m, "chosen_latency.p50_ms"), lambda v: v <= 10),
        ("1M recall@10 ≥ 0.95 (own vectors, at build)", _get(s1m, "chosen.recall_at_10"), lambda v: v >= 0.95),
        ("1M recall@10 ≥ 0.95 (real questions)", _get(s1m, "recall_at_10_real_questions"), lambda v: v >= 0.95),
        ("1M index memory ≤ 1 GiB (MiB)", _mib(_get(s1m, "chosen.bytes")), lambda v: v <= 1024),
        ("100k real end to end p50 ≤ 60 ms", _get(r100k, "ask.p50_ms"), lambda v: v <= 60),
    ]
    return [[name, value, None if value is None else ("yes" if ok(value) else "**no**")] for name, value, ok in rows]


def _mib(n) -> float | None:
    return None if n is None else round(n / 2**20, 1)


def latency_rows(c: dict) -> list[list]:
    paths = [("library: `Assistant.ask`", "library.ask"), ("  of which: question embedding", "library.embed"),
             ("CLI: `qa ask --json -` (per answer line)", "cli"), ("HTTP API: POST `/gradio_api/call/ask` + GET result", "http.raw_http"),
             ("HTTP API through `gradio_client.Client.predict`", "http.gradio_client"),
             ("LangChain recipe (embedding via sentence-transformers)", "peer.langchain"),
             ("LangChain recipe (our embedding)", "peer.langchain_our_embedding"),
             ("assistant, interleaved with the peer", "peer.assistant")]
    rows = []
    for label, key in paths:
        v = _get(c, key)
        if v is not None:
            rows.append([label, v.get("p50_ms"), v.get("p95_ms"), v.get("mean_ms"), v.get("n") or v.get("reason")])
    return rows


def collection_section(name: str, c: dict) -> list[str]:
    b, out = c["build"], [f"## {name}", ""]
    note = f" {c['note']}." if c.get("note") else ""
    out += [f"Dense index: {c.get('dense_index')}.{note} Warm per-question latency (ms):", "",
            table(["path", "p50", "p95", "mean", "n"], latency_rows(c)), ""]
    if _get(c, "http.status") == "pending":
        out += [f"HTTP API: pending -- {c['http']['reason']}", ""]
    if "cli" in c:
        cli = c["cli"]
        out += [f"CLI batch: start-up alone (empty input) {cli['startup_seconds']} s; {cli['answers']} answers in "
                f"{cli['total_seconds']} s; (total − start-up) / count = {cli['per_question_ms']} ms per question.", ""]
    if "embedding" in c:
        e = c["embedding"]
        out += ["Question embedding, before (sentence-transformers `encode`, torch default threads) and after "
                "(what `qa ask` uses: the index's ONNX encoder, one thread), interleaved question by question (ms):", "",
                table(["", "p50", "p95", "mean"], [["before", e["before"]["p50_ms"], e["before"]["p95_ms"], e["before"]["mean_ms"]],
                                                   ["after", e["after"]["p50_ms"], e["after"]["p95_ms"], e["after"]["mean_ms"]]]),
                "", f"Speed-up at p50: ×{e['speed_up_p50']}; largest difference between the vectors: {e['max_abs_difference']:.1e}.", ""]
    stages = ", ".join(f"{k} {v} s" for k, v in b["stages_last_build"].items())
    out += ["Build throughput (best of the repetitions, model already loaded):", "",
            table(["sentences", "build s", "build sentences/s", "raw encode s", "raw encode sentences/s", "build / raw",
                   "embedding share of a build"],
                  [[b["sentences"], b["build_seconds"], b["build_rate"], b["encode_seconds"], b["encode_rate"], b["ratio"],
                    b.get("embedding_share_of_build")]]),
            "", f"Build stages (last build): {stages}.", ""]
    if "build_memory" in c:
        m = c["build_memory"]
        out += [f"A child `qa index` (imports and model load included): {m['wall_seconds']} s, peak RSS {m['peak_rss_mib']} MiB.", ""]
    if "cold_start" in c:
        cs = c["cold_start"]
        out += [f"Cold start to first answer (new `qa ask` process, index on disk): median {cs['first_answer_seconds']['p50_ms'] / 1000:.2f} s "
                f"over {cs['first_answer_seconds']['n']} runs; `qa --help`: median {cs['help_seconds']['p50_ms'] / 1000:.2f} s "
                f"(imports torch: {'yes' if cs['help_imports_torch'] else 'no'}).", ""]
    p = c["peer"]
    out += [f"LangChain peer: {p['chunks']} chunks; assistant p50 / peer p50 = {p['ratio_p50']} "
            f"(below 1: the assistant is faster).", ""]
    return out


def scale_section(s: dict) -> list[str]:
    real = [[p.get("sentences"), _get(p, "dense_index.type"), p.get("build_seconds_without_embedding"), p.get("estimated_embedding_seconds"),
             p.get("peak_rss_build_mib"), p.get("load_seconds"), p.get("checksum_seconds"), p.get("index_disk_mib"),
             p.get("rss_model_mib"), p.get("rss_load_delta_mib"), p.get("peak_rss_serve_mib"),
             _get(p, "ask.p50_ms"), _get(p, "ask.p95_ms"), _get(p, "embed.p50_ms")]
            for p in s.get("real", [])]
    search = [[x.get("n"), _get(x, "flat_ip.p50_ms"), _get(x, "exact.p50_ms"), _mib(_get(x, "exact.bytes")), _get(x, "chosen.type"),
               _params(x.get("chosen", {})), _get(x, "chosen_latency.p50_ms"), _get(x, "chosen_latency.p95_ms"),
               _get(x, "chosen.recall_at_10"), _get(x, "chosen.recall_at_10_blended_queries"),
               x.get("recall_at_10_real_questions"), _mib(_get(x, "chosen.bytes")),
               _get(x, "chosen.build_seconds"), x.get("rss_mmap_load_delta_mib"), x.get("checksum_seconds")]
              for x in s.get("search", [])]
    errors = [str(x["error"]) for x in s.get("real", []) + s.get("search", []) if "error" in x]
    return ["## Scaling", "", REAL_VS_SYNTHETIC, "", "Real collections, end to end (library, warm):", "",
            table(["sentences", "dense index", "build s (no embedding)", "embedding s (estimated)", "build peak RSS MiB",
                   "load s", "SHA-256 of its files s", "index on disk MiB", "RSS model loaded MiB", "RSS added by load MiB",
                   "serving peak RSS MiB", "ask p50 ms", "ask p95 ms", "embed p50 ms"], real), "",
            "Search stage alone (one query at a time, k=60 as the assistant asks; synthetic vectors):", "",
            table(["vectors", "IndexFlatIP p50 ms", "exact one-list p50 ms", "exact MiB", "chosen", "parameters", "p50 ms", "p95 ms", "recall@10 own",
                   "recall@10 blends", "recall@10 questions", "index MiB", "build s", "mmap load RSS MiB", "SHA-256 s"],
                  search), ""] + \
        ([f"Errors: {'; '.join(errors)}", ""] if errors else [])


def _params(info: dict) -> str:
    return ", ".join(f"{k}={info[k]}" for k in ("nlist", "nprobe", "quantizer") if k in info)


def markdown(r: dict) -> str:
    out = ["# Performance and scale", "",
           f"Made by `{r.get('command', 'qa bench')}` in {r['seconds']} s on {r['machine_at_start']['cpus']} cores "
           f"(load average at start {r['machine_at_start']['load_average']}, at end {r['machine_at_end']['load_average']}: "
           "the machine is shared, so compare figures within this run). All latencies in milliseconds unless marked.", "",
           "## Targets", "", table(["target", "measured", "met"], targets(r)), ""]
    out += collection_section("Seeds", r["seeds"])
    if "squad" in r:
        out += collection_section("SQuAD articles (8 articles, real embedding)", r["squad"])
    if "scale" in r:
        out += scale_section(r["scale"])
    out += ["![latency and scaling](bench.png)", ""]
    return "\n".join(out)


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    rows = latency_rows(r["seeds"])
    axes[0].barh([x[0].strip() for x in rows][::-1], [x[1] or 0 for x in rows][::-1], label="p50")
    axes[0].barh([x[0].strip() for x in rows][::-1], [(x[2] or 0) - (x[1] or 0) for x in rows][::-1],
                 left=[x[1] or 0 for x in rows][::-1], alpha=0.4, label="p95")
    axes[0].set(title="Seeds: warm per-question latency", xlabel="ms")
    axes[0].legend()
    search, real = _get(r, "scale.search", []), _get(r, "scale.real", [])
    ns = [x["n"] for x in search if "n" in x]
    axes[1].loglog(ns, [_get(x, "flat_ip.p50_ms") for x in search if "n" in x], "o:", label="IndexFlatIP p50")
    axes[1].loglog(ns, [_get(x, "exact.p50_ms") for x in search if "n" in x], "o-", label="exact one-list p50")
    axes[1].loglog(ns, [_get(x, "chosen_latency.p50_ms") for x in search if "n" in x], "s-", label="chosen index p50")
    axes[1].loglog([p["sentences"] for p in real if "sentences" in p], [_get(p, "ask.p50_ms") for p in real if "sentences" in p],
                   "^-", label="real collection, whole ask p50")
    axes[1].set(title="Latency against size", xlabel="passages (sentences)", ylabel="ms")
    axes[1].legend()
    axes[2].loglog(ns, [_mib(_get(x, "exact.bytes")) for x in search if "n" in x], "o-", label="exact index MiB")
    axes[2].loglog(ns, [_mib(_get(x, "chosen.bytes")) for x in search if "n" in x], "s-", label="chosen index MiB")
    axes[2].loglog(ns, [_get(x, "chosen.build_seconds") for x in search if "n" in x], "x--", label="chosen index build s")
    axes[2].set(title="Memory and build time against size", xlabel="vectors")
    axes[2].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(r: dict, out: Path) -> None:
    """``bench.md``, ``bench.json`` and ``bench.png`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    r["targets"] = targets(r)
    (out / "bench.json").write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    (out / "bench.md").write_text(markdown(r), encoding="utf-8")
    plot(r, out / "bench.png")
