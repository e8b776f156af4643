"""The HTML building blocks every rendered view shares.

What it does: escapes text (``esc``) -- documents may hold ``<script>`` or
``<img onerror=...>`` and must show as text -- highlights a span
(``highlight``), makes the ``?doc=...&p=...`` address (``doc_link``) and
the citation link carrying ``data-file`` / ``data-para`` that the page's
script opens in the Sources tab (``citation``), where a document comes from
(``source_span``: title, publisher, date), a one-line notice
(``render_message``) and one side of a word diff (``diff_side``), used by
answers, verdicts and the sources' disagreements alike.

What it does not do: lay out an answer, a verdict or a document
(``qa.web.render``, ``qa.web.render_verify``); answer, verify or read files; no
Gradio here. The functions are pure.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import urlencode

from qa.ingest.documents import Document
from qa.ingest.metadata import cite


def esc(text) -> str:
    """``text`` safe inside HTML elements and quoted attributes."""
    return html.escape(str(text), quote=True)


def highlight(text: str, a: int, b: int) -> str:
    """``text`` escaped, with ``text[a:b]`` in a ``<mark>`` (clamped to the text)."""
    a, b = max(0, min(a, len(text))), max(0, min(b, len(text)))
    if a >= b:
        return esc(text)
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def doc_link(file: str, paragraph: int | None = None) -> str:
    """The page address that opens ``file`` in the Sources tab (at ``paragraph``).

    >>> doc_link("a b.txt", 7)
    '?doc=a+b.txt&p=7'
    """
    return "?" + urlencode({"doc": file, **({"p": paragraph} if paragraph else {})})


def citation(file: str, paragraph: int, start: int | None = None, end: int | None = None, page: int | None = None) -> str:
    """A citation link, ``file ¶N`` (``file p.P ¶N`` in a PDF), that opens the document at that paragraph."""
    span = f' data-start="{int(start)}" data-end="{int(end)}"' if start is not None and end is not None else ""
    return (f'<a class="qa-cite" href="{esc(doc_link(file, paragraph))}" data-file="{esc(file)}" '
            f'data-para="{int(paragraph)}"{span} title="Open the source at this paragraph">'
            f'{esc(cite(file, int(paragraph), int(page) if page else None))}</a>')


def source_span(doc: Document | None, with_title: bool = True) -> str:
    """Where a document comes from, as far as it is known: its title (in italics), publisher and date; '' for none."""
    if doc is None:
        return ""
    fields = [(doc.source.title if with_title else None, "qa-title"), (doc.source.publisher, "qa-publisher"),
              (doc.source.date, "qa-date")]
    parts = [f'<span class="{cls}">{esc(value)}</span>' for value, cls in fields if value]
    return f'<span class="qa-about">{" · ".join(parts)}</span>' if parts else ""


def tools(share: str, what: str) -> str:
    """The copy / download / share row under an answer or a verification ("Link to this {what}")."""
    return (f'<div class="qa-tools"><button type="button" data-action="copy">Copy as Markdown</button>'
            f'<button type="button" data-action="download">Download JSON</button>'
            f'<a class="qa-share" href="{esc(share)}">Link to this {esc(what)}</a></div>')


def render_message(text: str, tone: str = "bad") -> str:
    """A one-line notice (an error the user can fix), escaped."""
    return f'<div class="qa-banner qa-{tone}" role="alert">{esc(text)}</div>'


QUOTE_MARKS = {"insert": ("qa-d-added", "only in the quote"), "delete": ("qa-d-missing", "left out of the quote"),
               "replace": ("qa-d-changed", "changed")}  # how a quote's edits are marked
_NO_SPACE_BEFORE = tuple(".,;:!?)]}’”'\"%")


def _join(segments: list[tuple[str, str]]) -> str:
    """Escaped/marked-up diff pieces joined by spaces, none before closing punctuation."""
    out = ""
    for raw, piece in segments:
        out += ("" if not out or raw.startswith(_NO_SPACE_BEFORE) else " ") + piece
    return out


def diff_side(diff: list, side: str, marks: Mapping | None = None, exact: bool = False) -> str:
    """One side ("quote" or "source") of a word diff; edits wrapped in a class saying what changed.

    ``marks``: op -> (class, title), ``QUOTE_MARKS`` unless given. ``exact``: the pieces hold every
    character of the text (``qa.quotes.pairs.pair_diff``), so they are joined as they are, not by spaces.

    >>> diff_side([{"op": "equal", "quote": "Chains", "source": "Chains"},
    ...            {"op": "replace", "quote": "can", "source": "cannot"}], "source")
    'Chains <span class="qa-d-changed" title="changed">cannot</span>'
    """
    marks = QUOTE_MARKS if marks is None else marks
    segments = []
    for op in diff:
        text = op.get(side) or ""
        if not text:
            continue
        mark = marks.get(op.get("op"))
        piece = esc(text) if mark is None else f'<span class="{mark[0]}" title="{esc(mark[1])}">{esc(text)}</span>'
        segments.append((text, piece))
    return "".join(piece for _, piece in segments) if exact else _join(segments)
