"""Chunks and sentences keep exact offsets; the segmenter respects abbreviations."""

from __future__ import annotations

from qa.ingest.chunking import sentence_spans, split_document, split_documents
from qa.ingest.documents import parse_document, read_folder
from tests.conftest import SEEDS


def test_abbreviations_do_not_end_sentences():
    text = ("“It is clear,” U.S. Ambassador to Japan Rahm Emanuel told reporters on Monday. "
            "Big makers like Mitsubishi, IHI Corp. and Kawasaki are struggling.")
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert len(pieces) == 2
    assert "U.S. Ambassador to Japan Rahm Emanuel told reporters" in pieces[0]
    assert "Mitsubishi, IHI Corp. and Kawasaki" in pieces[1]


def test_every_unit_is_an_exact_span_of_its_document():
    docs, _ = read_folder(SEEDS)
    units = split_documents(docs, size=300, overlap=30)
    for unit in units.chunks + units.sentences:
        assert docs[unit.doc].text[unit.start:unit.end] == unit.text
    for s in units.sentences:
        chunk = units.chunks[s.chunk]
        assert chunk.doc == s.doc and chunk.paragraph == s.paragraph


def test_long_paragraphs_are_cut_into_several_chunks_short_ones_are_one():
    long_para = " ".join(f"Sentence number {i} is here." for i in range(80))
    doc = parse_document("a.txt", "Short one here.\n\n" + long_para)
    units = split_document(doc, 0, size=200, overlap=20)
    per_para = {p: sum(c.paragraph == p for c in units.chunks) for p in (1, 2)}
    assert per_para[1] == 1 and per_para[2] > 5
    assert all(len(c.text) <= 200 for c in units.chunks)


def test_debris_and_titles_are_never_units():
    doc = parse_document("a.txt", "A Title Line\n\nThe body sentence is here.\n\nFacebook icon\nTwitter icon")
    units = split_document(doc, 0, 1000, 100)
    assert [s.text for s in units.sentences] == ["The body sentence is here."]
