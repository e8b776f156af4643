"""Where a passage gives the name a name question asks for, read by rule.

What it does: a name question ("what is the name of the radar sold to the
Philippines", "what is X called", "which drone model ...": ``qa.answer.shapes``)
is answered by a sentence that names the thing, not by one that only
mentions it ("a surveillance radar"). ``names_thing`` tells whether a
passage's words hold a name bound to one of the question's subject words
(``name_anchors``, an anchor): a name within ``NEAR`` words of it ("the
Bayraktar TB2 drone", "Defense Minister Minoru Kihara", "the colony of Fort
Caroline"), the subject of a copula whose complement it is ("The
Quasiturbine is a uniflow rotary steam engine"), or a name given outright
anywhere in the passage ("known as Wahhabism", "were called "new
converts"", a quote of at most ``QUOTED_NAME`` words). A name is a
capitalised word or a designation ("TB2", "F-35"): not a word the question
itself uses, nor a nationality ("Japanese radar"), a month, or a
sentence's first word.

What it does not do: know what is a name (no gazetteer, no tagger), nor
read a name given far from the thing ("James Bryant Conant led the
university" for "the leader"): such a passage counts as naming nothing.

>>> words = "Japan has sold just one finished product — a surveillance radar — to the Philippines.".split()
>>> names_thing(words, name_anchors("the radar sold to the philippines"), {"radar", "sold", "philippin"})
False
>>> words = "Minister Minoru Kihara met the Bayraktar TB2 drone makers.".split()
>>> names_thing(words, name_anchors("the defense minister"), set()), names_thing(words, name_anchors("drone"), set())
(True, True)
>>> sorted(name_anchors("japan's long range cruise missile they switched to")), name_anchors("the minister who met austin")
(['cruis', 'long', 'missil', 'rang'], {'minist'})
"""

from __future__ import annotations

import re

from qa.index.lexical import STOPWORDS, tokenize
from qa.ingest.dates import MONTHS, WEEKDAYS
from qa.ingest.textnorm import bare

NEAR = 2  # words from the thing to its name (of 2, 3, 4 on the development sets and SQuAD part A's name questions:
          # 2 refused most unanswerable ones for the fewest answerable; 4 missed "a surveillance radar — to the Philippines")
QUOTED_NAME = 6  # words at most in a quote read as a name (a longer one is what someone said)
_NAMING = frozenset({"called", "named", "dubbed", "nicknamed", "designated", "titled", "termed", "known"})
_COPULAS = frozenset({"is", "was", "are", "were"})
_DESIGNATION = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9/\-]+$")  # letters and digits: "TB2", "F-35", "J/FPS-3"
_OPENS_QUOTE = re.compile(r"^[\"“‘'(]")
# a capitalised nationality names where a thing is from, not the thing: "Japanese", "Turkish", "Italian", "Israeli"
# ("-an" and "-i" alone would take "Japan" and "Mitsubishi"; the irregular ones are few)
_NATIONALITY = re.compile(r"(?:ese|ish|ian|ean)$|^(?:American|Korean|German|Mexican|Cuban|Moroccan|Kenyan|Afghan|Israeli|"
                          r"Iraqi|Pakistani|Saudi|Kuwaiti|Yemeni|Emirati|Omani|Qatari|Thai|Greek|Swiss|Dutch|Czech|"
                          r"French|Welsh|Irish|Scottish|Filipino|Kazakh|Uzbek|Slovak)$")
_MONTH_OR_DAY = re.compile(rf"^(?:{'|'.join(MONTHS + WEEKDAYS)})$")
_ENDS = re.compile(r"[.?!;:]$")
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Lt", "Col", "Jr", "Sr", "Prof", "Rep", "Sen", "Gov", "No", "Gen"})


# a subject's noun phrase ends where a clause or a phrase about it begins: "the radar sold to the philippines"
_CUT = frozenset({"who", "whom", "whose", "that", "which", "where", "when", "they", "it", "we", "he", "she", "you", "i",
                  "to", "of", "for", "from", "in", "on", "at", "by", "with", "the", "a", "an"})
# an irregular past participle after the head starts a clause as "-ed" does ("the radar sold to ...", "the jet
# built with ..."): the verb is not the thing, and "Japan has sold" is no name of the radar
_PARTICIPLES = frozenset({"sold", "bought", "made", "built", "given", "taken", "held", "led", "won", "shown", "seen",
                          "told", "sent", "paid", "brought", "found", "begun", "chosen", "written", "driven", "spoken",
                          "flown", "drawn", "grown", "thrown", "kept", "lost", "met", "taught", "known", "said", "done"})
