"""Sanity checks for the hand-written evaluation set in eval/.

The set is only useful if it is grounded: every answerable question's
evidence must really be in its seed file, every "verbatim" quote must really
occur, every "altered" / fabricated quote must really not occur.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from qa.ingest.textnorm import normalize

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"
SEEDS = ROOT / "seeds"

SEED_FILES = [
    "000_57a4e97e2b8caa9f.txt",
    "001_e8bb165eaeb47ca6.txt",
    "002_ba0d5cdbb7c8509b.txt",
    "003_58a6c8d8ec398895.txt",
]

ANSWERABLE_KINDS = {
    "who", "what", "when", "how_much", "name_title", "quote", "why",
    "neighbor", "paraphrase", "where", "how",
}
ANSWERABLE_MINIMUMS = {
    "who": 8, "when": 8, "how_much": 8, "quote": 8, "paraphrase": 8,
    "why": 5, "neighbor": 5,
}
UNANSWERABLE_KINDS = {"off_topic", "on_topic"}

VERDICTS = {"verbatim", "verbatim_with_elision", "altered", "not_found"}
SPEAKER_CHECKS = {"confirmed", "contradicted", "unknown", None}
QUOTE_KIND_MINIMUMS = {
    "verbatim": 8, "elision": 5, "altered_word": 4, "negation": 4,
    "number": 4, "name": 2, "fabricated": 5, "misattributed": 4,
}
ALTERED_KINDS = {"altered_word", "negation", "number", "name"}

# Web-page debris that evidence must never be taken from.
DEBRIS_MARKERS = [
    "gettyimages", "advertising", "icon", "copyright", "visualizzazioni",
    "top of page", "bottom of page", "latest events", "latest issues",
    "photo ©", "all rights reserved",
]

REQUIRED_QUESTIONS = {
    "What did the U.S. ambassador say about Japan's manufacturing capacity?":
        "002_ba0d5cdbb7c8509b.txt",
    "Why did Komatsu stop making armored vehicles?":
        "000_57a4e97e2b8caa9f.txt",
}

ELISION_RE = re.compile(r"\[\.\.\.\]|\.\.\.")  # applied to normalised text (… -> ...)
MAX_ELISION_GAP = 400  # normalised characters allowed between elided pieces


def _load_jsonl(path: Path) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - reported as failure
                raise AssertionError(f"{path.name}:{lineno}: invalid JSON: {exc}") from exc
    return items


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {name: (SEEDS / name).read_text(encoding="utf-8") for name in SEED_FILES}


@pytest.fixture(scope="module")
def norm_seeds(seeds) -> dict[str, str]:
    return {name: normalize(text) for name, text in seeds.items()}


@pytest.fixture(scope="module")
def body_seeds(seeds) -> dict[str, str]:
    """Normalised seed text with headings and page debris lines removed."""
    out = {}
    for name, text in seeds.items():
        kept = []
        for i, line in enumerate(text.splitlines()):
            stripped = line.strip()
            low = stripped.lower()
            if not stripped or any(m in low for m in DEBRIS_MARKERS):
                kept.append("")
                continue
            words = stripped.split()
            looks_like_heading = (
                len(words) < 15 and not stripped.endswith((".", "”", '"', "?", ")", ";", ":"))
            )
            if looks_like_heading or (i == 0 and len(words) < 15):
                kept.append("")
                continue
            kept.append(line)
        # Separate lines by a marker so evidence cannot span a removed line.
        out[name] = "\u0000".join(normalize(l) for l in kept)
    return out


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    return _load_jsonl(EVAL / "questions.jsonl")


@pytest.fixture(scope="module")
def quotes() -> list[dict]:
    return _load_jsonl(EVAL / "quotes.jsonl")


# ---------------------------------------------------------------- questions


def test_seed_files_exist():
    for name in SEED_FILES:
        assert (SEEDS / name).is_file(), name


def test_question_ids_unique(questions):
    ids = [q["id"] for q in questions]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_question_fields(questions):
    for q in questions:
        assert isinstance(q.get("question"), str) and q["question"].strip(), q
        assert isinstance(q.get("answerable"), bool), q
        if q["answerable"]:
            assert q["id"].startswith("a"), q["id"]
            assert q["kind"] in ANSWERABLE_KINDS, q
            assert isinstance(q.get("evidence"), str) and q["evidence"].strip(), q
        else:
            assert q["id"].startswith("u"), q["id"]
            assert q["kind"] in UNANSWERABLE_KINDS, q
            assert q.get("file") is None, f"{q['id']}: unanswerable item has a file"
            assert q.get("evidence") is None, f"{q['id']}: unanswerable item has evidence"


def test_questions_unique(questions):
    texts = [normalize(q["question"]) for q in questions]
    dupes = [t for t, n in Counter(texts).items() if n > 1]
    assert not dupes, f"duplicate questions: {dupes}"


def test_evidence_is_in_file(questions, norm_seeds):
    missing = []
    for q in questions:
        if not q["answerable"]:
            continue
        assert q["file"] in norm_seeds, f"{q['id']}: unknown file {q['file']}"
        if normalize(q["evidence"]) not in norm_seeds[q["file"]]:
            missing.append(q["id"])
    assert not missing, f"evidence not found in its file: {missing}"


def test_evidence_is_exact_copy(questions, seeds):
    """Evidence is copied verbatim (curly quotes, NBSP and all), not retyped."""
    not_exact = [q["id"] for q in questions
                 if q["answerable"] and q["evidence"] not in seeds[q["file"]]]
    assert not not_exact, f"evidence is not an exact substring: {not_exact}"


def test_evidence_not_from_debris_or_headings(questions, body_seeds):
    bad = []
    for q in questions:
        if not q["answerable"]:
            continue
        ev = normalize(q["evidence"])
        if any(m in ev for m in DEBRIS_MARKERS) or ev not in body_seeds[q["file"]]:
            bad.append(q["id"])
    assert not bad, f"evidence taken from a heading or page debris: {bad}"


def test_evidence_length(questions):
    for q in questions:
        if q["answerable"]:
            n = len(q["evidence"].split())
            assert 3 <= n <= 50, f"{q['id']}: evidence has {n} words"


def test_answerable_counts(questions):
    answerable = [q for q in questions if q["answerable"]]
    assert len(answerable) >= 85
    kinds = Counter(q["kind"] for q in answerable)
    for kind, minimum in ANSWERABLE_MINIMUMS.items():
        assert kinds[kind] >= minimum, f"only {kinds[kind]} {kind!r} questions"
    unused = ANSWERABLE_KINDS - set(kinds)
    assert not unused, f"kinds never used: {unused}"


def test_all_files_covered(questions):
    per_file = Counter(q["file"] for q in questions if q["answerable"])
    for name in SEED_FILES:
        assert per_file[name] >= 12, f"only {per_file[name]} questions on {name}"


def test_unanswerable_counts(questions):
    unanswerable = [q for q in questions if not q["answerable"]]
    assert len(unanswerable) >= 32
    kinds = Counter(q["kind"] for q in unanswerable)
    assert kinds["on_topic"] >= 20
    assert kinds["off_topic"] >= 10


def test_required_questions_present(questions, norm_seeds):
    by_text = {q["question"]: q for q in questions}
    for text, fname in REQUIRED_QUESTIONS.items():
        assert text in by_text, f"missing required question: {text}"
        q = by_text[text]
        assert q["answerable"] and q["file"] == fname
    ambassador = by_text["What did the U.S. ambassador say about Japan's manufacturing capacity?"]
    ev = normalize(ambassador["evidence"])
    assert "rahm emanuel" in ev and "manufacturing capacity" in ev
    komatsu = by_text["Why did Komatsu stop making armored vehicles?"]
    ev = normalize(komatsu["evidence"])
    assert "komatsu" in ev and "failed to meet defense ministry requirements" in ev


# ---------------------------------------------------------------- quotes


def _elision_pieces(quote: str) -> list[str]:
    pieces = [p.strip() for p in ELISION_RE.split(normalize(quote))]
    return [p for p in pieces if p]


def _occurs_in_order(pieces: list[str], hay: str) -> bool:
    pos = 0
    prev_end = None
    for piece in pieces:
        idx = hay.find(piece, pos)
        if idx < 0:
            return False
        if prev_end is not None and idx - prev_end > MAX_ELISION_GAP:
            return False
        pos = prev_end = idx + len(piece)
    return True


def _close_match_ratio(quote: str, hay: str) -> float:
    """Best word-level similarity between the quote and any window of ``hay``."""
    qw = normalize(quote).split()
    hw = hay.split()
    best = 0.0
    for size in {len(qw) - 1, len(qw), len(qw) + 1}:
        if size <= 0:
            continue
        for start in range(0, max(1, len(hw) - size + 1)):
            ratio = difflib.SequenceMatcher(None, qw, hw[start:start + size]).ratio()
            best = max(best, ratio)
    return best


def test_quote_ids_unique(quotes):
    ids = [q["id"] for q in quotes]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_quote_fields(quotes):
    for q in quotes:
        assert q["id"].startswith("v"), q
        assert q["expected_verdict"] in VERDICTS, q
        assert q["expected_speaker_check"] in SPEAKER_CHECKS, q
        assert q["kind"] in QUOTE_KIND_MINIMUMS, q
        assert len(q["quote"].split()) >= 6, f"{q['id']}: quote too short"
        if q["speaker"] is None:
            assert q["expected_speaker_check"] is None, q
        else:
            assert q["expected_speaker_check"] is not None, q
        if q["file"] is not None:
            assert q["file"] in SEED_FILES, q


def test_quote_counts(quotes):
    assert len(quotes) >= 34
    kinds = Counter(q["kind"] for q in quotes)
    for kind, minimum in QUOTE_KIND_MINIMUMS.items():
        assert kinds[kind] >= minimum, f"only {kinds[kind]} {kind!r} quote cases"
    with_speaker = [q for q in quotes if q["expected_speaker_check"] == "confirmed"]
    assert len(with_speaker) >= 5


def test_quote_kind_matches_verdict(quotes):
    expected = {
        "verbatim": "verbatim", "misattributed": "verbatim",
        "elision": "verbatim_with_elision", "fabricated": "not_found",
    }
    for q in quotes:
        want = "altered" if q["kind"] in ALTERED_KINDS else expected[q["kind"]]
        assert q["expected_verdict"] == want, q
        if q["kind"] == "misattributed":
            assert q["speaker"] and q["expected_speaker_check"] == "contradicted", q


def test_verbatim_quotes_occur(quotes, norm_seeds):
    bad = []
    for q in quotes:
        if q["expected_verdict"] != "verbatim":
            continue
        nq = normalize(q["quote"])
        hits = [name for name, text in norm_seeds.items() if nq in text]
        if not hits or (q["file"] is not None and q["file"] not in hits):
            bad.append(q["id"])
    assert not bad, f"verbatim quotes not found in their source: {bad}"


def test_verbatim_variants(quotes, seeds):
    """Some verbatim cases are retyped (straight quotes / other case) and one
    runs across a paragraph break."""
    verbatim = [q for q in quotes if q["kind"] == "verbatim"]
    retyped = [q for q in verbatim
               if not any(q["quote"] in text for text in seeds.values())]
    assert len(retyped) >= 3, "need >= 3 verbatim cases that only match after normalisation"
    crossing = []
    for q in verbatim:
        text = seeds[q["file"]]
        paragraphs = [normalize(p) for p in re.split(r"\n\s*\n", text)]
        nq = normalize(q["quote"])
        if not any(nq in p for p in paragraphs):
            crossing.append(q["id"])
    assert crossing, "need a verbatim case that runs across a paragraph break"


def test_elision_pieces_occur_in_order(quotes, norm_seeds):
    for q in quotes:
        if q["expected_verdict"] != "verbatim_with_elision":
            continue
        assert any(m in q["quote"] for m in ("...", "…", "[...]")), q["id"]
        pieces = _elision_pieces(q["quote"])
        assert len(pieces) >= 2, q["id"]
        assert q["file"] is not None, q["id"]
        assert _occurs_in_order(pieces, norm_seeds[q["file"]]), q["id"]
        # ...and the whole thing is not simply verbatim.
        assert not any(normalize(q["quote"]) in t for t in norm_seeds.values()), q["id"]


def test_altered_quotes_do_not_occur(quotes, norm_seeds):
    for q in quotes:
        if q["expected_verdict"] != "altered":
            continue
        nq = normalize(q["quote"])
        assert not any(nq in text for text in norm_seeds.values()), q["id"]
        # but a close match exists in the gold file
        assert q["file"] is not None, q["id"]
        ratio = _close_match_ratio(q["quote"], norm_seeds[q["file"]])
        assert ratio >= 0.8, f"{q['id']}: no close match (best ratio {ratio:.2f})"


def test_fabricated_quotes_occur_nowhere(quotes, norm_seeds):
    for q in quotes:
        if q["kind"] != "fabricated":
            continue
        nq = normalize(q["quote"])
        n_words = len(nq.split())
        assert 8 <= n_words <= 20, f"{q['id']}: {n_words} words"
        assert q["file"] is None, q["id"]
        assert not any(nq in text for text in norm_seeds.values()), q["id"]
        for name, text in norm_seeds.items():
            ratio = _close_match_ratio(q["quote"], text)
            assert ratio < 0.5, f"{q['id']}: too close to {name} ({ratio:.2f})"
