"""Who said each sentence of an index, and which of them a question's NAME (or role) means.

What it does: reads, once per index and cached on it, the speaker the
sources give each sentence (``qa.ingest.speakers``: quotes and their
"NAME said" / "he said" attribution, indirect speech in the same sentence)
and what each person is called there -- their name's words plus the title
the documents give them ("Defense Minister Gen Nakatani", "Jon Grevatt, an
analyst at ...") -- so "What did the minister say?" and "What did grevatt
say?" both find their speaker. ``said_rows`` gives the sentence rows
attributed to the people a subject names.

What it does not do: rank those sentences (``qa.answer.shaped`` does).

>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> from qa.index.hybrid import build_index
>>> from qa.ingest.documents import parse_document
>>> text = "Rahm Emanuel, the U.S. ambassador, spoke.\\n\\n“We will win,” he said. It rained."
>>> index, _ = build_index([parse_document("a.txt", text)], FakeEmbedder(), Config(model="fake"))
>>> said_rows(index, "emanuel"), said_rows(index, "the ambassador"), said_rows(index, "Joe Biden")
([1], [1], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.sentinfo import cached_on
from qa.index.lexical import tokenize, units_holding
from qa.ingest.people import person_mentions
from qa.ingest.speakers import ATTRIBUTION_VERBS, find_speaker

_WORD = re.compile(r"[a-z0-9]+")
_IGNORED = {"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "s", "and", "for", "in", "at", "to"}
# what a source that is given words does a few words after its name ("China's foreign ministry said")
_SPEECH_VERBS = "|".join(ATTRIBUTION_VERBS + ("say", "states", "announced", "believes?", "thinks?", "writes", "reported",
                                              "reports", "expressed", r"emphasi[sz]ed"))


@dataclass(frozen=True)
class SpeechMap:
    speaker: tuple[str | None, ...]      # per sentence row: who the sources say spoke it
    described: dict[str, frozenset[str]]  # speaker -> the words of their name and titles
    people: frozenset[str]               # every person the documents name (quoted or not)


def word_list(text: str) -> list[str]:
    """Lower-case content words of ``text``, in order ("the U.S. Navy's" -> ["us", "navy"])."""
    text = text.lower().replace("’s", "").replace("'s", "").replace("u.s.", "us").replace("u.k.", "uk")
    return [w for w in _WORD.findall(text) if w not in _IGNORED]


def words(text: str) -> set[str]:
    """Lower-case content words of ``text`` ("Nakatani's" -> {"nakatani"})."""
    return set(word_list(text))


def _descriptions(docs, speakers: set[str]) -> dict[str, frozenset[str]]:
    out = {name: set(words(name)) for name in speakers}
    for doc in docs:
        for m in person_mentions(doc):
            if m.name in out:
                out[m.name] |= words(m.title or "") | words(m.before)
    return {name: frozenset(ws) for name, ws in out.items()}


def speech_map(index) -> SpeechMap:
    """The (cached) ``SpeechMap`` of ``index``."""
    return cached_on(index, "_speech_map", _speech_map, current=lambda m: len(m.speaker) == len(index.sentences))


def _speech_map(index) -> SpeechMap:
    speaker = []
    for s in index.sentences:
        found = find_speaker(index.docs[s.doc], s.start, s.end)
        speaker.append(found.name if found else None)
    people = frozenset(m.name for doc in index.docs for m in person_mentions(doc))
    return SpeechMap(tuple(speaker), _descriptions(index.docs, {n for n in speaker if n}), people)


def matching_speakers(described: dict[str, frozenset[str]], subject: str) -> list[str]:
    """The speakers ``subject`` names: every word of it in their name, else in their name and titles.

    >>> d = {"Gen Nakatani": frozenset({"gen", "nakatani", "defense", "minister"}), "Jon Grevatt": frozenset({"jon", "grevatt"})}
    >>> matching_speakers(d, "nakatani"), matching_speakers(d, "the defense minister"), matching_speakers(d, "Biden")
    (['Gen Nakatani'], ['Gen Nakatani'], [])
    """
    wanted = words(subject)
    if not wanted:
        return []
    by_name = [n for n in described if wanted <= words(n)]
    return by_name or [n for n, ws in described.items() if wanted <= ws]


def said_rows(index, subject: str) -> list[int]:
    """Sentence rows the sources attribute to the speaker(s) ``subject`` names, in document order."""
    speeches = speech_map(index)
    names = set(matching_speakers(speeches.described, subject))
    return [row for row, name in enumerate(speeches.speaker) if name in names]


def names_unquoted_person(index, subject: str) -> bool:
    """Whether ``subject`` names a person the documents mention but never quote ("What did Biden say?"
    when Biden only appears as a name): a sign the sources don't say."""
    speeches = speech_map(index)
    wanted = words(subject)
    if not wanted or matching_speakers(speeches.described, subject):
        return False
    return any(wanted <= words(name) for name in speeches.people)


def names_silent_speaker(index, subject: str) -> bool:
    """Whether ``subject`` ("China", "the U.S. Navy") is named by the sources but never given words: no
    sentence is attributed to it, none has it say, tell or report anything ("China said", "according
    to China"), and it is not a person they quote.
    (``tests/test_plain_rules.py`` has examples.)
    """
    wanted = word_list(subject)
    if not wanted or said_rows(index, subject):
        return False
    # word_list reads "U.S." and "U.K." as "us" and "uk": the sentences may write either
    name = r"[\s.\-]+".join(rf"{w[0]}\.?{w[1]}\.?" if w in ("us", "uk") else re.escape(w) for w in wanted)
    named = re.compile(rf"(?i)\b{name}(?!\w)")
    spoke = re.compile(rf"(?i)\b{name}(?!\w)\W*(?:[\w\-]+(?:'s|’s)?\s+){{0,3}}?(?:{_SPEECH_VERBS})\b|according to (?:the\s+)?{name}(?!\w)")
    # only the sentences holding the subject's words (the index's postings): a scan of every sentence
    # per question would not scale
    texts = [index.sentences[int(r)].text for r in units_holding(index.bm25_sentences, tuple(tokenize(subject)))]
    return any(named.search(t) for t in texts) and not any(spoke.search(t) for t in texts)
