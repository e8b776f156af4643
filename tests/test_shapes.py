"""Question shapes: each plain question is answered with the structure its shape asks for (issue 13)."""

from __future__ import annotations

import pytest

from qa.answer.shapes import question_shape
from qa.answer.shaped import defines, promote
from qa.answer.typed import typed_support
from qa.answer.values import value_positions, wanted_value
from tests.conftest import fake_index

TEXT = ("Officials met in Tokyo.\n\n"
        "The talks, called the Defense Industrial Cooperation Forum (DICF), began on Sunday.\n\n"
        "Jane Doe, the head of the Harbor Agency, spoke first. “We will build ports,” Doe said.\n\n"
        "The agency allocated ¥41.5 billion for drones in 2025.\n\n"
        "Mark Roe was also named in the report.")


@pytest.fixture(scope="module")
def index():
    return fake_index(TEXT)


@pytest.mark.parametrize("question, kind, subject", [
    ("What did Jane Doe say?", "speech", "Jane Doe"),
    ("what did doe say about ports", "speech", "doe"),
    ("what does the agency head think of drones", "speech", "the agency head"),
    ("Doe's views on the ports", "speech", "Doe"),
    ("who is jane doe", "person", "jane doe"),
    ("What is Jane Doe's job?", "person", "Jane Doe"),
    ("who heads the harbor agency", "role", "the harbor agency"),
    ("who is the defense minister", "role", "the defense minister"),
    ("What does DICF stand for?", "definition", "DICF"),
    ("what is the harbor agency", "definition", "harbor agency"),
    ("did the agency buy drones", "yesno", ""),
    ("Has Japan exported any weapons?", "yesno", ""),
    ("why did the talks start", "why", ""),
    ("how many drones did it buy", "typed", "drones"),  # the thing counted
    ("when did the talks begin?", "typed", ""),
    ("japan drone exports", "other", ""),
    ("who's the head of the harbor agency", "role", "the head of the harbor agency"),  # as "who is"
    ("what's Jane Doe's job?", "person", "Jane Doe"),
    ("what is the forum called", "other", "the forum"),  # a passive: about the forum, not said by it
    ("what was the name of the agency's chief", "other", "the agency's chief"),
    ("which turkish drone model does japan want", "other", "turkish drone"),  # a model is named: the thing is a drone
    ("which full-sized model cars were popular", "other", ""),  # "model cars": a kind of car, no name asked
])
def test_the_shape_of_a_plain_question_is_read_from_its_wording(question, kind, subject):
    shape = question_shape(question)
    assert (shape.kind, shape.subject) == (kind, subject)


@pytest.mark.parametrize("question, wants", [
    ("how many submarines does japan have", "count"), ("how much did the radar cost", "money"),
    ("what's the price of a US-2", "money"), ("how much did production grow", "amount"),
    ("when was the agency set up", "date"), ("how long did the meeting last", "duration"),
    ("what is the range of the missile", "distance"), ("who leads it", None),
    ("how many days did the conference last", "duration"),  # written "the three-day conference"
    ("what is south korea's defense budget", "money"), ("what is the ministry's budget", "money"),  # an owner of 1-3 words
])
def test_a_typed_question_names_the_kind_of_value_it_wants(question, wants):
    assert wanted_value(question) == wants


@pytest.mark.parametrize("question, wants", [
    ("what is the name of the radar", "name"), ("what is the task force called", "name"),
    ("which baykar drone model is japan interested in", "name"), ("what was the new agency's name", "name"),
    ("what is the most common model of computation", None), ("what do alternate machine models share", None),
])
def test_a_name_question_wants_a_name(question, wants):
    assert question_shape(question).wants == wants


def test_money_is_not_a_count_and_a_year_is_not_an_amount():
    text = "It allocated ¥41.5 billion for 12 drones in 2025, up 20%."
    words = text.split()
    assert [words[k] for k in value_positions(text, "count")] == ["12"]
    assert [words[k] for k in value_positions(text, "money")] == ["¥41.5", "billion"]
    assert [words[k] for k in value_positions(text, "date")] == ["2025,"]


