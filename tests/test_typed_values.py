"""Typed questions read their values by rule (qa.answer.values, qa.answer.places): no entity model, so a cold
typed question loads neither spaCy nor torch (issue 17), and the rules read what spaCy read (issue 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.answer.places import place_positions
from qa.answer.values import value_positions

ROOT = Path(__file__).resolve().parents[1]


def _values(text: str, kind: str) -> list[str]:
    words = text.split()
    return [words[k] for k in value_positions(text, kind)]


@pytest.mark.parametrize("text, places", [
    ("The drills ran on Japan's northern island of Hokkaido.", ["Japan's", "Hokkaido."]),
    ("Nakatani met his counterpart in Ankara last week.", ["Ankara"]),
    ("It sold a radar to the Philippines in 2023.", ["Philippines"]),
    ("Officials met in Tokyo, Osaka and the southern city of Kobe.", ["Tokyo,", "Osaka", "Kobe."]),
    ("The office stands on Soho Square beside the Charles River.", ["Soho", "Square", "Charles", "River."]),
    ("They settled at the Cape of Good Hope.", ["Cape", "of", "Good", "Hope."]),
    ("The ministry said drills in northern Japan went well.", ["Japan"]),
])
def test_a_place_is_a_capitalised_phrase_where_a_place_stands(text, places):
    assert _values(text, "place") == places


@pytest.mark.parametrize("text", [
    "Defense Minister Gen Nakatani met Turkish Defense Minister Yasar Guler.",  # titles and names, no place
    "Tokyo hosted the talks.",                     # a sentence's first word says nothing
    "The talks ended in April, on Monday.",        # months and days are dates
    "It was run by the Acquisition, Technology and Logistics Agency.",
])
def test_names_that_do_not_stand_where_a_place_does_are_not_places(text):
    assert _values(text, "place") == []


def test_places_are_read_word_by_word_of_the_split_text():
    words = "Talks in U.S. and Japan.".split()
    assert [words[k] for k in place_positions(words)] == ["U.S.", "Japan."]


@pytest.mark.parametrize("text, kind, values", [
    ("The school was renamed in 1639, long before 2025.", "date", ["1639,", "2025."]),
    ("The church reform began in the early 11th century.", "date", ["11th", "century."]),
    ("Rules changed in the 1950s and again last year.", "date", ["1950s", "last", "year."]),
    ("On 12 May 1705 the assembly met.", "date", ["12", "May", "1705"]),
    ("Deliveries start by mid-2025, in mid-June.", "date", ["mid-2025,", "mid-June."]),  # one word each
    ("It has been a principle since the 1950s and since 1957.", "duration", ["1950s", "1957."]),
    ("The program runs for five years from 2023.", "duration", ["five"]),
    ("He met Guler in Ankara last week, after talks over the last year.", "duration", ["last", "year."]),  # a point is no length
    ("Costs rose in the past decade.", "duration", ["past", "decade."]),
    ("On 12 May 1705, 148 settlers stayed.", "count", ["148"]),  # a day of a month is not a count
    ("It bought 1,500 rifles in 1998.", "count", ["1,500"]),
    ("It allocated ¥41.5 billion for 12 drones.", "money", ["¥41.5", "billion"]),
])
def test_dates_periods_and_counts_are_told_apart(text, kind, values):
    assert _values(text, kind) == values


def _ask_in_a_new_process(index_dir: Path, question: str) -> tuple[dict, set[str]]:
    code = ("import io, contextlib, json, sys\nfrom qa.cli import run\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n    code = run(sys.argv[1:])\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'thinc', 'torch', 'transformers'})\n"
            "print(json.dumps({'code': code, 'answer': json.loads(out.getvalue()), 'heavy': heavy}))")
    done = subprocess.run([sys.executable, "-c", code, "ask", "--json", "--index", str(index_dir), question],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-800:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    return result["answer"], set(result["heavy"])


@pytest.mark.integration
@pytest.mark.parametrize("question, evidence", [
    ("Where were the Type 90 tanks taking part in shooting drills?", "Hokkaido"),         # a place
    ("How many Japanese defense companies attended the forum's roundtable?", "around 10"),  # a count
])
def test_a_cold_typed_question_is_answered_without_spacy_or_torch(real_seed_index_dir, question, evidence):
    answer, heavy = _ask_in_a_new_process(real_seed_index_dir, question)
    assert heavy == set()
    assert answer["answered"] and evidence in answer["passages"][0]["quote"]


def test_an_abbreviation_ending_in_a_period_does_not_start_a_sentence_whose_date_would_front_it():
    from qa.answer.typed import _fronted_date
    tokens = "Talks with the U.S. in June were long and many officials later bought radars".split()
    june, radars = tokens.index("June"), tokens.index("radars")
    assert not _fronted_date(tokens, [june], [radars])  # "in June" is the fifth word of the sentence, not its first
    tokens = "Talks ended. In June many officials of the agency later bought radars".split()
    assert _fronted_date(tokens, [tokens.index("June")], [tokens.index("radars")])
