"""The ``qa`` command: index, ask, verify, eval, bench.

What it does: parses arguments, calls the package, prints for people (quotes
with citations) or for scripts (``--json``, one object per line), and maps
every expected failure to a one-line message and an exit code: 2 for a bad
question or argument, 1 for a missing, stale or damaged index. No traceback
reaches the user for those.

What it does not do: any retrieval or answering logic. Heavy libraries
(torch, FAISS) are imported only inside the commands that need them, so
``qa --help`` stays fast.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_INDEX = 1


def _common(p: argparse.ArgumentParser, docs: bool = True) -> None:
    if docs:
        p.add_argument("--docs", default=None, help="folder of .txt/.md articles (default: seeds/, or the folder the index was built from)")
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    p.add_argument("--model", default=None, help="sentence-transformers model name or folder (default: all-MiniLM-L6-v2)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Answer questions from your articles with verbatim, cited quotes.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="build or update the index of a folder of articles")
    _common(p)
    p.add_argument("--if-stale", action="store_true", help="do nothing when the index is already current")
    p = sub.add_parser("ask", help="ask a question; answers are exact quotes with citations")
    _common(p)
    p.add_argument("question", help='the question, or "-" to read one question per line from standard input')
    p.add_argument("--top-k", type=int, default=None, help="how many passages to show (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line with -)")
    from qa.commands import add_extra_commands

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
    from qa.pipeline import build_index_folder, index_status

    cfg = _config(args)
    docs = _docs_dir(args)
    if args.if_stale:
        reason = index_status(docs, args.index, cfg)
        if reason is None:
            print(f"index {args.index}/ is up to date with {docs}/")
            return 0
        print(f"building the index: {reason.split('; run')[0]}", file=sys.stderr)
    report = build_index_folder(docs, args.index, cfg, progress=True)
    for skipped in report.skipped:
        print(f"skipped {skipped.name}: {skipped.reason}", file=sys.stderr)
    print(f"indexed {report.documents} documents: {report.chunks} chunks, {report.sentences} sentences "
          f"({report.encoded} newly embedded) in {report.seconds:.1f} s -> {args.index}/{report.generation}")
    return 0


def format_answer(answer) -> str:
    """A person-readable rendering of an answer: quotes with citations."""
    lines = [f"Q: {answer.question}", ""]
    if not answer.answered:
        lines += ["The sources don't say. The closest passages (low confidence):", ""]
    else:
        lines += [f"Answer ({answer.confidence} confidence):", ""]
    for p in answer.passages:
        quote = " ".join(p.quote.split())
        lines.append(textwrap.fill(quote, width=88, initial_indent="  │ ", subsequent_indent="  │ "))
        who = f"  — {p.speaker}" if p.speaker else ""
        lines.append(f"    [{p.file} ¶{p.paragraph}]{who}  (characters {p.start}–{p.end}, score {p.score:.2f})")
        lines.append("")
    for c in getattr(answer, "conflicts", []) or []:
        lines.append(f"  Note: the sources disagree: {c.get('summary', '')}")
    return "\n".join(lines).rstrip() + "\n"


def _open(args, cfg):
    from qa.pipeline import open_assistant
    from qa.index.staleness import folder_staleness
    from qa.index.store import IndexError_

    assistant = open_assistant(args.index, cfg, warn=lambda m: print(f"warning: {m}", file=sys.stderr))
    docs_dir = _docs_dir(args, assistant.index)
    reason = folder_staleness(assistant.index, docs_dir, cfg.max_file_bytes)
    if reason:
        raise IndexError_(f"the index is stale ({reason}); run `qa index --docs {docs_dir}` to rebuild")
    return assistant


def printable(text: str) -> str:
    """``text`` safe to write as UTF-8 (lone surrogates become U+FFFD)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def text_lines(stream):
    """Lines of a text stream; undecodable bytes become U+FFFD instead of stopping the batch."""
    raw = getattr(stream, "buffer", None)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace") if raw is not None else stream


def _ask_batch(assistant, top_k, stream_in, stream_out) -> int:
    from qa.answer.question import BadQuestion

    for line in text_lines(stream_in):
        question = line.rstrip("\r\n")
        try:
            out = assistant.ask(question, top_k).as_json()
        except BadQuestion as err:
            out = {"question": printable(question[:200]), "error": str(err)}
        stream_out.write(json.dumps(out, ensure_ascii=False) + "\n")
        stream_out.flush()
    return 0


def cmd_ask(args) -> int:
    from qa.answer.question import check_question

    cfg = _config(args)
    if args.question != "-":
        check_question(args.question, cfg.max_question_chars)  # fail fast, before loading the model
    assistant = _open(args, cfg)
    if args.question == "-":
        return _ask_batch(assistant, args.top_k, sys.stdin, sys.stdout)
    answer = assistant.ask(args.question, args.top_k)
    print(printable(json.dumps(answer.as_json(), ensure_ascii=False) if args.json else format_answer(answer)), end="\n" if args.json else "")
    return 0


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from qa.errors import exit_code, user_errors

    handlers = {"index": cmd_index, "ask": cmd_ask}
    from qa.commands import EXTRA_HANDLERS

    handlers.update(EXTRA_HANDLERS)
    try:
        return handlers[args.command](args)
    except user_errors() as err:
        print(printable(f"qa {args.command}: {err}"), file=sys.stderr)
        return exit_code(err)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main() -> None:
    sys.exit(run())
