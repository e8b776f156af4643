"""Score sentences for a question: dense and BM25, sentence and chunk level.

What it does: given the analysed question (``qa.answer.query``), gathers candidate
sentences (the dense and BM25 neighbours at sentence and chunk level) and
computes, for each, a small set of features -- cosine similarity of the
sentence and of its chunk, BM25 of both (scaled by the best score for this
question), the share of the question's IDF-weighted words the sentence and
its chunk contain, whether the sentence holds the expected answer type, and
how closely each question word is matched in it (``qa.answer.interaction``)
-- then fuses them with the weights in ``Weights``. It reads the
question's vector, tokens and IDF weights from the ``Query``; nothing here
tokenises or embeds.

What it does not do: decide which sentences to quote or whether to answer
(``qa.answer.compose`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.index.hybrid import Index
from qa.index.lexical import bm25_scores, units_holding
from qa.answer.interaction import interaction
from qa.answer.query import Query
from qa.answer.sentinfo import SentenceInfo, sentence_info

BASE_FEATURES = ("dense_sentence", "dense_chunk", "bm25_sentence", "bm25_chunk",
                 "coverage_sentence", "coverage_chunk", "answer_type")
# Context of a sentence inside its paragraph: how well its best neighbour and
# its paragraph's best sentence match (a sentence next to a strong match is
# often the one holding the answer), and its length in words (log scale);
# then how closely each question word is matched in it (qa.answer.interaction).
FEATURES = BASE_FEATURES + ("neighbour", "paragraph_best", "length", "interaction")
# Hand-set weights of the base features; they give the context features.
# A sentence that opens by referring back ("During their meeting, the two ...") is about what the sentence
# before named: a question word only that one holds counts this share in the sentence's coverage.
ANTECEDENT_SHARE = 0.5
BASE_WEIGHTS = np.array([0.30, 0.15, 0.15, 0.10, 0.20, 0.05, 0.05], dtype=np.float32)


@dataclass(frozen=True)
class Weights:
    """Weights of ``FEATURES`` in the fused score (fitted by ``qa.evaluation.calibrate``)."""

    values: tuple[float, ...] = tuple(BASE_WEIGHTS.tolist()) + (0.0, 0.0, 0.0, 0.5)
    # With a bias, the fused score is a logistic model's probability that the
    # sentence holds the answer; without, the plain weighted sum.
    bias: float | None = None

    def vector(self) -> np.ndarray:
        return np.array(self.values, dtype=np.float32)

    def fuse(self, features: np.ndarray) -> np.ndarray:
        raw = features @ self.vector()
        if self.bias is None:
            return raw
        return (1.0 / (1.0 + np.exp(-(raw + self.bias)))).astype(np.float32)


@dataclass
class Scored:
    ids: np.ndarray        # sentence rows, best first
    fused: np.ndarray      # fused score of each
    features: np.ndarray   # (len(ids), len(FEATURES))


def coverage(retriever, terms: tuple[str, ...], weights: np.ndarray, n_units: int, forms=(), antecedent=None) -> np.ndarray:
    """Share of the question's IDF mass (``weights`` of its distinct ``terms``) present in each unit (0..1).

    ``forms[i]`` are what stands for term i (``Query.forms``), each a tuple of stems: a unit holding all
    the stems of one ("sold"; "united", "states") has the term. With ``antecedent`` (per unit, the unit it
    refers back to or -1), a term only that one holds counts ``ANTECEDENT_SHARE`` of its weight.
    """
    total = float(weights.sum())
    cover = np.zeros(n_units, dtype=np.float32)
    if total == 0:
        return cover
    borrowed = np.zeros(n_units, dtype=np.float32)
    refers = antecedent >= 0 if antecedent is not None else None
    for i, (tok, w) in enumerate(zip(terms, weights)):
        alternatives = ((tok,), *(forms[i] if forms else ()))
        held = np.zeros(n_units, dtype=bool)
        held[np.unique(np.concatenate([units_holding(retriever, alt) for alt in alternatives]))] = True
        cover[held] += w
        if refers is not None:
            borrowed[refers & ~held & held[antecedent]] += w
    return (cover + ANTECEDENT_SHARE * borrowed) / total


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


def candidate_ids(index: Index, qvec: np.ndarray, bm25_s: np.ndarray, limit: int) -> np.ndarray:
    """Sentence rows worth scoring: all of a small index, else the neighbours."""
    n = len(index.sentences)
    if n <= max(limit * 50, 5000):
        return np.arange(n)
    _, dense_ids = index.dense.search(qvec[None, :], limit)
    lexical = np.argpartition(-bm25_s, limit)[:limit]
    return np.unique(np.concatenate([dense_ids[0][dense_ids[0] >= 0], lexical]))


def context_features(info: SentenceInfo, ids: np.ndarray, base: np.ndarray) -> np.ndarray:
    """(neighbour, paragraph_best, length) of each candidate; see ``FEATURES``."""
    n = len(info.paragraph_id)
    full = np.zeros(n + 2, dtype=np.float32)  # padded: full[i + 1] is sentence i
    full[ids + 1] = base
    before = np.where(info.prev_same[ids], full[ids], 0.0)
    after = np.where(info.next_same[ids], full[ids + 2], 0.0)
    best = np.zeros(int(info.paragraph_id.max()) + 1 if n else 0, dtype=np.float32)
    np.maximum.at(best, info.paragraph_id[ids], base)
    return np.stack([np.maximum(before, after), best[info.paragraph_id[ids]], info.log_words[ids]], axis=1)


def score_candidates(index: Index, query: Query, weights: Weights, limit: int = 60) -> Scored:
    """Fused scores of the candidate sentences for the embedded ``query``, best first."""
    n = len(index.sentences)
    if n == 0:
        return Scored(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros((0, len(FEATURES)), dtype=np.float32))
    qvec, tokens = query.vector, list(query.tokens)
    bm25_s = bm25_scores(index.bm25_sentences, tokens)
    bm25_c = bm25_scores(index.bm25_chunks, tokens)
    ids = candidate_ids(index, qvec, bm25_s, limit)
    info = sentence_info(index)
    owners = info.chunk[ids]
    cov_s = coverage(index.bm25_sentences, query.terms, query.idf_sentences, n, query.forms, info.antecedent)
    cov_c = coverage(index.bm25_chunks, query.terms, query.idf_chunks, len(index.chunks), query.forms)
    fits = info.fits(query.wanted)
    typed = fits[ids].astype(np.float32) if fits is not None else np.zeros(len(ids), dtype=np.float32)
    base = np.stack([
        index.sentence_vectors[ids] @ qvec, index.chunk_vectors[owners] @ qvec,
        _scaled(bm25_s)[ids], _scaled(bm25_c)[owners], cov_s[ids], cov_c[owners], typed,
    ], axis=1).astype(np.float32)
    features = np.concatenate([base, context_features(info, ids, base @ BASE_WEIGHTS),
                               interaction(index, query, ids)[:, None]], axis=1)
    fused = weights.fuse(features)
    order = np.argsort(-fused, kind="stable")
    return Scored(ids[order], fused[order], features[order])

