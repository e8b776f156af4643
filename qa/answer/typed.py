"""Typed questions: whether a passage holds the value a question asks for, about what it asks.

What it does: for a question that wants a value (``qa.answer.values``: a
count, money, a date, a place ...), ``typed_support`` tells whether a
passage holds one within ``TIE_WINDOW`` words of the question's rarest words
(a count beside "F-2", not just any number); for "how many X" the number
must count X itself ("12 diesel submarines", not "all three firms
displaying drones"). ``value_marks`` marks the near-best candidates holding
such a value, so ``qa.answer.shaped`` can move them first, and
``qa.answer.compose`` abstains when the passage shown first holds none
(a date that opens a sentence dates the whole of it).

What it does not do: read the values (``qa.answer.values``) or decide
whether to answer.

>>> t = "all three firms displaying drones and 40,000 items of parts".split()
>>> counts(t, 1, 4), counts(t, 1, 2), counts(t, 6, 9)
(False, True, True)
"""

from __future__ import annotations

import re

import numpy as np

from qa.answer.makers import asks_past, names_maker
from qa.answer.names import ends_sentence, name_anchors, names_thing
from qa.answer.values import value_positions
from qa.index.lexical import tokenize

TIE_WINDOW = 16       # words between a typed value and a focus word for the value to be "about" it (fitted on
                      # the development sets: 12 missed "cost of upgrading dozens of F-15 ... 397 billion yen")
VALUE_RATIO = 0.9     # when the best sentence lacks a typed question's value, one holding it moves first from this
                      # share of the best (of 1.0, 0.9, 0.8, 0.6 on the development sets and SQuAD part A: 0.9 gained most)
FRONTED = 3           # a date within a sentence's first words ("In mid-June, ...", "On Monday, ...") dates it all
COUNTED_WINDOW = 5    # words from a count to what it counts ("about a dozen US-2 ShinMaywa Industries sea planes")
# a sum or count asked of a year is given with that year, or with one counted from another ("the previous year")
_OF_A_YEAR = ("money", "count", "amount")
_YEAR_ASKED = re.compile(r"\b(?:1[89]|20)\d\d\b")
_RELATIVE_YEAR = re.compile(r"(?i)\b(?:previous|last|this|next|that|same|prior|following|preceding)\s+(?:fiscal\s+)?year\b|"
                            r"\ba year (?:earlier|later|before)\b")
# a question about what is to come is answered by a date of what is to come, told as such
_FUTURE_ASKED = re.compile(r"(?i)^(?:so\s+)?when\s+(?:will|would|is\s+.+?\s+going\s+to|are\s+.+?\s+going\s+to|is\s+the\s+next|"
                           r"are\s+the\s+next)\b")
_FUTURE_TOLD = re.compile(r"(?i)\b(?:will|would|to be|scheduled|plans?|planned|planning|expected|expects|aims?|aiming|aimed|"
                          r"by the end|next|upcoming|coming|later|intends?|set to|due)\b")
_ASKING = re.compile(r"(?i)\bhow\s+(much|many|long|far|old|often|soon|big|large)\b")
# the words that ask for a length of time say nothing of what lasted: the unit ("how many days") and
# the verb ("... last?"); "the three-day conference" is tied to "conference", not to "days" or "last"
_ASKING_TIME = re.compile(r"(?i)\bhow\s+many\s+(years|months|weeks|days|hours|minutes|decades|centuries)\b|"
                          r"\b(last|lasted|take|took)\s*\?*\s*$")


def wanted_kind(query) -> str | None:
    """The kind of value the question asks for (``qa.answer.values``; "person" for a typed "who")."""
    return query.shape.wants or ("person" if query.wanted == "person" and query.shape.kind == "typed" else None)


