"""The web UI: ask, verify a quote, read the sources -- and the same as a JSON API.

What it does: a Gradio page with three tabs over ``qa.pipeline`` and
``qa.quotes`` (HTML from ``qa.render``); shareable addresses (``?q=``,
``?quote=&speaker=``, ``?doc=&p=``); two named API endpoints, ``ask`` and
``verify``, that return the CLI's ``--json`` objects to ``gradio_client``.
Safe by default: binds to 127.0.0.1, no share link unless asked, every
field length-checked on the server, a bounded queue (a full one answers
"busy, try again"), request bodies capped, and an allow-list of routes
(``RouteGuard``) so no file, upload or proxy route exists: nothing serves
the index, the sources' folder or anything but the page's own assets.

What it does not do: answer or verify by itself, serve or read source
files for the page (documents come from the loaded index; only the
start-up staleness warning reads the folder), or render HTML (``qa.render``).
"""

from __future__ import annotations

import argparse
import os
import sys

import gradio as gr

from qa import render
from qa.question import BadQuestion

MIN_GRADIO = (6, 20)       # path-traversal, SSRF and XSS advisories fixed
MAX_SPEAKER_CHARS = 200
MAX_BODY_BYTES = 64 * 1024  # a request body larger than this is refused (413)
QUEUE_SIZE = 16
THEME = gr.themes.Default(primary_hue="blue", font=["ui-sans-serif", "system-ui", "sans-serif"])  # no web fonts
CONCURRENCY = 2             # questions answered at once (the model is CPU-bound)
QUESTION_EXAMPLES = [  # (question, the seed file it is about; None: always shown)
    ("What did the U.S. ambassador say about Japan's manufacturing capacity?", "002_ba0d5cdbb7c8509b.txt"),
    ("Why did Komatsu stop making armored vehicles?", "000_57a4e97e2b8caa9f.txt"),
    ("How much is the Defense Ministry considering spending on drones?", "003_58a6c8d8ec398895.txt"),
    ("What is the capital of France?", None),
]
QUOTE_EXAMPLES = [  # (quote, speaker, seed file)
    ("The problem is, Japan’s defense products are not first grade.", "Heigo Sato", "000_57a4e97e2b8caa9f.txt"),
    ("Supply chains can be reconstructed in just one to two years.", "", "000_57a4e97e2b8caa9f.txt"),
    ("Japan is the world’s 10th largest arms importer, with a 2.2% global share.", "", "000_57a4e97e2b8caa9f.txt"),
    ("People may think Japan has advanced technology ... but I think that’s wrong", "Heigo Sato", "000_57a4e97e2b8caa9f.txt"),
]
_PAGE_ROUTES = ("/", "/config", "/config/", "/theme.css", "/favicon.ico", "/robots.txt", "/manifest.json")
_PAGE_PREFIXES = ("/assets/", "/static/", "/svelte/", "/gradio_api/info", "/gradio_api/queue/",
                  "/gradio_api/heartbeat/", "/gradio_api/cancel", "/gradio_api/reset", "/gradio_api/call/",
                  "/gradio_api/app_id", "/gradio_api/startup-events", "/gradio_api/theme.css")


def check_gradio(version: str) -> None:
    """Refuse a Gradio older than ``MIN_GRADIO``.

    >>> check_gradio("6.31.0")
    >>> check_gradio("5.49.1")
    Traceback (most recent call last):
    RuntimeError: gradio 5.49.1 has published path-traversal, SSRF and XSS advisories; install gradio>=6.20
    """
    if tuple(int(x) for x in version.split(".")[:2]) < MIN_GRADIO:
        raise RuntimeError(f"gradio {version} has published path-traversal, SSRF and XSS advisories; install gradio>=6.20")


def refusal(path: str, content_length: int) -> int | None:
    """The HTTP status refusing a request, or None to let it through.

    >>> refusal("/gradio_api/queue/join", 300), refusal("/gradio_api/file=/etc/passwd", 0), refusal("/gradio_api/upload", 0)
    (None, 404, 404)
    >>> refusal("/gradio_api/queue/join", 10**6)
    413
    """
    if path not in _PAGE_ROUTES and not path.startswith(_PAGE_PREFIXES):
        return 404
    return 413 if content_length > MAX_BODY_BYTES else None


