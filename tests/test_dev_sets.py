"""The plain-question sets: every evidence span is in its source, and the held-out set shares nothing with the
sets the confidence model is fitted on (``qa.evaluation.fit_confidence``'s defaults) or that rules were read from
(``eval/plain_dev5.jsonl``, which also judged whether to refit the model in session 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.config import Config
from qa.evaluation.cases import load_cases
from qa.ingest.documents import read_folder

ROOT = Path(__file__).resolve().parents[1]
FITTED = ("questions.jsonl", "plain_dev.jsonl", "plain_dev2.jsonl", "plain_dev3.jsonl", "plain_dev4.jsonl",
          "plain_dev5.jsonl")
HELD_OUT = "natural.jsonl"


@pytest.fixture(scope="module")
def sets():
    docs = {d.name: d for d in read_folder(ROOT / "seeds")[0]}
    return {name: load_cases(ROOT / "eval" / name, docs, Config().max_question_chars) for name in (*FITTED, HELD_OUT)}


def _plain(question: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", question.lower()).split())


@pytest.mark.parametrize("name", (*FITTED, HELD_OUT))
def test_every_answerable_question_has_its_evidence_in_the_sources_and_ids_are_unique(sets, name):
    cases = sets[name]
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.gold for c in cases if c.answerable)  # load_cases found each evidence span verbatim
    assert sum(not c.answerable for c in cases) >= 10


def test_the_held_out_set_asks_nothing_the_fitting_sets_ask(sets):
    fitted = {_plain(c.question) for name in FITTED for c in sets[name]}
    assert not fitted & {_plain(c.question) for c in sets[HELD_OUT]}

