"""Reading one source file of a folder: a text file decoded, a web page or PDF extracted (or handed back).

What it does: checks a file may be read (a regular file inside the folder,
within the size limit), decodes a ``.txt``/``.md`` as UTF-8, and reads a
``.html``/``.htm``/``.pdf`` through ``qa.ingest.extract`` -- unless ``known``
(what an index extracted before, by the SHA-256 of the file's bytes) already
holds it: then its text of record is handed back without extracting again,
and so is the reason a file was not read, so a broken PDF costs its time once.

What it does not do: split paragraphs or read metadata (``qa.ingest.documents``).

>>> decode("\\ufeffHi".encode("utf-8"))
'Hi'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from qa.ingest.extract import Extracted, kind_of, sha256_bytes
from qa.ingest.worker import Extractor


def decode(data: bytes) -> str:
    """Decode file bytes as the assistant reads them; ValueError says why not."""
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (bad byte at offset {err.start})") from None
    if not text.strip():
        raise ValueError("empty file")
    return text


def check_file(path: Path, folder: Path, max_bytes: int) -> str | None:
    """Why ``path`` may not be read (a link out of the folder, not a file, too large), or None."""
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        return "symbolic link pointing outside the folder"
    if not path.is_file():
        return "not a regular file"
    if path.stat().st_size > max_bytes:
        return f"larger than the {max_bytes:,}-byte limit"
    return None


class Unread(ValueError):
    """A file that could not be read; ``sha256`` (of its bytes) lets an index remember why, for next time."""

    def __init__(self, reason: str, sha256: str | None = None):
        super().__init__(reason)
        self.sha256 = sha256


class FileReader:
    """Reads files as text or extractions; ``known``: file SHA-256 -> ``Extracted`` or the reason it was not read."""

    def __init__(self, known: Mapping[str, Extracted | str] | None = None, extractor: Extractor | None = None):
        self.known = dict(known or {})
        self._extractor = extractor
        self._own = extractor is None

    def __enter__(self) -> FileReader:
        return self

    def __exit__(self, *exc) -> None:
        if self._own and self._extractor is not None:
            self._extractor.close()

    def read(self, path: Path) -> str | Extracted:
        """The text of a text file, or the extraction of another; ``ValueError``/``Unread`` saying why not."""
        data = path.read_bytes()
        kind = kind_of(path.name)
        if kind is None:
            return decode(data)
        sha = sha256_bytes(data)
        found = self.known.get(sha)
        if isinstance(found, Extracted) and found.kind == kind:
            return found
        if isinstance(found, str):
            raise Unread(found, sha)
        if self._extractor is None:
            self._extractor = Extractor()
        try:
            extracted = self._extractor(kind, data)
        except ValueError as err:
            self.known[sha] = str(err)
            raise Unread(str(err), sha) from None
        self.known[sha] = extracted
        return extracted