_ENDS_PHRASE = _CUT | _PARTICIPLES


def name_anchors(subject: str) -> set[str]:
    """The stems of a name question's subject that a name binds to: its first noun phrase, without an owner
    ("japan's") and without what follows a cut (``_CUT``: "who met austin", "sold to ...")."""
    words = subject.lower().split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    kept = []
    for k, word in enumerate(words):  # a second article starts a clause: "the organization the ministry plans"
        if (k and (word in _ENDS_PHRASE or (word.endswith("ed") and len(word) > 4))) or word in ("which", "that", "who"):
            break
        if not re.search(r"['’]s$", word):
            kept.append(word)
    return {t for w in kept for t in tokenize(w)}


def ends_sentence(word: str) -> bool:
    """Whether ``word`` ends a sentence: it ends in ".", "?", "!", ";" or ":" and is no initial ("W."), no
    abbreviation ("U.S.", "a.m.") and no title ("Mr.", "Dr.").

    >>> [w for w in "Japan and the U.S. agreed. Mr. W. Weeks spoke: yes".split() if ends_sentence(w)]
    ['agreed.', 'spoke:']
    """
    word_bare = bare(word)
    short = (len(word_bare) == 1 and word_bare.isupper()) or "." in word_bare or word_bare in _TITLES
    return bool(_ENDS.search(word)) and not short


def opens_sentence(words: list[str], k: int) -> bool:
    """Whether ``words[k]`` opens a sentence (``ends_sentence``)."""
    return k == 0 or ends_sentence(words[k - 1])


def _named(words: list[str], k: int, asked: set[str]) -> bool:
    """Whether ``words[k]`` may be (part of) a name the question does not already use."""
    word = bare(words[k])
    if not word or set(tokenize(word)) & asked or word.lower() in STOPWORDS:
        return False
    if _DESIGNATION.match(word) or (_OPENS_QUOTE.match(words[k]) and word[0].isalpha()):
        return True
    return word[0].isupper() and not opens_sentence(words, k) and not _NATIONALITY.search(word) \
        and not _MONTH_OR_DAY.match(word)


def _naming(words: list[str], asked: set[str]) -> bool:
    """Whether the words give a name outright: after "called", "named" or "known as" ("known as Wahhabism",
    "were called "new converts""), or as a short quote ("the 66 "villes de sûreté"")."""
    for k, word in enumerate(words):
        if bare(word).lower() in _NAMING and not (bare(word).lower() == "known" and k + 1 < len(words)
                                                  and bare(words[k + 1]).lower() != "as"):
            j = k + 2 if bare(word).lower() == "known" else k + 1
            while j < len(words) and bare(words[j]).lower() in ("the", "a", "an"):
                j += 1
            given = [bare(w).lower() for w in words[j:j + 3]]
            if given and given[0] not in STOPWORDS and set(tokenize(" ".join(given))) - asked:
                return True  # "known as the Huguenot rebellions" names them, though "huguenot" is asked
    quoted = re.findall(r"[\"“]([^\"”]{2,80})[\"”]", " ".join(words))
    return any(len(q.split()) <= QUOTED_NAME and set(tokenize(q)) - asked for q in quoted)


def _named_subject(words: list[str], at: list[int], asked: set[str]) -> bool:
    """A name that a copula makes the thing: "The Quasiturbine is a uniflow rotary steam engine"."""
    return any(words[j + 1].lower() in _COPULAS and _named(words, j, asked) and 0 < k - j <= NEAR + 4
               for k in at for j in range(max(k - NEAR - 4, 0), k - 1))


def names_thing(words: list[str], anchors: set[str], asked: set[str]) -> bool:
    """Whether ``words`` (a passage's ``text.split()``) name the thing one of the ``anchors`` (stems of the
    question's subject) stands for, with a name not among ``asked`` (the question's terms): within ``NEAR``
    words of it, as the subject of a copula whose complement it is, or outright (``_naming``)."""
    at = [k for k, word in enumerate(words) if set(tokenize(word)) & anchors]
    near = any(_named(words, j, asked) for k in at for j in range(max(k - NEAR, 0), min(k + NEAR + 1, len(words))))
    return near or _named_subject(words, at, asked) or _naming(words, asked)
