"""Report an evaluation run: console table, markdown, plots, JSON, and the gate.

What it does: renders an ``EvalRun`` (``qa.evaluation.runner`` / ``qa.evaluation.squad_runner``) with
the tables of ``qa.evaluation.tables`` -- every system side by side, the
assistant's targets (met or not) beside the gate thresholds of the eval
config (``eval/config.json``; passes or not) -- and writes ``<stem>.md``,
``<stem>.json`` and two plots (matplotlib, Agg backend): the
answerability-score distributions of answerable and unanswerable questions
per system, and hit@k (answer@k) per system. ``run_and_report`` is the whole
``qa eval`` command; it writes where it is told (the CLI's default is a run
folder git ignores) and closes with the gate's one-line summary.

What it does not do: run the systems or compute metrics.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from qa.evaluation.baselines import LABELS
from qa.evaluation.files import check_config_section, read_json
from qa.evaluation.overview import overview
from qa.evaluation.tables import (  # noqa: F401  (check_gate, console_table, table_rows: re-exported, the report's API)
    bound, check_gate, console_table, gate_summary, group_rows, judge, markdown_table, table_rows, verdict,
)

FILES = {"eval": ("report", "abstention.png", "hit_at_k.png"),
         "squad": ("squad_report", "squad_abstention.png", "squad_answer_at_k.png")}


def files_of(name: str) -> tuple[str, str, str]:
    """Report stem and plot names of a run: another question set ("natural") gets its own prefix."""
    return FILES.get(name) or (f"{name}_report", f"{name}_abstention.png", f"{name}_hit_at_k.png")


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
    ax.set_ylabel("answer@k" if run.name == "squad" else "hit@k")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def render_markdown(run, gate: dict, targets: dict, others: list[str] | None = None) -> str:
    """The markdown report of ``run``; ``gate`` is ``judge``'s; ``others``: the other sets' sections
    (``qa.evaluation.overview``), shown before the run time."""
    stem, abstention_png, curve_png = files_of(run.name)
    thresholds = ", ".join(f"{s.system} {s.threshold:.3f}" for s in run.systems if s.threshold is not None)
    parts = [f"# Evaluation report: {run.title}", "", f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `qa eval`. Settings: "
             + ", ".join(f"{k} {v}" for k, v in run.settings.items()) + ".", "",
             f"**{gate_summary(gate)}**", "",
             "## Systems side by side", "", markdown_table(table_rows(run, targets, gate["thresholds"])), "",
             "*target (aim)*: the issue's target; *met*: whether the assistant meets it. *gate (must)*: the threshold "
             "`qa eval` fails on (the achieved level where the target is not met yet); *passes*: whether the assistant "
             "is within it. The gate passes when every threshold does, met targets or not. Abstention thresholds on the score: "
             f"{thresholds} (the assistant's is its own calibrated rule; each baseline's is the *oracle* threshold that "
             "maximises abstention accuracy on this very set, which flatters the baselines). "
             "'ignoring abstention' ranks the passages the assistant would show had it answered.", "",
             "## By " + ("article and question shape" if run.name == "squad" else "question kind"), "", markdown_table(group_rows(run)), "",
             f"![abstention score distributions]({abstention_png})", "", f"![{'hit' if run.name == 'eval' else 'answer'}@k]({curve_png})", "",
             *(others or []), "## Run time (seconds)", "", markdown_table([["step", "seconds"]] + [[k, f"{v:.1f}"] for k, v in run.seconds.items()]), ""]
    return "\n".join(parts)


def write_report(run, out_dir: Path, gate: dict, targets: dict) -> list[Path]:
    """Write the markdown, JSON and plots of ``run`` into ``out_dir``; their paths."""
    stem, abstention_png, curve_png = files_of(run.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    plot_abstention(run, out_dir / abstention_png)
    plot_curve(run, out_dir / curve_png)
    # the first set's report shows the other sets' reports of the same folder too (issue 13: one file, every set)
    others = overview(out_dir, out_dir / "moved.md") if run.name == "eval" else []
    (out_dir / f"{stem}.md").write_text(render_markdown(run, gate, targets, others), encoding="utf-8")
    data = {"title": run.title, "made": time.strftime("%Y-%m-%d %H:%M"), "settings": run.settings, "seconds": run.seconds,
            "gate": gate,
            "targets": {m: {"target": bound(m, targets)[1], "met": verdict(m, targets, run.systems[0].values.get(m)) == "yes"}
                        for m in run.metrics if bound(m, targets)},
            "systems": {s.system: {"label": LABELS[s.system], "values": s.values, "curve": s.curve,
                                   "threshold": s.threshold, "by_group": s.by_group} for s in run.systems},
            "assistant_questions": run.details}
    (out_dir / f"{stem}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [out_dir / f"{stem}.md", out_dir / f"{stem}.json", out_dir / abstention_png, out_dir / curve_png]


def run_and_report(cfg, config_path: Path, out_dir: Path, paths=None, squad: Path | None = None,
                   limit: int | None = None, embedder=None) -> int:
    """The ``qa eval`` command: run, print the table, write the report into ``out_dir``, say where; 1 if the gate fails."""
    from qa.evaluation.runner import EvalPaths, run_eval_set, run_name

    config = read_json(config_path, "eval config")
    paths, top_k = paths or EvalPaths(), config.get("top_k", 5)
    key = "squad" if squad else run_name(paths.questions, config)  # a question set with its own section
    section = config.get(key, {}) if key != "eval" else config
    check_config_section(config_path, section, key if key != "eval" else "top level")
    if squad:
        from qa.evaluation.squad_runner import run_squad

        limit = section.get("limit") if limit is None else limit
        run = run_squad(squad, cfg, paths.work, embedder, limit or None, section.get("seed", 0), top_k)
    else:
        run = run_eval_set(paths, cfg, embedder, top_k, key)
    targets = section.get("targets", {})
    gate = judge(run, section.get("thresholds", {}), targets, f"{config_path}" + (f" ({key})" if key != "eval" else ""))
    print(f"{run.title}: {run.settings.get('questions')} questions in {run.seconds['total']:.1f} s\n")
    print(console_table(table_rows(run, targets, gate["thresholds"])))
    written = write_report(run, out_dir, gate, targets)
    print(f"\nwrote {out_dir}/: " + ", ".join(p.name for p in written))
    print(gate_summary(gate))
    return 0 if gate["passed"] else 1
