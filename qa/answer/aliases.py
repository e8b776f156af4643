"""A name's other name, as the sources introduce it: "the Type 90, or “Kyumaru,” tanks".

What it does: articles give a thing a second name once ("Type 90, or
“Kyumaru,”", "Bushwick, also known as Boschwick") and then use either. Once
per index (cached on it), every such pair is read from the sentences -- the
capitalised or numbered name just before ", or “ALIAS”", "(“ALIAS”)",
"(also) known as", "also called" or "dubbed", and the quoted or capitalised
alias after it -- both ways round. ``alias_forms`` gives, for a question that
holds all the words of one name, each of those words' stand-in: the other
name's stems, which ``qa.answer.query`` counts as holding the word ("the Type 90
tanks debuted 30 years ago" is found in "The hefty Kyumaru tanks ... debuted
30 years ago").

What it does not do: guess aliases the sources never introduce, or read an
alias given far from its name.

>>> pairs_in("The dozens of Type 90, or “Kyumaru,” tanks rumbled.")
[('Type 90', 'Kyumaru')]
>>> pairs_in("The district, also known as Boschwick, grew."), pairs_in("Paris, or Rome, or Oslo.")
([], [])
>>> pairs_in("Bushwick, also known as Boschwick, grew."), pairs_in("its reading of Islam, known as Wahhabism")
([('Bushwick', 'Boschwick')], [])
"""

from __future__ import annotations

import re

from qa.answer.sentinfo import cached_on
from qa.index.lexical import tokenize

_PART = r"(?:[A-Z][\w\-’']*|\d[\w\-]*)"  # "Type", "90", "F-2"
_QUOTED = r"[\"“]([^\"“”]{2,40}?),?[\"”]"  # a quoted alias: “Kyumaru,” (four words at most, checked below)
_CAPITALISED = rf"({_PART}(?:\s+{_PART}){{0,3}})"  # up to four capitalised or numbered words
_NAME = rf"(?<![\w\-]){_CAPITALISED}"  # ... starting a word
_ALIAS = re.compile(
    rf"{_NAME},?\s+(?:or\s+{_QUOTED}"                                   # Type 90, or “Kyumaru,”
    rf"|\(\s*{_QUOTED}\s*\)"                                            # Type 90 (“Kyumaru”)
    rf"|(?P<told>also\s+known\s+as|also\s+called|known\s+as|dubbed)\s+(?:{_QUOTED}|{_CAPITALISED}))")
# "its interpretation of Islam, known as Wahhabism": a name after "of" ends a longer phrase, which the alias names
_ENDS_PHRASE = re.compile(r"(?i)\bof\s*$")
_HINT = re.compile(r"or\s+[\"“]|\(\s*[\"“]|known\s+as|also\s+called|dubbed")  # a cheap look first: most sentences have none
_ALIAS_WORDS = 4
_FIRST_WORDS = {"The", "A", "An", "In", "On", "At", "It", "This", "That", "These", "Those"}


def pairs_in(sentence: str) -> list[tuple[str, str]]:
    """The (name, alias) pairs ``sentence`` introduces, as written."""
    out = []
    for m in _ALIAS.finditer(sentence) if _HINT.search(sentence) else ():
        if m.group("told") and _ENDS_PHRASE.search(sentence[:m.start(1)]):
            continue
        name = " ".join(w for w in m.group(1).split() if w not in _FIRST_WORDS)
        alias = m.group(m.lastindex).strip(" ,")  # each form's alias is the last group it matched
        if name and alias and len(alias.split()) <= _ALIAS_WORDS and tokenize(name) != tokenize(alias):
            out.append((name, alias))
    return out


def _stem_pairs(index) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every name's stems with its alias's, both ways round, once per index."""
    found = {}
    for sentence in index.sentences:
        for name, alias in pairs_in(sentence.text):
            a, b = tuple(tokenize(name)), tuple(tokenize(alias))
            if a and b:
                found[a, b] = found[b, a] = None
    return list(found)


def alias_forms(index, terms: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Question term -> the other names (stem tuples) of a name all of whose words the question holds."""
    held, out = set(terms), {}
    for name, other in cached_on(index, "_alias_pairs", _stem_pairs):
        if held.issuperset(name):
            for term in name:
                out[term] = (*out.get(term, ()), other)
    return out
