"""The other sets beside the first: what ``qa eval`` adds to report.md from the reports in its folder.

What it does: the first evaluation set's report (``report.md``) also shows,
from the JSON reports written into the same folder by ``qa eval --questions
eval/natural.jsonl`` and ``qa eval --squad FILE``, each set's headline figures
with the baselines and the targets, the natural set's figures per question
kind, and the table of what moved the figures (``moved.md`` of the same folder:
``eval/moved.md``, written by ``scripts/ablation_rules.py``), each with the
time its run was made -- so one file shows every set, and how fresh each part is.

What it does not do: run anything (each set has its own run and gate).

>>> headline_rows({"systems": {"assistant": {"label": "assistant", "values": {"hit@1": 0.8}}},
...                "targets": {"hit@1": {"target": "≥ 0.9", "met": False}}})
[['metric', 'assistant', 'target (aim)', 'met'], ['hit@1', '0.800', '≥ 0.9', '**no**']]
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from qa.evaluation.tables import NAMES, fmt, group_rows, markdown_table

HEADLINE = ("hit@1", "hit@3", "answer@1", "answer@3", "abstention_recall", "false_abstention_rate", "roc_auc",
            "high_passage_precision", "verbatim_span_rate")
OTHERS = (("natural", "natural_report", "Natural questions (held out: nothing is fitted on them)"),
          ("squad", "squad_report", "SQuAD 2.0 part A"))


def headline_rows(data: dict) -> list[list[str]]:
    """Metric rows of a JSON report: every system's value, the target and whether the assistant meets it."""
    systems = list(data["systems"].values())
    rows = [["metric"] + [s["label"] for s in systems] + ["target (aim)", "met"]]
    for metric in HEADLINE:
        if metric in systems[0]["values"]:
            target = data.get("targets", {}).get(metric)
            rows.append([NAMES.get(metric, metric)] + [fmt(s["values"].get(metric)) for s in systems]
                        + ([target["target"], "yes" if target["met"] else "**no**"] if target else ["", ""]))
    return rows


def kind_rows(data: dict, name: str) -> list[list[str]]:
    """The report's per-kind (or per-article) table, as ``qa.evaluation.tables.group_rows`` draws it."""
    systems = [SimpleNamespace(system=key, by_group=s["by_group"]) for key, s in data["systems"].items()]
    return group_rows(SimpleNamespace(name=name, systems=systems))


def overview(out_dir: Path, moved: Path | None = None) -> list[str]:
    """Markdown lines for the other sets' reports found in ``out_dir`` and the ``moved`` table, if any."""
    parts: list[str] = []
    for name, stem, title in OTHERS:
        path = out_dir / f"{stem}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        made = data.get("made", "")
        parts += [f"## {title}", "", f"From [{stem}.md]({stem}.md){' (' + made + ')' if made else ''}: "
                  f"{data['settings'].get('questions')} questions.", "", markdown_table(headline_rows(data)), ""]
        if name == "natural":
            parts += ["Per question kind:", "", markdown_table(kind_rows(data, name)), ""]
    if moved is not None and moved.is_file():
        parts += ["## What moved the figures", "", moved.read_text(encoding="utf-8").strip(), ""]
    return parts
