"""Run a SQuAD-format benchmark through the assistant and the baselines.

What it does: converts any SQuAD v1.1/v2.0 JSON file with ``qa.evaluation.squad`` into
one ``.txt`` document per article under ``eval/runs/squad-<name>-<hash>/``,
indexes that folder with the normal index build (reused while current), asks
every question (or a deterministic sample of ``limit``) of every system in
``qa.evaluation.baselines`` against the whole collection, and computes per system:
answer@1/answer@3 (a gold answer, SQuAD-normalised, inside the top-k quotes;
answerable questions), paragraph@1 (the top passage's paragraph is the
question's), mean quote length, the verbatim-span rate, and for abstention
the ROC-AUC of the answerability score (the assistant's calibrated
probability; a baseline's top score), accuracy, recall and false-abstention
rate at the chosen threshold (the assistant's own; the oracle one for a
baseline, see ``qa.evaluation.runner``). ``ranked_answer@3`` ignores the abstention
cut (the assistant shows one passage when it abstains). Figures per article
and per question shape go in ``by_group``. Question and chunk vectors are kept in the cache folder
(``StoredVectors``), so a rerun -- while tuning the answerer -- skips the model.

What it does not do: train or tune anything on the benchmark, or write
reports (``qa.evaluation.report``).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np

from qa.evaluation.baselines import SYSTEMS, Reply, run_systems
from qa.config import Config
from qa.ingest.documents import read_folder
from qa.index.embedding import load_embedder
from qa.evaluation.files import read_bytes
from qa.evaluation.runner import EvalRun, SystemFigures, abstention_figures, prepare_index, top_paragraph
from qa.evaluation.metrics import answer_rank, hit_at_k, mean_quote_length, paragraph_accuracy, verbatim_span_rate
from qa.pipeline import open_assistant
from qa.answer.question import BadQuestion, check_question
from qa.answer.shapes import question_shape
from qa.evaluation.squad import SquadQuestion, convert_squad, sample_questions, slugify

SQUAD_METRICS = ("answer@1", "answer@3", "paragraph@1", "mean_quote_length", "verbatim_span_rate", "roc_auc",
                 "abstention_accuracy", "abstention_recall", "false_abstention_rate", "ranked_answer@3")


def work_folder(squad_file: str | Path, runs: str | Path) -> Path:
    """The cache folder of one benchmark file: named after it and its content hash.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "dev part.json"
    >>> _ = f.write_text("{}")
    >>> work_folder(f, "runs").name
    'squad-dev_part-44136fa355'
    """
    digest = hashlib.sha256(read_bytes(squad_file, "SQuAD file")).hexdigest()[:10]
    return Path(runs) / f"squad-{slugify(Path(squad_file).stem)}-{digest}"


class StoredVectors:
    """An embedder that keeps every vector it makes in an ``.npz`` file, so a rerun skips the model."""

    def __init__(self, embedder, path: Path):
        self.inner, self.name, self.dim, self.path = embedder, embedder.name, embedder.dim, Path(path)
        self.known: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["model"]) == self.name and data["vectors"].shape[1:] == (self.dim,):
                    self.known = dict(zip(data["texts"].tolist(), data["vectors"]))

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.inner.encode(missing, progress=progress)))
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez_compressed(tmp, texts=np.array(list(self.known)), vectors=np.stack(list(self.known.values())),
                     model=np.array(self.name))
            os.replace(tmp, self.path)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32, copy=False)

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        """Word pieces are not stored: with them, the model runs (the index keeps a build's pieces)."""
        with_pieces = getattr(self.inner, "encode_with_tokens", None)
        return with_pieces(texts, progress=progress) if with_pieces else (self.encode(texts, progress), None)


def askable(questions: list[SquadQuestion], max_chars: int) -> tuple[list[SquadQuestion], list[str], int]:
    """The questions the assistant accepts, their cleaned text, and how many it refused."""
    kept, texts = [], []
    for q in questions:
        try:
            texts.append(check_question(q.question, max_chars))
            kept.append(q)
        except BadQuestion:
            continue
    return kept, texts, len(questions) - len(kept)


def _by_group(questions: list[SquadQuestion], ranks: list, answered: list[bool]) -> dict[str, dict[str, float]]:
    """Figures per article, then per question shape as the assistant reads it ("shape typed", ...), the same
    shapes the seed sets' reports show."""
    shapes = [f"shape {question_shape(q.question).kind}" for q in questions]
    groups = {}
    for labels in ([q.file for q in questions], shapes):
        for name in sorted(set(labels)):
            rows = [i for i, label in enumerate(labels) if label == name]
            good = [ranks[i] for i in rows if questions[i].answerable]
            bad = [answered[i] for i in rows if not questions[i].answerable]
            groups[name] = {"n": len(rows), **({"answer@1": hit_at_k(good, 1), "answer@3": hit_at_k(good, 3)} if good else {}),
                            **({"unanswerable answered": sum(bad) / len(bad)} if bad else {})}
    return groups


def squad_figures(name: str, replies: list[Reply], questions: list[SquadQuestion], texts: dict[str, str],
                  top_k: int) -> SystemFigures:
    """The benchmark figures of one system."""
    answerable = [q.answerable for q in questions]
    ranks = [answer_rank(q.answers, [p.quote for p in r.passages]) for r, q in zip(replies, questions)]
    ranked = [answer_rank(q.answers, [p.quote for p in r.ranked or r.passages]) for r, q in zip(replies, questions) if q.answerable]
    good = [rank for rank, ok in zip(ranks, answerable) if ok]
    abstention, threshold, answered = abstention_figures(replies, answerable)
    values = {"answer@1": hit_at_k(good, 1), "answer@3": hit_at_k(good, 3),
              "paragraph@1": paragraph_accuracy([top_paragraph(r) for r, ok in zip(replies, answerable) if ok],
                                                [(q.file, q.paragraph) for q in questions if q.answerable]),
              "mean_quote_length": mean_quote_length([p.quote for r in replies for p in r.passages[:3]]),
              "verbatim_span_rate": verbatim_span_rate([p.as_json() for r in replies for p in r.passages], texts),
              **{k: abstention[k] for k in ("roc_auc", "abstention_accuracy", "abstention_recall", "false_abstention_rate")},
              "ranked_answer@3": hit_at_k(ranked, 3)}
    return SystemFigures(name, values, [hit_at_k(good, k) for k in range(1, top_k + 1)], [r.score for r in replies],
                         answerable, threshold, _by_group(questions, ranks, answered))


def _details(replies: list[Reply], questions: list[SquadQuestion]) -> list[dict]:
    return [{"id": q.id, "article": q.file, "answerable": q.answerable, "answered": r.answered,
             "score": round(r.score, 4), "rank": answer_rank(q.answers, [p.quote for p in r.passages]) if q.answerable else None,
             "question": q.question} for r, q in zip(replies, questions)]


def run_squad(squad_file: str | Path, cfg: Config, runs: str | Path = "eval/runs", embedder=None,
              limit: int | None = None, seed: int = 0, top_k: int = 5) -> EvalRun:
    """Every system on a SQuAD-format file (see module docstring)."""
    clock = time.perf_counter()
    folder = work_folder(squad_file, runs)
    questions = convert_squad(squad_file, folder / "docs")
    embedder = embedder or load_embedder(cfg.model, cfg.batch_size)
    seconds = {"convert + load model": time.perf_counter() - clock}
    built = prepare_index(folder / "docs", folder / "index", cfg, embedder)
    assistant = open_assistant(folder / "index", cfg, StoredVectors(embedder, folder / "vectors.npz"))
    seconds["build index" if built else "open index"] = time.perf_counter() - clock - sum(seconds.values())
    documents, skipped = read_folder(folder / "docs", cfg.max_file_bytes)
    texts = {d.name: d.text for d in documents}
    chosen = sample_questions(questions, limit, seed) if limit else questions
    kept, asked, refused = askable(chosen, cfg.max_question_chars)
    replies, timed = run_systems(assistant, asked, top_k)
    systems = [squad_figures(name, replies[name], kept, texts, top_k) for name in SYSTEMS]
    systems[0].threshold = assistant.confidence.answer_threshold
    seconds.update(timed, total=time.perf_counter() - clock)
    settings = {"source": str(squad_file), "articles": len(texts), "questions": len(kept),
                "answerable": sum(q.answerable for q in kept), "refused as bad questions": refused,
                "of all questions": len(questions), "limit": limit, "seed": seed, "top_k": top_k,
                "sentences": len(assistant.index.sentences), "model": cfg.model,
                "articles not indexed": "; ".join(f"{s.name} ({s.reason})" for s in skipped) or "none"}
    return EvalRun("squad", f"SQuAD benchmark: {Path(squad_file).name}", SQUAD_METRICS, systems,
                   settings, seconds, _details(replies["assistant"], kept))
