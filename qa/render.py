"""HTML for the web UI: quote cards, verdicts with word diffs, readable sources.

What it does: turns the JSON the CLI prints (``Answer.as_json()``, the
quote-verification object) and the indexed documents into HTML fragments.
Every piece of text that comes from a document, a question or a quote goes
through ``esc`` -- documents may hold ``<script>`` or ``<img onerror=...>``
and must show as text. Citations are links carrying ``data-file`` /
``data-para`` (the page's script opens them in the Sources tab) and a
``?doc=...&p=...`` address, so they also work opened in a new tab.

What it does not do: answer, verify or read files; no Gradio here. The
functions are pure, so they are tested without a server.

>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> highlight("The tank weighs 50 tonnes.", 16, 25)
'The tank weighs <mark>50 tonnes</mark>.'
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from urllib.parse import urlencode

from qa.documents import Document

CONFIDENCE = {"high": "High confidence", "medium": "Medium confidence", "low": "Low confidence"}
VERDICTS = {  # verdict -> (badge, explanation, tone)
    "verbatim": ("Verbatim", "The quote appears word for word in the sources.", "ok"),
    "verbatim_with_elision": ("Verbatim, with words left out", "Every part of the quote appears in this order; "
                              "the quote leaves words out where it says “…”.", "ok"),
    "altered": ("Altered", "The sources say something close, but the words differ. "
                "The changes are highlighted.", "warn"),
    "not_found": ("Not found", "No passage of the sources matches this quote.", "bad"),
}
SPEAKER_CHECK = {"confirmed": ("Speaker confirmed", "ok"), "contradicted": ("Speaker contradicted", "bad"),
                 "unknown": ("Speaker not named in the source", "warn")}
CHANGE_KINDS = {"negation": "Negation changed", "number": "Number changed", "name": "Name changed"}
_DIFF_CLASS = {"insert": "qa-d-added", "delete": "qa-d-missing", "replace": "qa-d-changed"}
_NO_SPACE_BEFORE = tuple(".,;:!?)]}’”'\"%")
_LEGEND = ('<p class="qa-legend">Key: <span class="qa-d-changed">changed</span> '
           '<span class="qa-d-added">only in the quote</span> <span class="qa-d-missing">left out of the quote</span></p>')
_DEBRIS_NOTE = ' title="page debris (menus, credits, share buttons): never quoted in answers"'


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


def _title(doc: Document | None) -> str:
    return f'<span class="qa-title">{esc(doc.title)}</span>' if doc is not None else ""


def _paragraph_view(doc: Document | None, number: int, start: int, end: int) -> str:
    if doc is None or not 1 <= number <= len(doc.paragraphs):
        return ""
    p = doc.paragraph(number)
    body = highlight(p.text, start - p.start, end - p.start)
    return (f'<details class="qa-context"><summary>Show the whole paragraph</summary>'
            f'<p class="qa-para-text">{body}</p></details>')


def passage_card(p: Mapping, doc: Document | None, label: str, tone: str, rank: str = "") -> str:
    """One quote card: the quote, speaker, citation with the title, confidence, the paragraph."""
    who = f'<div class="qa-who">— {esc(p["speaker"])}</div>' if p.get("speaker") else ""
    cite = citation(p["file"], p["paragraph"], p["start"], p["end"])
    return (f'<article class="qa-card qa-{tone}"><div class="qa-card-top">'
            f'<span class="qa-badge qa-{tone}">{esc(label)}</span> <span class="qa-rank">{esc(rank)}</span></div>'
            f'<blockquote class="qa-quote">{esc(p["quote"])}</blockquote>{who}'
            f'<div class="qa-source">Source: {cite} {_title(doc)}</div>'
            f'{_paragraph_view(doc, p["paragraph"], p["start"], p["end"])}</article>')


def _answer_head(answer: Mapping) -> str:
    if not answer["answered"]:
        closest = " The closest passage is shown below, with low confidence." if answer["passages"] else ""
        return (f'<div class="qa-banner qa-bad"><strong>Not in the sources.</strong> '
                f'None of the documents answers this question.{closest}</div>')
    return ('<div class="qa-banner qa-ok"><strong>Answer from the sources</strong>'
            ' — exact quotes, with where they come from.</div>')


def render_conflicts(conflicts: list, docs: Mapping[str, Document]) -> str:
    """Each disagreement between sources, its passages side by side."""
    if not conflicts:
        return ""
    parts = ['<section class="qa-conflicts"><h3>⚠ The sources disagree</h3>']
    for c in conflicts:
        sides = "".join(
            f'<div class="qa-side"><blockquote class="qa-quote qa-small">{esc(p["quote"])}</blockquote>'
            f'<div class="qa-source">{citation(p["file"], p["paragraph"], p.get("start"), p.get("end"))} '
            f'{_title(docs.get(p["file"]))}</div></div>' for p in c.get("passages", []))
        parts.append(f'<div class="qa-conflict"><p>{esc(c.get("summary", ""))}</p>'
                     f'<div class="qa-side-by-side">{sides}</div></div>')
    return "".join(parts) + "</section>"


def answer_markdown(answer: Mapping, docs: Mapping[str, Document]) -> str:
    """The answer as Markdown: each quote as a block quote, then its citation.

    >>> print(answer_markdown({"question": "Q?", "answered": False, "confidence": "low", "passages": []}, {}))
    **Q?**
    <BLANKLINE>
    Not in the sources.
    """
    lines = [f"**{answer['question']}**", ""]
    if not answer["answered"]:
        lines += ["Not in the sources." + (" Closest passage (low confidence):" if answer["passages"] else ""), ""]
    else:
        lines += [f"Answer from the sources ({answer['confidence']} confidence):", ""]
    for p in answer["passages"]:
        lines += ["> " + line for line in p["quote"].splitlines() or [""]]
        if p.get("speaker"):
            lines.append(f"> — {p['speaker']}")
        doc = docs.get(p["file"])
        lines += ["", f"`{p['file']} ¶{p['paragraph']}`" + (f" — *{doc.title}*" if doc else ""), ""]
    return "\n".join(lines).rstrip()


def render_answer(answer: Mapping, docs: Mapping[str, Document]) -> str:
    """The whole answer: banner, quote cards, conflicts, copy/download buttons and the link to share."""
    label = CONFIDENCE.get(answer["confidence"], answer["confidence"])
    tone = {"high": "ok", "medium": "warn"}.get(answer["confidence"], "bad")
    ranks = ["Best match" if answer["answered"] else "Closest passage"] + ["Also relevant"] * len(answer["passages"])
    cards = "".join(passage_card(p, docs.get(p["file"]), label, tone, rank)
                    for p, rank in zip(answer["passages"], ranks))
    share = "?" + urlencode({"q": answer["question"]})
    data = json.dumps(answer, ensure_ascii=False, indent=2)
    tools = (f'<div class="qa-tools"><button type="button" data-action="copy">Copy as Markdown</button>'
             f'<button type="button" data-action="download">Download JSON</button>'
             f'<a class="qa-share" href="{esc(share)}">Link to this answer</a></div>')
    return (f'<div class="qa-answer" data-share="{esc(share)}" '
            f'data-markdown="{esc(answer_markdown(answer, docs))}" data-json="{esc(data)}">'
            f'<p class="qa-asked">Question: {esc(answer["question"])}</p>'
            f'{_answer_head(answer)}{cards}{render_conflicts(answer.get("conflicts") or [], docs)}{tools}</div>')


def render_message(text: str, tone: str = "bad") -> str:
    """A one-line notice (an error the user can fix), escaped."""
    return f'<div class="qa-banner qa-{tone}" role="alert">{esc(text)}</div>'


def _join(segments: list[tuple[str, str]]) -> str:
    """Escaped/marked-up diff pieces joined by spaces, none before closing punctuation."""
    out = ""
    for raw, piece in segments:
        out += ("" if not out or raw.startswith(_NO_SPACE_BEFORE) else " ") + piece
    return out


def diff_side(diff: list, side: str) -> str:
    """One side ("quote" or "source") of a word diff; edits wrapped in a class saying what changed.

    >>> diff_side([{"op": "equal", "quote": "Chains", "source": "Chains"},
    ...            {"op": "replace", "quote": "can", "source": "cannot"}], "source")
    'Chains <span class="qa-d-changed" title="changed">cannot</span>'
    """
    titles = {"qa-d-added": "only in the quote", "qa-d-missing": "left out of the quote",
              "qa-d-changed": "changed"}
    segments = []
    for op in diff:
        text = op.get(side) or ""
        if not text:
            continue
        cls = _DIFF_CLASS.get(op.get("op"))
        piece = esc(text) if cls is None else f'<span class="{cls}" title="{titles[cls]}">{esc(text)}</span>'
        segments.append((text, piece))
    return _join(segments)


def _meaning_changes(changes: list) -> str:
    items = "".join(f'<li><strong>{esc(CHANGE_KINDS.get(c.get("kind"), c.get("kind", "Changed")))}:</strong> '
                    f'the quote says “{esc(c.get("quote", ""))}”, '
                    f'the source says “{esc(c.get("source", ""))}”.</li>' for c in changes)
    return f'<ul class="qa-changes">{items}</ul>' if items else ""


def match_view(m: Mapping, quote: str, doc: Document | None) -> str:
    """The quote beside its source passage, differences highlighted, meaning changes called out."""
    diff = m.get("diff") or [{"op": "equal", "quote": quote, "source": m["source_text"]}]
    who = f' · said by <strong>{esc(m["speaker"])}</strong>' if m.get("speaker") else ""
    sides = "".join(f'<div class="qa-side"><h4>The {side}</h4><p class="qa-diff">{diff_side(diff, side)}</p></div>'
                    for side in ("quote", "source"))
    return (f'<div class="qa-match">{_meaning_changes(m.get("meaning_changes") or [])}'
            f'<div class="qa-side-by-side">{sides}</div><div class="qa-source">Found at '
            f'{citation(m["file"], m["paragraph"], m["start"], m["end"])} {_title(doc)}'
            f' · {round(100 * float(m.get("similarity", 0)))}% similar{who}</div></div>')


def _speaker_line(check: str | None, claimed: str, found: str | None) -> str:
    if not check or check not in SPEAKER_CHECK:
        return ""
    label, tone = SPEAKER_CHECK[check]
    said = f"the source attributes it to <strong>{esc(found)}</strong>" if found else "the source doesn't say who said it"
    detail = f"You said <strong>{esc(claimed)}</strong>; {said}." if check != "confirmed" else f"T{said[1:]}."
    return f'<div class="qa-speaker"><span class="qa-badge qa-{tone}">{label}</span> {detail}</div>'


def render_verification(v: Mapping, docs: Mapping[str, Document], claimed_speaker: str = "") -> str:
    """Verdict badge, speaker check, and each match beside the quote."""
    badge, explain, tone = VERDICTS.get(v["verdict"], (v["verdict"], "", "warn"))
    matches = v.get("matches") or []
    if v["verdict"] == "not_found" and matches:
        explain += " The closest passage is shown for comparison."
    found = matches[0].get("speaker") if matches else None
    body = "".join(match_view(m, v["quote"], docs.get(m["file"])) for m in matches)
    legend = _LEGEND if v["verdict"] != "verbatim" and matches else ""
    share = "?" + urlencode({"quote": v["quote"], **({"speaker": claimed_speaker} if claimed_speaker else {})})
    return (f'<div class="qa-verify" data-share="{esc(share)}"><div class="qa-verdict">'
            f'<span class="qa-badge qa-big qa-{tone}">{esc(badge)}</span> {esc(explain)}</div>'
            f'{_speaker_line(v.get("speaker_check"), claimed_speaker, found)}{legend}{body}'
            f'{render_conflicts(v.get("conflicts") or [], docs)}</div>')


def render_document(doc: Document, paragraph: int | None = None, span: tuple[int, int] | None = None) -> str:
    """A whole document: numbered paragraphs, debris dimmed, ``paragraph`` marked and ``span`` highlighted."""
    rows = []
    for p in doc.paragraphs:
        text = highlight(p.text, span[0] - p.start, span[1] - p.start) if span else esc(p.text)
        target = " qa-target" if p.number == paragraph else ""
        note = _DEBRIS_NOTE if p.kind == "debris" else ""
        rows.append(f'<div class="qa-p qa-kind-{p.kind}{target}" data-para="{p.number}"{note}>'
                    f'<a class="qa-pnum qa-cite" href="{esc(doc_link(doc.name, p.number))}" data-file="{esc(doc.name)}" '
                    f'data-para="{p.number}">{p.number}</a><div class="qa-ptext">{text}</div></div>')
    return (f'<article class="qa-doc" data-share="{esc(doc_link(doc.name, paragraph))}">'
            f'<header><h2>{esc(doc.title)}</h2><code>{esc(doc.name)}</code></header>{"".join(rows)}</article>')


def render_facts(manifest: Mapping, docs: list[Document]) -> str:
    """The index facts line: documents, paragraphs, chunks, model, when it was built."""
    counts = manifest.get("counts", {})
    facts = [("documents", counts.get("documents", len(docs))),
             ("paragraphs", counts.get("paragraphs", sum(len(d.paragraphs) for d in docs))),
             ("chunks", counts.get("chunks", "?")), ("sentences", counts.get("sentences", "?"))]
    items = "".join(f"<li><strong>{esc(v)}</strong> {k}</li>" for k, v in facts)
    built = str(manifest.get("built_at", "unknown")).replace("T", " ").replace("Z", " UTC")
    return (f'<ul class="qa-facts">{items}<li>model <strong>{esc(manifest.get("model", "?"))}</strong></li>'
            f'<li>built <strong>{esc(built)}</strong></li></ul>')


PAGE_CSS = """
.qa-answer, .qa-verify, .qa-doc {font-size: 1rem; line-height: 1.5}
.qa-asked {color: var(--body-text-color-subdued); margin: .2rem 0 .6rem}
.qa-banner {border-radius: 8px; padding: .7rem 1rem; margin: .4rem 0 .8rem; font-size: 1.05rem}
.qa-banner.qa-ok {background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7}
.qa-banner.qa-bad {background: #fdecea; color: #8a1c1c; border: 1px solid #f5b7b1}
.qa-banner.qa-warn {background: #fff8e1; color: #7a4f01; border: 1px solid #ffe082}
.qa-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 1rem 1.2rem; margin: 0 0 1rem;
  background: var(--background-fill-primary); box-shadow: 0 1px 3px rgba(0,0,0,.06)}
.qa-quote {font-family: Georgia, 'Times New Roman', serif; font-size: 1.35rem; line-height: 1.45; margin: .5rem 0;
  padding: 0 0 0 1rem; border-left: 4px solid #1e66f5; white-space: pre-line; color: var(--body-text-color)}
.qa-quote.qa-small {font-size: 1.1rem}
.qa-card.qa-bad .qa-quote {border-left-color: #b0b0b0; color: var(--body-text-color-subdued)}
.qa-who {font-style: italic; margin: 0 0 .4rem 1.2rem}
.qa-source {margin: .4rem 0; color: var(--body-text-color-subdued)}
.qa-cite {font-family: ui-monospace, Consolas, monospace; font-weight: 600; background: #e7efff; color: #0b3ea8 !important;
  border-radius: 6px; padding: .1rem .45rem; text-decoration: none !important; white-space: nowrap}
.qa-cite:hover {background: #cfe0ff; text-decoration: underline !important}
.qa-title {font-style: italic}
.qa-rank {color: var(--body-text-color-subdued); font-size: .9rem; margin-left: .4rem}
.qa-badge {display: inline-block; border-radius: 999px; padding: .15rem .7rem; font-weight: 700; font-size: .9rem}
.qa-badge.qa-ok {background: #1b7f3b; color: #fff} .qa-badge.qa-warn {background: #b26a00; color: #fff}
.qa-badge.qa-bad {background: #b3261e; color: #fff} .qa-badge.qa-big {font-size: 1.2rem; padding: .3rem 1rem}
.qa-context summary {cursor: pointer; color: #0b3ea8}
.qa-para-text {white-space: pre-line; background: var(--background-fill-secondary); padding: .6rem .8rem; border-radius: 6px}
mark {background: #ffe066; color: #000; padding: 0 .1rem; border-radius: 2px}
.qa-tools {display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; margin-top: .5rem}
.qa-tools button {border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .35rem .8rem;
  background: var(--background-fill-secondary); cursor: pointer}
.qa-side-by-side {display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem}
.qa-side {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .7rem .9rem}
.qa-side h4 {margin: 0 0 .3rem; font-size: .85rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--body-text-color-subdued)}
.qa-conflicts {border-top: 3px solid #b26a00; margin-top: 1rem; padding-top: .5rem}
.qa-verdict {font-size: 1.05rem; margin: .3rem 0 .8rem} .qa-speaker {margin: 0 0 .8rem}
.qa-diff {font-family: Georgia, serif; font-size: 1.15rem; line-height: 1.6; margin: 0}
.qa-d-changed {background: #ffd6d6; color: #8a1c1c; font-weight: 700; border-radius: 3px; padding: 0 .15rem}
.qa-d-added {background: #d6e4ff; color: #0b3ea8; text-decoration: underline; border-radius: 3px; padding: 0 .15rem}
.qa-d-missing {background: #eee; color: #555; text-decoration: line-through; border-radius: 3px; padding: 0 .15rem}
.qa-legend {font-size: .9rem} .qa-legend span {margin-right: .6rem}
.qa-changes {background: #fff8e1; border: 1px solid #ffe082; border-radius: 8px; padding: .5rem 1rem .5rem 2rem;
  color: #5c3b00}
.qa-match {margin-bottom: 1.2rem}
.qa-facts {display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: 0}
.qa-doc header h2 {margin: .2rem 0} .qa-doc header {margin-bottom: .8rem}
.qa-p {display: grid; grid-template-columns: 3rem 1fr; gap: .6rem; padding: .35rem 0; border-radius: 6px}
.qa-p .qa-pnum {justify-self: end; align-self: start; font-size: .8rem}
.qa-ptext {white-space: pre-line}
.qa-kind-debris {opacity: .45; font-size: .9rem} .qa-kind-title .qa-ptext {font-size: 1.3rem; font-weight: 700}
.qa-kind-heading .qa-ptext {font-weight: 700}
.qa-target {background: #fff8d6; outline: 2px solid #f0c000}
"""