def typed_support(query, texts: list[str]) -> list[bool]:
    """Per passage text: holds a value of the kind the question asks for (a place other than one the
    question names) within ``TIE_WINDOW`` words of a focus word (a count beside "submarines" for "how
    many submarines ..."); True when it asks for none.

    Meant for the few passages about to be shown: it tokenises their words.
    """
    kind = wanted_kind(query)
    if kind is None:
        return [True] * len(texts)
    counted = counted_words(query) if kind == "count" else None
    focus, asked = focus_words(query), set(query.terms)
    if kind == "name":
        anchors = name_anchors(query.shape.subject)
        return [names_thing(text.split(), anchors, asked) for text in texts]
    if kind == "maker":
        stand_ins = [{t} for t in focus]
        return [names_maker(text.split(), stand_ins, asks_past(query.shape.topic)) for text in texts]
    elsewhen = _of_another_time(query, kind)
    return [not elsewhen(text) and _holds(text, kind, focus, asked, counted) for text in texts]


def _of_another_time(query, kind: str):
    """A test of a passage's text: it gives a value of another time than the one asked for -- a sum or count
    without the year the question names ("how much did japan spend on drones in fiscal 2024") or a date
    told as past for "when will ..." ("when will japan get its f-35s": not "in 2019, when Japan placed orders")."""
    years = _YEAR_ASKED.findall(query.text) if kind in _OF_A_YEAR else []
    ahead = kind == "date" and bool(_FUTURE_ASKED.match(query.text))

    def elsewhen(text: str) -> bool:
        return bool(years and not (any(y in text for y in years) or _RELATIVE_YEAR.search(text))) \
            or (ahead and not _FUTURE_TOLD.search(text))
    return elsewhen


def _holds(text: str, kind: str, focus: set[str], asked: set[str], counted) -> bool:
    """Whether ``text`` holds a value of ``kind`` tied to a ``focus`` word (for a count: counting what is
    ``counted``)."""
    tokens = text.split()
    stems = [set(tokenize(w)) for w in tokens]  # each word's stems, read once
    values = [k for k, w in enumerate(tokens) if k and w[:1].isupper()] if kind == "person" else value_positions(text, kind)
    if kind == "place":  # the place a question names is not its answer ("where did Nakatani go after Istanbul")
        values = [k for k in values if not stems[k] & asked]
    if counted:
        return _counted_here(tokens, stems, values, counted)
    near = [k for k, s in enumerate(stems) if focus & s]
    return any(abs(a - b) <= TIE_WINDOW for a in near for b in values) or (not focus and bool(values)) \
        or (kind == "date" and _fronted_date(tokens, values, near))


def _fronted_date(tokens: list[str], values: list[int], near: list[int]) -> bool:
    """A date opening a sentence dates the whole sentence, however long: "In mid-June, at the Japanese
    Ministry of Defense in Tokyo, the governments ... held the first meeting" (the meeting is 18 words on)."""
    starts = [0] + [k + 1 for k, w in enumerate(tokens) if w.endswith((".", "?", "!")) and ends_sentence(w)]  # not "U.S."
    ends = starts[1:] + [len(tokens)]
    return any(start <= b < start + FRONTED and any(start <= a < end for a in near)
               for start, end in zip(starts, ends) for b in values)


def _counted_here(tokens: list[str], stems: list[set[str]], values: list[int], counted) -> bool:
    """Whether a number at ``values`` counts the thing asked about: it comes just before the rarest word
    counted ("five used TC-90 training aircraft"), or before the head noun ("parts") where the rarest word
    stands within ``COUNTED_WINDOW`` words of it ("40,000 items of parts for UH-1H multipurpose
    helicopters"): "scores of small attack drones" does not count "MQ-9B SeaGuardian drones" a sentence
    earlier."""
    rare, head = ([k for k, s in enumerate(stems) if c & s] for c in counted)
    head = [a for a in head if any(abs(a - r) <= COUNTED_WINDOW for r in rare)]
    return any(counts(tokens, b, a) for a in rare + head for b in values)


