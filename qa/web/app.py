"""The web UI: ask, verify a quote, read the sources -- and the same as a JSON API.

What it does: lays out a Gradio page with four tabs over ``qa.pipeline``,
``qa.quotes.verify`` and ``qa.quotes.check`` (``qa.web.check_tab``) and wires them to ``qa.web.handlers.Handlers``; shareable
addresses (``?q=``, ``?quote=&speaker=``, ``?doc=&p=``); two named API
endpoints, ``ask`` and ``verify``, that return the CLI's ``--json`` objects
to ``gradio_client``; ``main``, the ``app.py`` command line. Safe by
default (``qa.web.guard.launch``): binds to 127.0.0.1, no share link unless
asked, every field length-checked on the server, a bounded queue (a full
one answers "busy, try again"), request bodies capped, and an allow-list
of routes (``RouteGuard``) so no file, upload or proxy route exists:
nothing serves the index, the sources' folder or anything but the page's
own assets.

What it does not do: answer or verify by itself, serve or read source
files for the page (documents come from the loaded index; only the
start-up staleness warning reads the folder), render HTML (``qa.web.render``),
or hold the page's CSS/JS (``qa.web.assets``). The names of
``qa.web.guard`` and ``qa.web.handlers`` are re-exported here.
"""

from __future__ import annotations

import argparse
import sys

import gradio as gr

from qa.web.assets import PAGE_JS
from qa.web.check_tab import check_tab
from qa.web.guard import (  # noqa: F401  (re-exported: serving is part of this module's API)
    MAX_BODY_BYTES, MIN_GRADIO, QUEUE_SIZE, THEME, RouteGuard, check_gradio, launch, refusal,
)
from qa.web.handlers import (  # noqa: F401  (re-exported: the handlers are part of this module's API)
    MAX_SPEAKER_CHARS, QUESTION_EXAMPLES, QUOTE_EXAMPLES, Handlers, check_speaker, verify_json,
)

CONCURRENCY = 2             # questions answered at once (the model is CPU-bound)


def _ask_tab(h: Handlers, examples: list):
    question = gr.Textbox(label="Your question", max_length=h.assistant.cfg.max_question_chars,
                          placeholder="e.g. Why are Japanese arms makers struggling?", elem_id="qa-question")
    button = gr.Button("Ask", variant="primary", elem_id="qa-ask")
    answer = gr.HTML(js_on_load=PAGE_JS, elem_id="qa-answer", render=False)
    if examples:
        gr.Examples(examples, question, answer, h.ask_html, run_on_click=True, cache_examples=False,
                    label="Try an example", api_visibility="private", elem_id="qa-ask-examples")
    answer.render()
    return question, button, answer


def _verify_tab(h: Handlers, examples: list):
    from qa.quotes.verify import MAX_CHARS

    quote = gr.Textbox(label="Quote to check", lines=3, max_length=MAX_CHARS, elem_id="qa-quote")
    speaker = gr.Textbox(label="Who said it? (optional)", max_length=MAX_SPEAKER_CHARS, elem_id="qa-speaker")
    button = gr.Button("Verify", variant="primary", elem_id="qa-verify")
    verdict = gr.HTML(js_on_load=PAGE_JS, elem_id="qa-verdict", render=False)
    if examples:
        # Labelled buttons, not a two-column table: a table of long quotes overflows a phone's width.
        labels = [f"“{q[:60]}{'…' if len(q) > 60 else ''}”" + (f" — {s}" if s else "") for q, s in examples]
        gr.Examples(examples, [quote, speaker], verdict, h.verify_html, run_on_click=True, cache_examples=False,
                    label="Try an example", api_visibility="private", elem_id="qa-verify-examples",
                    example_labels=labels)
    verdict.render()
    return quote, speaker, button, verdict


def _sources_tab(h: Handlers):
    facts_html, choices, value = h.sources()
    facts = gr.HTML(facts_html, elem_id="qa-facts")
    pick = gr.Dropdown(choices, value=value, label="Document", elem_id="qa-doc-pick")
    view = gr.HTML(h.show_doc(value), js_on_load=PAGE_JS, elem_id="qa-doc")
    return facts, pick, view


