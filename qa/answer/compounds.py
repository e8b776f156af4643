"""Hyphenated and plural-after-a-number forms: a question's "F-2" also finds a source's "F-2s".

What it does: the index keeps a hyphenated word as one token ("two-plus-two",
"f-2s", "dual-use"), and the stemmer leaves an "s" after a digit alone, so
a question that writes "two plus two" or "the F-2" never meets the
source's words. ``compounds`` gives, for a question word the sources never
use as written, the source tokens it is a hyphenated part of ("plus" ->
"two-plus-two") and its plural after a number ("f-2" -> "f-2s").
``qa.answer.query`` adds them as the word's stand-ins, as it does irregular
forms (``qa.answer.morphology``): only for a word the sources don't use,
so a word they do use keeps to its own form.

What it does not do: join words the other way round (a question's
"two-plus-two" against a source's "two plus two") or anything at index
time: the index keeps its own tokens.

>>> vocab = {"two-plus-two": 0, "f-2s": 1, "f-15": 2, "plus": 3, "dual-use": 4}
>>> compounds("f-2", vocab), compounds("two", vocab), compounds("use", vocab), compounds("f-1", vocab)
(('f-2s',), ('two-plus-two',), ('dual-use',), ())
"""

from __future__ import annotations

from functools import lru_cache

MAX_COMPOUNDS = 3  # a common part ("two") of many compounds says little about any one of them


def compounds(stem: str, vocab: dict) -> tuple[str, ...]:
    """The tokens of ``vocab`` that hold ``stem`` as a hyphenated part, or are its plural after a digit."""
    plural = (stem + "s",) if stem[-1:].isdigit() and stem + "s" in vocab else ()
    found = _by_part(_Frozen(vocab)).get(stem, ())
    return plural + (found if len(found) <= MAX_COMPOUNDS else ())


class _Frozen:
    """A vocabulary keyed by identity, so ``lru_cache`` reads each index's vocabulary once."""

    def __init__(self, vocab: dict):
        self.vocab = vocab

    def __hash__(self):
        return id(self.vocab)

    def __eq__(self, other):
        return isinstance(other, _Frozen) and other.vocab is self.vocab


@lru_cache(maxsize=8)
def _by_part(frozen: _Frozen) -> dict[str, tuple[str, ...]]:
    """part -> the hyphenated tokens holding it ("plus" -> ("two-plus-two",))."""
    parts: dict[str, list[str]] = {}
    for token in frozen.vocab:
        if "-" in token:
            for part in dict.fromkeys(p for p in token.split("-") if p):
                parts.setdefault(part, []).append(token)
    return {p: tuple(sorted(t)) for p, t in parts.items()}
