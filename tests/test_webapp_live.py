"""The served app keeps its promises: it follows rebuilds, bounds every request body, validates every call.

Real servers on free local ports, the fake embedder, talked to over HTTP.
"""

from __future__ import annotations

import contextlib
import re
import gc
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path

import httpx

import pytest

gradio_client = pytest.importorskip("gradio_client")

from qa.index.build import build_index_folder  # noqa: E402
from qa.live import LiveAssistant  # noqa: E402
from qa.web import app as webapp  # noqa: E402
from tests.conftest import ROOT  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(assistant):
    demo = webapp.build_app(assistant)
    _, url, _ = webapp.launch(demo, port=free_port(), block=False, quiet=True)
    return demo, url.rstrip("/")


def cited(client, question: str) -> list[tuple[str, str]]:
    """(file, quote) of every passage the served app gives for ``question``."""
    return [(p["file"], p["quote"]) for p in client.predict(question, api_name="/ask")["passages"]]


APP = ("import sys, qa.pipeline; from qa.index.fake import FakeEmbedder; "
       "qa.pipeline.load_embedder = lambda *a, **k: FakeEmbedder(); "
       "from qa.web.app import main; main(sys.argv[1:])")


@contextlib.contextmanager
def running_app(index, log_path):
    """``app.py --index INDEX`` in its own process (the fake embedder patched in), until the block ends."""
    port = free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-c", APP, "--index", str(index), "--model", "fake", "--port", str(port)],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, Path(log_path).read_text()
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_served_app_follows_rebuilds_as_documents_are_added_changed_and_removed(tmp_path, fake_embedder, fake_cfg):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "tank.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    (docs / "ships.txt").write_text("Each destroyer carries 200 sailors.", encoding="utf-8")

    def rebuild():
        build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
        time.sleep(1.1)  # the app looks for a new generation at most once a second

    rebuild()
    with running_app(index, tmp_path / "app.log") as url:
        client = gradio_client.Client(url, verbose=False)
        assert cited(client, "How many sailors does a destroyer carry?")[0][0] == "ships.txt"

        (docs / "drones.txt").write_text("The reconnaissance drones fly 300 kilometres.", encoding="utf-8")
        rebuild()
        assert cited(client, "How far do the reconnaissance drones fly?")[0] == (
            "drones.txt", "The reconnaissance drones fly 300 kilometres.")

        (docs / "tank.txt").write_text("The Type 90 tank weighs 60 tonnes.", encoding="utf-8")
        rebuild()
        assert cited(client, "How much does the Type 90 tank weigh?")[0] == ("tank.txt", "The Type 90 tank weighs 60 tonnes.")

        (docs / "ships.txt").unlink()
        rebuild()
        assert "ships.txt" not in {f for f, _ in cited(client, "How many sailors does a destroyer carry?")}
    log = (tmp_path / "app.log").read_text()
    assert [line.split()[4] for line in log.splitlines() if "now answering from" in line] == \
        ["gen-000002", "gen-000003", "gen-000004"], log


