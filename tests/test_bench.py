"""qa bench: a tiny run with the fake embedder, the scaling helpers, the report, the embedding fast path."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.bench.run import BenchOptions, run_bench
from qa.bench.report import markdown, targets
from qa.ingest.documents import read_folder
from qa.index.fake import FakeEmbedder
from qa.bench.scale import ReplayEmbedder, interleaved, latency, repeat_collection, stage_timer, timed_build
from qa.bench.scalechild import measure_search, synthetic_vectors

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-out")
    opts = BenchOptions(out=out, docs=ROOT / "seeds", questions=ROOT / "eval" / "questions.jsonl", quick=True,
                        processes=False, embedder=FakeEmbedder())
    return run_bench(opts), out


def test_tiny_run_writes_every_report_section(tiny_run):
    result, out = tiny_run
    text = (out / "bench.md").read_text(encoding="utf-8")
    for heading in ("# Performance and scale", "## Targets", "## Seeds", "Build throughput", "LangChain peer"):
        assert heading in text
    assert "| library: `Assistant.ask` |" in text
    assert (out / "bench.png").stat().st_size > 10_000
    figures = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert figures["seeds"]["library"]["ask"]["n"] == len((ROOT / "eval" / "questions.jsonl").read_text().splitlines())
    assert figures["seeds"]["library"]["ask"]["p50_ms"] > 0
    assert figures["seeds"]["build"]["sentences"] == result["seeds"]["build"]["sentences"] > 100
    assert set(figures["seeds"]["build"]["stages_last_build"]) >= {"split_documents", "embed_sentences", "build_bm25"}
    assert figures["seeds"]["dense_index"] == "IndexIVFFlat (exact)" and "squad" not in figures  # --quick: seeds only


def test_tiny_run_reports_build_time_per_mb_of_web_pages_and_pdfs(tiny_run):
    result, out = tiny_run
    figures = json.loads((out / "bench.json").read_text(encoding="utf-8"))["sources"]
    seeds = len(read_folder(ROOT / "seeds")[0])
    for form in ("html", "pdf"):
        f = figures[form]
        # two separate timings on a shared machine: both measured, their order not asserted (it flipped under load)
        assert f["files"] == 3 * seeds and f["mb"] > 0 and f["build_s_per_mb"] > 0 and f["extract_s_per_mb"] > 0
        assert f["sentences"] > 300  # every copy of every article indexed, in either form
    assert "## Web pages and PDFs: build time per MB" in (out / "bench.md").read_text(encoding="utf-8")


def test_targets_mark_missing_figures_as_not_measured():
    rows = {name: (value, met) for name, value, met in targets({"seeds": {"library": {"ask": {"p50_ms": 30.0, "p95_ms": 20.0}}}})}
    assert rows["library p50 ≤ 25 ms (seeds, warm)"] == (30.0, "**no**")
    assert rows["library p95 ≤ 50 ms (seeds, warm)"] == (20.0, "yes")
    assert rows["1M search p50 ≤ 10 ms"] == (None, None)


def test_report_says_when_the_http_api_is_pending(tiny_run):
    result, _ = tiny_run
    pending = {**result, "seeds": {**result["seeds"], "http": {"status": "pending", "reason": "no endpoint ask"}}}
    assert "HTTP API: pending -- no endpoint ask" in markdown(pending)


def test_interleaved_runs_take_turns():
    calls = []
    out = interleaved({"a": lambda q: calls.append(("a", q)), "b": lambda q: calls.append(("b", q))}, ["x", "y"], warm=0)
    assert calls == [("a", "x"), ("b", "x"), ("a", "y"), ("b", "y")]
    assert out["a"]["n"] == 2 and latency([])["p50_ms"] is None


def test_repeated_collection_is_all_indexed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Tanks\n\nThe tank weighs 50 tonnes.", encoding="utf-8")
    assert repeat_collection(src, tmp_path / "out", 3) == 3
    docs, skipped = read_folder(tmp_path / "out")
    assert len(docs) == 3 and not skipped  # the copy mark keeps them apart
    assert docs[2].text.startswith("Tanks (copy 2)\n")


def test_replay_embedder_repeats_real_vectors_with_small_noise():
    fake = FakeEmbedder(dim=64)
    known = {"The tank weighs 50 tonnes.": fake.encode(["The tank weighs 50 tonnes."])[0]}
    replay = ReplayEmbedder(dict(known), fake)
    first, again = replay.encode(["The tank weighs 50 tonnes.", "The tank weighs 50 tonnes."])
    np.testing.assert_allclose(first, known["The tank weighs 50 tonnes."], atol=1e-6)
    assert 0.9 < float(first @ again) < 0.9999
    titled = replay.encode(["Tanks (copy 7)"])[0]  # the copy mark is not part of the text's vector
    np.testing.assert_allclose(titled, fake.encode(["Tanks"])[0], atol=1e-6)
    assert np.allclose(np.linalg.norm(replay.encode(["new text", "new text"]), axis=1), 1)


def test_stage_timer_times_and_restores():
    import qa.index.lexical

    original, seconds = qa.index.lexical.tokenize, {}
    with stage_timer(qa.index.lexical, ["tokenize"], seconds):
        qa.index.lexical.tokenize("tanks rumble")
        qa.index.lexical.tokenize("drones fly")
    assert qa.index.lexical.tokenize is original and seconds["tokenize"] > 0


def test_timed_build_splits_the_build_into_stages(tmp_path, fake_embedder, fake_cfg):
    report, stages = timed_build(ROOT / "seeds", tmp_path / "index", fake_cfg, fake_embedder)
    assert report.sentences > 100 and stages["embed_sentences"] > 0
    assert abs(sum(stages.values()) - report.seconds) < 0.01


def test_search_stage_measure_on_a_small_synthetic_set(tmp_path):
    base = FakeEmbedder(dim=32).encode(["tank", "drone", "rifle", "ship", "radar"])
    queries = FakeEmbedder(dim=32).encode(["a tank", "a drone ship", "radar"])
    vectors = synthetic_vectors(base, 1000)
    assert vectors.shape == (1000, 32) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    result = measure_search(2000, base, queries, tmp_path)
    assert result["chosen"]["type"] == "IndexIVFFlat" and result["chosen"]["exact"] and result["recall_at_10_real_questions"] == 1.0
    assert result["exact"]["n"] == 3 and not list(tmp_path.iterdir())  # the index file was removed


def test_bench_is_a_subcommand_and_help_stays_light():
    from qa.cli import build_parser

    args = build_parser().parse_args(["bench", "--quick"])
    assert args.command == "bench" and args.quick and not args.scale


@pytest.mark.integration
@pytest.mark.slow
def test_fast_embedding_equals_sentence_transformers(real_embedder):
    """The single-question and batch paths give sentence-transformers' vectors (to float tolerance)."""
    import torch

    from qa.index.bert import BertEmbedder
    from qa.ingest.chunking import split_documents
    from qa.index.embedding import SentenceTransformerEmbedder

    assert isinstance(real_embedder, BertEmbedder)
    docs, _ = read_folder(ROOT / "seeds")
    texts = [s.text for s in split_documents(docs, 1000, 100).sentences][:80]
    texts += [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines()[:40]]
    texts += ["", "ß café naïve — “quoted” 東京", "word " * 600]  # empty, unicode, truncated at 256 tokens
    plain = SentenceTransformerEmbedder(real_embedder.name)._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(real_embedder.encode(texts), plain, atol=1e-5)
    singles = np.concatenate([real_embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(singles, plain, atol=1e-5)
    assert torch.get_num_threads() == 1  # a question runs on one thread


def test_child_process_prints_one_json_object(tmp_path):
    from qa.bench.scale import _child

    fake = FakeEmbedder(dim=16)
    np.savez(tmp_path / "known.npz", texts=np.array(["tank", "drone"]), vectors=fake.encode(["tank", "drone"]))
    np.save(tmp_path / "questions.npy", fake.encode(["a tank?", "a drone?"]))
    result = _child(["search", "--n", 500, "--known", tmp_path / "known.npz", "--questions", tmp_path / "questions.npy",
                     "--work", tmp_path])
    assert result["n"] == 500 and result["peak_rss_mib"] > 0 and "error" not in result
