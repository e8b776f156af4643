"""Report an evaluation run: console table, markdown, plots, JSON, and the gate.

What it does: renders an ``EvalRun`` (``qa.evaluation.runner`` / ``qa.evaluation.squad_runner``) as
a side-by-side table of every system, marks which of the configured targets
the assistant meets, checks the assistant against the gate thresholds of the
eval config (``eval/config.json``; a key ending in ``_max`` is an upper
bound), and writes ``<stem>.md``, ``<stem>.json`` and two plots (matplotlib,
Agg backend): the answerability-score distributions of answerable and
unanswerable questions per system, and hit@k (answer@k) per system.
``run_and_report`` is the whole ``qa eval`` command.

What it does not do: run the systems or compute metrics.

>>> check_gate({"hit@1": 0.8, "false_abstention_rate": 0.1}, {"hit@1": 0.9, "false_abstention_rate_max": 0.05})
['hit@1 = 0.800 < 0.900', 'false_abstention_rate = 0.100 > 0.050']
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from qa.evaluation.baselines import LABELS
from qa.evaluation.files import check_config_section, read_json

FILES = {"eval": ("report", "abstention.png", "hit_at_k.png"),
         "squad": ("squad_report", "squad_abstention.png", "squad_answer_at_k.png")}
NAMES = {"mrr": "MRR", "paragraph_accuracy": "paragraph accuracy (top 1)", "abstention_precision": "abstention precision",
         "abstention_recall": "unanswerable abstained (recall)", "false_abstention_rate": "answerable abstained (false)",
         "abstention_accuracy": "abstention accuracy at threshold", "roc_auc": "abstention ROC-AUC",
         "mean_quote_length": "mean quote length (words, top 3)", "verbatim_span_rate": "verbatim span rate",
         "quote_verdict_accuracy": "quote-verdict accuracy (qa verify)",
         "speaker_check_accuracy": "speaker-check accuracy (qa verify)", "ranked_hit@1": "hit@1 ignoring abstention",
         "ranked_hit@3": "hit@3 ignoring abstention", "ranked_answer@1": "answer@1 ignoring abstention",
         "ranked_answer@3": "answer@3 ignoring abstention", "paragraph@1": "paragraph@1"}


def check_gate(values: dict, thresholds: dict) -> list[str]:
    """Failures of ``values`` against ``thresholds``; a metric not measured (None) is skipped."""
    failures = []
    for key, limit in thresholds.items():
        name, upper = (key[:-4], True) if key.endswith("_max") else (key, False)
        value = values.get(name)
        if value is not None and (value > limit if upper else value < limit):
            failures.append(f"{name} = {value:.3f} {'>' if upper else '<'} {limit:.3f}")
    return failures


def _fmt(value) -> str:
    return "n/a" if value is None else (f"{value:.1f}" if value > 1.0 else f"{value:.3f}")


def _bound(metric: str, limits: dict) -> tuple[str, str] | None:
    """(key, "≥ x" / "≤ x") of ``metric`` in ``limits`` (targets or gate thresholds), or None."""
    for key, op in ((metric, "≥"), (metric + "_max", "≤")):
        if key in limits:
            return key, f"{op} {limits[key]}"
    return None


def _met(metric: str, targets: dict, value) -> str:
    bound = _bound(metric, targets)
    if bound is None or value is None:
        return "" if bound is None else "n/a"
    return "yes" if not check_gate({metric: value}, {bound[0]: targets[bound[0]]}) else "**no**"


def table_rows(run, targets: dict, thresholds: dict) -> list[list[str]]:
    """Header and one row per metric: each system's value, the target, met, the gate threshold."""
    rows = [["metric"] + [LABELS[s.system] for s in run.systems] + ["target", "met", "gate"]]
    for metric in run.metrics:
        values = [s.values.get(metric) for s in run.systems]
        rows.append([NAMES.get(metric, metric)] + [_fmt(v) for v in values]
                    + [(_bound(metric, targets) or ("", ""))[1], _met(metric, targets, values[0]),
                       (_bound(metric, thresholds) or ("", ""))[1]])
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a markdown table (first row is the header).

    >>> print(markdown_table([["a", "b"], ["1", "2"]]))
    | a | b |
    |---|---|
    | 1 | 2 |
    """
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * len(rows[0])] + lines[1:])


def console_table(rows: list[list[str]]) -> str:
    """Rows as aligned plain text."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.replace("**", "").ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def group_rows(run) -> list[list[str]]:
    """Per question kind (eval set) or article (SQuAD): the assistant's figures, and hit@1/answer@1 of all."""
    first = run.systems[0].by_group
    keys = sorted({k for g in first.values() for k in g if k != "n"})
    top1 = "hit@1" if run.name == "eval" else "answer@1"
    head = ["group", "n"] + [f"assistant {k}" for k in keys] + [f"{LABELS[s.system]} {top1}" for s in run.systems[1:]]
    rows = [head]
    for group, figures in first.items():
        rows.append([group, str(figures["n"])] + [_fmt(figures.get(k)) if k in figures else "" for k in keys]
                    + [_fmt(s.by_group[group].get(top1)) if top1 in s.by_group[group] else "" for s in run.systems[1:]])
    return rows


