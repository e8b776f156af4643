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
    yield docs, index, url, demo
    demo.close()


def test_200_concurrent_questions_each_get_their_own_answer_or_busy(served):
    docs, index, url, demo = served
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
    docs, index, url, demo = served
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


def test_what_gradio_keeps_per_request_stays_bounded_over_two_rounds(served, monkeypatch):
    """Every REST call is a new Gradio session; sessions' page state, analytics and event ids stay capped."""
    import qa.web.memory as memory

    monkeypatch.setattr(memory, "PRUNE_EVERY_S", 0.0)  # look at every request and forget after a second,
    monkeypatch.setattr(memory, "GRACE_S", 1.0)        # so the cap shows within the test
    docs, index, url, demo = served
    questions = _questions()
    expected = {q: [a] for q, a in _answers(index, questions).items()}
    for _ in range(2):
        result = run_load(url, questions + questions[:100], expected, clients=20)
        assert result.wrong == 0 and result.failed == 0, result.errors[:3]
        assert result.answered + result.busy == 300
    queue = demo._queue
    assert len(queue.server_app.state_holder.session_data) <= memory.SESSIONS_KEPT
    assert len(queue.event_analytics) <= memory.ANALYTICS_KEPT
    for _ in range(2):  # the first pass sees every session above finished, the next, a grace later, forgets them
        time.sleep(1.2)
        send(url, questions[:1])
    assert len(queue.pending_event_ids_session) <= 8, len(queue.pending_event_ids_session)
    assert len(queue.pending_messages_per_session) <= 8, len(queue.pending_messages_per_session)


def test_the_pruner_forgets_only_sessions_that_stayed_finished():
    from types import SimpleNamespace

    from qa.web.memory import Pruner

    queue = SimpleNamespace(pending_event_ids_session={"done": {"e1"}, "busy": {"e2"}, "new": set()},
                            event_ids_to_events={"e2": object()})
    app = SimpleNamespace(get_blocks=lambda: SimpleNamespace(_queue=queue))
    pruner = Pruner()
    pruner._last = -1e9
    assert pruner.maybe_prune(app) == 0  # just seen finished: kept, a result stream may still read it
    pruner._last, pruner._finished_since = -1e9, {s: -1e9 for s in pruner._finished_since}
    assert pruner.maybe_prune(app) == 2
    assert queue.pending_event_ids_session == {"busy": {"e2"}}
