"""HTML for the web UI: quote cards for answers, readable sources, the index facts.

What it does: turns the JSON the CLI prints (``Answer.as_json()``) and the
indexed documents into HTML fragments: the answer's banner, quote cards
(each citing its source's title, publisher and date, the sources that
disagree with it just under it) and copy/download/share tools; a whole
document with numbered paragraphs under its title, publisher and date, and
its label in the document picker; the index facts line. Every piece of text that comes from a
document, a question or a quote goes through ``esc`` -- documents may hold
``<script>`` or ``<img onerror=...>`` and must show as text. Citations are
links carrying ``data-file`` / ``data-para`` (the page's script opens them
in the Sources tab) and a ``?doc=...&p=...`` address, so they also work
opened in a new tab. The one module the web UI imports for HTML: it
re-exports the building blocks (``qa.web.render_base``), verdicts with word
diffs (``qa.web.render_verify``), the sources' disagreements
(``qa.web.render_pairs``) and ``PAGE_CSS`` (``qa.web.assets``).

What it does not do: answer, verify or read files; no Gradio here. The
functions are pure, so they are tested without a server.

>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> highlight("The tank weighs 50 tonnes.", 16, 25)
'The tank weighs <mark>50 tonnes</mark>.'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

from qa.answer import mentioned_by_none
from qa.ingest.documents import Document
from qa.ingest.metadata import citation_text
from qa.ingest.metadata import cite as place
from qa.web.render_base import (  # noqa: F401  (re-exported: the building blocks are part of this module's API)
    citation, diff_side, doc_link, esc, highlight, render_message, source_span, tools,
)
from qa.web.render_pairs import pair_view, place_pairs, render_conflicts, render_pairs  # noqa: F401  (re-exported)
from qa.web.render_verify import (  # noqa: F401  (re-exported: verdicts are part of this module's API)
    CHANGE_KINDS, SPEAKER_CHECK, VERDICTS, match_view, render_verification,
)
from qa.web.assets import PAGE_CSS  # noqa: F401  (re-exported: the page's look)

CONFIDENCE = {"high": "High confidence", "medium": "Medium confidence", "low": "Low confidence"}
# Each passage's own label (qa.answer.confidence): a weak extra never wears the best passage's badge.
PASSAGE_LABELS = {"high": ("High confidence", "ok"), "medium": ("Medium confidence", "warn"),
                  "related": ("Related, not an answer", "muted"), "low": ("Low confidence", "bad")}


def passage_badge(p: Mapping, answer: Mapping) -> tuple[str, str]:
    """(badge text, tone) of one passage: its own label (its probability is in the JSON download).

    >>> passage_badge({"label": "related", "confidence": 0.17}, {"confidence": "high"})
    ('Related, not an answer', 'muted')
    """
    label = p.get("label") or answer["confidence"]
    return PASSAGE_LABELS.get(label, (label, "bad"))
_DEBRIS_NOTE = ' title="page debris (menus, credits, share buttons): never quoted in answers"'


def _paragraph_view(doc: Document | None, number: int, start: int, end: int) -> str:
    if doc is None or not 1 <= number <= len(doc.paragraphs):
        return ""
    p = doc.paragraph(number)
    body = highlight(p.text, start - p.start, end - p.start)
    return (f'<details class="qa-context"><summary>Show the whole paragraph</summary>'
            f'<p class="qa-para-text">{body}</p></details>')


def passage_card(p: Mapping, doc: Document | None, label: str, tone: str, rank: str = "") -> str:
    """One quote card: the quote, speaker, citation with the source (title, publisher, date), confidence, the paragraph."""
    who = f'<div class="qa-who">— {esc(p["speaker"])}</div>' if p.get("speaker") else ""
    cite = citation(p["file"], p["paragraph"], p["start"], p["end"], p.get("page"))
    return (f'<article class="qa-card qa-{tone}"><div class="qa-card-top">'
            f'<span class="qa-badge qa-{tone}">{esc(label)}</span> <span class="qa-rank">{esc(rank)}</span></div>'
            f'<blockquote class="qa-quote">{esc(p["quote"])}</blockquote>{who}'
            f'<div class="qa-source">Source: {cite} {source_span(doc)}</div>'
            f'{_paragraph_view(doc, p["paragraph"], p["start"], p["end"])}</article>')


def _why_not(answer: Mapping) -> str:
    """Why the sources can't answer, as a sentence's start ("No source mentions “brazil”"), or ''."""
    why = mentioned_by_none(answer.get("never_mentioned", []))
    return why[:1].upper() + why[1:]


def _answer_head(answer: Mapping) -> str:
    if not answer["answered"]:
        closest = " The closest passages are shown below, for context." if answer["passages"] else ""
        why = esc(_why_not(answer) or "None of the documents answers this question")
        return f'<div class="qa-banner qa-bad"><strong>Not in the sources.</strong> {why}.{closest}</div>'
    return ('<div class="qa-banner qa-ok"><strong>Answer from the sources</strong>'
            ' — exact quotes, with where they come from.</div>')


def answer_markdown(answer: Mapping, docs: Mapping[str, Document]) -> str:
    """The answer as Markdown: each quote as a block quote, then its citation.

    >>> print(answer_markdown({"question": "Q?", "answered": False, "confidence": "low", "passages": []}, {}))
    **Q?**
    <BLANKLINE>
    Not in the sources.
    """
    lines = [f"**{answer['question']}**", ""]
    if not answer["answered"]:
        why = _why_not(answer)
        lines += ["Not in the sources." + (f" {why}." if why else "") +
                  (" Closest passages (related, not answers):" if answer["passages"] else ""), ""]
    else:
        lines += [f"Answer from the sources ({answer['confidence']} confidence):", ""]
    for p in answer["passages"]:
        if p.get("label"):
            lines += [f"*{passage_badge(p, answer)[0]}*", ""]
        lines += ["> " + line for line in p["quote"].splitlines() or [""]]
        if p.get("speaker"):
            lines.append(f"> — {p['speaker']}")
        about = citation_text(docs[p["file"]].source.as_json()) if p["file"] in docs else ""
        lines += ["", f"`{place(p['file'], p['paragraph'], p.get('page'))}`" + (f" — {about}" if about else ""), ""]
    return "\n".join(lines).rstrip()


def render_answer(answer: Mapping, docs: Mapping[str, Document]) -> str:
    """The whole answer: banner, quote cards (each with the sources that disagree with it just under it),
    copy/download buttons and the link to share."""
    first, rest = ("Best match", "Also found") if answer["answered"] else ("Closest passage", "Also close")
    ranks = [first] + [rest] * len(answer["passages"])
    under, rest = place_pairs(answer["passages"], answer.get("conflicts") or [])
    cards = "".join(passage_card(p, docs.get(p["file"]), *passage_badge(p, answer), rank) + render_pairs(pairs, docs)
                    for p, rank, pairs in zip(answer["passages"], ranks, under))
    share = "?" + urlencode({"q": answer["question"]})
    data = json.dumps(answer, ensure_ascii=False, indent=2)
    return (f'<div class="qa-answer" data-share="{esc(share)}" '
            f'data-markdown="{esc(answer_markdown(answer, docs))}" data-json="{esc(data)}">'
            f'<p class="qa-asked">Question: {esc(answer["question"])}</p>'
            f'{_answer_head(answer)}{cards}{render_conflicts(rest, docs)}{tools(share, "answer")}</div>')


def render_document(doc: Document, paragraph: int | None = None, span: tuple[int, int] | None = None) -> str:
    """A whole document: numbered paragraphs, debris dimmed, ``paragraph`` marked and ``span`` highlighted."""
    rows, page = [], None
    for p in doc.paragraphs:
        if doc.page_at(p.start) not in (None, page):  # a PDF's text of record: where each page begins
            page = doc.page_at(p.start)
            rows.append(f'<div class="qa-page" data-page="{page}">Page {page}</div>')
        text = highlight(p.text, span[0] - p.start, span[1] - p.start) if span else esc(p.text)
        target = " qa-target" if p.number == paragraph else ""
        note = _DEBRIS_NOTE if p.kind == "debris" else ""
        rows.append(f'<div class="qa-p qa-kind-{p.kind}{target}" data-para="{p.number}"{note}>'
                    f'<a class="qa-pnum qa-cite" href="{esc(doc_link(doc.name, p.number))}" data-file="{esc(doc.name)}" '
                    f'data-para="{p.number}">{p.number}</a><div class="qa-ptext">{text}</div></div>')
    return (f'<article class="qa-doc" data-share="{esc(doc_link(doc.name, paragraph))}">'
            f'{document_header(doc)}{"".join(rows)}</article>')


_ORIGIN = {"html": "saved web page", "pdf": "PDF"}


def document_header(doc: Document) -> str:
    """A document's title (its file name when it states none), file name, publisher and date."""
    name = f"<code>{esc(doc.name)}</code>" if doc.source.title else ""
    about = source_span(doc, with_title=False)
    facts = f'<p class="qa-doc-source">{about}</p>' if about else ""
    if doc.origin is not None:
        facts += (f'<p class="qa-doc-origin">The text read from this {_ORIGIN.get(doc.origin.kind, "file")}: '
                  'what quotes, paragraphs and character offsets refer to.</p>')
    return f'<header><h2>{esc(doc.source.title or doc.name)}</h2>{name}{facts}</header>'


