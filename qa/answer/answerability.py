"""Features that tell whether the sources answer a question at all.

What it does: describes the best-ranked sentence for a question by a few
numbers -- its fused score, its cosine similarity, the share of the
question's weighted words it and its chunk contain, its lead over the
runner-up, the rarest question word missing from its chunk, whether the
question is negated, whether the expected kind of answer (an amount, a
date, a name) is missing from the best sentences, and how closely its words,
and its worst-matched word, are matched there (``qa.answer.interaction``) -- which ``qa.answer.calibration`` turns into a probability.

What it does not do: choose a threshold or fit anything.

>>> ANSWERABILITY_FEATURES[:2]
('fused', 'dense_sentence')
"""

from __future__ import annotations

import numpy as np

from qa.index.hybrid import Index
from qa.index.lexical import postings
from qa.answer.interaction import interaction
from qa.answer.query import Query
from qa.answer.retrieval import FEATURES, Scored
from qa.answer.sentinfo import sentence_info

ANSWERABILITY_FEATURES = ("fused", "dense_sentence", "coverage_sentence", "coverage_chunk",
                          "margin", "missing_rare_word", "negated", "type_missing", "interaction", "weakest_match")


def missing_rare_word(index: Index, query: Query, chunk: int) -> float:
    """IDF of the rarest question word absent from ``chunk``, scaled to 0..1."""
    top = float(np.log(1 + (len(index.chunks) + 0.5) / 0.5))
    missing = 0.0
    for tok, w in zip(query.terms, query.idf_chunks):
        if chunk not in postings(index.bm25_chunks, tok):
            missing = max(missing, float(w) / top)
    return missing


def answerability_features(index: Index, query: Query, scored: Scored) -> np.ndarray:
    """The ``ANSWERABILITY_FEATURES`` of the best sentence for ``query``."""
    if len(scored.ids) == 0:
        return np.zeros(len(ANSWERABILITY_FEATURES), dtype=np.float32)
    top = scored.features[0]
    margin = float(scored.fused[0] - scored.fused[1]) if len(scored.fused) > 1 else float(scored.fused[0])
    chunk = index.sentences[int(scored.ids[0])].chunk
    return np.array([
        scored.fused[0], top[FEATURES.index("dense_sentence")], top[FEATURES.index("coverage_sentence")],
        top[FEATURES.index("coverage_chunk")], margin, missing_rare_word(index, query, chunk),
        float(query.negated), type_missing(index, query, scored), top[FEATURES.index("interaction")],
        float(interaction(index, query, scored.ids[:1], worst=True)[0]),
    ], dtype=np.float32)


def type_missing(index: Index, query: Query, scored: Scored) -> float:
    """1 when the question wants a number, date or name and none of the top 3 sentences has one."""
    fits = sentence_info(index).fits(query.wanted)
    if fits is None:
        return 0.0
    return float(not fits[scored.ids[:3]].any())
