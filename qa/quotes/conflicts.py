"""Spot sources that report the same fact differently, so both are shown.

What it does: for the passages an answer or a verification shows, looks
for another file that disagrees, by three simple rules:

- name: a person named in the passage shares a surname with a person the
  other file names, the first names differ, and the other file never uses
  the passage's full name ("Masatoshi Fukasawa" / "Masaki Fukasawa");
- title: the same full name is given an appositive title ("NAME, TITLE")
  in both files and neither title's content words contain the other's;
- number: a sentence of the passage and a sentence of the other file share
  most of their content words (at least 4, and half of the shorter one's)
  but give different numbers for the same unit ("12th largest" / "10th
  largest", "¥200 billion" / "¥300 billion"), neither number appearing in
  the other sentence.

Each conflict is ``{"kind", "summary", "passages": [two verbatim passages]}``,
the passage being the sentence holding the disagreeing words.

What it does not do: decide which source is right, or find disagreements
phrased in words ("rose" / "fell").

>>> from qa.ingest.documents import parse_document
>>> from qa.index.hybrid import build_index
>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> a = parse_document("a.txt", "The talks were led by Masatoshi Fukasawa, head of the agency.")
>>> b = parse_document("b.txt", "The talks were led by Masaki Fukasawa, head of the agency.")
>>> index = build_index([a, b], FakeEmbedder(), Config())[0]
>>> [(c["kind"], [p["file"] for p in c["passages"]]) for c in conflicts_for(index, [("a.txt", 0, 61)])]
[('name', ['a.txt', 'b.txt'])]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache

import numpy as np

from qa.index.hybrid import Index
from qa.index.lexical import bm25_scores, tokenize
from qa.ingest.people import Mention, person_mentions

_NUMBER = re.compile(r"(?P<cur>[$¥€£])?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<suf>%|st\b|nd\b|rd\b|th\b)?"
                     r"(?:\s*(?P<scale>million|billion|trillion)\b)?(?:\s+(?P<unit>[a-z]+))?", re.I)
_CURRENCY = {"$": "dollar", "¥": "yen", "€": "euro", "£": "pound"}
_NOT_UNITS = {"in", "to", "from", "and", "or", "for", "of", "by", "on", "at", "the", "a", "with", "was", "is"}
MIN_SHARED = 4
SIMILAR_SENTENCES = 10

_CACHE: dict[int, tuple[Index, dict]] = {}


def _state(index: Index) -> dict:
    """Per-index lookups, built once: people by surname, document positions, sentence keys."""
    cached = _CACHE.get(id(index))
    if cached is None or cached[0] is not index:
        people = defaultdict(list)  # surname (lower case) -> [(file, Mention)]
        for doc in index.docs:
            for m in person_mentions(doc):
                people[m.name.split()[-1].lower()].append((doc.name, m))
        state = {"people": dict(people), "pos": {d.name: i for i, d in enumerate(index.docs)},
                 "keys": [(s.doc, s.start) for s in index.sentences]}
        _CACHE.clear()  # a process serves one index at a time
        _CACHE[id(index)] = cached = (index, state)
    return cached[1]


def _rows(index: Index, file: str, start: int, end: int) -> list[int]:
    """Rows of the indexed sentences of ``file`` overlapping ``[start, end)``."""
    state = _state(index)
    pos, keys = state["pos"][file], state["keys"]
    i, rows = max(bisect_right(keys, (pos, start)) - 1, 0), []
    while i < len(keys) and keys[i] < (pos, max(end, start + 1)):
        if keys[i][0] == pos and index.sentences[i].end > start:
            rows.append(i)
        i += 1
    return rows


def _passage(index: Index, file: str, start: int, end: int) -> dict:
    """The indexed sentence(s) around ``[start, end)`` of ``file``, or its paragraph."""
    doc = index.docs[_state(index)["pos"][file]]
    rows = _rows(index, file, start, end)
    if rows:
        a, b, number = index.sentences[rows[0]].start, index.sentences[rows[-1]].end, index.sentences[rows[0]].paragraph
    else:
        p = next(p for p in doc.paragraphs if p.start <= start < p.end)
        a, b, number = p.start, p.end, p.number
    return {"file": file, "paragraph": number, "start": a, "end": b, "quote": doc.text[a:b]}


def _title_words(title: str) -> frozenset[str]:
    return frozenset(_tokens(title))


def _name_conflicts(index: Index, file: str, m: Mention) -> list[dict]:
    """Other files' other full names for ``m``'s surname, and other titles for ``m``'s full name."""
    others = [(f, o) for f, o in _state(index)["people"].get(m.name.split()[-1].lower(), []) if f != file]
    same = {f for f, o in others if o.name.lower() == m.name.lower()}
    first: dict[tuple, tuple[str, Mention]] = {}  # one conflict per differing name or title: its first file
    for f, o in others:
        if f not in same:
            first.setdefault(("name", o.name.lower()), (f, o))
        elif o.name.lower() == m.name.lower() and m.title and o.title:
            mine, theirs = _title_words(m.title), _title_words(o.title)
            if not (mine <= theirs or theirs <= mine):
                first.setdefault(("title", theirs), (f, o))
    return [_describe(index, kind, file, m, f, o) for (kind, _), (f, o) in first.items()]


