"""A question word the sources never use, as they spell it: without accents, or one slip of the keys away.

What it does: for a word of the question that no source uses (a stem),
``respellings`` gives the source words that stand for it:

- the same word with the sources' accents ("Maiziere" for "Maizière",
  "Jeronimo" for "Jerónimo"; a typed accent the sources lack is one edit,
  as below);
- else, for a word of at least ``MIN_LENGTH`` letters that is not an
  English word, the source words one edit away (two from ``TWO_EDITS``
  letters; a swap of two letters is one edit): "Novermber", "goverment",
  "Masstricht", "Mitsubshi". People type questions fast; the sources are
  edited.

It leaves alone what is more often a different word than a slip: a short
word ("thing" is not "think"), an English word ("Finnish" is not
"finish", "resolution" not "revolution"), and a word that is the other
with a start added or taken away ("synchronous" is not "asynchronous",
"Russia" not "Prussia"). English words are the whole words of the
embedding model's WordPiece vocabulary (``english_words``), which a slip
of the keys rarely spells.

``respelled`` reads an index's words for it (prepared once per index), and
``source_word`` gives a stem as the sources write it, for the question that is
embedded ("who met in Hawaii", not "haawii").

What it does not do: decide what a question means (``qa.answer.query``
adds these as stand-ins, as it does irregular forms and compounds).

>>> words = SourceWords(["novemb", "maastricht", "finish", "asynchron", "think", "maizièr"])
>>> respellings("novermb", "novermber", words, set()), respellings("masstricht", "masstricht", words, set())
(('novemb',), ('maastricht',))
>>> respellings("maizier", "maiziere", words, set()), respellings("thing", "thing", words, set())
(('maizièr',), ())
>>> respellings("synchron", "synchronous", words, set()), respellings("finnish", "finnish", words, {"finnish"})
((), ())
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from qa.answer.sentinfo import cached_on
from qa.index.embedding import DEFAULT_MODEL, ModelNotFound, resolve_model
from qa.index.lexical import tokenize, units_holding
from qa.ingest.textnorm import bare

MIN_LENGTH = 6   # stems shorter than this are one edit from too many other words ("spend": "speed", "spent")
TWO_EDITS = 9    # stems this long may be two edits away ("charecter": "character" is one, "intercolleiate" two)
MAX_RESPELLINGS = 2


def fold(word: str) -> str:
    """``word`` without its accents ("maizièr" -> "maizier")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def respellings(term: str, typed: str, words: SourceWords, english: set[str]) -> tuple[str, ...]:
    """The source words (stems) standing for the unknown stem ``term`` of the word ``typed`` (lower case)."""
    same = tuple(w for w in words.by_folded.get(fold(term), ()) if w != term)
    if same:
        return same[:MAX_RESPELLINGS]
    if len(term) < MIN_LENGTH or not term.isalpha() or typed in english:
        return ()
    edits = 2 if len(term) >= TWO_EDITS else 1
    found = [(w, d) for w, d, _ in process.extract(term, words.words, scorer=OSA.distance, score_cutoff=edits,
                                                   limit=None) if not _affixed(term, w)]
    if not found:
        return ()
    least = min(d for _, d in found)
    return tuple(sorted(w for w, d in found if d == least))[:MAX_RESPELLINGS]


class SourceWords:
    """The sources' words (stems) as ``respellings`` reads them, prepared once per index: those of letters
    only, and the accented ones by their form without accents."""

    def __init__(self, vocabulary):
        self.words = [w for w in vocabulary if w.isalpha()]
        self.by_folded: dict[str, list[str]] = {}
        for w in self.words:
            if not w.isascii():
                self.by_folded.setdefault(fold(w), []).append(w)


def respelled(index, term: str, typed: str) -> tuple[str, ...]:
    """``respellings`` of the unknown stem ``term`` (typed ``typed``, lower case) among ``index``'s words."""
    words = cached_on(index, "_spelling_words", lambda ix: SourceWords(ix.bm25_sentences.vocab_dict))
    return respellings(term, typed, words, english_words())


def source_word(index, stem: str) -> str:
    """A word of the sources stemming to ``stem``, as written ("Hawaii" for "hawaii")."""
    rows = units_holding(index.bm25_sentences, (stem,))
    for word in (index.sentences[int(rows[0])].text.split() if len(rows) else ()):
        if tokenize(plain_word(word)) == [stem]:
            return plain_word(word)
    return stem


def plain_word(word: str) -> str:
    """``word`` without edge punctuation or a possessive ("Maiziere's" -> "Maiziere")."""
    return re.sub(r"['’]s$", "", bare(word))


def _affixed(a: str, b: str) -> bool:
    """Whether one word is the other with letters added at its start ("asynchron", "prussia"); a letter
    missing at the end is a slip ("maastrich")."""
    short, long_ = sorted((a, b), key=len)
    return long_.endswith(short)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The whole words (lower case, letters only) of the bundled embedding model's vocabulary; empty without it."""
    try:
        lines = (Path(resolve_model(DEFAULT_MODEL)) / "vocab.txt").read_text(encoding="utf-8").split()
    except (ModelNotFound, OSError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower())
