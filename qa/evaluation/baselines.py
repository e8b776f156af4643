"""The systems the evaluation compares: the assistant as served, and three baselines.

What it does: gives every system the same shape -- a function from a
question to a ``Reply`` (passages with file, paragraph and exact character
offsets, plus an answerability score, higher meaning "the sources answer")
-- so hit@k, quote length and the verbatim rate apply to all of them alike:

* ``assistant``: the normal pipeline, ``Assistant.ask``, whose answer also
  carries the calibrated probability its abstention is decided from and the
  ranked passages before an abstention cut them to one;
* ``bm25``: the index's sentences ranked by BM25 alone, top sentences quoted;
* ``dense``: the same sentences ranked by cosine similarity alone;
* ``langchain``: the usual recipe -- ``RecursiveCharacterTextSplitter(1000,
  200, add_start_index=True)`` over each whole file and an exact
  ``faiss.IndexFlatL2`` over the same model's chunk embeddings, returning whole
  chunks. That is what ``FAISS.from_documents(...).similarity_search(q, k)`` of
  langchain-community does; we rebuild it from its two parts rather than
  depend on langchain-community.

A baseline's score is its top score (BM25, cosine; for the L2 recipe
``1 - d²/2``, the cosine of unit vectors); it has no abstention rule of its
own (``answered`` is None), so ``abstention_figures`` gives it the *oracle*
threshold -- the one that maximises abstention accuracy on the very
questions asked -- which flatters the baselines.
``run_systems`` asks every system every question, encoding the questions in
one batch first (``QuestionCache``): one at a time costs ~10x more.

What it does not do: compute metrics (``qa.evaluation.metrics``) or read question files.

>>> from qa.index.fake import FakeEmbedder
>>> from qa.ingest.documents import parse_document
>>> doc = parse_document("a.txt", "Tanks\\n\\nThe tank weighs 50 tonnes. It is green.")
>>> recipe = LangChainRecipe([doc], FakeEmbedder())
>>> reply = recipe.search(FakeEmbedder().encode(["How heavy is the tank?"])[0], 3)
>>> [(p.paragraph, p.start, p.end) for p in reply.passages]
[(1, 0, 46)]
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable

import faiss
import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from qa.answer.passages import Passage
from qa.ingest.documents import Document
from qa.index.hybrid import Index
from qa.index.lexical import bm25_scores, tokenize
from qa.evaluation.metrics import abstention_scores, roc_auc

SYSTEMS = ("assistant", "bm25", "dense", "langchain")
LABELS = {"assistant": "assistant", "bm25": "BM25 alone", "dense": "dense alone",
          "langchain": "LangChain 1000/200 + FAISS"}


@dataclass
class Reply:
    passages: list[Passage]       # what the system shows, best first
    score: float                  # answerability score: higher = "the sources answer"
    answered: bool | None         # the system's own decision; None for baselines
    ranked: list[Passage] | None = None  # the ranking before an abstention cut it (assistant)


def ask_assistant(assistant, question: str, top_k: int) -> Reply:
    """The assistant's answer through ``Assistant.ask``, with its answerability probability."""
    answer = assistant.ask(question, top_k)
    return Reply(answer.passages, answer.probability, answer.answered, answer.ranked or answer.passages)


def sentence_passage(index: Index, row: int, score: float) -> Passage:
    """Sentence ``row`` of the index as a one-sentence passage."""
    s = index.sentences[row]
    return Passage(index.docs[s.doc].name, s.paragraph, s.start, s.end, s.text, round(float(score), 4))


def top_sentences(index: Index, scores: np.ndarray, top_k: int) -> Reply:
    """The ``top_k`` best-scored sentences; the score is the best one's."""
    if not len(scores):
        return Reply([], 0.0, None)
    order = np.argsort(-scores, kind="stable")[:top_k]
    return Reply([sentence_passage(index, int(i), scores[i]) for i in order], float(scores[order[0]]), None)


def bm25_alone(index: Index, question: str, top_k: int) -> Reply:
    """Sentences ranked by BM25 alone."""
    return top_sentences(index, bm25_scores(index.bm25_sentences, tokenize(question)), top_k)


def dense_alone(index: Index, qvec: np.ndarray, top_k: int) -> Reply:
    """Sentences ranked by cosine similarity alone (the index's exact inner-product FAISS search)."""
    scores, rows = index.dense.search(np.ascontiguousarray(qvec[None, :], dtype=np.float32), min(top_k, index.dense.ntotal))
    pairs = [(int(r), float(v)) for r, v in zip(rows[0], scores[0]) if r >= 0]
    return Reply([sentence_passage(index, r, v) for r, v in pairs], pairs[0][1] if pairs else 0.0, None)


def paragraph_at(doc: Document, offset: int) -> int:
    """Number of the paragraph holding (or next after) character ``offset``.

    >>> from qa.ingest.documents import parse_document
    >>> paragraph_at(parse_document("a.txt", "One\\n\\nTwo three"), 7)
    2
    """
    return next((p.number for p in doc.paragraphs if p.end > offset), len(doc.paragraphs))


