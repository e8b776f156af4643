"""A name's other name (issue 13): a question naming "Type 90" finds the sentence that says "Kyumaru"."""

from __future__ import annotations

import pytest

from qa.answer.aliases import alias_forms, pairs_in
from qa.answer.query import analyse_question
from qa.answer.retrieval import coverage
from tests.conftest import fake_index

TEXT = ("The dozens of Type 90, or “Kyumaru,” tanks rumbled through the drills.\n\n"
        "The hefty Kyumaru tanks debuted 30 years ago.\n\n"
        "The new type of vehicle can travel on public roads.")


@pytest.mark.parametrize("sentence, pairs", [
    ("The dozens of Type 90, or “Kyumaru,” tanks rumbled.", [("Type 90", "Kyumaru")]),
    ("Bushwick, also known as Boschwick, grew.", [("Bushwick", "Boschwick")]),
    ("The F-2 (“Viper Zero”) flew.", [("F-2", "Viper Zero")]),
    ("Mitsubishi Heavy Industries, also called MHI, builds them.", [("Mitsubishi Heavy Industries", "MHI")]),
    ("The Security Consultative Committee, dubbed “two-plus-two,” met.", [("Security Consultative Committee", "two-plus-two")]),
    ("Tanks from Paris, or Rome, or Oslo.", []),                    # a list, not a second name: nothing quoted
    ("The district, also known as Boschwick, grew.", []),           # no name to give a second one to
    ("Its reading of Islam, known as Wahhabism, spread.", []),      # the alias names the whole phrase, not "Islam"
    ("Japan, or “Japan,” said so.", []),                            # the same name twice
])
def test_a_second_name_is_read_where_the_sources_introduce_it(sentence, pairs):
    assert pairs_in(sentence) == pairs


def test_a_question_naming_one_name_finds_sentences_using_the_other():
    built = fake_index(TEXT, "t.txt")
    query = analyse_question(built, "when did the type 90 tanks first come out")
    cover = coverage(built.bm25_sentences, query.terms, query.idf_sentences, len(built.sentences), query.forms)
    plain = coverage(built.bm25_sentences, query.terms, query.idf_sentences, len(built.sentences))
    assert cover[1] > plain[1]       # "Kyumaru" stands for "type" and "90"
    assert cover[2] == plain[2]      # "type" alone, without "90", is not the name
    # the whole name must be asked for: "type" alone gets no stand-in
    assert alias_forms(built, ("type", "vehicl")) == {}
    assert alias_forms(built, ("kyumaru",)) == {"kyumaru": (("type", "90"),)}  # and the other way round


@pytest.mark.integration
def test_the_type_90_question_gets_the_sentence_calling_them_kyumaru(real_assistant):
    # a first-set question (eval/questions.jsonl a006): the lead sentence naming "Type 90" came first, and it
    # holds no date, so the question was refused
    answer = real_assistant.ask("When did the Type 90 tanks first come out?")
    assert answer.answered and "debuted 30 years ago" in answer.passages[0].quote
