"""Each passage's own confidence: the calibrated probability that it holds the answer.

What it does: describes every passage of an answer by a few numbers -- its
sentence's fused score, its share of the best score, its rank, its
similarity and word coverage, how closely its words match the question's
(``qa.answer.interaction``: on average, and for the worst-matched word), the
rarest question word it lacks, whether it
has the form the question's shape asks for (a definition, a title, the
named speaker's words), whether a typed question's value is missing from it,
the question-level answerability, and the question's shape -- and turns them
into a probability with a logistic model fitted by
``qa.evaluation.fit_confidence`` on the first evaluation set, three plain-question
development sets and SQuAD part A (never on the natural set that gates it).
The probability gives the passage its label: ``high`` (where the held-out
precision was at least 0.9), ``medium`` (an answer), ``related`` (shown for
context, not an answer), and below ``related_floor`` the passage is dropped
from an answer.

What it does not do: choose or order passages (``qa.answer.passages``,
``qa.answer.shaped``).

>>> m = PassageModel(coef=(0.0,) * len(PASSAGE_FEATURES), intercept=0.0)
>>> m.label(0.95), m.label(0.5), m.label(0.2), m.label(0.01)
('high', 'medium', 'related', 'low')
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.answer.retrieval import FEATURES
from qa.answer.shapes import SHAPES
from qa.index.lexical import tokenize

DEFAULT_PATH = Path(__file__).with_name("confidence.json")
SHAPE_FEATURES = tuple(f"shape_{s}" for s in SHAPES if s != "other")
PASSAGE_FEATURES = ("fused", "fused_share", "rank", "dense_sentence", "coverage_sentence", "coverage_chunk",
                    "missing_rare_word", "shape_form", "type_missing", "answer_logit", "negated", "interaction",
                    "weakest_match") + SHAPE_FEATURES


LABEL_WORDS = {"high": "high confidence", "medium": "medium confidence", "related": "related, not an answer",
               "low": "low confidence"}  # each label as a person reads it
QUESTION_FEATURES = ("answer_logit", "best_passage_logit", "speech_unsaid", "unknown_words")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass(frozen=True)
class PassageModel:
    coef: tuple[float, ...]     # one per PASSAGE_FEATURES: P(this passage holds the answer)
    intercept: float
    question_coef: tuple[float, ...] = (0.0,) * len(QUESTION_FEATURES)  # P(the sources answer the question)
    question_intercept: float = 0.0
    answer_threshold: float = 0.5   # the question's probability at or above it: the sources answer
    high_threshold: float = 0.9     # a passage at or above: "high" (precision >= 0.9 where it was measured held out)
    medium_threshold: float = 0.5   # at or above: "medium" (right about half the time or more)
    related_floor: float = 0.1      # below: "low", not shown under an answer

    def probability(self, features) -> float:
        return _sigmoid(self.intercept + sum(c * float(v) for c, v in zip(self.coef, features)))

    def answer_probability(self, features) -> float:
        return _sigmoid(self.question_intercept + sum(c * float(v) for c, v in zip(self.question_coef, features)))

    def label(self, p: float) -> str:
        if p >= self.high_threshold:
            return "high"
        if p >= self.medium_threshold:
            return "medium"
        return "related" if p >= self.related_floor else "low"


def missing_from(passage_text: str, query) -> float:
    """IDF share of the question's words absent from ``passage_text`` (0 = all there)."""
    total = float(query.idf_sentences.sum())
    if not total:
        return 0.0
    present = set(tokenize(passage_text))
    return float(sum(w for t, w in zip(query.terms, query.idf_sentences) if t not in present)) / total


def passage_features(query, rows_features: np.ndarray, fused: np.ndarray, best: float, texts: list[str],
                     form: list[bool], type_missing: list[bool], answer_logit: float, weakest) -> np.ndarray:
    """The ``PASSAGE_FEATURES`` of each passage (rows of ``rows_features``: its sentence's ranker features;
    ``weakest``: its sentence's best match of the question's worst-matched word, ``qa.answer.interaction``)."""
    shape = [float(query.shape.kind == s.removeprefix("shape_")) for s in SHAPE_FEATURES]
    out = []
    for k, (feats, score, text) in enumerate(zip(rows_features, fused, texts)):
        out.append([score, score / best if best > 0 else 0.0, math.log1p(k), feats[FEATURES.index("dense_sentence")],
                    feats[FEATURES.index("coverage_sentence")], feats[FEATURES.index("coverage_chunk")],
                    missing_from(text, query), float(form[k]), float(type_missing[k]), answer_logit,
                    float(query.negated), feats[FEATURES.index("interaction")], float(weakest[k]), *shape])
    return np.array(out, dtype=np.float32).reshape(len(out), len(PASSAGE_FEATURES))


def load_passage_model(path=None) -> PassageModel:
    """The fitted model (``confidence.json`` beside this module); an even one if none was fitted yet."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.is_file():
        return PassageModel(coef=(0.0,) * len(PASSAGE_FEATURES), intercept=0.0)
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != PASSAGE_FEATURES:
        raise ValueError(f"{path} was fitted on other features; refit with python -m qa.evaluation.fit_confidence")
    if tuple(data["question_features"]) != QUESTION_FEATURES:
        raise ValueError(f"{path} was fitted on other features; refit with python -m qa.evaluation.fit_confidence")
    return PassageModel(tuple(data["coef"]), data["intercept"], tuple(data["question_coef"]), data["question_intercept"],
                        data["answer_threshold"], data["high_threshold"], data["medium_threshold"], data["related_floor"])


def refused_by_rule(query, type_missing: list[bool]) -> bool:
    """Whether the sources are taken not to answer whatever the score: the person, role or thing the
    question asks about is named with a word no source uses (``Query.unnamed``: "who is the president of
    brazil"), or the passage shown first lacks the value a typed question asks for (or the person a role
    question asks for): "what year did Komatsu stop building armored vehicles" is not answered by the
    sentence saying it stopped, with a year only in the third passage. ``qa.answer.compose`` abstains on
    these, and ``qa.evaluation.fit_confidence`` counts them so."""
    return bool(query.unnamed) or not type_missing or type_missing[0]


def question_features(query, answer_logit: float, probs: list[float], unsaid: bool) -> list[float]:
    """The ``QUESTION_FEATURES``: the question-level answerability (``qa.answer.answerability``), the
    best passage's log-odds, whether a speech question names someone the sources mention but never
    quote, or quote only on other topics, and the share of the question's IDF mass in words no source
    uses ("olympics", "brazil")."""
    best = min(max(max(probs), 1e-6), 1 - 1e-6)
    return [answer_logit, math.log(best / (1 - best)), float(unsaid), unknown_share(query)]


def unknown_share(query) -> float:
    """IDF share of the question's terms that no source sentence uses."""
    total = float(query.idf_sentences.sum())
    if not total or not query.known:
        return 0.0
    return float(sum(w for w, known in zip(query.idf_sentences, query.known) if not known)) / total
