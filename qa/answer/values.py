"""The kind of value a typed question asks for, and where a passage holds one.

What it does: reads from a question's wording the value it wants -- a
``count`` ("how many"), ``money`` ("how much does X cost", "what is the
price"), an ``amount`` (another "how much"), a ``date`` ("when", "what
year"), a ``duration`` ("how long"), a ``distance`` ("how far", "what is the
range"), an ``age`` ("how old"), a ``rank`` ("where does X rank": "12th"), a ``frequency`` ("how often":
"annually", "every year"), a ``place`` ("where") -- and finds, by
rule, the word positions in a passage that hold such a value: a count is a
number that is not money, a year, a day of a month or a percentage ("12
diesel submarines", "a dozen"), money has a currency ("¥41.5 billion",
"$3.4 billion"), a date is a year ("1639", "the 1980s"), a month, a century
or a period ("last year"), a place is a capitalised phrase where a place
stands (``qa.answer.places``), and so on. A passage that holds numbers of
another kind ("¥41.5 billion" for "how many drones") does not answer.
On the development sets these rules flag the same questions as spaCy's
entity recogniser did, and no question loads a model for them
(docs/evaluation.md, "Typed values without spaCy").

What it does not do: find where in the sentence the value's subject is
(``qa.answer.typed.typed_support`` ties the two by distance).

>>> wanted_value("how many submarines does japan have"), wanted_value("what's the price of a US-2")
('count', 'money')
>>> wanted_value("what is japan's cyber defense budget"), wanted_value("what is the annual budget of the task force")
('money', 'money')
>>> wanted_value("how many days did the conference last"), value_positions("The three-day conference ended.", "duration")
('duration', [1])
>>> value_positions("It allocated ¥41.5 billion for 12 drones in 2025.", "count")
[5]
>>> value_positions("It allocated ¥41.5 billion for 12 drones in 2025.", "money")
[2, 3]
>>> guns = "It stopped making 5.56 millimeter machine guns in mid-June."
>>> value_positions(guns, "count"), value_positions(guns, "date"), value_positions("People may think so", "date")
([], [8], [])
>>> value_positions("On 12 May 1705, in the early 18th century", "date"), value_positions("in Ankara last week", "place")
([1, 2, 3, 7, 8], [1])
"""

from __future__ import annotations

import re

from qa.answer.places import place_positions
from qa.ingest.dates import MONTHS, WEEKDAYS
from qa.ingest.textnorm import bare as bare_word

_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|scores|hundreds|"
                 "thousands|millions|billions|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|half")
_NUMERAL = re.compile(rf"(?i)^[(\[]?(?:[¥$€£]?\d[\d,.]*(?:[-–]\d+)?%?|{_NUMBER_WORDS})(?:-[a-z]+)?[)\].,;:]*$")
_CURRENCY = re.compile(r"(?i)^[(\[]?[¥$€£]|^(?:yen|dollars?|euros?|won|pounds?)\b")
_PERCENT = re.compile(r"(?i)%|^(?:percent|per)\b")
_YEAR = re.compile(r"^[(\[]?(?:1\d|20)\d\d(?:[-–](?:1\d|20)?\d\d)?[)\].,;:]*$")  # "1639", "2023-2027"
# a month or weekday is capitalised: "may" and "march" are also verbs ("People may think")
_MONTH = re.compile(rf"^(?i:mid-|early-|late-)?(?:{'|'.join(MONTHS + WEEKDAYS)})\b|^(?i:yesterday|today|ago|fiscal)\b")
_PART_OF_YEAR = re.compile(r"^(?i:mid|early|late)-(?:1\d|20)\d\d\b")  # "mid-2025": one word, which no numeral rule reads
_TIME_UNIT = re.compile(r"(?i)^(?:years?|months?|weeks?|days?|hours?|decades?|minutes?)\b")
_DISTANCE_UNIT = re.compile(r"(?i)^(?:km|kilometers?|kilometres?|miles?|meters?|metres?|nautical)\b")
# a number measured in one of these is a size, not how many of something ("5.56 millimeter machine guns")
_MEASURE_UNIT = re.compile(r"(?i)^(?:mm|cm|millimeters?|millimetres?|centimeters?|centimetres?|inch|inches|feet|foot|"
                           r"tons?|tonnes?|kg|kilograms?|caliber|calibre|knots?|degrees?|horsepower|mph|kph)\b")

