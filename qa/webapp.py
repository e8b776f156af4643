"""The web UI (placeholder until the UI issue lands): ask a question, read quotes.

What it does: a minimal Gradio page over ``qa.pipeline``, bound to
127.0.0.1 by default.

What it does not do: any answering logic of its own.
"""

from __future__ import annotations

import argparse
import html


def render_answer(answer) -> str:
    """HTML for an answer; every piece of text is escaped."""
    if not answer.passages:
        return "<p>The sources don't say.</p>"
    head = "<p><b>The sources don't say.</b> Closest passage (low confidence):</p>" if not answer.answered else ""
    cards = [
        f"<blockquote>{html.escape(p.quote)}</blockquote><p><code>{html.escape(p.file)} ¶{p.paragraph}</code></p>"
        for p in answer.passages
    ]
    return head + "".join(cards)


def build_app(assistant):
    import gradio as gr

    def ask(question: str) -> str:
        from qa.question import BadQuestion

        try:
            return render_answer(assistant.ask(question))
        except BadQuestion as err:
            return f"<p>{html.escape(str(err))}</p>"

    with gr.Blocks(title="Source-grounded QA") as demo:
        box = gr.Textbox(label="Question")
        out = gr.HTML()
        gr.Button("Ask").click(ask, box, out)
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Web UI for the assistant")
    parser.add_argument("--index", default="index")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)
    from qa.config import Config
    from qa.pipeline import open_assistant

    build_app(open_assistant(args.index, Config())).launch(server_name=args.host, server_port=args.port)
