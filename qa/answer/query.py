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
>>> doc = parse_document("a.txt", "The tank weighs 50 tonnes. The drone flies far to the dormitories.")
>>> index, _ = build_index([doc], FakeEmbedder(), Config(model="fake"))
>>> q = analyse_question(index, "How heavy is the tank, the tank?")
>>> q.tokens, q.terms, q.wanted
(('heavi', 'tank', 'tank'), ('heavi', 'tank'), None)
>>> q.vector is None, embed_query(q, FakeEmbedder()).vector.shape
(True, (64,))

A question about something the sources never name, in any spelling, says which words (``Query.unnamed``):

>>> analyse_question(index, "Who heads the tank office in Brazil?").unnamed, analyse_question(index, "what is a dorm").unnamed
(('office', 'brazil'), ())
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from qa.answer.acronyms import ampersand_phrase, expansions, spelt_out
from qa.answer.aliases import alias_forms
from qa.answer.compounds import by_part, compounds
from qa.answer.interaction import question_pieces
from qa.answer.morphology import forms
from qa.answer.question import answer_type, is_negated
from qa.answer.sentinfo import cached_on
from qa.answer.shapes import Shape, question_shape
from qa.answer.spelling import plain_word, respelled, source_word
from qa.answer.unnamed import unnamed_words
from qa.index.embedding import Embedder
from qa.index.hybrid import Index
from qa.index.lexical import idf, tokenize


@dataclass(frozen=True)
class Query:
    text: str                    # the checked question
    tokens: tuple[str, ...]      # stemmed content words, in order, repeats kept (BM25 counts them); a word the
                                 # sources never use is followed by its other forms they do ("give", "gave")
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
    # per term: what else stands for it, each a tuple of stems a unit must all hold -- an irregular form
    # ("gave" for "give": qa.answer.morphology), a compound holding it ("f-2s": qa.answer.compounds)
    # an acronym's expansion ("unit", "state" for "us": qa.answer.acronyms) or a name's other name
    # ("kyumaru" for "type" and "90" of "type 90": qa.answer.aliases)
    forms: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # the words of the shape's subject (the person, role or thing asked about: "brazil" in "who is the
    # president of Brazil?"), as typed, that no source uses in any form: the sources cannot say what they never name
    unnamed: tuple[str, ...] = ()
    # the question with each word the sources never use but spell otherwise ("haawii", "Maiziere") as they spell
    # it (``qa.answer.spelling``): what is embedded; "" before analysis
    spelled: str = ""
    # the question's content word pieces' vectors (``qa.answer.interaction``), once ``embed_query`` ran with an
    # embedder that gives them
    pieces: np.ndarray | None = None


def analyse_question(index: Index, text: str, vector: np.ndarray | None = None) -> Query:
    """The ``Query`` of the (already checked) question ``text`` against ``index``."""
    words = tuple(tokenize(text))
    terms = tuple(dict.fromkeys(words))
    vocab = index.bm25_sentences.vocab_dict
    alternatives, spelled = _alternatives(index, text, terms)
    shape = question_shape(text)
    # a speech question's topic, as the sources spell it ("what did Emanuel say about shipbuiding")
    said_on = question_shape(spelled).topic if spelled != text else shape.topic
    topic = tuple(dict.fromkeys(tokenize(said_on))) if said_on else ()
    known = tuple(t in vocab or bool(f) for t, f in zip(terms, alternatives))
    return Query(text, _expanded(words, terms, alternatives), terms, _idf(index.bm25_sentences, terms, alternatives),
                 _idf(index.bm25_chunks, terms, alternatives), answer_type(text), is_negated(text), known, shape, topic,
                 idf(index.bm25_sentences, list(topic)), vector, alternatives, unnamed_words(index, shape, dict(zip(terms, known))),
                 spelled)


def _alternatives(index: Index, text: str, terms: tuple[str, ...]) -> tuple[tuple, str]:
    """Per term, what else stands for it in the sources (``Query.forms``), and the question with each slip of
    the keys as the sources spell it (``Query.spelled``: "who met in haawii" -> "who met in Hawaii")."""
    vocab = index.bm25_sentences.vocab_dict
    # only for a word the sources never use in the question's form: where they do, the other forms of
    # common verbs ("take" -> "took") match more noise than answers (SQuAD answer@1 fell)
    longer = expansions(index, text, index.bm25_sentences)
    aliased = alias_forms(index, terms)  # "type 90": "kyumaru", the other name the sources give it
    parts = cached_on(index, "_compound_parts", lambda ix: by_part(ix.bm25_sentences.vocab_dict))
    # each unknown stem's word as typed, read only when the question has one
    unknown = any(t not in vocab for t in terms)
    typed = {t: plain_word(w) for w in text.split() for t in tokenize(w)} if unknown else {}
    alternatives, spelled = [], text
    for t in terms:
        found = ()
        if t not in vocab:
            found, spelled = _written_otherwise(index, t, typed.get(t, ""), parts, longer, spelled)
        alternatives.append(found + longer.get(t, ()) + aliased.get(t, ()))
    return tuple(alternatives), spelled