def test_a_definition_is_an_expansion_or_an_appositive_not_a_mention():
    assert defines("DICF", "The talks, called the Defense Industrial Cooperation Forum (DICF), began.")
    assert not defines("DICF", "DICF will meet again in July.")
    assert defines("harbor agency", "The Harbor Agency, a body set up in 2015, runs ports.")


def test_marked_candidates_near_the_best_move_first_and_weak_ones_do_not():
    import numpy as np

    order = promote(np.array([0.9, 0.6, 0.1]), np.array([False, True, True]))
    assert order.tolist() == [1, 0, 2]


def test_a_typed_value_must_sit_near_the_question_s_focus(index):
    from qa.answer.query import analyse_question

    query = analyse_question(index, "how much did the agency allocate for drones")
    assert typed_support(query, [index.sentences[-2].text]) == [True]  # ¥41.5 billion beside "drones"
    count = analyse_question(index, "how many drones did the agency buy")
    assert typed_support(count, [index.sentences[-2].text]) == [False]  # money is not a count


def test_a_count_answers_only_beside_what_it_counts():
    from qa.answer.query import analyse_question
    from tests.conftest import fake_index

    index = fake_index("Komatsu stopped making 5.56 millimeter machine guns. All three firms showed drones. "
                       "Japan gave away five used TC-90 training aircraft. It upgraded dozens of F-15 fighter jets. "
                       "The F-2s will go by 2035.")
    texts = [s.text for s in index.sentences]
    # "jets" is counted, but not the F-2 jets asked about
    assert typed_support(analyse_question(index, "how many f-2 jets does japan have"), texts[3:4]) == [False]
    assert typed_support(analyse_question(index, "how many f-15 jets were upgraded"), texts[3:4]) == [True]
    assert typed_support(analyse_question(index, "how many machine guns did komatsu make"), texts[:1]) == [False]
    assert typed_support(analyse_question(index, "how many drones did the firms show"), texts[1:2]) == [False]
    assert typed_support(analyse_question(index, "how many tc-90 planes did japan give away"), texts[2:3]) == [True]


def test_speech_finds_what_the_person_said_by_surname_or_title(index):
    from qa.answer.said import names_unquoted_person, said_rows

    rows = said_rows(index, "doe")
    assert rows and all("Doe said" in index.sentences[r].text or "ports" in index.sentences[r].text for r in rows)
    assert said_rows(index, "the head of the harbor agency") == rows
    assert names_unquoted_person(index, "Mark Roe") and not names_unquoted_person(index, "Jane Doe")


def test_every_passage_carries_its_own_confidence_in_the_json(fake_seed_assistant):
    answer = fake_seed_assistant.ask("What did the ambassador say about manufacturing?")
    passages = answer.as_json()["passages"]
    assert passages and all(0.0 <= p["confidence"] <= 1.0 and p["label"] in ("high", "medium", "related", "low")
                            for p in passages)
    assert "row" not in passages[0]


def test_the_fit_refuses_the_natural_set_it_is_gated_on():
    from qa.evaluation.fit_confidence import main

    with pytest.raises(SystemExit, match="never fitted on"):
        main(["--squad", "unused.json", "--sets", "eval/questions.jsonl", "eval/natural.jsonl"])


def test_each_web_card_shows_its_own_passage_label():
    from qa.web.render import render_answer

    passage = {"file": "a.txt", "paragraph": 1, "start": 0, "end": 4, "quote": "Text", "score": 0.9}
    answer = {"question": "Q?", "answered": True, "confidence": "high",
              "passages": [{**passage, "confidence": 0.95, "label": "high"},
                           {**passage, "start": 5, "confidence": 0.12, "label": "related"}]}
    html = render_answer(answer, {})
    badges = [part.split("<", 1)[0] for part in html.split('class="qa-badge ')[1:]]
    assert badges == ['qa-ok">High confidence', 'qa-muted">Related, not an answer']