def build_app(assistant) -> gr.Blocks:
    """The page and the API over ``assistant`` (tests pass one built with the fake embedder)."""
    h = Handlers(assistant)
    question_examples, quote_examples = h.examples()
    private = {"api_visibility": "private"}
    work = {**private, "concurrency_id": "model", "concurrency_limit": CONCURRENCY}
    with gr.Blocks(title="Ask the sources", analytics_enabled=False) as demo:
        gr.Markdown("# Ask the sources\nEvery answer is an **exact quote** from the articles below, with where it comes "
                    "from. When the articles don't answer, the page says so.")
        with gr.Tabs(selected="ask", overflow_behavior="wrap") as tabs:  # on a phone all four show, on two rows
            with gr.Tab("Ask", id="ask"):
                question, ask_button, answer = _ask_tab(h, question_examples)
            with gr.Tab("Verify a quote", id="verify"):
                quote, speaker, verify_button, verdict = _verify_tab(h, quote_examples)
            with gr.Tab("Check a draft", id="check"):
                _, checked = check_tab(h, work)
            with gr.Tab("Sources", id="sources") as sources_tab:
                facts, doc_pick, doc_view = _sources_tab(h)
        for trigger in (ask_button.click, question.submit):
            trigger(h.ask_html, question, answer, **work)
        verify_button.click(h.verify_html, [quote, speaker], verdict, **work)
        for view in (answer, verdict, checked, doc_view):
            view.select(h.open_citation, None, [tabs, doc_pick, doc_view], **private)
        doc_pick.input(h.show_doc, doc_pick, doc_view, **private)
        shown = gr.State(None)  # the generation this page's Sources tab was drawn from
        demo.load(h.on_load, None, [tabs, question, answer, quote, speaker, verdict, facts, doc_pick, doc_view, shown],
                  **private)
        sources_tab.select(h.refresh_sources, [doc_pick, shown], [facts, doc_pick, doc_view, shown], **private)
        gr.api(h.api_ask, api_name="ask", concurrency_id="model", concurrency_limit=CONCURRENCY)
        gr.api(h.api_verify, api_name="verify", concurrency_id="model", concurrency_limit=CONCURRENCY)
    return demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="app.py", description="Web UI: ask the articles, verify quotes, read the sources.")
    parser.add_argument("--index", default="index", help="index folder (default: index/)")
    parser.add_argument("--model", default=None, help="the model the index was built with (default: all-MiniLM-L6-v2)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="also publish a public gradio.live link (off by default)")
    parser.add_argument("--queue-size", type=int, default=QUEUE_SIZE, help=f"requests allowed to wait (default {QUEUE_SIZE})")
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def port_in_use(host: str, port: int) -> bool:
    """Whether another program already listens on ``host:port`` (checked before the model loads)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def main(argv: list[str] | None = None) -> None:
    from dataclasses import replace

    from qa.config import Config
    from qa.errors import user_errors
    from qa.live import LiveAssistant

    args = parse_args(argv)
    if port_in_use(args.host, args.port):
        sys.exit(f"app.py: port {args.port} is in use on {args.host}; pass --port with a free one (e.g. --port 7861)")
    cfg = replace(Config(), model=args.model) if args.model else Config()
    try:  # follows `qa index` rebuilds while it serves
        assistant = LiveAssistant(args.index, cfg, warn=lambda m: print(f"warning: {m}", file=sys.stderr),
                                  note=lambda m: print(f"app.py: {m}", file=sys.stderr, flush=True))
    except user_errors() as err:
        sys.exit(f"app.py: {err}")
    from qa.index.staleness import folder_staleness

    stale = folder_staleness(assistant.index, max_file_bytes=cfg.max_file_bytes)
    if stale:
        print(f"warning: the index is stale ({stale}); answers quote the indexed text -- run `qa index`", file=sys.stderr)
    if args.share:
        print("warning: --share publishes this app on a public address", file=sys.stderr)
    demo = build_app(assistant)
    _, url, share_url = launch(demo, args.host, args.port, args.share, args.queue_size, block=False, quiet=True)
    # Gradio's own banner advises `share=True` in launch(); this program's switch is --share.
    print(f"app.py: serving {url}" + (f" and {share_url}" if share_url else " (this machine only; --host to change)"),
          flush=True)
    demo.block_thread()
