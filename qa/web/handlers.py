"""What the web UI's buttons, links and API endpoints do, over one (live) assistant.

What it does: ``Handlers`` answers a question or verifies a quote as the
CLI's ``--json`` objects (the ``ask`` and ``verify`` API endpoints) or as
HTML from ``qa.web.render`` (the page); opens a document at a cited paragraph;
reads the shareable address (``?q=``, ``?quote=&speaker=``, ``?doc=&p=``)
on load; refreshes the Sources tab; and offers the examples whose seed
file is in the index. Given a ``qa.live.LiveAssistant`` it follows index
rebuilds: each request takes the generation current when it starts and is
answered, rendered and cited from that one alone.
``check_speaker`` length-checks the claimed speaker on the server;
``verify_json`` is the one adapter to ``qa.quotes.verify``.

What it does not do: lay out the page (``qa.web.app``), serve it
(``qa.web.guard``), render HTML itself, or read files.
"""

from __future__ import annotations

import gradio as gr

from qa.web import render
from qa.web.api import bad_value
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
    """What each button, link and API endpoint does, over one assistant (or a live one)."""

    def __init__(self, assistant):
        self.assistant = assistant
        self._stale = (None, None)  # (what it was worked out for, why the index is stale or None)

    def now(self):
        """The assistant of this request: the live one's current generation, or the fixed one."""
        current = getattr(self.assistant, "current", None)
        return current() if current is not None else self.assistant

    @property
    def docs(self) -> dict:
        return self.now().index.docs_by_name

    def ask_json(self, question: str, top_k: int | None = None, assistant=None) -> dict:
        return (assistant or self.now()).ask(question, top_k).as_json()

    def verify(self, quote: str, speaker: str = "", assistant=None) -> dict:
        return verify_json((assistant or self.now()).index, quote, check_speaker(speaker) or None)

    def api_ask(self, question: str, top_k: int = 3) -> dict:
        """Answer a question with verbatim, cited quotes: the JSON of `qa ask --json`."""
        try:
            problem = bad_value("top_k", int, top_k)  # 3.7, "3" and true are refused, not rounded
            if problem:
                raise BadQuestion(problem)
            return self.ask_json(question, top_k)
        except _user_errors() as err:
            raise gr.Error(str(err), print_exception=False) from None

    def api_verify(self, quote: str, speaker: str = "") -> dict:
        """Check a quote against the sources: the JSON of `qa verify --json`."""
        try:
            problem = bad_value("speaker", str, speaker)
            if problem:
                raise BadQuestion(problem)
            return self.verify(quote, speaker)
        except _user_errors() as err:
            raise gr.Error(str(err), print_exception=False) from None

    def ask_html(self, question: str) -> str:
        assistant = self.now()  # the answer and the documents it cites come from one generation
        try:
            return render.render_answer(self.ask_json(question, assistant=assistant), assistant.index.docs_by_name)
        except _user_errors() as err:
            return render.render_message(f"Can't answer that: {err}.")

    def verify_html(self, quote: str, speaker: str) -> str:
        assistant = self.now()
        try:
            return render.render_verification(self.verify(quote, speaker, assistant), assistant.index.docs_by_name,
                                              check_speaker(speaker))
        except _user_errors() as err:
            return render.render_message(f"Can't verify that: {err}.")

    def sources(self, selected: str | None = None):
        """The Sources tab as of now: the facts line, the document list (keeping ``selected`` if it is still there)."""
        assistant = self.now()
        index = assistant.index
        choices = [(render.document_label(d), d.name) for d in index.docs]
        value = selected if selected in index.docs_by_name else index.docs[0].name
        return render.render_facts(index.manifest, index.docs, self.staleness(assistant)), choices, value

    def staleness(self, assistant) -> str | None:
        """Why ``assistant``'s index no longer matches the folder it was built from (None if it does).

        Every page load asks, and the answer means reading and parsing every article, so it is
        worked out again only when the folder's listing (names, sizes, times) or the index changed.
        """
        from qa.index.staleness import folder_listing, folder_staleness

        index = assistant.index
        key = (id(index), index.manifest.get("built_at"), folder_listing(index.manifest.get("docs_dir")))
        if self._stale[0] != key:
            self._stale = (key, folder_staleness(index, max_file_bytes=assistant.cfg.max_file_bytes))
        return self._stale[1]

    def generation(self) -> str:
        """Which generation answers now (a page remembers the one its Sources tab shows)."""
        assistant = self.now()
        return str(getattr(self.assistant, "generation", None) or assistant.index.manifest.get("built_at", ""))

    def refresh_sources(self, selected: str | None, shown: str | None):
        """The Sources tab was opened: if a rebuild came since the page last drew it, draw it anew."""
        now = self.generation()
        if shown == now:  # nothing changed: keep what is on screen (a cited paragraph, say)
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        facts, choices, value = self.sources(selected)
        return facts, gr.Dropdown(choices=choices, value=value), self.show_doc(value), now

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
        shown = self.generation()
        facts, choices, value = self.sources(params.get("doc"))  # a page opened after a rebuild lists today's documents
        pick = gr.Dropdown(choices=choices, value=value)
        keep = [gr.skip()] * 6
        if params.get("q"):
            q = params["q"]
            return gr.Tabs(selected="ask"), q, self.ask_html(q), *keep[3:6], facts, pick, gr.skip(), shown
        if params.get("quote"):
            quote, speaker = params["quote"], params.get("speaker", "")
            return (gr.Tabs(selected="verify"), *keep[1:3], quote, speaker, self.verify_html(quote, speaker),
                    facts, pick, gr.skip(), shown)
        if params.get("doc") == value:
            return gr.Tabs(selected="sources"), *keep[1:6], facts, pick, self.show_doc(value, _int(params.get("p"))), shown
        return (*keep, facts, pick, self.show_doc(value), shown)

    def examples(self) -> tuple[list, list]:
        """The example questions and quotes whose seed file is in this index."""
        questions = [[q] for q, f in QUESTION_EXAMPLES if f is None or f in self.docs]
        quotes = [[q, s] for q, s, f in QUOTE_EXAMPLES if f in self.docs]
        return questions, quotes
