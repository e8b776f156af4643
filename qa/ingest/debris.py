"""Tell article text from web-page debris, by general rules.

What it does: classifies each paragraph (block of lines) of a document as
``body`` (article prose, the only kind answers quote), ``title`` (the first
headline), ``heading`` (a short section heading) or ``debris`` (navigation
and share-button lines, view counters, advert markers, photo credits, a
repeated title, copyright notices). The rules look at the *shape* of a line
-- its length, case, punctuation and a few words that only page furniture
uses -- never at a list of particular strings from particular files.

What it does not do: delete anything. Debris keeps its paragraph number so
citations still count every block of the file.

>>> classify_blocks(["Big News Today", "Share on Facebook\\nTwitter icon",
...                  "The minister spoke on Monday.", "Big News Today",
...                  "ADVERTISING", "Copyright 2021 AP. All rights reserved."])
['title', 'debris', 'body', 'debris', 'debris', 'debris']
"""

from __future__ import annotations

import re

from qa.ingest.textnorm import normalize

# Words that in a short, unpunctuated line mark page furniture, not prose.
_FURNITURE = re.compile(
    r"(?i)\b(icon|share|tweet|facebook|twitter|linkedin|whatsapp|e-?mail|print|"
    r"comments?|menu|subscribe|newsletter|sign (in|up)|log ?in|skip to|"
    r"top of page|bottom of page|back to top|read more|related|advertis\w*|sponsored)\b"
)
_COPYRIGHT = re.compile(r"(?i)^\s*(copyright\b|©|\(c\)\s*\d{4})|all rights reserved")
_CREDIT = re.compile(
    r"(?i)^(photo|image|picture|credit|file photo)s?\b\s*(©|:|by\b|credit)"
    r"|^\S*(images|photos?)$|\b(getty ?images|shutterstock|afp photo)\b"
)
# "1,234 views", "4 visualizzazioni0 commenti": numbers glued to a few words.
_COUNTER = re.compile(r"^\s*\d[\d.,]*\s*\w+(\s*\d[\d.,]*\s*\w+)*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _words(line: str) -> list[str]:
    return line.split()


def is_furniture_line(line: str) -> bool:
    """True for a line that no article prose looks like (see module doc)."""
    line = line.strip()
    words = _words(line)
    if not words:
        return True
    if _COPYRIGHT.search(line) or _CREDIT.search(line):
        return True
    if len(words) > 8 or _SENTENCE_END.search(line):
        return False
    if _COUNTER.match(line) or _FURNITURE.search(line):
        return True
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return True  # ALL-CAPS banner such as an advert marker
    return words[0][0].islower()  # "top of page": a lower-case fragment


_BULLET_OR_CLAUSE = re.compile(r"^[•\-*–·]|[;,]$")


def _is_short_line(text: str, max_words: int) -> bool:
    """One unpunctuated line of few words: a title or heading, not prose."""
    text = text.strip()
    return (
        "\n" not in text
        and len(_words(text)) <= max_words
        and not _SENTENCE_END.search(text)
        and not _BULLET_OR_CLAUSE.search(text)
    )


def _block_kind(block: str, title_norm: str | None) -> str:
    lines = [ln for ln in block.splitlines() if ln.strip()]
    if all(is_furniture_line(ln) or normalize(ln) == title_norm for ln in lines):
        return "debris"
    if _is_short_line(block, 25 if title_norm is None else 12):
        return "heading"
    return "body"


def classify_blocks(blocks: list[str]) -> list[str]:
    """Kind of each block: ``body``, ``title``, ``heading`` or ``debris``."""
    kinds: list[str] = []
    title_norm: str | None = None
    for block in blocks:
        kind = _block_kind(block, title_norm)
        if kind == "heading" and title_norm is None and "body" not in kinds:
            kind, title_norm = "title", normalize(block)
        kinds.append(kind)
    # Short unpunctuated blocks after the last body paragraph are the page's
    # closing furniture ("Latest issues", a magazine name), not headings.
    last_body = max((i for i, k in enumerate(kinds) if k == "body"), default=-1)
    return [("debris" if k == "heading" and i > last_body else k) for i, k in enumerate(kinds)]
