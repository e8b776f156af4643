"""A question's words for what it asks about that no source uses: "who is the president of brazil".

What it does: ``unnamed_words`` reads the subject of a role, person, definition
or count question (``qa.answer.shapes``) and gives back, as typed, the words of
it the sources use in no spelling -- not as written, not through a stand-in,
not in parts, not as the start of a longer word -- save the common words that
only grade the noun after them ("japan's biggest contractor"). ``qa.answer.query``
keeps them on the ``Query`` (``unnamed``), and ``qa.answer.confidence`` refuses
such a question by rule: no passage can say who leads a university no source names.

What it does not do: know synonyms: "lecturer" is unnamed where the sources say "professor".
"""

from __future__ import annotations

import bisect
import re

from qa.answer.sentinfo import cached_on
from qa.answer.shapes import Shape
from qa.index.hybrid import Index
from qa.index.lexical import tokenize
from qa.ingest.textnorm import bare

# shapes whose subject is what the answer is about; a speech question's unnamed speaker is
# answered for by qa.answer.said, a "how many" subject is the thing counted
UNNAMED_SHAPES = ("role", "person", "definition", "typed")
# adjectives of size, age or rank: general English, said of anything
# (a closed list: an unusual one may be just what the sources don't say -- SQuAD part A's unanswerable
# "What is the softest problem in C?" of an article on the hardest ones)
_GRADING = re.compile(r"(?:old|new|big|small|large)(?:er|est)?|biggest|main|top|major|minor|key|current|recent|latest|"
                      r"former|early|earlier|late|later|best|worst|most|least|good|bad")


def unnamed_words(index: Index, shape: Shape, known: dict[str, bool]) -> tuple[str, ...]:
    """The words (as typed) of the subject of a role, person, definition or count question that no source uses: not
    as written, not through a stand-in, not in parts ("non-religious": "religious"; "seaplanes": "sea
    planes"; "f-35s": "f-35"), not as the start of a longer word ("dorm": "dormitories", "sub": "submarines").
    ``tests/test_plain_rules.py`` and ``tests/test_question_words.py`` have examples.
    """
    if shape.kind not in UNNAMED_SHAPES:
        return ()
    words = [(w, t) for w in shape.subject.split() for t in tokenize(w)]  # each stem with the word it stems
    unnamed = [w for k, (w, t) in enumerate(words) if not known.get(t, True) and not _named_otherwise(index, t, w)
               and not _grades(words, k)]
    # what a count counts may be called otherwise ("how many TC-90 planes" of "TC-90 training aircraft"),
    # as may a value's subject ("the original F-15 upgrade price" of "the initial U.S. estimate"): only a
    # thing none of whose words the sources use is unnamed ("how many calories")
    if (shape.kind == "typed" or shape.wants) and len(unnamed) < len(words):
        return ()
    return tuple(dict.fromkeys(bare(w).lower() for w in unnamed))  # as typed: "brazil"


def _grades(words: list[tuple[str, str]], k: int) -> bool:
    """Whether the subject's word ``k`` only grades the word after it ("the old tanks", "japan's biggest
    contractor"): a common adjective of size, age or rank names nothing; the noun it comes before does
    ("tanks", "contractor": still unnamed where no source uses it)."""
    word = words[k][0].lower()
    return k + 1 < len(words) and bool(_GRADING.fullmatch(word))


def _named_otherwise(index: Index, term: str, word: str, least: int = 3) -> bool:
    """Whether the sources use the word ``word`` (stemmed: ``term``) in another spelling."""
    vocab = index.bm25_sentences.vocab_dict
    if "-" in word and (term.removesuffix("s") in vocab or _in(word.rsplit("-", 1)[1], vocab)):
        return True  # a hyphenated plural the stemmer keeps whole ("two-seaters": "two-seater"; after a number,
        # "f-35s", compounds already stands "f-35" in); "non-religious": "religious"
    if any(_in(word[:k], vocab) and _in(word[k:], vocab) for k in range(least, len(word) - least + 1)):
        return True  # "seaplanes": "sea planes"
    if len(term) < least:
        return False
    # "dorm": "dormitories" -- the first source word at or after it in sorted order starts with it, if any does
    ordered = cached_on(index, "_sorted_vocab", lambda ix: sorted(ix.bm25_sentences.vocab_dict))
    at = bisect.bisect_left(ordered, term)
    return at < len(ordered) and ordered[at].startswith(term)


def _in(word: str, vocab: dict) -> bool:
    """Whether ``word``, stemmed, is one word the sources use ("training": "train")."""
    stems = tokenize(word)
    return len(stems) == 1 and stems[0] in vocab
