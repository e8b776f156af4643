"""The quotations of a draft (an article, a post, a press release) and who the draft says said each.

What it does: finds every quotation in a pasted text by reading each double
quote mark -- curly or straight, even mixed -- by where it sits (a mark after
a space and before a word opens, one after a word closes; a closing mark
used to open still opens), so a stray mark (an inch sign, a close with no
open) is skipped and the rest still pair up. A quotation broken by its
attribution (“…,” she said, “…”) is two quotations; one carried over
paragraphs by news convention (an opening mark, no close, and the next
paragraph opening with a mark) is one, in pieces; one never closed runs to
its paragraph's end (``closed=False``). A mark of the other style inside a
quotation (a straight one in a curly one) opens a quotation within it, and
single marks inside (‘…’) are nested quotations: both stand for the
source's own double marks, so they are checked as such. Each quotation
keeps its character offsets in the draft. Then the speaker the draft gives
each one, read by the sources' own attribution rules
(``qa.ingest.speakers.find_speaker``: ``NAME said``, ``said NAME``,
``according to NAME``, ``NAME called … “…”``, ``he said`` resolved to the person named before).

What it does not do: verify anything (``qa.quotes.check``), read single
marks as a quotation of their own outside double ones (an apostrophe looks
the same), or parse grammar.

>>> draft = 'Rahm Emanuel spoke. “It is clear,” he said, “that we \\u2018must\\u2019 act.” A 30" screen.'
>>> [(q.text, q.words, q.speaker) for q in find_quotations(draft)]
[('It is clear,', 'It is clear,', 'Rahm Emanuel'), ('that we ‘must’ act.', 'that we “must” act.', 'Rahm Emanuel')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.ingest.documents import Document, parse_document, split_blocks
from qa.ingest.speakers import find_speaker

DOUBLE = "“”\"„«»"
_OPEN_AFTER = set("([{—–-/:;")  # a mark right after these (or a space) opens
_NESTED_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)(?P<inner>[^‘’']*?\w[.,!?]?)[’'](?!\w)")


@dataclass(frozen=True)
class Quotation:
    start: int                          # the opening mark in the draft
    end: int                            # just past the closing mark (the paragraph's end when never closed)
    pieces: tuple[tuple[int, int], ...]  # the quoted words, one span per paragraph: draft[a:b]
    text: str                           # the quoted words as the draft has them, first piece to last
    closed: bool = True
    speaker: str | None = None          # who the draft says said it
    cue: str | None = None              # the draft's words that say so ("he said")

    @property
    def words(self) -> str:
        """The words to check: nested single marks stand for the source's double marks."""
        return _NESTED_SINGLE.sub(lambda m: f"“{m.group('inner')}”", self.text)


def _role(text: str, i: int) -> str:
    """'open', 'close' or '' for the double mark at ``text[i]``, from the characters around it."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in _OPEN_AFTER or before in DOUBLE) and not after.isspace():
        return "open"
    if not before.isspace() and not after.isalnum():  # a mark inside a word (5"6) is neither
        return "close"
    return ""


class _Scan:
    """The pairing of marks across one draft: an open quotation and the pieces it has so far."""

    def __init__(self, text: str):
        self.text, self.found = text, []
        self.start: int | None = None  # the open quotation's first mark
        self.pieces: list[tuple[int, int]] = []
        self.piece_start = 0
        self.style = ""                # the mark that opened it, and whether one of the other style is open inside
        self.inner = False
        self.pieces_end = 0            # where the open quotation's last paragraph ended

    def open(self, i: int) -> None:
        self.start, self.pieces, self.piece_start, self.style, self.inner = i, [], i + 1, self.text[i], False

    def close(self, end: int, closed: bool) -> None:
        """End the open quotation with its last piece at ``end`` (the closing mark, or a paragraph's end)."""
        self.pieces.append((self.piece_start, end))
        pieces = [(a + len(self.text[a:b]) - len(self.text[a:b].lstrip()), a + len(self.text[a:b].rstrip()))
                  for a, b in self.pieces]
        pieces = [(a, b) for a, b in pieces if a < b]
        if pieces and any(ch.isalnum() for a, b in pieces for ch in self.text[a:b]):
            self.found.append(Quotation(self.start, end + closed, tuple(pieces), self.text[pieces[0][0]:pieces[-1][1]], closed))
        self.start = None

    def mark(self, i: int) -> None:
        role, curly = _role(self.text, i), self.text[i] != '"'
        if self.start is None:
            if role == "open":
                self.open(i)
        elif self.inner:
            self.inner = role != "close"
        elif role == "open" and curly != (self.style != '"'):  # the other style inside: a quotation within
            self.inner = True
        elif role == "close":
            self.close(i, True)
        elif role == "open":  # a second opening mark: the first was never closed
            self.close(i, False)
            self.open(i)

    def paragraph(self, a: int, b: int) -> None:
        """Read paragraph ``text[a:b]``; a quotation open at its end waits to see the next paragraph."""
        first = a
        if self.start is not None:
            if self.text[a] in DOUBLE and _role(self.text, a) == "open":  # news convention: the quote goes on
                self.piece_start, self.inner, first = a + 1, False, a + 1
            else:
                self.close(self.pieces_end, False)
        for i in range(first, b):
            if self.text[i] in DOUBLE:
                self.mark(i)
        if self.start is not None:
            self.pieces.append((self.piece_start, b))
            self.piece_start = b
            self.pieces_end = b

    def finish(self) -> list[Quotation]:
        if self.start is not None:
            self.close(self.pieces_end, False)
        return self.found


def _paired(text: str, quotations: list[Quotation]) -> str:
    """``text`` with each quotation's marks curly and paired and every other double mark blanked (same length),
    so the sources' attribution rules (``qa.ingest.people.quote_segments``) see the quotations found here."""
    chars = [" " if ch in DOUBLE else ch for ch in text]
    for q in quotations:
        for k, (a, b) in enumerate(q.pieces):
            chars[a - 1] = "“"  # the opening mark, or the one that carries the quote on into this paragraph
            if k == len(q.pieces) - 1 and q.closed:
                chars[q.end - 1] = "”"
    return "".join(chars)


def draft_document(text: str, quotations: list[Quotation]) -> Document:
    """The draft as a document the attribution rules read: every paragraph is the writer's prose (body)."""
    doc = parse_document("draft", _paired(text, quotations))
    return replace(doc, paragraphs=tuple(replace(p, kind="body") for p in doc.paragraphs))


def pair_marks(text: str) -> list[Quotation]:
    """Every quotation in ``text``, in order, its speaker not read yet."""
    scan = _Scan(text)
    for a, b in split_blocks(text):
        scan.paragraph(a, b)
    return scan.finish()


def find_quotations(text: str, quotations: list[Quotation] | None = None) -> list[Quotation]:
    """Every quotation in ``text`` (``pair_marks``'s unless given), with the speaker the draft gives it (or None)."""
    quotations = pair_marks(text) if quotations is None else quotations
    doc = draft_document(text, quotations)
    out = []
    for q in quotations:
        found = find_speaker(doc, *q.pieces[0]) or (find_speaker(doc, *q.pieces[-1]) if len(q.pieces) > 1 else None)
        out.append(replace(q, speaker=found.name, cue=text[found.start:found.end]) if found else q)
    return out
