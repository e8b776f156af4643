"""Word-level comparison of a quote with a source span, for ``qa.quotes.verify``.

What it does: puts texts in the canonical form quotes are matched in
(``qa.ingest.textnorm.normalize`` without double quote marks, which only delimit a
quotation), keeping each canonical character's source offset so any range
maps back to the exact original text; cuts canonical text into word and
punctuation tokens; and, for two aligned token runs, lists the edits
(``rapidfuzz`` Levenshtein opcodes: kept, inserted into the quote, deleted
from the source, replaced) in original spelling and flags those that
change the meaning -- a negation added or removed, a number, amount or
date changed, a capitalised name changed.

What it does not do: find where a quote is (``qa.quotes.verify`` does) or judge
changes it has no rule for ("higher" -> "lower" is a plain replacement).

>>> q, s = canonical("Supply chains can be rebuilt."), canonical("Supply chains cannot be rebuilt.")
>>> diff, flags, kept = word_diff(q, tokens(q.canon), s, tokens(s.canon))
>>> [(d.op, d.quote, d.source) for d in diff if d.op != "equal"], [f.kind for f in flags], kept
([('replace', 'can', 'cannot')], ['negation'], 0.8)
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from qa.ingest.textnorm import normalize_with_map

TOKEN = re.compile(r"\w+(?:['.,\-/&]\w+)*%?|[^\w\s]")
_NEGATIONS = {"not", "no", "never", "cannot", "nobody", "none", "nothing", "neither", "nor", "without"}
# "first", "second", "may" are left out: as ordinals or verbs they are usually not amounts or dates.
_NUMBER_WORDS = set("""one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds
thousand thousands million millions billion billions trillion trillions percent january february march april
june july august september october november december monday tuesday wednesday thursday friday saturday sunday""".split())


@dataclass
class DiffOp:
    op: str  # "equal" | "insert" (words only in the quote) | "delete" (only in the source) | "replace" (an elision: quote "…")
    quote: str
    source: str


@dataclass
class MeaningChange:
    kind: str  # "negation" | "number" | "name"
    quote: str
    source: str

    def in_words(self) -> str:
        return change_in_words(self.quote, self.source)


def change_in_words(quote: str, source: str) -> str:
    """What one edit does, said plainly: a word dropped, added or replaced.

    >>> change_in_words("", "not"), change_in_words("can", "cannot")
    ('the quote drops “not”', 'the quote says “can” where the source says “cannot”')
    """
    if not quote:
        return f"the quote drops “{source}”"
    if not source:
        return f"the quote adds “{quote}”"
    return f"the quote says “{quote}” where the source says “{source}”"


@dataclass(frozen=True)
class Canon:
    """A text, its canonical form, and the source offset of each canonical character."""
    text: str
    canon: str
    offs: Sequence[int]

    def orig(self, a: int, b: int) -> str:
        """The original text behind canonical range ``[a, b)``, outer spaces trimmed."""
        while a < b and self.canon[a] == " ":
            a += 1
        while b > a and self.canon[b - 1] == " ":
            b -= 1
        return self.text[self.offs[a]:self.offs[b - 1] + 1] if a < b else ""

    def words(self, toks) -> list[tuple[str, bool]]:
        """Each token's original spelling and whether it opens a sentence (so a capital means nothing)."""
        out = []
        for _, a, b in toks:
            before = self.canon[:a].rstrip()
            out.append((self.orig(a, b), not before or before[-1] in ".!?:"))
        return out


def canonical(text: str) -> Canon:
    """``text`` normalised, without double quote marks, spaces re-collapsed.

    >>> canonical("\\u201cIt\\u2019s\\u00a0here,\\u201d she said").canon
    "it's here, she said"
    """
    norm, offsets = normalize_with_map(text)
    chars, offs = [], []
    for ch, off in zip(norm, offsets):
        if ch == '"' or (ch == " " and (not chars or chars[-1] == " ")):
            continue
        chars.append(ch)
        offs.append(off)
    if chars and chars[-1] == " ":
        chars.pop(), offs.pop()
    return Canon(text, "".join(chars), array("q", offs))  # compact: one offset per character


