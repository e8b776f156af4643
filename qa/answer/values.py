"""The kind of value a typed question asks for, and where a passage holds one.

What it does: reads from a question's wording the value it wants -- a
``count`` ("how many"), ``money`` ("how much does X cost", "what is the
price"), an ``amount`` (another "how much"), a ``date`` ("when", "what
year"), a ``duration`` ("how long"), a ``distance`` ("how far", "what is the
range"), an ``age`` ("how old"), a ``place`` ("where") -- and finds the word
positions in a passage that hold such a value, by spaCy's entities
(``qa.answer.entities``) or, without spaCy, by rule: a count is a number that is not money, a
year or a percentage ("12 diesel submarines", "a dozen"), money has a
currency ("¥41.5 billion", "$3.4 billion"), and so on. A passage that holds
numbers of another kind ("¥41.5 billion" for "how many drones") does not
answer.

What it does not do: find where in the sentence the value's subject is
(``qa.answer.shaped.typed_support`` ties the two by distance).

>>> wanted_value("how many submarines does japan have"), wanted_value("what's the price of a US-2")
('count', 'money')
>>> value_positions("It allocated ¥41.5 billion for 12 drones in 2025.", "count")
[5]
>>> rule_positions("It allocated ¥41.5 billion for 12 drones in 2025.", "money"), rule_positions("in 2025.", "date")
([2, 3], [1])
"""

from __future__ import annotations

import re

from qa.answer.entities import entity_spans

_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|scores|hundreds|"
                 "thousands|millions|billions|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|half")
_NUMERAL = re.compile(rf"(?i)^[(\[]?(?:[¥$€£]?\d[\d,.]*(?:[-–]\d+)?%?|{_NUMBER_WORDS})(?:-[a-z]+)?[)\].,;:]*$")
_CURRENCY = re.compile(r"(?i)^[(\[]?[¥$€£]|^(?:yen|dollars?|euros?|won|pounds?)\b")
_PERCENT = re.compile(r"(?i)%|^(?:percent|per)\b")
_YEAR = re.compile(r"^[(\[]?(?:1[89]|20)\d\d(?:[-–](?:1[89]|20)?\d\d)?[)\].,;:s]*$")  # "2014", "2023-2027"
_MONTH = re.compile(r"(?i)^(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|ago|fiscal)\b")
_TIME_UNIT = re.compile(r"(?i)^(?:years?|months?|weeks?|days?|hours?|decades?|minutes?)\b")
_DISTANCE_UNIT = re.compile(r"(?i)^(?:km|kilometers?|kilometres?|miles?|meters?|metres?|nautical)\b")

_WANTS = (
    ("money", re.compile(r"(?i)\bhow much\b.*\b(cost|costs|pay|paid|spend|spent|worth|price|budget|charge|sell|sold|invest)|"
                         r"\bwhat(?:\s+is|\s+was|\s+are|'s|’s)?\s+(?:the\s+|its\s+)?(?:price|cost|budget|value)\b|\bhow expensive\b")),
    ("count", re.compile(r"(?i)\bhow many\b|\bwhat (?:is the )?number of\b")),
    ("amount", re.compile(r"(?i)\bhow much\b|\bwhat (?:percentage|percent|share|amount|sum)\b")),
    ("duration", re.compile(r"(?i)\bhow long\b|\bfor how many (?:years|months|days)\b")),
    ("distance", re.compile(r"(?i)\bhow far\b|\bwhat(?:\s+is|\s+was|'s|’s) the range\b|\brange of\b")),
    ("age", re.compile(r"(?i)\bhow old\b")),
    ("date", re.compile(r"(?i)^(?:so\s+)?when\b|\bwhat (?:year|date|day|month|time)\b|\bwhich (?:year|month|day)\b|\bsince when\b")),
    ("place", re.compile(r"(?i)^(?:so\s+)?where\b|\bin which (?:country|city|countries|cities)\b")),
)


def wanted_value(question: str) -> str | None:
    """The kind of value ``question`` asks for (see the module docstring), or None."""
    return next((kind for kind, rule in _WANTS if rule.search(question)), None)


def _phrases(words: list[str]) -> list[tuple[int, int]]:
    """[first, last] positions of each run of numerals ("¥41.5 billion", "a dozen" is "dozen")."""
    runs, k = [], 0
    while k < len(words):
        if _NUMERAL.match(words[k]):
            j = k
            while j + 1 < len(words) and _NUMERAL.match(words[j + 1]) and not _YEAR.match(words[j + 1]):
                j += 1
            runs.append((k, j))
            k = j + 1
        else:
            k += 1
    return runs


def _number_kind(words: list[str], first: int, last: int) -> str:
    """'money', 'percent', 'year', 'time', 'distance' or 'count' for the numeral run [first, last]."""
    after = words[last + 1] if last + 1 < len(words) else ""
    phrase = " ".join(words[first:last + 1])
    if _CURRENCY.match(words[first]) or _CURRENCY.match(after):
        return "money"
    if _PERCENT.search(phrase + " " + after):
        return "percent"
    if first == last and _YEAR.match(words[first]):
        return "year"
    unit = words[last].split("-", 1)[1] if "-" in words[last] else ""  # "100-minute", "five-year"
    if _TIME_UNIT.match(after) or _TIME_UNIT.match(unit):
        return "time"
    return "distance" if _DISTANCE_UNIT.match(after) or _DISTANCE_UNIT.match(unit) else "count"


_ACCEPTS = {"money": {"money"}, "count": {"count"}, "amount": {"money", "count", "percent", "distance"},
            "duration": {"time"}, "age": {"time"}, "distance": {"distance"}, "date": {"year"}}


# spaCy's entity labels for each kind of value (qa.answer.entities)
ENTITY_KINDS = {"count": {"CARDINAL"}, "money": {"MONEY"}, "amount": {"MONEY", "CARDINAL", "PERCENT", "QUANTITY"},
                "date": {"DATE"}, "duration": {"TIME", "DATE"}, "distance": {"QUANTITY"}, "age": {"DATE"},
                "place": {"GPE", "LOC", "FAC"}}


def value_positions(text: str, kind: str) -> list[int]:
    """Word positions (``text.split()``) holding a value of ``kind``: by spaCy's entities where it is
    installed (it measured better on the plain questions, docs/evaluation.md), else by the rules."""
    spans = entity_spans(text)
    if spans is None:
        return rule_positions(text, kind)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    wanted = ENTITY_KINDS.get(kind, set())
    return [k for k, (a, b) in enumerate(words) if any(s < b and a < e for s, e, label in spans if label in wanted)]


def rule_positions(text: str, kind: str) -> list[int]:
    """Word positions (``text.split()``) holding a value of ``kind``, by the rules above."""
    words = text.split()
    found = [k for a, b in _phrases(words) if _number_kind(words, a, b) in _ACCEPTS.get(kind, ()) for k in range(a, b + 1)]
    if kind in ("date", "age"):
        found += [k for k, w in enumerate(words) if _MONTH.match(w) and (kind == "date" or w.lower().startswith("ago"))]
    return sorted(set(found))