_WANTS = (
    ("money", re.compile(r"(?i)\bhow much\b.*\b(cost|costs|pay|paid|spend|spent|worth|price|budget|charge|sell|sold|invest)|"
                         r"\bwhat\s+(?:does|do|did|would|will)\s+.+?\s+cost(?:s|ing)?\b|"
                         r"\bwhat(?:\s+is|\s+was|\s+are|'s|’s)?\s+(?:the\s+|its\s+|their\s+|(?:[\w\-]+\s+){0,2}?[\w\-]+(?:'s|’s)\s+)?"
                         r"(?:[\w\-&]+\s+){0,3}?(?:price|cost|budget)\b|\bwhat(?:\s+is|'s|’s) the value\b|\bhow expensive\b")),
    # a count of days is a length of time, written as one: "the three-day conference", "for 60 minutes"
    ("duration", re.compile(r"(?i)\bhow many (?:years|months|weeks|days|hours|minutes|decades|centuries)\b")),
    ("count", re.compile(r"(?i)\bhow many\b|\bwhat (?:is the )?number of\b")),
    # a weight or a speed is a measure, not any number: "dozens of Type 90 tanks" weighs nothing
    ("weight", re.compile(r"(?i)\bhow much\b.*\bweigh|\bhow heavy\b|\bwhat(?:\s+is|\s+was|'s|’s)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?weight\b")),
    ("speed", re.compile(r"(?i)\bhow fast\b|\b(?:top|maximum|max|cruising)\s+speed\b")),
    ("frequency", re.compile(r"(?i)\bhow (?:often|frequently)\b")),
    ("amount", re.compile(r"(?i)\bhow much\b|\bwhat (?:percentage|percent|share|amount|sum)\b")),
    ("duration", re.compile(r"(?i)\bhow long\b|\bfor how many (?:years|months|days)\b")),
    ("distance", re.compile(r"(?i)\bhow far\b|\bwhat(?:\s+is|\s+was|'s|’s) the range\b|\brange of\b")),
    ("age", re.compile(r"(?i)\bhow old\b")),
    ("date", re.compile(r"(?i)^(?:so\s+)?when\b|\bwhat (?:year|date|day|month|time)\b|\bwhich (?:year|month|day)\b|\bsince when\b")),
    # "where does Japan rank" asks for a rank ("12th largest"), not a place
    ("rank", re.compile(r"(?i)^(?:so\s+)?where\s+(?:does|did|do|is|was|would|will)\s+.+?\s+(?:rank|ranks|ranked|stand)\b|"
                        r"\bwhat\s+(?:is\s+|was\s+|'s\s+|’s\s+)?(?:the\s+)?(?:[\w\-]+(?:'s|’s)\s+)?(?:rank|ranking)\b")),
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
            while j + 1 < len(words) and _NUMERAL.match(words[j + 1]) and not _YEAR.match(words[j + 1]) \
                    and not words[j].endswith((",", ";", ":", ".")):  # "On 12 May 1705, 148 settlers": two values
                j += 1
            runs.append((k, j))
            k = j + 1
        else:
            k += 1
    return runs


def _number_kind(words: list[str], first: int, last: int) -> str:
    """'money', 'percent', 'day', 'year', 'time', 'distance', 'measure' or 'count' for the numeral run [first, last]."""
    after = words[last + 1] if last + 1 < len(words) else ""
    before = words[first - 1] if first else ""
    phrase = " ".join(words[first:last + 1])
    if _CURRENCY.match(words[first]) or _CURRENCY.match(after):
        return "money"
    if _PERCENT.search(phrase + " " + after):
        return "percent"
    if first == last and (_MONTH.match(after) or _MONTH.match(before)) and re.match(r"^\d{1,2}\b", words[first]):
        return "day"  # "12 May", "January 18,"
    unit = words[last].split("-", 1)[1] if "-" in words[last] else ""  # "100-minute", "five-year"
    if _TIME_UNIT.match(after) or _TIME_UNIT.match(unit):
        return "time"
    if _DISTANCE_UNIT.match(after) or _DISTANCE_UNIT.match(unit):
        return "distance"
    if _MEASURE_UNIT.match(after) or _MEASURE_UNIT.match(unit):
        return "measure"
    return "year" if first == last and _YEAR.match(words[first]) else "count"


_ACCEPTS = {"money": {"money"}, "count": {"count"}, "amount": {"money", "count", "percent", "distance", "measure"},
            "duration": {"time"}, "age": {"time"}, "weight": {"measure"}, "speed": {"measure", "distance"},
            "distance": {"distance"}, "date": {"year", "day"}}
_CENTURY = re.compile(r"(?i)^(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                      r"tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
                      r"nineteenth|twentieth|twenty-first)$")
_RELATIVE = re.compile(r"(?i)^(?:this|last|next|that|same|following|previous|coming|past|recent|early|late|mid)$")
_DECADE = re.compile(r"^(?:1\d|20)?\d0s$")  # "the 1950s", "the ’90s"
_PERIOD = re.compile(r"(?i)^(?:years?|months?|weeks?|decades?|century|centuries|quarter|spring|summer|autumn|fall|"
                     r"winter|season)\b")


_OVER = re.compile(r"(?i)^(?:for|over|during|throughout)$")


def _lasting(bare: list[str], k: int) -> bool:
    """Whether the relative period at ``k`` is a length of time: "the past decade", "for the last
    year", not a point in one ("met last week", "next year's budget")."""
    return bare[k].lower() == "past" or any(_OVER.match(w) for w in bare[max(k - 2, 0):k])


def _date_words(words: list[str], kind: str, years: list[int]) -> list[int]:
    """Positions of the words of a date or period that are not numbers of a kind: months ("May"), centuries
    ("the 11th century"), periods ("last year"); for a duration, the years after "since" and decades
    ("since the 1950s"); for an age, "ago"."""
    bare = [bare_word(w) for w in words]
    after = bare[1:] + [""]
    if kind == "age":
        return [k for k, w in enumerate(bare) if w.lower() == "ago"]
    found = [k for k, w in enumerate(bare) if (_CENTURY.match(w) and after[k].lower().startswith("centur"))
             or (_RELATIVE.match(w) and _PERIOD.match(after[k]) and (kind != "duration" or _lasting(bare, k)))]
    found += [k + 1 for k in found] + [k for k, w in enumerate(bare) if _DECADE.match(w)]
    if kind == "duration":
        return found + [k for k in years if "since" in (w.lower() for w in bare[max(k - 2, 0):k])]
    return found + [k for k, w in enumerate(words) if _MONTH.match(w) or _PART_OF_YEAR.match(w)]


_EVERY = re.compile(r"^(?:annually|annual|yearly|monthly|weekly|daily|quarterly|biannually|biennially|twice|thrice)$")
_ORDINAL = re.compile(r"(?i)^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top)$")


def value_positions(text: str, kind: str) -> list[int]:
    """Word positions (``text.split()``) holding a value of ``kind``, by the rules above."""
    words = text.split()
    if kind == "place":
        return place_positions(words)
    if kind == "frequency":  # "annually", "twice a year", "every five years" -- not "regular", which says no how often
        bare = [bare_word(w).lower() for w in words]
        return [k for k, w in enumerate(bare) if _EVERY.match(w) or (w in ("every", "each", "per") and k + 1 < len(bare))]
    if kind == "rank":  # "the world's 12th largest arms importer", not "the 11th century"
        bare = [bare_word(w) for w in words] + [""]
        return [k for k, w in enumerate(bare[:-1]) if _ORDINAL.match(w) and not bare[k + 1].lower().startswith("centur")]
    runs = [(a, b, _number_kind(words, a, b)) for a, b in _phrases(words)]
    found = [k for a, b, n in runs if n in _ACCEPTS.get(kind, ()) for k in range(a, b + 1)]
    if kind in ("date", "duration", "age"):
        found += _date_words(words, kind, [a for a, _, n in runs if n == "year"])
    return sorted(set(found))
