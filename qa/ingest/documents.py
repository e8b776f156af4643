"""Read a folder of articles into documents made of numbered paragraphs.

What it does: the one place that reads source files. Each ``.txt``/``.md``
file is decoded as UTF-8 (with or without a byte-order mark; CRLF and
non-breaking spaces are kept as they are), split into paragraphs -- blocks
of non-blank lines, numbered from 1 counting *every* block so a reader who
counts blocks finds the cited one -- and each paragraph keeps its exact
character offsets into the text as read. Files that can't be used (binary,
not UTF-8, empty, too large, a duplicate of another file, a link leading out
of the folder) are reported one by one and skipped; the rest still load.

Each document also carries its ``Source`` -- title, publisher, date -- as
its own lines state them (``qa.ingest.metadata``), overridden by a ``.md``
file's front matter and by the folder's ``sources.json``
(``qa.ingest.metafiles``); front matter stays in the text, marked as debris.

What it does not do: decide what is page debris (``qa.ingest.debris`` does) or
split sentences (``qa.ingest.chunking`` does).

>>> doc = parse_document("a.txt", "Title\\n\\nFirst line.\\nSecond line.\\n")
>>> [(p.number, p.text) for p in doc.paragraphs]
[(1, 'Title'), (2, 'First line.\\nSecond line.')]
>>> doc.text[doc.paragraphs[1].start:doc.paragraphs[1].end] == doc.paragraphs[1].text
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qa.ingest.debris import classify_blocks
from qa.ingest.extract import KINDS, Extracted
from qa.ingest.files import FileReader, Unread, check_file, decode  # noqa: F401  (decode: re-exported)
from qa.ingest.metadata import Source, read_source
from qa.ingest.metafiles import front_matter, lay_over, read_sources_file, sources_file_sha256

SUFFIXES = (".txt", ".md", *KINDS)  # .html, .htm, .pdf: read into a text of record (qa.ingest.extract)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    end: int
    text: str
    kind: str  # "body" | "title" | "heading" | "debris"

    @property
    def answerable(self) -> bool:
        return self.kind == "body"


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    sha256: str
    paragraphs: tuple[Paragraph, ...]
    source: Source = field(default=Source())  # title, publisher, date: what is known of them
    origin: Extracted | None = None  # for a web page or PDF: what was extracted (``text`` is its text of record)

    @property
    def title(self) -> str | None:
        """The article's title where it states one (never its opening words: a dateline is no title)."""
        return self.source.title

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]

    def page_at(self, offset: int) -> int | None:
        """The PDF page the character at ``offset`` is on; None for a source without pages."""
        return self.origin.page_at(offset) if self.origin else None


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str
    sha256: str | None = None  # of a web page's or PDF's bytes that could not be read: an index remembers why


def split_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of non-blank lines, trimmed of outer space.

    A line holding only whitespace (non-breaking spaces included) is blank.

    >>> split_blocks("a\\n \\u00a0\\n b\\nc\\n")
    [(0, 1), (6, 9)]
    """
    blocks: list[tuple[int, int]] = []
    current: list[int] | None = None
    for m in _LINE.finditer(text):
        line = m.group().rstrip("\r\n")
        if not m.group():
            break
        if line.strip():
            lead = len(line) - len(line.lstrip())
            line_start, line_end = m.start() + lead, m.start() + len(line.rstrip())
            if current is None:
                current = [line_start, line_end]
            else:
                current[1] = line_end
        elif current is not None:
            blocks.append((current[0], current[1]))
            current = None
    if current is not None:
        blocks.append((current[0], current[1]))
    return blocks


def _front_end(name: str, text: str) -> int:
    """Where a ``.md`` file's front matter ends (0: none, or not Markdown)."""
    return front_matter(text)[0] if name.lower().endswith(".md") else 0


