"""Word-by-word match of a question with a sentence, through the model's word-piece vectors.

What it does: a sentence's vector is an average, so one sentence that holds
every word of a question and another that holds half of them can look
alike. ``interaction`` scores each candidate sentence by the mean, over the
question's content pieces (``question_pieces``: no stop words, no
punctuation), of the best cosine between that piece and any piece of the
sentence -- "late interaction" (ColBERT's MaxSim), here on the pieces of
the same all-MiniLM-L6-v2 pass that makes the vectors: "buy" finds
"purchasing", "subs" finds "submarines", and a sentence scores high only
when every question word has a close match in it. It is one of the
ranker's features (``qa.answer.retrieval.FEATURES``); an index without
piece vectors (``qa.index.pieces``) or a question without them scores 0.

What it does not do: encode anything (the build keeps the sentences' pieces,
``qa.answer.query.embed_query`` the question's).

>>> import numpy as np
>>> q = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
>>> s = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)  # sentence 0: two pieces, sentence 1: one
>>> [round(float(x), 2) for x in best_matches(q, s.T, np.array([2, 1]))]
[0.9, 0.5]
>>> question_pieces(["what", "did", "sato", "say", "about", "sub", "##s", "?"])
[2, 3, 5, 6]
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from qa.answer.sentinfo import cached_on
from qa.index.lexical import STOPWORDS
from qa.index.pieces import CODE_SCALE, unpack

DECODED_PIECES = 50_000  # up to this many pieces (~75 MB as float32) an index's are decoded once, not per question
SCAN_BLOCK = 8192  # rows decoded at a time beyond that (12 MB of float32: the buffer stays in cache)
_ASKING = frozenset({"many", "much", "would"})  # asking words the stop list keeps ("how many", "how much")


def question_pieces(pieces: list[str]) -> list[int]:
    """Positions of the question's content pieces: words and word continuations ("##s"), not stop words."""
    return [k for k, p in enumerate(pieces) if (p.startswith("##") or p.isalnum()) and p not in STOPWORDS and p not in _ASKING]


def best_matches(question: np.ndarray, pieces_t: np.ndarray, lengths: np.ndarray, worst: bool = False) -> np.ndarray:
    """For each sentence, the mean over the question's pieces of the best cosine with one of the sentence's
    pieces (``pieces_t``: the sentences' piece vectors in order, as columns; ``lengths`` of them each; a
    sentence with none scores 0); with ``worst``, the least of those best cosines instead: how well the
    question's worst-matched word is matched."""
    if not len(question) or not pieces_t.shape[1]:
        return np.zeros(len(lengths), dtype=np.float32)
    with _one_blas_thread():
        sims = question @ pieces_t  # (question pieces, pieces)
    return _best_per_sentence(sims, lengths, worst)


def _best_per_sentence(sims: np.ndarray, lengths: np.ndarray, worst: bool) -> np.ndarray:
    """``best_matches`` from the (question pieces, pieces) cosines ``sims`` of sentences with ``lengths`` pieces."""
    offsets = np.minimum(np.concatenate([[0], np.cumsum(lengths)[:-1]]), sims.shape[1] - 1)
    best = np.maximum.reduceat(sims, offsets, axis=1)
    best = best.min(axis=0) if worst else best.mean(axis=0)
    return np.where(lengths > 0, best, 0.0).astype(np.float32)


def scanned_matches(question: np.ndarray, codes: np.ndarray, starts: np.ndarray, worst: bool = False) -> np.ndarray:
    """``best_matches`` of every sentence of an index whose pieces are too many to keep decoded (``codes``, int8,
    with each sentence's first row in ``starts``): decoded ``SCAN_BLOCK`` rows at a time into one buffer, the
    code scale folded into the question. Decoding all of them at once, scaling and transposing the copy cost
    ~100 ms a question at 50,000 pieces (~14 ms this way).

    >>> codes = np.array([[127, 0], [0, 127], [90, 90]], dtype=np.int8)
    >>> [round(float(x), 2) for x in scanned_matches(np.eye(2, dtype=np.float32), codes, np.array([0, 2, 3]))]
    [1.0, 0.71]
    """
    lengths = np.diff(starts)
    if not len(question) or not len(codes):
        return np.zeros(len(lengths), dtype=np.float32)
    scaled, sims = question / CODE_SCALE, np.empty((len(question), len(codes)), dtype=np.float32)
    block = np.empty((min(SCAN_BLOCK, len(codes)), codes.shape[1]), dtype=np.float32)
    with _one_blas_thread():
        for first in range(0, len(codes), SCAN_BLOCK):
            rows = block[:min(SCAN_BLOCK, len(codes) - first)]
            rows[...] = codes[first:first + len(rows)]
            sims[:, first:first + len(rows)] = scaled @ rows.T
    return _best_per_sentence(sims, lengths, worst)


def interaction(index, query, ids: np.ndarray, worst: bool = False) -> np.ndarray:
    """The late-interaction score of each candidate sentence row in ``ids`` (see the module docstring); with
    ``worst``, its worst-matched question piece's best cosine (``best_matches``)."""
    if index.piece_codes is None or query.pieces is None or not len(ids):
        return np.zeros(len(ids), dtype=np.float32)
    every = len(ids) == len(index.sentences) and np.array_equal(ids, np.arange(len(ids)))
    if every and len(index.piece_codes) <= DECODED_PIECES:  # a small index scores all its sentences: decode once
        return best_matches(query.pieces, *cached_on(index, "_decoded_pieces", _decoded), worst)
    if every:
        return scanned_matches(query.pieces, index.piece_codes, index.piece_starts, worst)
    pieces, lengths = unpack(index.piece_codes, index.piece_starts, np.asarray(ids))
    return best_matches(query.pieces, np.ascontiguousarray(pieces.T), lengths, worst)


def _decoded(index) -> tuple[np.ndarray, np.ndarray]:
    pieces, lengths = unpack(index.piece_codes, index.piece_starts, np.arange(len(index.sentences)))
    return np.ascontiguousarray(pieces.T), lengths


@lru_cache(maxsize=1)
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas", internal_api="openblas")


def _one_blas_thread():
    """numpy's BLAS on one thread for a question's few rows: on two shared cores, its second thread's hand-offs
    made the product 5-10 times slower (7 ms against 0.7 ms on the seeds, the other core busy)."""
    return _blas().limit(limits=1)
