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
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from qa.ingest.documents import Document
from qa.index.hybrid import Index
from qa.index.lexical import bm25_scores, tokenize
from qa.quotes.diff import Canon, DiffOp, MeaningChange, cached_canonical, canonical, elision_diff, tokens, word_diff

ALTERED_SIMILARITY = 0.8  # character similarity (0..1) a close match needs ...
ALTERED_COVERAGE = 0.6    # ... and the share of the quote's words it must keep
MAX_GAP = 600             # canonical characters allowed between elided pieces
CANDIDATES = 8            # BM25 sentences whose paragraphs are aligned fuzzily
MAX_MATCHES = 5
SMALL_COLLECTION = 500_000  # characters; up to this every document is searched exactly (canonical form costs ~1 s per million)
ELISION = re.compile(r"\s*\[\s*\.\.\.\s*\]\s*|\s*\.\.\.\s*")  # "…" is "..." once canonical
_END_PUNCTUATION = " .,;:!?"


@dataclass
class Match:
    file: str
    paragraph: int
    start: int
    end: int
    source_text: str
    similarity: float
    speaker: str | None = None
    diff: list[DiffOp] = field(default_factory=list)
    meaning_changes: list[MeaningChange] = field(default_factory=list)


def _doc_canon(doc: Document) -> Canon:
    return cached_canonical(doc.text)


def _find(canon: str, needle: str, start: int, end: int | None = None) -> int:
    """First whole-word occurrence of ``needle`` in ``canon[start:end]`` ("he said" is not in "she said")."""
    end = len(canon) if end is None else end
    pos = canon.find(needle, start, end)
    while pos >= 0 and ((pos and canon[pos - 1].isalnum() and needle[0].isalnum()) or
                        (pos + len(needle) < len(canon) and canon[pos + len(needle)].isalnum() and needle[-1].isalnum())):
        pos = canon.find(needle, pos + 1, end)
    return pos


def _make_match(doc: Document, a: int, b: int, similarity: float) -> Match:
    """The match of canonical range ``[a, b)`` of ``doc``, cut verbatim from its text."""
    offs = _doc_canon(doc).offs
    start, end = offs[a], offs[b - 1] + 1
    paragraph = next((p.number for p in doc.paragraphs if p.start <= start < p.end), 0)
    return Match(doc.name, paragraph, start, end, doc.text[start:end], round(similarity, 3))


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
        canon = _doc_canon(doc).canon
        pos = _find(canon, needle, 0) if needle else -1
        while pos >= 0 and len(found) < MAX_MATCHES:
            match = _make_match(doc, pos, pos + len(needle), 1.0)
            match.diff = [DiffOp("equal", quote, match.source_text)]
            found.append(match)
            pos = _find(canon, needle, pos + 1)
    return found


def _elided(docs: list[Document], pieces: list[str]) -> list[Match]:
    """Spans where every piece occurs in order, each within ``MAX_GAP`` of the one before."""
    found = []
    for doc in docs:
        canon = _doc_canon(doc).canon
        first = _find(canon, pieces[0], 0)
        while first >= 0 and len(found) < MAX_MATCHES:
            spans = [(first, first + len(pieces[0]))]
            for piece in pieces[1:]:
                pos = _find(canon, piece, spans[-1][1], spans[-1][1] + MAX_GAP + len(piece))
                if pos < 0:
                    break
                spans.append((pos, pos + len(piece)))
            if len(spans) == len(pieces):
                match = _make_match(doc, first, spans[-1][1], 1.0)
                match.diff, match.meaning_changes = elision_diff(_doc_canon(doc), spans)
                found.append(match)
            first = _find(canon, pieces[0], first + 1)
    return found


def _regions(index: Index, rows: list[int], length: int) -> list[tuple[Document, int, int]]:
    """Canonical ranges of the paragraphs around each candidate sentence (one before, one after)."""
    out: dict[tuple[int, int], tuple[Document, int, int]] = {}
    for r in rows:
        s = index.sentences[r]
        doc = index.docs[s.doc]
        src = _doc_canon(doc)
        near = [p for p in doc.paragraphs if abs(p.number - s.paragraph) <= 1]
        lo = bisect_left(src.offs, near[0].start)
        hi = max(bisect_left(src.offs, near[-1].end), min(len(src.canon), lo + 2 * length))
        out.setdefault((s.doc, lo), (doc, lo, hi))
    return list(out.values())


