"""Read the evaluation's input files, with messages that say what is wrong and where.

What it does: reads a JSON file (the eval config, a SQuAD-format file) or a
JSON-lines file (evaluation questions, quote cases) and checks the shape the
evaluation relies on, raising ``EvalFileError`` -- a message naming the
file, the line or article, and the problem -- instead of the ``KeyError``,
``JSONDecodeError`` or ``RecursionError`` traceback an evaluator would
otherwise get deep inside a run, after the model had loaded. A folder given
for a file is refused the same way, by every reader here.

What it does not do: check meaning (whether evidence occurs in a document is
``qa.evaluation.cases``'s business), or repair anything.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "q.jsonl"
>>> _ = path.write_text('{"id": "a1", "question": "Who?"}\\n{"id": "a2"}\\n')
>>> try:
...     read_jsonl(path, "evaluation questions", {"id": str, "question": str})
... except EvalFileError as err:
...     print(str(err).replace(str(path), "q.jsonl"))
evaluation questions q.jsonl, line 2: "question" is missing
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qa.errors import BadInput


class EvalFileError(BadInput, ValueError):
    """An evaluation input file that cannot be used as it is; the message says why."""


def _not_a_folder(path: Path, what: str) -> None:
    if Path(path).is_dir():
        raise EvalFileError(f"{what} {path}: is a folder, not a file")


def read_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of ``path`` (to hash it, say); ``EvalFileError`` for a folder, as every reader here gives."""
    _not_a_folder(Path(path), what)
    return Path(path).read_bytes()


def _text(path: Path, what: str) -> str:
    _not_a_folder(path, what)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise EvalFileError(f"{what} {path}: not UTF-8 text (byte {err.start})") from None


def _parse(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise EvalFileError(f"{where}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    except RecursionError:  # json recurses once per level: 100,000 nested lists exhaust the stack
        raise EvalFileError(f"{where}: nested too deeply to read (lists or objects within each other "
                            f"more than about {sys.getrecursionlimit()} levels)") from None


def check_fields(row, required: dict[str, type], where: str) -> None:
    """Raise ``EvalFileError`` unless ``row`` is an object holding ``required`` fields of those types."""
    if not isinstance(row, dict):
        raise EvalFileError(f"{where}: expected a JSON object, found {type(row).__name__}")
    for field, kind in required.items():
        if field not in row:
            raise EvalFileError(f'{where}: "{field}" is missing')
        if not isinstance(row[field], kind):
            raise EvalFileError(f'{where}: "{field}" should be {kind.__name__}, not {type(row[field]).__name__}')


def read_json(path: str | Path, what: str) -> dict:
    """The JSON object in ``path`` (``what`` names the file in messages)."""
    data = _parse(_text(Path(path), what), f"{what} {path}")
    if not isinstance(data, dict):
        raise EvalFileError(f"{what} {path}: expected a JSON object at the top, found {type(data).__name__}")
    return data


def read_jsonl(path: str | Path, what: str, required: dict[str, type]) -> list[dict]:
    """Every non-blank line of ``path`` as an object with ``required`` fields; ``_line`` holds its line number."""
    rows = []
    for number, line in enumerate(_text(Path(path), what).splitlines(), start=1):
        if line.strip():
            where = f"{what} {path}, line {number}"
            row = _parse(line, where)
            check_fields(row, required, where)
            rows.append({**row, "_line": number})
    return rows


def check_config_section(path: Path, section, name: str) -> None:
    """The part of the eval config a run reads must be an object whose thresholds and targets are objects."""
    if not isinstance(section, dict):
        raise EvalFileError(f"eval config {path}: {name} should be an object, not {type(section).__name__}")
    for key in ("thresholds", "targets"):
        if not isinstance(section.get(key, {}), dict):
            raise EvalFileError(f'eval config {path}: "{key}" ({name}) should be an object, not {type(section[key]).__name__}')


def squad_articles(path: str | Path) -> list[dict]:
    """The checked ``data`` list of a SQuAD-format file (v1.1 or v2.0) holding at least one question."""
    data = read_json(path, "SQuAD file").get("data")
    if not isinstance(data, list):
        raise EvalFileError(f'SQuAD file {path}: no "data" list of articles at the top')
    asked = 0
    for a, article in enumerate(data):
        check_fields(article, {"paragraphs": list}, f"SQuAD file {path}, article {a}")
        for p, para in enumerate(article["paragraphs"]):
            where = f"SQuAD file {path}, article {a}, paragraph {p}"
            check_fields(para, {"context": str, "qas": list}, where)
            for q, qa in enumerate(para["qas"]):
                _check_question(qa, f"{where}, question {q}")
            asked += len(para["qas"])
    if not asked:
        raise EvalFileError(f"SQuAD file {path}: no questions to ask")
    return data


def _check_question(qa, where: str) -> None:
    check_fields(qa, {"question": str}, where)
    answers = qa.get("answers") or []
    if not isinstance(answers, list):
        raise EvalFileError(f'{where}: "answers" should be a list')
    for k, answer in enumerate(answers):
        check_fields(answer, {"text": str}, f"{where}, answer {k}")
