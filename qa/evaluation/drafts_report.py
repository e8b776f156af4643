"""``qa eval --drafts FILE``: the draft set's figures as a table, a report, and a gate.

What it does: opens (building it first if it is missing or stale) the
evaluation's own index of the seeds, checks every draft of the set
(``qa.evaluation.drafts``), prints the figures beside the issue's targets and
the gate thresholds of ``eval/config.json``'s section named after the set
(``drafts_heldout``), else its ``drafts`` section (a key ending in ``_max`` is an upper bound), writes ``drafts_report.md`` and
``drafts_report.json`` (every quotation: what was expected, what was found),
(``<set>_report`` for another set, e.g. ``drafts_heldout_report``), and returns 1 when the gate fails.

What it does not do: compute the figures (``qa.evaluation.drafts``) or embed
anything once the index is built.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from qa.evaluation.drafts import DRAFT_METRICS, NAMES, DraftFigures, load_drafts, run_drafts
from qa.evaluation.files import check_config_section, read_json
from qa.evaluation.tables import bound, check_gate, console_table, fmt, markdown_table, verdict


def draft_rows(figures: DraftFigures, targets: dict, thresholds: dict) -> list[list[str]]:
    """Header and one row per metric: the value, target and met, gate and passes."""
    rows = [["metric", "qa check", "target (aim)", "met", "gate (must)", "passes"]]
    for m in DRAFT_METRICS:
        value = figures.values[m]
        shown = f"{int(value)}" if m == "false_verbatim" else fmt(value)
        rows.append([NAMES[m], shown, (bound(m, targets) or ("", ""))[1], verdict(m, targets, value),
                     (bound(m, thresholds) or ("", ""))[1], verdict(m, thresholds, value)])
    return rows


def kind_rows(figures: DraftFigures) -> list[list[str]]:
    rows = [["kind of quotation", "n", "verdict accuracy", "speaker-check accuracy"]]
    return rows + [[k, str(int(g["n"])), fmt(g["verdict_accuracy"]), fmt(g["speaker_check_accuracy"])]
                   for k, g in figures.by_kind.items()]


def _misses(figures: DraftFigures) -> list[list[str]]:
    rows = [["draft", "quotation", "expected", "found"]]
    for r in figures.details:
        if not r["found"] or r["verdict"] != r["expected_verdict"] or r["speaker_check"] != r["expected_speaker_check"]:
            rows.append([r["draft"], " ".join(r["quote"].split())[:60], f"{r['expected_verdict']} / {r['expected_speaker_check']}",
                         f"{r['verdict']} / {r['speaker_check']}" if r["found"] else "not found in the draft"])
    return rows


def render_drafts_markdown(figures: DraftFigures, rows: list[list[str]], summary: str, source: Path) -> str:
    misses = _misses(figures)
    return "\n".join([
        "# Evaluation report: draft set (`qa check`)", "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `qa eval --drafts {source}`: {figures.drafts} drafts, "
        f"{figures.quotations} quotations, checked in {figures.seconds:.2f} s.", "", f"**{summary}**", "",
        markdown_table(rows), "", "## By kind of quotation", "", markdown_table(kind_rows(figures)), "",
        "## Quotations not as expected", "", markdown_table(misses) if len(misses) > 1 else "None.", ""])


def run_and_report_drafts(config_path: Path, out_dir: Path, drafts_path: Path, docs: Path, work: Path, cfg) -> int:
    """The ``qa eval --drafts`` command; 1 if the gate fails."""
    from qa.evaluation.runner import prepare_index
    from qa.quotes.verify import open_index

    config = read_json(config_path, "eval config")
    key = drafts_path.stem if isinstance(config.get(drafts_path.stem), dict) else "drafts"  # a set with its own gate
    section = config.get(key, {})
    check_config_section(config_path, section, key)
    drafts = load_drafts(drafts_path)  # input checked before the slow part
    prepare_index(docs, work / "seeds-index", cfg, None)  # the model loads only if the index must be built
    figures = run_drafts(open_index(work / "seeds-index"), drafts)
    thresholds, targets = section.get("thresholds", {}), section.get("targets", {})
    failures = check_gate(figures.values, thresholds)
    summary = (f"gate: {'passed' if not failures else 'FAILED'} ({len(thresholds)} thresholds of {config_path} ({key})"
               + (f"; {'; '.join(failures)}" if failures else "") + ")")
    rows = draft_rows(figures, targets, thresholds)
    print(f"Draft set: {figures.drafts} drafts, {figures.quotations} quotations in {figures.seconds:.2f} s\n")
    print(console_table(rows))
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{drafts_path.stem}_report"  # drafts_report, drafts_heldout_report
    (out_dir / f"{stem}.md").write_text(render_drafts_markdown(figures, rows, summary, drafts_path), encoding="utf-8")
    data = {"values": figures.values, "by_kind": figures.by_kind, "drafts": figures.drafts,
            "quotations": figures.quotations, "seconds": figures.seconds, "gate": {"passed": not failures,
            "failures": failures, "thresholds": thresholds}, "targets": targets, "details": figures.details}
    (out_dir / f"{stem}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out_dir}/: {stem}.md, {stem}.json")
    print(summary)
    return 0 if not failures else 1
