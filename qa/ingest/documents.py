"""Read a folder of articles into documents made of numbered paragraphs.

What it does: the one place that reads source files. Each ``.txt``/``.md``
file is decoded as UTF-8 (with or without a byte-order mark; CRLF and
non-breaking spaces are kept as they are), split into paragraphs -- blocks
of non-blank lines, numbered from 1 counting *every* block so a reader who
counts blocks finds the cited one -- and each paragraph keeps its exact
character offsets into the text as read. Files that can't be used (binary,
not UTF-8, empty, too large, a duplicate of another file, a link leading out
of the folder) are reported one by one and skipped; the rest still load.

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
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.debris import classify_blocks

SUFFIXES = (".txt", ".md")
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

    @property
    def title(self) -> str:
        """The article's title line, or the opening words of its first paragraph."""
        for p in self.paragraphs:
            if p.kind == "title":
                return p.text
        for p in self.paragraphs:
            if p.kind == "body":
                words = p.text.split()
                return " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        return self.name

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


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


def parse_document(name: str, text: str) -> Document:
    """Split ``text`` into numbered, classified paragraphs (pure)."""
    spans = split_blocks(text)
    kinds = classify_blocks([text[s:e] for s, e in spans])
    paragraphs = tuple(
        Paragraph(i + 1, s, e, text[s:e], kind) for i, ((s, e), kind) in enumerate(zip(spans, kinds))
    )
    return Document(name, text, sha256_text(text), paragraphs)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode(data: bytes) -> str:
    """Decode file bytes as the assistant reads them; ValueError says why not.

    >>> decode("\\ufeffHi".encode("utf-8"))
    'Hi'
    """
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (bad byte at offset {err.start})") from None
    if not text.strip():
        raise ValueError("empty file")
    return text


def list_source_files(folder: Path) -> list[Path]:
    """Source files directly inside ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def read_text(path: Path) -> str:
    """The text of one source file, exactly as offsets refer to it."""
    return decode(path.read_bytes())


def _check_file(path: Path, folder: Path, max_bytes: int) -> str | None:
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        return "symbolic link pointing outside the folder"
    if not path.is_file():
        return "not a regular file"
    if path.stat().st_size > max_bytes:
        return f"larger than the {max_bytes:,}-byte limit"
    return None


def read_folder(folder: str | Path, max_file_bytes: int = 20_000_000) -> tuple[list[Document], list[Skipped]]:
    """Load every usable source file of ``folder``; report the others."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"documents folder not found: {folder}")
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for path in list_source_files(folder):
        problem = _check_file(path, folder, max_file_bytes)
        if problem is None:
            try:
                doc = parse_document(path.name, read_text(path))
            except (ValueError, OSError) as err:
                problem = str(err)
        if problem is None and doc.sha256 in seen:
            problem = f"same content as {seen[doc.sha256]}"
        if problem is not None:
            skipped.append(Skipped(path.name, problem))
            continue
        seen[doc.sha256] = path.name
        docs.append(doc)
    return docs, skipped