class RouteGuard:
    """ASGI middleware applying ``refusal`` to every HTTP request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length", b"0")
            status = refusal(scope["path"], int(length) if length.isdigit() else MAX_BODY_BYTES + 1)
            if status is not None:
                await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
                await send({"type": "http.response.body", "body": b"not found" if status == 404 else b"request too large"})
                return
        await self.app(scope, receive, send)


def verify_json(index, quote: str, speaker: str | None = None) -> dict:
    """The one adapter to ``qa.quotes``: the JSON object ``qa verify --json`` prints."""
    from qa.quotes import verify_quote

    return verify_quote(index, quote, speaker=speaker or None).as_json()


def check_speaker(speaker) -> str:
    """The claimed speaker, trimmed ('' for none); ``BadQuestion`` if too long."""
    speaker = "" if speaker is None else str(speaker).strip()
    if len(speaker) > MAX_SPEAKER_CHARS:
        raise BadQuestion(f"the speaker is too long ({len(speaker):,} characters; the limit is {MAX_SPEAKER_CHARS})")
    return speaker


def _user_errors() -> tuple[type[Exception], ...]:
    from qa.quotes import BadQuote

    return BadQuestion, BadQuote


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Handlers:
    """What each button, link and API endpoint does, over one assistant."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.docs = {d.name: d for d in assistant.index.docs}

    def ask_json(self, question: str, top_k: int | None = None) -> dict:
        return self.assistant.ask(question, top_k).as_json()

    def verify(self, quote: str, speaker: str = "") -> dict:
        return verify_json(self.assistant.index, quote, check_speaker(speaker) or None)

    def api_ask(self, question: str, top_k: int = 3) -> dict:
        """Answer a question with verbatim, cited quotes: the JSON of `qa ask --json`."""
        try:
            if top_k is not None and _int(top_k) is None:
                raise BadQuestion(f"top-k must be a whole number, not {str(top_k)[:20]!r}")
            return self.ask_json(question, _int(top_k))
        except _user_errors() as err:
            raise gr.Error(str(err), print_exception=False) from None

    def api_verify(self, quote: str, speaker: str = "") -> dict:
        """Check a quote against the sources: the JSON of `qa verify --json`."""
        try:
            return self.verify(quote, speaker)
        except _user_errors() as err:
            raise gr.Error(str(err), print_exception=False) from None

    def ask_html(self, question: str) -> str:
        try:
            return render.render_answer(self.ask_json(question), self.docs)
        except _user_errors() as err:
            return render.render_message(f"Can't answer that: {err}.")

    def verify_html(self, quote: str, speaker: str) -> str:
        try:
            return render.render_verification(self.verify(quote, speaker), self.docs, check_speaker(speaker))
        except _user_errors() as err:
            return render.render_message(f"Can't verify that: {err}.")

    def show_doc(self, name: str, paragraph: int | None = None, span: tuple[int, int] | None = None) -> str:
        doc = self.docs.get(str(name))
        if doc is None:
            return render.render_message("That document is not in the index.")
        return render.render_document(doc, paragraph, span)

    def open_citation(self, evt: gr.SelectData):
        """A citation was clicked: the Sources tab, at that paragraph, the cited span highlighted."""
        value = evt.value if isinstance(evt.value, dict) else {}
        name, start, end = str(value.get("file")), _int(value.get("start")), _int(value.get("end"))
        if name not in self.docs:
            return gr.skip(), gr.skip(), self.show_doc(name)
        span = (start, end) if start is not None and end is not None else None
        return gr.Tabs(selected="sources"), name, self.show_doc(name, _int(evt.index), span)

    def on_load(self, request: gr.Request):
        """Open what the address asks for: ``?q=``, ``?quote=`` (``&speaker=``) or ``?doc=`` (``&p=``)."""
        params = request.query_params if request is not None else {}
        keep = [gr.skip()] * 8
        if params.get("q"):
            q = params["q"]
            return gr.Tabs(selected="ask"), q, self.ask_html(q), *keep[3:]
        if params.get("quote"):
            quote, speaker = params["quote"], params.get("speaker", "")
            return gr.Tabs(selected="verify"), *keep[1:3], quote, speaker, self.verify_html(quote, speaker), *keep[6:]
        if params.get("doc") in self.docs:
            doc = params["doc"]
            return gr.Tabs(selected="sources"), *keep[1:6], doc, self.show_doc(doc, _int(params.get("p")))
        return tuple(keep)

    def examples(self) -> tuple[list, list]:
        """The example questions and quotes whose seed file is in this index."""
        questions = [[q] for q, f in QUESTION_EXAMPLES if f is None or f in self.docs]
        quotes = [[q, s] for q, s, f in QUOTE_EXAMPLES if f in self.docs]
        return questions, quotes


