"""HTML for the sources' disagreements: each pair of passages once, under the passage it concerns.

What it does: groups the ``conflicts`` of an answer or a verification by the
pair of passages they show (``qa.quotes.pairs``), puts each pair under the
card (or the verified match) whose passage it concerns -- that passage
first -- and shows it once: every disagreement between the two (name,
title, number), then both passages side by side with the words that
differ marked on each side, from the same word diff quotes are checked
with. A pair that concerns no passage shown is listed at the end. Every
text goes through ``esc``.

What it does not do: find disagreements (``qa.quotes.conflicts``) or change
the ``conflicts`` JSON; no Gradio here. The functions are pure.
"""

from __future__ import annotations

from collections.abc import Mapping

from qa.ingest.documents import Document
from qa.quotes.pairs import Pair, conflict_pairs, pair_diff
from qa.web.render_base import citation, diff_side, esc, source_span

KINDS = {"name": "Name", "title": "Title", "number": "Number"}
_DIFFERS = ("qa-d-changed", "differs in the other source")
PAIR_MARKS = {"insert": _DIFFERS, "delete": _DIFFERS, "replace": _DIFFERS}  # a word of either side the other lacks


def _overlaps(p: Mapping, shown: Mapping) -> bool:
    """Whether passage ``p`` and the passage ``shown`` on a card share text."""
    return (p.get("file") == shown.get("file") and (p.get("start") or 0) < (shown.get("end") or 0)
            and (shown.get("start") or 0) < (p.get("end") or 0))


def place_pairs(shown: list[Mapping], conflicts: list) -> tuple[list[list[Pair]], list[Pair]]:
    """The pairs to show under each of the ``shown`` passages (the one it concerns first), and those of none.

    Each pair is placed once: under the first shown passage that either of its passages overlaps.
    """
    under: list[list[Pair]] = [[] for _ in shown]
    rest: list[Pair] = []
    for pair in conflict_pairs(conflicts):
        for i, card in enumerate(shown):
            mine = next((p for p in pair.passages if _overlaps(p, card)), None)
            if mine is not None:
                under[i].append(Pair([mine] + [p for p in pair.passages if p is not mine], pair.conflicts))
                break
        else:
            rest.append(pair)
    return under, rest


def _sides(pair: Pair) -> list[str]:
    """Each passage's text, escaped, the words it does not share with the other marked."""
    texts = [str(p.get("quote", "")) for p in pair.passages]
    if len(texts) != 2:
        return [esc(t) for t in texts]
    diff = pair_diff(*texts)
    return [diff_side(diff, side, PAIR_MARKS, exact=True) for side in ("quote", "source")]


def pair_view(pair: Pair, docs: Mapping[str, Document]) -> str:
    """One pair: what differs between the two passages, then both side by side, differing words marked."""
    items = "".join(f'<li><strong>{esc(KINDS.get(c.get("kind"), str(c.get("kind", "")).capitalize()))}:</strong> '
                    f'{esc(c.get("summary", ""))}</li>' for c in pair.conflicts)
    sides = "".join(
        f'<div class="qa-side"><p class="qa-diff qa-pair-quote">{text}</p><div class="qa-source">'
        f'{citation(p["file"], p["paragraph"], p.get("start"), p.get("end"))} {source_span(docs.get(p["file"]))}</div></div>'
        for p, text in zip(pair.passages, _sides(pair)))
    return (f'<section class="qa-conflict"><h3>⚠ The sources disagree</h3><ul class="qa-disagreements">{items}</ul>'
            f'<div class="qa-side-by-side">{sides}</div></section>')


def render_pairs(pairs: list[Pair], docs: Mapping[str, Document]) -> str:
    """The pairs placed under one passage ('' for none)."""
    return "".join(pair_view(pair, docs) for pair in pairs)


def render_conflicts(pairs: list[Pair], docs: Mapping[str, Document]) -> str:
    """The pairs that concern no passage shown, at the end ('' for none)."""
    return f'<div class="qa-conflicts">{render_pairs(pairs, docs)}</div>' if pairs else ""