def describe_source(name: str, text: str, paragraphs, stated: Mapping | None = None) -> Source:
    """What is known of a document's origin: its own lines, then its front matter, then ``stated`` (``sources.json``)."""
    end = _front_end(name, text)
    rest = [p for p in paragraphs if p.start >= end]
    fields = front_matter(text)[1] if end else {}
    return lay_over(read_source([p.text for p in rest], [p.kind for p in rest]), fields, stated or {})


def parse_document(name: str, text: str, stated: Mapping | None = None) -> Document:
    """Split ``text`` into numbered, classified paragraphs and say where it comes from (pure).

    ``stated``: the fields ``sources.json`` gives for it. Front matter is debris: in the text, never quoted.
    """
    spans = split_blocks(text)
    end = _front_end(name, text)
    head = sum(1 for s, _ in spans if s < end)
    kinds = ["debris"] * head + classify_blocks([text[s:e] for s, e in spans[head:]])
    paragraphs = tuple(
        Paragraph(i + 1, s, e, text[s:e], kind) for i, ((s, e), kind) in enumerate(zip(spans, kinds))
    )
    return Document(name, text, sha256_text(text), paragraphs, describe_source(name, text, paragraphs, stated))


def parse_extracted(name: str, extracted: Extracted, stated: Mapping | None = None) -> Document:
    """A web page's or PDF's document: its text of record read as a text file's is, the file's own metadata
    laid over what the rules read, and ``stated`` (``sources.json``) over that."""
    doc = parse_document(name, extracted.text, {**extracted.meta, **(stated or {})})
    return Document(doc.name, doc.text, doc.sha256, doc.paragraphs, doc.source, extracted)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_source_files(folder: Path) -> list[Path]:
    """Source files directly inside ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


@dataclass
class Folder:
    """A documents folder as read: its documents, the files skipped, warnings, and its ``sources.json``'s hash."""
    docs: list[Document]
    skipped: list[Skipped]
    warnings: list[str]
    sources_sha256: str | None


def _read(reader: FileReader, path: Path, stated: Mapping | None) -> Document:
    got = reader.read(path)
    return parse_extracted(path.name, got, stated) if isinstance(got, Extracted) else parse_document(path.name, got, stated)


def load_folder(folder: str | Path, max_file_bytes: int = 20_000_000, known: Mapping | None = None) -> Folder:
    """Load every usable source file of ``folder`` with what is known of its origin; report the others.

    ``known``: what an index extracted before (file SHA-256 -> ``Extracted`` or the reason it was not read).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"documents folder not found: {folder}")
    sha = sources_file_sha256(folder)  # before reading: a change while it is read shows as stale next time
    paths = list_source_files(folder)
    stated, warning = read_sources_file(folder, {p.name for p in paths}, max_file_bytes)
    docs, skipped, warnings = [], [], [warning] if warning else []
    seen: dict[str, str] = {}
    with FileReader(known) as reader:
        for path in paths:
            problem, file_sha = check_file(path, folder, max_file_bytes), None
            if problem is None:
                try:
                    doc = _read(reader, path, stated.get(path.name))
                except (ValueError, OSError) as err:
                    problem, file_sha = str(err), getattr(err, "sha256", None)
            if problem is None and doc.sha256 in seen:
                problem = f"same content as {seen[doc.sha256]}"
            if problem is not None:
                skipped.append(Skipped(path.name, problem, file_sha))
                continue
            seen[doc.sha256] = path.name
            docs.append(doc)
            warnings += [f"{doc.name}: {p}" for p in (front_matter(doc.text)[2] if _front_end(doc.name, doc.text) else [])]
            warnings += [f"{doc.name}: {w}" for w in (doc.origin.warnings if doc.origin else ())]
    return Folder(docs, skipped, warnings, sha)


def read_folder(folder: str | Path, max_file_bytes: int = 20_000_000) -> tuple[list[Document], list[Skipped]]:
    """``load_folder``'s documents and skipped files."""
    found = load_folder(folder, max_file_bytes)
    return found.docs, found.skipped
