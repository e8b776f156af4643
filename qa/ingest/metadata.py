"""What a document says about itself: its title, publisher and date, read by rule.

What it does: reads the facts a reader cites an article by from lines that
state nothing else. The *title* is the first short headline before the prose
(never a dateline, byline, date or copyright line). The *publisher* comes
from a byline naming a publication ("By NAME, PUBLISHER") or an agency named
on a line of its own, else a news agency in a dateline's parentheses
("ENIWA, Japan (AP) — ..."), else a copyright line ("Copyright 2021 The
Associated Press"); agency abbreviations are spelled out (AP -> The
Associated Press). The *date*, as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``,
``YYYY`` when that is all it says), comes from a line that is only a date
("December 1, 2025", "2025-12-01", "Published: ...", "Updated 3:04 AM EDT,
July 29, 2024"), else a dateline that gives one, else the year of a
copyright line (not a range of years). Headlines, bylines and plain dates
are read only in the page's head (the lines before the first line of
prose), labelled dates also in its foot (after the last), and copyright
notices wherever a line is one: a date or a name in the article's prose is
never taken, and what is not stated is absent.

What it does not do: read files, ``sources.json`` or front matter
(``qa.ingest.metafiles``), or guess: "12/01/2025" (month or day first?) is
no date, and "Photo © Turkish Defense Ministry" names no publisher.

>>> head = ["Tanks Roll Again", "By Mari Yamaguchi, The Associated Press", "Updated 3:04 AM EDT, July 29, 2024",
...         "TOKYO (AP) — The tanks rolled in 2019 and again on March 3, 2020."]
>>> read_source(head, ["title", "heading", "heading", "body"])
Source(title='Tanks Roll Again', publisher='The Associated Press', date='2024-07-29')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from qa.ingest.dates import find_date, line_date

FIELDS = ("title", "publisher", "date")
MAX_NAME_WORDS = 8  # a publisher's name is a few words
TERMINAL_TITLE_CHARS = 60  # a title in a terminal's citation line is cut at a word beyond this


@dataclass(frozen=True)
class Source:
    """Who published a document, when, under what title; None for what it does not say."""
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO: YYYY-MM-DD, YYYY-MM or YYYY

    def as_json(self) -> dict:
        """The known fields only (the ``"source"`` object of the JSON output)."""
        return {k: v for k, v in asdict(self).items() if v}


def citation_text(source: Mapping | None, title_chars: int | None = None) -> str:
    """A source (``Source.as_json()``) in one line to cite it by: '“Title”, Publisher, 2024-07-29'; '' for none.

    ``title_chars``: a longer title is cut at a word, marked "…" (a terminal's citation line stays readable).

    >>> citation_text({"publisher": "The Associated Press", "date": "2021"}), citation_text({})
    ('The Associated Press, 2021', '')
    >>> citation_text({"title": "Japan, U.S. form working group for joint missile production"}, 30)
    '“Japan, U.S. form working group…”'
    """
    source = source or {}
    title = source.get("title") or ""
    if title_chars and len(title) > title_chars:
        title = title[:title_chars + 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    parts = [f"“{title}”" if title else "", source.get("publisher") or "", source.get("date") or ""]
    return ", ".join(p for p in parts if p)


def cite(file: str, paragraph: int, page: int | None = None) -> str:
    """A passage's place as citations name it: the file, the PDF page where it has one, the paragraph.

    >>> cite("a.txt", 7), cite("report.pdf", 12, 3)
    ('a.txt ¶7', 'report.pdf p.3 ¶12')
    """
    return f"{file} p.{page} ¶{paragraph}" if page else f"{file} ¶{paragraph}"


_COPYRIGHT = re.compile(r"^\s*(?:copyright\b\s*(?:©|\(c\))?|©|\(c\))\s*(?P<year>(?:19|20)\d\d)(?P<range>\s*[-–]\s*\d{2,4})?,?\s+"
                        r"(?P<holder>(?-i:[A-Z])[^.;|©]*?(?:\b(?:Inc|Ltd|Co|Corp|L\.?P)\.)?)\s*(?:[.;,|]|\ball rights\b|$)", re.I)
_DATELINE = re.compile(r"^(?P<head>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+)*(?:,[^()—–\n]{1,60})?)\s*"
                       r"\((?P<agency>[A-Za-z][\w.&' \-]{0,40})\)\s*[—–-]{1,2}\s")
_BYLINE = re.compile(r"^\s*by\s+(?P<names>[A-Z][^|]*?)\s*(?:,|\||—|–|/)\s*(?P<pub>[^,|—–/]+?)\s*$", re.I)
AGENCIES = {"ap": "The Associated Press", "associated press": "The Associated Press", "afp": "Agence France-Presse",
            "agence france-presse": "Agence France-Presse", "reuters": "Reuters", "upi": "United Press International",
            "kyodo": "Kyodo News", "kyodo news": "Kyodo News", "jiji": "Jiji Press", "jiji press": "Jiji Press",
            "xinhua": "Xinhua", "yonhap": "Yonhap", "dpa": "dpa", "bloomberg": "Bloomberg", "efe": "EFE", "ansa": "ANSA"}
_PUBLICATION = re.compile(r"(?i)\b(?:press|news|times|post|journal|herald|tribune|review|gazette|daily|weekly|magazine|"
                          r"agency|media|network|broadcasting|wire|chronicle|telegraph|observer|monitor)\b")
_ABBREVIATION_END = re.compile(r"\b(?:Inc|Ltd|Co|Corp|L\.P)\.$")
_PROSE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def publisher_name(name: str) -> str:
    """A publisher as it is cited: agency abbreviations spelled out ("AP" -> "The Associated Press").

    >>> publisher_name("AP"), publisher_name("Nikkei Inc."), publisher_name("The Japan Times.")
    ('The Associated Press', 'Nikkei Inc.', 'The Japan Times')
    """
    name = " ".join(name.split()).strip(" ,")
    if name.endswith(".") and not _ABBREVIATION_END.search(name):
        name = name[:-1]
    return AGENCIES.get(re.sub(r"(?i)^the\s+", "", name).lower(), name)


def agency_line(line: str) -> str | None:
    """A news agency named alone on a line ("The Associated Press", "Reuters"), as it is cited; else None."""
    key = re.sub(r"(?i)^the\s+", "", " ".join(line.split())).lower()
    return AGENCIES.get(key)


def copyright_notice(line: str) -> tuple[str, str | None] | None:
    """(holder, year or None for a range of years) of a "Copyright YEAR HOLDER" line, else None.

    >>> copyright_notice("Copyright 2021 The Associated Press. All rights reserved.")
    ('The Associated Press', '2021')
    >>> copyright_notice("Photo © Turkish Defense Ministry") is None
    True
    """
    m = _COPYRIGHT.match(line)
    if not m or not 1 <= len(m.group("holder").split()) <= MAX_NAME_WORDS:  # a name, not the rest of a page
        return None
    return publisher_name(m.group("holder")), None if m.group("range") else m.group("year")


def dateline(line: str) -> tuple[str, str | None] | None:
    """(agency, ISO date or None) of a dateline opening ``line``: "TOKYO, Dec. 1, 2025 (AP) — ...".

    >>> dateline("ENIWA, Japan (AP) — The tanks rolled."), dateline("Japan (AP) said so.")
    (('The Associated Press', None), None)
    """
    m = _DATELINE.match(line)
    if not m:
        return None
    found = find_date(m.group("head"))
    return publisher_name(m.group("agency")), found[0] if found else None


def byline_publisher(line: str) -> str | None:
    """The publication a byline names ("By Jane Doe, Reuters"); None for a job title or a place.

    >>> byline_publisher("By Mari Yamaguchi, AP"), byline_publisher("By Jane Doe, Staff Writer")
    ('The Associated Press', None)
    """
    m = _BYLINE.match(line) if len(line.split()) <= 15 else None  # a byline is short: prose is not read as one
    if not m:
        return None
    name = publisher_name(m.group("pub"))
    return name if name in AGENCIES.values() or _PUBLICATION.search(name) else None


def _is_prose(line: str) -> bool:
    """A line of the article's prose: long, or ending a sentence (a headline or a date line does neither)."""
    return len(line.split()) > 12 or bool(_PROSE_END.search(line.strip()))


def _notice(line: str) -> bool:
    """Whether ``line`` states only a date, a byline or a copyright (however long: it is no prose)."""
    return bool(line_date(line) or byline_publisher(line) or agency_line(line) or copyright_notice(line))


def _statement(line: str) -> bool:
    """A notice, or a dateline however it goes on: no headline."""
    return _notice(line) or bool(dateline(line + " "))


def headline(blocks: list[str], kinds: list[str]) -> str | None:
    """The first one-line title or heading before the prose that is not a statement of date, byline or source."""
    for text, kind in zip(blocks, kinds):
        if kind == "body":
            return None
        line = text.strip().lstrip("#").strip()
        if kind in ("title", "heading") and "\n" not in text.strip() and line and not _statement(line):
            return line
    return None


def _head_and_foot(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """The lines before the first line of prose, that line (where a dateline would be), and the lines after the last."""
    first = next((i for i, ln in enumerate(lines) if _is_prose(ln) and not _notice(ln)), len(lines))
    last = next((i for i in range(len(lines) - 1, -1, -1) if _is_prose(lines[i]) and not _notice(lines[i])), -1)
    return lines[:first], lines[first] if first < len(lines) else None, lines[max(last, first) + 1:]


def read_source(blocks: list[str], kinds: list[str]) -> Source:
    """The ``Source`` a document's own lines state (``kinds`` from ``qa.ingest.debris.classify_blocks``)."""
    lines = [ln.strip() for b in blocks for ln in b.splitlines() if ln.strip()]
    head, opening, foot = _head_and_foot(lines)
    notices = [c for c in map(copyright_notice, lines) if c]
    line_dates = [d for d in map(line_date, head) if d] + [d for d in map(line_date, foot) if d and d[1]]
    datelines = [d for d in (dateline(ln + " ") for ln in head + [opening or ""]) if d]  # alone, or opening the prose
    bylines = [p for p in (byline_publisher(ln) or agency_line(ln) for ln in head) if p]
    publishers = bylines + [a for a, _ in datelines] + [n[0] for n in notices]
    dates = [d for d, _ in line_dates] + [d for _, d in datelines if d] + [n[1] for n in notices if n[1]]
    return Source(headline(blocks, kinds), publishers[0] if publishers else None, dates[0] if dates else None)
