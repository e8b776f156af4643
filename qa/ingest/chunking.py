"""Cut documents into chunks (paragraph level) and sentences, keeping offsets.

What it does: splits each answerable paragraph into chunks with
``langchain-text-splitters`` (a short paragraph is one chunk; a long one is
cut at sentence or word boundaries) and into sentences with ``pysbd``, a
rule-based segmenter that knows "U.S." and "Corp." do not end a sentence
(through ``qa.ingest.segmenter``, which makes it faster).
Every unit keeps its exact offsets into the document text, so
``doc.text[unit.start:unit.end] == unit.text`` always holds.

What it does not do: embed or index anything, or look at debris paragraphs
(they are never cut into units, so they can never be quoted).

>>> from qa.ingest.documents import parse_document
>>> doc = parse_document("a.txt", "Mitsubishi, IHI Corp. and Kawasaki bid. It failed.")
>>> [s.text for s in split_document(doc, 0, 1000, 100).sentences]
['Mitsubishi, IHI Corp. and Kawasaki bid.', 'It failed.']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qa.ingest.documents import Document, Paragraph
from qa.ingest.segmenter import sentence_spans


@dataclass(frozen=True)
class Chunk:
    doc: int  # position of the document in the index
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    doc: int
    paragraph: int
    start: int
    end: int
    text: str
    chunk: int  # position of the enclosing chunk in the index's chunk list


@dataclass(frozen=True)
class Units:
    chunks: list[Chunk]
    sentences: list[Sentence]


@lru_cache(maxsize=8)
def _splitter(size: int, overlap: int):
    # Imported here: loading langchain costs start-up time, and answering never needs it.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=overlap, add_start_index=True,
        separators=["\n", ". ", "; ", ", ", " ", ""],
    )


def _chunk_spans(p: Paragraph, size: int, overlap: int) -> list[tuple[int, int]]:
    if len(p.text) <= size:
        return [(p.start, p.end)]
    pieces = _splitter(size, overlap).create_documents([p.text])
    return [(p.start + d.metadata["start_index"], p.start + d.metadata["start_index"] + len(d.page_content)) for d in pieces]


def split_document(doc: Document, doc_pos: int, size: int, overlap: int, first_chunk: int = 0) -> Units:
    """Chunks and sentences of the answerable paragraphs of one document."""
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    for p in doc.paragraphs:
        if not p.answerable:
            continue
        spans = _chunk_spans(p, size, overlap)
        base = first_chunk + len(chunks)
        chunks += [Chunk(doc_pos, p.number, s, e, doc.text[s:e]) for s, e in spans]
        for s, e in sentence_spans(p.text):
            s, e = p.start + s, p.start + e
            owner = max(i for i, (cs, _) in enumerate(spans) if cs <= s or i == 0)
            sentences.append(Sentence(doc_pos, p.number, s, e, doc.text[s:e], base + owner))
    return Units(chunks, sentences)


def split_documents(docs: list[Document], size: int, overlap: int) -> Units:
    """Chunks and sentences of every document, numbered across the collection."""
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    for pos, doc in enumerate(docs):
        units = split_document(doc, pos, size, overlap, first_chunk=len(chunks))
        chunks += units.chunks
        sentences += units.sentences
    return Units(chunks, sentences)
