"""Finding a draft's quotations and who the draft says said each (qa.quotes.drafts), no index needed."""

from __future__ import annotations

import pytest

from qa.quotes.drafts import find_quotations


def found(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_quotations(text)]


def test_each_quotation_keeps_its_offsets_marks_included():
    text = 'Intro.\n\nShe said “one two three four” and then "five six seven."'
    quotes = find_quotations(text)
    assert [text[q.start:q.end] for q in quotes] == ["“one two three four”", '"five six seven."']
    assert [text[a:b] for q in quotes for a, b in q.pieces] == ["one two three four", "five six seven."]


@pytest.mark.parametrize("text, expected", [
    ("“Curly marks,” he said.", ["Curly marks,"]),
    ('"Straight marks," he said.', ["Straight marks,"]),
    ('“Mixed marks," he said.', ["Mixed marks,"]),  # as the AP's own file has them
    ("It was “a challenge” and “a major, significant development” both.", ["a challenge", "a major, significant development"]),
    ("They call it ”a typo” anyway.", ["a typo"]),  # a closing mark used to open still opens
    ('A 30" screen and “a real quote” here.', ["a real quote"]),  # an inch sign is no quotation
    ("A stray close” here, then “a real quote” there.", ["a real quote"]),
    ("“Never closed and then “a second one” follows.", ["Never closed and then", "a second one"]),
    ("Empty “ ” marks and “words” too.", ["words"]),
    ("(A “closed one”) and “another”\ufffd then “a third”.", ["closed one", "another", "a third"]),
])
def test_marks_are_read_by_where_they_sit_so_a_stray_one_does_not_derail_the_rest(text, expected):
    assert [t for t, _ in found(text)] == expected


def test_a_quotation_broken_by_its_attribution_is_two_quotations_of_one_speaker():
    text = "“People may think Japan has advanced technology,” said Heigo Sato, a professor, “but I think that’s wrong.”"
    assert found(text) == [("People may think Japan has advanced technology,", "Heigo Sato"),
                           ("but I think that’s wrong.", "Heigo Sato")]


def test_a_quotation_carried_over_paragraphs_by_news_convention_is_one_in_pieces():
    text = "Yu Yamada spoke.\n\n“Supply chains cannot be rebuilt.\n\n“The industry is in trouble,” he said.\n\nNext."
    (q,) = find_quotations(text)
    assert [text[a:b] for a, b in q.pieces] == ["Supply chains cannot be rebuilt.", "The industry is in trouble,"]
    assert q.closed and q.speaker == "Yu Yamada" and text[q.end - 1] == "”"


def test_an_opening_mark_never_closed_runs_to_its_paragraphs_end_and_says_so():
    text = "Citing “a bleak long-term outlook.\n\nNext paragraph with “its own quote.”"
    quotes = find_quotations(text)
    assert [(q.text, q.closed) for q in quotes] == [("a bleak long-term outlook.", False), ("its own quote.", True)]


def test_single_marks_inside_are_nested_quotations_checked_as_the_sources_double_marks():
    (q,) = find_quotations("It said “efficient ‘gray areas’ and ‘revolutionary spaces’ can help; that’s all.”")
    assert q.text == "efficient ‘gray areas’ and ‘revolutionary spaces’ can help; that’s all."
    assert q.words == "efficient “gray areas” and “revolutionary spaces” can help; that’s all."  # the apostrophe stays
    (q,) = find_quotations('“He called it "a disaster" today,” she said.')  # the other style inside: one quotation
    assert q.text == 'He called it "a disaster" today,'


@pytest.mark.parametrize("text, speaker", [
    ("“We will win,” said Rahm Emanuel, the ambassador.", "Rahm Emanuel"),
    ("Rahm Emanuel said the goal is “not more meetings.”", "Rahm Emanuel"),
    ("“We will win,” Rahm Emanuel told reporters.", "Rahm Emanuel"),
    ("The goal is “not more meetings,” according to Rahm Emanuel.", "Rahm Emanuel"),
    ("Rahm Emanuel called it “a major, significant development” for the U.S.", "Rahm Emanuel"),
    ("Jon Grevatt of Janes said Japan must be “more assertive.”", "Jon Grevatt"),
    ("Rahm Emanuel spoke first. Jon Grevatt, an analyst, arrived later. “We will win,” he said.", "Jon Grevatt"),
    ("Jon Grevatt arrived.\n\nRahm Emanuel spoke. Grevatt was hopeful: Japan, he said, must be “more assertive.”", "Jon Grevatt"),
    ("Emanuel said the U.S. effort “could use a little impatience.”", "Emanuel"),  # not "the U"
    ("In a statement, the Acquisition, Technology & Logistics Agency acknowledged it was “a challenge.”",
     "the Acquisition, Technology & Logistics Agency"),
    ("Japan is “the world’s 12th largest arms importer” today.", None),
])
def test_the_speaker_is_read_by_the_sources_own_attribution_rules(text, speaker):
    assert [s for _, s in found(text)] == [speaker]


def test_a_surname_alone_is_expanded_to_the_full_name_the_draft_gave():
    text = "Heigo Sato teaches at Takushoku University.\n\n“The problem is, the products are not first grade,” Sato said."
    (q,) = find_quotations(text)
    assert (q.speaker, q.cue) == ("Heigo Sato", "Sato said")



def test_in_a_source_called_attributes_only_after_its_subject():
    from qa.ingest.documents import parse_document
    from qa.ingest.speakers import find_speaker

    text = "Rahm Emanuel arrived.\n\nThe talks, called the Defense Industrial Forum, kicked off on Sunday in Tokyo."
    doc = parse_document("a.txt", text)
    assert find_speaker(doc, text.index("kicked"), text.index(" on Sunday")) is None  # "called the Forum" names it
    text = "Rahm Emanuel called it “a major, significant development” on Monday."
    doc = parse_document("b.txt", text)
    assert find_speaker(doc, text.index("a major"), text.index("” on")).name == "Rahm Emanuel"
