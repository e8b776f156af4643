"""The evaluation-set gate: the real model on the seeds must meet eval/config.json's thresholds.

This is what ``make test`` holds the answerer to; the SQuAD benchmark is
slower and is run by ``qa eval --squad FILE`` (``make eval-squad``) instead.
"""

from __future__ import annotations

import json

import pytest

from qa.config import Config
from qa.evaluation.runner import EvalPaths, run_eval_set
from qa.evaluation.report import check_gate
from tests.conftest import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def eval_run(real_embedder, tmp_path_factory):
    config = json.loads((ROOT / "eval" / "config.json").read_text(encoding="utf-8"))
    paths = EvalPaths(ROOT / "seeds", ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "quotes.jsonl",
                      tmp_path_factory.mktemp("eval-runs"))
    return config, run_eval_set(paths, Config(), embedder=real_embedder, top_k=config.get("top_k", 5))


def test_the_assistant_passes_the_evaluation_gate(eval_run):
    config, run = eval_run
    assistant = run.systems[0]
    assert assistant.system == "assistant"
    assert check_gate(assistant.values, config["thresholds"]) == []


def test_every_system_quotes_verbatim_and_is_measured_on_every_question(eval_run):
    _, run = eval_run
    assert [s.system for s in run.systems] == ["assistant", "bm25", "dense", "langchain"]
    for s in run.systems:
        assert s.values["verbatim_span_rate"] == 1.0, s.system
        assert len(s.scores) == run.settings["questions"] >= 150


def test_the_readme_shows_this_run_s_figures(eval_run):
    """The README's ``qa eval`` example is this table's own rows, and its Limits quote the same figures."""
    from qa.evaluation.report import console_table, table_rows

    config, run = eval_run
    table = console_table(table_rows(run, config.get("targets", {}), config["thresholds"])).splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ qa eval\n", 1)[1].split("```", 1)[0].splitlines()
    rows = [line for line in example if line.startswith(("metric", "hit@", "MRR", "verbatim", "quote-verdict"))]
    assert len(rows) >= 5 and all(row in table for row in rows), [r for r in rows if r not in table]
    values = run.systems[0].values
    assert f"hit@1 {values['hit@1']:.3f} (evaluation set)" in " ".join(readme.split())
    assert f"{values['abstention_recall']:.0%} of the evaluation set's unanswerable questions are refused" in " ".join(readme.split())


@pytest.fixture(scope="module")
def natural_run(real_embedder, tmp_path_factory):
    config = json.loads((ROOT / "eval" / "config.json").read_text(encoding="utf-8"))
    paths = EvalPaths(ROOT / "seeds", ROOT / "eval" / "natural.jsonl", ROOT / "eval" / "quotes.jsonl",
                      tmp_path_factory.mktemp("natural-runs"))
    return config["natural"], run_eval_set(paths, Config(), embedder=real_embedder, top_k=config.get("top_k", 5), name="natural")


def test_the_assistant_passes_the_natural_questions_gate(natural_run):
    """The plain-question set nothing is fitted on: its own gate, figures per question shape."""
    section, run = natural_run
    assert run.name == "natural" and run.settings["questions"] >= 160
    assert check_gate(run.systems[0].values, section["thresholds"]) == []
    shapes = set(run.systems[0].by_group)
    assert {"speech", "person", "definition", "yesno", "why", "typed", "unanswerable_on_topic"} <= shapes


def test_the_readme_quotes_the_natural_set_s_own_figures(natural_run):
    _, run = natural_run
    v = run.systems[0].values
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (f"hit@1 is {v['hit@1']:.3f} and hit@3 {v['hit@3']:.3f}; {v['abstention_recall']:.0%} of its unanswerable "
            f"questions are refused, and {v['false_abstention_rate']:.0%} of the answerable ones") in readme
    assert f"`eval/natural.jsonl`, {run.settings['questions']} questions" in readme
