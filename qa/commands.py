"""Subcommands beyond index and ask (verify, eval, bench), and the terminal I/O every command shares.

What it does: registers the subcommands' arguments and handlers, importing
each command's machinery only when it runs; and holds what ``qa ask`` and
``qa verify`` both need: standard input read line by line (split at "\\n"
only), one-line messages and warnings made safe for a terminal (``say``),
and the stale-index check (a warning, or a refusal under ``--strict``).
``qa.cli`` imports these from here, never the other way round.

What it does not do: any retrieval, answering or verifying itself.
"""

from __future__ import annotations

import sys

EXTRA_HANDLERS: dict = {}
EVAL_RUN = "eval/runs/latest"  # where ``qa eval`` writes unless told: inside eval/runs/, which .gitignore names


def add_extra_commands(sub, common) -> None:
    """Add the extra subcommands to the ``qa`` parser."""
    _add_eval(sub)
    _add_verify(sub, common)
    _add_bench(sub)
    from qa.check_command import add_check  # it imports nothing from here: the shared pieces are handed over

    return add_check(sub, common, EXTRA_HANDLERS, add_strict, check_current, warner)


def _count(text: str) -> int:
    import argparse

    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, not {text!r}")
    return int(text)


def _add_eval(sub) -> None:
    p = sub.add_parser("eval", help="the evaluation set (or --squad FILE) with baselines side by side; writes report.md")
    p.add_argument("--squad", default=None, metavar="FILE", help="run this SQuAD-format JSON benchmark instead (writes squad_report.md)")
    p.add_argument("--limit", type=_count, default=None, metavar="N",
                   help="SQuAD: ask a deterministic sample of N questions, 0 for all (default: eval/config.json's, 1000)")
    p.add_argument("--config", default="eval/config.json", help="gate thresholds and targets (default: eval/config.json)")
    p.add_argument("--out", default=EVAL_RUN, help=f"folder for the report, JSON and plots (default: {EVAL_RUN}/, which git "
                   "ignores, so a run leaves the work tree clean; --out eval/ updates the committed report)")
    p.add_argument("--docs", default="seeds", help="articles of the evaluation set (default: seeds/)")
    p.add_argument("--questions", default="eval/questions.jsonl", help="the evaluation questions")
    p.add_argument("--quotes", default="eval/quotes.jsonl", help="the quote-verification cases")
    p.add_argument("--drafts", default=None, metavar="FILE", help="run this draft set (eval/drafts.jsonl) through `qa check` instead")
    p.add_argument("--work", default="eval/runs", help="cache of the evaluation's own indexes (default: eval/runs/)")
    p.add_argument("--model", default=None, help="sentence-transformers model name or folder (default: all-MiniLM-L6-v2)")


def cmd_eval(args) -> int:
    """``qa eval``: see qa.evaluation.report.run_and_report; exit 1 when the gate fails."""
    from dataclasses import replace
    from pathlib import Path

    from qa.config import Config
    from qa.evaluation.runner import EvalPaths
    from qa.evaluation.report import run_and_report

    cfg = replace(Config(), model=args.model) if args.model else Config()
    if args.drafts:
        from qa.evaluation.drafts_report import run_and_report_drafts

        return run_and_report_drafts(Path(args.config), Path(args.out), Path(args.drafts), Path(args.docs), Path(args.work), cfg)
    paths = EvalPaths(Path(args.docs), Path(args.questions), Path(args.quotes), Path(args.work))
    return run_and_report(cfg, Path(args.config), Path(args.out), paths, Path(args.squad) if args.squad else None, args.limit)


EXTRA_HANDLERS["eval"] = cmd_eval


def say(text: str, stream=None) -> None:
    """Print one line for a person (to standard error unless ``stream``), control characters shown, not obeyed."""
    from qa.ingest.textnorm import terminal_safe

    print(terminal_safe(text), file=stream or sys.stderr)


def warner(command: str):
    """The ``warn`` callback of ``qa COMMAND``: each warning one line on standard error."""
    return lambda message: say(f"qa {command}: warning: {message}")


def input_lines(stream):
    """The lines of ``stream`` (standard input), split at "\\n" only, as text.

    Why: a batch gives one output object per input line, in order. A text
    stream may also break at a lone "\\r" (and ``str.splitlines`` at form
    feeds, "\\x1c"-"\\x1e", "\\x85", "\\u2028" ...), which would turn one
    question into two answers; so the bytes are split here. Undecodable bytes
    become U+FFFD instead of stopping the batch; the "\\r" of "\\r\\n" is dropped.
    """
    for line in getattr(stream, "buffer", stream):
        if isinstance(line, bytes):
            line = line.decode("utf-8", "replace")  # exact per line: no UTF-8 sequence holds the byte of "\n"
        yield line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line


def add_strict(p) -> None:
    """The ``--strict`` flag of the commands that read an index."""
    p.add_argument("--strict", action="store_true",
                   help="refuse (exit 1) when documents were added, changed or removed since the index was built; "
                        "without it a stale index still answers, from the text as indexed, with one warning line")


