"""Acronyms and their expansions, read from the collection: a question's "us" finds "the United States".

What it does: people type the short form ("does japan buy its weapons from the
us", "what is sipri", "why does the sdf need ...") where articles often write
the long one ("its ally the United States", "the Stockholm International Peace
Research Institute"), and the reverse. Once per index (cached on it), every
run of capitalised words in the documents ("Self-Defense Forces", "United
States") is filed under its initials ("sdf", "us"); ``expansions`` gives, for
each word of a question that the sources write as an acronym (or never use at
all), the runs whose initials spell it, as stems. ``qa.answer.query`` counts a
sentence holding a whole expansion as holding the word.

An abbreviation of two initials joined by "&" ("R&D") is read the same way from
lower-case phrases ("research and development": ``ampersand_phrase``).

What it does not do: guess expansions the sources never write out, or read
acronyms with lower-case letters ("MoD").

>>> _names("Japan created its own Acquisition, Technology & Logistics Agency in 2015.")
[['Acquisition', 'Technology', '&', 'Logistics', 'Agency']]

>>> initials("Self-Defense Forces"), initials("Ministry of Defense"), initials("the")
('sdf', 'md', '')
"""

from __future__ import annotations

import re

from qa.answer.sentinfo import cached_on
from qa.index.lexical import tokenize, units_holding

_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_LINK = {"of", "and", "for", "the", "&", "on", "in"}  # inside a name, never an initial ("Ministry of Defense")
_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,6}\b")  # "U.S.", "SDF"
_QUESTION_WORD = re.compile(r"\b[A-Za-z]{2,6}\b")
RARE_SHARE = 0.01  # an acronym in more of the sentences than this (and 2) is the usual name of what it names
_LONGEST = 6  # words of a name
_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?:['’]s)?"  # "Self-Defense", "Institute's"
# a comma may stand inside a name that a list of capitalised words makes ("Acquisition, Technology & Logistics Agency")
_RUN = re.compile(rf"(?<![\w\-]){_WORD}(?:,?\s+(?:(?:of|and|for|the|&|on|in)\s+)*{_WORD})+(?![\w\-])")


def initials(name: str) -> str:
    """The lower-case initials of the capitalised words of ``name`` (hyphenated parts count apart)."""
    return "".join(w[0].lower() for w in re.split(r"[\s\-]+", name) if _CAPITALISED.fullmatch(w))


def _names(text: str) -> list[list[str]]:
    """Runs of two or more capitalised words (with the small words between them) in ``text``; any
    punctuation ends one ("the United States, Britain")."""
    return [[re.sub(r"['’]s$", "", w.rstrip(",")) for w in m.group().split()] for m in _RUN.finditer(text)]


def _table(index) -> tuple[dict[str, dict[tuple[str, ...], str]], frozenset[str]]:
    """initials -> {stems of a name with those initials: the name as written}; and the acronyms the
    documents write."""
    table: dict[str, dict[tuple[str, ...], str]] = {}
    written = set()
    for doc in index.docs:
        written |= {a.replace(".", "").lower() for a in _ACRONYM.findall(doc.text)}
        for run in _names(doc.text):
            for a in range(len(run)):
                for b in range(a + 2, min(len(run), a + _LONGEST) + 1):
                    name = run[a:b]
                    if name[0] in _LINK or name[-1] in _LINK:
                        continue
                    key = initials(" ".join(name))
                    if len(key) >= 2:
                        table.setdefault(key, {}).setdefault(tuple(tokenize(" ".join(name))), " ".join(name))
    return table, frozenset(written)


def _spelt(index, word: str, retriever) -> dict[tuple[str, ...], str]:
    """The expansions of ``word`` (stems: as written) when it is an acronym the sources write, or a word
    they never use, and use rarely -- in no more sentences than they write it out, and in at most
    ``RARE_SHARE`` of them ("SDF", "SIPRI"). Where the short form is the usual name ("U.S.", SQuAD's
    "EU"), it already finds what it names, and its expansions only shift the weights: hit@1 fell on the
    development set and SQuAD. ``retriever`` is the index's sentence BM25 (vocabulary and postings)."""
    table, written = cached_on(index, "_acronym_table", _table)
    key, stems = word.lower(), tokenize(word)
    if key not in table or len(stems) != 1 or (key not in written and stems[0] in retriever.vocab_dict):
        return {}
    found = {e: text for e, text in table[key].items() if e and stems[0] not in e}
    used = len(units_holding(retriever, stems[0:1]))
    rare = max(2.0, RARE_SHARE * retriever.scores["num_docs"])
    if found and used <= min(rare, max(len(units_holding(retriever, e)) for e in found)):
        return found
    return {}


def expansions(index, question: str, retriever) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Question stem -> the expansions (stem tuples) of the acronym it is (see ``_spelt``)."""
    out = {}
    for word in _QUESTION_WORD.findall(question):
        found = _spelt(index, word, retriever)
        if found:
            out[tokenize(word)[0]] = tuple(sorted(found))
    return out


def ampersand_phrase(index, word: str) -> str:
    """What an abbreviation of two initials joined by "&" ("R&D") stands for in the sources, as first written
    there ("research and development"), or "" where no source writes such a phrase.

    >>> class Doc: text = "Its research and development budget grew."
    >>> class Ix: docs = [Doc()]
    >>> ampersand_phrase(Ix(), "r&d"), ampersand_phrase(Ix(), "m&a")
    ('research and development', '')
    """
    letters = re.fullmatch(r"([a-z])&([a-z])", word.lower())
    if not letters:
        return ""
    phrase = re.compile(rf"(?i)\b{letters[1]}[a-z]+\s+(?:and|&)\s+{letters[2]}[a-z]+")
    return next((m.group() for doc in index.docs for m in [phrase.search(doc.text)] if m), "")


def spelt_out(index, word: str, retriever) -> list[str]:
    """The names, as the sources write them, that the acronym ``word`` stands for ("what is sipri")."""
    return sorted(_spelt(index, word, retriever).values()) if _QUESTION_WORD.fullmatch(word) else []

