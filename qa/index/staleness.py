"""Whether an index still matches its documents folder, and if not, why.

What it does: compares the content hashes an index recorded for its
documents with the files in a folder now, and names the first difference
("x.txt was added", "y.txt changed", "z.txt was removed").

What it does not do: rebuild anything, or read the index files (``qa.index.store`` does).

>>> from types import SimpleNamespace as NS
>>> index = NS(docs=[NS(name="a.txt", sha256="1"), NS(name="b.txt", sha256="2")])
>>> staleness(index, [NS(name="a.txt", sha256="1"), NS(name="b.txt", sha256="3")])
'b.txt changed'
"""

from __future__ import annotations

from pathlib import Path

from qa.ingest.documents import Document
from qa.index.hybrid import Index


def folder_staleness(index: Index, docs_dir=None, max_file_bytes: int = 20_000_000) -> str | None:
    """Why ``index`` no longer matches ``docs_dir`` (default: the folder it was built from).

    None when it matches, or when there is no such folder to compare with.
    """
    from qa.ingest.documents import read_folder

    folder = docs_dir if docs_dir is not None else index.manifest.get("docs_dir")
    if not folder or not Path(folder).is_dir():
        return None
    return staleness(index, read_folder(folder, max_file_bytes)[0])


def staleness(index: Index, docs: list[Document]) -> str | None:
    """Why ``index`` no longer matches ``docs``, or None if it does."""
    indexed = {d.name: d.sha256 for d in index.docs}
    current = {d.name: d.sha256 for d in docs}
    for name in sorted(set(indexed) | set(current)):
        if name not in indexed:
            return f"{name} was added"
        if name not in current:
            return f"{name} was removed"
        if indexed[name] != current[name]:
            return f"{name} changed"
    return None
