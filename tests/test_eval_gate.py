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
