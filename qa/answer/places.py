"""Where a passage names a place -- the value a "where" question asks for -- read by rule.

What it does: marks the words of a capitalised phrase that the sentence
uses as a place: after a preposition of place ("in Ankara", "to the
Philippines", "on Japan's northern island of Hokkaido"), ending in a word
that names a kind of place ("Soho Square", "the Charles River"), a
possessive before a word of geography ("Japan's northern island"), and the
rest of a list that starts with one ("in Tokyo, Osaka and Nagoya"). On the
development sets these rules find the places spaCy's entity recogniser
(GPE, LOC, FAC) found, at no cost when a question is asked
(docs/evaluation.md, "Typed values without spaCy").

What it does not do: know which names are places (no gazetteer): a person
after "from" ("a letter from Smith") passes for one, and a place named
as a sentence's first word is not found.

>>> text = "The drills took place on Hokkaido, in northern Japan, and in Tokyo and Osaka."
>>> [text.split()[k] for k in place_positions(text.split())]
['Hokkaido,', 'Japan,', 'Tokyo', 'Osaka.']
>>> place_positions("Defense Minister Gen Nakatani met Yasar Guler.".split())
[]
>>> place_positions("According to Emanuel, it is based on the US institute.".split())
[]
"""

from __future__ import annotations

import re

from qa.ingest.dates import MONTHS, WEEKDAYS
from qa.ingest.textnorm import bare

_MONTH_OR_DAY = re.compile(rf"(?i)^(?:{'|'.join(MONTHS + WEEKDAYS)})\b")
PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "into", "across", "off", "around", "outside", "inside",
                          "throughout", "toward", "towards", "via", "within", "on", "between", "through", "visited",
                          "visit", "visiting"})
# words that may stand between the preposition and the name ("in the southern city of Izmir")
GEOGRAPHY = frozenset({"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                       "nearby", "neighbouring", "neighboring", "northeastern", "northwestern", "southeastern",
                       "southwestern", "downtown", "coastal", "rural", "remote", "island", "city", "town", "capital",
                       "province", "prefecture", "region", "state"})
_BETWEEN = GEOGRAPHY | {"the", "of"}
# a preposition of place that a word before it makes a preposition of something else: "according to Emanuel"
# gives a source, "based on the US institute" a model, "due to China" a cause
_NOT_PLACE = frozenset({("according", "to"), ("due", "to"), ("owing", "to"), ("thanks", "to"), ("compared", "to"),
                        ("based", "on"), ("modeled", "on"), ("modelled", "on")})
_PLACE_WORD = re.compile(r"^(?:City|Island|Islands|River|Street|Square|Province|Prefecture|County|Sea|Ocean|Mountains?|"
                         r"Lake|Bay|Coast|Peninsula|Valley|Strait|Gulf|Airport|Base|Park|Bridge|Avenue|Road|Harbou?r|"
                         r"District|Region|Republic|Kingdom|States|Cape)$")
_ENDS_PHRASE = re.compile(r"[,.;:!?)”\"]$")


def _capitalised(word: str) -> bool:
    word = bare(word)
    return bool(word) and word[0].isupper() and not _MONTH_OR_DAY.match(word)


def _run_end(words: list[str], k: int) -> int:
    """The last word of the capitalised phrase starting at ``k`` ("Cape of Good Hope", "Saint-Evroul")."""
    j = k
    while j + 1 < len(words) and not _ENDS_PHRASE.search(words[j]):
        if _capitalised(words[j + 1]):
            j += 1
        elif bare(words[j + 1]) in ("of", "de") and j + 2 < len(words) and _capitalised(words[j + 2]):
            j += 2
        else:
            break
    return j


def _is_place(words: list[str], k: int, j: int) -> bool:
    """Whether the capitalised phrase ``words[k:j + 1]`` stands where a place does."""
    b = k - 1
    while b >= 0 and bare(words[b]).lower() in _BETWEEN and not re.search(r"[,;:]$", words[b]):
        b -= 1
    before = bare(words[b]).lower() if b >= 0 else ""
    if b >= 1 and (bare(words[b - 1]).lower(), before) in _NOT_PLACE:
        return False
    last = re.sub(r"[’']s$", "", bare(words[j]))
    after = bare(words[j + 1]).lower() if j + 1 < len(words) else ""
    return (before in PREPOSITIONS or bool(_PLACE_WORD.match(last))
            or any(bare(w).lower() in GEOGRAPHY for w in words[b + 1:k])       # "northern Japan"
            or (last != bare(words[j]) and after in GEOGRAPHY))                 # "Japan's northern island"


def place_positions(words: list[str]) -> list[int]:
    """Positions in ``words`` (a ``text.split()``) of the words of the places named (see the module docstring)."""
    found: set[int] = set()
    k = 1  # a sentence's first word is capitalised whatever it is
    while k < len(words):
        if not _capitalised(words[k]):
            k += 1
            continue
        j = _run_end(words, k)
        if _is_place(words, k, j):
            found.update(range(k, j + 1))
        k = j + 1
    for k in range(1, len(words)):  # a list goes on from a place: "in Tokyo, Osaka and Nagoya"
        prev = k - 2 if bare(words[k - 1]).lower() in ("and", "or") else k - 1
        if k not in found and _capitalised(words[k]) and prev in found and (prev == k - 2 or words[prev].endswith(",")):
            found.update(range(k, _run_end(words, k) + 1))
    return sorted(found)
