"""The draft set (eval/drafts.jsonl) is what it claims, and `qa check` meets issue 18's targets on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.evaluation.drafts import draft_figures, load_drafts, run_drafts, same_words
from qa.evaluation.files import EvalFileError
from qa.evaluation.tables import check_gate
from qa.quotes.drafts import Quotation
from tests.conftest import ROOT, SEEDS

DRAFTS = ROOT / "eval" / "drafts.jsonl"
KINDS = {"verbatim", "fragment", "elision", "reworded", "negation", "number", "name", "invented", "misattributed"}


def test_the_set_has_15_drafts_60_quotations_and_every_kind_the_issue_names():
    drafts = load_drafts(DRAFTS)
    quotations = [q for d in drafts for q in d["quotations"]]
    assert len(drafts) >= 15 and len(quotations) >= 60
    assert KINDS <= {q["kind"] for q in quotations}
    assert {q["verdict"] for q in quotations} == {"verbatim", "verbatim_with_elision", "altered", "not_found"}
    assert {q["speaker_check"] for q in quotations} == {"confirmed", "contradicted", "unknown", None}


def test_every_evidence_string_is_verbatim_in_its_source_and_invented_quotes_have_none():
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir()}
    for d in load_drafts(DRAFTS):
        for q in d["quotations"]:
            if q["verdict"] == "not_found":
                assert q["evidence"] is None and q["file"] is None, q["quote"]
            else:
                assert q["evidence"] in texts[q["file"]], (d["id"], q["evidence"])
                # a verbatim quotation holds the evidence's words; an altered one does not
                assert same_words(Quotation(0, 0, (), q["quote"]).words, q["evidence"]) == (
                    q["verdict"] == "verbatim"), (d["id"], q["quote"])


def test_a_quotation_not_in_its_drafts_text_is_refused(tmp_path):
    bad = {"id": "x", "text": "He said “yes.”", "quotations": [{"quote": "no", "verdict": "verbatim", "kind": "verbatim"}]}
    (tmp_path / "d.jsonl").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(EvalFileError, match="is not in the draft's text"):
        load_drafts(tmp_path / "d.jsonl")


def test_the_figures_count_a_missed_quotation_against_recall_verdict_and_speaker():
    rows = [{"found": True, "verdict": "verbatim", "expected_verdict": "verbatim", "speaker_check": None,
             "expected_speaker_check": None, "flags": [], "expected_flag": None},
            {"found": False, "verdict": None, "expected_verdict": "altered", "speaker_check": None,
             "expected_speaker_check": None, "flags": [], "expected_flag": "number"},
            {"found": True, "verdict": "verbatim", "expected_verdict": "altered", "speaker_check": "confirmed",
             "expected_speaker_check": "confirmed", "flags": [], "expected_flag": None}]
    values = draft_figures(rows, found_total=4)
    assert values == {"finding_recall": 2 / 3, "finding_precision": 0.5, "verdict_accuracy": 1 / 3,
                      "speaker_check_accuracy": 2 / 3, "flag_recall": 0.0, "false_verbatim": 1.0}


@pytest.mark.integration
def test_qa_check_meets_the_issue_targets_on_the_draft_set(real_seed_index_dir):
    from qa.quotes.verify import open_index

    figures = run_drafts(open_index(real_seed_index_dir), load_drafts(DRAFTS))
    section = json.loads(Path(ROOT / "eval" / "config.json").read_text(encoding="utf-8"))["drafts"]
    assert check_gate(figures.values, section["thresholds"]) == []
    assert figures.values["false_verbatim"] == 0
    right = sum(r["speaker_check"] == r["expected_speaker_check"] and r["found"] for r in figures.details)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"every verdict and {right} of {figures.quotations} speaker checks right" in readme
    assert figures.values["verdict_accuracy"] == 1.0 and figures.values["finding_recall"] == 1.0


@pytest.mark.integration
def test_the_held_out_figures_are_those_the_readme_and_its_gate_give(real_seed_index_dir):
    from qa.quotes.verify import open_index

    figures = run_drafts(open_index(real_seed_index_dir), load_drafts(ROOT / "eval" / "drafts_heldout.jsonl"))
    section = json.loads(Path(ROOT / "eval" / "config.json").read_text(encoding="utf-8"))["drafts_heldout"]
    assert check_gate(figures.values, section["thresholds"]) == []
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"only {round(100 * figures.values['speaker_check_accuracy'])}% of speaker checks" in readme
    assert "still finds every quotation and gets every verdict right" in readme
    assert figures.values["finding_recall"] == figures.values["verdict_accuracy"] == 1.0


def test_qa_eval_drafts_writes_its_report_and_exits_1_when_the_gate_fails(tmp_path, capsys, monkeypatch):
    import qa.index.build
    from qa.cli import run
    from qa.index.fake import FakeEmbedder

    monkeypatch.setattr(qa.index.build, "load_embedder", lambda *a, **k: FakeEmbedder())  # verification embeds nothing
    argv = ["eval", "--drafts", str(DRAFTS), "--work", str(tmp_path / "work"), "--out", str(tmp_path / "out")]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "Draft set: " in out and "quotations found (recall)" in out and out.rstrip().endswith("(drafts))")
    report = json.loads((tmp_path / "out" / "drafts_report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] and len(report["details"]) == report["quotations"] >= 60
    strict = json.loads((ROOT / "eval" / "config.json").read_text(encoding="utf-8"))
    strict["drafts"]["thresholds"]["speaker_check_accuracy"] = 1.01  # no run reaches it
    (tmp_path / "strict.json").write_text(json.dumps(strict), encoding="utf-8")
    assert run(argv + ["--config", str(tmp_path / "strict.json")]) == 1
    assert "gate: FAILED" in capsys.readouterr().out
