"""Score sentences for a question: dense and BM25, sentence and chunk level.

What it does: given the question's vector and tokens, gathers candidate
sentences (the dense and BM25 neighbours at sentence and chunk level) and
computes, for each, a small set of features -- cosine similarity of the
sentence and of its chunk, BM25 of both (scaled by the best score for this
question), the share of the question's IDF-weighted words the sentence and
its chunk contain, and whether the sentence holds the expected answer type
-- then fuses them with the weights in ``Weights``. A thin wrapper
(``score_question``) takes the embedder; the core (``score_candidates``)
works on arrays.

What it does not do: decide which sentences to quote or whether to answer
(``qa.answer`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.embedding import Embedder
from qa.index import Index
from qa.lexical import bm25_scores, idf, tokenize
from qa.question import answer_type, fits_type

FEATURES = ("dense_sentence", "dense_chunk", "bm25_sentence", "bm25_chunk",
            "coverage_sentence", "coverage_chunk", "answer_type")


@dataclass(frozen=True)
class Weights:
    dense_sentence: float = 0.30
    dense_chunk: float = 0.15
    bm25_sentence: float = 0.15
    bm25_chunk: float = 0.10
    coverage_sentence: float = 0.20
    coverage_chunk: float = 0.05
    answer_type: float = 0.05

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, f) for f in FEATURES], dtype=np.float32)


@dataclass
class Scored:
    ids: np.ndarray        # sentence rows, best first
    fused: np.ndarray      # fused score of each
    features: np.ndarray   # (len(ids), len(FEATURES))


def coverage(retriever, tokens: list[str], n_units: int) -> np.ndarray:
    """Share of the question's IDF mass present in each unit (0..1)."""
    tokens = list(dict.fromkeys(tokens))
    weights = idf(retriever, tokens)
    total = float(weights.sum())
    cover = np.zeros(n_units, dtype=np.float32)
    if total == 0:
        return cover
    indptr, indices = retriever.scores["indptr"], retriever.scores["indices"]
    for tok, w in zip(tokens, weights):
        tid = retriever.vocab_dict.get(tok)
        if tid is not None:
            cover[indices[indptr[tid]:indptr[tid + 1]]] += w
    return cover / total


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


def score_candidates(index: Index, qvec: np.ndarray, tokens: list[str], wanted: str | None,
                     weights: Weights, limit: int = 60) -> Scored:
    """Fused scores of the candidate sentences, best first (array core)."""
    n = len(index.sentences)
    if n == 0:
        return Scored(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros((0, len(FEATURES)), dtype=np.float32))
    bm25_s = bm25_scores(index.bm25_sentences, tokens)
    bm25_c = bm25_scores(index.bm25_chunks, tokens)
    ids = candidate_ids(index, qvec, bm25_s, limit)
    owners = np.array([index.sentences[i].chunk for i in ids], dtype=np.int64)
    cov_s = coverage(index.bm25_sentences, tokens, n)
    cov_c = coverage(index.bm25_chunks, tokens, len(index.chunks))
    typed = np.array([fits_type(index.sentences[i].text, wanted) for i in ids], dtype=np.float32) if wanted else np.zeros(len(ids), dtype=np.float32)
    features = np.stack([
        index.sentence_vectors[ids] @ qvec, index.chunk_vectors[owners] @ qvec,
        _scaled(bm25_s)[ids], _scaled(bm25_c)[owners], cov_s[ids], cov_c[owners], typed,
    ], axis=1).astype(np.float32)
    fused = features @ weights.vector()
    order = np.argsort(-fused, kind="stable")
    return Scored(ids[order], fused[order], features[order])


def score_question(index: Index, embedder: Embedder, question: str, weights: Weights, limit: int = 60) -> Scored:
    """Embed ``question`` and score the index's sentences for it."""
    qvec = embedder.encode([question])[0]
    return score_candidates(index, qvec, tokenize(question), answer_type(question), weights, limit)
