"""Words that are each other's opposite by their first letters: "exporter" and "importer".

What it does: the embedding model places a word beside its opposite ("the world's 12th
largest arms importer" is its nearest sentence to "where does japan rank as an arms
exporter"), and so does a reader skimming. ``opposite_only`` tells whether a passage
holds, for some word of the question, only the word with the opposite start
(``PAIRS``: "import"/"export", "increase"/"decrease", "upgrade"/"downgrade", "inbound"/
"outbound", ...) -- the passage speaks of the other thing. ``opposites_last`` moves such
candidates after the others, and ``qa.answer.compose`` counts a passage still shown first
as lacking what is asked, like a typed question's missing value.

What it does not do: know antonyms that share no root ("buy" and "sell" may well answer
each other: "Japan sold a radar to the Philippines" answers "what did the Philippines buy").

>>> opposite_only(("japan", "export"), {"japan", "import", "arm"})
True
>>> opposite_only(("japan", "export"), {"japan", "import", "export"}), opposite_only(("tank",), {"import"})
(False, False)
"""

from __future__ import annotations

import numpy as np

from qa.answer.retrieval import Scored
from qa.index.lexical import tokenize

# the opposite starts of one root, as stems (Snowball: "increas", "upgrad"); both ways
PAIRS = (("import", "export"), ("increas", "decreas"), ("upgrad", "downgrad"), ("inbound", "outbound"),
         ("inflow", "outflow"), ("includ", "exclud"), ("maxim", "minim"), ("prewar", "postwar"),
         ("overestim", "underestim"), ("overse", "undersea"))
_BOTH_WAYS = PAIRS + tuple((b, a) for a, b in PAIRS)


def opposite(stem: str) -> str | None:
    """``stem`` with its start swapped for the opposite one ("exporter" -> "importer"), or None."""
    return next((b + stem[len(a):] for a, b in _BOTH_WAYS if stem.startswith(a)), None)


def opposite_only(terms: tuple[str, ...], stems: set[str]) -> bool:
    """Whether the passage whose stems are ``stems`` holds, for one of the question's ``terms``, its
    opposite and not the term itself."""
    return any(t not in stems and opposite(t) in stems for t in terms)


def speaks_of_opposite(terms: tuple[str, ...], text: str) -> bool:
    """``opposite_only`` for a passage's text."""
    return opposite_only(terms, set(tokenize(text)))


def opposites_last(index, terms: tuple[str, ...], scored: Scored) -> Scored:
    """``scored`` with the candidates holding only the opposite of a question word moved after the rest (in
    order); unchanged, and no sentence read, when no word of the question has an opposite the sources use."""
    vocab = index.bm25_sentences.vocab_dict
    if not any(opposite(t) in vocab for t in terms):
        return scored
    flipped = np.array([speaks_of_opposite(terms, index.sentences[int(r)].text) for r in scored.ids], dtype=bool)
    order = np.concatenate([np.flatnonzero(~flipped), np.flatnonzero(flipped)])
    return Scored(scored.ids[order], scored.fused[order], scored.features[order])
