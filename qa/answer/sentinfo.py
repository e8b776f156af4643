"""Per-sentence facts the ranker needs on every question, computed once per index.

What it does: for every sentence of an index, as numpy arrays: which
paragraph (a dense id) and which chunk it belongs to, whether its previous / next sentence
is in the same paragraph, its length (log words), and whether it holds a
number, a date or a name (for the answer-type feature). Cached on the index
object, so a question costs array look-ups, not Python loops over sentences.

What it does not do: anything that depends on the question.

>>> from qa.ingest.chunking import Sentence
>>> class Ix: sentences = [Sentence(0, 1, 0, 9, "It rose 5%.", 0), Sentence(0, 1, 10, 20, "Then it fell.", 0)]
>>> info = sentence_info(Ix())
>>> info.next_same.tolist(), info.has_number.tolist()
([True, False], [True, False])
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np

from qa.answer.question import fits_type
from qa.index.lexical import STOPWORDS


@dataclass(frozen=True)
class SentenceInfo:
    paragraph_id: np.ndarray   # int, dense id of (doc, paragraph)
    chunk: np.ndarray          # int, the enclosing chunk's row
    prev_same: np.ndarray      # bool
    next_same: np.ndarray      # bool
    log_words: np.ndarray      # float32, log1p(words) / 4
    has_number: np.ndarray     # bool
    has_date: np.ndarray
    has_person: np.ndarray
    antecedent: np.ndarray     # int, the row of the sentence before one that refers back to it, else -1

    def fits(self, wanted: str | None) -> np.ndarray | None:
        return {"number": self.has_number, "date": self.has_date, "person": self.has_person}.get(wanted)


def _compute(sentences) -> SentenceInfo:
    keys = [(s.doc, s.paragraph) for s in sentences]
    ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    pid = np.array([ids[k] for k in keys], dtype=np.int64)
    same = pid[1:] == pid[:-1]
    return SentenceInfo(
        paragraph_id=pid, chunk=np.array([s.chunk for s in sentences], dtype=np.int64),
        prev_same=np.concatenate([[False], same]), next_same=np.concatenate([same, [False]]),
        log_words=np.array([np.log1p(len(s.text.split())) / 4 for s in sentences], dtype=np.float32),
        has_number=np.array([fits_type(s.text, "number") for s in sentences], dtype=bool),
        has_date=np.array([fits_type(s.text, "date") for s in sentences], dtype=bool),
        has_person=np.array([fits_type(s.text, "person") for s in sentences], dtype=bool),
        antecedent=np.array([k - 1 if k and sentences[k - 1].doc == s.doc and refers_back(s.text) else -1
                             for k, s in enumerate(sentences)], dtype=np.int64),
    )


_PRONOUN = re.compile(r"(?i)^(?:he|she|they|it|his|her|their|its|him|them|this|these|those|such)$")  # "These settlers"
REFERS_WITHIN = 4  # words: a pronoun this early, before any name, stands for someone the sentence before named


def refers_back(text: str) -> bool:
    """Whether ``text`` opens by referring to what the sentence before named: a pronoun among its
    first words with no name before it ("During their roughly 100-minute meeting, the two ...").

    >>> refers_back("During their meeting, they agreed."), refers_back("Japan created its own agency."), refers_back("It rose.")
    (True, False, True)
    """
    for k, word in enumerate(text.split()[:REFERS_WITHIN]):
        bare = re.sub(r"\W", "", word)
        if k == 0 and word[:1] in "“\"‘'":
            return False  # a quotation opens: its "it" is the speaker's
        if _PRONOUN.match(bare):
            return True
        if k == 0 and bare.lower() not in STOPWORDS or k and word[:1].isupper():
            return False  # a name comes first: the pronoun is its
    return False


def sentence_info(index) -> SentenceInfo:
    """The (cached) ``SentenceInfo`` of ``index``."""
    return cached_on(index, "_sentence_info", lambda ix: _compute(ix.sentences),
                     current=lambda info: len(info.paragraph_id) == len(index.sentences))


def cached_on(index, attr: str, compute, current=lambda value: True):
    """``compute(index)``, kept on ``index`` as ``attr`` and reused while ``current(value)`` holds.

    Per-index facts every question reads are computed once this way; an
    object that takes no new attributes gets them computed each time.

    >>> class Ix: pass
    >>> ix, calls = Ix(), []
    >>> cached_on(ix, "_n", lambda i: calls.append(1) or 7), cached_on(ix, "_n", lambda i: calls.append(1) or 7), len(calls)
    (7, 7, 1)
    """
    value = getattr(index, attr, None)
    if value is None or not current(value):
        value = compute(index)
        try:
            setattr(index, attr, value)
        except AttributeError:
            pass
    return value
