"""One report shows every set (issue 13): the first set's report.md carries the natural set's and SQuAD's
headline figures and per-kind rows from the reports beside it, and the table of what moved the figures."""

from __future__ import annotations

import json
import shutil

from qa.evaluation.overview import overview
from tests.conftest import ROOT


def test_the_first_set_s_report_shows_the_other_sets_written_beside_it(tmp_path):
    for name in ("natural_report.json", "squad_report.json", "moved.md"):
        shutil.copy(ROOT / "eval" / name, tmp_path / name)
    text = "\n".join(overview(tmp_path, tmp_path / "moved.md"))
    natural = json.loads((ROOT / "eval" / "natural_report.json").read_text(encoding="utf-8"))
    hit1 = natural["systems"]["assistant"]["values"]["hit@1"]
    assert "## Natural questions" in text and f"| hit@1 | {hit1:.3f} |" in text
    assert "| typed |" in text and "## SQuAD 2.0 part A" in text and "| answer@1 |" in text
    assert "## What moved the figures" in text and "without compounds" in text


def test_without_other_reports_there_is_nothing_to_add(tmp_path):
    assert overview(tmp_path, tmp_path / "moved.md") == []


def test_the_committed_report_shows_both_sets_and_what_moved_them():
    report = (ROOT / "eval" / "report.md").read_text(encoding="utf-8")
    natural = json.loads((ROOT / "eval" / "natural_report.json").read_text(encoding="utf-8"))
    assert "# Evaluation report: Evaluation set" in report and "## Natural questions" in report
    assert f"({natural['made']})" in report  # the natural part is the natural report of the same folder, as made
    assert "## What moved the figures" in report
