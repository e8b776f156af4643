"""English sentence boundaries with pysbd, made about 3.5 times faster.

What it does: gives ``pysbd``'s English sentences of a paragraph, with
offsets. pysbd is the segmenter because it knows that "U.S.", "Corp." and
"Jan. 5" do not end a sentence; it is also slow (about 6 ms a paragraph),
which made sentence splitting a seventh of an index build. Two costs go:

- pysbd's abbreviation pass loops over some 200 abbreviations and, for
  each that appears anywhere in the text -- "al" is in "also", "no" in
  "know" -- runs a regex substitution per occurrence. Every substitution it
  makes needs the abbreviation *followed by a period*, so skipping an
  abbreviation whose "abbr." is not in the text cannot change the result.
  The skip goes through pysbd's own hook: a language brings its own
  ``AbbreviationReplacer`` (English, Spanish and Marathi do; ours is
  English's with that one loop changed).
- ``Segmenter.segment`` finds each sentence again by compiling a regex of
  it; we locate sentences with ``str.find`` instead (we need offsets anyway).

What it does not do: change any boundary. ``tests/test_segmenter.py``
compares it with stock pysbd on the seeds, SQuAD text and tricky cases.

>>> sentence_spans("U.S. Ambassador Rahm Emanuel told reporters. He left.")
[(0, 44), (45, 53)]
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _processor():
    # Imported lazily: only building an index needs pysbd.
    from pysbd.lang.english import English
    from pysbd.processor import Processor

    class QuickAbbreviationReplacer(English.AbbreviationReplacer):
        def search_for_abbreviations_in_string(self, text):
            # pysbd's loop, less the abbreviations it could not act on.
            lowered = text.lower()
            for abbr in self.lang.Abbreviation.ABBREVIATIONS:
                stripped = abbr.strip()
                if stripped + "." not in lowered:
                    continue
                matches = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE)
                next_chars = re.findall(r"(?<={" + str(re.escape(stripped)) + "} ).{1}", text)
                for position, match in enumerate(matches):
                    text = self.scan_for_replacements(text, match, position, next_chars)
            return text

    class QuickEnglish(English):
        AbbreviationReplacer = QuickAbbreviationReplacer

    return lambda text: Processor(text, QuickEnglish).process()


def sentences(text: str) -> list[str]:
    """pysbd's sentences of ``text`` (as pysbd gives them, outer space kept)."""
    return list(_processor()(text)) if text else []


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, trimmed of outer space."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in sentences(text):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # the segmenter altered the text; fall back to one span
            return [(len(text) - len(text.lstrip()), len(text.rstrip()))]
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return spans
