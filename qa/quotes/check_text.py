"""A checked draft for a terminal: the summary line, then each quotation with its verdict, source and diff.

What it does: renders a ``qa.quotes.check.DraftCheck`` the way ``qa check``
prints it -- the summary ("8 quotations: 4 verbatim, 3 altered, 1 not
found; 1 speaker contradicted"), then per quotation, in the draft's order:
its number, words and place in the draft, who the draft says said it (and
the words that say so), the verdict, where the sources have it, the source
text and word diff when it differs, the meaning changes, and the speaker
check. Every text from the draft or the sources goes through
``terminal_safe``.

What it does not do: check anything, or render HTML (``qa.web.render_check``).
"""

from __future__ import annotations

from qa.ingest.metadata import TERMINAL_TITLE_CHARS, citation_text
from qa.ingest.textnorm import terminal_safe as shown
from qa.quotes.check import VERDICT_NAMES, DraftCheck, QuotationCheck
from qa.quotes.verify import inline_diff

_CHECK_WORDS = {"confirmed": "Speaker confirmed", "contradicted": "SPEAKER CONTRADICTED",
                "unknown": "Speaker unknown"}


def _one_line(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _speaker_lines(c: QuotationCheck) -> list[str]:
    q, v = c.quotation, c.verification
    if not q.speaker:
        return ["    The draft names no speaker."]
    lines = [f"    The draft says: {q.speaker} (“{_one_line(q.cue or '', 60)}”)"]
    if v and v.speaker_check:
        found = v.matches[0].speaker if v.matches and v.verdict != "not_found" else None
        why = {"confirmed": f"the source attributes it to {found}",
               "contradicted": f"the source attributes it to {found}, not {q.speaker}",
               "unknown": "the quote was not found" if v.verdict == "not_found" else "the source names no speaker"}
        lines.append(f"    {_CHECK_WORDS[v.speaker_check]} — {why[v.speaker_check]}")
    return lines


def _match_lines(c: QuotationCheck) -> list[str]:
    v = c.verification
    if v is None:
        return [f"    Not checked: {c.error}"]
    if not v.matches:
        return ["    Nothing in the sources comes close."]
    m = v.matches[0]
    cited = " ".join(x for x in (f"[{m.file} ¶{m.paragraph}]", citation_text(m.source, TERMINAL_TITLE_CHARS)) if x)
    label = "Closest passage" if v.verdict == "not_found" else "Found at"
    more = f" (+{len(v.matches) - 1} more)" if len(v.matches) > 1 else ""
    lines = [f"    {label}: {cited}  (chars {m.start}-{m.end}, similarity {m.similarity:.2f}){more}"]
    if v.verdict not in ("verbatim", "verbatim_with_elision") or m.diff and any(d.op != "equal" for d in m.diff):
        lines += [f"    Source:  “{_one_line(m.source_text, 300)}”", f"    Diff:    {inline_diff(m.diff)}"]
    lines += [f"    Meaning changed ({f.kind}): {f.in_words()}" for f in m.meaning_changes]
    return lines


def format_check(c: QuotationCheck) -> str:
    """One quotation's block: number, words, place, verdict, source, diff, speaker."""
    q = c.quotation
    tags = [VERDICT_NAMES[c.verdict].upper()] + (["fragment"] if c.fragment else []) + ([] if q.closed else ["never closed"])
    lines = [f"[{c.number}] “{_one_line(q.text)}”  (draft chars {q.start}-{q.end}) — {', '.join(tags)}"]
    lines += _match_lines(c) + _speaker_lines(c)
    return "\n".join(shown(line) for line in lines)


def format_draft_check(result: DraftCheck) -> str:
    """The whole report: the summary line, a blank line, each quotation's block."""
    blocks = [shown(result.summary())] + [format_check(c) for c in result.checks]
    return "\n\n".join(blocks) + "\n"
