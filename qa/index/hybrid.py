"""Build the hybrid index: sentence and chunk vectors, FAISS and BM25.

What it does: from loaded documents, cuts units (``qa.ingest.chunking``), embeds
every sentence once (a chunk's vector is the normalised mean of its
sentences' vectors, so no text is encoded twice; the same pass gives each
sentence's word-piece vectors, ``qa.index.pieces``), and builds a FAISS
inner-product index over sentence vectors (exact, or approximate for large
collections: ``qa.index.ann`` chooses) plus BM25 indexes over sentences
and chunks. Vectors of documents whose content hash is unchanged are taken
from the previous index instead of being encoded again.

What it does not do: read or write files (``qa.ingest.documents`` and ``qa.index.store``
do) or answer questions (``qa.answer.retrieval`` and ``qa.answer.compose`` do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import faiss
import numpy as np

from qa.index.ann import choose_dense_index
from qa.ingest.chunking import Chunk, Sentence, split_documents
from qa.config import Config
from qa.ingest.documents import Document
from qa.index.embedding import Embedder
from qa.index.lexical import build_bm25
from qa.index.pieces import pack, reused, to_codes


@dataclass
class Index:
    docs: list[Document]
    chunks: list[Chunk]
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    chunk_vectors: np.ndarray
    dense: faiss.Index
    bm25_sentences: object
    bm25_chunks: object
    manifest: dict = field(default_factory=dict)
    dense_info: dict = field(default_factory=dict)  # qa.index.ann's choice: type, parameters, recall@10
    piece_codes: np.ndarray | None = None   # every sentence's word-piece vectors (qa.index.pieces), or none
    piece_starts: np.ndarray | None = None  # sentence i's pieces: piece_codes[piece_starts[i]:piece_starts[i + 1]]

    @cached_property
    def docs_by_name(self) -> dict[str, Document]:
        """The documents by file name, made once per index (a generation's documents never change)."""
        return {d.name: d for d in self.docs}

    def doc_by_name(self, name: str) -> Document | None:
        return self.docs_by_name.get(name)


def chunk_vectors_from_sentences(sentence_vectors: np.ndarray, owners: np.ndarray, n_chunks: int) -> np.ndarray:
    """Normalised mean of the sentence vectors of each chunk.

    >>> v = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32)
    >>> chunk_vectors_from_sentences(v, np.array([0, 0, 1]), 2).astype(float).round(3).tolist()
    [[0.707, 0.707], [1.0, 0.0]]
    """
    dim = sentence_vectors.shape[1]
    sums = np.zeros((n_chunks, dim), dtype=np.float32)
    np.add.at(sums, owners, sentence_vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms == 0, 1, norms)


def dense_index(vectors: np.ndarray) -> faiss.Index:
    """Inner-product search over normalised vectors: exact, or approximate when large (``qa.index.ann``)."""
    return choose_dense_index(vectors)[0]


def _previous_rows(sentences: list[Sentence], docs: list[Document], previous: Index | None, dim: int) -> list[int | None]:
    """Per sentence, its row in ``previous`` when its document is unchanged since, else None."""
    known: dict[tuple[str, int, int], int] = {}
    if previous is not None and previous.sentence_vectors.shape[1] == dim:
        for row, s in enumerate(previous.sentences):
            known[(previous.docs[s.doc].sha256, s.start, s.end)] = row
    return [known.get((docs[s.doc].sha256, s.start, s.end)) for s in sentences]


PIECE_BATCH = 2048  # sentences encoded at a time when their pieces are kept: a batch's float pieces, not all


def embed_sentences(sentences, docs, embedder: Embedder, previous: Index | None, progress: bool,
                    pieces: bool = False) -> tuple[np.ndarray, int, list | None]:
    """Vectors of all sentences, encoding only the new ones; their count; with ``pieces``, each sentence's
    word-piece codes too (``qa.index.pieces``) where the embedder gives them, else None."""
    rows = _previous_rows(sentences, docs, previous, embedder.dim)
    with_pieces = getattr(embedder, "encode_with_tokens", None) if pieces else None
    found = reused(previous.piece_codes, previous.piece_starts, rows) if with_pieces and previous else [None] * len(rows)
    todo = [i for i, r in enumerate(rows) if r is None or (with_pieces and found[i] is None)]
    texts = [sentences[i].text for i in todo]
    fresh, fresh_codes = _encode(embedder, with_pieces, texts, progress)
    vectors = np.zeros((len(sentences), embedder.dim), dtype=np.float32)
    for i, r in enumerate(rows):
        if r is not None:
            vectors[i] = previous.sentence_vectors[r]
    if todo:
        vectors[todo] = fresh
    if fresh_codes is None:  # an embedder without them (or an encoder exported before them)
        return vectors, len(todo), None
    for i, codes in zip(todo, fresh_codes):
        found[i] = codes
    return vectors, len(todo), found


def _encode(embedder: Embedder, with_pieces, texts: list[str], progress: bool) -> tuple[np.ndarray, list | None]:
    """The vectors of ``texts`` and, with ``with_pieces`` (the embedder's ``encode_with_tokens``), their pieces'
    codes, ``PIECE_BATCH`` texts at a time so that only one batch's pieces are ever held as floats."""
    if not with_pieces:
        return embedder.encode(texts, progress=progress), None
    vectors, codes = [np.zeros((0, embedder.dim), dtype=np.float32)], []
    for start in range(0, len(texts), PIECE_BATCH) if texts else [0]:
        batch, pieces = with_pieces(texts[start:start + PIECE_BATCH], progress=progress)
        vectors.append(batch)
        if pieces is None:  # it gives none after all (an encoder exported before them): the rest without
            return np.concatenate(vectors + [embedder.encode(texts[start + PIECE_BATCH:], progress=progress)]), None
        codes += [to_codes(p) for _, p in pieces]
    return np.concatenate(vectors), codes


def build_index(docs: list[Document], embedder: Embedder, cfg: Config,
                previous: Index | None = None, progress: bool = False) -> tuple[Index, int]:
    """The index of ``docs``, and how many sentences had to be encoded."""
    units = split_documents(docs, cfg.chunk_size, cfg.chunk_overlap)
    keep = len(units.sentences) <= cfg.max_piece_sentences
    vectors, encoded, pieces = embed_sentences(units.sentences, docs, embedder, previous, progress, keep)
    codes, starts = pack(pieces) if pieces is not None and len(pieces) else (None, None)
    owners = np.array([s.chunk for s in units.sentences], dtype=np.int64)
    chunk_vecs = chunk_vectors_from_sentences(vectors, owners, len(units.chunks))
    dense, dense_info = choose_dense_index(vectors)
    index = Index(
        docs=docs, chunks=units.chunks, sentences=units.sentences,
        sentence_vectors=vectors, chunk_vectors=chunk_vecs, dense=dense,
        bm25_sentences=build_bm25([s.text for s in units.sentences]),
        bm25_chunks=build_bm25([c.text for c in units.chunks]), dense_info=dense_info,
        piece_codes=codes, piece_starts=starts,
    )
    return index, encoded
