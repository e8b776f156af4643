"""Which candidate sentences have the form a question's shape asks for.

What it does: for the candidates of a question of shape ``definition``,
``person`` or ``role`` (``qa.answer.shapes``), marks the sentences built the
way such an answer is built -- an acronym's expansion ("... Agency (ATLA)"),
a definition ("X, a ...", "X is the ...", "known as X"), a person's
title ("Jon Grevatt, an analyst at ...", "Defense Minister Gen Nakatani"),
a person named in a role ("... head of X, NAME") -- and ``promote`` moves
marked ones that score close to the best to the front; a ``typed``
question's near-best sentences holding the value it asks for move first
the same way (``qa.answer.typed``).

What it does not do: decide whether to answer (``qa.answer.confidence``).

>>> defines("ATLA", "It set up the Acquisition, Technology and Logistics Agency (ATLA) in 2015.")
True
>>> defines("ATLA", "ATLA will fund the work."), defines("readiness plan", "The readiness plan, a five-year budget, ...")
(False, True)
>>> defines("two plus two", "the Security Consultative Committee, or “two-plus-two,” to be held in July")
True
"""

from __future__ import annotations

import re

import numpy as np

from qa.answer.acronyms import spelt_out
from qa.answer.cues import asks_warning, cue_marks, warns
from qa.answer.retrieval import Scored, coverage
from qa.answer.said import said_rows, words
from qa.answer.sentinfo import cached_on
from qa.answer.typed import value_marks
from qa.ingest.people import person_mentions

PROMOTE_RATIO = 0.6   # a marked sentence moves first when it scores at least this share of the best

_ROLE_WORDS = {"head", "heads", "headed", "chief", "leader", "leads", "led", "director", "president", "chairman",
               "chair", "minister", "secretary", "commissioner", "ambassador", "manager", "runs", "ceo", "boss"}
# whoever leads it is its head, whatever the title ("the head of ATLA": its Commissioner)
_ANY_TITLE = {"head", "heads", "headed", "chief", "leader", "leads", "led", "manager", "runs", "boss"}


def _subject_pattern(subject: str) -> str:
    return r"[\s\-]+".join(re.escape(w) for w in subject.split())


def defines(subject: str, sentence: str) -> bool:
    """Whether ``sentence`` expands or defines ``subject`` (an acronym, a name, a thing)."""
    s = _subject_pattern(subject.strip(" \"“”'?"))
    if not s:
        return False
    if re.fullmatch(r"[A-Za-z0-9&\-]{2,8}", subject) and re.search(rf"(?i)\(\s*{s}\s*\)|\b{s}\s*\(|\b{s}\s*[,–—-]\s+(?:or|the)\b", sentence):
        return True
    return bool(re.search(rf"(?i)\b{s}[\"”]?(?:,\s+(?:a|an|the|which|who)\b|\s+(?:is|are|was|were|refers to|means)\s+(?:a|an|the|to)\b|\s*\()"
                          rf"|\b(?:called|known as|dubbed|named)\s+(?:the\s+)?[\"“]?{s}"
                          rf"|[,(]\s*or\s+(?:the\s+)?[\"“]?{s}\b", sentence))  # "the ... Committee, or “two-plus-two,”"


def _sentence_starts(index) -> tuple[list[np.ndarray], np.ndarray]:
    """Per document, the start offsets of its sentences, and each document's first row."""
    starts: list[list[int]] = [[] for _ in index.docs]
    for s in index.sentences:
        starts[s.doc].append(s.start)
    return [np.array(x) for x in starts], np.cumsum([0] + [len(x) for x in starts])


def row_at(index, doc: int, pos: int) -> int:
    starts, firsts = cached_on(index, "_sentence_starts", _sentence_starts)
    return int(firsts[doc] + max(np.searchsorted(starts[doc], pos, side="right") - 1, 0))


def _mentions(index) -> list[tuple[int, set[str], bool, set[str], set[str]]]:
    """Per person mention in the documents: its sentence's row, the name's words, whether it has a title,
    the words of its title and of the capitalised words just before it, and its sentence's words."""
    out = []
    for d, doc in enumerate(index.docs):
        for m in person_mentions(doc):
            title = words((m.title or "") + " " + m.before)
            row = row_at(index, d, m.start)
            out.append((row, words(m.name), bool(m.title), title, words(index.sentences[row].text)))
    return out


def names_a_person(index, passages, subject: str = "") -> list[bool]:
    """Per passage: some sentence of it names a person (``qa.ingest.people``) -- what a "who leads X"
    answer must do. Where the question's ``subject`` names a title ("the president of turkey"; not "the
    head of X", which any title may be), the sentence naming the person must hold it ("U.S. President
    Joe Biden", not "Defense Minister Yasar Guler") and the subject's other words ("Turkey", or
    "Turkish": a shared start of four letters)."""
    by_row = cached_on(index, "_person_rows", _person_rows)
    asked = words(subject)
    role = asked & (_ROLE_WORDS - _ANY_TITLE)
    rest = asked - _ROLE_WORDS if role else set()  # "defense", "japan" of "the defense minister of japan"
    out = []
    for p in passages:
        doc = index.sentences[p.row].doc
        rows = range(row_at(index, doc, p.start), row_at(index, doc, p.end - 1) + 1)
        out.append(any(role <= by_row[r] and all(any(w[:4] == q[:4] for w in by_row[r]) for q in rest)
                       for r in rows if r in by_row))
    return out


