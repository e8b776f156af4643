"""The HTML building blocks every rendered view shares.

What it does: escapes text (``esc``) -- documents may hold ``<script>`` or
``<img onerror=...>`` and must show as text -- highlights a span
(``highlight``), makes the ``?doc=...&p=...`` address (``doc_link``) and
the citation link carrying ``data-file`` / ``data-para`` that the page's
script opens in the Sources tab (``citation``), a document's title, a
one-line notice (``render_message``) and the sources' disagreements
(``render_conflicts``), used by both answers and verdicts.

What it does not do: lay out an answer, a verdict or a document
(``qa.web.render``, ``qa.web.render_verify``); answer, verify or read files; no
Gradio here. The functions are pure.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import urlencode

from qa.ingest.documents import Document


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


def citation(file: str, paragraph: int, start: int | None = None, end: int | None = None) -> str:
    """A citation link, ``file ¶N``, that opens the document at that paragraph."""
    span = f' data-start="{int(start)}" data-end="{int(end)}"' if start is not None and end is not None else ""
    return (f'<a class="qa-cite" href="{esc(doc_link(file, paragraph))}" data-file="{esc(file)}" '
            f'data-para="{int(paragraph)}"{span} title="Open the source at this paragraph">'
            f'{esc(file)} ¶{int(paragraph)}</a>')


def title_span(doc: Document | None) -> str:
    """The document's title, in italics ('' for none)."""
    return f'<span class="qa-title">{esc(doc.title)}</span>' if doc is not None else ""


def render_message(text: str, tone: str = "bad") -> str:
    """A one-line notice (an error the user can fix), escaped."""
    return f'<div class="qa-banner qa-{tone}" role="alert">{esc(text)}</div>'


def render_conflicts(conflicts: list, docs: Mapping[str, Document]) -> str:
    """Each disagreement between sources, its passages side by side."""
    if not conflicts:
        return ""
    parts = ['<section class="qa-conflicts"><h3>⚠ The sources disagree</h3>']
    for c in conflicts:
        sides = "".join(
            f'<div class="qa-side"><blockquote class="qa-quote qa-small">{esc(p["quote"])}</blockquote>'
            f'<div class="qa-source">{citation(p["file"], p["paragraph"], p.get("start"), p.get("end"))} '
            f'{title_span(docs.get(p["file"]))}</div></div>' for p in c.get("passages", []))
        parts.append(f'<div class="qa-conflict"><p>{esc(c.get("summary", ""))}</p>'
                     f'<div class="qa-side-by-side">{sides}</div></div>')
    return "".join(parts) + "</section>"
