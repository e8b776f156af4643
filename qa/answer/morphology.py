"""Irregular word forms: a question's "give" also finds a source's "gave".

What it does: the index stems words (Snowball), which joins "exports" and
"exported" but not "give" and "gave", "sell" and "sold", "run" and "ran",
"man" and "men". Plain questions ask in the base form ("did Japan give ...",
"has Japan sold ...") while news text tells in the past ("gave away", "sold
... a radar"), so exactly these words go unmatched. ``forms`` gives the other
stems of a stem's word, read from ``irregular.json`` -- spaCy's lemmatiser
exceptions for verbs and nouns, as stems (``scripts/irregular_forms.py``
writes it), so no question ever imports spaCy for it.

``qa.answer.query`` uses them for a question word the sources never use as
written: it then looks for the word's other forms (a word the sources do use
keeps to its own form: "take" -> "took" matched more noise than answers on
SQuAD).

What it does not do: synonyms ("export" and "sell" stay apart) or anything
at index time: the index keeps its own tokens.

>>> forms("give"), forms("gave"), forms("tank")
(('gave', 'given'), ('give', 'given'), ())
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("irregular.json")


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    """stem -> every stem of the same word (itself included), for the words the table lists."""
    groups: dict[str, frozenset[str]] = {}
    for lemma, others in json.loads(TABLE.read_text(encoding="utf-8")).items():
        group = frozenset([lemma, *others])
        for stem in group:  # a stem of two words ("found": find, found) takes both groups
            groups[stem] = groups.get(stem, frozenset()) | group
    return groups


def forms(stem: str) -> tuple[str, ...]:
    """The other stems of ``stem``'s word ("sell" -> ("sold",)), sorted; () for a regular one."""
    return tuple(sorted(_groups().get(stem, frozenset()) - {stem}))
