"""The evaluation runner, baselines, SQuAD runner and report, on tiny synthetic data (fake embedder)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qa.evaluation.baselines import (LangChainRecipe, Reply, abstention_figures, ask_assistant, bm25_alone, dense_alone,
                          oracle_threshold)
from qa.config import Config
from qa.ingest.documents import parse_document
from qa.evaluation.cases import find_all
from qa.evaluation.files import EvalFileError
from qa.evaluation.runner import EvalPaths, run_eval_set
from qa.index.fake import FakeEmbedder
from qa.evaluation.report import check_gate, judge, run_and_report, write_report
from qa.evaluation.squad_runner import StoredVectors, run_squad
from tests.conftest import ROOT

CFG = Config(model="fake")
TANKS = ("Tanks\n\nThe Type 90 tank weighs 50 tonnes. It was built by Mitsubishi in 1990.\n\n"
         "The army replaced it with the Type 10. Soldiers praised the new engine.\n\n"
         "Mitsubishi also builds ships for the navy.\n")
DRONES = ("Drones\n\nJapan plans to buy drones from Israel and Australia. The budget is 397 billion yen.\n\n"
          "Officials said drones would guard the southern islands.\n\nJapan plans to buy drones from Israel and Australia.\n")
QUESTIONS = [
    {"id": "a1", "question": "How much does the Type 90 tank weigh?", "answerable": True, "file": "tanks.txt",
     "evidence": "The Type 90 tank weighs 50 tonnes.", "kind": "how_much"},
    {"id": "a2", "question": "Who built it in 1990?", "answerable": True, "file": "tanks.txt",
     "evidence": "It was built by Mitsubishi in 1990.", "kind": "who"},
    {"id": "a3", "question": "Which countries will Japan buy drones from?", "answerable": True, "file": "drones.txt",
     "evidence": "Japan plans to buy drones from Israel and Australia.", "kind": "where"},
    {"id": "u1", "question": "What is the capital of Peru?", "answerable": False, "kind": "off_topic"},
    {"id": "u2", "question": "How fast can the Type 10 swim underwater?", "answerable": False, "kind": "on_topic"},
]


@pytest.fixture()
def corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tanks.txt").write_text(TANKS, encoding="utf-8")
    (docs / "drones.txt").write_text(DRONES, encoding="utf-8")
    (tmp_path / "q.jsonl").write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    quote = {"id": "v1", "quote": "The budget is 397 billion yen.", "speaker": None, "expected_verdict": "verbatim",
             "expected_speaker_check": None, "file": "drones.txt", "kind": "verbatim"}
    (tmp_path / "quotes.jsonl").write_text(json.dumps(quote) + "\n", encoding="utf-8")
    return EvalPaths(docs, tmp_path / "q.jsonl", tmp_path / "quotes.jsonl", tmp_path / "runs")


# --- systems -----------------------------------------------------------------

def test_ask_assistant_is_assistant_ask_with_its_probability(fake_seed_assistant):
    for question in ["Why did Komatsu stop making armored vehicles?", "What is the capital of France?"]:
        expected = fake_seed_assistant.ask(question, 5)
        reply = ask_assistant(fake_seed_assistant, question, 5)
        assert reply.passages == expected.passages and reply.answered == expected.answered
        assert reply.score == expected.probability
        assert (reply.score >= fake_seed_assistant.calibration.answer_threshold) == reply.answered
        assert reply.ranked[:1] == reply.passages[:1] and len(reply.ranked) >= len(reply.passages)


def test_single_signal_baselines_quote_whole_sentences_verbatim(fake_seed_assistant):
    index = fake_seed_assistant.index
    texts = {d.name: d.text for d in index.docs}
    question = "Why did Komatsu stop making armored vehicles?"
    for reply in (bm25_alone(index, question, 3), dense_alone(index, FakeEmbedder().encode([question])[0], 3)):
        assert len(reply.passages) == 3 and reply.answered is None
        assert reply.score == pytest.approx(reply.passages[0].score, abs=1e-4)
        assert reply.passages[0].score >= reply.passages[-1].score
        for p in reply.passages:
            assert texts[p.file][p.start:p.end] == p.quote
    assert "Komatsu" in bm25_alone(index, question, 1).passages[0].quote


def test_langchain_recipe_chunks_whole_files_1000_200_with_exact_offsets():
    text = "Title\n\n" + "\n\n".join(f"Paragraph {i} says the number {i} matters to sailors. " * 2 for i in range(40))
    doc = parse_document("long.txt", text)
    recipe = LangChainRecipe([doc], FakeEmbedder())
    assert len(recipe.chunks) > 3 and max(len(c.quote) for c in recipe.chunks) <= 1000
    assert all(text[c.start:c.end] == c.quote for c in recipe.chunks)
    assert recipe.chunks[0].start == 0 and recipe.chunks[0].paragraph == 1  # the title is in the first chunk
    assert any(a.end > b.start for a, b in zip(recipe.chunks, recipe.chunks[1:]))  # chunks overlap
    qvec = FakeEmbedder().encode(["number 7 sailors"])[0]
    reply = recipe.search(qvec, 3)
    cosines = [float(FakeEmbedder().encode([c.quote])[0] @ qvec) for c in recipe.chunks]
    assert [p.score for p in reply.passages] == pytest.approx(sorted(cosines, reverse=True)[:3], abs=1e-4)
    assert reply.score == pytest.approx(max(cosines), abs=1e-4)


def test_oracle_threshold_and_abstention_figures():
    assert oracle_threshold([0.2, 0.9, 0.4, 0.7], [False, True, False, True]) == 0.7
    assert oracle_threshold([0.5, 0.5], [False, False]) == float("inf")
    replies = [Reply([], s, None) for s in (0.9, 0.8, 0.6, 0.3)]
    values, threshold, answered = abstention_figures(replies, [True, False, True, False])
    assert threshold == 0.6 and answered == [True, True, True, False]
    assert values["abstention_recall"] == 0.5 and values["false_abstention_rate"] == 0.0
    assert values["roc_auc"] == 0.75 and values["abstention_accuracy"] == 0.75
    own = [Reply([], 0.9, False), Reply([], 0.1, True)]
    values, threshold, answered = abstention_figures(own, [True, False])
    assert threshold is None and answered == [False, True] and values["abstention_accuracy"] == 0.0


def test_find_all_returns_every_occurrence_as_exact_spans():
    spans = find_all("Japan plans to buy drones", DRONES)
    assert len(spans) == 2 and all(DRONES[a:b] == "Japan plans to buy drones" for a, b in spans)
    assert find_all("not there", DRONES) == []


# --- the evaluation-set run ----------------------------------------------------

def test_run_eval_set_measures_every_system_and_reuses_its_index(corpus):
    run = run_eval_set(corpus, CFG, embedder=FakeEmbedder(), top_k=4)
    assert [s.system for s in run.systems] == ["assistant", "bm25", "dense", "langchain"]
    assert "build index" in run.seconds and run.settings["questions"] == 5
    for s in run.systems:
        assert s.values["verbatim_span_rate"] == 1.0
        assert len(s.curve) == 4 and s.curve == sorted(s.curve) and s.curve[0] == s.values["hit@1"]
        assert s.values["hit@3"] == s.curve[2] and len(s.scores) == 5
        kinds = {g for g in s.by_group if not g.startswith("shape ")}
        assert kinds == {"how_much", "who", "where", "off_topic", "on_topic"}
        # the same questions grouped by the shape the assistant reads, answerable apart from unanswerable
        assert {"shape typed", "shape other, unanswerable"} <= set(s.by_group) - kinds
        assert sum(g["n"] for k, g in s.by_group.items() if k.startswith("shape ")) == 5
    assert run.systems[1].values["hit@1"] == pytest.approx(1.0)  # BM25 finds these word-for-word questions
    assert run.systems[3].values["mean_quote_length"] > run.systems[1].values["mean_quote_length"]
    assert run.systems[0].values["quote_verdict_accuracy"] in (None, 1.0)
    assert {d["id"] for d in run.details} == {q["id"] for q in QUESTIONS}
    again = run_eval_set(corpus, CFG, embedder=FakeEmbedder(), top_k=4)
    assert "open index" in again.seconds and again.systems[0].values == run.systems[0].values


def test_a_duplicated_evidence_sentence_counts_wherever_it_is_quoted(corpus):
    run = run_eval_set(corpus, CFG, embedder=FakeEmbedder(), top_k=3)
    a3 = next(d for d in run.details if d["id"] == "a3")
    assert a3["gold"] == "drones.txt ¶2, drones.txt ¶4" and a3["rank"] == 1


def test_evidence_missing_from_its_file_is_an_error_found_before_any_model_loads(corpus, tmp_path):
    bad = dict(QUESTIONS[0], evidence="The tank floats.")
    (tmp_path / "bad.jsonl").write_text(json.dumps(QUESTIONS[1]) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    paths = EvalPaths(corpus.docs, tmp_path / "bad.jsonl", corpus.quotes, corpus.work)
    with pytest.raises(EvalFileError, match="line 2: the evidence of a1 does not occur in tanks.txt"):
        run_eval_set(paths, Config(model="no-such-model"))  # the model would fail to load: the check came first
    assert not corpus.work.exists()


# --- gate and report -----------------------------------------------------------

def test_check_gate_lower_and_upper_bounds_and_unmeasured_metrics():
    values = {"hit@1": 0.9, "false_abstention_rate": 0.05, "quote_verdict_accuracy": None}
    assert check_gate(values, {"hit@1": 0.9, "false_abstention_rate_max": 0.05, "quote_verdict_accuracy": 1.0}) == []
    assert check_gate(values, {"hit@1": 0.91}) == ["hit@1 = 0.900 < 0.910"]
    assert check_gate(values, {"false_abstention_rate_max": 0.04}) == ["false_abstention_rate = 0.050 > 0.040"]


def test_write_report_writes_markdown_json_and_plots(corpus, tmp_path):
    run = run_eval_set(corpus, CFG, embedder=FakeEmbedder(), top_k=3)
    targets = {"hit@1": 0.9, "false_abstention_rate_max": 0.05}
    gate = judge(run, {"hit@1": 2.0}, targets, "eval/config.json")
    written = write_report(run, tmp_path / "out", gate, targets)
    assert [p.name for p in written] == ["report.md", "report.json", "abstention.png", "hit_at_k.png"]
    assert all(p.stat().st_size > 0 for p in written)
    assert written[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = written[0].read_text(encoding="utf-8")
    assert "FAILED: hit@1 = 1.000 < 2.000" in md and "| metric | assistant | BM25 alone | dense alone |" in md
    assert "![abstention score distributions](abstention.png)" in md and "| off_topic | 1 |" in md
    data = json.loads(written[1].read_text(encoding="utf-8"))
    assert set(data["systems"]) == {"assistant", "bm25", "dense", "langchain"}
    assert data["targets"]["false_abstention_rate"]["target"] == "≤ 0.05"
    assert data["gate"]["passed"] is False and data["gate"]["failures"] == ["hit@1 = 1.000 < 2.000"]
    assert data["systems"]["bm25"]["values"]["hit@1"] == run.systems[1].values["hit@1"]


def test_run_and_report_exit_code_follows_the_gate(corpus, tmp_path, capsys):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"top_k": 3, "thresholds": {"verbatim_span_rate": 1.0}}), encoding="utf-8")
    assert run_and_report(CFG, config, tmp_path / "out", corpus, embedder=FakeEmbedder()) == 0
    assert "gate: passed" in capsys.readouterr().out
    config.write_text(json.dumps({"thresholds": {"hit@1": 1.01, "false_abstention_rate_max": -1}}), encoding="utf-8")
    assert run_and_report(CFG, config, tmp_path / "out", corpus, embedder=FakeEmbedder()) == 1
    out = capsys.readouterr().out
    assert "gate FAILED: hit@1" in out and "false_abstention_rate" in out and "BM25 alone" in out


def test_python_m_eval_is_the_qa_eval_command():
    done = subprocess.run([sys.executable, "-m", "eval", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--squad FILE" in done.stdout and "--limit N" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "eval", "--limit", "-1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--limit" in bad.stderr


# --- SQuAD ---------------------------------------------------------------------

SQUAD = {"version": "v2.0", "data": [
    {"title": "Normans", "paragraphs": [
        {"context": "The Normans gave their name to Normandy, a region in France. Rollo was their first ruler.",
         "qas": [{"id": "n1", "question": "In what country is Normandy?", "is_impossible": False,
                  "answers": [{"text": "France", "answer_start": 54}]},
                 {"id": "n2", "question": "Who was the last ruler of the Normans?", "is_impossible": True, "answers": []}]}]},
    {"title": "Steam", "paragraphs": [
        {"context": "James Watt improved the steam engine in 1781. Steam engines powered the mills.",
         "qas": [{"id": "s1", "question": "When did Watt improve the steam engine?", "is_impossible": False,
                  "answers": [{"text": "1781", "answer_start": 40}]},
                 {"id": "s2", "question": "?!", "is_impossible": False, "answers": [{"text": "mills", "answer_start": 1}]}]}]},
]}


def test_run_squad_converts_indexes_and_scores_answer_strings(tmp_path):
    source = tmp_path / "tiny-squad.json"
    source.write_text(json.dumps(SQUAD), encoding="utf-8")
    run = run_squad(source, CFG, runs=tmp_path / "runs", embedder=FakeEmbedder(), top_k=3)
    assert run.name == "squad" and run.settings["questions"] == 3 and run.settings["refused as bad questions"] == 1
    bm25 = run.systems[1].values
    assert bm25["answer@1"] == 1.0 and bm25["paragraph@1"] == 1.0 and bm25["verbatim_span_rate"] == 1.0
    groups = run.systems[0].by_group  # per article, then per shape as the assistant reads the question
    assert set(groups) == {"00_Normans.txt", "01_Steam.txt", "shape other", "shape role", "shape typed"}
    assert groups["00_Normans.txt"]["n"] == 2 and set(groups["shape role"]) == {"n", "unanswerable answered"}
    assert set(groups["shape typed"]) == {"n", "answer@1", "answer@3"}
    assert list((tmp_path / "runs").iterdir())[0].name.startswith("squad-tiny-squad-")
    sampled = run_squad(source, CFG, runs=tmp_path / "runs", embedder=FakeEmbedder(), limit=2, top_k=3)
    assert "open index" in sampled.seconds and sampled.settings["of all questions"] == 4
    assert sampled.settings["questions"] + sampled.settings["refused as bad questions"] == 2
    assert run.settings["articles not indexed"] == "none"


def test_run_squad_names_an_article_the_index_left_out(tmp_path):
    twice = {"data": SQUAD["data"] + [SQUAD["data"][1]]}  # the same article again: duplicate content
    source = tmp_path / "twice.json"
    source.write_text(json.dumps(twice), encoding="utf-8")
    run = run_squad(source, CFG, runs=tmp_path / "runs", embedder=FakeEmbedder(), top_k=3)
    assert run.settings["articles"] == 2 and run.settings["articles not indexed"].startswith("02_Steam.txt (")


def test_stored_vectors_are_reused_across_runs(tmp_path):
    class Counting(FakeEmbedder):
        calls: list = []

        def encode(self, texts, progress=False):
            self.calls.append(list(texts))
            return super().encode(texts, progress)

    inner = Counting()
    first = StoredVectors(inner, tmp_path / "v.npz").encode(["alpha beta", "gamma", "alpha beta"])
    again = StoredVectors(inner, tmp_path / "v.npz")
    assert (again.encode(["gamma", "alpha beta"]) == first[[1, 0]]).all()
    assert inner.calls == [["alpha beta", "gamma"]]
    again.encode(["delta"])
    assert inner.calls[-1] == ["delta"] and again.encode([]).shape == (0, 64)
