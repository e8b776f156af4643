"""A question's word the sources never use finds their spelling of it: without accents, or a slip of the
keys away ("Novermber", "Mitsubshi"), while a word that is more often another word than a slip is left
alone (issue 13: plain questions as people type them)."""

from __future__ import annotations

import pytest

from qa.answer.query import analyse_question
from qa.answer.spelling import SourceWords, english_words, respellings
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import Assistant
from tests.conftest import fake_index

TEXT = ("Mitsubishi Heavy Industries will upgrade the F-15 fleet from November.\n\n"
        "“China has a major capacity in shipbuilding,” said Rahm Emanuel.\n\n"
        "Lothar de Maizière met the Finnish delegation in Maastricht.\n\n"
        "The radars are synchronised with a new network.\n\n"
        "Kawasaki Heavy Industries builds submarines.")


@pytest.fixture(scope="module")
def assistant():
    return Assistant(fake_index(TEXT), FakeEmbedder(dim=64), Config(model="fake"))


def _stand_ins(assistant, question: str) -> dict[str, tuple[str, ...]]:
    query = analyse_question(assistant.index, question)
    return {t: tuple(s for alt in f for s in alt) for t, f in zip(query.terms, query.forms)}


def test_a_slip_of_the_keys_finds_the_word_the_sources_use(assistant):
    stand_ins = _stand_ins(assistant, "when will mitsubshi start the upgrade in novermber")
    assert stand_ins["mitsubshi"] == ("mitsubishi",) and stand_ins["novermb"] == ("novemb",)
    query = analyse_question(assistant.index, "when will mitsubshi start the upgrade in novermber")
    known = dict(zip(query.terms, query.known))
    assert known["mitsubshi"] and known["novermb"]  # neither counts against the answer as a word never used


def test_the_question_is_embedded_as_the_sources_spell_it(assistant):
    query = analyse_question(assistant.index, "when will mitsubshi start the upgrade in novermber?")
    assert query.spelled == "when will Mitsubishi start the upgrade in November?"
    assert analyse_question(assistant.index, "who is lothar de maiziere").spelled == "who is lothar de Maizière"
    assert analyse_question(assistant.index, "does kawasaki build tanks").spelled == "does kawasaki build tanks"


def test_a_misspelt_topic_of_a_speech_question_finds_the_speaker_s_words(assistant):
    query = analyse_question(assistant.index, "what did emanuel say about shipbuiding")
    assert query.topic == ("shipbuild",)
    answer = assistant.ask("what did emanuel say about shipbuiding")
    assert answer.answered and "shipbuilding" in answer.passages[0].quote


def test_a_word_without_its_accent_finds_the_accented_spelling(assistant):
    assert _stand_ins(assistant, "who is lothar de maiziere")["maizier"] == ("maizièr",)


def test_a_slip_lets_the_sentence_holding_the_word_rank_first(assistant):
    for question in ("what does kawasky heavy industries build", "where did maiziere meet the delegation"):
        top = assistant.ask(question).ranked[0].quote
        right = "Kawasaki" in top if "kawasky" in question else "Maizière" in top
        assert right, (question, top)


def test_a_long_word_is_respelled_and_a_short_one_is_not(assistant):  # the README's example
    stand_ins = _stand_ins(assistant, "does kawasaki biuld submrines")
    assert stand_ins["submrin"] == ("submarin",) and stand_ins["biuld"] == ()


def test_words_more_often_other_words_than_slips_are_left_alone(assistant):
    words = list(assistant.index.bm25_sentences.vocab_dict)
    assert respellings("synchron", "synchronous", SourceWords(words + ["asynchron"]), set()) == ()  # a start added
    assert respellings("thing", "thing", SourceWords(words + ["think"]), set()) == ()  # too short to tell
    english = english_words()
    assert "finnish" in english and "novermber" not in english  # the model's vocabulary, read from the package
    assert respellings("finish", "finish", SourceWords(words), english) == ()  # an English word, not a slip of "finnish"


def test_a_subject_the_sources_never_name_is_still_refused(assistant):
    assert "brazil" in analyse_question(assistant.index, "who is the president of brazil").unnamed
    assert assistant.ask("who is the president of brazil").probability == 0.0
