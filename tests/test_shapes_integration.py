"""The plain questions issue 13 found going wrong, asked of the real model on the real seeds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_what_a_quoted_person_said_is_answered_with_their_own_quote(real_assistant):
    answer = real_assistant.ask("What did Jon Grevatt say?")
    assert answer.answered and answer.passages[0].speaker == "Jon Grevatt"


def test_what_a_person_said_about_a_topic_includes_their_words_on_it(real_assistant):
    answer = real_assistant.ask("What did Emanuel say about meetings?")
    assert answer.answered
    assert any("The goal here is not more meetings" in p.quote for p in answer.passages)


def test_someone_named_but_never_quoted_gets_the_sources_don_t_say(real_assistant):
    assert not real_assistant.ask("What did Biden say?").answered


def test_an_acronym_is_answered_by_the_sentence_that_expands_it(real_assistant):
    answer = real_assistant.ask("What is DICAS?")
    assert answer.answered and "(DICAS)" in answer.passages[0].quote


def test_a_count_the_articles_never_give_is_not_answered(real_assistant):
    answer = real_assistant.ask("How many F-2 fighters does Japan have?")
    assert not answer.answered and answer.confidence == "low"
    assert all(p.label in ("related", "low") for p in answer.passages)


def test_who_leads_an_agency_names_the_person_in_that_role(real_assistant):
    answer = real_assistant.ask("who heads the acquisition agency")
    assert answer.answered and "Fukasawa" in answer.passages[0].quote


def test_a_weak_extra_passage_wears_its_own_label_not_the_answer_s(real_assistant):
    """The best passage is labelled by its own probability, a weak third one by its own."""
    answer = real_assistant.ask("What did Jon Grevatt say?", top_k=3)
    labels = [p.label for p in answer.passages]
    assert labels[0] in ("high", "medium") and labels[-1] in ("related", "low")
    probabilities = [p.confidence for p in answer.passages]
    assert probabilities[0] > probabilities[-1]


def test_the_cli_prints_each_passage_s_label(real_assistant):
    from qa.cli import format_answer

    text = format_answer(real_assistant.ask("What did Jon Grevatt say?", top_k=3))
    assert text.count("  [") >= 3 and ("[related, not an answer]" in text or "[low confidence]" in text)


def test_who_is_a_person_is_answered_by_the_sentence_giving_their_title(real_assistant):
    answer = real_assistant.ask("Who is Jon Grevatt?")
    assert answer.answered and "Jon Grevatt, principal of" in answer.passages[0].quote
