"""How long ``qa check`` takes on a 2,000-word draft with 20 quotations, warm (issue 18's target: <= 1 s).

Run from the repository root (after ``qa index``):

    .venv/bin/python scripts/bench_check.py [--index index] [--runs 5]

The draft is made of drafts of ``eval/drafts.jsonl``, last first, that hold
20 quotations between them, padded with the reporter's own (unquoted) sentences
of the seeds up to 2,000 words. It is checked once to warm the caches (each
source's canonical form, the index read from disk), then ``--runs`` times;
the median and the slowest run are printed. A benchmark, not a test: the
figure depends on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.quotes.check import check_draft  # noqa: E402
from qa.quotes.verify import open_index  # noqa: E402

WORDS, QUOTATIONS = 2000, 20


def build_draft(drafts: Path, seeds: Path) -> str:
    """Drafts until 20 quotations, then unquoted seed paragraphs until 2,000 words."""
    parts, quoted = [], 0
    for line in reversed(drafts.read_text(encoding="utf-8").splitlines()):
        draft = json.loads(line)
        if quoted + len(draft["quotations"]) > QUOTATIONS:
            continue
        parts.append(draft["text"])
        quoted += len(draft["quotations"])
    assert quoted == QUOTATIONS, quoted
    filler = [p.strip() for f in sorted(seeds.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")
              if len(p.split()) > 25 and not any(m in p for m in "“”\"")]
    while sum(len(p.split()) for p in parts) < WORDS and filler:
        parts.insert(len(parts) // 2 + 1, filler.pop(0))
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="index")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    draft = build_draft(Path("eval/drafts.jsonl"), Path("seeds"))
    clock = time.perf_counter()
    index = open_index(args.index)
    result = check_draft(index, draft)  # warm-up
    cold = time.perf_counter() - clock
    times = []
    for _ in range(args.runs):
        clock = time.perf_counter()
        check_draft(index, draft)
        times.append(time.perf_counter() - clock)
    print(f"draft: {len(draft.split()):,} words, {len(draft):,} characters, {len(result.checks)} quotations "
          f"({result.summary()})")
    print(f"first check (index opened, caches cold): {cold:.2f} s")
    print(f"warm: median {statistics.median(times):.3f} s, slowest {max(times):.3f} s over {args.runs} runs "
          f"(target <= 1 s: {'met' if max(times) <= 1 else 'NOT met'})")


if __name__ == "__main__":
    main()
