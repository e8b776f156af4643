"""Turn scored sentences into the answer: short verbatim passages, or "not in the sources".

What it does: walks the ranked sentences and makes each into a passage --
one sentence, extended to a neighbour of the same paragraph when that is
what carries the answer or its attribution (a "he said" sentence gets the
sentence naming him; an open quotation gets its close and its "..., said
X") -- skips passages that overlap or nearly repeat one already chosen
(the seeds repeat some paragraphs), and decides from calibrated
thresholds whether the sources answer the question at all. Every passage
is cut from the document text, so ``text[start:end] == quote`` holds by
construction and is asserted again before returning.

What it does not do: score sentences (``qa.retrieval``) or verify pasted
quotes (``qa.quotes``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz

from qa.answerability import answerability_features
from qa.calibration import Calibration
from qa.index import Index
from qa.lexical import tokenize
from qa.retrieval import Scored
from qa.textnorm import normalize

_PRONOUN_SAID = re.compile(r"(?i)\b(he|she|they|it)\s+(said|says|added|told|noted|explained|argued|stressed|warned)\b")
_OPEN_QUOTES = "\"“"
_CLOSE_QUOTES = "\"”"
NEAR_DUPLICATE = 90  # rapidfuzz ratio above which two passages say the same thing
CLOSEST_SHOWN = 3  # passages shown, marked low confidence, when the sources do not answer


@dataclass
class Passage:
    file: str
    paragraph: int
    start: int
    end: int
    quote: str
    score: float
    speaker: str | None = None

    def as_json(self) -> dict:
        out = asdict(self)
        if out["speaker"] is None:
            del out["speaker"]
        return out


@dataclass
class Answer:
    question: str
    answered: bool
    confidence: str  # "high" | "medium" | "low"
    passages: list[Passage] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    probability: float = 0.0  # calibrated probability that the sources answer
    ranked: list[Passage] = field(default_factory=list)  # top passages before an abstention cut them to CLOSEST_SHOWN

    def as_json(self) -> dict:
        out = {"question": self.question, "answered": self.answered, "confidence": self.confidence,
               "passages": [p.as_json() for p in self.passages]}
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


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
    doc = index.docs[a.doc]
    return Passage(doc.name, a.paragraph, a.start, b.end, doc.text[a.start:b.end], round(float(fused[row]), 4))


def _clashes(p: Passage, norm: str, chosen: list[tuple[Passage, str]]) -> bool:
    """Whether ``p`` (normalised text ``norm``) overlaps or nearly repeats a chosen passage."""
    for q, q_norm in chosen:
        if q.file == p.file and q.start < p.end and p.start < q.end:
            return True
        a, b = sorted((norm, q_norm), key=len)
        if a in b or fuzz.ratio(a, b) >= NEAR_DUPLICATE:
            return True
    return False


def select_passages(index: Index, scored: Scored, top_k: int, cal: Calibration) -> list[Passage]:
    """The best ``top_k`` distinct passages, best first."""
    chosen: list[tuple[Passage, str]] = []
    fused = dict(zip(scored.ids.tolist(), scored.fused.tolist()))
    for row in scored.ids.tolist():
        if len(chosen) >= top_k:
            break
        passage = make_passage(index, row, fused, cal)
        norm = normalize(passage.quote)
        if not _clashes(passage, norm, chosen):
            chosen.append((passage, norm))
    return [p for p, _ in chosen]


def check_verbatim(index: Index, passages: list[Passage]) -> None:
    """Assert the promise: every quote is exactly its span of the file."""
    for p in passages:
        doc = index.doc_by_name(p.file)
        if doc is None or doc.text[p.start:p.end] != p.quote:
            raise AssertionError(f"internal error: passage {p.file}:{p.start}-{p.end} is not verbatim")


def compose_answer(index: Index, question: str, scored: Scored, calibration: Calibration, top_k: int) -> Answer:
    """The answer object for ``question`` from its scored sentences."""
    ranked = select_passages(index, scored, max(top_k, 1), calibration)
    if not ranked:
        return Answer(question, False, "low", [])
    probability = calibration.probability(answerability_features(index, question, tokenize(question), scored))
    answered = probability >= calibration.answer_threshold
    confidence = "high" if probability >= calibration.high_threshold else ("medium" if answered else "low")
    # Not answered: the closest few passages are still shown, as low confidence, so a
    # reader can judge for themselves -- the "not in the sources" verdict stays on top.
    passages = ranked if answered else ranked[:CLOSEST_SHOWN]
    check_verbatim(index, ranked)
    return Answer(question, answered, confidence, passages, probability=probability, ranked=ranked)