def document_label(doc: Document) -> str:
    """How the Sources tab's picker names a document: '“Title”, Publisher, Date (file)', or the file name alone."""
    about = citation_text(doc.source.as_json())
    return f"{about} ({doc.name})" if about else doc.name


def render_facts(manifest: Mapping, docs: list[Document], stale: str | None = None) -> str:
    """What is indexed, in words ("4 articles, 123 sentences, updated …"), the details behind a toggle;
    and ``stale``, why the index no longer matches its folder."""
    counts = manifest.get("counts", {})
    n_docs, sentences = counts.get("documents", len(docs)), counts.get("sentences", "?")
    built = str(manifest.get("built_at", "unknown")).replace("T", " ").replace("Z", " UTC")
    details = [("paragraphs", counts.get("paragraphs", sum(len(d.paragraphs) for d in docs))),
               ("chunks", counts.get("chunks", "?")), ("sentences", sentences), ("model", manifest.get("model", "?")),
               ("built", built)]
    items = "".join(f"<li>{k} <strong>{esc(v)}</strong></li>" for k, v in details)
    notice = (f'<p class="qa-stale" role="status">The articles changed since this index was built ({esc(stale)}): '
              'answers come from the index as built. Run <code>qa index</code> to update it; this page follows '
              'the rebuild.</p>' if stale else "")
    return (f'<p class="qa-facts-line"><strong>{esc(n_docs)}</strong> article{"" if n_docs == 1 else "s"}, '
            f'<strong>{esc(sentences)}</strong> sentences indexed, updated <strong>{esc(built)}</strong>.</p>'
            f'<details class="qa-facts-more"><summary>Index details</summary><ul class="qa-facts">{items}</ul></details>'
            f'{notice}')
