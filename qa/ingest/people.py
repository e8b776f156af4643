"""People a document names, and where its quotations are.

What it does: finds full names of people in the narrative of a document
(runs of capitalised words, minus leading titles, places and sentence
openers -- "Japanese Defense Minister Gen Nakatani" is "Gen Nakatani" --
and never an organisation such as "Kawasaki Heavy Industries"), each with
the appositive title that follows it ("NAME, TITLE") and the capitalised
words just before it ("U.S. President"); expands a bare
surname to the full name the document gave; and finds quotations (curly or
straight marks, even mixed) so callers can read narrative only.
``qa.ingest.speakers`` and ``qa.quotes.conflicts`` build on it.

What it does not do: recognise names it has no capital letters for, or tell
two people with the same full name apart. Headlines are skipped: they
capitalise every word.

>>> from qa.ingest.documents import parse_document
>>> doc = parse_document("a.txt", "Talks were led by U.S. President Joe Biden, the head of state, in Tokyo.")
>>> [(m.name, m.title, m.before) for m in person_mentions(doc)]
[('Joe Biden', 'the head of state', 'U.S. President')]
>>> full_name(doc, "Biden", before=len(doc.text))
'Joe Biden'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.ingest.dates import MONTHS, WEEKDAYS
from qa.ingest.documents import Document

WORD = r"[A-Z][a-zA-Z\-]*[a-z]"  # a capitalised word; a possessive ("Nakatani's") ends a name
RUN = rf"\b{WORD}(?:[^\S\n]+{WORD}){{0,5}}"  # words apart by spaces, non-breaking too
_PERSON = re.compile(RUN)
# the words of a title before a name ("U.S. President ", "Secretary of Defense "): an initialism, a short
# abbreviation or a capitalised word -- not one ending a sentence ("Tokyo. Japanese Defense Minister")
_TITLE_WORD = r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.|[A-Z][\w\-]*)"
_TITLE_BEFORE = re.compile(rf"((?:(?:{_TITLE_WORD}|to|of|for|and)\s+){{1,6}})$")
_APPOSITIVE = re.compile(r",\s+(?P<title>(?:[^,;()\"“”\n.]|(?<=[A-Z])\.)+)")

# Words that open a capitalised run without being part of a name (titles,
# places, sentence openers), and words that make a run an organisation.
_LEADING = set("""Mr Mrs Ms Dr President Prime Minister Ambassador Secretary Undersecretary Commissioner
Chief Director Chairman General Admiral Senator Governor Professor Principal Spokesman Spokeswoman Defense
Foreign Deputy Vice Head The A An In On At For But And If As Since When While After Before During Under Over
With By From To Of This That It Its Our We They He She His Her Their Most Many Some Experts Officials
Japan Japanese American America Chinese China Korean Korea North
South East West United States British Britain Turkish Turkey Russian Russia European Asian Asia Pacific Tokyo
Washington Likewise Moreover However Meanwhile""".split()) | set(MONTHS + WEEKDAYS)
_ORG_WORDS = set("""Ministry Agency Department Industries Industry Corp Corporation Co Ltd Inc Group University
Institute Federation Force Forces Army Navy Committee Forum Council Office Press Bank Company Association News
Times Program Systems Motors Aerospace Shipbuilding Heavy International Research Business Government Media
Sales Service Services Agreement Summit Cooperation Industrial Acquisition Sustainment Technology Logistics
Security Innovation Buildup Principles War""".split())


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str          # a person's full name
    title: str | None  # the appositive after it ("NAME, TITLE"), if any
    before: str = ""   # the capitalised words just before it ("Japanese Defense Minister", "Secretary of Defense")


def clean_name(run: str) -> str | None:
    """The person's name in a capitalised run, or None if it names no person.

    >>> clean_name("Japanese Defense Minister Gen Nakatani"), clean_name("Kawasaki Heavy Industries")
    ('Gen Nakatani', None)
    """
    words = run.split()
    while words and words[0] in _LEADING:
        words.pop(0)
    if not words or any(w in _LEADING or w in _ORG_WORDS for w in words):
        return None
    return " ".join(words)


def quote_segments(text: str) -> list[tuple[int, int]]:
    """(open, close + 1) of each quotation in ``text``.

    >>> quote_segments('He said \\u201cno." Then "yes')
    [(8, 13), (19, 23)]
    """
    segments, opened = [], None
    for i, ch in enumerate(text):
        if opened is None and ch in "“\"":
            opened = i
        elif opened is not None and ch in "”\"":
            segments.append((opened, i + 1))
            opened = None
    if opened is not None:  # a quotation may run on to the paragraph's end
        segments.append((opened, len(text)))
    return segments


def narrative(text: str) -> str:
    """``text`` with its quotations blanked out (same length), so only the reporter's words are read."""
    chars = list(text)
    for a, b in quote_segments(text):
        chars[a:b] = " " * (b - a)
    return "".join(chars)


@lru_cache(maxsize=512)
def person_mentions(doc: Document) -> tuple[Mention, ...]:
    """Full names of people in the body paragraphs of ``doc`` (with their titles), in order."""
    found = []
    for p in doc.paragraphs:
        if p.kind != "body":
            continue
        masked = narrative(p.text)
        for m in _PERSON.finditer(masked):
            name = clean_name(m.group())
            if name and " " in name:
                first_kept = list(re.finditer(r"\S+", m.group()))[-len(name.split())]
                title = _APPOSITIVE.match(masked, m.end())
                start = p.start + m.start() + first_kept.start()
                before = _TITLE_BEFORE.search(doc.text[max(0, start - 60):start])
                found.append(Mention(start, p.start + m.end(), name, _title(title), before.group(1).strip() if before else ""))
    return tuple(found)


def _title(match) -> str | None:
    if match is None:
        return None
    title = match.group("title").strip()
    return title if re.search(r"\b[a-z]{3,}\b", title) and len(title.split()) <= 15 else None


def full_name(doc: Document, name: str, before: int) -> str:
    """A bare surname expanded to the full name ``doc`` gave, nearest before ``before`` if any."""
    if " " in name:
        return name
    fulls = [m for m in person_mentions(doc) if m.name.split()[-1] == name]
    earlier = [m for m in fulls if m.start < before]
    return (earlier or fulls)[-1].name if fulls else name
