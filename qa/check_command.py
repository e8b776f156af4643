"""``qa check``: every quotation of a draft found, attributed and verified; the exit status says how it went.

What it does: registers the subcommand, reads the draft (a file, or ``-``
for standard input, undecodable bytes shown as U+FFFD), checks it against
the index (``qa.quotes.check``) and prints the report for people
(``qa.quotes.check_text``) or one JSON object (``--json``). The exit status
follows ``qa verify``'s: 0 when every quotation is verbatim (or verbatim
with elision) and no speaker is contradicted, 1 when any is altered or not
found, 3 when any speaker is contradicted (whatever the verdicts), 2 for a
draft that can't be checked.

What it does not do: find or verify quotations itself.
"""

from __future__ import annotations

import sys

CHECK_EXIT_HELP = """exit status:
  0  every quotation verbatim (or verbatim with elision), no speaker contradicted;
     also a draft with no quotations (the report says so)
  1  a quotation altered or not found (also: no usable index, a stale one under --strict)
  2  bad input: an empty draft, one over 100,000 characters or 500 quotations, a missing file
  3  a speaker the draft names is contradicted by the source, whatever the verdicts"""
EXIT_NOT_VERIFIED, EXIT_SPEAKER_CONTRADICTED = 1, 3


def check_exit_code(result) -> int:
    """The exit status of ``qa check`` for its ``DraftCheck`` (see CHECK_EXIT_HELP)."""
    if result.contradicted:
        return EXIT_SPEAKER_CONTRADICTED
    return 0 if result.all_verified else EXIT_NOT_VERIFIED


def add_check(sub, common, handlers: dict, add_strict, check_current, warner) -> None:
    """Add ``qa check`` to the ``qa`` parser and its handler to ``handlers``; ``add_strict``, ``check_current`` and
    ``warner`` are ``qa.commands``' (handed over, so this module imports nothing from the one that imports it)."""
    import argparse

    p = sub.add_parser("check", help="check every quotation in a draft: found, attributed, verified",
                       epilog=CHECK_EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, docs=False, model=False)  # like verify: embeds nothing
    p.add_argument("draft", nargs="?", default="-", metavar="FILE",
                   help='the draft: a text file, or "-" (the default) to read it from standard input')
    p.add_argument("--json", action="store_true", help="print one JSON object: the summary and every quotation")
    add_strict(p)
    handlers["check"] = lambda args: cmd_check(args, check_current, warner)


def read_draft(name: str) -> str:
    """The draft's text from file ``name`` or standard input (``-``); ``BadInput`` for a missing file."""
    from pathlib import Path

    from qa.errors import BadInput
    from qa.quotes.check import MAX_DRAFT_CHARS

    most = 4 * MAX_DRAFT_CHARS + 4  # the UTF-8 bytes of the longest draft checked: a huge input is not read whole
    if name == "-":
        data = sys.stdin.buffer.read(most + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read(most + 1)
    else:
        path = Path(name)
        if not path.is_file():
            raise BadInput(f"draft file not found: {name}")
        with path.open("rb") as f:
            data = f.read(most + 1)
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    return text if len(data) <= most else text + " " * (MAX_DRAFT_CHARS + 1)  # refused as too long, whatever it decodes to


def cmd_check(args, check_current, warner) -> int:
    """``qa check``: see the module docstring (``check_current`` and ``warner`` as ``qa.commands`` has them)."""
    import json

    from qa.ingest.textnorm import utf8_safe
    from qa.quotes.check import check_draft, check_draft_text
    from qa.quotes.check_text import format_draft_check
    from qa.quotes.verify import open_index

    draft = check_draft_text(read_draft(args.draft))  # fail fast, before loading the index
    index = open_index(args.index, warn=warner("check"))
    check_current(args, index, index.manifest.get("docs_dir"))
    result = check_draft(index, draft)
    if args.json:
        print(utf8_safe(json.dumps(result.as_json(), ensure_ascii=False)))
    else:
        print(format_draft_check(result), end="")
    return check_exit_code(result)
