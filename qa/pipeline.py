"""The assistant as a library: open an index and ask it; the stages composed once.

What it does: opens a saved index with its embedder and calibration, and
answers a question by running each stage once, in order -- the question
analysed (``qa.answer.query``), sentences scored (``qa.answer.retrieval``),
passages chosen and the answer composed (``qa.answer.compose``), then who
is quoted and where sources disagree (``qa.quotes``), and which document
(title, publisher, date) each passage comes from. The CLI, the web app
and the evaluation runner all call these few functions, so they all answer
the same way. ``build_index_folder`` and ``index_status`` (``qa.index.build``)
are named here too, so a library user needs this one module.

What it does not do: print or parse arguments (``qa.cli`` does).

>>> import tempfile, pathlib
>>> from qa.index.fake import FakeEmbedder
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

from dataclasses import dataclass, field

from qa.answer.calibration import Calibration, load_calibration
from qa.answer.compose import Answer, compose_answer
from qa.answer.confidence import PassageModel, load_passage_model
from qa.answer.query import analyse_question, embed_query
from qa.answer.question import BadQuestion, check_question
from qa.answer.retrieval import Weights, score_candidates
from qa.config import Config
from qa.index.build import BuildReport, build_index_folder, index_status
from qa.index.embedding import Embedder, load_embedder, question_embedder
from qa.index.hybrid import Index
from qa.index.store import IndexError_, load_index
from qa.quotes.conflicts import conflicts_for
from qa.ingest.speakers import attach_speakers

__all__ = ["Answer", "Assistant", "BuildReport", "build_index_folder", "index_status", "open_assistant"]


@dataclass
class Assistant:
    index: Index
    embedder: Embedder
    cfg: Config
    calibration: Calibration = field(default_factory=load_calibration)
    confidence: PassageModel = field(default_factory=load_passage_model)  # each passage's own probability

    @property
    def weights(self) -> Weights:
        return Weights(tuple(self.calibration.ranker), self.calibration.ranker_bias)

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        """Answer ``question`` (``BadQuestion`` if it can't be asked)."""
        text = check_question(question, self.cfg.max_question_chars)
        top_k = self.cfg.top_k if top_k is None else top_k
        if not 1 <= top_k <= 50:
            raise BadQuestion(f"top-k must be between 1 and 50, not {top_k}")
        # The question is analysed once; each stage below reads this Query.
        query = embed_query(analyse_question(self.index, text), self.embedder)
        scored = score_candidates(self.index, query, self.weights, self.cfg.candidates)
        answer = compose_answer(self.index, query, scored, self.calibration, top_k, self.confidence)
        attach_speakers(self.index, answer.passages)  # who is quoted, so "Who said ...?" gets a name
        answer.conflicts = conflicts_for(self.index, [(p.file, p.start, p.end) for p in answer.passages])
        answer.sources = {f: self.index.doc_by_name(f).source.as_json() for f in {p.file for p in answer.passages}}
        answer.pages = {(p.file, p.start): n for p in answer.ranked if (n := self.index.doc_by_name(p.file).page_at(p.start))}
        return answer


def open_assistant(index_dir, cfg: Config, embedder: Embedder | None = None, warn=None,
                   confidence: PassageModel | None = None) -> Assistant:
    """Load the index of ``index_dir`` and the model it was built with (``confidence``: the passages'
    confidence model, when not the fitted one -- ``qa.evaluation.fit_confidence`` passes a neutral one)."""
    index = load_index(index_dir, cfg, warn=warn)
    embedder = embedder or question_embedder(index, index_dir, cfg, warn, load_embedder)  # ONNX (no torch) if exported
    if embedder.dim != index.manifest.get("dimension", embedder.dim):
        raise IndexError_(f"model {cfg.model} gives {embedder.dim}-d vectors, the index holds "
                          f"{index.manifest['dimension']}-d; run `qa index --model {cfg.model}`")
    return Assistant(index, embedder, cfg, confidence=confidence or load_passage_model())
