"""Check a whole draft: every quotation in it found, attributed and verified against the sources.

What it does: the ``qa check`` API. Refuses a draft that is not text, empty,
over ``MAX_DRAFT_CHARS`` or holding more than ``MAX_QUOTATIONS`` quotations; finds its quotations and the speaker the draft
gives each (``qa.quotes.drafts``); verifies each with ``qa verify``'s own
machinery (``qa.quotes.verify.verify_quote``: verbatim, verbatim with
elision, altered with a word diff and meaning flags, not found; where; the
speaker check), fragments of fewer than ``MIN_WORDS`` words included and
marked as such; and sums it up in one line ("8 quotations: 4 verbatim,
3 altered, 1 not found; 1 speaker contradicted").

What it does not do: judge paraphrase or truth, or render
(``qa.quotes.check_text`` for a terminal, ``qa.web.render_check`` for the page).

>>> from qa.ingest.documents import parse_document
>>> from qa.index.hybrid import build_index
>>> from qa.config import Config
>>> from qa.index.fake import FakeEmbedder
>>> doc = parse_document("a.txt", "Heigo Sato spoke.\\n\\n\\u201cSupply chains cannot be rebuilt in a year,\\u201d he said.")
>>> index = build_index([doc], FakeEmbedder(), Config())[0]
>>> result = check_draft(index, 'Sato said \\u201csupply chains can be rebuilt\\u201d and \\u201cin a year.\\u201d')
>>> [(c.number, c.verdict, c.fragment, c.verification.speaker_check) for c in result.checks]
[(1, 'altered', False, 'confirmed'), (2, 'verbatim', True, 'confirmed')]
>>> result.summary()
'2 quotations: 1 verbatim, 1 altered'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.errors import BadInput
from qa.index.hybrid import Index
from qa.quotes.diff import canonical, tokens, word_count
from qa.quotes.drafts import Quotation, find_quotations, pair_marks
from qa.quotes.search import ELISION
from qa.quotes.verify import MIN_WORDS, BadQuote, Verification, verify_quote

MAX_DRAFT_CHARS = 100_000
MAX_QUOTATIONS = 500  # ~10 ms each: a draft of a thousand scare quotes would hold a web worker for seconds
VERDICT_ORDER = ("verbatim", "verbatim_with_elision", "altered", "not_found", "error")
VERDICT_NAMES = {"verbatim": "verbatim", "verbatim_with_elision": "verbatim with elision", "altered": "altered",
                 "not_found": "not found", "error": "not checked"}
VERIFIED = ("verbatim", "verbatim_with_elision")


class BadDraft(BadInput, ValueError):
    """A draft that cannot be checked as given; the message says why."""


@dataclass
class QuotationCheck:
    number: int                  # 1, 2, ... in the order of the draft
    quotation: Quotation
    verification: Verification | None
    fragment: bool               # fewer than MIN_WORDS words: too short for `qa verify` alone
    error: str | None = None     # why it could not be checked (a quotation over qa verify's length limit)

    @property
    def verdict(self) -> str:
        return self.verification.verdict if self.verification else "error"

    @property
    def contradicted(self) -> bool:
        return bool(self.verification and self.verification.speaker_check == "contradicted")

    def as_json(self) -> dict:
        q = self.quotation
        out = {"number": self.number, "start": q.start, "end": q.end, "pieces": [list(p) for p in q.pieces],
               "text": q.text, "closed": q.closed, "fragment": self.fragment, "speaker": q.speaker, "cue": q.cue}
        if self.verification is None:
            return {**out, "quote": q.words, "verdict": "error", "error": self.error, "matches": [], "speaker_check": None}
        return {**out, **self.verification.as_json()}


@dataclass
class DraftCheck:
    text: str
    checks: list[QuotationCheck] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = [c.verdict for c in self.checks]
        return {v: found.count(v) for v in VERDICT_ORDER if v in found}

    @property
    def contradicted(self) -> int:
        return sum(c.contradicted for c in self.checks)

    @property
    def all_verified(self) -> bool:
        return all(c.verdict in VERIFIED for c in self.checks) and not self.contradicted

    def summary(self) -> str:
        """One line: how many quotations, by verdict, and the speakers contradicted."""
        n = len(self.checks)
        if not n:
            return "No quotations found in the draft (nothing between quote marks)."
        parts = ", ".join(f"{k} {VERDICT_NAMES[v]}" for v, k in self.counts().items())
        line = f"{n} quotation{'s' if n > 1 else ''}: {parts}"
        if self.contradicted:
            line += f"; {self.contradicted} speaker{'s' if self.contradicted > 1 else ''} contradicted"
        return line

    def as_json(self) -> dict:
        return {"characters": len(self.text), "summary": self.summary(), "counts": self.counts(),
                "speakers_contradicted": self.contradicted, "quotations": [c.as_json() for c in self.checks]}


def check_draft_text(draft: object) -> str:
    """``draft`` if it can be checked, else ``BadDraft`` saying why.

    >>> try:
    ...     check_draft_text("  ")
    ... except BadDraft as err:
    ...     print(err)
    the draft is empty
    """
    if not isinstance(draft, str):
        raise BadDraft(f"the draft must be text, not {type(draft).__name__}")
    if len(draft) > MAX_DRAFT_CHARS:
        raise BadDraft(f"the draft is too long ({len(draft):,} characters; the limit is {MAX_DRAFT_CHARS:,}): "
                       "check it in parts")
    if not draft.strip():
        raise BadDraft("the draft is empty")
    return draft


def is_fragment(words: str) -> bool:
    """Fewer than ``MIN_WORDS`` words ("scare quotes"): checked all the same, and marked.

    >>> is_fragment("“faithful wingmen”"), is_fragment("a major, significant development")
    (True, False)
    """
    return word_count(tokens(ELISION.sub(" ", canonical(words).canon))) < MIN_WORDS


def check_draft(index: Index, draft: str) -> DraftCheck:
    """Every quotation of ``draft`` verified against ``index``; ``BadDraft`` for a draft that can't be checked."""
    draft = check_draft_text(draft)
    result, seen, quotations = DraftCheck(draft), {}, pair_marks(draft)
    if len(quotations) > MAX_QUOTATIONS:  # counted before any is attributed or looked up
        raise BadDraft(f"the draft holds {len(quotations):,} quotations; the limit is {MAX_QUOTATIONS}: check it in parts")
    for number, q in enumerate(find_quotations(draft, quotations), 1):
        key = (q.words, q.speaker)  # a quotation repeated in the draft is looked up once
        if key not in seen:
            try:
                seen[key] = (verify_quote(index, q.words, q.speaker, min_words=1), None)
            except BadQuote as err:
                seen[key] = (None, str(err))
        verification, error = seen[key]
        result.checks.append(QuotationCheck(number, q, verification, is_fragment(q.words), error))
    return result
