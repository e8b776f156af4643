"""Text normalisation shared by matching, verification and evaluation.

What it does: folds the typographic differences that do not change what a
text says -- non-breaking and other unicode spaces, curly quote marks and
apostrophes, the dash family, letter case, runs of whitespace -- so that a
quote pasted from a web page matches the source file it came from.

Also makes text safe to show: ``utf8_safe`` (writable as UTF-8) and
``terminal_safe`` (no control character reaches a terminal), which the CLI
applies to every line it prints for a person.

What it does not do: remove punctuation (``bare`` only trims it from a
word's edges, for the rules that read words), stem words or change any
letter other than its case. ``normalize_with_map`` also returns, for every
character of the normalised text, the offset of the source character it
came from, so a match found in normalised text maps back to an exact span of
the original (``text[start:end]``).

>>> normalize("\u201cIt\u2019s  here\u00a0\u2014 now\u201d")
'"it\\'s here - now"'
"""

from __future__ import annotations

import re
import unicodedata

_CHAR_FOLDS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u2026": "...",
}
# Characters that carry no visible text; dropped so a pasted quote with a
# zero-width space or a byte-order mark still matches.
_INVISIBLE = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"}


def _fold_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch in _CHAR_FOLDS:
        return _CHAR_FOLDS[ch]
    if ch.isspace() or unicodedata.category(ch) == "Zs":
        return " "
    return ch.lower()


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and map each output character to its source offset.

    Whitespace runs collapse to one space; leading/trailing space is dropped.

    >>> normalize_with_map("A\u00a0 B")
    ('a b', [0, 1, 3])
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for piece in folded:
            if piece == " " and (not out or out[-1] == " "):
                continue
            out.append(piece)
            offsets.append(i)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


_TRANSLATE = str.maketrans({**_CHAR_FOLDS, **dict.fromkeys(_INVISIBLE, "")})


def normalize(text: str) -> str:
    """Normalised form of ``text`` (see module docstring).

    The same as ``normalize_with_map(text)[0]``, at C speed: tokenising a
    collection for BM25 normalises every sentence. ``str.split()`` splits
    on exactly the characters ``_fold_char`` turns into spaces; ``lower()``
    of a whole string differs from letter-by-letter only for a capital
    sigma (final form), so such text takes the letter-by-letter path.
    """
    if "\u03a3" in text:
        return normalize_with_map(text)[0]
    return " ".join(text.translate(_TRANSLATE).split()).lower()


def source_span(offsets: list[int], text: str, norm_start: int, norm_end: int) -> tuple[int, int]:
    """Map a ``[norm_start, norm_end)`` span of normalised text back to ``text``.

    The end is extended over a character that was expanded (an ellipsis
    becomes three dots) so the source span covers it whole.
    """
    start = offsets[norm_start]
    end = offsets[norm_end - 1] + 1
    return start, min(end, len(text))



_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 and C1 controls, DEL and the Unicode line/paragraph separators: on a terminal they move the
# cursor, clear the screen, retitle the window or break a line. (Tab is shown as a space.)
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def utf8_safe(text: str) -> str:
    """``text`` writable as UTF-8: a lone surrogate (an undecodable byte of argv, say) becomes U+FFFD.

    >>> utf8_safe("a\\ud800b")
    'a\ufffdb'
    """
    return _SURROGATES.sub("\ufffd", text)


_NAMED = {"\n": "\\n", "\r": "\\r"}  # as Python writes them, the two a reader knows by sight


def _shown(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal_safe(text: str) -> str:
    """``text`` as a terminal should show it: every control character as a visible escape.

    A document (or a file name, or a question) holding ESC, BEL, backspace or a
    carriage return would otherwise drive the terminal it is printed on, and a
    newline would split a citation line. Letters, punctuation, curly quotes and
    non-ASCII text are left alone; a tab becomes a space; escaping twice changes nothing.

    >>> terminal_safe("\\x1b[2J\u201cna\u00efve\u201d\\tname\\n.txt")
    '\\\\x1b[2J\u201cna\u00efve\u201d name\\\\n.txt'
    """
    return _TERMINAL_CONTROLS.sub(_shown, utf8_safe(text).replace("\t", " "))


EDGE_PUNCTUATION = "\"“”‘’'()[],.;:!?…"  # what quotes, brackets or ends a sentence around a word


def bare(word: str) -> str:
    """``word`` without the quote marks, brackets and punctuation around it; inside it they stay.

    >>> bare("“Tokyo’s,"), bare("(F-35s)."), bare("U.S.")
    ('Tokyo’s', 'F-35s', 'U.S')
    """
    return word.strip(EDGE_PUNCTUATION)