def _aligned_span(quote: Canon, q_tok, canon: str, s_tok) -> tuple[int, int] | None:
    """Source tokens the quote aligns with: of the spans between shared words (widened by the
    quote's unmatched edge words), the one most like the quote -- a stray shared "the" is left out."""
    ops = [op for op in Indel.opcodes([t[0] for t in q_tok], [t[0] for t in s_tok]) if op.tag == "equal"]
    starts = {max(0, op.dest_start - op.src_start) for op in ops[:3]}
    ends = {min(len(s_tok), op.dest_end + len(q_tok) - op.src_end) for op in ops[-3:]}
    spans = [(a, b) for a in starts for b in ends if a < b]
    return max(spans, key=lambda ab: fuzz.ratio(quote.canon, canon[s_tok[ab[0]][1]:s_tok[ab[1] - 1][2]]), default=None)


def _compare(doc: Document, quote: Canon, q_tok, a: int, b: int) -> tuple[Match, float]:
    """The quote against canonical range ``[a, b)`` of ``doc``, and the share of its words kept."""
    src = _doc_canon(doc)
    s_tok = tokens(src.canon, a, b)
    a, b = s_tok[0][1], s_tok[-1][2]
    match = _make_match(doc, a, b, fuzz.ratio(quote.canon, src.canon[a:b]) / 100)
    match.diff, match.meaning_changes, kept = word_diff(quote, q_tok, src, s_tok)
    return match, kept


def _fuzzy(index: Index, rows: list[int], quote: Canon) -> list[tuple[Match, float]]:
    """Close matches in the candidate regions, best first, each with the share of quote words it keeps."""
    q_tok = tokens(quote.canon)
    found = []
    for doc, lo, hi in _regions(index, rows, len(quote.canon)):
        canon = _doc_canon(doc).canon
        al = fuzz.partial_ratio_alignment(quote.canon, canon[lo:hi])
        margin = 25 + len(quote.canon) // 10  # room for words the quote added or dropped
        w_lo, w_hi = max(lo, lo + al.dest_start - margin), min(hi, lo + al.dest_end + margin)
        w_lo = canon.rfind(" ", lo, w_lo) + 1 if w_lo > lo else lo  # whole words only
        w_hi = next((i for i in (canon.find(" ", w_hi),) if 0 <= i < hi), hi)
        s_tok = tokens(canon, w_lo, w_hi)
        span = _aligned_span(quote, q_tok, canon, s_tok)
        if span is not None:
            found.append(_compare(doc, quote, q_tok, s_tok[span[0]][1], s_tok[span[1] - 1][2]))
    found.sort(key=lambda f: -f[0].similarity)
    return [f for i, f in enumerate(found) if not any(_overlap(f[0], g[0]) for g in found[:i])]


def _closest_sentence(index: Index, rows: list[int], quote: Canon) -> list[Match]:
    """The candidate sentence most like the quote, shown whole, for a quote not found."""
    q_tok, found = tokens(quote.canon), []
    for r in rows:
        s = index.sentences[r]
        doc = index.docs[s.doc]
        offs = _doc_canon(doc).offs
        found.append(_compare(doc, quote, q_tok, bisect_left(offs, s.start), bisect_left(offs, s.end))[0])
    best = max(found, key=lambda m: m.similarity, default=None)
    if best is not None:
        best.meaning_changes = []  # edits against an unrelated sentence mean nothing
    return [best] if best else []


def _overlap(a: Match, b: Match) -> bool:
    return a.file == b.file and a.start < b.end and b.start < a.end


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
    close = _fuzzy(index, rows, quote)
    altered = [m for m, kept in close if m.similarity >= ALTERED_SIMILARITY and kept >= ALTERED_COVERAGE]
    return ("altered", altered[:3]) if altered else ("not_found", _closest_sentence(index, rows, quote))
