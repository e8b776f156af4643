"""The assistant as a library: build an index, open it, ask it.

What it does: ties the stages together -- read the documents, build and save
the index (under the build lock, reusing unchanged documents' vectors),
open a saved index with its embedder and calibration, and answer a
question. The CLI, the web app and the evaluation runner all call these
few functions, so they all answer the same way.

What it does not do: print or parse arguments (``qa.cli`` does).

>>> import tempfile, pathlib
>>> from qa.fake import FakeEmbedder
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "docs").mkdir(), (root / "docs" / "a.txt").write_text("The tank weighs 50 tonnes.")
>>> report = build_index_folder(root / "docs", root / "index", Config(model="fake"), embedder=FakeEmbedder())
>>> report.sentences, report.encoded
(1, 1)
>>> assistant = open_assistant(root / "index", Config(model="fake"), embedder=FakeEmbedder())
>>> assistant.ask("How heavy is the tank?").passages[0].quote
'The tank weighs 50 tonnes.'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from qa.answer import Answer, compose_answer
from qa.calibration import Calibration, load_calibration
from qa.config import Config
from qa.conflicts import conflicts_for
from qa.documents import Skipped, read_folder
from qa.embedding import Embedder, load_embedder
from qa.question import BadQuestion, check_question
from qa.retrieval import Weights, score_question
from qa.speakers import attach_speakers
from qa.staleness import folder_staleness
from qa.store import IndexError_, build_checkpoint, build_lock, load_index, save_index
from qa.index import Index, build_index


@dataclass
class BuildReport:
    documents: int
    skipped: list[Skipped]
    chunks: int
    sentences: int
    encoded: int
    seconds: float
    generation: str


@dataclass
class Assistant:
    index: Index
    embedder: Embedder
    cfg: Config
    calibration: Calibration = field(default_factory=load_calibration)

    @property
    def weights(self) -> Weights:
        return Weights(tuple(self.calibration.ranker), self.calibration.ranker_bias)

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        """Answer ``question`` (``BadQuestion`` if it can't be asked)."""
        question = check_question(question, self.cfg.max_question_chars)
        top_k = self.cfg.top_k if top_k is None else top_k
        if not 1 <= top_k <= 50:
            raise BadQuestion(f"top-k must be between 1 and 50, not {top_k}")
        scored = score_question(self.index, self.embedder, question, self.weights, self.cfg.candidates)
        answer = compose_answer(self.index, question, scored, self.calibration, top_k)
        attach_speakers(self.index, answer.passages)  # who is quoted, so "Who said ...?" gets a name
        answer.conflicts = conflicts_for(self.index, [(p.file, p.start, p.end) for p in answer.passages])
        return answer


def _previous(index_dir: Path, cfg: Config) -> Index | None:
    try:
        return load_index(index_dir, cfg)
    except IndexError_:
        return None


def build_index_folder(docs_dir, index_dir, cfg: Config, embedder: Embedder | None = None,
                       progress: bool = False) -> BuildReport:
    """Index every usable file of ``docs_dir`` into a new generation of ``index_dir``."""
    started = time.perf_counter()
    docs, skipped = read_folder(docs_dir, cfg.max_file_bytes)
    if not docs:
        raise IndexError_(f"no usable documents in {docs_dir}; nothing was indexed")
    with build_lock(index_dir):
        embedder = embedder or load_embedder(cfg.model, cfg.batch_size)
        index, encoded = build_index(docs, embedder, cfg, previous=_previous(Path(index_dir), cfg), progress=progress)
        build_checkpoint("embedded")
        gen = save_index(index, index_dir, cfg, embedder.dim, str(Path(docs_dir).resolve()))
    return BuildReport(len(docs), skipped, len(index.chunks), len(index.sentences), encoded,
                       time.perf_counter() - started, gen.name)


def index_status(docs_dir, index_dir, cfg: Config) -> str | None:
    """None when ``index_dir`` is current for ``docs_dir``, else why it is not."""
    try:
        index = load_index(index_dir, cfg)
    except IndexError_ as err:
        return str(err)
    reason = folder_staleness(index, docs_dir, cfg.max_file_bytes)
    return f"the index is stale ({reason})" if reason else None


def open_assistant(index_dir, cfg: Config, embedder: Embedder | None = None, warn=None) -> Assistant:
    """Load the index of ``index_dir`` and the model it was built with."""
    index = load_index(index_dir, cfg, warn=warn)
    embedder = embedder or load_embedder(cfg.model, cfg.batch_size)
    if embedder.dim != index.manifest.get("dimension", embedder.dim):
        raise IndexError_(f"model {cfg.model} gives {embedder.dim}-d vectors, the index holds "
                          f"{index.manifest['dimension']}-d; run `qa index --model {cfg.model}`")
    return Assistant(index, embedder, cfg)
