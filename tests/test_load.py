"""Load: 200 questions at once through the HTTP API, and a rebuild in the middle (fake embedder).

The full run with the real model: ``python -m qa.bench.loadtest --requests 200``.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time

import pytest

from qa.web import app as webapp
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.live import LiveAssistant
from qa.bench.loadtest import rss_mib, run_load, send, tally
from qa.pipeline import build_index_folder, open_assistant
from tests.conftest import ROOT, SEEDS

CFG = Config(model="fake")
REQUESTS = 200


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    pool = [r["question"] for r in rows]
    return [pool[i % len(pool)] for i in range(REQUESTS)]


def _answers(index_dir, questions) -> dict[str, dict]:
    assistant = open_assistant(index_dir, CFG, embedder=FakeEmbedder())
    return {q: assistant.ask(q).as_json() for q in dict.fromkeys(questions)}


@pytest.fixture()
def served(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    live = LiveAssistant(index, CFG, embedder=FakeEmbedder(), check_every=0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = webapp.build_app(live)
    _, url, _ = webapp.launch(demo, port=port, block=False, quiet=True)
    yield docs, index, url
    demo.close()


def test_200_concurrent_questions_each_get_their_own_answer_or_busy(served):
    docs, index, url = served
    questions = _questions()
    expected = {q: [a] for q, a in _answers(index, questions).items()}
    before = rss_mib()
    result = run_load(url, questions, expected)
    after = rss_mib()
    print("load:", result.summary(), f"rss {before:.0f} -> {after:.0f} MiB")
    assert result.sent == REQUESTS
    assert result.wrong == 0 and result.failed == 0, result.errors[:3]
    assert result.answered + result.busy == REQUESTS and result.answered >= 10
    assert after - before < 300  # memory stays bounded under the burst


def test_a_rebuild_during_load_never_mixes_generations(served):
    docs, index, url = served
    questions = _questions()
    old = _answers(index, questions)
    replies: dict = {}
    sender = threading.Thread(target=lambda: replies.update(r=send(url, questions)))
    sender.start()
    time.sleep(0.2)
    (docs / "zz_new.txt").write_text("Komatsu news\n\nKomatsu stopped making armored vehicles, Komatsu said again.", encoding="utf-8")
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    sender.join(timeout=120)
    new = _answers(index, questions)
    assert any(old[q] != new[q] for q in old), "the rebuild should change some answers"
    result = tally(questions, replies["r"], {q: [old[q], new[q]] for q in questions})
    print("load with rebuild:", result.summary())
    assert result.wrong == 0 and result.failed == 0, result.errors[:3]
    assert result.answered + result.busy == REQUESTS
    after = run_load(url, questions[:5], {q: [new[q]] for q in questions[:5]})
    assert after.answered + after.busy == 5 and after.wrong == 0  # once switched, only the new generation answers


def test_the_load_test_refuses_non_loopback_targets():
    with pytest.raises(ValueError, match="only targets this machine"):
        send("http://10.0.0.5:7860", ["hi"])