def counted_words(query) -> tuple[set[str], set[str]] | None:
    """For "how many X": the stems standing for X's rarest word the sources use and for its head noun (its last),
    each with what stands for it in the sources ("f-2s" for "f-2"); None without an X."""
    stems = tokenize(query.shape.subject)
    if not stems:
        return None
    known = query.known or (True,) * len(query.terms)
    weight = {t: float(w) if ok else -1.0 for t, w, ok in zip(query.terms, query.idf_sentences, known)}
    stand_ins = _stand_ins(query)
    rarest = max(stems, key=lambda t: weight.get(t, -1.0))  # of the words the sources use: "planes" they don't
    return tuple({t} | {s for alt in stand_ins.get(t, ()) for s in alt} for t in (rarest, stems[-1]))


def counts(tokens: list[str], number: int, noun: int) -> bool:
    """Whether the number at ``number`` counts the word at ``noun``: it comes at most ``COUNTED_WINDOW``
    words before, with no other plural in between ("three firms displaying drones" counts firms), though
    a measure of it may stand there ("40,000 items of parts").

    >>> t = "all three firms displaying drones and 40,000 items of parts".split()
    >>> counts(t, 1, 4), counts(t, 1, 2), counts(t, 6, 9)
    (False, True, True)
    """
    if not 0 < noun - number <= COUNTED_WINDOW:
        return False
    between = tokens[number + 1:noun]
    return not any(w.islower() and len(w) > 3 and w.endswith("s") and not w.endswith("ss") and nxt != "of"
                   for w, nxt in zip(between, between[1:] + [tokens[noun]]))


def value_marks(index, query, fused: np.ndarray, ids: np.ndarray, ratio: float = VALUE_RATIO) -> np.ndarray:
    """Per candidate (best first): when the best lacks the value a typed question asks for, the first
    near-best one holding it (marked, so it moves first); else none. Only that one moves: reordering
    every value-holding candidate pushed answers out of the top 3 on the development sets."""
    mark = np.zeros(len(ids), dtype=bool)
    if wanted_kind(query) is None or not len(ids):
        return mark
    near = np.flatnonzero(fused >= ratio * float(fused[0]))
    held = typed_support(query, [index.sentences[int(ids[k])].text for k in near])
    if held and not held[0] and any(held):
        mark[near[held.index(True)]] = True
    return mark


def _stand_ins(query) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Per question term, what stands for it in the sources (``Query.forms``: "f-2s" for "f-2")."""
    return dict(zip(query.terms, query.forms or [()] * len(query.terms)))


def focus_words(query) -> set[str]:
    """The focus terms (``focus_terms``) and the stems of what stands for them ("f-2s" for "f-2")."""
    focus = focus_terms(query)
    stand_ins = _stand_ins(query)
    return focus | {stem for t in focus for alt in stand_ins.get(t, ()) for stem in alt}


def focus_terms(query, share: float = 0.5) -> set[str]:
    """The question's rarest terms that the sources use: those holding ``share`` of their IDF mass.

    A term no source uses ties no value to anything, so it is left out (it
    already counts against the answer as a missing word), as are the words
    that ask ("many" in "how many").
    """
    known = np.array(query.known or [True] * len(query.terms), dtype=bool)
    # the words that ask ("how many", "how long") are about nothing in the passage
    asking = {t for w in _ASKING.findall(query.text) for t in tokenize(w)}
    if wanted_kind(query) == "maker":  # "which company will build": the words asking for the maker
        asking |= set(tokenize(query.shape.topic))
    if wanted_kind(query) == "duration":
        asking |= {t for m in _ASKING_TIME.finditer(query.text) for w in m.groups() if w for t in tokenize(w)}
    known &= np.array([t not in asking for t in query.terms], dtype=bool)
    weights = np.where(known, query.idf_sentences, 0.0)
    total, kept, mass = float(weights.sum()), set(), 0.0
    for j in np.argsort(-weights):
        if not total or mass >= share * total or not known[int(j)]:
            break
        kept.add(query.terms[int(j)])
        mass += float(weights[int(j)])
    return kept