@lru_cache(maxsize=20_000)
def cached_canonical(text: str) -> Canon:
    """``canonical(text)``, computed once per process for a document's text (~1 s per million characters)."""
    return canonical(text)


def tokens(canon: str, lo: int = 0, hi: int | None = None) -> list[tuple[str, int, int]]:
    """(token, start, end) of the words and punctuation marks of ``canon[lo:hi]``."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(canon, lo, len(canon) if hi is None else hi)]


def word_count(toks) -> int:
    return sum(t[0][0].isalnum() for t in toks)


def token_blocks(q_tok, s_tok) -> list[tuple[bool, int, int, int, int]]:
    """(equal, i, j, k, m): quote tokens ``[i, j)`` against source tokens ``[k, m)``, edits next to
    each other merged into one block so a rewritten phrase reads as one replacement."""
    blocks: list[list] = []
    for op in Levenshtein.opcodes([t[0] for t in q_tok], [t[0] for t in s_tok]):
        equal = op.tag == "equal"
        if blocks and not equal and not blocks[-1][0]:
            blocks[-1][2], blocks[-1][4] = op.src_end, op.dest_end
        else:
            blocks.append([equal, op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(b) for b in blocks]


def word_diff(quote: Canon, q_tok, src: Canon, s_tok) -> tuple[list[DiffOp], list[MeaningChange], float]:
    """Edits from source to quote, their meaning changes, and the share of the quote's words kept."""
    q_words, s_words = quote.words(q_tok), src.words(s_tok)
    diff, flags, kept = [], [], 0
    for equal, i, j, k, m in token_blocks(q_tok, s_tok):
        tag = "equal" if equal else "replace" if i < j and k < m else "insert" if i < j else "delete"
        q_text = quote.orig(q_tok[i][1], q_tok[j - 1][2]) if j > i else ""
        s_text = src.orig(s_tok[k][1], s_tok[m - 1][2]) if m > k else ""
        diff.append(DiffOp(tag, q_text, s_text))
        if equal:
            kept += word_count(q_tok[i:j])
        else:
            flags += [MeaningChange(kind, q_text, s_text) for kind in meaning_changes(q_words[i:j], s_words[k:m])]
    return diff, flags, kept / max(1, word_count(q_tok))


def elision_diff(src: Canon, spans: list[tuple[int, int]]) -> tuple[list[DiffOp], list[MeaningChange]]:
    """Kept pieces as "equal", elided words "replace"d by "…"; eliding a negation is flagged.

    >>> s = canonical("It is not bad. Nobody is sad.")
    >>> diff, flags = elision_diff(s, [(0, 5), (21, 28)])
    >>> [(d.op, d.source) for d in diff], [f.kind for f in flags]
    ([('equal', 'It is'), ('replace', 'not bad. Nobody'), ('equal', 'is sad')], ['negation'])
    """
    diff: list[DiffOp] = []
    for i, (a, b) in enumerate(spans):
        if i:
            diff.append(DiffOp("replace", "…", src.orig(spans[i - 1][1], a)))
        diff.append(DiffOp("equal", src.orig(a, b), src.orig(a, b)))
    flags = [MeaningChange("negation", "…", d.source) for d in diff if d.quote == "…" and _negations(d.source.split())]
    return diff, flags


def _negations(words: list[str]) -> int:
    return sum(w.lower().strip(".,;:!?") in _NEGATIONS or w.lower().endswith("n't") for w in words)


def meaning_changes(quote_words, source_words) -> list[str]:
    """Kinds of meaning change in one edit, from (word, opens_sentence) pairs.

    >>> meaning_changes([("2017", False)], [("2015", False)]), meaning_changes([("Kawasaki", False)], [("Mitsubishi", False)])
    (['number'], ['name'])
    """
    q, s = [w for w, _ in quote_words], [w for w, _ in source_words]
    kinds = ["negation"] if _negations(q) != _negations(s) else []
    numeric = lambda ws: {w.lower() for w in ws if any(c.isdigit() for c in w) or w.lower() in _NUMBER_WORDS}
    if numeric(q) != numeric(s):
        kinds.append("number")
    names = lambda ws: {w for w, opens in ws if w[:1].isupper() and not opens and w.lower() not in _NUMBER_WORDS}
    if names(quote_words) != names(source_words):
        kinds.append("name")
    return kinds
