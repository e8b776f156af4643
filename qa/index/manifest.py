"""The manifest of an index generation: what it records, and the checks made before anything is loaded.

What it does: builds ``manifest.json``'s content -- the format version, model,
dimension, counts, settings and the SHA-256 of every source, of the folder's
``sources.json`` and of every index file -- and reads it back checked: valid
JSON, this format version, the same settings, every field of the type the
loader, the CLI and the web app expect, a checksum for each file a
generation needs and none for a file outside it, and each checksum against
the file. Whatever is wrong raises ``IndexError_``
with one line naming the field or file and what to run, so ``load_index``
can fall back to an older generation instead of a traceback surfacing deep
inside a load (an ``AttributeError`` for a list where an object belongs).

What it does not do: read the index files themselves (``qa.index.store``).

>>> _describe(dict), _describe((str, type(None)))
('an object', 'a string or null')
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from qa.config import FORMAT_VERSION, Config, index_settings
from qa.errors import UserError
from qa.index.hybrid import Index


class IndexError_(UserError, RuntimeError):
    """The index is missing, damaged or does not fit; the message says what to run."""


# The type of each field that readers use as it is. An older manifest may lack one
# (readers use .get() with a default), so a field is checked only when present.
FIELD_TYPES = {"format_version": int, "built_at": str, "model": str, "dimension": int, "docs_dir": (str, type(None)),
               "settings": dict, "dense_index": dict, "counts": dict, "sources": dict, "files": dict,
               "sources_file": (str, type(None)),  # the SHA-256 of the folder's sources.json, null without one
               "query_encoder": (dict, type(None)),  # the ONNX encoder for questions (qa.index.onnx_session); null: none
               "unread": dict}  # web pages and PDFs not read: name -> [SHA-256 of the file, reason] (qa.index.records)
VALUE_TYPES = {"counts": int, "sources": str, "files": str}  # the type of every value of these objects
REQUIRED_FILES = ("documents.jsonl", "chunks.jsonl", "sentences.jsonl", "sentence_vectors.npy", "chunk_vectors.npy",
                  "sentences.faiss")
_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a whole number", float: "a number",
               bool: "true or false", type(None): "null"}
_PLURALS = {int: "whole numbers", str: "strings"}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_manifest(index: Index, folder: Path, cfg: Config, dim: int, docs_dir: str | None = None,
                  sources_file: str | None = None) -> dict:
    files = {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}
    return {
        "format_version": FORMAT_VERSION, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": cfg.model, "dimension": dim, "docs_dir": docs_dir, "settings": index_settings(cfg),
        "dense_index": index.dense_info or {"type": type(index.dense).__name__, "metric": "inner_product"},
        "counts": {"documents": len(index.docs), "paragraphs": sum(len(d.paragraphs) for d in index.docs),
                   "chunks": len(index.chunks), "sentences": len(index.sentences),
                   "vectors": int(index.dense.ntotal)},
        "sources": {d.name: d.sha256 for d in index.docs}, "sources_file": sources_file, "files": files,
    }


def _describe(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_JSON_NAMES.get(k, k.__name__) for k in kinds)


def _is(value, kind) -> bool:
    """``isinstance``, except that JSON's true and false are not whole numbers."""
    return isinstance(value, kind) and not (isinstance(value, bool) and kind is int)


def _bad(path: Path, problem: str) -> IndexError_:
    return IndexError_(f"index manifest {path}: {problem}; run `qa index` to rebuild")


def _check_types(manifest: dict, path: Path) -> None:
    for name, kind in FIELD_TYPES.items():
        if name in manifest and not _is(manifest[name], kind):
            raise _bad(path, f'"{name}" should be {_describe(kind)}, not {_describe(type(manifest[name]))}')
    for name, kind in VALUE_TYPES.items():
        wrong = [key for key, value in manifest.get(name, {}).items() if not _is(value, kind)]
        if wrong:
            found = _describe(type(manifest[name][wrong[0]]))
            raise _bad(path, f'"{name}" should hold {_PLURALS[kind]}, not {found} (at {wrong[0]!r})')


def _check_file_list(files: dict, path: Path) -> None:
    outside = [rel for rel in files if Path(rel).is_absolute() or ".." in Path(rel).parts]
    if outside:
        raise _bad(path, f"lists a file outside the generation ({outside[0]!r})")
    for name in REQUIRED_FILES:
        if name not in files:  # else a manifest listing nothing would have nothing checked
            raise _bad(path, f"has no checksum for {name}")


def read_manifest(gen: Path, cfg: Config) -> dict:
    """The checked manifest of generation ``gen`` (see the module docstring); ``IndexError_`` if unusable."""
    path = gen / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        raise IndexError_(f"index manifest {path} is missing or unreadable; run `qa index` to rebuild") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"index {gen} has format {manifest.get('format_version') if isinstance(manifest, dict) else '?'}, "
                          f"this version reads {FORMAT_VERSION}; run `qa index` to rebuild")
    if manifest.get("settings") != index_settings(cfg):
        raise IndexError_(f"index {gen} was built with other settings {manifest.get('settings')}; run `qa index` to rebuild")
    _check_types(manifest, path)
    _check_file_list(manifest.get("files", {}), path)
    return manifest


def verify_files(gen: Path, manifest: dict) -> None:
    """``IndexError_`` unless every file the manifest lists is there with its checksum."""
    for rel, expected in manifest["files"].items():
        path = gen / rel
        if not path.is_file():
            raise IndexError_(f"index file {path} is missing; run `qa index` to rebuild")
        if sha256_file(path) != expected:
            raise IndexError_(f"index file {path} is damaged (checksum mismatch); run `qa index` to rebuild")


def built_model(gens: list[Path]) -> str | None:
    """The model named by the first of ``gens`` whose manifest names one (unchecked: a hint, not a load)."""
    for gen in gens:
        try:
            manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(manifest, dict) and isinstance(manifest.get("model"), str):
            return manifest["model"]
    return None