# Runs once per gr.HTML: citations open the Sources tab (via a "select" event), buttons copy or
# download the answer, the address follows what is shown, and a cited paragraph scrolls into view.
PAGE_JS = r"""
if (!element.dataset.qaBound) {
  element.dataset.qaBound = "1";
  const num = (v) => (v === undefined ? null : Number(v));
  const copy = (text, btn) => {
    const done = (ok) => { btn.textContent = ok ? "Copied ✓" : "Copy failed"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    done(document.execCommand("copy"));
    area.remove();
  };
  const download = (text) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    a.download = "answer.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  };
  element.addEventListener("click", (e) => {
    const cite = e.target.closest("a.qa-cite");
    if (cite) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;  // new tab: the ?doc= address
      e.preventDefault();
      const d = cite.dataset;
      trigger("select", {index: num(d.para), value: {file: d.file, start: num(d.start), end: num(d.end)}});
      return;
    }
    const btn = e.target.closest("button[data-action]"), box = btn && btn.closest("[data-markdown]");
    if (box) { btn.dataset.action === "copy" ? copy(box.dataset.markdown, btn) : download(box.dataset.json); }
  });
}
const qaShare = () => {
  const s = element.querySelector("[data-share]");
  if (s) history.replaceState(null, "", s.dataset.share);
};
const qaFocus = () => setTimeout(() => {
  const t = element.querySelector(".qa-target");
  if (t) t.scrollIntoView({block: "center"});
}, 80);
watch("value", () => { qaShare(); qaFocus(); });
if (element.querySelector(".qa-target")) { qaShare(); qaFocus(); }
"""


def _ask_tab(h: Handlers, examples: list):
    question = gr.Textbox(label="Your question", max_length=h.assistant.cfg.max_question_chars,
                          placeholder="e.g. Why are Japanese arms makers struggling?", elem_id="qa-question")
    button = gr.Button("Ask", variant="primary", elem_id="qa-ask")
    answer = gr.HTML(js_on_load=PAGE_JS, elem_id="qa-answer", render=False)
    if examples:
        gr.Examples(examples, question, answer, h.ask_html, run_on_click=True, cache_examples=False,
                    label="Try an example", api_visibility="private")
    answer.render()
    return question, button, answer


def _verify_tab(h: Handlers, examples: list):
    from qa.quotes import MAX_CHARS

    quote = gr.Textbox(label="Quote to check", lines=3, max_length=MAX_CHARS, elem_id="qa-quote")
    speaker = gr.Textbox(label="Who said it? (optional)", max_length=MAX_SPEAKER_CHARS, elem_id="qa-speaker")
    button = gr.Button("Verify", variant="primary", elem_id="qa-verify")
    verdict = gr.HTML(js_on_load=PAGE_JS, elem_id="qa-verdict", render=False)
    if examples:
        gr.Examples(examples, [quote, speaker], verdict, h.verify_html, run_on_click=True, cache_examples=False,
                    label="Try an example", api_visibility="private")
    verdict.render()
    return quote, speaker, button, verdict


def _sources_tab(h: Handlers):
    index, docs = h.assistant.index, h.assistant.index.docs
    gr.HTML(render.render_facts(index.manifest, docs), elem_id="qa-facts")
    pick = gr.Dropdown([(f"{d.title} ({d.name})", d.name) for d in docs], value=docs[0].name, label="Document",
                       elem_id="qa-doc-pick")
    view = gr.HTML(h.show_doc(docs[0].name), js_on_load=PAGE_JS, elem_id="qa-doc")
    return pick, view


