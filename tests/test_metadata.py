"""Where a document comes from: title, publisher and date, by rule from its text or as the user states them.

The rules take only what a line states and nothing else; the seeds are checked
for exactly what they say. ``sources.json`` and Markdown front matter win over
the rules; a malformed ``sources.json`` is one warning and the rest indexes.
"""

from __future__ import annotations

import json

import pytest

from qa.ingest.chunking import split_documents
from qa.ingest.documents import load_folder, parse_document, read_folder
from qa.ingest.metadata import Source
from tests.conftest import SEEDS


def source_of(text: str, name: str = "x.txt") -> Source:
    return parse_document(name, text).source


BODY = "The minister spoke for an hour about the drones the ministry wants to buy before the end of 2027."


@pytest.mark.parametrize("text, expected", [
    ("Japan Weighs Drone Purchase\n\n" + BODY, Source(title="Japan Weighs Drone Purchase")),
    ("ENIWA, Japan (AP) — The dozens of Type 90 tanks rumbling through drills exemplify the challenge.",
     Source(publisher="The Associated Press")),  # a dateline is no title; its agency is the publisher
    ("ENIWA, Japan (AP) —\n\n" + BODY, Source(publisher="The Associated Press")),
    ("WASHINGTON, Dec. 1, 2025 (Reuters) - " + BODY, Source(publisher="Reuters", date="2025-12-01")),
    ("# Drones for the Ministry\n\n" + BODY, Source(title="Drones for the Ministry")),
])
def test_a_headline_is_a_title_and_a_dateline_is_not(text, expected):
    assert source_of(text) == expected


@pytest.mark.parametrize("line, publisher, year", [
    ("Copyright 2021 The Associated Press. All rights reserved. This material may not be published.",
     "The Associated Press", "2021"),
    ("© 2024 Nikkei Inc. All rights reserved.", "Nikkei Inc.", "2024"),
    ("Copyright © 2023 AP", "The Associated Press", "2023"),
])
def test_a_copyright_line_names_the_publisher_and_its_single_year_the_date(line, publisher, year):
    assert source_of(f"Drone Talks\n\n{BODY}\n\n{line}") == Source("Drone Talks", publisher, year)


def test_a_range_of_copyright_years_gives_no_date():
    assert source_of(f"Drone Talks\n\n{BODY}\n\n© 2000-2025 Nikkei Inc. All rights reserved.") == \
        Source("Drone Talks", "Nikkei Inc.")


@pytest.mark.parametrize("line, publisher", [
    ("By Mari Yamaguchi, The Associated Press", "The Associated Press"),
    ("By Mari Yamaguchi and Ken Moritsugu, AP", "The Associated Press"),
    ("By Jane Doe | The Japan Times", "The Japan Times"),
    ("The Associated Press", "The Associated Press"),
    ("By Jane Doe, Staff Writer", None),   # a job title is no publisher
    ("By Jane Doe, Tokyo", None),          # nor is a place
    ("Photo © Turkish Defense Ministry09:28 AM Asia", None),  # a photo credit names no publisher
])
def test_a_byline_names_a_publisher_only_when_it_names_a_publication(line, publisher):
    assert source_of(f"Drone Talks\n\n{line}\n\n{BODY}") == Source("Drone Talks", publisher)


@pytest.mark.parametrize("line, date", [
    ("December 1, 2025", "2025-12-01"),
    ("Dec. 1, 2025", "2025-12-01"),
    ("1 December 2025", "2025-12-01"),
    ("2025-12-01", "2025-12-01"),
    ("Published: 2025-12-01T09:00:00+09:00", "2025-12-01"),
    ("Updated 3:04 AM EDT, July 29, 2024", "2024-07-29"),
    ("Monday, July 29, 2024 at 3:04 p.m. JST", "2024-07-29"),
    ("Posted on May 2025", "2025-05"),
    ("Published 2025", "2025"),
    ("12/01/2025", None),      # December or January: not guessed
    ("2025", None),            # a bare year is a date only where a label says so
    ("February 30, 2024", None),
    ("THE WORLD DEFENSE ALMANAC 2024", None),
])
def test_a_line_that_is_only_a_date_gives_the_date_in_iso(line, date):
    assert source_of(f"Drone Talks\n\n{line}\n\n{BODY}").date == date


def test_no_date_or_name_is_taken_from_the_article_s_prose():
    text = ("Drone Talks\n\n" + BODY + "\n\nOn December 1, 2025 the budget for fiscal 2026 was sent, "
            "said Jane Doe of Reuters.\n\nDecember 3, 2025\n\nThe talks went on, the Associated Press reported.\n\n"
            "Related stories\n\nMarch 3, 2019")
    assert source_of(text) == Source(title="Drone Talks")  # not from the prose, nor a bare date in the page's foot
    assert source_of("Drone Talks\n\n" + BODY + "\n\nPublished on March 3, 2019").date == "2019-03-03"  # labelled


