"""The web UI's "Check a draft" tab: a large text box, a button, and the draft marked up by verdict.

What it does: lays out the tab (with an example draft when its seed file is
in the index), checks a pasted draft against the index of the request's
generation (``qa.quotes.check``) and renders it (``qa.web.render_check``).
The page takes drafts up to ``MAX_WEB_DRAFT_CHARS`` characters -- what fits
the server's 64 KiB cap on a request body, whatever the characters -- and
says so when a paste reached that limit; ``qa check`` takes 100,000.

What it does not do: check or render by itself, or serve anything.
"""

from __future__ import annotations

import gradio as gr

from qa.web.assets import PAGE_JS

MAX_WEB_DRAFT_CHARS = 15_000  # x 4 bytes of UTF-8 at most, plus the request's own fields: under 64 KiB
DRAFT_EXAMPLE = (  # (draft, the seed file it quotes)
    "Heigo Sato, an expert on defense issues at Takushoku University, does not mince words.\n\n"
    "“The problem is, Japan’s defense products are first grade,” Sato said. “Nobody is interested in buying "
    "second- or third-grade products at higher prices.”\n\n"
    "“Japan needs to be more competitive, more assertive and also be more willing to engage with customers,” "
    "he said, adding that Japan would “never sell a single submarine abroad.”\n\n"
    "Yu Yamada of the Japan Business Federation warned that “supply chains cannot be reconstructed in just one to "
    "two years” and that the industry faces “a rather difficult situation.”",
    "000_57a4e97e2b8caa9f.txt")


def check_html(h, draft: str) -> str:
    """The checked draft as HTML, from the generation current when the request starts."""
    from qa.quotes.check import BadDraft, check_draft
    from qa.web.render_base import render_message
    from qa.web.render_check import render_draft_check

    assistant = h.now()
    try:
        result = check_draft(assistant.index, draft if isinstance(draft, str) else None)
    except BadDraft as err:
        return render_message(f"Can't check that: {err}.")
    note = "" if len(draft) < MAX_WEB_DRAFT_CHARS else render_message(
        f"This page takes {MAX_WEB_DRAFT_CHARS:,} characters: anything pasted beyond that was cut off. "
        "Check a longer draft with `qa check FILE` (up to 100,000).", "warn")
    return render_draft_check(result.as_json(), draft, assistant.index.docs_by_name, note)


def check_tab(h, work: dict):
    """The tab's parts (call inside ``gr.Tab``); its button is wired with ``work`` (the model's queue)."""
    draft = gr.Textbox(label=f"Draft to check: an article, a post, a press release (up to {MAX_WEB_DRAFT_CHARS:,} characters)",
                       lines=12, max_lines=40, max_length=MAX_WEB_DRAFT_CHARS, elem_id="qa-draft-text",
                       placeholder="Paste text with quotations in it: every one is found, attributed and checked.")
    button = gr.Button("Check the draft", variant="primary", elem_id="qa-check-button")
    view = gr.HTML(js_on_load=PAGE_JS, elem_id="qa-checked", render=False)
    run = lambda text: check_html(h, text)  # noqa: E731
    if DRAFT_EXAMPLE[1] in h.docs:  # like the other tabs' examples: fills the box and checks it
        gr.Examples([[DRAFT_EXAMPLE[0]]], draft, view, run, run_on_click=True, cache_examples=False,
                    label="Try an example", api_visibility="private", elem_id="qa-check-examples",
                    example_labels=["A draft quoting Sato, Grevatt and Yamada"])
    view.render()
    button.click(run, draft, view, **work)
    return draft, view
