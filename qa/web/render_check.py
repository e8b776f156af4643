"""HTML for a checked draft: the draft itself, every quotation marked in place by its verdict.

What it does: turns ``qa check --json``'s object and the draft into the
summary line as a badge; the draft's own text with each quotation wrapped in
a mark coloured by its verdict (verbatim, altered, not found; a dashed
outline when the speaker is contradicted) and numbered, which on hover or
click (it takes focus) shows the verdict, who the draft and the source say
said it, and the source passage with the words that differ marked; then one
card per quotation with the quote beside its source (``match_view``); and the
copy-as-Markdown / download-JSON row. All text from the draft or a document
goes through ``esc``.

What it does not do: check anything (``qa.quotes.check``) or touch Gradio.

>>> check = {"summary": "1 quotation: 1 not found", "speakers_contradicted": 0, "quotations": [
...     {"number": 1, "start": 4, "end": 10, "verdict": "not_found", "fragment": True, "speaker": None,
...      "speaker_check": None, "quote": "made", "text": "made", "matches": []}]}
>>> html = marked_draft(check, "Say “made” up.")
>>> html.count('data-verdict="not_found"'), html.startswith('<div class="qa-draft">Say <span'), html.endswith(" up.</div>")
(1, True, True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from qa.ingest.documents import Document
from qa.web.render_base import citation, diff_side, esc
from qa.web.render_verify import SPEAKER_CHECK, VERDICTS, change_words, match_view

TONES = {"verbatim": "ok", "verbatim_with_elision": "ok", "altered": "warn", "not_found": "bad", "error": "bad"}
_KEY = ('<p class="qa-legend">Key: <span class="qa-q qa-q-ok">verbatim</span> <span class="qa-q qa-q-warn">altered</span> '
        '<span class="qa-q qa-q-bad">not found</span> <span class="qa-q qa-q-ok qa-q-contra">speaker contradicted</span> '
        '— hover over or click a quotation to see its source.</p>')


def _label(q: Mapping) -> str:
    badge = VERDICTS.get(q["verdict"], ("Not checked", "", "bad"))[0]
    return badge + (" · fragment" if q.get("fragment") else "")


def _who(q: Mapping) -> str:
    """Who the draft says said it, and what the source says."""
    said = f'The draft says <strong>{esc(q["speaker"])}</strong>' if q.get("speaker") else "The draft names no speaker"
    check = q.get("speaker_check")
    if not check or check not in SPEAKER_CHECK:
        return f"{said}."
    label, tone = SPEAKER_CHECK[check]
    found = (q.get("matches") or [{}])[0].get("speaker") if q["verdict"] != "not_found" else None
    source = f"the source: <strong>{esc(found)}</strong>" if found else "the source names nobody" \
        if q["verdict"] != "not_found" else "not found, so not checked"
    return f'{said}; {source}. <span class="qa-badge qa-{tone}">{esc(label)}</span>'


def _popover(q: Mapping) -> str:
    """What a mark shows on hover or focus: verdict, speakers, the source passage with its differences."""
    tone = TONES.get(q["verdict"], "bad")
    m = (q.get("matches") or [None])[0]
    parts = [f'<span class="qa-badge qa-{tone}">{esc(_label(q))}</span>', f'<span class="qa-pop-who">{_who(q)}</span>']
    if q.get("error"):
        parts.append(f'<span class="qa-pop-src">{esc(q["error"])}</span>')
    elif m is not None:
        diff = m.get("diff") or [{"op": "equal", "quote": q["quote"], "source": m["source_text"]}]
        where = "Closest passage" if q["verdict"] == "not_found" else "Source"
        parts.append(f'<span class="qa-pop-src">{where} ({citation(m["file"], m["paragraph"], m["start"], m["end"])}): '
                     f'“{diff_side(diff, "source")}”</span>')
        parts += [f'<span class="qa-pop-change">{esc(change_words(c))}</span>' for c in m.get("meaning_changes") or []]
    else:
        parts.append('<span class="qa-pop-src">Nothing in the sources comes close.</span>')
    return f'<span class="qa-pop" role="tooltip">{"".join(parts)}</span>'


def _mark(q: Mapping, text: str) -> str:
    tone = TONES.get(q["verdict"], "bad")
    contra = " qa-q-contra" if q.get("speaker_check") == "contradicted" else ""
    title = f'{q["number"]}: {_label(q)}' + ("; speaker contradicted" if contra else "")
    return (f'<span class="qa-q qa-q-{tone}{contra}" tabindex="0" data-n="{int(q["number"])}" '
            f'data-verdict="{esc(q["verdict"])}" data-speaker-check="{esc(q.get("speaker_check") or "")}" '
            f'aria-label="{esc(title)}">{esc(text)}<sup class="qa-q-n">{int(q["number"])}</sup>{_popover(q)}</span>')


def marked_draft(check: Mapping, draft: str) -> str:
    """The draft, escaped, each quotation ``draft[start:end]`` in its mark."""
    out, pos = [], 0
    for q in sorted(check.get("quotations") or [], key=lambda q: q["start"]):
        if q["start"] < pos:  # overlapping spans cannot be drawn twice; the card below still shows it
            continue
        out += [esc(draft[pos:q["start"]]), _mark(q, draft[q["start"]:q["end"]])]
        pos = q["end"]
    return f'<div class="qa-draft">{"".join(out)}{esc(draft[pos:])}</div>'


def _card(q: Mapping, docs: Mapping[str, Document]) -> str:
    tone = TONES.get(q["verdict"], "bad")
    head = (f'<div class="qa-check-head"><span class="qa-q-num">{int(q["number"])}</span> '
            f'<span class="qa-badge qa-{tone}">{esc(_label(q))}</span> “{esc(" ".join(q["text"].split()))}”</div>'
            f'<div class="qa-speaker">{_who(q)}</div>')
    found = q["verdict"] != "not_found"
    body = "".join(match_view(m, q["quote"], docs.get(m["file"]), found) for m in (q.get("matches") or [])[:1])
    return f'<li class="qa-check-item" id="qa-q-{int(q["number"])}">{head}{body or esc(q.get("error") or "")}</li>'


def draft_markdown(check: Mapping) -> str:
    """The checked draft as Markdown: the summary, then each quotation, its verdict, speaker and source."""
    lines = [f"**{check['summary']}**", ""]
    for q in check.get("quotations") or []:
        who = f" — {q['speaker']}" + (f" (speaker {q['speaker_check']})" if q.get("speaker_check") else "") if q.get("speaker") else ""
        lines.append(f"{q['number']}. “{' '.join(q['text'].split())}”{who}: **{_label(q)}**")
        for m in (q.get("matches") or [])[:1]:
            lines.append(f"   > {' '.join(m['source_text'].split())} `{m['file']} ¶{m['paragraph']}`")
            lines += [f"   - {change_words(c)}" for c in m.get("meaning_changes") or []]
    return "\n".join(lines)


def render_draft_check(check: Mapping, draft: str, docs: Mapping[str, Document], note: str = "") -> str:
    """The whole view: summary badge, key, the marked draft, one card per quotation, copy/download."""
    quotations = check.get("quotations") or []
    clean = quotations and all(TONES.get(q["verdict"]) == "ok" for q in quotations) and not check.get("speakers_contradicted")
    tone = "ok" if clean else "warn"
    cards = "".join(_card(q, docs) for q in quotations)
    cards = f'<ol class="qa-check-list">{cards}</ol>' if cards else ""
    tools = ('<div class="qa-tools"><button type="button" data-action="copy">Copy as Markdown</button>'
             '<button type="button" data-action="download">Download JSON</button></div>')
    return (f'<div class="qa-check" data-markdown="{esc(draft_markdown(check))}" '
            f'data-json="{esc(json.dumps(check, ensure_ascii=False, indent=2))}" data-filename="draft-check.json">'
            f'{note}<div class="qa-verdict"><span class="qa-badge qa-big qa-{tone}" id="qa-check-summary">'
            f'{esc(check["summary"])}</span></div>{_KEY if quotations else ""}{marked_draft(check, draft)}{cards}{tools}</div>')
