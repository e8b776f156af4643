"""Answer-form cues: how the answer to a "why" or a "which Xs" question is worded.

What it does: some questions say what form their answer takes, though not
its words. A reason comes with a causal connective ("because", "due to",
"in order to", "triggered"); "which countries / companies ..." (a plural) is
answered by a sentence naming several countries or companies, other than
those the question names. A reason must explain what is asked, not be it:
"In order to introduce drones ..., Japan is looking at buying them from
Turkey" gives no reason for wanting drones. "What did NAME warn about" is
answered by the speaker's words of what may go wrong (``warns``, which
``qa.answer.shaped`` reads). ``cue_marks`` marks the near-best candidates that
have the form their question's cue asks for, so ``qa.answer.shaped`` can move
them ahead of sentences that only share the question's words. Names are
read by rule, and only on the few candidates near the best: places where
``qa.answer.places`` reads one or in a list of capitalised names ("Japan,
Britain and Italy"), companies as capitalised phrases ending in a word like
"Corp." or "Industries".

Measured and left out (docs/evaluation.md): "what kind of X" -> a list
("include", "such as") and a singular "which company" -> one name: on SQuAD
those ask for one attribute ("what type of engine ..."), and both lost there.

What it does not do: rank (``qa.answer.shaped.promote``) or decide whether to answer.

>>> question_cue("why does japan want so many drones"), question_cue("which foreign companies sell drones")
(('why', ''), ('names', 'company'))
>>> question_cue("which company sells drones") is None
True
>>> has_cue(("why", ""), "Lawmakers want drones because of China's moves.", "why")
True
"""

from __future__ import annotations

import re

import numpy as np

from qa.answer.places import place_positions
from qa.index.lexical import tokenize
from qa.ingest.textnorm import bare

# A cued sentence moves first when it scores at least this share of the best. Causal words are common
# in news text, so a reason must match nearly as well; a sentence naming several of the things asked
# for is a stronger sign of the answer. (Chosen on the development sets, docs/evaluation.md.)
RATIOS = {"why": 0.9, "names": 0.8}

_WHY = re.compile(r"(?i)^(?:so\s+)?(?:why|how come|for what reason|what (?:is|was|'s|’s) the reason)\b")
_CAUSAL = re.compile(r"(?i)\b(?:because|due to|owing to|thanks to|as a result|in order to|so that|so as to|in a bid to|"
                     r"in response to|citing|amid|triggered|prompted|led to|leading to|resulted? (?:from|in)|"
                     r"the result of|reasons?|caused?|blamed)\b")
# Connectives whose cause comes before them ("China's moves have triggered calls to employ drones"); the
# others give it after ("because of ...", "in order to ...", "citing ...").
_CAUSE_BEFORE = re.compile(r"(?i)triggered|prompted|led to|leading to|resulted? in|caused?|as a result")
# where a reason given after its connective ends: a clause break ("..., Japan is looking at"), not a list's comma
_CLAUSE_END = re.compile(r",\s+(?=[A-Z])|;|\s[-–—]\s|$")
# "What did NAME warn (about)?": a warning speaks of what may go wrong -- a possibility, a condition or
# a danger -- where the speaker's other words state facts ("said it has 60-plus member companies")
_WARNS = re.compile(r"(?i)\b(?:warn|warned|warns|warning|caution|cautioned|fear|feared|fears|worry|worried|worries)\b")
_WARNING = re.compile(r"(?i)\b(?:could|might|may|would|cannot|can['’]t|unless|if|risks?|danger\w*|threat\w*|"
                      r"warn\w*|problems?|concerns?|difficult)\b")
# A plural noun right after "which / what" (or after one modifier: "which foreign companies"), and the
# kind of name that answers it.
_NAMED = (
    ("place", r"countries|nations|cities|states|places|allies"),
    ("company", r"companies|firms|makers|manufacturers|contractors|businesses|corporations"),
)
_WHICH = re.compile(r"(?i)^(?:so\s+)?(?:which|what)\s+(?P<first>[\w\-]+)(?:\s+(?P<second>[\w\-]+))?")
# A company's name ends in one of these words ("Daicel Corp.", "Kawasaki Motors"): a capitalised phrase
# alone is as often a ministry, a program or a sentence's first words.
_COMPANY = re.compile(r"(?:corp|corporation|co|ltd|inc|plc|llc|ag|sa|gmbh|industries|group|holdings|motors|"
                      r"electric|systems|technologies|aerospace|shipbuilding|engineering|manufacturing|company)")
