"""The sources' disagreements grouped by the pair of passages they set side by side.

What it does: ``conflicts_for`` (``qa.quotes.conflicts``) lists each
disagreement on its own -- a name, a title, a number -- and two disagreements
often come from the same two sentences (Fukasawa's first name and
LaPlante's title, both in the sentence naming the delegations). Here they
are grouped so each pair of passages is shown once with all that differs
between them: ``conflict_pairs`` groups them (in the order first met, either
side first), ``plain_summaries`` says each disagreement without the
citations the pair already shows, ``pair_line`` puts a pair in one line for
a terminal, and ``pair_diff`` marks the words that differ between the two
passages with the word diff quotes are checked with (``qa.quotes.diff``).

What it does not do: find disagreements, or change the ``conflicts`` JSON:
the grouping is only how they are shown.

>>> a = {"file": "a.txt", "paragraph": 2, "start": 0, "end": 9, "quote": "Masaki F."}
>>> b = {"file": "b.txt", "paragraph": 5, "start": 3, "end": 15, "quote": "Masatoshi F."}
>>> name = {"kind": "name", "summary": "first names: “Masaki” (a.txt ¶2) vs “Masatoshi” (b.txt ¶5)", "passages": [a, b]}
>>> title = {"kind": "title", "summary": "titles: “head” (b.txt ¶5) vs “chief” (a.txt ¶2)", "passages": [b, a]}
>>> pairs = conflict_pairs([name, title])
>>> len(pairs), pair_line(pairs[0])
(1, 'the sources disagree (name, title) — a.txt ¶2 vs b.txt ¶5: first names: “Masaki” vs “Masatoshi”; titles: “head” (b.txt ¶5) vs “chief” (a.txt ¶2)')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qa.quotes.diff import Canon, DiffOp, canonical, token_blocks, tokens


@dataclass
class Pair:
    """Passages (as ``conflicts_for`` gives them, first met first) and every disagreement between them."""
    passages: list[dict]
    conflicts: list[dict] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """The kinds of disagreement, each once, in order ("name", "title", "number")."""
        return list(dict.fromkeys(c.get("kind", "") for c in self.conflicts))


def _span(p: dict) -> tuple:
    return p.get("file"), p.get("start"), p.get("end")


def conflict_pairs(conflicts: list[dict]) -> list[Pair]:
    """``conflicts`` grouped by the passages they show, whichever comes first in each."""
    pairs: dict[frozenset, Pair] = {}
    for c in conflicts:
        passages = list(c.get("passages") or [])
        key = frozenset(_span(p) for p in passages)
        pairs.setdefault(key, Pair(passages)).conflicts.append(c)
    return list(pairs.values())


def cite(p: dict) -> str:
    """A passage's citation as summaries write it: ``file ¶N``."""
    return f"{p.get('file')} ¶{p.get('paragraph')}"


def plain_summaries(pair: Pair) -> list[str]:
    """Each disagreement's summary without the citations of the pair (which is shown with them).

    A summary whose sides come in the other order keeps its citations, so it still says which is which.
    """
    order = [_span(p) for p in pair.passages]
    out = []
    for c in pair.conflicts:
        summary = c.get("summary", "")
        if [_span(p) for p in c.get("passages") or []] == order:
            for p in pair.passages:
                summary = summary.replace(f" ({cite(p)})", "")
        out.append(summary)
    return out


def pair_line(pair: Pair) -> str:
    """One line for a terminal: what kinds differ, between which passages, and each disagreement."""
    between = " vs ".join(cite(p) for p in pair.passages)
    return f"the sources disagree ({', '.join(pair.kinds)}) — {between}: {'; '.join(plain_summaries(pair))}"


def _bounds(c: Canon, toks, i: int, j: int, at: int) -> tuple[int, int]:
    """Where tokens ``[i, j)`` of ``c`` are in its original text (an empty range at ``at`` for none)."""
    return (c.offs[toks[i][1]], c.offs[toks[j - 1][2] - 1] + 1) if j > i else (at, at)


def pair_diff(first: str, second: str) -> list[dict]:
    """The word diff of two passages (``qa.quotes.diff``'s alignment), ``first`` on the "quote" side.

    Unlike a quote's diff, nothing is left out: the pieces of each side, joined, are its text exactly
    (spaces, line breaks and quotation marks between the words included), so a passage shown with its
    differences marked is still verbatim.

    >>> d = pair_diff("led by “Masaki” Fukasawa", "led by Masatoshi Fukasawa")
    >>> [x["op"] for x in d if x["op"] != "equal"], "".join(x["quote"] for x in d)
    (['replace'], 'led by “Masaki” Fukasawa')
    """
    a, b = canonical(first), canonical(second)
    ta, tb = tokens(a.canon), tokens(b.canon)
    out, pa, pb = [], 0, 0
    for equal, i, j, k, m in token_blocks(ta, tb):
        (sa, ea), (sb, eb) = _bounds(a, ta, i, j, pa), _bounds(b, tb, k, m, pb)
        out.append(DiffOp("equal", first[pa:sa], second[pb:sb]))  # what lies between words: spaces, quote marks
        out.append(DiffOp("equal" if equal else "replace" if j > i and m > k else "insert" if j > i else "delete",
                          first[sa:ea], second[sb:eb]))
        pa, pb = ea, eb
    out.append(DiffOp("equal", first[pa:], second[pb:]))
    merged: list[dict] = []
    for d in (asdict(d) for d in out if d.quote or d.source):
        if merged and d["op"] == merged[-1]["op"] == "equal":  # one piece per run of equal text
            merged[-1] = {"op": "equal", "quote": merged[-1]["quote"] + d["quote"], "source": merged[-1]["source"] + d["source"]}
        else:
            merged.append(d)
    return merged
