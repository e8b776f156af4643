"""Stage 4, quotes: a pasted quote (or an answer's passages) -> where, how exact, who said it.

Takes a quote and an index; gives a ``Verification`` (verbatim, altered with
a word diff, or absent; where in the sources; the speaker check), and for
answers the speakers of passages and the sources that disagree (grouped by
pair of passages for showing); for a whole draft, every quotation in it found,
attributed and verified (``check_draft``).
"""

from qa.quotes.check import BadDraft, DraftCheck, check_draft
from qa.quotes.conflicts import conflicts_for
from qa.quotes.drafts import Quotation, find_quotations
from qa.quotes.pairs import Pair, conflict_pairs, pair_diff, pair_line
from qa.ingest.speakers import attach_speakers, find_speaker
from qa.quotes.verify import BadQuote, Verification, check_quote, format_verification, open_index, verify_quote

__all__ = ["BadDraft", "BadQuote", "DraftCheck", "Pair", "Quotation", "Verification", "attach_speakers", "check_draft",
           "check_quote", "conflict_pairs", "conflicts_for", "find_quotations", "find_speaker", "format_verification",
           "open_index", "pair_diff", "pair_line", "verify_quote"]