def _written_otherwise(index: Index, term: str, typed: str, parts: dict, longer: dict, spelled: str) -> tuple[tuple, str]:
    """For a stem the sources never use: what they write for it besides an acronym's expansions and a name's
    other names -- an irregular form, a compound, the word without a slip of the keys or with its hyphen
    ("f15": "f-15"), an "&" abbreviation's phrase ("r&d": "research and development") -- and the question
    as embedded, each such word (and an acronym they only write out, "ATLA") as the sources write it."""
    vocab = index.bm25_sentences.vocab_dict
    found = _stand_ins(term, vocab, parts)
    if not typed:
        return found, spelled
    if not found:
        found = tuple((w,) for w in (_hyphened(term, vocab) or respelled(index, term, typed.lower())))
        if found:  # embedded as the sources spell it: the model reads "Hawaii" better than "haawii"
            spelled = _written_as(spelled, typed, source_word(index, found[0][0]))
    phrase = ampersand_phrase(index, typed)
    if phrase:
        found, spelled = found + (tuple(tokenize(phrase)),), _written_as(spelled, typed, phrase)
    names = spelt_out(index, typed, index.bm25_sentences) if len(longer.get(term, ())) == 1 else []
    if len(names) == 1:  # the model knows the name, not the letters
        spelled = _written_as(spelled, typed, names[0])
    return found, spelled


def _written_as(text: str, word: str, source: str) -> str:
    """``text`` with its first ``word`` (whole) written ``source``."""
    return re.sub(rf"\b{re.escape(word)}\b", lambda _: source, text, count=1)


def _hyphened(term: str, vocab: dict) -> tuple[str, ...]:
    """A model number typed without its hyphen, as the sources write it: "f15" -> "f-15", "f35s" -> "f-35"."""
    parts = re.fullmatch(r"([a-z]{1,3})(\d[\da-z]*)", term)
    joined = f"{parts[1]}-{parts[2]}" if parts else ""
    return next(((w,) for w in (joined, joined.removesuffix("s")) if w and w in vocab), ())


def _stand_ins(term: str, vocab: dict, parts: dict) -> tuple[tuple[str, ...], ...]:
    """What the sources write for a word they never use as written: its irregular forms ("gave" for
    "give") and the compounds holding it ("f-2s" for "f-2", "two-plus-two" for "plus")."""
    return tuple((f,) for f in (*forms(term), *compounds(term, vocab, parts)) if f in vocab)


def _expanded(words: tuple[str, ...], terms: tuple[str, ...], alternatives) -> tuple[str, ...]:
    """The question's tokens, each followed by the stems of what stands for it (BM25 then matches either)."""
    extra = dict(zip(terms, alternatives))
    return tuple(x for w in words for x in (w, *(s for alt in extra[w] for s in alt)))


def _idf(retriever, terms: tuple[str, ...], alternatives) -> np.ndarray:
    """IDF of each term; a term the sources never use takes that of its commonest stand-in (a phrase is as
    rare as its rarest word: "stockholm" for "Stockholm International Peace Research Institute")."""
    vocab = retriever.vocab_dict
    return np.array([idf(retriever, [t])[0] if t in vocab or not alts else min(idf(retriever, list(a)).max() for a in alts)
                     for t, alts in zip(terms, alternatives)], dtype=np.float32)


def embed_query(query: Query, embedder: Embedder) -> Query:
    """``query`` with its vector and its content pieces' vectors (the thin step that needs the model)."""
    vectors, pieces = encode_questions(embedder, [query.spelled or query.text])
    return with_vectors(query, vectors[0], pieces[0])


def encode_questions(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, list]:
    """Vectors of many questions in one batch and, per question, its word pieces with their vectors (None
    each from an embedder without them): for ``with_vectors``."""
    with_pieces = getattr(embedder, "encode_with_tokens", None)
    vectors, pieces = with_pieces(texts) if with_pieces else (embedder.encode(texts), None)
    return vectors, pieces if pieces is not None else [None] * len(texts)


def with_vectors(query: Query, vector: np.ndarray, pieces: tuple[list[str], np.ndarray] | None) -> Query:
    """``query`` with its vector and, from its word pieces and their vectors, its content pieces' vectors."""
    if pieces is None:
        return replace(query, vector=vector)
    keep = question_pieces(pieces[0])
    return replace(query, vector=vector, pieces=np.ascontiguousarray(pieces[1][keep], dtype=np.float32))
