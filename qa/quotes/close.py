"""Close matches of a quote that is not word for word in the sources.

What it does: aligns the quote (rapidfuzz ``partial_ratio_alignment``) with
the paragraphs around the best BM25 sentences, narrows each alignment to
the span between shared words most like the quote, and word-diffs it; for
a quote not found at all, the candidate sentence most like it.

What it does not do: decide the verdict (``qa.quotes.search.locate`` does).
"""

from __future__ import annotations

from bisect import bisect_left

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from qa.index.hybrid import Index
from qa.ingest.documents import Document
from qa.quotes.diff import Canon, tokens, word_diff
from qa.quotes.match import Match, doc_canon, make_match


def _regions(index: Index, rows: list[int], length: int) -> list[tuple[Document, int, int]]:
    """Canonical ranges of the paragraphs around each candidate sentence (one before, one after)."""
    out: dict[tuple[int, int], tuple[Document, int, int]] = {}
    for r in rows:
        s = index.sentences[r]
        doc = index.docs[s.doc]
        src = doc_canon(doc)
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
    src = doc_canon(doc)
    s_tok = tokens(src.canon, a, b)
    a, b = s_tok[0][1], s_tok[-1][2]
    match = make_match(doc, a, b, fuzz.ratio(quote.canon, src.canon[a:b]) / 100)
    match.diff, match.meaning_changes, kept = word_diff(quote, q_tok, src, s_tok)
    return match, kept


def close_matches(index: Index, rows: list[int], quote: Canon) -> list[tuple[Match, float]]:
    """Close matches in the candidate regions, best first, each with the share of quote words it keeps."""
    q_tok = tokens(quote.canon)
    found = []
    for doc, lo, hi in _regions(index, rows, len(quote.canon)):
        canon = doc_canon(doc).canon
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
    return [f for i, f in enumerate(found) if not any(overlap(f[0], g[0]) for g in found[:i])]


def closest_sentence(index: Index, rows: list[int], quote: Canon) -> list[Match]:
    """The candidate sentence most like the quote, shown whole, for a quote not found."""
    q_tok, found = tokens(quote.canon), []
    for r in rows:
        s = index.sentences[r]
        doc = index.docs[s.doc]
        offs = doc_canon(doc).offs
        found.append(_compare(doc, quote, q_tok, bisect_left(offs, s.start), bisect_left(offs, s.end))[0])
    best = max(found, key=lambda m: m.similarity, default=None)
    if best is not None:
        best.meaning_changes = []  # edits against an unrelated sentence mean nothing
    return [best] if best else []


def overlap(a: Match, b: Match) -> bool:
    return a.file == b.file and a.start < b.end and b.start < a.end