def _person_rows(index) -> dict[int, set[str]]:
    """The rows naming a person (``_mentions``), each with its sentence's words."""
    return {row: sentence for row, *_, sentence in cached_on(index, "_person_mentions", _mentions)}


def titled_rows(index, subject: str, role: bool) -> set[int]:
    """Rows naming a person with a title: ``subject``'s name (``role=False``) or a title holding ``subject``'s words."""
    wanted = words(subject) - {"who"}
    if not wanted:
        return set()
    rows = set()
    for row, name, has_title, title, sentence in cached_on(index, "_person_mentions", _mentions):
        if role:
            hit = len(wanted & (title | sentence)) >= max(1, round(0.6 * len(wanted))) \
                and (title & _ROLE_WORDS or sentence & _ROLE_WORDS)
        else:
            hit = wanted <= name and (has_title or bool(title - name))
        if hit:
            rows.add(row)
    return rows


def marked(index, shape, ids: np.ndarray) -> np.ndarray:
    """Per candidate in ``ids``: has the form ``shape`` asks for (all False for other shapes)."""
    if shape.kind == "definition":  # "what is sipri": the sentence defining what the acronym stands for too
        names = [shape.subject, *spelt_out(index, shape.subject, index.bm25_sentences)]
        return np.array([any(defines(n, index.sentences[int(r)].text) for n in names) for r in ids], dtype=bool)
    if shape.kind in ("person", "role"):
        rows = titled_rows(index, shape.subject, shape.kind == "role")
        return np.array([int(r) in rows for r in ids], dtype=bool)
    return np.zeros(len(ids), dtype=bool)


def promote(fused: np.ndarray, mark: np.ndarray, ratio: float = PROMOTE_RATIO) -> np.ndarray:
    """The order of candidates (already best first) with marked near-best ones moved to the front.

    >>> promote(np.array([0.9, 0.7, 0.2]), np.array([False, True, True])).tolist()
    [1, 0, 2]
    """
    best = float(fused[0]) if len(fused) else 0.0
    front = mark & (fused >= ratio * best)
    return np.concatenate([np.flatnonzero(front), np.flatnonzero(~front)])


def shape_candidates(index, query, scored: Scored) -> tuple[Scored, np.ndarray, bool]:
    """``scored`` ordered for the question's shape, whether each candidate has the shape's form, and
    whether the shape alone answers (a speech question whose speaker the sources quote, on its topic
    when it names one).

    A speech question puts the named speaker's sentences first (by score: the topic decides among
    them); definition, person and role questions promote marked near-best candidates.
    """
    if query.shape.kind == "speech":
        mark = np.isin(scored.ids, said_rows(index, query.shape.subject))
        said, on_topic = _said_order(index, query, scored.ids, np.flatnonzero(mark))
        order = np.concatenate([said, np.flatnonzero(~mark)])
        # "What did Sato say about drones?" where Sato never names drones: his words are shown, not the answer
        return _reordered(scored, order), mark[order], bool(mark.any()) and bool(on_topic.max(initial=0.0) > 0)
    mark = marked(index, query.shape, scored.ids)
    # Without the shape's own form, the answer-form cue of a "why" / "which X" question orders the
    # near-best, or, for a typed question, holding the value it asks for beside its focus words.
    cued = mark if mark.any() else cue_marks(index, query, scored.fused, scored.ids)
    order = promote(scored.fused, cued if cued.any() else value_marks(index, query, scored.fused, scored.ids))
    return _reordered(scored, order), mark[order], False


def _said_order(index, query, ids: np.ndarray, said: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The speaker's candidates (positions ``said`` in ``ids``, best first) in the order shown -- what is
    about the question's topic first; for "what did NAME warn about", then their words of what may go
    wrong; by score otherwise (the sort is stable) -- and how well each covers the topic (1 without one)."""
    on_topic = np.ones(len(said))
    if query.topic:
        on_topic = coverage(index.bm25_sentences, query.topic, query.topic_idf, len(index.sentences))[ids[said]]
    warning = asks_warning(query.text)
    warned = np.array([warning and warns(index.sentences[int(r)].text) for r in ids[said]], dtype=bool)
    return said[np.lexsort((~warned, -np.round(on_topic, 1)))], on_topic


def _reordered(scored: Scored, order: np.ndarray) -> Scored:
    return Scored(scored.ids[order], scored.fused[order], scored.features[order])
