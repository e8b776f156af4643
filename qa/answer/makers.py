"""Where a passage names who makes the thing a maker question asks about, read by rule.

What it does: a maker question ("who builds the Kyumaru tanks", "which company will
build the next jet trainer": ``qa.answer.shapes``) is answered by a sentence that
names the maker of the thing, not by one that only mentions the thing ("joint
development of next-generation jet trainer aircraft"). ``names_maker`` tells
whether a passage's words name one near a focus word, in one of the ways news
prose does:

- a participle of making with "by" a few words on: "tanks built by Mitsubishi",
  "is manufactured in Japan under license by Mitsubishi Heavy Industries";
- a maker's noun beside a name: "drone-maker Baykar", "Daicel Corp., a ... maker
  and supplier of warplane ejection seats", "Komatsu Ltd., a ... manufacturer";
- a name that makes it: "Mitsubishi builds ...", "U.S.-made drones";
- a name owning it, or a company's name beside it: "Boeing's undersea Echo
  Voyager", "US-2 ShinMaywa Industries sea planes".

A maker that stopped ("Sumitomo Heavy Industries stopped making 5.56 millimeter
machine guns") names no one for "who makes ... now", and is the answer to "who
used to make ...".

What it does not do: tell a company from a country or a person (any
capitalised word is a name), or read a maker named far from the thing.

>>> words = "The hefty Kyumaru tanks built by Mitsubishi Heavy Industries debuted 30 years ago.".split()
>>> sold = "Japan has sold just one finished product — a surveillance radar — to the Philippines.".split()
>>> names_maker(words, [{"kyumaru"}], past=False), names_maker(sold, [{"radar"}], past=False)
(True, False)
>>> stopped = "Sumitomo Heavy Industries stopped making 5.56 millimeter machine guns.".split()
>>> names_maker(stopped, [{"machin"}], past=False), names_maker(stopped, [{"machin"}], past=True)
(False, True)
"""

from __future__ import annotations

import re

from qa.index.lexical import tokenize
from qa.ingest.textnorm import bare

NEAR = 8          # words from the making word to the thing made ("The Patriot, a U.S. air defense system, is manufactured")
BY_WITHIN = 5     # words from a participle to its "by" ("manufactured in Japan under license by")
NOUN_BEFORE = 8   # words from a maker's name to the maker noun after it ("Daicel Corp., a major ... material maker")

_PARTICIPLE = re.compile(r"(?i)^(?:made|built|manufactured|produced|supplied|constructed|assembled)$")
_ACTIVE = re.compile(r"(?i)^(?:makes|builds|manufactures|produces|supplies|constructs|assembles|made|built|"
                     r"manufactured|produced|supplied|constructed|assembled)$")
_MAKER_NOUN = re.compile(r"(?i)^(?:[a-z]+-?)?(?:maker|manufacturer|builder|supplier|producer|shipbuilder)s?$")
_MADE_BY_NAME = re.compile(r"^[A-Z][\w.]*-(?:made|built|produced|manufactured)$")  # "U.S.-made"
_COMPANY = re.compile(r"^(?:Industries|Corp|Corporation|Co|Ltd|Inc|Group|Motors|Aerospace|Company|Holdings|"
                      r"Shipbuilding|Electric|Systems)\.?$")
_STOPPED = re.compile(r"(?i)^(?:stopped|stops|ceased|ceases|quit|quits|halted|ended|abandoned|exited)$")
_GERUND = re.compile(r"(?i)^(?:making|building|manufacturing|producing|supplying|developing|constructing|assembling)$")
_PAST = re.compile(r"(?i)\b(?:used to|made|built|manufactured|produced|supplied|constructed|assembled|was|were|did|once|formerly)\b")


def asks_past(asking: str) -> bool:
    """Whether a maker question asks who made the thing once ("who used to make", "who built"), from its
    words before the thing (``Shape.topic``)."""
    return bool(_PAST.search(asking))


def _name(word: str) -> bool:
    return word[:1].isupper()


def _makers(words: list[str]) -> list[int]:
    """Positions of the words that tie a name to making in ``words`` (the participle, the maker noun, the verb)."""
    found = []
    for k, w in enumerate(words):
        plain = bare(w)
        if _PARTICIPLE.match(plain) and any(bare(x).lower() == "by" and j + 1 < len(words) and _name(words[j + 1])
                                             for j, x in enumerate(words[k + 1:k + 1 + BY_WITHIN], k + 1)):
            found.append(k)
        elif _MAKER_NOUN.match(plain) and ((k + 1 < len(words) and _name(words[k + 1]))
                                           or any(_name(x) for x in words[max(0, k - NOUN_BEFORE):k])):
            found.append(k)
        elif _MADE_BY_NAME.match(plain) or (_ACTIVE.match(plain) and k and _name(words[k - 1])):
            found.append(k)
        elif re.search(r"['’]s$", w) and _name(w) and k:  # "Boeing's undersea Echo Voyager"
            found.append(k)
        elif _COMPANY.match(plain) and k and _name(words[k - 1]):  # "US-2 ShinMaywa Industries sea planes"
            found.append(k)
    return found


def _stopped(words: list[str]) -> list[int]:
    """Positions of "stopped making" and the like: a maker that was."""
    return [k for k, w in enumerate(words[:-1]) if _STOPPED.match(bare(w))
            and any(_GERUND.match(bare(x)) for x in words[k + 1:k + 4])]


def names_maker(words: list[str], focus: list[set[str]], past: bool) -> bool:
    """Whether ``words`` (a passage, split) name the maker of the thing whose focus stems are ``focus`` (one set
    per alternative stem of a focus word): a making word (see the module docstring) within ``NEAR`` words of one;
    for a question about now (``past`` False), not in a sentence saying its maker stopped."""
    stems = [set(tokenize(bare(w))) for w in words]
    near = [k for k, s in enumerate(stems) if any(f & s for f in focus)]
    stopped = _stopped(words)
    if stopped and not past:
        return False
    tied = _makers(words) + stopped
    # the possessive and the company's name must stand right by the thing; the others within NEAR
    return any(abs(a - b) <= (2 if _name(words[a]) else NEAR) for a in tied for b in near)
