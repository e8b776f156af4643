"""The build: read a folder, index it, save a new generation under the build lock.

What it does: reads the documents of a folder (and its ``sources.json``),
builds the hybrid index (reusing the vectors of unchanged sentences from the
previous generation), and saves it as a new generation; and tells whether an
index is current for its folder.

What it does not do: answer questions (``qa.pipeline``) or print
(``qa.cli``).

>>> import tempfile, pathlib
>>> from qa.index.fake import FakeEmbedder
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "docs").mkdir(), (root / "docs" / "a.txt").write_text("The tank weighs 50 tonnes.")
>>> report = build_index_folder(root / "docs", root / "index", Config(model="fake"), embedder=FakeEmbedder())
>>> report.sentences, report.encoded, index_status(root / "docs", root / "index", Config(model="fake"))
(1, 1, None)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from qa.config import Config
from qa.index.embedding import Embedder, batch_embedder, load_embedder
from qa.index.hybrid import Index, build_index
from qa.index.onnx_export import encoder_status, ensure_encoder, prune_encoders
from qa.index.records import known_extractions, unread_field
from qa.index.staleness import folder_staleness
from qa.index.store import IndexError_, build_checkpoint, build_lock, load_index, save_index
from qa.ingest.documents import Skipped, load_folder


@dataclass
class BuildReport:
    documents: int
    skipped: list[Skipped]
    chunks: int
    sentences: int
    encoded: int
    seconds: float
    generation: str
    warnings: list[str] = field(default_factory=list)  # one line each: a malformed sources.json, a bad front-matter date


def _previous(index_dir: Path, cfg: Config) -> Index | None:
    try:
        return load_index(index_dir, cfg)
    except IndexError_:
        return None


def _check_index_dir(index_dir: Path) -> None:
    """``IndexError_`` unless ``index_dir`` is a folder or can be made one (its nearest existing part is a folder)."""
    for path in (index_dir, *index_dir.parents):
        if path.exists():
            if not path.is_dir():
                raise IndexError_(f"cannot make the index folder {index_dir}: {path} is not a folder; nothing was indexed")
            return


def build_index_folder(docs_dir, index_dir, cfg: Config, embedder: Embedder | None = None,
                       progress: bool = False, engine=None) -> BuildReport:
    """Index every usable file of ``docs_dir`` into a new generation of ``index_dir``
    (``engine``: where new sentences are embedded, e.g. ``qa.index.raybuild.RayEngine``; default here)."""
    started = time.perf_counter()
    _check_index_dir(Path(index_dir))
    previous = _previous(Path(index_dir), cfg)  # its web pages and PDFs are not extracted again unless changed
    folder = load_folder(docs_dir, cfg.max_file_bytes, known_extractions(previous) if previous else None)
    docs = folder.docs
    if not docs:
        raise IndexError_(f"no usable documents in {docs_dir}; nothing was indexed")
    # The model loads before the index folder is touched, so one that does not load leaves nothing behind.
    embedder = embedder or load_embedder(cfg.model, cfg.batch_size)
    with build_lock(index_dir):
        encoder, note = ensure_encoder(index_dir, embedder)  # the ONNX graph: questions without torch, faster builds
        batch = (engine.embedder(docs, previous, index_dir, encoder, embedder, cfg) if engine
                 else batch_embedder(index_dir, embedder, encoder))
        index, encoded = build_index(docs, batch, cfg, previous=previous, progress=progress)
        build_checkpoint("embedded")
        gen = save_index(index, index_dir, cfg, embedder.dim, str(Path(docs_dir).resolve()), folder.sources_sha256,
                         extra={"query_encoder": encoder, "unread": unread_field(folder.skipped),
                                **(engine.manifest() if engine else {})})
        prune_encoders(index_dir)
        if engine:
            engine.finish(index_dir)
    return BuildReport(len(docs), folder.skipped, len(index.chunks), len(index.sentences), encoded,
                       time.perf_counter() - started, gen.name, folder.warnings + ([note] if note else []))


def index_status(docs_dir, index_dir, cfg: Config) -> str | None:
    """None when ``index_dir`` is current for ``docs_dir``, else why it is not."""
    try:
        index = load_index(index_dir, cfg)
    except IndexError_ as err:
        return str(err)
    reason = folder_staleness(index, docs_dir, cfg.max_file_bytes)
    return f"the index is stale ({reason})" if reason else encoder_status(index, index_dir, cfg)
