"""Whether an index still matches its documents folder, and if not, why.

What it does: compares the content hashes an index recorded for its
documents (and for the folder's ``sources.json``: a new title or date is a
change too) with the files in a folder now, and names the first difference
("x.txt was added", "y.txt changed", "z.txt was removed", "sources.json
changed") or sums up all of them in one line ("1 document added: x.txt; 2
documents changed: a.txt, y.txt").

What it does not do: rebuild anything, or read the index files (``qa.index.store`` does).

>>> from types import SimpleNamespace as NS
>>> index = NS(docs=[NS(name="a.txt", sha256="1"), NS(name="b.txt", sha256="2")])
>>> staleness(index, [NS(name="a.txt", sha256="1"), NS(name="b.txt", sha256="3")])
'b.txt changed'
>>> summarise(differences(index, [NS(name="b.txt", sha256="3"), NS(name="c.txt", sha256="4")]))
'1 document added: c.txt; 1 document changed: b.txt; 1 document removed: a.txt'
"""

from __future__ import annotations

import os
from pathlib import Path

from qa.ingest.documents import Document
from qa.ingest.metafiles import SOURCES_FILE
from qa.index.hybrid import Index

_FIRST = {"added": "{} was added", "changed": "{} changed", "removed": "{} was removed"}
NAMES_SHOWN = 3  # per kind of change: the summary stays one readable line however much changed


def _folder(index: Index, docs_dir, max_file_bytes: int):
    """``docs_dir`` as read now (default: the folder ``index`` was built from); None without one."""
    from qa.ingest.documents import load_folder
    from qa.index.records import known_extractions

    folder = docs_dir if docs_dir is not None else index.manifest.get("docs_dir")
    if not folder or not Path(folder).is_dir():
        return None
    return load_folder(folder, max_file_bytes, known_extractions(index))  # an unchanged PDF is not read again


def sources_file_change(index: Index, sha256: str | None) -> str | None:
    """How the folder's ``sources.json`` (hash ``sha256`` now) differs from the one ``index`` was built with.

    An index built before the file was recorded counts as built without one.

    >>> from types import SimpleNamespace as NS
    >>> sources_file_change(NS(manifest={}), "ab"), sources_file_change(NS(manifest={"sources_file": "ab"}), "cd")
    ('sources.json was added', 'sources.json changed')
    """
    built = index.manifest.get("sources_file")
    if built == sha256:
        return None
    return f"{SOURCES_FILE} " + ("was added" if built is None else "was removed" if sha256 is None else "changed")


def folder_listing(folder) -> tuple | None:
    """Name, size and modification time of each entry of ``folder`` (None without one): cheap to take,
    and it changes whenever a file that ``folder_staleness`` reads is added, removed or rewritten."""
    if not folder or not Path(folder).is_dir():
        return None
    with os.scandir(folder) as entries:
        stats = [(e.name, e.stat()) for e in entries if e.is_file()]
    return tuple(sorted((name, s.st_size, s.st_mtime_ns) for name, s in stats))


def folder_staleness(index: Index, docs_dir=None, max_file_bytes: int = 20_000_000) -> str | None:
    """Why ``index`` no longer matches ``docs_dir`` (default: the folder it was built from).

    None when it matches, or when there is no such folder to compare with.
    """
    found = _folder(index, docs_dir, max_file_bytes)
    if found is None:
        return None
    return staleness(index, found.docs) or sources_file_change(index, found.sources_sha256)


def folder_changes(index: Index, docs_dir=None, max_file_bytes: int = 20_000_000) -> str | None:
    """Every way ``index`` no longer matches ``docs_dir``, as ``summarise`` puts it; None as ``folder_staleness``."""
    found = _folder(index, docs_dir, max_file_bytes)
    if found is None:
        return None
    parts = [summarise(differences(index, found.docs)), sources_file_change(index, found.sources_sha256)]
    return "; ".join(p for p in parts if p) or None


def differences(index: Index, docs: list[Document]) -> list[tuple[str, str]]:
    """``(name, "added" | "changed" | "removed")`` for each document that differs, in name order."""
    indexed = {d.name: version(d) for d in index.docs}
    current = {d.name: version(d) for d in docs}
    found = []
    for name in sorted(set(indexed) | set(current)):
        if name not in indexed:
            found.append((name, "added"))
        elif name not in current:
            found.append((name, "removed"))
        elif indexed[name] != current[name]:
            found.append((name, "changed"))
    return found


def version(doc) -> str:
    """What tells one version of a source from another: its text's hash; a web page's or PDF's file hash."""
    origin = getattr(doc, "origin", None)
    return origin.file_sha256 if origin is not None else doc.sha256


def staleness(index: Index, docs: list[Document]) -> str | None:
    """Why ``index`` no longer matches ``docs`` (the first difference by name), or None if it does."""
    found = differences(index, docs)
    return _FIRST[found[0][1]].format(found[0][0]) if found else None


def summarise(found: list[tuple[str, str]]) -> str:
    """The ``differences`` in one line: how many documents of each kind, and the first few names."""
    parts = []
    for kind in _FIRST:
        names = [name for name, k in found if k == kind]
        if names:
            more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
            parts.append(f"{len(names)} document{'s' if len(names) > 1 else ''} {kind}: {', '.join(names[:NAMES_SHOWN])}{more}")
    return "; ".join(parts)
