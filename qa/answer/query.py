"""A question, analysed once: every later step reads this instead of re-reading the text.

What it does: from a checked question and the index it is asked of, builds
a ``Query`` -- the text, its stemmed content words (the same tokenizer as
the index), the distinct ones with their IDF weights over the index's
sentences and chunks, the kind of answer it wants, whether it is negated,
its shape (speech, person, definition, yes/no, ...: ``qa.answer.shapes``)
and (once embedded) its vector. Retrieval, passage selection and
answerability all take the ``Query``, so a question is tokenised and
weighed in one place.

What it does not do: check the question (``qa.answer.question``) or score
sentences (``qa.answer.retrieval``).

>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> from qa.index.hybrid import build_index
>>> from qa.ingest.documents import parse_document
>>> doc = parse_document("a.txt", "The tank weighs 50 tonnes. The drone flies far.")
>>> index, _ = build_index([doc], FakeEmbedder(), Config(model="fake"))
>>> q = analyse_question(index, "How heavy is the tank, the tank?")
>>> q.tokens, q.terms, q.wanted
(('heavi', 'tank', 'tank'), ('heavi', 'tank'), None)
>>> q.vector is None, embed_query(q, FakeEmbedder()).vector.shape
(True, (64,))
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from qa.answer.question import answer_type, is_negated
from qa.answer.shapes import Shape, question_shape
from qa.index.embedding import Embedder
from qa.index.hybrid import Index
from qa.index.lexical import idf, tokenize


@dataclass(frozen=True)
class Query:
    text: str                    # the checked question
    tokens: tuple[str, ...]      # stemmed content words, in order, repeats kept (BM25 counts them)
    terms: tuple[str, ...]       # the distinct tokens: the words the question is about
    idf_sentences: np.ndarray    # IDF of each term over the index's sentences
    idf_chunks: np.ndarray       # IDF of each term over the index's chunks
    wanted: str | None           # expected answer type: 'number', 'date', 'person' or None
    negated: bool                # "not", "never", "n't": a sign the question may be a trap
    known: tuple[bool, ...] = ()   # per term: some source sentence uses it
    shape: Shape = Shape("other")  # what kind of passage answers it (qa.answer.shapes)
    topic: tuple[str, ...] = ()    # a speech question's topic words ("... say about TOPIC"), distinct, stemmed
    topic_idf: np.ndarray | None = None  # their IDF over the index's sentences
    vector: np.ndarray | None = None  # the question's embedding, once ``embed_query`` ran


def analyse_question(index: Index, text: str, vector: np.ndarray | None = None) -> Query:
    """The ``Query`` of the (already checked) question ``text`` against ``index``."""
    tokens = tuple(tokenize(text))
    terms = tuple(dict.fromkeys(tokens))
    vocab = index.bm25_sentences.vocab_dict
    shape = question_shape(text)
    topic = tuple(dict.fromkeys(tokenize(shape.topic))) if shape.topic else ()
    return Query(text, tokens, terms, idf(index.bm25_sentences, list(terms)), idf(index.bm25_chunks, list(terms)),
                 answer_type(text), is_negated(text), tuple(t in vocab for t in terms), shape, topic,
                 idf(index.bm25_sentences, list(topic)), vector)


def embed_query(query: Query, embedder: Embedder) -> Query:
    """``query`` with its vector (the thin step that needs the model)."""
    return replace(query, vector=embedder.encode([query.text])[0])
