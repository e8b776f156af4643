"""Evaluation metrics for the extractive QA assistant, as small pure functions.

What it does: scores retrieval (first rank overlapping a gold span, hit@k,
MRR, top-1 paragraph accuracy), abstention, quoting (length, verbatim spans),
verdicts, ROC AUC of a confidence score, and SQuAD answer matching.

What it does not do: read files, run the assistant or build reports. Paired
list arguments must have equal lengths (``ValueError`` otherwise); an empty
input gives 0.0 unless a docstring says otherwise.
>>> hit_at_k([1, 3, None], 1), round(mrr([1, 3, None]), 4)
(0.3333333333333333, 0.4444)
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Sequence

Rank = int | None


@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` of one file's text."""

    file: str
    start: int
    end: int


def overlaps(a: Span, b: Span) -> bool:
    """True when both spans are in the same file and share a character.
    >>> overlaps(Span("f", 0, 5), Span("f", 4, 9)), overlaps(Span("f", 0, 5), Span("f", 5, 9))
    (True, False)
    """
    return a.file == b.file and a.start < b.end and b.start < a.end


def first_hit_rank(passages: Sequence[Span], gold: Span) -> Rank:
    """1-based rank of the first passage overlapping ``gold``, None if none.
    >>> first_hit_rank([Span("a", 0, 9), Span("b", 0, 9)], Span("b", 3, 4))
    2
    """
    for rank, passage in enumerate(passages, start=1):
        if overlaps(passage, gold):
            return rank
    return None


def _check_lengths(a: Sequence, b: Sequence) -> None:
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} != {len(b)}")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def hit_at_k(ranks: Sequence[Rank], k: int) -> float:
    """Fraction of questions whose first hit is at rank ``k`` or better.
    >>> hit_at_k([1, 2, 5, None], 2)
    0.5
    """
    return _mean([1.0 if r is not None and r <= k else 0.0 for r in ranks])


def mrr(ranks: Sequence[Rank]) -> float:
    """Mean reciprocal rank; a missing hit (None) contributes 0.
    >>> mrr([1, 2, None, 4])
    0.4375
    """
    return _mean([1.0 / r if r is not None else 0.0 for r in ranks])


def paragraph_accuracy(predicted: Sequence[tuple[str, int] | None],
                       gold: Sequence[tuple[str, int]]) -> float:
    """Fraction whose top-1 (file, paragraph) equals the gold one; None is wrong.
    >>> paragraph_accuracy([("a", 2), ("a", 3), None], [("a", 2), ("a", 2), ("b", 1)])
    0.3333333333333333
    """
    _check_lengths(predicted, gold)
    return _mean([1.0 if p == tuple(g) else 0.0 for p, g in zip(predicted, gold)])


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


def abstention_scores(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict:
    """Precision, recall and false-abstention rate of abstaining.

    ``precision``: fraction of abstentions on unanswerable questions (1.0
    when nothing was abstained on). ``recall``: fraction of unanswerable
    questions abstained on (1.0 when there are none). ``false_abstention_rate``:
    fraction of answerable questions abstained on (0.0 when there are none).
    >>> abstention_scores([True, True, False, False], [False, True, False, True])
    {'precision': 0.5, 'recall': 0.5, 'false_abstention_rate': 0.5}
    """
    _check_lengths(abstained, answerable)
    n_abstained, n_unanswerable = sum(map(bool, abstained)), sum(not ok for ok in answerable)
    right = sum(1 for a, ok in zip(abstained, answerable) if a and not ok)
    return {"precision": _ratio(right, n_abstained, 1.0),
            "recall": _ratio(right, n_unanswerable, 1.0),
            "false_abstention_rate": _ratio(n_abstained - right,
                                            len(answerable) - n_unanswerable, 0.0)}


def mean_quote_length(quotes: Sequence[str]) -> float:
    """Mean number of whitespace-separated words per quote (0.0 for none).
    >>> mean_quote_length(["one two three", "four"])
    2.0
    """
    return _mean([float(len(q.split())) for q in quotes])


def verbatim_span_rate(passages: Sequence[dict], texts: dict[str, str]) -> float:
    """Fraction of passages with ``texts[file][start:end] == quote``.

    A passage whose file is not in ``texts`` counts as not verbatim; with no
    passages at all the rate is 1.0 (nothing was misquoted).
    >>> verbatim_span_rate([{"file": "f", "start": 6, "end": 11, "quote": "world"}],
    ...                    {"f": "Hello world."})
    1.0
    """
    ok = [p["file"] in texts and texts[p["file"]][p["start"]:p["end"]] == p["quote"]
          for p in passages]
    return sum(ok) / len(ok) if ok else 1.0


def verdict_accuracy(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """Fraction of exactly equal verdict labels.
    >>> verdict_accuracy(["supported", "refuted"], ["supported", "unsupported"])
    0.5
    """
    _check_lengths(predicted, expected)
    return _mean([1.0 if p == e else 0.0 for p, e in zip(predicted, expected)])


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """P(random positive scores above random negative), ties counting 1/2.
    The Mann-Whitney formulation, O(n log n); ``ValueError`` if a class is empty.
    >>> roc_auc([0.9, 0.5, 0.5, 0.1], [True, True, False, False])
    0.875
    """
    _check_lengths(scores, labels)
    n_pos = sum(1 for y in labels if y)
    n_neg = len(labels) - n_pos
    if not n_pos or not n_neg:
        raise ValueError("roc_auc needs at least one positive and one negative")
    wins, negatives_below = 0.0, 0
    pairs = sorted(zip(scores, map(bool, labels)))
    for _, tied in groupby(pairs, key=itemgetter(0)):
        tied_labels = [y for _, y in tied]
        pos, neg = sum(tied_labels), len(tied_labels) - sum(tied_labels)
        wins += pos * (negatives_below + neg / 2)
        negatives_below += neg
    return wins / (n_pos * n_neg)


_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def squad_normalize(s: str) -> str:
    """The official SQuAD v2 normalisation: lower case, drop ``string.punctuation``,
    drop the articles a/an/the as whole words, collapse whitespace.
    >>> squad_normalize("The  Norman-French, an Army!")
    'normanfrench army'
    """
    s = "".join(ch for ch in s.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", s).split())


def answer_rank(gold_answers: Sequence[str], quotes: Sequence[str]) -> Rank:
    """1-based rank of the first quote containing a gold answer, else None.
    Matching is on normalised text at token boundaries; gold answers that
    normalise to the empty string are ignored.
    >>> answer_rank(["10th century"], ["In 911.", "In the 10th  century, ..."])
    2
    >>> answer_rank(["art"], ["The start."]) is None
    True
    """
    golds = [f" {g} " for g in map(squad_normalize, gold_answers) if g]
    for rank, quote in enumerate(quotes, start=1):
        if any(g in f" {squad_normalize(quote)} " for g in golds):
            return rank
    return None


def answer_in_quotes(gold_answers: Sequence[str], quotes: Sequence[str], k: int) -> bool:
    """True when a gold answer occurs in one of the first ``k`` quotes.
    >>> [answer_in_quotes(["France"], ["Paris.", "It is in France."], k) for k in (1, 2)]
    [False, True]
    """
    return answer_rank(gold_answers, list(quotes)[:k]) is not None
