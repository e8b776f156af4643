"""The ``qa`` command: index, ask, verify, eval, bench.

What it does: parses arguments, calls the package, prints for people (quotes
with citations) or for scripts (``--json``, one object per line), and maps
every expected failure to a one-line message and an exit code: 2 for a bad
question or argument, 1 for a missing or damaged index (or a stale one under
``--strict``; otherwise a stale index answers, with one warning line), and
``qa verify`` answers with its verdict too (``qa.commands.verify_exit_code``). No
traceback reaches the user for those. Every line printed for a person goes
through ``qa.ingest.textnorm.terminal_safe``: document text and file names
are shown, never obeyed by the terminal; the JSON output is left as it is
(``json.dumps`` escapes control characters already).

What it does not do: any retrieval or answering logic. Heavy libraries
(torch, FAISS) are imported only inside the commands that need them, so
``qa --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_INDEX = 1


DOCS_HELP = "folder of .txt/.md articles (default: seeds/, or the folder the index was built from)"
ASK_DOCS_HELP = ("the articles' folder to check the index against (default: the folder it was built from, else seeds/); "
                 "answers always come from --index")


def _common(p: argparse.ArgumentParser, docs: bool | str = True, model: bool = True) -> None:
    """Add --docs, --index and --model to ``p``.

    ``docs``: the help text of --docs (True for the usual one, False for no --docs). ``model=False`` leaves
    --model out, for a command that embeds nothing (``qa verify``): a flag that changes nothing misleads.
    """
    if docs:
        p.add_argument("--docs", default=None, help=docs if isinstance(docs, str) else DOCS_HELP)
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    if model:
        p.add_argument("--model", default=None, help="sentence-transformers model name or folder (default: all-MiniLM-L6-v2)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Answer questions from your articles with verbatim, cited quotes.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="build or update the index of a folder of articles")
    _common(p)
    p.add_argument("--if-stale", action="store_true", help="do nothing when the index is already current")
    p.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS", help="split and embed on the Ray "
                   "cluster at ADDRESS (alone: a local Ray instance); needs pip install -e '.[ray]'")
    p = sub.add_parser("ask", help="ask a question; answers are exact quotes with citations")
    _common(p, ASK_DOCS_HELP)
    p.add_argument("question", help='the question, or "-" to read one question per line from standard input')
    p.add_argument("--top-k", type=int, default=None, help="how many passages to show (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line with -)")
    from qa.commands import add_extra_commands, add_strict

    add_strict(p)
    add_extra_commands(sub, _common)
    return parser


def _config(args):
    from qa.config import Config

    cfg = Config()
    return replace(cfg, model=args.model) if getattr(args, "model", None) else cfg


def _docs_dir(args, index=None) -> Path:
    if args.docs:
        return Path(args.docs)
    built_from = (index.manifest.get("docs_dir") if index is not None else None)
    return Path(built_from) if built_from and Path(built_from).is_dir() else Path("seeds")


def cmd_index(args) -> int:
    from qa.commands import say
    from qa.pipeline import build_index_folder, index_status

    cfg = _config(args)
    docs = _docs_dir(args)
    if args.if_stale:
        reason = index_status(docs, args.index, cfg)
        if reason is None:
            say(f"index {args.index}/ is up to date with {docs}/", sys.stdout)
            return 0
        say(f"building the index: {reason.split('; run')[0]}")
    engine = None
    if args.ray:
        from qa.index.raybuild import RayEngine

        engine = RayEngine(None if args.ray == "local" else args.ray)  # fails here, before any work, without Ray
    report = build_index_folder(docs, args.index, cfg, progress=True, engine=engine)
    for skipped in report.skipped:
        say(f"skipped {skipped.name}: {skipped.reason}")
    for warning in report.warnings:
        say(f"warning: {warning}")
    say(f"indexed {report.documents} documents: {report.chunks} chunks, {report.sentences} sentences "
        f"({report.encoded} newly embedded) in {report.seconds:.1f} s -> {args.index}/{report.generation}", sys.stdout)
    if engine:
        say(engine.summary(), sys.stdout)
    return 0


def format_answer(answer) -> str:
    """A person-readable rendering of an answer: quotes with citations (file, paragraph, source, speaker).

    Each text from the sources or the user is passed through ``terminal_safe``,
    so a newline in a file name cannot split its citation line.
    """
    from qa.answer.compose import mentioned_by_none
    from qa.answer.confidence import LABEL_WORDS
    from qa.ingest.metadata import TERMINAL_TITLE_CHARS, citation_text, cite
    from qa.ingest.textnorm import terminal_safe as shown
    from qa.quotes.pairs import conflict_pairs, pair_line

    sources = getattr(answer, "sources", None) or {}
    lines = [f"Q: {shown(answer.question)}", ""]
    if not answer.answered:
        why = mentioned_by_none(answer.never_mentioned)
        lines += [f"The sources don't say{': ' + shown(why) if why else ''}. The closest passages (related, not answers):", ""]
    else:
        lines += [f"Answer ({answer.confidence} confidence):", ""]
    for p in answer.passages:
        if p.label:  # each passage's own confidence: a weak extra says so (its probability is in --json)
            lines.append(f"  [{LABEL_WORDS.get(p.label, p.label)}]")
        quote = shown(" ".join(p.quote.split()))
        lines.append(textwrap.fill(quote, width=88, initial_indent="  │ ", subsequent_indent="  │ "))
        about = [citation_text(sources.get(p.file), TERMINAL_TITLE_CHARS), f"— {p.speaker}" if p.speaker else ""]
        cited = " ".join([f"[{cite(p.file, p.paragraph, answer.page_of(p).get('page'))}]", *[a for a in about if a]])
        lines.append(f"    {shown(cited)}  (characters {p.start}–{p.end}, score {p.score:.2f})")
        lines.append("")
    for pair in conflict_pairs(getattr(answer, "conflicts", []) or []):  # one line per pair of passages
        lines.append(f"  Note: {shown(pair_line(pair))}")
    return "\n".join(lines).rstrip() + "\n"


def _open(args, cfg):
    from qa.commands import check_current, warner
    from qa.pipeline import open_assistant

    assistant = open_assistant(args.index, cfg, warn=warner("ask"))
    check_current(args, assistant.index, _docs_dir(args, assistant.index))
    return assistant


def _check_docs(args) -> None:
    """``BadInput`` unless ``--docs``, when given, is a folder.

    Why: ask only checks the index against it, so a mistyped one would
    otherwise answer from the index as if all were well.
    """
    from qa.errors import BadInput

    if args.docs and not Path(args.docs).is_dir():
        raise BadInput(f"documents folder not found: {args.docs}")


def _ask_batch(assistant, top_k, stream_in, stream_out) -> int:
    from qa.answer.question import BadQuestion
    from qa.commands import input_lines
    from qa.ingest.textnorm import utf8_safe

    for question in input_lines(stream_in):
        try:
            out = assistant.ask(question, top_k).as_json()
        except BadQuestion as err:
            out = {"question": utf8_safe(question[:200]), "error": str(err)}
        stream_out.write(json.dumps(out, ensure_ascii=False) + "\n")
        stream_out.flush()
    return 0


def cmd_ask(args) -> int:
    from qa.answer.question import check_question
    from qa.ingest.textnorm import utf8_safe

    cfg = _config(args)
    if args.question != "-":
        check_question(args.question, cfg.max_question_chars)  # fail fast, before loading the model
    _check_docs(args)
    assistant = _open(args, cfg)
    if args.question == "-":
        return _ask_batch(assistant, args.top_k, sys.stdin, sys.stdout)
    answer = assistant.ask(args.question, args.top_k)
    if args.json:
        print(utf8_safe(json.dumps(answer.as_json(), ensure_ascii=False)))
    else:
        print(format_answer(answer), end="")
    return 0


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from qa.errors import exit_code, user_errors

    handlers = {"index": cmd_index, "ask": cmd_ask}
    from qa.commands import EXTRA_HANDLERS, say

    handlers.update(EXTRA_HANDLERS)
    try:
        return handlers[args.command](args)
    except user_errors() as err:
        say(f"qa {args.command}: {err}")
        return exit_code(err)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main() -> None:
    sys.exit(run())
