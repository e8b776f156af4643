"""The index folder: plain files, a checked manifest, generations, staleness."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from qa.config import FORMAT_VERSION, Config
from qa.pipeline import build_index_folder, index_status, open_assistant
from qa.index.store import IndexError_, current_generation, generations, load_index


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Tanks\n\nThe tank weighs 50 tonnes. It was built in 1990.", encoding="utf-8")
    (docs / "b.txt").write_text("Ships\n\nThe ship carries 200 sailors.", encoding="utf-8")
    return docs


def test_saved_index_is_plain_files_with_a_complete_manifest(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    gen = current_generation(tmp_path / "index")
    manifest = json.loads((gen / "manifest.json").read_text())
    assert manifest["format_version"] == FORMAT_VERSION and manifest["model"] == "fake" and manifest["dimension"] == 64
    assert {"piece_codes.npy", "piece_starts.npy"} <= set(manifest["files"])  # the sentences' word-piece vectors
    assert manifest["counts"]["sentences"] == manifest["counts"]["vectors"] == 3
    assert set(manifest["sources"]) == {"a.txt", "b.txt"}
    on_disk = {str(p.relative_to(gen)) for p in gen.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    assert not any(p.suffix in (".pkl", ".pickle") for p in gen.rglob("*"))


def test_stale_index_is_detected_for_added_changed_and_removed_files(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    index = tmp_path / "index"
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    assert index_status(docs, index, fake_cfg) is None
    (docs / "c.txt").write_text("New text arrives here.", encoding="utf-8")
    assert "c.txt was added" in index_status(docs, index, fake_cfg)
    (docs / "c.txt").unlink()
    (docs / "a.txt").write_text("Tanks\n\nThe tank weighs 60 tonnes.", encoding="utf-8")
    assert "a.txt changed" in index_status(docs, index, fake_cfg)
    (docs / "a.txt").unlink()
    assert "a.txt was removed" in index_status(docs, index, fake_cfg)


def test_rebuild_reembeds_only_changed_documents(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    first = build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    (docs / "b.txt").write_text("Ships\n\nThe ship carries 300 sailors. It is new.", encoding="utf-8")
    second = build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    assert first.encoded == 3 and second.encoded == 2
    assert len(generations(tmp_path / "index")) == 2  # the previous one is kept


def test_missing_index_says_what_to_run(tmp_path, fake_cfg):
    with pytest.raises(IndexError_, match="no index in /.*/nothing; build one with `qa index --docs FOLDER --index "):
        load_index(tmp_path / "nothing", fake_cfg)


def test_index_built_with_other_settings_is_refused(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    with pytest.raises(IndexError_, match="other settings"):
        load_index(tmp_path / "index", replace(fake_cfg, chunk_size=500))


def test_damaged_current_generation_falls_back_to_the_previous_one(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    (docs / "b.txt").write_text("Ships\n\nThe ship carries 300 sailors.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    gen = current_generation(tmp_path / "index")
    vectors = gen / "sentence_vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-5] ^= 0xFF
    vectors.write_bytes(bytes(data))
    warnings: list[str] = []
    index = load_index(tmp_path / "index", fake_cfg, warn=warnings.append)
    assert "damaged" in warnings[0] and "sentence_vectors.npy" in warnings[0]
    assert "200 sailors" in index.doc_by_name("b.txt").text


def test_empty_folder_builds_nothing_and_says_so(tmp_path, fake_embedder, fake_cfg):
    (tmp_path / "docs").mkdir()
    with pytest.raises(IndexError_, match="no usable documents"):
        build_index_folder(tmp_path / "docs", tmp_path / "index", fake_cfg, embedder=fake_embedder)
    assert not (tmp_path / "index").exists()


def test_answers_come_from_the_fake_index(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    assistant = open_assistant(tmp_path / "index", fake_cfg, embedder=fake_embedder)
    answer = assistant.ask("How many sailors does the ship carry?")
    assert answer.passages[0].quote == "The ship carries 200 sailors."


def test_each_document_s_source_is_saved_and_an_index_saved_without_it_reads_it_from_the_text(tmp_path, fake_embedder,
                                                                                               fake_cfg):
    from qa.ingest.metadata import Source
    from qa.index.store import sha256_file

    docs = _docs(tmp_path)
    (docs / "sources.json").write_text(json.dumps({"b.txt": {"publisher": "Kyodo", "date": "2024"}}), encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    gen = current_generation(tmp_path / "index")
    rows = [json.loads(line) for line in (gen / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == [{"title": "Tanks"}, {"title": "Ships", "publisher": "Kyodo News", "date": "2024"}]
    index = load_index(tmp_path / "index", fake_cfg)
    assert index.doc_by_name("b.txt").source == Source("Ships", "Kyodo News", "2024")
    assert json.loads((gen / "manifest.json").read_text())["sources_file"] == sha256_file(docs / "sources.json")
    # an index saved before sources were recorded: no "source" in its rows, no "sources_file" in its manifest
    (gen / "documents.jsonl").write_text("".join(json.dumps({k: v for k, v in r.items() if k != "source"}) + "\n"
                                                 for r in rows), encoding="utf-8")
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["files"]["documents.jsonl"] = sha256_file(gen / "documents.jsonl")
    del manifest["sources_file"]
    (gen / "manifest.json").write_text(json.dumps(manifest))
    old = load_index(tmp_path / "index", fake_cfg)
    assert old.doc_by_name("b.txt").source == Source("Ships")  # what its text states; sources.json needs a rebuild
    assert index_status(docs, tmp_path / "index", fake_cfg) == "the index is stale (sources.json was added)"
    (docs / "sources.json").unlink()
    assert index_status(docs, tmp_path / "index", fake_cfg) is None  # no sources.json then or now: current


def test_a_changed_or_removed_sources_json_makes_the_index_stale(tmp_path, fake_embedder, fake_cfg):
    docs = _docs(tmp_path)
    (docs / "sources.json").write_text('{"a.txt": {"date": "2024"}}', encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    assert index_status(docs, tmp_path / "index", fake_cfg) is None
    (docs / "sources.json").write_text('{"a.txt": {"date": "2025"}}', encoding="utf-8")
    assert index_status(docs, tmp_path / "index", fake_cfg) == "the index is stale (sources.json changed)"
    (docs / "sources.json").unlink()
    assert index_status(docs, tmp_path / "index", fake_cfg) == "the index is stale (sources.json was removed)"
