"""The colleague-written quote cases (eval/quotes.jsonl) against the seeds.

Verification needs no embedding model, so the seeds are indexed with the
fake embedder in a temporary folder and opened the way `qa verify` opens
them (index only).
"""

from __future__ import annotations

import json
import re

import pytest

from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import build_index_folder
from qa.quotes.verify import open_index, verify_quote
from qa.ingest.textnorm import normalize
from tests.conftest import ROOT, SEEDS

CASES = [json.loads(line) for line in (ROOT / "eval" / "quotes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def words(text: str) -> list[str]:
    """The words of ``text`` after typographic folding, punctuation ignored (an independent check)."""
    return re.findall(r"\w+", normalize(text))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("quote-cases") / "index"
    build_index_folder(SEEDS, index_dir, Config(model="fake"), embedder=FakeEmbedder())
    return open_index(index_dir)


@pytest.fixture(scope="module")
def results(index):
    return [(case, verify_quote(index, case["quote"], case.get("speaker"))) for case in CASES]


def test_the_cases_cover_every_verdict():
    assert {c["expected_verdict"] for c in CASES} == {"verbatim", "verbatim_with_elision", "altered", "not_found"}


def test_verdict_accuracy_is_at_least_95_percent(results):
    wrong = [(c["id"], c["expected_verdict"], v.verdict) for c, v in results if v.verdict != c["expected_verdict"]]
    accuracy = 1 - len(wrong) / len(results)
    print(f"quote verdict accuracy: {accuracy:.3f} on {len(results)} cases")
    assert accuracy >= 0.95, wrong


def test_speaker_check_accuracy_is_reported_and_high(results):
    checked = [(c, v) for c, v in results if c["expected_speaker_check"] is not None]
    wrong = [(c["id"], c["expected_speaker_check"], v.speaker_check) for c, v in checked
             if v.speaker_check != c["expected_speaker_check"]]
    accuracy = 1 - len(wrong) / len(checked)
    print(f"speaker_check accuracy: {accuracy:.3f} on {len(checked)} cases")
    assert accuracy >= 0.9, wrong


def test_no_verbatim_verdict_for_a_quote_whose_words_differ_from_the_source(results):
    for case, v in results:
        if v.verdict == "verbatim":
            assert case["expected_verdict"] == "verbatim", case["id"]
            assert all(words(case["quote"]) == words(m.source_text) for m in v.matches), case["id"]


def test_altered_quotes_point_at_the_file_they_were_altered_from(results):
    for case, v in results:
        if v.verdict == "altered":
            assert v.matches[0].file == case["file"], case["id"]
            assert any(op.op != "equal" for op in v.matches[0].diff), case["id"]


def test_meaning_changes_are_flagged_for_negation_number_and_name_cases(results):
    for case, v in results:
        if case["kind"] in ("negation", "number", "name") and v.verdict == "altered":
            kinds = {c.kind for c in v.matches[0].meaning_changes}
            assert case["kind"] in kinds, (case["id"], kinds)


def test_every_match_and_conflict_passage_is_verbatim_from_its_file(index, results):
    for case, v in results:
        for m in v.matches:
            assert index.doc_by_name(m.file).text[m.start:m.end] == m.source_text, case["id"]
        for conflict in v.conflicts:
            for p in conflict["passages"]:
                assert index.doc_by_name(p["file"]).text[p["start"]:p["end"]] == p["quote"], case["id"]