def _describe(index: Index, kind: str, file: str, m: Mention, f: str, o: Mention) -> dict:
    here, there = _passage(index, file, m.start, m.end), _passage(index, f, o.start, o.end)
    a, b = f"{here['file']} ¶{here['paragraph']}", f"{there['file']} ¶{there['paragraph']}"
    summary = (f"different first names for {m.name.split()[-1]}: “{m.name}” ({a}) vs “{o.name}” ({b})" if kind == "name"
               else f"different titles for {m.name}: “{m.title}” ({a}) vs “{o.title}” ({b})")
    return {"kind": kind, "summary": summary, "passages": [here, there]}


@lru_cache(maxsize=65_536)
def _numbers(text: str) -> dict[tuple, frozenset[str]]:
    """Numbers of ``text`` by unit: ("yen", "billion", "") -> {"200"}; bare numbers only as years."""
    out: dict[tuple, set[str]] = defaultdict(set)
    for m in _NUMBER.finditer(text):
        num, suf = m.group("num").replace(",", ""), (m.group("suf") or "").lower()
        unit = (m.group("unit") or "").lower()
        unit = "" if unit in _NOT_UNITS else unit.rstrip("s")
        unit = "%" if suf == "%" or unit == "percent" else _CURRENCY.get(m.group("cur") or "", unit)
        if not unit and re.fullmatch(r"(19|20)\d\d", num):
            unit = "year"
        if unit:
            out[(unit, (m.group("scale") or "").lower(), "ordinal" if suf not in ("", "%") else "")].add(num)
    return {unit: frozenset(nums) for unit, nums in out.items()}


@lru_cache(maxsize=65_536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


def _same_fact(a: str, b: str) -> bool:
    """Whether two sentences share most of their content words (numbers aside)."""
    ca, cb = ({t for t in _tokens(x) if not any(c.isdigit() for c in t)} for x in (a, b))
    return len(ca & cb) >= max(MIN_SHARED, min(len(ca), len(cb)) / 2)


def _similar_rows(index: Index, text: str) -> list[int]:
    """The ``SIMILAR_SENTENCES`` indexed sentences most like ``text`` by BM25."""
    scores = bm25_scores(index.bm25_sentences, list(_tokens(text)))
    k = min(SIMILAR_SENTENCES, len(scores))
    return [int(r) for r in np.argpartition(-scores, k - 1)[:k]] if k else []


def _unit_words(unit: tuple) -> str:
    """("yen", "billion", "") -> "billion yen"; ("largest", "", "ordinal") -> "ordinal, largest"."""
    name, scale, ordinal = unit
    return ", ".join(w for w in (ordinal, f"{scale} {name}".strip()) if w)


def _number_conflicts(index: Index, row: int) -> list[dict]:
    s = index.sentences[row]
    mine = _numbers(s.text)
    out = []
    for o in (index.sentences[r] for r in _similar_rows(index, s.text) if mine):
        theirs = _numbers(o.text)
        units = [u for u in mine if u in theirs and not (mine[u] & theirs[u])]
        if o.doc == s.doc or not units or not _same_fact(s.text, o.text):
            continue
        here = _passage(index, index.docs[s.doc].name, s.start, s.end)
        there = _passage(index, index.docs[o.doc].name, o.start, o.end)
        out += [{"kind": "number", "passages": [here, there],
                 "summary": f"different numbers ({_unit_words(u)}): “{', '.join(sorted(mine[u]))}” "
                            f"({here['file']} ¶{here['paragraph']}) vs “{', '.join(sorted(theirs[u]))}” "
                            f"({there['file']} ¶{there['paragraph']})"} for u in units]
    return out


def conflicts_for(index: Index, spans: list[tuple[str, int, int]]) -> list[dict]:
    """Conflicts touching the passages ``(file, start, end)``, each listed once."""
    out, seen = [], set()
    for file, start, end in spans:
        if file not in _state(index)["pos"]:
            continue
        doc = index.docs[_state(index)["pos"][file]]
        found = [c for m in person_mentions(doc) if start <= m.start < end for c in _name_conflicts(index, file, m)]
        found += [c for r in _rows(index, file, start, end) for c in _number_conflicts(index, r)]
        for c in found:
            # the same disagreement, seen from either side or from several copies, is listed once
            key = (c["summary"].split(":")[0], frozenset(re.findall(r"“([^”]*)”", c["summary"])))
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out
