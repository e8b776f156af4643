"""Save and load the index folder: plain files, checksummed, crash-safe.

What it does: the one place that reads and writes the index. An index
folder holds generations (``gen-<n>/``) and a ``CURRENT`` file naming the
live one. A save writes a new generation into a temporary folder, fsyncs
every file, renames the folder into place, then replaces ``CURRENT``
atomically; the previous generation is kept as a fallback. Inside a
generation everything is a plainly named file -- JSON Lines, ``.npy``
arrays (vectors, word pieces' vectors), a FAISS index, bm25s's JSON/NPY folder -- never a pickle, and
``manifest.json`` records the format version, model, dimension, counts,
settings and the SHA-256 of every source and every index file.

Loading checks the manifest and every checksum (``qa.index.manifest``)
*before* anything is read into FAISS or numpy, and raises ``IndexError_``
with a one-line message naming the file and what to run; ``load_index`` then
falls back to the newest older generation that is complete, with a warning,
as it does when ``CURRENT`` is missing or names no generation. The vectors,
the FAISS index and the BM25 arrays are then memory-mapped, not copied, so a
large index costs page cache rather than process memory (``qa.index.ann``
records in the manifest which FAISS index was chosen, with its recall).

What it does not do: decide when to rebuild (``qa.index.staleness`` compares an index with its folder).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import tempfile
from pathlib import Path

import bm25s
import faiss
import numpy as np

from qa.ingest.chunking import Chunk, Sentence
from qa.config import Config
from qa.ingest.documents import Document, Paragraph, describe_source, sha256_text
from qa.ingest.metadata import FIELDS, Source
from qa.index.hybrid import Index
from qa.index.pieces import load_pieces, save_pieces
from qa.index.records import origin_of, origin_row, write_texts

from qa.index.generations import (  # noqa: F401  (re-exported: the folder layout is part of this module's API)
    CURRENT, BuildRunning, build_checkpoint, build_lock, current_generation, generation_number, generations, point_current,
)
from qa.index.manifest import (  # noqa: F401  (re-exported, as above)
    IndexError_, built_model, make_manifest, read_manifest, sha256_file, verify_files,
)

KEEP_GENERATIONS = 2


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_files(index: Index, folder: Path) -> None:
    _write_jsonl(folder / "documents.jsonl", (
        {"name": d.name, "sha256": d.sha256, "text": d.text,
         "paragraphs": [[p.number, p.start, p.end, p.kind] for p in d.paragraphs], "source": d.source.as_json(),
         **origin_row(d)} for d in index.docs))
    write_texts(index.docs, folder)  # texts/NAME.txt: each web page's or PDF's text of record, checksummed
    _write_jsonl(folder / "chunks.jsonl", ([c.doc, c.paragraph, c.start, c.end] for c in index.chunks))
    _write_jsonl(folder / "sentences.jsonl", ([s.doc, s.paragraph, s.start, s.end, s.chunk] for s in index.sentences))
    np.save(folder / "sentence_vectors.npy", index.sentence_vectors, allow_pickle=False)
    np.save(folder / "chunk_vectors.npy", index.chunk_vectors, allow_pickle=False)
    save_pieces(folder, index.piece_codes, index.piece_starts)
    faiss.write_index(index.dense, str(folder / "sentences.faiss"))
    index.bm25_sentences.save(str(folder / "bm25_sentences"))
    index.bm25_chunks.save(str(folder / "bm25_chunks"))


def save_index(index: Index, root: str | Path, cfg: Config, dim: int, docs_dir: str | None = None,
               sources_file: str | None = None, extra: dict | None = None) -> Path:
    """Write ``index`` as a new generation of ``root`` and make it current (``sources_file``: its ``sources.json``'s hash;
    ``extra``: more manifest fields, such as the ``query_encoder`` of ``qa.index.onnx_export``)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob(".building-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        _write_files(index, tmp)
        build_checkpoint("files-written")
        manifest = {**make_manifest(index, tmp, cfg, dim, docs_dir, sources_file), **(extra or {})}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        _fsync_tree(tmp)
        build_checkpoint("fsynced")
        number = max([generation_number(g) for g in generations(root)] + [0]) + 1
        final = root / f"gen-{number:06d}"
        os.rename(tmp, final)
        build_checkpoint("renamed")
        load_generation(final, cfg)  # verify before switching to it
        point_current(root, final)
        build_checkpoint("switched")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in generations(root)[KEEP_GENERATIONS:]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _load_docs(gen: Path) -> list[Document]:
    docs = []
    for row in _read_jsonl(gen / "documents.jsonl"):
        text = row["text"]
        paragraphs = tuple(Paragraph(n, s, e, text[s:e], k) for n, s, e, k in row["paragraphs"])
        if sha256_text(text) != row["sha256"]:
            raise IndexError_(f"document {row['name']} in {gen} does not match its checksum; run `qa index`")
        docs.append(Document(row["name"], text, row["sha256"], paragraphs, _source(row, paragraphs), origin_of(row, text)))
    return docs


def _source(row: dict, paragraphs) -> Source:
    """A saved document's ``Source``; an index saved before sources were recorded gets what its text states."""
    saved = row.get("source")
    if isinstance(saved, dict):
        return Source(**{k: v for k, v in saved.items() if k in FIELDS and isinstance(v, str)})
    return describe_source(row["name"], row["text"], paragraphs)


def _read_faiss(path: Path) -> faiss.Index:
    """The FAISS index at ``path``, memory-mapped where its type allows (flat codes, IVF lists)."""
    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    except RuntimeError:
        return faiss.read_index(str(path))


def load_generation(gen: Path, cfg: Config) -> Index:
    """Load and verify one generation folder."""
    manifest = read_manifest(gen, cfg)
    verify_files(gen, manifest)
    docs = _load_docs(gen)
    chunks = [Chunk(d, p, s, e, docs[d].text[s:e]) for d, p, s, e in _read_jsonl(gen / "chunks.jsonl")]
    sentences = [Sentence(d, p, s, e, docs[d].text[s:e], c) for d, p, s, e, c in _read_jsonl(gen / "sentences.jsonl")]
    vectors = np.load(gen / "sentence_vectors.npy", allow_pickle=False, mmap_mode="r")
    dense = _read_faiss(gen / "sentences.faiss")
    if dense.ntotal != len(sentences) or len(vectors) != len(sentences) or dense.d != manifest.get("dimension"):
        raise IndexError_(f"index {gen} has {dense.ntotal} vectors for {len(sentences)} sentences; run `qa index`")
    return Index(
        docs=docs, chunks=chunks, sentences=sentences, sentence_vectors=vectors,
        chunk_vectors=np.load(gen / "chunk_vectors.npy", allow_pickle=False, mmap_mode="r"), dense=dense,
        bm25_sentences=bm25s.BM25.load(str(gen / "bm25_sentences"), mmap=True),
        bm25_chunks=bm25s.BM25.load(str(gen / "bm25_chunks"), mmap=True), manifest=manifest,
        dense_info=manifest.get("dense_index") or {}, **load_pieces(gen, len(sentences), vectors.shape[1]),
    )


def _load_checked(gen: Path, cfg: Config) -> Index:
    """``load_generation``, any failure to read the generation given as an ``IndexError_`` naming it."""
    try:
        return load_generation(gen, cfg)
    except IndexError_:
        raise
    except (OSError, ValueError, RuntimeError) as err:
        raise IndexError_(f"index {gen} is unreadable ({err}); run `qa index`") from None


def _no_index(root: Path) -> IndexError_:
    """The error for a folder holding no generation: where it looked (absolute, as run from elsewhere) and what to run."""
    where = os.path.abspath(root)
    return IndexError_(f"no index in {where}; build one with `qa index --docs FOLDER --index {shlex.quote(where)}`")


def load_index(root: str | Path, cfg: Config, warn=None) -> Index:
    """The current generation of ``root``; failing that, the newest complete one, after a ``warn``ing.

    Complete is what ``load_generation`` checks: a valid manifest and every
    checksum. So a damaged current generation, or a ``CURRENT`` that is missing
    or names no generation, costs a warning rather than the index.
    """
    root = Path(root)
    if not generations(root):
        raise _no_index(root)
    current = current_generation(root)
    if current is None:
        problem = IndexError_(f"{root / CURRENT} is missing or names no generation; run `qa index` to rebuild")
        return _fallback(root, None, cfg, problem, warn)
    try:
        return _load_checked(current, cfg)
    except IndexError_ as err:
        return _fallback(root, current, cfg, err, warn)


def _fallback(root: Path, skip: Path | None, cfg: Config, problem: IndexError_, warn) -> Index:
    """The newest generation but ``skip`` that loads, ``warn``ing of ``problem``; else raise ``problem``."""
    failures = []
    for gen in generations(root):
        if gen != skip:
            try:
                index = _load_checked(gen, cfg)
            except IndexError_ as err:
                failures.append(err)
                continue
            if warn:
                warn(f"{problem}; answering from the {'previous' if skip else 'newest complete'} index {gen.name}")
            return index
    # With no CURRENT to blame, what is wrong with the newest generation is the useful message.
    raise failures[0] if skip is None and failures else problem
