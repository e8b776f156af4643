"""What the web UI's buttons, links and API endpoints do, over one assistant.

What it does: ``Handlers`` answers a question or verifies a quote as the
CLI's ``--json`` objects (the ``ask`` and ``verify`` API endpoints) or as
HTML from ``qa.web.render`` (the page); opens a document at a cited paragraph;
reads the shareable address (``?q=``, ``?quote=&speaker=``, ``?doc=&p=``)
on load; and offers the examples whose seed file is in the index.
``check_speaker`` length-checks the claimed speaker on the server;
``verify_json`` is the one adapter to ``qa.quotes.verify``.

What it does not do: lay out the page (``qa.web.app``), serve it
(``qa.web.guard``), render HTML itself, or read files.
"""

from __future__ import annotations

import gradio as gr

from qa.web import render
from qa.answer.question import BadQuestion

MAX_SPEAKER_CHARS = 200
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


def verify_json(index, quote: str, speaker: str | None = None) -> dict:
    """The one adapter to ``qa.quotes.verify``: the JSON object ``qa verify --json`` prints."""
    from qa.quotes.verify import verify_quote

    return verify_quote(index, quote, speaker=speaker or None).as_json()


def check_speaker(speaker) -> str:
    """The claimed speaker, trimmed ('' for none); ``BadQuestion`` if too long."""
    speaker = "" if speaker is None else str(speaker).strip()
    if len(speaker) > MAX_SPEAKER_CHARS:
        raise BadQuestion(f"the speaker is too long ({len(speaker):,} characters; the limit is {MAX_SPEAKER_CHARS})")
    return speaker


def _user_errors() -> tuple[type[Exception], ...]:
    from qa.quotes.verify import BadQuote

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
