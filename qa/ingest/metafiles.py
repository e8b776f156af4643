"""Where the user states a document's title, publisher and date: ``sources.json`` and Markdown front matter.

What it does: reads ``sources.json`` in a documents folder --
``{"FILE.txt": {"title": ..., "publisher": ..., "date": ...}}`` -- checking
every entry (a file of the folder, an object, only those three fields, text
or null, a date that reads as one); an entry with a problem is left out and
the problems are summed up in one warning line, and a file that is no JSON
object is not used at all, with one line saying why: the documents index
either way. Reads the front matter of a ``.md`` file (``---`` lines around
``key: value`` lines at the very top). And lays the fields stated over the
ones the rules read (``qa.ingest.metadata``): the rules, then front matter,
then ``sources.json``; a field given as null or "" is unknown, whatever the
rules read.

What it does not do: read the documents (``qa.ingest.documents``), or take
front matter out of a file's text: quotes keep their offsets into the text as
read, so the front matter stays in it, marked as debris, never quoted.

>>> end, fields, problems = front_matter("---\\ntitle: 'Tanks'\\ndate: 2025-12-01\\n---\\nBody.")
>>> end, fields, problems
(40, {'title': 'Tanks', 'date': '2025-12-01'}, [])
>>> lay_over(Source(title="Rule", date="2024"), {"date": None, "publisher": "Reuters"})
Source(title='Rule', publisher='Reuters', date=None)
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

from qa.ingest.dates import parse_date
from qa.ingest.metadata import FIELDS, Source, publisher_name

SOURCES_FILE = "sources.json"
SHOWN_PROBLEMS = 3  # the warning stays one readable line however much is wrong
_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<body>(?:.*\r?\n)*?)---[ \t]*(?:\r?\n|\Z)")
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def front_matter(text: str) -> tuple[int, dict, list[str]]:
    """(where the front matter ends, its title/publisher/date, problems) of a Markdown text; (0, {}, []) without one."""
    m = _FRONT.match(text)
    if not m:
        return 0, {}, []
    fields, problems = {}, []
    for line in m.group("body").splitlines():
        kv = _KEY_VALUE.match(line)
        if kv and kv.group("key").lower() in FIELDS:
            value = kv.group("value")
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            problem = _value_problem(kv.group("key").lower(), value)
            if problem:
                problems.append(f"front matter {problem}; left out")
            else:
                fields[kv.group("key").lower()] = _normal(kv.group("key").lower(), value)
    return m.end(), fields, problems


def _normal(field: str, value: str | None) -> str | None:
    """A stated value as stored: the date as ISO, a publisher's abbreviation spelled out, blanks unknown."""
    if value is None or not value.strip():
        return None
    value = " ".join(value.split())
    return parse_date(value) if field == "date" else publisher_name(value) if field == "publisher" else value


def _value_problem(field: str, value) -> str | None:
    if value is not None and not isinstance(value, str):
        return f'"{field}" should be text or null'
    if field == "date" and value and value.strip() and parse_date(value) is None:
        return f'date "{value[:40]}" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
    return None


def _entry_problem(name, fields, names: set[str]) -> str | None:
    """What is wrong with one entry of ``sources.json``, or None."""
    if name not in names:
        return f'"{name[:60]}" is not a document of the folder'
    if not isinstance(fields, dict):
        return f'"{name}" should be an object with "title", "publisher" and "date"'
    unknown = [k for k in fields if k not in FIELDS]
    if unknown:
        return f'"{name}" has an unknown field "{str(unknown[0])[:40]}" (known: {", ".join(FIELDS)})'
    problem = next((p for p in (_value_problem(k, v) for k, v in fields.items()) if p), None)
    return f'"{name}": {problem}' if problem else None


def sources_file_sha256(folder: Path) -> str | None:
    """SHA-256 of the folder's ``sources.json``, None without one: an index records it to tell when it changed."""
    path = Path(folder) / SOURCES_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _load_json(path: Path, max_bytes: int):
    """The JSON value of ``path``; ValueError saying why it can't be used."""
    if path.stat().st_size > max_bytes:
        raise ValueError(f"is larger than the {max_bytes:,}-byte limit")
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except RecursionError:
        raise ValueError("is nested too deeply") from None


def read_sources_file(folder: Path, names: set[str], max_bytes: int = 20_000_000) -> tuple[dict[str, dict], str | None]:
    """The usable entries of ``folder/sources.json`` by file name, and one warning line (None when all is well)."""
    path = Path(folder) / SOURCES_FILE
    if not path.is_file():
        return {}, None
    try:
        data = _load_json(path, max_bytes)
    except (ValueError, OSError) as err:
        return {}, f"{SOURCES_FILE} {err}; not used"
    if not isinstance(data, dict):
        return {}, f'{SOURCES_FILE} should hold an object, {{"FILE.txt": {{"title": ...}}}}, not a {type(data).__name__}; not used'
    entries, problems = {}, []
    for name, fields in data.items():
        problem = _entry_problem(name, fields, names)
        if problem:
            problems.append(problem)
        else:
            entries[name] = {k: _normal(k, v) for k, v in fields.items()}
    if not problems:
        return entries, None
    more = f"; and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
    return entries, (f"{SOURCES_FILE}: {len(problems)} entr{'y' if len(problems) == 1 else 'ies'} not used: "
                     f"{'; '.join(problems[:SHOWN_PROBLEMS])}{more}")


def lay_over(source: Source, *stated: dict) -> Source:
    """``source`` with each field that ``stated`` gives (in order, the last winning) replaced; None clears one."""
    fields = asdict(source)
    for given in stated:
        fields.update({k: v for k, v in given.items() if k in FIELDS})
    return Source(**fields)
