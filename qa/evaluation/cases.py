"""The evaluation set's cases: read, checked against the documents, with their gold spans.

What it does: reads ``eval/questions.jsonl`` (or ``eval/natural.jsonl``, whose
questions list every acceptable passage) into ``Case`` objects -- each
answerable question's gold evidence located in its file (every occurrence,
matched after the same whitespace/quote-mark normalisation the assistant
uses; the seeds repeat some sentences) and the paragraphs holding it -- and
``eval/quotes.jsonl`` into plain rows. Anything unusable (bad JSON, a missing
field, an unknown file, evidence that does not occur, a question the
assistant would refuse) raises ``qa.evaluation.files.EvalFileError`` naming the line.

What it does not do: ask anything or score anything (``qa.evaluation.runner`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa.evaluation.baselines import paragraph_at
from qa.evaluation.files import EvalFileError, check_fields, read_jsonl
from qa.evaluation.metrics import Span
from qa.answer.question import BadQuestion, check_question
from qa.ingest.textnorm import normalize, normalize_with_map, source_span


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    kind: str
    answerable: bool
    gold: tuple[Span, ...]                # every occurrence of the evidence in the gold file
    paragraphs: tuple[tuple[str, int], ...]  # the paragraphs holding them


def find_all(evidence: str, text: str) -> list[tuple[int, int]]:
    """Exact spans of every occurrence of ``evidence`` in ``text``, compared normalised.

    >>> find_all("it’s here", "It's here. Yes, it's HERE.")
    [(0, 9), (16, 25)]
    """
    needle = normalize(evidence)
    hay, offsets = normalize_with_map(text)
    spans, pos = [], hay.find(needle) if needle else -1
    while pos >= 0:
        spans.append(source_span(offsets, text, pos, pos + len(needle)))
        pos = hay.find(needle, pos + 1)
    return spans


def load_cases(path: Path, docs: dict, max_chars: int) -> list[Case]:
    """The evaluation questions with their gold spans and paragraphs (``EvalFileError`` if unusable)."""
    cases = []
    for row in read_jsonl(path, "evaluation questions", {"id": str, "question": str, "answerable": bool}):
        where = f"evaluation questions {path}, line {row['_line']}"
        try:
            question = check_question(row["question"], max_chars)
        except BadQuestion as err:
            raise EvalFileError(f"{where}: {err}") from None
        found = [(f, a, b) for f, text in _evidence(row, where) for a, b in _gold_spans(row["id"], f, text, docs, where)] \
            if row["answerable"] else []
        cases.append(Case(row["id"], question, str(row.get("kind", row.get("shape", ""))), row["answerable"],
                          tuple(Span(f, a, b) for f, a, b in found),
                          tuple(dict.fromkeys((f, paragraph_at(docs[f], a)) for f, a, _ in found))))
    return cases


def _evidence(row: dict, where: str) -> list[tuple[str, str]]:
    """(file, text) of every acceptable answer: ``"file"`` + ``"evidence"`` (one span), or
    ``"evidence": [{"file": ..., "text": ...}, ...]`` (every passage that answers, as eval/natural.jsonl has)."""
    if isinstance(row.get("evidence"), list):
        if not row["evidence"]:
            raise EvalFileError(f"{where}: answerable question {row['id']} lists no evidence")
        for item in row["evidence"]:
            check_fields(item if isinstance(item, dict) else {}, {"file": str, "text": str}, f"{where}, evidence")
        return [(item["file"], item["text"]) for item in row["evidence"]]
    check_fields(row, {"file": str, "evidence": str}, where)
    return [(row["file"], row["evidence"])]


def _gold_spans(case_id: str, file: str, text: str, docs: dict, where: str) -> list[tuple[int, int]]:
    if file not in docs:
        raise EvalFileError(f"{where}: {file!r} is not one of the documents read ({', '.join(sorted(docs)) or 'none'})")
    found = find_all(text, docs[file].text)
    if not found:
        raise EvalFileError(f"{where}: the evidence of {case_id} does not occur in {file}")
    return found


def load_quote_cases(path: Path) -> list[dict]:
    """The quote-verification cases (``EvalFileError`` if unusable)."""
    return read_jsonl(path, "quote cases", {"quote": str, "expected_verdict": str})