class LangChainRecipe:
    """RecursiveCharacterTextSplitter 1000/200 + FAISS IndexFlatL2, whole chunks returned."""

    def __init__(self, docs: list[Document], embedder, chunk_size: int = 1000, chunk_overlap: int = 200):
        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True)
        self.chunks: list[Passage] = []
        for doc in docs:
            for piece in splitter.create_documents([doc.text], metadatas=[{"source": doc.name}]):
                start = piece.metadata["start_index"]
                self.chunks.append(Passage(doc.name, paragraph_at(doc, start), start,
                                           start + len(piece.page_content), piece.page_content, 0.0))
        vectors = embedder.encode([c.quote for c in self.chunks])
        self.faiss = faiss.IndexFlatL2(embedder.dim)
        if len(vectors):
            self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, qvec: np.ndarray, top_k: int) -> Reply:
        """``similarity_search(q, k)``: the ``top_k`` nearest chunks by L2 distance."""
        k = min(top_k, self.faiss.ntotal)
        if k == 0:
            return Reply([], 0.0, None)
        distances, ids = self.faiss.search(np.ascontiguousarray(qvec[None, :], dtype=np.float32), k)
        scores = 1.0 - distances[0] / 2.0  # squared L2 of unit vectors -> cosine
        passages = [Passage(**{**vars(self.chunks[i]), "score": round(float(s), 4)}) for i, s in zip(ids[0], scores)]
        return Reply(passages, float(scores[0]), None)


def make_systems(assistant, top_k: int) -> dict[str, Callable[[str], Reply]]:
    """One reply function per system of ``SYSTEMS``, all over the assistant's index and model."""
    index, embedder = assistant.index, assistant.embedder
    recipe = LangChainRecipe(index.docs, embedder)
    return {
        "assistant": lambda q: ask_assistant(assistant, q, top_k),
        "bm25": lambda q: bm25_alone(index, q, top_k),
        "dense": lambda q: dense_alone(index, embedder.encode([q])[0], top_k),
        "langchain": lambda q: recipe.search(embedder.encode([q])[0], top_k),
    }


class QuestionCache:
    """An embedder that serves known questions from one batch encoding."""

    def __init__(self, embedder, questions: list[str]):
        from qa.answer.query import encode_questions

        self.inner, self.name, self.dim = embedder, embedder.name, embedder.dim
        unique = list(dict.fromkeys(questions))
        vectors, pieces = encode_questions(embedder, unique) if unique else ([], [])
        self.known = dict(zip(unique, vectors))
        self.pieces = dict(zip(unique, pieces))

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if texts and all(t in self.known for t in texts):
            return np.stack([self.known[t] for t in texts])
        return self.inner.encode(texts, progress=progress)

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        if texts and all(t in self.known for t in texts):
            pieces = [self.pieces[t] for t in texts]
            return np.stack([self.known[t] for t in texts]), (None if None in pieces else pieces)
        from qa.answer.query import encode_questions

        return encode_questions(self.inner, texts)


def run_systems(assistant, questions: list[str], top_k: int) -> tuple[dict[str, list[Reply]], dict[str, float]]:
    """Every system's reply to every (already checked) question, and seconds per step."""
    started = time.perf_counter()
    assistant = replace(assistant, embedder=QuestionCache(assistant.embedder, questions))
    seconds = {"encode questions": time.perf_counter() - started}
    systems = make_systems(assistant, top_k)
    seconds["embed LangChain chunks"] = time.perf_counter() - started - seconds["encode questions"]
    replies = {}
    for name in SYSTEMS:
        clock = time.perf_counter()
        replies[name] = [systems[name](q) for q in questions]
        seconds[name] = time.perf_counter() - clock
    return replies, seconds


def oracle_threshold(scores: list[float], answerable: list[bool]) -> float:
    """The threshold t maximising accuracy of "answer when score >= t".

    >>> oracle_threshold([0.9, 0.8, 0.3, 0.1], [True, True, False, False])
    0.8
    """
    values = np.unique(np.asarray(scores, dtype=np.float64))
    if not len(values):
        return 0.0
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(answerable, dtype=bool)
    candidates = np.append(values, np.inf)
    correct = [int(((s >= t) == y).sum()) for t in candidates]
    return float(candidates[int(np.argmax(correct))])


def abstention_figures(replies: list[Reply], answerable: list[bool]) -> tuple[dict, float | None, list[bool]]:
    """Abstention figures, the threshold chosen (baselines) and who was answered."""
    scores = [r.score for r in replies]
    threshold = None
    if any(r.answered is None for r in replies):
        threshold = oracle_threshold(scores, answerable)
        answered = [s >= threshold for s in scores]
    else:
        answered = [bool(r.answered) for r in replies]
    a = abstention_scores([not x for x in answered], answerable)
    both = 0 < sum(answerable) < len(answerable)
    values = {"abstention_precision": a["precision"], "abstention_recall": a["recall"],
              "false_abstention_rate": a["false_abstention_rate"],
              "abstention_accuracy": float(np.mean([x == y for x, y in zip(answered, answerable)])) if answerable else 0.0,
              "roc_auc": roc_auc(scores, answerable) if both else None}
    return values, (None if threshold is None or np.isinf(threshold) else threshold), answered
