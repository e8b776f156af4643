"""The texts of record an index keeps for its web pages and PDFs, and what it remembers of files it could not read.

What it does: beside ``documents.jsonl``, a generation holds ``texts/NAME.txt``
for each document extracted from a web page or PDF -- its text of record,
plain UTF-8, the very text every offset and quote refers to, checksummed in
the manifest like every file of the generation -- and the manifest's
``unread`` field names the files that could not be read, with the SHA-256
of their bytes and the reason. ``known_extractions`` turns both back into
what ``qa.ingest.documents.load_folder`` needs to hand an unchanged file's
text back (or its reason again) without extracting it a second time.

What it does not do: extract anything (``qa.ingest.extract``) or decide
staleness (``qa.index.staleness``).

>>> from types import SimpleNamespace as NS
>>> from qa.ingest.extract import Extracted
>>> page = Extracted("pdf", "f1", "Text.", ((1, 0),))
>>> index = NS(docs=[NS(origin=page), NS(origin=None)], manifest={"unread": {"scan.pdf": ["f2", "no text layer"]}})
>>> known_extractions(index) == {"f1": page, "f2": "no text layer"}
True
>>> text_file_name("report.pdf"), len(text_file_name("x" * 250 + ".pdf"))
('texts/report.pdf.txt', 247)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from qa.ingest.documents import Document, Skipped
from qa.ingest.extract import Extracted

TEXTS = "texts"
MAX_NAME_BYTES = 240  # a file name may have 255 bytes: room for ".txt"


def text_file_name(name: str) -> str:
    """Where a generation keeps the text of record of source ``name`` (relative to the generation); a name too
    long for a file name once ``.txt`` is added is cut, with its hash to keep it apart."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return f"{TEXTS}/{name}.txt"
    cut = name.encode("utf-8")[:MAX_NAME_BYTES - 20].decode("utf-8", "ignore")
    return f"{TEXTS}/{cut}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}.txt"


def write_texts(docs: list[Document], folder: Path) -> None:
    """Write the text of record of each extracted document into ``folder/texts/``."""
    for doc in docs:
        if doc.origin is not None:
            path = folder / text_file_name(doc.name)
            path.parent.mkdir(exist_ok=True)
            path.write_text(doc.text, encoding="utf-8", newline="")


def origin_row(doc: Document) -> dict:
    """The ``origin`` field of a document's row in ``documents.jsonl`` (none for a text file)."""
    return {"origin": doc.origin.as_json()} if doc.origin is not None else {}


def origin_of(row: dict, text: str) -> Extracted | None:
    """A saved document's ``Extracted`` (its text: the one saved), or None for a text file or an unreadable row."""
    saved = row.get("origin")
    if not isinstance(saved, dict):
        return None
    try:
        return Extracted.from_json(saved, text)
    except (KeyError, TypeError, ValueError):
        return None


def unread_field(skipped: list[Skipped]) -> dict:
    """The manifest's ``unread``: name -> [SHA-256 of the bytes, reason] of each web page or PDF not read."""
    return {s.name: [s.sha256, s.reason] for s in skipped if s.sha256}


def known_extractions(index) -> dict:
    """File SHA-256 -> ``Extracted`` (or the reason it was not read) of everything ``index`` extracted."""
    known: dict = {}
    for entry in (index.manifest.get("unread") or {}).values():
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry):
            known[entry[0]] = entry[1]
    known.update({d.origin.file_sha256: d.origin for d in index.docs if d.origin is not None})
    return known