def build_app(assistant) -> gr.Blocks:
    """The page and the API over ``assistant`` (tests pass one built with the fake embedder)."""
    h = Handlers(assistant)
    question_examples, quote_examples = h.examples()
    private = {"api_visibility": "private"}
    work = {**private, "concurrency_id": "model", "concurrency_limit": CONCURRENCY}
    with gr.Blocks(title="Ask the sources", analytics_enabled=False) as demo:
        gr.Markdown("# Ask the sources\nEvery answer is an **exact quote** from the articles below, with where it comes "
                    "from. When the articles don't answer, the page says so.")
        with gr.Tabs(selected="ask") as tabs:
            with gr.Tab("Ask", id="ask"):
                question, ask_button, answer = _ask_tab(h, question_examples)
            with gr.Tab("Verify a quote", id="verify"):
                quote, speaker, verify_button, verdict = _verify_tab(h, quote_examples)
            with gr.Tab("Sources", id="sources"):
                doc_pick, doc_view = _sources_tab(h)
        for trigger in (ask_button.click, question.submit):
            trigger(h.ask_html, question, answer, **work)
        verify_button.click(h.verify_html, [quote, speaker], verdict, **work)
        for view in (answer, verdict, doc_view):
            view.select(h.open_citation, None, [tabs, doc_pick, doc_view], **private)
        doc_pick.input(h.show_doc, doc_pick, doc_view, **private)
        demo.load(h.on_load, None, [tabs, question, answer, quote, speaker, verdict, doc_pick, doc_view], **private)
        gr.api(h.api_ask, api_name="ask", concurrency_id="model", concurrency_limit=CONCURRENCY)
        gr.api(h.api_verify, api_name="verify", concurrency_id="model", concurrency_limit=CONCURRENCY)
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int | None = 7860, share: bool = False,
           queue_size: int = QUEUE_SIZE, block: bool = True, quiet: bool = False):
    """Serve ``demo`` with the safe settings; returns Gradio's (app, local_url, share_url)."""
    from starlette.middleware import Middleware

    check_gradio(gr.__version__)
    # Gradio summarises every finished event with pandas for its monitoring page, which is off here:
    # a cache frequency no run reaches skips that work (and the seconds-long pandas import on the first event).
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(2**31))
    demo.queue(max_size=queue_size, default_concurrency_limit=1)
    return demo.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=not block, quiet=quiet,
        app_kwargs={"middleware": [Middleware(RouteGuard)], "docs_url": None, "redoc_url": None, "openapi_url": None},
        allowed_paths=[], enable_monitoring=False, run_history=False, footer_links=["api"], ssr_mode=False,
        pwa=False, mcp_server=False, show_error=False, theme=THEME, css=render.PAGE_CSS,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="app.py", description="Web UI: ask the articles, verify quotes, read the sources.")
    parser.add_argument("--index", default="index", help="index folder (default: index/)")
    parser.add_argument("--model", default=None, help="the model the index was built with (default: all-MiniLM-L6-v2)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="also publish a public gradio.live link (off by default)")
    parser.add_argument("--queue-size", type=int, default=QUEUE_SIZE, help=f"requests allowed to wait (default {QUEUE_SIZE})")
    return parser.parse_args(argv)


def _staleness(assistant, cfg) -> str | None:
    """Why the index no longer matches the folder it was built from (None if it does or the folder is gone)."""
    from pathlib import Path

    from qa.documents import read_folder
    from qa.store import staleness

    folder = assistant.index.manifest.get("docs_dir")
    if not folder or not Path(folder).is_dir():
        return None
    return staleness(assistant.index, read_folder(folder, cfg.max_file_bytes)[0])


def main(argv: list[str] | None = None) -> None:
    from dataclasses import replace

    from qa.config import Config
    from qa.errors import user_errors
    from qa.pipeline import open_assistant

    args = parse_args(argv)
    cfg = replace(Config(), model=args.model) if args.model else Config()
    try:
        assistant = open_assistant(args.index, cfg, warn=lambda m: print(f"warning: {m}", file=sys.stderr))
    except user_errors() as err:
        sys.exit(f"app.py: {err}")
    stale = _staleness(assistant, cfg)
    if stale:
        print(f"warning: the index is stale ({stale}); answers quote the indexed text -- run `qa index`", file=sys.stderr)
    if args.share:
        print("warning: --share publishes this app on a public address", file=sys.stderr)
    launch(build_app(assistant), args.host, args.port, args.share, args.queue_size)
