"""The real model on the real seeds: the answers the core issue promises."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows]


def test_ambassador_question_returns_the_sentence_naming_rahm_emanuel(real_assistant):
    answer = real_assistant.ask("What did the U.S. ambassador say about Japan's manufacturing capacity?")
    top = answer.passages[0]
    assert answer.answered
    assert (top.file, top.paragraph) == ("002_ba0d5cdbb7c8509b.txt", 3)
    assert "Rahm Emanuel" in top.quote and "manufacturing capacity" in top.quote


def test_komatsu_question_returns_000_paragraph_26(real_assistant):
    answer = real_assistant.ask("Why did Komatsu stop making armored vehicles?")
    assert answer.answered
    assert (answer.passages[0].file, answer.passages[0].paragraph) == ("000_57a4e97e2b8caa9f.txt", 26)


def test_off_topic_question_is_not_answered_but_shows_the_closest_passages(real_assistant):
    answer = real_assistant.ask("What is the capital of France?", top_k=5)
    assert answer.answered is False and answer.confidence == "low"
    assert len(answer.passages) == 3 and answer.passages == answer.ranked[:3]


def test_every_passage_over_the_whole_question_set_is_verbatim(real_assistant):
    texts = {d.name: d.text for d in real_assistant.index.docs}
    checked = 0
    for question in _questions():
        for p in real_assistant.ask(question, top_k=5).passages:
            assert texts[p.file][p.start:p.end] == p.quote
            assert real_assistant.index.doc_by_name(p.file).paragraph(p.paragraph).kind == "body"
            checked += 1
    assert checked > 300


def test_batch_cli_loads_once_and_answers_every_line(real_seed_index_dir):
    questions = ["Why did Komatsu stop making armored vehicles?", "", "What is the capital of France?"]
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "ask", "--json", "-", "--index", str(real_seed_index_dir), "--docs", str(ROOT / "seeds")],
        input="\n".join(questions) + "\n", capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r.get("question") for r in rows] == questions
    assert rows[0]["answered"] is True and "error" in rows[1] and rows[2]["answered"] is False
    assert "Traceback" not in proc.stderr
    print(f"batch of 3 with start-up: {time.perf_counter() - started:.1f} s")
