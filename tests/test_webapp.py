"""The web app as a program meets it: gradio_client against a server on a free local port (fake embedder)."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import pytest

gradio_client = pytest.importorskip("gradio_client")

from gradio_client.utils import QueueError  # noqa: E402

from qa.web import app as webapp  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402

QUESTION = "Why did Komatsu stop making armored vehicles?"
VERBATIM = "The problem is, Japan’s defense products are not first grade."
ALTERED = "Supply chains can be reconstructed in just one to two years."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(assistant, **kwargs):
    demo = webapp.build_app(assistant)
    _, url, _ = webapp.launch(demo, port=free_port(), block=False, quiet=True, **kwargs)
    return demo, url.rstrip("/")


@pytest.fixture(scope="module")
def server(fake_seed_assistant):
    demo, url = serve(fake_seed_assistant)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def client(server):
    return gradio_client.Client(server, verbose=False)


def test_named_endpoints_are_ask_and_verify(client):
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask", "/verify"}


def test_ask_returns_the_cli_json(client, fake_seed_assistant):
    out = client.predict(QUESTION, api_name="/ask")
    assert out == fake_seed_assistant.ask(QUESTION).as_json()
    assert set(out) >= {"question", "answered", "confidence", "passages"}
    top = out["passages"][0]
    assert set(top) >= {"file", "paragraph", "start", "end", "quote", "score"}
    doc = fake_seed_assistant.index.doc_by_name(top["file"])
    assert doc.text[top["start"]:top["end"]] == top["quote"]


def test_ask_takes_top_k(client):
    assert len(client.predict(QUESTION, 1, api_name="/ask")["passages"]) == 1
    with pytest.raises(gradio_client.exceptions.AppError, match="top-k must be between 1 and 50"):
        client.predict(QUESTION, 99, api_name="/ask")


def test_verify_returns_the_cli_json(client, fake_seed_assistant):
    out = client.predict(VERBATIM, "Heigo Sato", api_name="/verify")
    assert out == webapp.verify_json(fake_seed_assistant.index, VERBATIM, "Heigo Sato")
    assert out["verdict"] == "verbatim" and out["speaker_check"] == "confirmed"
    assert {"file", "paragraph", "start", "end", "source_text", "similarity", "diff", "meaning_changes"} <= set(out["matches"][0])


def test_verify_an_altered_quote_lists_the_edit_that_changes_the_meaning(client):
    out = client.predict(ALTERED, api_name="/verify")
    assert out["verdict"] == "altered" and out["speaker_check"] is None
    edits = [(d["op"], d["quote"], d["source"]) for d in out["matches"][0]["diff"] if d["op"] != "equal"]
    assert edits == [("replace", "can", "cannot")]
    assert out["matches"][0]["meaning_changes"][0]["kind"] == "negation"


@pytest.mark.parametrize("args, api, message", [
    (("x" * 3000,), "/ask", "the question is too long"),
    (("",), "/ask", "the question is empty"),
    (("word " * 1001,), "/verify", "the quote is too long"),
    ((VERBATIM, "S" * 300), "/verify", "the speaker is too long"),
])
def test_bad_input_is_a_clear_error_and_the_server_keeps_answering(client, args, api, message):
    with pytest.raises(gradio_client.exceptions.AppError, match=message):
        client.predict(*args, api_name=api)
    assert client.predict(QUESTION, api_name="/ask")["passages"]


def test_the_page_is_served_but_no_file_route_serves_the_index_or_the_sources(server, fake_seed_assistant, tmp_path):
    assert httpx.get(server + "/").status_code == 200
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for target in (SEEDS / "000_57a4e97e2b8caa9f.txt", secret, "seeds/000_57a4e97e2b8caa9f.txt", "../../etc/passwd",
                   "http://169.254.169.254/latest/meta-data/"):
        for route in ("/gradio_api/file=", "/gradio_api/file/", "/file=", "/gradio_api/proxy="):
            response = httpx.get(f"{server}{route}{target}")
            assert response.status_code == 404 and "secret" not in response.text, (route, target)
    upload = httpx.post(server + "/gradio_api/upload", files={"files": ("a.txt", b"hello")})
    assert upload.status_code == 404
    for path in ("/monitoring", "/gradio_api/openapi.json", "/openapi.json", "/docs", "/gradio_api/runs"):
        assert httpx.get(server + path).status_code == 404, path


def test_an_oversized_request_body_is_refused(server):
    response = httpx.post(server + "/gradio_api/queue/join", content=b"{" + b" " * (webapp.MAX_BODY_BYTES + 1) + b"}",
                          headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_defaults_are_local_and_private():
    args = webapp.parse_args([])
    assert (args.host, args.port, args.share, args.index) == ("127.0.0.1", 7860, False, "index")
    assert webapp.parse_args(["--share", "--host", "0.0.0.0"]).share is True


def test_a_missing_index_is_one_clear_line(tmp_path):
    with pytest.raises(SystemExit) as stop:
        webapp.main(["--index", str(tmp_path / "nowhere")])
    assert str(stop.value).startswith("app.py: ") and "index" in str(stop.value) and "\n" not in str(stop.value)


def test_gradio_is_new_enough():
    import gradio

    webapp.check_gradio(gradio.__version__)
    with pytest.raises(RuntimeError, match="advisories"):
        webapp.check_gradio("6.19.9")


class SlowAssistant:
    """The fake assistant, taking its time (to fill the queue)."""

    def __init__(self, inner, seconds: float):
        self.inner, self.seconds = inner, seconds
        self.index, self.cfg = inner.index, inner.cfg
        self.started = threading.Event()

    def ask(self, question, top_k=None):
        self.started.set()
        time.sleep(self.seconds)
        return self.inner.ask(question, top_k)


def test_a_full_queue_answers_busy_try_again(fake_seed_assistant):
    slow = SlowAssistant(fake_seed_assistant, 1.5)
    demo, url = serve(slow, queue_size=1)
    try:
        clients = [gradio_client.Client(url, verbose=False) for _ in range(webapp.CONCURRENCY + 3)]
        with ThreadPoolExecutor(len(clients)) as pool:
            outcomes = list(pool.map(lambda c: _outcome(c), clients))
    finally:
        demo.close()
    assert "answered" in outcomes
    assert "busy" in outcomes


def _outcome(client) -> str:
    try:
        client.predict(QUESTION, api_name="/ask")
        return "answered"
    except QueueError as err:
        assert "Queue is full! Please try again." in str(err)
        return "busy"


def test_links_open_the_answer_the_verdict_or_the_document(fake_seed_assistant):
    h = webapp.Handlers(fake_seed_assistant)
    out = h.on_load(SimpleNamespace(query_params={"q": QUESTION}))
    assert out[0].selected == "ask" and out[1] == QUESTION and "qa-card" in out[2]
    out = h.on_load(SimpleNamespace(query_params={"quote": ALTERED, "speaker": "Yu Yamada"}))
    assert out[0].selected == "verify" and (out[3], out[4]) == (ALTERED, "Yu Yamada") and "Altered" in out[5]
    out = h.on_load(SimpleNamespace(query_params={"doc": "000_57a4e97e2b8caa9f.txt", "p": "26"}))
    assert out[0].selected == "sources" and 'qa-target" data-para="26"' in out[8]
    assert out[7].value == "000_57a4e97e2b8caa9f.txt"
    nothing = h.on_load(SimpleNamespace(query_params={"doc": "../index/CURRENT"}))
    assert len(nothing) == 10 and all(x == {"__type__": "update"} for x in nothing[:6])
    first = fake_seed_assistant.index.docs[0].name
    assert nothing[7].value == first and "not in the index" not in nothing[8]  # the first document, not the bad name


def test_a_citation_for_a_file_outside_the_index_opens_nothing(fake_seed_assistant):
    h = webapp.Handlers(fake_seed_assistant)
    evt = SimpleNamespace(index=1, value={"file": "../seeds/000_57a4e97e2b8caa9f.txt", "start": 0, "end": 5})
    out = h.open_citation(evt)
    assert "not in the index" in out[2]
    evt = SimpleNamespace(index="26", value={"file": "000_57a4e97e2b8caa9f.txt", "start": "x", "end": None})
    tabs, pick, view = h.open_citation(evt)
    assert tabs.selected == "sources" and pick == "000_57a4e97e2b8caa9f.txt"
    assert 'qa-target" data-para="26"' in view and "<mark>" not in view


def test_a_stale_index_is_noticed(tmp_path, fake_embedder, fake_cfg):
    from qa.pipeline import build_index_folder, open_assistant

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The Type 90 tank weighs 50 tonnes.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    from qa.index.staleness import folder_staleness

    assistant = open_assistant(tmp_path / "index", fake_cfg, embedder=fake_embedder)
    assert folder_staleness(assistant.index) is None  # the app's start-up check: the folder it was built from
    (docs / "a.txt").write_text("The Type 90 tank weighs 60 tonnes.", encoding="utf-8")
    assert folder_staleness(assistant.index)
