"""Word-level (BM25) side of the hybrid index, on top of ``bm25s``.

What it does: one tokenizer for documents and questions alike (lower case,
unicode words, English stop words dropped, Snowball stems), a BM25 index
built from token lists, and scores of every unit for a question.

What it does not do: save or load files (``qa.index.store`` does), or fuse the
scores with the dense side (``qa.answer.retrieval`` does).

>>> tokenize("The tanks were rumbling through Hokkaido's drills")
['tank', 'rumbl', 'hokkaido', 'drill']
"""

from __future__ import annotations

import re
from functools import lru_cache

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from qa.ingest.textnorm import normalize

_WORD = re.compile(r"\w+(?:[.'-]\w+)*")
STOPWORDS = frozenset(STOPWORDS_EN_PLUS)
_STOP = STOPWORDS


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _clean(word: str) -> str:
    word = word.replace(".", "")
    return word[:-2] if word.endswith("'s") else word


def tokenize(text: str) -> list[str]:
    """Stemmed content words of ``text`` (see module docstring)."""
    words = [_clean(w) for w in _WORD.findall(normalize(text))]
    return _stemmer().stemWords([w for w in words if w and w not in _STOP])


def build_bm25(texts: list[str]) -> bm25s.BM25:
    """A BM25 index over ``texts`` (one entry per unit, same order)."""
    retriever = bm25s.BM25()
    tokens = [tokenize(t) or ["\u2205"] for t in texts]  # keep a slot for empty units
    retriever.index(tokens, show_progress=False)
    return retriever


def bm25_scores(retriever: bm25s.BM25, query_tokens: list[str]) -> np.ndarray:
    """BM25 score of every unit for the tokens of a question (zeros if none match)."""
    ids = retriever.get_tokens_ids(query_tokens)
    if not ids:
        return np.zeros(retriever.scores["num_docs"], dtype=np.float32)
    return np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)


def idf(retriever: bm25s.BM25, tokens: list[str]) -> np.ndarray:
    """Inverse document frequency of each token (unknown tokens get the maximum)."""
    n = retriever.scores["num_docs"]
    dfs = [len(postings(retriever, tok)) for tok in tokens]
    return np.asarray([np.log(1 + (n - df + 0.5) / (df + 0.5)) for df in dfs], dtype=np.float32)


def postings(retriever: bm25s.BM25, token: str) -> np.ndarray:
    """The units holding ``token`` (rows of the index, ascending); empty for a token no unit holds."""
    tid = retriever.vocab_dict.get(token)
    if tid is None:
        return np.zeros(0, dtype=np.int64)
    indptr = retriever.scores["indptr"]
    return retriever.scores["indices"][indptr[tid]:indptr[tid + 1]]


def units_holding(retriever: bm25s.BM25, tokens) -> np.ndarray:
    """The units holding every one of ``tokens`` (an empty array for no tokens).

    >>> r = build_bm25(["tanks and drills", "tanks", "drills"])
    >>> units_holding(r, ("tank", "drill")).tolist(), units_holding(r, ("tank",)).tolist(), units_holding(r, ()).tolist()
    ([0], [0, 1], [])
    """
    held = None
    for tok in tokens:
        rows = postings(retriever, tok)
        held = rows if held is None else np.intersect1d(held, rows)
    return np.zeros(0, dtype=np.int64) if held is None else held.astype(np.int64)
