"""Late interaction: a build keeps each sentence's word-piece vectors, and the ranker matches a question's
words one by one with a sentence's through them (qa.index.pieces, qa.answer.interaction)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.answer.interaction import interaction, question_pieces
from qa.answer.query import analyse_question, embed_query
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.index.store import current_generation, load_index
from qa.pipeline import build_index_folder
from tests.conftest import SEEDS, fake_index

TEXT = ("The ministry will buy drones and radars from Turkey.\n\n"
        "The ministry will buy ships.\n\n"
        "Officials met in Tokyo on Tuesday.")


class VectorsOnly:
    """An embedder without word pieces (an older exported encoder, a replayed vector table)."""

    def __init__(self):
        self.inner, self.name, self.dim = FakeEmbedder(), "fake", FakeEmbedder().dim

    def encode(self, texts, progress=False):
        return self.inner.encode(texts)


def test_every_sentence_keeps_its_word_pieces_vectors_from_the_build():
    index = fake_index(TEXT)
    assert len(index.piece_starts) == len(index.sentences) + 1 and len(index.piece_codes) == index.piece_starts[-1]
    first = index.piece_codes[index.piece_starts[0]:index.piece_starts[1]]
    assert len(first) == len(index.sentences[0].text.split())  # the fake embedder's pieces are its words
    assert index.piece_codes.dtype == np.int8 and set(np.abs(first).max(axis=1).tolist()) == {127}  # unit, coded


def test_a_sentence_matching_every_question_word_outscores_one_matching_some():
    index = fake_index(TEXT)
    query = embed_query(analyse_question(index, "will the ministry buy radars from turkey"), FakeEmbedder())
    scores = interaction(index, query, np.arange(len(index.sentences)))
    assert scores[0] == pytest.approx(1.0) and 0.0 < scores[1] < scores[0] and scores[2] == 0.0


def test_an_index_too_big_to_keep_decoded_is_scanned_in_blocks_to_the_same_scores(monkeypatch):
    index = fake_index(TEXT)
    query = embed_query(analyse_question(index, "will the ministry buy radars from turkey"), FakeEmbedder())
    every = np.arange(len(index.sentences))
    kept = interaction(index, query, every), interaction(index, query, every, worst=True)
    monkeypatch.setattr("qa.answer.interaction.DECODED_PIECES", 0)  # as if the index had more pieces than that
    monkeypatch.setattr("qa.answer.interaction.SCAN_BLOCK", 3)  # blocks end inside sentences
    monkeypatch.setattr("qa.answer.interaction._decoded", None)  # the decoded path would fail if taken
    scanned = interaction(index, query, every), interaction(index, query, every, worst=True)
    assert np.allclose(scanned[0], kept[0], atol=1e-6) and np.allclose(scanned[1], kept[1], atol=1e-6)
    assert scanned[0][0] == pytest.approx(1.0) and scanned[0][2] == 0.0


def test_the_question_s_stop_words_and_punctuation_are_not_matched():
    pieces = ["how", "many", "drones", "did", "japan", "buy", "?", "sub", "##s"]
    assert [pieces[k] for k in question_pieces(pieces)] == ["drones", "japan", "buy", "sub", "##s"]


def test_an_index_without_word_pieces_still_answers_with_the_feature_at_zero(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", Config(model="fake"), embedder=VectorsOnly())
    assert not (current_generation(tmp_path / "index") / "piece_codes.npy").exists()
    index = load_index(tmp_path / "index", Config(model="fake"))
    query = embed_query(analyse_question(index, "will the ministry buy radars"), FakeEmbedder())
    assert index.piece_codes is None and not interaction(index, query, np.arange(3)).any()


def test_a_rebuild_keeps_the_pieces_of_unchanged_sentences_and_checks_them_on_load(tmp_path, fake_embedder):
    docs, cfg = tmp_path / "docs", Config(model="fake")
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", cfg, embedder=fake_embedder)
    before = load_index(tmp_path / "index", cfg)
    (docs / "b.txt").write_text("Ships\n\nThe navy sails at dawn.", encoding="utf-8")
    report = build_index_folder(docs, tmp_path / "index", cfg, embedder=fake_embedder)
    after = load_index(tmp_path / "index", cfg)
    assert report.encoded == 1 and len(after.piece_starts) == len(after.sentences) + 1
    old = before.piece_codes[:before.piece_starts[-1]]
    kept = [k for k, s in enumerate(after.sentences) if after.docs[s.doc].name == "a.txt"]
    assert np.array_equal(np.concatenate([after.piece_codes[after.piece_starts[k]:after.piece_starts[k + 1]] for k in kept]), old)
    gen = current_generation(tmp_path / "index")
    manifest = json.loads((gen / "manifest.json").read_text())
    assert {"piece_codes.npy", "piece_starts.npy"} <= set(manifest["files"])  # checksummed like every file


def test_few_sentences_keep_no_pieces_above_the_configured_limit():
    from qa.index.hybrid import build_index
    from qa.ingest.documents import parse_document

    index, _ = build_index([parse_document("a.txt", TEXT)], FakeEmbedder(), Config(model="fake", max_piece_sentences=2))
    assert index.piece_codes is None and index.piece_starts is None


@pytest.mark.integration
def test_the_onnx_encoder_gives_torch_s_word_pieces_and_the_index_keeps_them(real_seed_index_dir, real_embedder):
    from qa.pipeline import open_assistant

    assistant = open_assistant(real_seed_index_dir, Config())
    texts = [s.text for s in assistant.index.sentences[:8]] + ["Did Japan buy submarines?"]
    onnx_vectors, onnx_pieces = assistant.embedder.encode_with_tokens(texts)
    torch_vectors, torch_pieces = real_embedder.encode_with_tokens(texts)
    assert float((onnx_vectors * torch_vectors).sum(1).min()) >= 0.99999
    for (a_words, a), (b_words, b) in zip(onnx_pieces, torch_pieces):
        assert a_words == b_words and float((a * b).sum(1).min()) >= 0.9999
    index = assistant.index
    stored = index.piece_codes[index.piece_starts[0]:index.piece_starts[1]].astype(np.float32) / 127
    assert float((stored * torch_pieces[0][1]).sum(1).min()) >= 0.99  # 8-bit codes of the same vectors
