"""Check a question and read what kind of answer it wants.

What it does: rejects questions a person could not mean (empty, only
whitespace or invisible characters, absurdly long, no letters or digits at
all) with a clear ``BadQuestion`` message, and guesses the expected answer
type from the wh-word ("how much" wants an amount, "when" a date), which
the ranker uses as one feature among others.

What it does not do: rewrite or expand the question.

>>> answer_type("How much did Japan spend on drones?")
'number'
>>> answer_type("When was the agency created?")
'date'
>>> try:
...     check_question("  ", 100)
... except BadQuestion as err:
...     print(err)
the question is empty
"""

from __future__ import annotations

import re
import unicodedata

from qa.errors import BadInput

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TYPE_RULES = (
    ("number", re.compile(r"(?i)\b(how (much|many|large|big|long|far|old)|what (percentage|percent|share|amount|number|price|sum)|cost)\b")),
    ("date", re.compile(r"(?i)\b(when|what (year|date|day|month|time)|which (year|month|day))\b")),
    ("person", re.compile(r"(?i)^\s*(who|whom|whose)\b|\b(who (said|leads|led|is|was|heads))\b")),
)
_HAS_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|billions?|trillions?)\b", re.I)
_HAS_DATE = re.compile(rf"(?i)\b(1[0-9]{{3}}|20[0-9]{{2}}|{_MONTHS}|{_DAYS}|yesterday|today|last (week|month|year)|ago|century|decade)\b")
_HAS_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_NEGATION = re.compile(r"(?i)\b(not|never|no|none|without|n't)\b|n't\b")


class BadQuestion(BadInput, ValueError):
    """A question that cannot be answered as given; the message says why."""


def visible_text(text: str) -> str:
    """``text`` without control, format (zero-width, bidi) and unpaired surrogate characters."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\n\t")


def check_question(question: object, max_chars: int) -> str:
    """The question, cleaned of invisible characters, or ``BadQuestion``."""
    if not isinstance(question, str):
        raise BadQuestion(f"the question must be text, not {type(question).__name__}")
    if len(question) > max_chars:
        raise BadQuestion(f"the question is too long ({len(question):,} characters; the limit is {max_chars:,})")
    cleaned = " ".join(visible_text(question).split())
    if not cleaned:
        raise BadQuestion("the question is empty")
    if not any(ch.isalnum() for ch in cleaned):
        raise BadQuestion("the question has no words to search for")
    if max((len(w) for w in cleaned.split()), default=0) > 200:
        raise BadQuestion("the question contains a 'word' over 200 characters long; please ask in plain words")
    return cleaned


def answer_type(question: str) -> str | None:
    """'number', 'date', 'person' or None, from the question's wording."""
    for name, rule in _TYPE_RULES:
        if rule.search(question):
            return name
    return None


def is_negated(question: str) -> bool:
    """Whether the question says "not", "never", "no", "without" or "n't".

    >>> is_negated("Which drone was not sold?"), is_negated("Which drone was sold?")
    (True, False)
    """
    return bool(_NEGATION.search(question))


def fits_type(sentence: str, wanted: str | None) -> bool:
    """Whether ``sentence`` holds the kind of thing ``wanted`` names.

    >>> fits_type("It costs 397 billion yen.", "number"), fits_type("It is costly.", "number")
    (True, False)
    """
    if wanted == "number":
        return bool(_HAS_NUMBER.search(sentence))
    if wanted == "date":
        return bool(_HAS_DATE.search(sentence))
    if wanted == "person":
        return bool(_HAS_NAME.search(sentence))
    return False
