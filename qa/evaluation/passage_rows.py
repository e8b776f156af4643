"""The passages a fitting set's questions get, with their features and labels (for ``qa.evaluation.fit_confidence``).

What it does: asks each question of a hand-written set on the seeds (every
acceptable evidence span counts) or of SQuAD part A through the normal
``Assistant.ask`` -- with a neutral confidence model: the features do not
depend on it -- and keeps, per ranked passage, its
``qa.answer.confidence.PASSAGE_FEATURES``, whether it holds the answer, its
question and its cross-validation fold (by document: a question's gold file,
a SQuAD article), and per question what its question-level features are made
of (``Answer.inputs``).

What it does not do: fit anything, or read the natural set (the gate).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.answer.confidence import PASSAGE_FEATURES, QUESTION_FEATURES, PassageModel, question_features, refused_by_rule
from qa.config import Config
from qa.evaluation.baselines import QuestionCache
from qa.evaluation.cases import load_cases
from qa.evaluation.metrics import Span, answer_rank, overlaps
from qa.evaluation.runner import prepare_index
from qa.evaluation.squad import convert_squad, sample_questions
from qa.evaluation.squad_runner import StoredVectors, askable, work_folder
from qa.index.embedding import load_embedder
from qa.pipeline import open_assistant

FOLDS = 5


@dataclass
class Rows:
    X: np.ndarray          # one row per ranked passage
    y: np.ndarray          # it holds the answer
    question: np.ndarray   # which question it belongs to (global number)
    fold: np.ndarray       # cross-validation fold (by document)
    seed: np.ndarray       # from a seed set (first evaluation set or development set)
    answerable: np.ndarray  # per question
    inputs: list           # per question: Answer.inputs (qa.answer.confidence.question_features without probabilities)


def _collect(assistant, questions: list[str], labels, folds: list[int], seed: bool, offset: int) -> Rows:
    """Ask every question; ``labels(k, passages)`` gives each ranked passage's label."""
    assistant = replace(assistant, embedder=QuestionCache(assistant.embedder, questions))
    X, y, qn, fold, answerable, inputs = [], [], [], [], [], []
    for k, q in enumerate(questions):
        answer = assistant.ask(q, 5)
        good, ok = labels(k, answer.ranked)
        answerable.append(ok), inputs.append(answer.inputs)
        for row, label in zip(answer.features if answer.features is not None else [], good):
            X.append(row), y.append(label), qn.append(offset + k), fold.append(folds[k])
    X = np.array(X, dtype=np.float32).reshape(len(X), len(PASSAGE_FEATURES))
    return Rows(X, np.array(y, bool), np.array(qn), np.array(fold), np.full(len(y), seed), np.array(answerable, bool),
                inputs)


def _fold(name: str) -> int:
    return zlib.crc32(name.encode()) % FOLDS


def seed_rows(assistant, path: Path, offset: int) -> Rows:
    docs = {d.name: d for d in assistant.index.docs}
    cases = load_cases(path, docs, assistant.cfg.max_question_chars)

    def labels(k, passages):
        spans = [Span(p.file, p.start, p.end) for p in passages]
        return [any(overlaps(s, g) for g in cases[k].gold) for s in spans], cases[k].answerable
    folds = [_fold(c.gold[0].file if c.gold else c.id) for c in cases]
    return _collect(assistant, [c.question for c in cases], labels, folds, True, offset)


def squad_rows(assistant, questions, offset: int) -> Rows:
    kept, texts, _ = askable(questions, assistant.cfg.max_question_chars)

    def labels(k, passages):
        q = kept[k]
        return [q.answerable and answer_rank(q.answers, [p.quote]) is not None for p in passages], q.answerable
    return _collect(assistant, texts, labels, [_fold(q.file) for q in kept], False, offset)


def join(parts: list[Rows]) -> Rows:
    return Rows(*(np.concatenate([getattr(p, f) for p in parts]) for f in Rows.__dataclass_fields__ if f != "inputs"),
                [i for p in parts for i in p.inputs])


def question_matrix(rows: Rows, probs: np.ndarray) -> np.ndarray:
    """``QUESTION_FEATURES`` of every question, from its passages' ``probs``."""
    out = []
    for k, inputs in enumerate(rows.inputs):
        mine = probs[rows.question == k]
        if inputs is None or not len(mine):
            out.append([0.0] * len(QUESTION_FEATURES))
            continue
        query, logit, _, unsaid = inputs
        out.append(question_features(query, logit, mine.tolist(), unsaid))
    return np.array(out, dtype=np.float32)


def refused_questions(rows: Rows) -> np.ndarray:
    """Per question: compose refuses it by rule (``qa.answer.confidence.refused_by_rule``), whatever its score."""
    return np.array([inputs is not None and refused_by_rule(inputs[0], inputs[2]) for inputs in rows.inputs], dtype=bool)


def load_rows(args) -> tuple[Rows, np.ndarray]:
    """Every fitting question's passages, and which questions come from the seed sets."""
    cfg, embedder = Config(), load_embedder()
    prepare_index(args.docs, args.work / "seeds-index", cfg, embedder)
    neutral = PassageModel(coef=(0.0,) * len(PASSAGE_FEATURES), intercept=0.0)  # the features don't depend on it
    seeds = open_assistant(args.work / "seeds-index", cfg, embedder, confidence=neutral)
    folder = work_folder(args.squad, args.work)
    questions = convert_squad(args.squad, folder / "docs")
    prepare_index(folder / "docs", folder / "index", cfg, embedder)
    squad = open_assistant(folder / "index", cfg, StoredVectors(embedder, folder / "vectors.npz"), confidence=neutral)
    parts, offset = [], 0
    for path in args.sets:
        parts.append(seed_rows(seeds, path, offset))
        offset += len(parts[-1].answerable)
    parts.append(squad_rows(squad, sample_questions(questions, args.limit, 0) if args.limit else questions, offset))
    return join(parts), np.arange(sum(len(r.answerable) for r in parts)) < offset
