"""Passages: the verbatim spans that answer a question, chosen from ranked sentences.

What it does: makes each well-ranked sentence into a passage -- one
sentence, extended to a neighbour of the same paragraph when that is what
carries the answer or its attribution (a "he said" sentence gets the
sentence naming him; an open quotation gets its close and its "..., said
X") -- and picks the best few distinct ones: a passage that overlaps or
nearly repeats one already chosen is skipped (the seeds repeat some
paragraphs), and a well-ranked sentence right next to a chosen passage
joins it. Every passage is cut from the document text, so
``text[start:end] == quote`` holds by construction (``check_verbatim``
asserts it again).

What it does not do: score sentences (``qa.answer.retrieval``) or decide whether
the sources answer at all (``qa.answer.compose``).

>>> extend_rows(1, ["Sato spoke.", "“It is bad,” he said."])
(0, 1)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz

from qa.answer.calibration import Calibration
from qa.index.hybrid import Index
from qa.answer.retrieval import Scored
from qa.ingest.textnorm import normalize

_PRONOUN_SAID = re.compile(r"(?i)\b(he|she|they|it)\s+(said|says|added|told|noted|explained|argued|stressed|warned)\b")
NEAR_DUPLICATE = 90  # rapidfuzz ratio above which two passages say the same thing
JOIN_RATIO, JOIN_MAX_WORDS = 0.5, 60  # when a sentence joins the passage next to it (select_passages)


@dataclass
class Passage:
    file: str
    paragraph: int
    start: int
    end: int
    quote: str
    score: float
    speaker: str | None = None
    # this passage's own calibrated probability of holding the answer, and its label
    # ("high", "medium", "related", "low"): qa.answer.confidence
    confidence: float | None = None
    label: str | None = None
    row: int = -1  # the sentence it was chosen for (not shown)

    def as_json(self) -> dict:
        out = asdict(self)
        del out["row"]
        for key in ("speaker", "confidence", "label"):
            if out[key] is None:
                del out[key]
        return out


def _cut(index: Index, doc: int, paragraph: int, start: int, end: int, score: float, row: int, speaker=None) -> Passage:
    """The passage quoting ``[start, end)`` of document ``doc``: its quote is that slice, always."""
    d = index.docs[doc]
    return Passage(d.name, paragraph, start, end, d.text[start:end], round(float(score), 4), speaker, row=row)


def _quote_balance(text: str) -> int:
    """Open minus closed quotation marks (straight quotes counted in pairs)."""
    curly = text.count("“") - text.count("”")
    return curly if curly else text.count('"') % 2


def extend_rows(pos: int, texts: list[str]) -> tuple[int, int]:
    """Sentence range [first, last] of a paragraph to quote around ``pos``.

    ``texts`` are the paragraph's sentences, in order.

    >>> extend_rows(1, ["Sato spoke.", "“It is bad,” he said."])
    (0, 1)
    >>> extend_rows(0, ["“It is bad.", "It is late,” he said.", "Next."])
    (0, 1)
    """
    first = last = pos
    if _PRONOUN_SAID.search(texts[pos]) and pos > 0:
        first = pos - 1
    balance = _quote_balance(" ".join(texts[first:last + 1]))
    while balance > 0 and last + 1 < len(texts) and last - pos < 2:
        last += 1
        balance = _quote_balance(" ".join(texts[first:last + 1]))
    return first, last


def _paragraph_rows(index: Index, row: int) -> list[int]:
    s = index.sentences[row]
    rows = [row]
    i = row - 1
    while i >= 0 and index.sentences[i].doc == s.doc and index.sentences[i].paragraph == s.paragraph:
        rows.insert(0, i)
        i -= 1
    i = row + 1
    while i < len(index.sentences) and index.sentences[i].doc == s.doc and index.sentences[i].paragraph == s.paragraph:
        rows.append(i)
        i += 1
    return rows


def _best_neighbour(rows: list[int], pos: int, fused: dict[int, float]) -> int | None:
    """Position of the better-scored neighbour of ``pos`` in its paragraph."""
    around = [p for p in (pos - 1, pos + 1) if 0 <= p < len(rows)]
    return max(around, key=lambda p: fused.get(rows[p], float("-inf")), default=None)


def make_passage(index: Index, row: int, fused: dict[int, float], cal: Calibration) -> Passage:
    """The passage quoting sentence ``row`` (and the neighbours it needs).

    Besides attribution (``extend_rows``), a sentence too short to stand
    alone, or one whose neighbour scores nearly as well, takes that
    neighbour in: on SQuAD the answer often sits next to the best match.
    """
    rows = _paragraph_rows(index, row)
    pos = rows.index(row)
    first, last = extend_rows(pos, [index.sentences[r].text for r in rows])
    other = _best_neighbour(rows, pos, fused)
    if other is not None and (len(index.sentences[row].text.split()) < cal.extend_min_words
                              or fused.get(rows[other], float("-inf")) >= cal.extend_ratio * fused[row]):
        first, last = min(first, other), max(last, other)
    a, b = index.sentences[rows[first]], index.sentences[rows[last]]
    return _cut(index, a.doc, a.paragraph, a.start, b.end, fused[row], row)


def _clashes(p: Passage, norm: str, chosen: list[tuple[Passage, str]]) -> bool:
    """Whether ``p`` (normalised text ``norm``) overlaps or nearly repeats a chosen passage."""
    for q, q_norm in chosen:
        if q.file == p.file and q.start < p.end and p.start < q.end:
            return True
        a, b = sorted((norm, q_norm), key=len)
        if a in b or fuzz.ratio(a, b) >= NEAR_DUPLICATE:
            return True
    return False


def _joined(index: Index, row: int, chosen: list[tuple[Passage, str]]) -> int | None:
    """Which chosen passage sentence ``row`` continues (same paragraph, next to it), if any."""
    s = index.sentences[row]
    name, text = index.docs[s.doc].name, index.docs[s.doc].text
    for i, (q, _) in enumerate(chosen):
        if q.file == name and q.paragraph == s.paragraph and not (q.start < s.end and s.start < q.end):
            between = text[q.end:s.start] if s.start >= q.end else text[s.end:q.start]
            if not between.strip():
                return i
    return None


def _grow(index: Index, passage: Passage, row: int) -> Passage:
    """``passage`` extended over its neighbouring sentence ``row``."""
    s = index.sentences[row]
    start, end = min(passage.start, s.start), max(passage.end, s.end)
    return _cut(index, s.doc, passage.paragraph, start, end, passage.score, passage.row, passage.speaker)


def select_passages(index: Index, scored: Scored, top_k: int, cal: Calibration) -> list[Passage]:
    """The best ``top_k`` distinct passages, best first.

    A well-ranked sentence whose passage overlaps one already chosen is not
    dropped: right next to it, it joins that passage while that stays short
    ("It first gave away five used aircraft." belongs with the sentence
    before it, and is often the answer); otherwise it is quoted on its own.
    """
    chosen: list[tuple[Passage, str]] = []
    fused = dict(zip(scored.ids.tolist(), scored.fused.tolist()))
    best = float(scored.fused[0]) if len(scored.fused) else 0.0
    for row in scored.ids.tolist():
        if len(chosen) >= top_k:
            break
        passage = make_passage(index, row, fused, cal)
        norm = normalize(passage.quote)
        if not _clashes(passage, norm, chosen):
            chosen.append((passage, norm))
            continue
        if fused[row] < JOIN_RATIO * best:
            continue
        near = _joined(index, row, chosen)
        grown = _grow(index, chosen[near][0], row) if near is not None else None
        if grown is not None and len(grown.quote.split()) <= JOIN_MAX_WORDS:
            chosen[near] = (grown, normalize(grown.quote))
            continue
        s = index.sentences[row]  # too long to join: the sentence on its own
        alone = _cut(index, s.doc, s.paragraph, s.start, s.end, fused[row], row)
        alone_norm = normalize(alone.quote)
        if not _clashes(alone, alone_norm, chosen):
            chosen.append((alone, alone_norm))
    return [p for p, _ in chosen]


def check_verbatim(index: Index, passages: list[Passage]) -> None:
    """Assert the promise: every quote is exactly its span of the file."""
    for p in passages:
        doc = index.doc_by_name(p.file)
        if doc is None or doc.text[p.start:p.end] != p.quote:
            raise AssertionError(f"internal error: passage {p.file}:{p.start}-{p.end} is not verbatim")


