"""Find where a quote is: word for word, with elisions, or as a close match.

What it does: searches whole documents in canonical form (``qa.quotes.diff``),
so a quote across a paragraph break or a chunk boundary is still found, and
gives the verdict: ``verbatim`` (whole words; end punctuation is the
quoter's), ``verbatim_with_elision`` (every piece around "...", "…" or
"[...]" in order, each within ``MAX_GAP`` of the last, in one file),
``altered`` (rapidfuzz ``partial_ratio_alignment`` on the paragraphs around
the best BM25 sentences, then a word alignment, at least
``ALTERED_SIMILARITY`` alike and ``ALTERED_COVERAGE`` of the quote's words
kept) or ``not_found`` (with the most similar candidate sentence). Every
match is cut from the text: ``doc.text[start:end] == source_text``.

What it does not do: check the quote, attribute it or find conflicts
(``qa.quotes.verify`` does); close matches are sought only among BM25's candidates.

>>> from qa.ingest.documents import parse_document
>>> from qa.index.hybrid import build_index
>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> from qa.quotes.diff import canonical
>>> text = "Intro.\\n\\nThe tanks\\u00a0are\\n\\nnot first grade, he said."
>>> index = build_index([parse_document("a.txt", text)], FakeEmbedder(), Config())[0]
>>> verdict, matches = locate(index, canonical("the tanks are not first grade"))
>>> verdict, matches[0].paragraph, matches[0].source_text == text[matches[0].start:matches[0].end]
('verbatim', 2, True)
>>> locate(index, canonical("The tanks are first grade"))[0]
'altered'
"""

from __future__ import annotations

import re

import numpy as np

from qa.index.hybrid import Index
from qa.index.lexical import bm25_scores, tokenize
from qa.ingest.documents import Document
from qa.quotes.close import close_matches, closest_sentence
from qa.quotes.diff import Canon, DiffOp, elision_diff
from qa.quotes.match import Match, doc_canon, make_match

__all__ = ["ELISION", "Match", "locate"]

ALTERED_SIMILARITY = 0.8  # character similarity (0..1) a close match needs ...
ALTERED_COVERAGE = 0.6    # ... and the share of the quote's words it must keep
MAX_GAP = 600             # canonical characters allowed between elided pieces
CANDIDATES = 8            # BM25 sentences whose paragraphs are aligned fuzzily
MAX_MATCHES = 5
SMALL_COLLECTION = 500_000  # characters; up to this every document is searched exactly (canonical form costs ~1 s per million)
ELISION = re.compile(r"\s*\[\s*\.\.\.\s*\]\s*|\s*\.\.\.\s*")  # "…" is "..." once canonical
_END_PUNCTUATION = " .,;:!?"


def _find(canon: str, needle: str, start: int, end: int | None = None) -> int:
    """First whole-word occurrence of ``needle`` in ``canon[start:end]`` ("he said" is not in "she said")."""
    end = len(canon) if end is None else end
    pos = canon.find(needle, start, end)
    while pos >= 0 and ((pos and canon[pos - 1].isalnum() and needle[0].isalnum()) or
                        (pos + len(needle) < len(canon) and canon[pos + len(needle)].isalnum() and needle[-1].isalnum())):
        pos = canon.find(needle, pos + 1, end)
    return pos


def _candidate_rows(index: Index, quote: str) -> list[int]:
    scores = bm25_scores(index.bm25_sentences, tokenize(quote))
    k = min(CANDIDATES, len(scores))
    rows = np.argpartition(-scores, k - 1)[:k] if k else []  # the top k without sorting every sentence
    return [int(r) for r in sorted(rows, key=lambda r: -scores[r]) if scores[r] > 0]


def _candidate_docs(index: Index, rows: list[int]) -> list[Document]:
    """Every document of a small collection; in a large one, those BM25 points to."""
    if sum(len(d.text) for d in index.docs) <= SMALL_COLLECTION:
        return index.docs
    return [index.docs[i] for i in dict.fromkeys(index.sentences[r].doc for r in rows)]


def _exact(docs: list[Document], needle: str, quote: str) -> list[Match]:
    found = []
    for doc in docs:
        canon = doc_canon(doc).canon
        pos = _find(canon, needle, 0) if needle else -1
        while pos >= 0 and len(found) < MAX_MATCHES:
            match = make_match(doc, pos, pos + len(needle), 1.0)
            match.diff = [DiffOp("equal", quote, match.source_text)]
            found.append(match)
            pos = _find(canon, needle, pos + 1)
    return found


def _elided(docs: list[Document], pieces: list[str]) -> list[Match]:
    """Spans where every piece occurs in order, each within ``MAX_GAP`` of the one before."""
    found = []
    for doc in docs:
        canon = doc_canon(doc).canon
        first = _find(canon, pieces[0], 0)
        while first >= 0 and len(found) < MAX_MATCHES:
            spans = [(first, first + len(pieces[0]))]
            for piece in pieces[1:]:
                pos = _find(canon, piece, spans[-1][1], spans[-1][1] + MAX_GAP + len(piece))
                if pos < 0:
                    break
                spans.append((pos, pos + len(piece)))
            if len(spans) == len(pieces):
                match = make_match(doc, first, spans[-1][1], 1.0)
                match.diff, match.meaning_changes = elision_diff(doc_canon(doc), spans)
                found.append(match)
            first = _find(canon, pieces[0], first + 1)
    return found


def locate(index: Index, quote: Canon) -> tuple[str, list[Match]]:
    """Verdict and matches (best first) for the canonical quote ``quote``."""
    rows = _candidate_rows(index, quote.text)
    docs = _candidate_docs(index, rows)
    exact = _exact(docs, quote.canon, quote.text)
    if exact:
        return "verbatim", exact
    if ELISION.search(quote.canon):
        pieces = [p.strip(_END_PUNCTUATION) for p in ELISION.split(quote.canon)]
        elided = _elided(docs, [p for p in pieces if p])
        if elided:
            return "verbatim_with_elision", elided
    else:
        exact = _exact(docs, quote.canon.strip(_END_PUNCTUATION), quote.text)  # end punctuation is the quoter's
        if exact:
            return "verbatim", exact
    close = close_matches(index, rows, quote)
    altered = [m for m, kept in close if m.similarity >= ALTERED_SIMILARITY and kept >= ALTERED_COVERAGE]
    return ("altered", altered[:3]) if altered else ("not_found", closest_sentence(index, rows, quote))