SEED_SOURCES = {
    # "ENIWA, Japan (AP) — ..." (no headline), "Copyright 2021 The Associated Press." at the end
    "000_57a4e97e2b8caa9f.txt": Source(publisher="The Associated Press", date="2021"),
    # a headline after "top of page"; no publisher, no date (the years in it are the prose's)
    "001_e8bb165eaeb47ca6.txt": Source(title='The United States and Japan launched a "regular defense industry '
                                             'consultation" mechanism'),
    "002_ba0d5cdbb7c8509b.txt": Source(title="Japan, U.S. form working group for joint missile production"),
    # "Photo © Turkish Defense Ministry" is a photo credit, "THE WORLD DEFENSE ALMANAC 2024" another page's promotion
    "003_58a6c8d8ec398895.txt": Source(title="Japan Explores Possibility of Acquiring Turkish Drones"),
}


def test_each_seed_gives_exactly_what_it_states():
    assert {d.name: d.source for d in read_folder(SEEDS)[0]} == SEED_SOURCES


def _folder(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_sources_json_wins_over_the_rules_field_by_field_and_is_no_document(tmp_path):
    stated = {"a.txt": {"publisher": "AP", "date": "July 29, 2024"}, "b.txt": {"title": None, "date": "2023-05"}}
    _folder(tmp_path, {"a.txt": "Tanks Again\n\n" + BODY, "b.txt": "Drones Again\n\nDecember 1, 2025\n\n" + BODY,
                       "sources.json": json.dumps(stated)})
    found = load_folder(tmp_path)
    assert {d.name: d.source for d in found.docs} == {
        "a.txt": Source("Tanks Again", "The Associated Press", "2024-07-29"),  # the rule's title kept
        "b.txt": Source(None, None, "2023-05")}                                # null: unknown, whatever the rule read
    assert found.warnings == [] and found.skipped == [] and found.sources_sha256


@pytest.mark.parametrize("content, warning", [
    ("{not json", "sources.json is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes); "
                  "not used"),
    ('["a.txt"]', 'sources.json should hold an object, {"FILE.txt": {"title": ...}}, not a list; not used'),
    ('{"a.txt": {"date": "soon"}, "gone.txt": {}, "b.txt": {"author": "Jo"}, "c.txt": {"title": "Ships"}}',
     'sources.json: 3 entries not used: "a.txt": date "soon" is not a date (YYYY-MM-DD, YYYY-MM or YYYY); '
     '"gone.txt" is not a document of the folder; "b.txt" has an unknown field "author" (known: title, publisher, date)'),
])
def test_a_malformed_sources_json_is_one_warning_and_everything_still_indexes(tmp_path, content, warning):
    _folder(tmp_path, {"a.txt": "Tanks Again\n\n" + BODY, "b.txt": "Drones\n\n" + BODY + " Again.",
                       "c.txt": "Boats\n\nThe boats sail at dawn every day of the week.", "sources.json": content})
    found = load_folder(tmp_path)
    assert found.warnings == [warning] and len(found.docs) == 3 and found.skipped == []
    assert found.docs[0].source == Source("Tanks Again")  # what the rules read is still there
    if "c.txt" in content:
        assert found.docs[2].source.title == "Ships"      # the good entry is used


MD = "---\ntitle: \"Drones, at last\"\npublisher: Reuters\ndate: 2025-12-01\n---\n\n# Ignored Heading\n\n" + BODY


def test_markdown_front_matter_gives_the_source_stays_in_the_text_and_is_never_quoted():
    doc = parse_document("a.md", MD)
    assert doc.source == Source("Drones, at last", "Reuters", "2025-12-01")
    assert doc.text == MD and doc.paragraphs[0].kind == "debris" and doc.paragraphs[0].start == 0
    assert [p.number for p in doc.paragraphs] == [1, 2, 3]  # every block still counted
    assert doc.paragraphs[1].kind == "title" and doc.paragraphs[2].kind == "body"
    units = split_documents([doc], 1000, 100)
    end = MD.index("# Ignored")
    assert all(s.start >= end for s in units.sentences) and all(c.start >= end for c in units.chunks)
    assert MD[doc.paragraphs[2].start:doc.paragraphs[2].end] == BODY  # offsets are into the text as read
    assert parse_document("a.txt", MD).paragraphs[0].kind != "debris"  # front matter is Markdown's only


def test_a_front_matter_date_that_is_no_date_is_left_out_with_a_warning(tmp_path):
    _folder(tmp_path, {"a.md": "---\ntitle: Drones\ndate: next week\n---\n\n" + BODY})
    found = load_folder(tmp_path)
    assert found.docs[0].source == Source("Drones")
    assert found.warnings == ['a.md: front matter date "next week" is not a date (YYYY-MM-DD, YYYY-MM or YYYY); left out']