def test_a_swapped_out_generation_is_released(tmp_path, fake_embedder, fake_cfg):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    live = LiveAssistant(index, fake_cfg, embedder=fake_embedder, check_every=0)
    h = webapp.Handlers(live)
    first = weakref.ref(live.index)
    assert "qa-card" in h.ask_html("How heavy is the tank?")
    (docs / "a.txt").write_text("The Type 90 tank weighs 60 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    assert "60 tonnes" in h.ask_html("How heavy is the tank?")
    gc.collect()
    assert first() is None, "the old generation is still held after the swap"


def test_the_sources_tab_lists_the_documents_of_the_generation_now_served(tmp_path, fake_embedder, fake_cfg):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.txt").write_text("Alpha\n\nThe Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    h = webapp.Handlers(LiveAssistant(index, fake_cfg, embedder=fake_embedder, check_every=0))
    assert list(h.docs) == ["a.txt"]
    (docs / "b.txt").write_text("Bravo\n\nShips carry 200 sailors.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    assert h.refresh_sources("a.txt", h.generation())[0] == {"__type__": "update"}  # no rebuild: nothing redrawn
    shown = h.generation()
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    facts, pick, view, now = h.refresh_sources("b.txt", shown)
    assert now != shown
    assert [name for _, name in pick.choices] == ["a.txt", "b.txt"] and pick.value == "b.txt"
    assert "Ships carry 200 sailors." in view and "<strong>2</strong> articles" in facts
    assert list(h.docs) == ["a.txt", "b.txt"]  # citations open documents of the new generation too


def test_a_stale_index_says_so_on_the_page(tmp_path, fake_embedder, fake_cfg):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    h = webapp.Handlers(LiveAssistant(index, fake_cfg, embedder=fake_embedder, check_every=0))
    assert "qa-stale" not in h.refresh_sources(None, None)[0]
    (docs / "b.txt").write_text("Ships carry 200 sailors.", encoding="utf-8")
    facts = h.refresh_sources(None, None)[0]
    assert "qa-stale" in facts and "b.txt" in facts and "qa index" in facts


@pytest.fixture(scope="module")
def server(fake_seed_assistant):
    demo, url = serve(fake_seed_assistant)
    yield url
    demo.close()


def chunked_post(url: str, path: str, total: int, chunk: int = 16 * 1024) -> tuple[int, int]:
    """POST ``total`` bytes to ``path`` with ``Transfer-Encoding: chunked`` (no Content-Length);
    the response status, and how many body bytes had been sent when it came."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n".encode())
    sent, reply = 0, b""
    sock.setblocking(False)
    try:
        while sent < total and not reply:
            try:
                sock.sendall(f"{chunk:x}\r\n".encode() + b" " * chunk + b"\r\n")
                sent += chunk
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                time.sleep(0.01)
            try:
                reply = sock.recv(4096)
            except BlockingIOError:
                pass
        sock.settimeout(10)
        if not reply:
            sock.sendall(b"0\r\n\r\n")
            reply = sock.recv(4096)
    finally:
        sock.close()
    return int(reply.split(b" ", 2)[1]), sent


@pytest.mark.parametrize("path", ["/gradio_api/call/ask", "/gradio_api/queue/join"])
def test_a_chunked_upload_past_the_cap_is_refused_while_it_arrives(server, path):
    status, sent = chunked_post(server, path, total=100 * 1024 * 1024)
    assert status == 413
    assert sent < 4 * 1024 * 1024, f"the server read {sent:,} bytes before refusing"


def test_a_chunked_request_under_the_cap_still_works(server):
    host, port = server.removeprefix("http://").split(":")
    body = b'{"data": ["Why did Komatsu stop making armored vehicles?"]}'
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{len(body):x}\r\n".encode() + body
                     + b"\r\n0\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):  # the server closes the connection after its reply
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200") and b"event_id" in reply


def rest(url: str, api: str, payload) -> tuple[int, str]:
    """POST a raw REST call; (status, the error message or the result's event)."""
    response = httpx.post(f"{url}/gradio_api/call/{api}", json=payload)
    if response.status_code != 200:
        return response.status_code, response.json()["error"]
    result = httpx.get(f"{url}/gradio_api/call/{api}/{response.json()['event_id']}", timeout=30).text
    return 200, result.split("\n", 1)[0]


@pytest.mark.parametrize("api, data, message", [
    ("ask", [], "ask takes 1 to 2 arguments (question, top_k), not 0"),
    ("ask", ["Why?", 3, 4], "ask takes 1 to 2 arguments (question, top_k), not 3"),
    ("ask", ["Why?"] + [1] * 9, "ask takes 1 to 2 arguments (question, top_k), not 10"),
    ("ask", ["Why?", 3.7], "top_k must be a whole number or null, not 3.7"),
    ("ask", ["Why?", "3"], 'top_k must be a whole number or null, not "3"'),
    ("ask", ["Why?", True], "top_k must be a whole number or null, not true"),
    ("ask", [5], "question must be text, not 5"),
    ("ask", [None], "question is required"),
    ("verify", [], "verify takes 1 to 2 arguments (quote, speaker), not 0"),
    ("verify", ["a quote", "Sato", "extra"], "verify takes 1 to 2 arguments (quote, speaker), not 3"),
    ("verify", ["a quote", 5], "speaker must be text or null, not 5"),
])
def test_a_rest_call_with_wrong_arguments_is_told_what_is_wrong(server, api, data, message):
    assert rest(server, api, {"data": data}) == (422, message)


@pytest.mark.parametrize("payload, message", [
    ("not a dict", "the request body must be {\"data\": [...]} with ask's arguments"),
    ({"data": "Why?"}, "the request body must be {\"data\": [...]} with ask's arguments"),
])
def test_a_rest_call_of_the_wrong_shape_is_told_so(server, payload, message):
    assert rest(server, "ask", payload) == (422, message)


def test_optional_rest_arguments_may_be_left_out(server):
    assert rest(server, "ask", {"data": ["Why did Komatsu stop making armored vehicles?"]}) == (200, "event: complete")
    assert rest(server, "verify", {"data": ["Supply chains can be reconstructed in just one to two years."]}) == \
        (200, "event: complete")


@pytest.mark.parametrize("top_k, message", [(3.7, "top_k must be a whole number or null, not 3.7"),
                                            ("3", 'top_k must be a whole number or null, not "3"'),
                                            (True, "top_k must be a whole number or null, not true")])
def test_the_client_path_refuses_a_top_k_that_is_not_a_whole_number(server, top_k, message):
    client = gradio_client.Client(server, verbose=False)
    with pytest.raises(gradio_client.exceptions.AppError, match=re.escape(message)):
        client.predict("Why did Komatsu stop making armored vehicles?", top_k, api_name="/ask")


def test_a_busy_port_is_one_line_saying_to_pass_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stop:
            webapp.main(["--index", str(tmp_path / "never-read"), "--port", str(port)])
    assert str(stop.value) == f"app.py: port {port} is in use on 127.0.0.1; pass --port with a free one (e.g. --port 7861)"


def test_the_start_up_line_names_the_address_and_the_share_flag_not_gradio_s_advice(tmp_path, fake_embedder, fake_cfg):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    with running_app(index, tmp_path / "app.log") as url:
        assert httpx.get(url + "/").status_code == 200
        # The page answers as soon as Gradio's server is up; the line is printed when launch() returns,
        # a moment later on a loaded machine (CI once read an empty log here).
        line = f"app.py: serving {url}/ (this machine only; --host to change)"
        deadline = time.monotonic() + 30
        while line not in (tmp_path / "app.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    log = (tmp_path / "app.log").read_text()
    assert line in log
    assert "share=True" not in log and "Traceback" not in log


def test_the_page_reads_the_folder_again_only_when_its_listing_changed(tmp_path, fake_embedder, fake_cfg, monkeypatch):
    """Every page load asks whether the index is stale; the folder is read anew only when a file changed."""
    import qa.index.staleness as staleness

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, index, fake_cfg, embedder=fake_embedder)
    h = webapp.Handlers(LiveAssistant(index, fake_cfg, embedder=fake_embedder, check_every=0))
    reads = []
    original = staleness.folder_staleness
    monkeypatch.setattr(staleness, "folder_staleness", lambda *a, **k: reads.append(1) or original(*a, **k))
    for _ in range(3):
        assert "qa-stale" not in h.refresh_sources(None, None)[0]
    assert len(reads) == 1
    (docs / "a.txt").write_text("The Type 90 tank weighs 60 tonnes!", encoding="utf-8")
    assert "a.txt changed" in h.refresh_sources(None, None)[0] and len(reads) == 2