# A list of capitalised names, "Japan, Britain and Italy": whatever the preposition before it, the form
# a "which countries" answer takes.
_NAME = r"(?:the\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2}"
_NAME_LIST = re.compile(rf"{_NAME}(?:,\s+{_NAME})*,?\s+(?:and|or)\s+{_NAME}")


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Consecutive word positions as [first, last] runs: [1, 2, 5] -> [(1, 2), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for k in positions:
        if out and k == out[-1][1] + 1:
            out[-1] = (out[-1][0], k)
        else:
            out.append((k, k))
    return out


def names(sentence: str, label: str) -> set[str]:
    """The names of ``label``'s kind in ``sentence``, lower case: places ("place": where ``qa.answer.places``
    reads one, or a list of capitalised names) or companies (a capitalised phrase ending in a word like
    "Corp." or "Industries").

    >>> sorted(names("Mitsubishi Heavy Industries, maker Kawasaki Motors and Subaru agreed.", "company"))
    ['kawasaki motors', 'mitsubishi heavy industries']
    >>> sorted(names("Japan may buy drones from Turkey, Australia and others.", "place"))
    ['australia', 'turkey']
    >>> sorted(names("A jet developed by Japan, Britain and Italy.", "place"))
    ['britain', 'italy', 'japan']
    """
    words = sentence.split()
    if label == "place":
        listed = {_clean(n) for m in _NAME_LIST.finditer(sentence) for n in re.split(r",\s*|\s+(?:and|or)\s+", m.group())}
        return listed | _phrases(words, place_positions(words))
    return {n for n in _phrases(words, [k for k, w in enumerate(words) if bare(w)[:1].isupper()])
            if _COMPANY.fullmatch(n.split()[-1])}


def _clean(name: str) -> str:
    """A name compared lower case, without edge punctuation, "the" or a possessive."""
    name = " ".join(bare(w) for w in name.split()).lower().replace("’s", "").replace("'s", "")
    return name[4:] if name.startswith("the ") else name


def _phrases(words: list[str], positions: list[int]) -> set[str]:
    """The phrases the runs of ``positions`` make (a comma ends one; a sentence's first word alone is none)."""
    runs = []
    for a, b in _runs(positions):
        for part in " ".join(words[a:b + 1]).split(","):  # "Turkey, Australia": two names
            runs.append((a, part))
    return {_clean(part) for a, part in runs if part.strip() and (a or len(part.split()) > 1)} - {""}


def question_cue(question: str) -> tuple[str, str] | None:
    """("why", "") or ("names", "place" | "company") for a question whose wording gives its answer's form, else None."""
    if _WHY.match(question):
        return "why", ""
    m = _WHICH.match(question)
    for noun in (m.group("first"), m.group("second") or "") if m else ():
        for label, nouns in _NAMED:
            if re.fullmatch(nouns, noun, flags=re.I):
                return "names", label
    return None


def has_cue(cue: tuple[str, str], sentence: str, question: str, weights: dict[str, float] | None = None) -> bool:
    """Whether ``sentence`` has the form ``cue`` asks for (names: two or more the question does not hold;
    a reason: a causal connective that gives the reason for what the question asks about -- as much of
    the question's ``weights`` (stem -> IDF) outside the reason as in it).

    >>> w = {"drone": 2.0, "japan": 0.5}
    >>> has_cue(("why", ""), "Japan wants drones because China worries it.", "why", w)
    True
    >>> has_cue(("why", ""), "In order to get drones, Japan may buy them from Turkey.", "why", w)
    False
    """
    kind, label = cue
    if kind == "why":
        return any(_explains(sentence, m, weights or {}) for m in _CAUSAL.finditer(sentence))
    asked = question.lower()
    return len({n for n in names(sentence, label) if n not in asked}) >= 2


def asks_warning(question: str) -> bool:
    """Whether a speech question asks what its speaker warned of ("what did yamada warn about")."""
    return bool(_WARNS.search(question))


def warns(sentence: str) -> bool:
    """Whether ``sentence`` is worded as a warning: a possibility, a condition or a danger.

    >>> warns("If the trend continues, the industry could face supply problems, Yamada said."), warns("It has 60 members.")
    (True, False)
    """
    return bool(_WARNING.search(sentence))


def _explains(sentence: str, m: re.Match, weights: dict[str, float]) -> bool:
    """Whether the connective ``m`` gives the reason for what the question asks about: the question's words
    weigh at least as much outside the reason as in it. "In order to introduce drones ..., Japan is looking at buying
    the unmanned assets from Turkey" gives the reason for buying abroad; asked "why does japan want so many
    drones", the drones are the reason there, not what it explains."""
    if _CAUSE_BEFORE.fullmatch(m.group()):
        reason, effect = sentence[:m.start()], sentence[m.end():]
    else:
        end = _CLAUSE_END.search(sentence, m.end()).start()
        reason, effect = sentence[m.end():end], sentence[:m.start()] + " " + sentence[end:]
    def mass(text):
        return sum(weights.get(t, 0.0) for t in set(tokenize(text)))
    return not weights or mass(effect) >= mass(reason)


def term_weights(query) -> dict[str, float]:
    """The question's stems the sources use, and what stands for them ("f-2s"), each with its IDF."""
    known = query.known or (True,) * len(query.terms)
    forms = query.forms or [()] * len(query.terms)
    out: dict[str, float] = {}
    for t, w, ok, alts in zip(query.terms, query.idf_sentences, known, forms):
        for stem in (t, *(s for alt in alts for s in alt)):
            out[stem] = max(out.get(stem, 0.0), float(w) if ok else 0.0)
    return out


def cue_marks(index, query, fused: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Per candidate (``ids``, best first, scores ``fused``): near the best and with its question's cue."""
    mark = np.zeros(len(ids), dtype=bool)
    cue = question_cue(query.text)
    if cue is None or not len(ids):
        return mark
    weights = term_weights(query) if cue[0] == "why" else None
    for k in np.flatnonzero(fused >= RATIOS[cue[0]] * float(fused[0])):
        mark[k] = has_cue(cue, index.sentences[int(ids[k])].text, query.text, weights)
    return mark
