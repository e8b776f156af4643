"""Dates as articles write them, read as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``).

What it does: finds a date that names its year in a piece of text ("December
1, 2025", "Dec. 1, 2025", "1 December 2025", "2025-12-01", "2025-12-01T08:00Z",
"December 2025"), checks it is a real calendar day, and tells a line that
states a date and nothing else -- perhaps labelled ("Published:", "Updated",
"Posted on") and with a weekday, a time and a time zone -- from a line that
merely mentions one. ``qa.ingest.metadata`` reads an article's date with it.

What it does not do: guess. A date without a year, or one whose order is
ambiguous ("12/01/2025": December or January?), is no date; a bare year is a
date only where a label or the caller says it is one.
"""

from __future__ import annotations

import re
from datetime import date as _date

# the names of months and weekdays, as written: the one list the answer stage reads them from too
# (a date's words, a capitalised word that is not a place) and people.py (a word that opens no name)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY, _YEAR = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?", r"(?P<year>(?:19|20)\d\d)"
_DATES = [re.compile(p, re.I) for p in (  # most precise first
    rf"\b{_YEAR}[-/](?P<mon>\d{{1,2}})(?:[-/](?P<day>\d{{1,2}}))?(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b",
    rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", rf"\b{_MONTH},?\s+{_YEAR}\b")]
_LABEL = re.compile(r"^\s*(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified|dated|released|issued|date)"
                    r"\b(?:\s+on)?\s*:?", re.I)
# What may stand beside a date on a line that states only a date: a weekday, a time, a time zone, "at"/"on", punctuation.
_FILLER = re.compile(r"(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b\.?|"
                     r"\b\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\b\.?)?|(?-i:\b(?:[A-Z]{1,4}T|UTC|GMT)\b)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?|"
                     r"\b(?:at|on)\b|[\s,.|·•/()–—-]+")


def _iso(year: str, month: int | None = None, day: str | None = None) -> str | None:
    """``YYYY[-MM[-DD]]`` of a real calendar date, or None."""
    try:
        _date(int(year), month or 1, int(day) if day else 1)
    except ValueError:
        return None
    return year + (f"-{month:02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")


def find_date(text: str) -> tuple[str, re.Match] | None:
    """The first unambiguous date with a year in ``text`` as ISO, and where it is.

    >>> [find_date(t)[0] for t in ("Dec. 1, 2025", "1 December 2025", "2025-12", "May 2025")]
    ['2025-12-01', '2025-12-01', '2025-12', '2025-05']
    >>> find_date("12/01/2025") is None
    True
    """
    for pattern in _DATES:
        m = pattern.search(text)
        if m:
            parts = m.groupdict()
            month = int(parts["mon"]) if parts.get("mon") else (_month(parts["month"]) if parts.get("month") else None)
            iso = _iso(parts["year"], month, parts.get("day"))
            return (iso, m) if iso else None
    return None


def _month(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(name[:3].lower()) + 1


def parse_date(value: str) -> str | None:
    """``value`` as ISO when it is nothing but a date (a bare year counts here: the caller says it is one).

    >>> parse_date("2024"), parse_date("July 29, 2024"), parse_date("soon"), parse_date("2024-02-30")
    ('2024', '2024-07-29', None, None)
    """
    value = value.strip()
    if re.fullmatch(r"(?:19|20)\d\d", value):
        return value
    found = find_date(value)
    return found[0] if found and not _FILLER.sub("", value[:found[1].start()] + value[found[1].end():]) else None


def line_date(line: str) -> tuple[str, bool] | None:
    """(ISO date, labelled?) of a line that states a date and nothing else, or None.

    >>> line_date("Updated 3:04 AM EDT, July 29, 2024"), line_date("Published: 2025"), line_date("Almanac 2024")
    (('2024-07-29', True), ('2025', True), None)
    """
    label = _LABEL.match(line)
    rest = line[label.end():] if label else line
    if label and re.fullmatch(r"\s*(?:19|20)\d\d\s*", rest):
        return rest.strip(), True
    found = find_date(rest)
    if found and not _FILLER.sub("", rest[:found[1].start()] + rest[found[1].end():]):
        return found[0], bool(label)
    return None
