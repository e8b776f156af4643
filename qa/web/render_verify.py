"""HTML for a quote's verification: the verdict, the speaker check, word diffs.

What it does: turns the quote-verification object (``qa verify --json``)
into a verdict badge with its explanation, the claimed speaker checked
against the source, and each matching passage beside the quote with the
words that differ marked (changed, only in the quote, left out of it),
changes of meaning (negation, number, name) called out, where the passage
comes from, and under it any other source that disagrees with it. All text
from a quote or a document goes through ``esc``.

What it does not do: verify anything (``qa.quotes.verify``), render answers or
documents (``qa.web.render``), or touch Gradio. The functions are pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

from qa.ingest.documents import Document
from qa.ingest.metadata import citation_text, cite
from qa.quotes.diff import change_in_words
from qa.web.render_base import citation, diff_side, esc, source_span, tools
from qa.web.render_pairs import place_pairs, render_conflicts, render_pairs

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
_LEGEND = ('<p class="qa-legend">Key: <span class="qa-d-changed">changed</span> '
           '<span class="qa-d-added">only in the quote</span> <span class="qa-d-missing">left out of the quote</span></p>')


def change_words(change: Mapping) -> str:
    """``qa.quotes.diff.change_in_words`` of a JSON meaning change."""
    return change_in_words(change.get("quote") or "", change.get("source") or "")


def _meaning_changes(changes: list) -> str:
    items = "".join(f'<li><strong>{esc(CHANGE_KINDS.get(c.get("kind"), c.get("kind", "Changed")))}:</strong> '
                    f'{esc(change_words(c))}.</li>' for c in changes)
    return f'<ul class="qa-changes">{items}</ul>' if items else ""


def match_view(m: Mapping, quote: str, doc: Document | None, found: bool = True, below: str = "") -> str:
    """The quote beside its source passage, differences highlighted, meaning changes called out.

    ``found`` is False for the closest passage shown under "Not found": it is labelled so, not "Found at".
    ``below``: HTML shown under it (the sources that disagree with this passage).
    """
    diff = m.get("diff") or [{"op": "equal", "quote": quote, "source": m["source_text"]}]
    who = f' · said by <strong>{esc(m["speaker"])}</strong>' if m.get("speaker") else ""
    sides = "".join(f'<div class="qa-side"><h4>The {side}</h4><p class="qa-diff">{diff_side(diff, side)}</p></div>'
                    for side in ("quote", "source"))
    return (f'<div class="qa-match">{_meaning_changes(m.get("meaning_changes") or [])}'
            f'<div class="qa-side-by-side">{sides}</div><div class="qa-source">{"Found at" if found else "Closest passage:"} '
            f'{citation(m["file"], m["paragraph"], m["start"], m["end"], m.get("page"))} {source_span(doc)}'
            f' · {round(100 * float(m.get("similarity", 0)))}% similar{who}</div>{below}</div>')


def _speaker_line(check: str | None, claimed: str, found: str | None, quote_found: bool = True) -> str:
    if not check or check not in SPEAKER_CHECK:
        return ""
    if not quote_found:  # as the CLI says: with no passage there is nobody to check the name against
        return (f'<div class="qa-speaker"><span class="qa-badge qa-warn">Speaker not checked</span> '
                f'You said <strong>{esc(claimed)}</strong>; the quote was not found, so who said it can\'t be checked.</div>')
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
    located = v["verdict"] != "not_found"
    under, rest = place_pairs(matches, v.get("conflicts") or [])
    body = "".join(match_view(m, v["quote"], docs.get(m["file"]), located, render_pairs(pairs, docs))
                   for m, pairs in zip(matches, under))
    legend = _LEGEND if v["verdict"] != "verbatim" and matches else ""
    share = "?" + urlencode({"quote": v["quote"], **({"speaker": claimed_speaker} if claimed_speaker else {})})
    return (f'<div class="qa-verify" data-share="{esc(share)}" data-markdown="{esc(verification_markdown(v, claimed_speaker))}" '
            f'data-json="{esc(json.dumps(v, ensure_ascii=False, indent=2))}" data-filename="verification.json"><div class="qa-verdict">'
            f'<span class="qa-badge qa-big qa-{tone}">{esc(badge)}</span> {esc(explain)}</div>'
            f'{_speaker_line(v.get("speaker_check"), claimed_speaker, found, located)}{legend}{body}'
            f'{render_conflicts(rest, docs)}{tools(share, "check")}</div>')


def verification_markdown(v: Mapping, claimed_speaker: str = "") -> str:
    """The verification as Markdown: verdict, the quote, each source passage with its citation.

    >>> print(verification_markdown({"quote": "Q", "verdict": "not_found", "matches": []}))
    **“Q”**
    <BLANKLINE>
    Not found: No passage of the sources matches this quote.
    """
    badge, explain, _ = VERDICTS.get(v["verdict"], (v["verdict"], "", ""))
    lines = [f"**“{v['quote']}”**", "", f"{badge}: {explain}"]
    if claimed_speaker and v.get("speaker_check"):
        lines.append(f"Speaker ({claimed_speaker}): {v['speaker_check']}")
    label = "Source" if v["verdict"] != "not_found" else "Closest passage"
    for m in v.get("matches") or []:
        about = citation_text(m.get("source"))
        lines += ["", f"{label}: > {m['source_text']}", f"`{cite(m['file'], m['paragraph'], m.get('page'))}`" + (f" — {about}" if about else "")]
        lines += [f"- {CHANGE_KINDS.get(c.get('kind'), 'Changed')}: {change_words(c)}" for c in m.get("meaning_changes") or []]
    return "\n".join(lines)
