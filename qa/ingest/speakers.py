"""Who said a passage: the speaker a source names around it.

What it does: finds the quotation a span sits in and reads the attribution
around it, in the reporter's words only -- ``"...," said NAME, TITLE``,
``NAME said``, ``X told reporters``, ``according to X``, ``in a statement,
the Agency acknowledged`` -- first in the rest of the quotation's sentence,
then before the opening mark, then (for a paragraph that is only a quote)
in the two paragraphs before. ``he said`` / ``she said`` is resolved to the
person named nearest before it, across paragraph breaks, and a bare surname
(``Emanuel said``) to the full name the document gave (``Rahm Emanuel``,
``qa.ingest.people``). ``speaker_check`` compares a claimed speaker with the one
found; a surname match counts.

What it does not do: parse grammar. It is a handful of news-style patterns;
it returns None rather than guess when none applies, and never resolves
"they".

>>> from qa.ingest.documents import parse_document
>>> text = "Rahm Emanuel spoke first.\\n\\n\\u201cWe will win,\\u201d he said."
>>> doc = parse_document("a.txt", text)
>>> find_speaker(doc, text.index("We"), text.index(",")).name
'Rahm Emanuel'
>>> speaker_check("Emanuel", "Rahm Emanuel"), speaker_check("Jon Grevatt", "Rahm Emanuel")
('confirmed', 'contradicted')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.ingest.documents import Document, Paragraph
from qa.ingest.people import RUN, clean_name, full_name, narrative, person_mentions, quote_segments

# the verbs that attribute words to a source in a reporter's sentence (qa.answer.said reads them too)
ATTRIBUTION_VERBS = ("said", "says", "told", "tells", "added", "adds", "noted", "explained", "argued", "stressed", "warned",
                     "acknowledged", "stated", "wrote", "insisted", "asserted", "claimed", "replied", "recalled")
_VERB = rf"(?:{'|'.join(ATTRIBUTION_VERBS)})"
_ORG = r"\b[Tt]he\s+[A-Z][\w\-]*(?:(?:,\s*|\s+)(?:&\s+|and\s+)?[A-Z][\w\-]*)*"
_OF_ORG = r"(?:\s+of\s+(?:the\s+)?[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*)?"  # "Jon Grevatt of Janes said": Grevatt spoke
# "NAME called it “…”" attributes; "talks called the Forum" names (so "called" is no verb before a subject)
_SUBJECT_VERB = re.compile(rf"(?P<name>{_ORG}|{RUN}|\b[Hh]e\b|\b[Ss]he\b){_OF_ORG}(?:,[^,\"“”\n]{{1,150}},)?\s+(?:{_VERB}|called|calls)\b")
_VERB_SUBJECT = re.compile(rf"\b{_VERB}\s+(?P<name>{_ORG}|{RUN})")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<name>(?:[^,;.\"“”\n]|(?<=[A-Z])\.)+)")
_PERSON = re.compile(RUN)
_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?](?=\s|$)")  # "U.S." ends no sentence


@dataclass(frozen=True)
class Attribution:
    name: str   # the speaker as the source names them, surnames expanded
    cue: str    # the words that attribute the quote, verbatim from the source
    start: int  # where the cue is in the document text
    end: int


def _pronoun(doc: Document, pos: int) -> str | None:
    """The person named nearest before ``pos`` (the referent of "he"/"she")."""
    names = [(m.start, m.name) for m in person_mentions(doc)] + list(_cue_people(doc)) + list(_surnames(doc))
    earlier = [n for n in names if n[0] < pos]
    return max(earlier)[1] if earlier else None


@lru_cache(maxsize=512)
def _cue_people(doc: Document) -> tuple[tuple[int, str], ...]:
    """People named by speech cues ("Yamada said"), expanded to full names."""
    out = []
    for p in doc.paragraphs:
        for m in _SUBJECT_VERB.finditer(narrative(p.text)):
            name = clean_name(m.group("name"))
            if name and name.lower() not in ("he", "she"):
                out.append((p.start + m.start(), full_name(doc, name, p.start + m.start())))
    return tuple(out)


@lru_cache(maxsize=512)
def _surnames(doc: Document) -> tuple[tuple[int, str], ...]:
    """Later mentions of a person by surname alone ("Grevatt was hopeful"), as their full name."""
    fulls = {m.name.split()[-1]: m for m in person_mentions(doc)}
    out = []
    for p in doc.paragraphs:
        for m in _PERSON.finditer(narrative(p.text)):
            known = fulls.get(m.group())
            if known is not None and known.start < p.start + m.start():
                out.append((p.start + m.start(), full_name(doc, m.group(), p.start + m.start())))
    return tuple(out)


def _resolve(doc: Document, raw: str, pos: int) -> str | None:
    raw = " ".join(raw.split())
    if raw.lower() in ("he", "she"):
        return _pronoun(doc, pos)
    if raw.lower().startswith("the "):
        return raw
    person = next((clean_name(m.group()) for m in _PERSON.finditer(raw) if clean_name(m.group())), None)
    if person:
        return full_name(doc, person, pos)
    return raw if raw[:1].islower() else None  # "according to the latest survey by ..."


def _cues(doc: Document, p: Paragraph, lo: int, hi: int) -> list[Attribution]:
    """Attributions found in the narrative of ``p.text[lo:hi]``, in order."""
    masked = narrative(p.text)[:hi]
    found = []
    for rx in (_SUBJECT_VERB, _VERB_SUBJECT, _ACCORDING):
        for m in rx.finditer(masked, lo):
            start = p.start + m.start()
            name = _resolve(doc, m.group("name"), start)
            if name:
                found.append(Attribution(name, doc.text[start:p.start + m.end()], start, p.start + m.end()))
    kept: list[Attribution] = []
    for a in sorted(found, key=lambda a: (a.start, -a.end)):  # "Emanuel said the U.S. ...": not "said the U"
        if not kept or a.start >= kept[-1].end:
            kept.append(a)
    return kept


def _quoted(doc: Document, p: Paragraph, seg: tuple[int, int]) -> Attribution | None:
    """The speaker of quotation ``seg`` of paragraph ``p``."""
    ended = re.search(r"[.!?][\"”]$", p.text[:seg[1]]) and re.match(r"\s*[A-Z]", p.text[seg[1]:])
    end = _SENTENCE_END.search(narrative(p.text), seg[1])  # the attribution's sentence, quotes skipped
    after = [] if ended else _cues(doc, p, seg[1], end.end() if end else len(p.text))
    before = _cues(doc, p, 0, seg[0])
    if after or before:
        return after[0] if after else before[-1]
    earlier = [q for q in doc.paragraphs if q.number in (p.number - 1, p.number - 2)]
    for q in reversed(earlier if seg[0] == 0 else []):  # a paragraph of only a quote continues the last speaker
        found = _cues(doc, q, 0, len(q.text))
        if found:
            return found[-1]
    return None


def find_speaker(doc: Document, start: int, end: int) -> Attribution | None:
    """Who the source says spoke the words at ``doc.text[start:end]``, or None."""
    paragraphs = [p for p in doc.paragraphs if p.start < max(end, start + 1) and start < p.end]
    for p in paragraphs:
        lo, hi = max(start, p.start) - p.start, min(end, p.end) - p.start
        seg = next((s for s in quote_segments(p.text) if s[0] < hi and lo < s[1]), None)
        if seg:
            return _quoted(doc, p, seg)
    if not paragraphs:
        return None
    p = paragraphs[0]  # unquoted words: an attribution in the same sentence, if any
    lo, hi = _sentence(p.text, start - p.start, min(end, p.end) - p.start)
    found = _cues(doc, p, lo, hi)
    return found[0] if found else None


def _sentence(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Bounds of the sentence(s) of ``text`` holding ``[lo, hi)``; "U.S." does not end one."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return max((e for e in ends if e <= lo), default=0), min((e for e in ends if e >= hi), default=len(text))


def _key(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return words[1:] if words[:1] == ["the"] else words


def speaker_check(claimed: str | None, found: str | None) -> str | None:
    """'confirmed', 'contradicted' or 'unknown' (None when nothing was claimed)."""
    if not claimed:
        return None
    if not found:
        return "unknown"
    a, b = _key(claimed), _key(found)
    return "confirmed" if a and b and (a == b or a[-1] == b[-1]) else "contradicted"


def is_quotation(text: str) -> bool:
    """Whether ``text`` holds quoted words (a quote mark of any kind)."""
    return any(ch in text for ch in "“”\"")


def attach_speakers(index, passages) -> None:
    """Set ``speaker`` on each answer passage that quotes someone."""
    for p in passages:
        doc = index.doc_by_name(p.file)
        if doc is not None and is_quotation(p.quote):
            found = find_speaker(doc, p.start, p.end)
            p.speaker = found.name if found else None