def check_current(args, index, docs_dir) -> None:
    """Say, in one line, when the documents in ``docs_dir`` changed since ``index`` was built; refuse under --strict.

    Why a warning by default: a stale index still quotes, verbatim, the text it
    was built from, so a person is better served by the answer and the warning;
    a script that must not quote a changed source passes ``--strict``.
    """
    import shlex

    from qa.index.staleness import folder_changes
    from qa.index.store import IndexError_

    changes = folder_changes(index, docs_dir, index.manifest["settings"]["max_file_bytes"])
    if not changes:
        return
    rebuild = f"qa index --docs {shlex.quote(str(docs_dir))}" + ("" if args.index == "index" else f" --index {shlex.quote(args.index)}")
    if args.strict:
        raise IndexError_(f"the index is stale ({changes}); run `{rebuild}` to rebuild")
    warner(args.command)(f"the index is stale ({changes}); answers come from the index as built -- run `{rebuild}`")


VERIFIED = ("verbatim", "verbatim_with_elision")
EXIT_NOT_VERIFIED, EXIT_SPEAKER_CONTRADICTED = 1, 3
VERIFY_EXIT_HELP = """exit status:
  0  verbatim or verbatim with elision
  1  altered or not found (also: no usable index, a stale one under --strict)
  2  bad input: an empty, too short or too long quote; an unknown flag
  3  the --speaker check is contradicted, whatever the verdict
with - (batch): 0 once every line is answered, each line's verdict in its
  JSON (a bad line gets an "error"); 1 or 2 only when the run itself fails"""


def verify_exit_code(result) -> int:
    """The exit status of ``qa verify QUOTE`` for its ``Verification`` (see VERIFY_EXIT_HELP).

    Why: a script tells a verified quote from one to fix without parsing the
    output; a contradicted speaker wins over the verdict, since a quote word for
    word in the sources but put in the wrong mouth is the worse error.
    """
    if result.speaker_check == "contradicted":
        return EXIT_SPEAKER_CONTRADICTED
    return 0 if result.verdict in VERIFIED else EXIT_NOT_VERIFIED


def _add_verify(sub, common) -> None:
    import argparse

    p = sub.add_parser("verify", help="check a quote against the sources: verbatim, elided, altered or not found",
                       epilog=VERIFY_EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, docs=False, model=False)  # verification embeds nothing: the index's manifest names its model
    p.add_argument("quote", help='the quote, or "-" to read one quote per line from standard input (JSON out)')
    p.add_argument("--speaker", default=None, metavar="NAME", help="who the quote is attributed to; checked against the source")
    p.add_argument("--json", action="store_true", help="print JSON (always, with -)")
    add_strict(p)


def cmd_verify(args) -> int:
    """``qa verify``: see qa.quotes.verify; the exit status is ``verify_exit_code``'s, 0 for a batch, 2 for bad input."""
    import json

    from qa.ingest.textnorm import utf8_safe
    from qa.quotes.verify import check_quote, format_verification, open_index, verify_quote, verify_stream

    if args.quote != "-":
        check_quote(args.quote)  # fail fast, before loading the index
    index = open_index(args.index, warn=warner("verify"))
    check_current(args, index, index.manifest.get("docs_dir"))
    if args.quote == "-":
        verify_stream(index, input_lines(sys.stdin), sys.stdout, args.speaker)
        return 0
    result = verify_quote(index, args.quote, args.speaker)
    if args.json:
        print(utf8_safe(json.dumps(result.as_json(), ensure_ascii=False)))
    else:
        print(format_verification(result, args.speaker), end="")
    return verify_exit_code(result)


EXTRA_HANDLERS["verify"] = cmd_verify


def _add_bench(sub) -> None:
    p = sub.add_parser("bench", help="latency, start-up, build throughput, LangChain peer and scaling; writes eval/bench.md")
    p.add_argument("--quick", action="store_true", help="seeds only (about a minute)")
    p.add_argument("--scale", action="store_true", help="add the scaling curve: 10k and 100k real sentences, 10k-1M synthetic vectors")
    p.add_argument("--no-processes", action="store_true", help="skip what needs child processes (CLI, cold start, HTTP API)")
    p.add_argument("--out", default="eval", help="folder for bench.md, bench.json and bench.png (default: eval/)")
    p.add_argument("--docs", default="seeds", help="the articles timed (default: seeds/)")
    p.add_argument("--questions", default="eval/questions.jsonl", help="the questions timed")
    p.add_argument("--squad", default="../shared/benchmarks/squad2-dev-part-a.json", metavar="FILE",
                   help="SQuAD-format JSON for the larger collections")
    p.add_argument("--work", default=None, help="keep scratch indexes here (default: a temporary folder, removed)")


def cmd_bench(args) -> int:
    """``qa bench``: see qa.bench.run."""
    from pathlib import Path

    from qa.bench.run import BenchOptions, run_bench

    opts = BenchOptions(out=Path(args.out), docs=Path(args.docs), questions=Path(args.questions), squad=Path(args.squad),
                        quick=args.quick, scale=args.scale, processes=not args.no_processes,
                        work=Path(args.work) if args.work else None)
    opts.extra["command"] = "qa " + " ".join(sys.argv[1:])
    result = run_bench(opts)
    print(f"wrote {args.out}/bench.md, bench.json, bench.png in {result['seconds']} s")
    return 0


EXTRA_HANDLERS["bench"] = cmd_bench
