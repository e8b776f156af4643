"""Hyphenated and plural-after-a-number forms: a question's "F-2" also finds a source's "F-2s".

What it does: the index keeps a hyphenated word as one token ("two-plus-two",
"f-2s", "dual-use"), and the stemmer leaves an "s" after a digit alone, so
a question that writes "two plus two" or "the F-2" never meets the
source's words. ``compounds`` gives, for a question word the sources never
use as written, the source tokens it is a hyphenated part of ("plus" ->
"two-plus-two") and its plural or singular after a number ("f-2" -> "f-2s",
"f-15s" -> "f-15").
``qa.answer.query`` adds them as the word's stand-ins, as it does irregular
forms (``qa.answer.morphology``): only for a word the sources don't use,
so a word they do use keeps to its own form.

What it does not do: join words the other way round (a question's
"two-plus-two" against a source's "two plus two") or anything at index
time: the index keeps its own tokens.

>>> vocab = {"two-plus-two": 0, "f-2s": 1, "f-15": 2, "plus": 3, "dual-use": 4}
>>> parts = by_part(vocab)
>>> compounds("f-2", vocab, parts), compounds("two", vocab, parts), compounds("use", vocab, parts), compounds("f-1", vocab, parts)
(('f-2s',), ('two-plus-two',), ('dual-use',), ())
>>> compounds("f-15s", vocab, parts), compounds("f-35s", vocab, parts)
(('f-15',), ())
>>> compounds("june", {"mid-jun": 0}, by_part({"mid-jun": 0}))  # "mid-June", stemmed whole
('mid-jun',)
"""

from __future__ import annotations

from qa.index.lexical import tokenize

MAX_COMPOUNDS = 3  # a common part ("two") of many compounds says little about any one of them


def compounds(stem: str, vocab: dict, parts: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The tokens of ``vocab`` that hold ``stem`` as a hyphenated part (``parts``: ``by_part(vocab)``,
    read once per index by the caller), or are its plural after a digit."""
    plural = (stem + "s",) if stem[-1:].isdigit() and stem + "s" in vocab else ()
    # and the other way: "how many f-15s" of "dozens of F-15 fighter jets"
    singular = (stem[:-1],) if stem[-1:] == "s" and stem[-2:-1].isdigit() and stem[:-1] in vocab else ()
    # the index stems a compound whole, so its last part may be cut further than the word alone:
    # "mid-June" is "mid-jun", "june" alone stays "june"
    found = tuple(dict.fromkeys(parts.get(stem, ()) + parts.get(_as_last_part(stem), ())))
    return plural + singular + (found if len(found) <= MAX_COMPOUNDS else ())


def _as_last_part(stem: str) -> str:
    """``stem`` as the stemmer leaves it at the end of a hyphenated word ("june" -> "jun")."""
    whole = tokenize(f"mid-{stem}")
    return whole[0].split("-", 1)[1] if len(whole) == 1 and "-" in whole[0] else stem


def by_part(vocab) -> dict[str, tuple[str, ...]]:
    """part -> the hyphenated tokens of ``vocab`` holding it ("plus" -> ("two-plus-two",))."""
    parts: dict[str, list[str]] = {}
    for token in vocab:
        if "-" in token:
            for part in dict.fromkeys(p for p in token.split("-") if p):
                parts.setdefault(part, []).append(token)
    return {p: tuple(sorted(t)) for p, t in parts.items()}
