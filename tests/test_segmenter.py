"""The quick segmenter gives exactly stock pysbd's sentences, faster."""

import json
from pathlib import Path

import pysbd
import pytest

from qa.ingest.segmenter import sentence_spans, sentences

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "benchmarks" / "squad2-dev-part-a.json"

TRICKY = [
    "Mitsubishi, IHI Corp. and Kawasaki bid. It failed.",
    "The U.S. is big. Japan is small.",
    "Mr. Smith met Dr. Jones at 3 p.m. on Jan. 5. They talked.",
    "According to Emanuel, the meeting of the Japan-U.S. forum was a “milestone.” He left.",
    "Prices rose to approx. 5 percent, i.e. more than forecast. No. 1 was Sony Corp. Inc. Ltd. Co.",
    "Fig. 3 shows it (see p. 12). Gen. Nakatani, Lt. Col. Sato and Sen. Ito agreed. St. Louis, Mo. is far.",
    "“Supply chains cannot be rebuilt,” Yamada said. “It takes years.” The end.",
    "He said no. Also, al. is not an abbreviation here. Vol. 2 of the e.g. list follows.",
    "1. First item. 2. Second item. a) one b) two",
]


def _stock(text: str) -> list[str]:
    return [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text) if s.strip()]


def _paragraphs() -> list[str]:
    paragraphs = TRICKY[:]
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if SQUAD.exists():  # beside the repository on the team's machines; not in every clone
        data = json.loads(SQUAD.read_text(encoding="utf-8"))
        paragraphs += [p["context"] for article in data["data"][:3] for p in article["paragraphs"]]
    return paragraphs


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_splits_as_stock_pysbd(text):
    assert [s.strip() for s in sentences(text) if s.strip()] == _stock(text)


def test_every_seed_and_benchmark_paragraph_splits_as_stock_pysbd():
    paragraphs = _paragraphs()
    assert len(paragraphs) > 100
    different = [p for p in paragraphs if [text[s:e] for text in [p] for s, e in sentence_spans(p)] != _stock(p)]
    assert different == []


def test_spans_are_exact_slices_in_order():
    text = TRICKY[5] + "  " + TRICKY[6]
    spans = sentence_spans(text)
    assert len(spans) >= 6
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in spans)


def test_abbreviations_still_hold_a_sentence_together():
    text = "U.S. Ambassador to Japan Rahm Emanuel met IHI Corp. officials on Jan. 5. They agreed."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "U.S. Ambassador to Japan Rahm Emanuel met IHI Corp. officials on Jan. 5.", "They agreed."]
