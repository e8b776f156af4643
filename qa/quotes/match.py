"""A place in the sources that a quote matches, cut verbatim from the document's text.

What it does: the ``Match`` record shared by exact and close search (with
the ``source`` -- title, publisher, date -- of the document it is in), and
the one function that turns a range of a document's canonical form back
into a verbatim span of its text (``doc.text[start:end] == source_text``).

What it does not do: search (``qa.quotes.search``, ``qa.quotes.close``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.ingest.documents import Document
from qa.quotes.diff import Canon, DiffOp, MeaningChange, cached_canonical


@dataclass
class Match:
    file: str
    paragraph: int
    start: int
    end: int
    source_text: str
    similarity: float
    speaker: str | None = None
    diff: list[DiffOp] = field(default_factory=list)
    meaning_changes: list[MeaningChange] = field(default_factory=list)
    source: dict = field(default_factory=dict)  # the document's title, publisher, date: the fields known
    page: int | None = None  # the PDF page the match starts on; None for a source without pages


def doc_canon(doc: Document) -> Canon:
    return cached_canonical(doc.text)


def make_match(doc: Document, a: int, b: int, similarity: float) -> Match:
    """The match of canonical range ``[a, b)`` of ``doc``, cut verbatim from its text."""
    offs = doc_canon(doc).offs
    start, end = offs[a], offs[b - 1] + 1
    paragraph = next((p.number for p in doc.paragraphs if p.start <= start < p.end), 0)
    return Match(doc.name, paragraph, start, end, doc.text[start:end], round(similarity, 3), source=doc.source.as_json(),
                 page=doc.page_at(start))
