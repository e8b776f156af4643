"""Stage 4, quotes: a pasted quote (or an answer's passages) -> where, how exact, who said it.

Takes a quote and an index; gives a ``Verification`` (verbatim, altered with
a word diff, or absent; where in the sources; the speaker check), and for
answers the speakers of passages and the sources that disagree.
"""

from qa.quotes.conflicts import conflicts_for
from qa.quotes.speakers import attach_speakers, find_speaker
from qa.quotes.verify import BadQuote, Verification, check_quote, format_verification, open_index, verify_quote

__all__ = ["BadQuote", "Verification", "attach_speakers", "check_quote", "conflicts_for", "find_speaker",
           "format_verification", "open_index", "verify_quote"]
