"""The draft set (``eval/drafts.jsonl``): how well ``qa check`` finds, verifies and attributes quotations.

What it does: reads hand-written drafts, each with the quotations a reader
sees in it and, for each, the verdict and speaker check it should get
(written from reading the four articles, before ``qa check`` existed);
checks every draft against an index of the seeds; and scores it:
quotation-finding recall and precision (a found quotation matches an
expected one when it overlaps it and holds the same words, outer
punctuation aside), verdict accuracy, speaker-check accuracy (over every
expected quotation: one missed counts as wrong), meaning-flag recall, the
number of quotations called verbatim whose words differ from the source
(``false_verbatim``: must be 0), and accuracy per kind of quotation.

What it does not do: tune anything -- nothing is fitted on this set.

>>> same_words("“a challenge.”", "a challenge"), same_words("a challenge", "the challenge")
(True, False)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from qa.evaluation.files import EvalFileError, check_fields, read_jsonl
from qa.ingest.textnorm import normalize
from qa.quotes.check import VERIFIED, DraftCheck, QuotationCheck, check_draft

DRAFT_METRICS = ("finding_recall", "finding_precision", "verdict_accuracy", "speaker_check_accuracy",
                 "flag_recall", "false_verbatim")
NAMES = {"finding_recall": "quotations found (recall)", "finding_precision": "quotations found (precision)",
         "verdict_accuracy": "verdict accuracy", "speaker_check_accuracy": "speaker-check accuracy",
         "flag_recall": "meaning flags raised (recall)", "false_verbatim": "'verbatim' for changed words (count)"}
_QUOTATION_FIELDS = {"quote": str, "verdict": str, "kind": str}


@dataclass
class DraftFigures:
    values: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    drafts: int
    quotations: int
    seconds: float
    details: list[dict] = field(default_factory=list)  # one row per expected quotation: what was found


def same_words(a: str, b: str) -> bool:
    """Whether two quotations hold the same words (case, spacing, quote marks and outer punctuation aside)."""
    strip = lambda s: " ".join(normalize(s).replace('"', " ").split()).strip(" .,;:!?")
    return strip(a) == strip(b)


def load_drafts(path: Path) -> list[dict]:
    """The drafts of ``path``, each expected quotation checked to occur in its draft's text."""
    rows = read_jsonl(path, "draft set", {"id": str, "text": str, "quotations": list})
    for row in rows:
        where = f"draft set {path}, line {row['_line']}"
        for q in row["quotations"]:
            check_fields(q, _QUOTATION_FIELDS, where)
            if q["quote"] not in row["text"]:
                raise EvalFileError(f"{where}: the quotation {q['quote'][:40]!r} is not in the draft's text")
    return rows


def _pair(draft: dict, found: DraftCheck) -> list[tuple[dict, QuotationCheck | None]]:
    """Each expected quotation with the found one that matches it (None if missed)."""
    out, cursor, used = [], 0, set()
    for q in draft["quotations"]:
        start = draft["text"].find(q["quote"], cursor)
        end, cursor = start + len(q["quote"]), start + 1
        match = next((c for c in found.checks if c.number not in used and c.quotation.start < end
                      and start < c.quotation.end and same_words(c.quotation.text, q["quote"])), None)
        if match is not None:
            used.add(match.number)
        out.append((q, match))
    return out


def _row(draft_id: str, q: dict, c: QuotationCheck | None) -> dict:
    v = c.verification if c else None
    flags = sorted({f.kind for m in (v.matches[:1] if v else []) for f in m.meaning_changes})
    return {"draft": draft_id, "kind": q["kind"], "quote": q["quote"], "found": c is not None,
            "verdict": c.verdict if c else None, "expected_verdict": q["verdict"],
            "speaker": c.quotation.speaker if c else None, "speaker_check": v.speaker_check if v else None,
            "expected_speaker_check": q.get("speaker_check"), "flags": flags, "expected_flag": q.get("flag")}


def _rate(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 1.0


def draft_figures(rows: list[dict], found_total: int) -> dict[str, float]:
    """The set's figures from the per-quotation rows and the number of quotations found in all."""
    matched = sum(r["found"] for r in rows)
    flagged = [r for r in rows if r["expected_flag"]]
    return {"finding_recall": _rate([r["found"] for r in rows]),
            "finding_precision": matched / found_total if found_total else 1.0,
            "verdict_accuracy": _rate([r["verdict"] == r["expected_verdict"] for r in rows]),
            "speaker_check_accuracy": _rate([r["found"] and r["speaker_check"] == r["expected_speaker_check"] for r in rows]),
            "flag_recall": _rate([r["expected_flag"] in r["flags"] for r in flagged]),
            "false_verbatim": float(sum(r["verdict"] in VERIFIED and r["expected_verdict"] not in VERIFIED for r in rows))}


def _by_kind(rows: list[dict]) -> dict[str, dict[str, float]]:
    out = {}
    for kind in sorted({r["kind"] for r in rows}):
        group = [r for r in rows if r["kind"] == kind]
        out[kind] = {"n": len(group), "verdict_accuracy": _rate([r["verdict"] == r["expected_verdict"] for r in group]),
                     "speaker_check_accuracy": _rate([r["speaker_check"] == r["expected_speaker_check"] for r in group])}
    return out


def run_drafts(index, drafts: list[dict]) -> DraftFigures:
    """Check every draft against ``index`` and score the results."""
    clock, rows, found_total = time.perf_counter(), [], 0
    for draft in drafts:
        found = check_draft(index, draft["text"])
        found_total += len(found.checks)
        rows += [_row(draft["id"], q, c) for q, c in _pair(draft, found)]
    return DraftFigures(draft_figures(rows, found_total), _by_kind(rows), len(drafts), len(rows),
                        time.perf_counter() - clock, rows)
