"""Verify a pasted quote for a fact-checker: is it in the sources, who said it, do they agree.

What it does: the ``qa verify`` API. Checks the quote can be verified (not
empty, at least ``MIN_WORDS`` words: shorter ones match too many places),
finds it (``qa.quotes.search``: ``verbatim``, ``verbatim_with_elision``,
``altered`` with a word diff and meaning-change flags, ``not_found`` with the
closest passage), names each match's speaker and checks a claimed one
(``qa.ingest.speakers``: ``confirmed``, ``contradicted`` or ``unknown``), and adds
the sources that disagree with the matched passages (``qa.quotes.conflicts``).
Also renders the result for people, streams a batch as JSON lines, and
opens an index without its embedding model.

What it does not do: embed anything, judge paraphrases, or say whether a
quote is true -- only whether the sources say it, and who they say said it.

>>> from qa.ingest.documents import parse_document
>>> from qa.index.hybrid import build_index
>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> doc = parse_document("a.txt", "Heigo Sato spoke.\\n\\n\\u201cSupply chains cannot be rebuilt in a year,\\u201d he said.")
>>> index = build_index([doc], FakeEmbedder(), Config())[0]
>>> v = verify_quote(index, "supply chains cannot be rebuilt", speaker="Sato")
>>> v.verdict, v.matches[0].paragraph, v.matches[0].source_text, v.matches[0].speaker, v.speaker_check
('verbatim', 2, 'Supply chains cannot be rebuilt', 'Heigo Sato', 'confirmed')
>>> v = verify_quote(index, "Supply chains can be rebuilt in a year")
>>> v.verdict, [(c.kind, c.quote, c.source) for c in v.matches[0].meaning_changes]
('altered', [('negation', 'can', 'cannot')])
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qa.errors import BadInput
from qa.index.hybrid import Index
from qa.ingest.textnorm import terminal_safe as shown
from qa.ingest.metadata import TERMINAL_TITLE_CHARS, citation_text, cite
from qa.quotes.diff import DiffOp, canonical, tokens, word_count
from qa.quotes.pairs import conflict_pairs, pair_line
from qa.quotes.search import ELISION, Match, locate

MIN_WORDS = 4
MAX_CHARS = 5000


class BadQuote(BadInput, ValueError):
    """A quote that cannot be verified as given; the message says why."""


@dataclass
class Verification:
    quote: str
    verdict: str  # "verbatim" | "verbatim_with_elision" | "altered" | "not_found"
    matches: list[Match] = field(default_factory=list)
    speaker_check: str | None = None  # "confirmed" | "contradicted" | "unknown" | None (no speaker given)
    conflicts: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        out = {"quote": self.quote, "verdict": self.verdict, "matches": [_match_json(m) for m in self.matches],
               "speaker_check": self.speaker_check}
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


def _match_json(m: Match) -> dict:
    """A match as JSON; ``page`` only for a match in a PDF."""
    out = asdict(m)
    if out["page"] is None:
        del out["page"]
    return out


def check_quote(quote: object, min_words: int = MIN_WORDS) -> str:
    """The quote without outer space, or ``BadQuote`` saying why it can't be verified.

    ``min_words``: ``qa check`` passes 1, for the fragments of a draft (their place in it says what they quote).

    >>> try:
    ...     check_quote("\u201cNot really.\u201d")
    ... except BadQuote as err:
    ...     print(err)
    too short to verify: 2 words (a quote needs at least 4)
    """
    if not isinstance(quote, str):
        raise BadQuote(f"the quote must be text, not {type(quote).__name__}")
    if len(quote) > MAX_CHARS:
        raise BadQuote(f"the quote is too long ({len(quote):,} characters; the limit is {MAX_CHARS:,})")
    words = word_count(tokens(ELISION.sub(" ", canonical(quote).canon)))
    if not words:
        raise BadQuote("the quote is empty")
    if words < min_words:
        raise BadQuote(f"too short to verify: {words} word{'s' if words > 1 else ''} (a quote needs at least {min_words})")
    return quote.strip()


def verify_quote(index: Index, quote: str, speaker: str | None = None, min_words: int = MIN_WORDS) -> Verification:
    """Verdict, matches (best first), speaker check and conflicts for ``quote``; ``BadQuote`` if unverifiable."""
    from qa.quotes.conflicts import conflicts_for
    from qa.ingest.speakers import find_speaker, speaker_check

    quote = check_quote(quote, min_words)
    verdict, matches = locate(index, canonical(quote))
    for m in matches:
        found = find_speaker(index.doc_by_name(m.file), m.start, m.end)
        m.speaker = found.name if found else None
    found_speaker = matches[0].speaker if matches and verdict != "not_found" else None
    conflicts = conflicts_for(index, [(m.file, m.start, m.end) for m in matches]) if verdict != "not_found" else []
    return Verification(quote, verdict, matches, speaker_check(speaker, found_speaker), conflicts)


_VERDICT_WORDS = {
    "verbatim": "Verbatim: the quote occurs word for word in the sources.",
    "verbatim_with_elision": "Verbatim with elision: every piece occurs word for word, in order, in one passage.",
    "altered": "Altered: a close match exists, but words differ.",
    "not_found": "Not found: no source contains this quote.",
}


def format_verification(v: Verification, claimed: str | None = None) -> str:
    """A person-readable report: verdict, citations (with the source's title, publisher, date), source text,
    inline diff, speaker, flags, and each pair of disagreeing passages once.

    Every text from the sources or the user is passed through ``terminal_safe``: a
    source's escape sequences, or a newline in a file name, are shown, not obeyed.
    """
    lines = [_VERDICT_WORDS[v.verdict]]
    if v.verdict == "not_found":
        lines.append("The closest passage:" if v.matches else "Nothing in the sources comes close.")
    for m in v.matches:
        cited = " ".join(c for c in (f"[{cite(m.file, m.paragraph, m.page)}]", citation_text(m.source, TERMINAL_TITLE_CHARS)) if c)
        lines += ["", f"  {shown(cited)}  (chars {m.start}-{m.end}, similarity {m.similarity:.2f})",
                  f"    Source:  “{shown(' '.join(m.source_text.split()))}”"]
        if v.verdict != "verbatim":
            lines.append(f"    Diff:    {shown(inline_diff(m.diff))}")
        lines.append(f"    Speaker: {shown(m.speaker or 'not named in the source')}")
        lines += [f"    Meaning changed ({c.kind}): {shown(c.in_words())}" for c in m.meaning_changes]
    if v.speaker_check:
        found = v.matches[0].speaker if v.matches and v.verdict != "not_found" else None
        why = {"confirmed": f"the source attributes it to {found}",
               "contradicted": f"the source attributes it to {found}, not {claimed}",
               "unknown": "the quote was not found" if v.verdict == "not_found" else "the source names no speaker"}
        lines += ["", shown(f"Speaker check ({claimed}): {v.speaker_check} — {why[v.speaker_check]}")]
    for pair in conflict_pairs(v.conflicts):  # each pair of passages once, with all that differs between them
        line = pair_line(pair)
        lines += ["", shown(line[0].upper() + line[1:])]
        lines += [f"    [{shown(p['file'])} ¶{p['paragraph']}] “{shown(' '.join(p['quote'].split()))}”" for p in pair.passages]
    return "\n".join(lines) + "\n"


def inline_diff(diff: list[DiffOp]) -> str:
    """The source with the quote's edits marked: ``[-source words-]{+quote words+}``.

    >>> inline_diff([DiffOp("equal", "it is", "it is"), DiffOp("replace", "bad", "good")])
    'it is [-good-]{+bad+}'
    """
    marks = {"equal": "{s}", "delete": "[-{s}-]", "insert": "{{+{q}+}}", "replace": "[-{s}-]{{+{q}+}}"}
    return " ".join(marks[d.op].format(s=d.source, q=d.quote) for d in diff)


def verify_stream(index: Index, lines, out, speaker: str | None = None) -> None:
    """One JSON object per input line; a bad line gives ``{"quote", "error"}`` and the batch goes on."""
    for line in lines:
        quote = line.rstrip("\r\n")
        try:
            result = verify_quote(index, quote, speaker).as_json()
        except BadQuote as err:
            result = {"quote": quote[:200], "error": str(err)}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()


def open_index(index_dir, model: str | None = None, warn=None) -> Index:
    """The saved index alone (no embedding model: verification needs none).

    The model name only has to match the manifest, so it is read from there
    unless given. Whether the index still matches its documents is the
    caller's to check (``qa.index.staleness``): the CLI warns, or refuses under ``--strict``.
    """
    from qa.config import Config
    from qa.index.store import built_model, current_generation, generations, load_index

    root = Path(index_dir)
    built = built_model([g for g in (current_generation(root), *generations(root)) if g is not None])
    return load_index(root, Config(model=model or built or Config().model), warn=warn)
