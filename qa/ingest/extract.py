"""Sources that are not plain text -- saved web pages, PDFs -- read into a text of record, each within bounds.

What it does: knows which suffixes are read by extraction (``.html``,
``.htm``: ``qa.ingest.html``; ``.pdf``: ``qa.ingest.pdf``) and runs each
extraction in a worker process that may use ``MEMORY_BYTES`` of memory and
``SECONDS_PER_FILE`` of time: a page that makes a parser loop or swell is
stopped there, reported in one line, and the rest of the folder still
reads (the worker, ``qa.ingest.worker``, is started again for the next file). The result, an
``Extracted``, carries the text of record, where each PDF page starts in it,
what the file's own metadata states (title, publisher, date) and warnings; it
is keyed by the SHA-256 of the file's bytes, so an index can hand back what
it extracted before and an unchanged file is never extracted twice.

What it does not do: split paragraphs, classify debris or lay ``sources.json``
over the metadata (``qa.ingest.documents`` does, as for a ``.txt``).

>>> ex = Extracted("pdf", "ab", "One.\\n\\nTwo.", pages=((1, 0), (3, 6)))
>>> ex.page_at(0), ex.page_at(7), Extracted.from_json(ex.as_json(), ex.text) == ex
(1, 3, True)
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

KINDS = {".html": "html", ".htm": "html", ".pdf": "pdf"}
SECONDS_PER_FILE = 60
MEMORY_BYTES = 2 << 30  # address space of the worker: a file that needs more is reported, not read
MAX_PAGES = 300         # a longer PDF is read up to here, with a warning


@dataclass(frozen=True)
class Extracted:
    """What was read from one non-text source file (``file_sha256``: of its bytes)."""
    kind: str  # "html" | "pdf"
    file_sha256: str
    text: str
    pages: tuple[tuple[int, int], ...] = ()  # (page number, offset in ``text`` where that page's text starts)
    meta: dict = field(default_factory=dict, compare=False, hash=False)  # title, publisher, date as the file states
    warnings: tuple[str, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` is on; None for a source without pages."""
        if not self.pages:
            return None
        i = bisect.bisect_right([start for _, start in self.pages], offset) - 1
        return self.pages[max(i, 0)][0]

    def as_json(self) -> dict:
        return {"kind": self.kind, "file_sha256": self.file_sha256, "pages": [list(p) for p in self.pages],
                "meta": self.meta, "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, row: dict, text: str | None = None) -> Extracted:
        """Back from ``as_json`` (``text``: the document's text, stored beside it)."""
        return cls(row["kind"], row["file_sha256"], row.get("text", "") if text is None else text,
                   tuple((int(n), int(s)) for n, s in row.get("pages", [])),
                   {k: v for k, v in (row.get("meta") or {}).items() if isinstance(v, str)},
                   tuple(str(w) for w in row.get("warnings", [])))


def kind_of(name: str) -> str | None:
    """"html", "pdf", or None for a file read as plain text."""
    dot = name.rfind(".")
    return KINDS.get(name[dot:].lower()) if dot >= 0 else None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract_bytes(kind: str, data: bytes, max_pages: int = MAX_PAGES) -> Extracted:
    """Read ``data`` in this process (``ValueError`` saying why it can't be used)."""
    if kind == "html":
        from qa.ingest.html import read_html

        text, meta, warnings = read_html(data)
        return Extracted(kind, sha256_bytes(data), text, (), meta, tuple(warnings))
    from qa.ingest.pdf import read_pdf

    text, pages, meta, warnings = read_pdf(data, max_pages)
    return Extracted(kind, sha256_bytes(data), text, pages, meta, tuple(warnings))


def extraction_result(kind: str, data: bytes, max_pages: int) -> dict:
    """The extraction as JSON, ``{"extracted": ...}``, or ``{"error": reason}``: never an exception across processes."""
    try:
        found = extract_bytes(kind, data, max_pages)
        return {"extracted": {**found.as_json(), "text": found.text}}
    except MemoryError:
        return {"error": "needs more memory than an extraction may use; not read"}
    except RecursionError:
        return {"error": "nested too deeply to read"}
    except ValueError as err:
        return {"error": str(err)}
    except Exception as err:  # noqa: BLE001 -- a parser's own bug in one file must not stop the folder
        return {"error": f"could not be read ({type(err).__name__}: {' '.join(str(err).split())[:80]})"}