def plot_abstention(run, path: Path) -> None:
    """Histograms of the answerability score, answerable vs unanswerable, one panel per system."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(run.systems), figsize=(4 * len(run.systems), 3.2))
    for ax, s in zip(axes, run.systems):
        bins = np.linspace(min(s.scores, default=0.0), max(s.scores, default=1.0) + 1e-9, 26)
        for label, want in (("answerable", True), ("unanswerable", False)):
            ax.hist([x for x, y in zip(s.scores, s.answerable) if y == want], bins=bins, alpha=0.55, label=label)
        if s.threshold is not None:
            ax.axvline(s.threshold, color="k", linestyle="--", linewidth=1)
        ax.set_title(LABELS[s.system], fontsize=9)
        ax.set_xlabel("answerability score" if s.system == "assistant" else "top score")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_curve(run, path: Path) -> None:
    """hit@k (answer@k) for k = 1..top_k, one line per system."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for s in run.systems:
        ax.plot(range(1, len(s.curve) + 1), s.curve, marker="o", label=LABELS[s.system])
    ax.set_xlabel("k")
    ax.set_xticks(range(1, max(len(s.curve) for s in run.systems) + 1))
    ax.set_ylabel("hit@k" if run.name == "eval" else "answer@k")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def render_markdown(run, gate: dict, targets: dict) -> str:
    """The markdown report of ``run``; ``gate`` holds thresholds and failures."""
    stem, abstention_png, curve_png = FILES[run.name]
    verdict = "PASSED" if not gate["failures"] else "FAILED: " + "; ".join(gate["failures"])
    thresholds = ", ".join(f"{s.system} {s.threshold:.3f}" for s in run.systems if s.threshold is not None)
    parts = [f"# Evaluation report: {run.title}", "", f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `qa eval`. Settings: "
             + ", ".join(f"{k} {v}" for k, v in run.settings.items()) + ".", "",
             f"**Gate ({len(gate['thresholds'])} thresholds of eval/config.json): {verdict}**", "",
             "## Systems side by side", "", markdown_table(table_rows(run, targets, gate["thresholds"])), "",
             "*target*: the issue's target; *met*: whether the assistant meets it; *gate*: the threshold `qa eval` "
             "fails on (the achieved level where the target is not met yet). Abstention thresholds on the score: "
             f"{thresholds} (the assistant's is its own calibrated rule; each baseline's is the *oracle* threshold that "
             "maximises abstention accuracy on this very set, which flatters the baselines). "
             "'ignoring abstention' ranks the passages the assistant would show had it answered.", "",
             "## By " + ("question kind" if run.name == "eval" else "article"), "", markdown_table(group_rows(run)), "",
             f"![abstention score distributions]({abstention_png})", "", f"![{'hit' if run.name == 'eval' else 'answer'}@k]({curve_png})", "",
             "## Run time (seconds)", "", markdown_table([["step", "seconds"]] + [[k, f"{v:.1f}"] for k, v in run.seconds.items()]), ""]
    return "\n".join(parts)


def write_report(run, out_dir: Path, gate: dict, targets: dict) -> list[Path]:
    """Write the markdown, JSON and plots of ``run`` into ``out_dir``; their paths."""
    stem, abstention_png, curve_png = FILES[run.name]
    out_dir.mkdir(parents=True, exist_ok=True)
    plot_abstention(run, out_dir / abstention_png)
    plot_curve(run, out_dir / curve_png)
    (out_dir / f"{stem}.md").write_text(render_markdown(run, gate, targets), encoding="utf-8")
    data = {"title": run.title, "settings": run.settings, "seconds": run.seconds, "gate": gate,
            "targets": {m: {"target": _bound(m, targets)[1], "met": _met(m, targets, run.systems[0].values.get(m)) == "yes"}
                        for m in run.metrics if _bound(m, targets)},
            "systems": {s.system: {"label": LABELS[s.system], "values": s.values, "curve": s.curve,
                                   "threshold": s.threshold, "by_group": s.by_group} for s in run.systems},
            "assistant_questions": run.details}
    (out_dir / f"{stem}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [out_dir / f"{stem}.md", out_dir / f"{stem}.json", out_dir / abstention_png, out_dir / curve_png]


def run_and_report(cfg, config_path: Path, out_dir: Path, paths=None, squad: Path | None = None,
                   limit: int | None = None, embedder=None) -> int:
    """The ``qa eval`` command: run, print the table, write the report; 1 if the gate fails."""
    config = read_json(config_path, "eval config")
    section = config.get("squad", {}) if squad else config
    check_config_section(config_path, section, "squad" if squad else "top level")
    from qa.evaluation.runner import EvalPaths, run_eval_set

    paths, top_k = paths or EvalPaths(), config.get("top_k", 5)
    if squad:
        from qa.evaluation.squad_runner import run_squad

        limit = section.get("limit") if limit is None else limit
        run = run_squad(squad, cfg, paths.work, embedder, limit or None, section.get("seed", 0), top_k)
    else:
        run = run_eval_set(paths, cfg, embedder, top_k)
    gate = {"thresholds": section.get("thresholds", {})}
    gate.update(failures=check_gate(run.systems[0].values, gate["thresholds"]), passed=None)
    gate["passed"] = not gate["failures"]
    print(f"{run.title}: {run.settings.get('questions')} questions in {run.seconds['total']:.1f} s\n")
    print(console_table(table_rows(run, section.get("targets", {}), gate["thresholds"])))
    written = write_report(run, out_dir, gate, section.get("targets", {}))
    print("\nwrote " + ", ".join(str(p) for p in written))
    print("gate: passed" if gate["passed"] else "gate FAILED: " + "; ".join(gate["failures"]))
    return 0 if gate["passed"] else 1
