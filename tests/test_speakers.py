"""Speaker attribution: who a source says spoke, the --speaker check, and answers to "Who said ...?"."""

from __future__ import annotations

import pytest

from qa.answer.passages import Passage
from qa.config import Config
from qa.ingest.documents import parse_document
from qa.ingest.people import person_mentions
from qa.index.fake import FakeEmbedder
from qa.index.hybrid import build_index
from qa.quotes.verify import verify_quote
from qa.ingest.speakers import attach_speakers, find_speaker, speaker_check


def speaker_of(text: str, words: str) -> str | None:
    """The speaker found for the first occurrence of ``words`` in a one-file document."""
    doc = parse_document("a.txt", text)
    start = text.index(words)
    found = find_speaker(doc, start, start + len(words))
    return found.name if found else None


def test_he_said_in_the_next_paragraph_resolves_to_the_person_named_before():
    text = ("\u201cPeople think we can catch up quickly,\u201d said Heigo Sato, a professor at Takushoku University.\n\n"
            "\u201cThe problem is, our products are not first grade,\u201d he said.")
    assert speaker_of(text, "The problem is") == "Heigo Sato"


def test_he_said_resolves_to_the_nearest_person_before_not_the_first():
    text = ("Heigo Sato spoke first.\n\nYu Yamada, a manager at the federation, spoke next.\n\n"
            "\u201cSupply chains cannot be rebuilt,\u201d he said.")
    assert speaker_of(text, "Supply chains") == "Yu Yamada"


def test_said_name_title_after_the_quote():
    text = "\u201cWe must ensure succession,\u201d said Jon Grevatt, principal of research at Janes."
    assert speaker_of(text, "We must ensure") == "Jon Grevatt"


def test_name_with_appositive_then_told():
    text = "\u201cJapan needs to be more assertive,\u201d Jon Grevatt, principal of research at Janes, told an online event."
    assert speaker_of(text, "Japan needs") == "Jon Grevatt"


def test_title_before_the_name_is_dropped_and_told_reporters_counts():
    text = "\u201cThe base cannot meet all challenges,\u201d U.S. Ambassador to Japan Rahm Emanuel told reporters."
    assert speaker_of(text, "The base") == "Rahm Emanuel"


def test_a_bare_surname_is_expanded_to_the_full_name_given_earlier():
    text = ("U.S. Ambassador Rahm Emanuel visited Tokyo.\n\n"
            "\u201cChina has a major capacity. We know they will surpass us,\u201d Emanuel said.")
    assert speaker_of(text, "China has") == "Rahm Emanuel"


def test_according_to_and_an_emailed_statement():
    text = ("According to Rahm Emanuel, July is the \u201cdeadline\u201d for results.\n\n"
            "In an emailed statement, the Agency acknowledged that the base was \u201ca challenge.\u201d "
            "\u201cWe must ensure businesses are succeeded smoothly.\u201d")
    assert speaker_of(text, "deadline") == "Rahm Emanuel"
    assert speaker_of(text, "We must ensure") == "the Agency"


def test_the_attribution_after_a_second_quotation_in_the_same_sentence_counts():
    text = ("Rahm Emanuel spoke.\n\nThe allies will discuss \u201cship repair\u201d and \u201csupply chains,\u201d "
            "according to a statement by the Defense Department.")
    assert speaker_of(text, "ship repair") == "a statement by the Defense Department"


def test_no_attribution_gives_none():
    assert speaker_of("The tanks were \u201cslow and heavy\u201d in the drills.", "slow and heavy") is None


@pytest.mark.parametrize("claimed, found, expected", [
    ("Rahm Emanuel", "Rahm Emanuel", "confirmed"),
    ("Emanuel", "Rahm Emanuel", "confirmed"),
    ("Mr. Emanuel", "Rahm Emanuel", "confirmed"),
    ("Jon Grevatt", "Rahm Emanuel", "contradicted"),
    ("Jon Grevatt", None, "unknown"),
    (None, "Rahm Emanuel", None),
])
def test_speaker_check(claimed, found, expected):
    assert speaker_check(claimed, found) == expected


TEXT = ("Heigo Sato teaches at Takushoku University.\n\n"
        "\u201cThe problem is, Japan\u2019s defense products are not first grade,\u201d he said.\n\n"
        "The tanks were described as \u201cold, slow and very expensive to run\u201d in a report.")


@pytest.fixture(scope="module")
def index():
    return build_index([parse_document("a.txt", TEXT)], FakeEmbedder(), Config())[0]


@pytest.mark.parametrize("quote, claimed, expected", [
    ("The problem is, Japan's defense products are not first grade", "Heigo Sato", "confirmed"),
    ("The problem is, Japan's defense products are not first grade", "Sato", "confirmed"),
    ("The problem is, Japan's defense products are not first grade", "Yu Yamada", "contradicted"),
    ("old, slow and very expensive to run", "Heigo Sato", "unknown"),          # no speaker in the source
    ("Japan will export tanks to every country next year", "Heigo Sato", "unknown"),  # not found
    ("The problem is, Japan's defense products are not first grade", None, None),
])
def test_verify_speaker_check(index, quote, claimed, expected):
    assert verify_quote(index, quote, claimed).speaker_check == expected


def test_answer_passages_that_quote_someone_get_the_speaker(index):
    start = TEXT.index("\u201cThe problem")
    end = TEXT.index("he said.") + len("he said.")
    quoted = Passage("a.txt", 2, start, end, TEXT[start:end], 1.0)
    plain = Passage("a.txt", 1, 0, 44, TEXT[0:44], 0.5)
    attach_speakers(index, [quoted, plain])
    assert (quoted.speaker, plain.speaker) == ("Heigo Sato", None)


def test_who_said_questions_are_answered_with_the_name(tmp_path):
    from qa.pipeline import build_index_folder, open_assistant

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "Yu Yamada is a senior manager at the business federation.\n\n"
        "\u201cSupply chains cannot be reconstructed in just one to two years,\u201d he said.\n\n"
        "The tanks debuted thirty years ago.", encoding="utf-8")
    build_index_folder(tmp_path / "docs", tmp_path / "index", Config(model="fake"), embedder=FakeEmbedder())
    assistant = open_assistant(tmp_path / "index", Config(model="fake"), embedder=FakeEmbedder())
    answer = assistant.ask("Who said supply chains cannot be reconstructed in one to two years?")
    quoting = [p for p in answer.passages if "Supply chains cannot" in p.quote]
    assert quoting and quoting[0].speaker == "Yu Yamada"
    assert answer.as_json()["passages"][answer.passages.index(quoting[0])]["speaker"] == "Yu Yamada"


def test_the_title_before_a_name_is_the_capitalised_words_right_before_it():
    # read once, by qa.ingest.people, for both the speaker's description (said) and a person's title (shaped)
    doc = parse_document("a.txt", "Talks began in Tokyo. Japanese Defense Minister Gen Nakatani met Secretary of "
                                  "Defense Lloyd Austin there.")
    assert [(m.name, m.before) for m in person_mentions(doc)] == [
        ("Gen Nakatani", "Japanese Defense Minister"), ("Lloyd Austin", "Secretary of Defense")]
