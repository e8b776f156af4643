"""Convert SQuAD-format JSON (v1.1 or v2.0) into plain-text documents.

What it does: writes one UTF-8 ``.txt`` file per article (title line, blank
line, then each context as one paragraph, paragraphs separated by a blank
line) plus ``questions.jsonl`` listing every question with its gold answer
texts, whether it is answerable, and the file and paragraph number (blocks
counted from 1, the title line being paragraph 1) that hold its context.
Output is deterministic: the same input gives byte-identical files.

What it does not do: keep SQuAD's ``answer_start`` offsets (contexts are
re-flowed onto one line, so only answer texts are kept), score anything
(see ``qa.evaluation.metrics``) or touch a folder it did not create: converting into a
non-empty folder without its ``.squad-source`` marker raises
``FileExistsError``; with the marker, the ``.txt`` files of the previous
conversion are removed first so no stale article survives.

>>> import tempfile, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> _ = (tmp / "s.json").write_text(json.dumps({"data": [{"title": "Tiny_Town",
...     "paragraphs": [{"context": "Tiny Town is\\nsmall.", "qas": [{"id": "q1",
...     "question": "How big?", "answers": [{"text": "small", "answer_start": 13}]}]}]}]}))
>>> convert_squad(tmp / "s.json", tmp / "out")
[SquadQuestion(id='q1', question='How big?', answers=('small',), answerable=True, file='00_Tiny_Town.txt', paragraph=2)]
>>> (tmp / "out" / "00_Tiny_Town.txt").read_text()
'Tiny Town\\n\\nTiny Town is small.\\n'
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from qa.evaluation.files import squad_articles

MARKER = ".squad-source"
QUESTIONS_FILE = "questions.jsonl"


@dataclass(frozen=True)
class SquadQuestion:
    """One question; ``file`` is relative to the output folder."""

    id: str
    question: str
    answers: tuple[str, ...]
    answerable: bool
    file: str
    paragraph: int


def slugify(title: str) -> str:
    """A filesystem-safe name: runs of other characters become ``_``.

    >>> slugify("Université de Paris / 1968?")
    'Universit_de_Paris_1968'
    """
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", title).strip("._-")
    return slug[:80] or "untitled"


def one_line(text: str) -> str:
    """Collapse line breaks (and the spaces around them) to one space.

    >>> one_line("  first line\\r\\n  second ")
    'first line second'
    """
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text).strip()


def _answer_texts(qa: dict) -> tuple[str, ...]:
    texts = [a["text"] for a in qa.get("answers") or [] if a.get("text", "").strip()]
    return tuple(dict.fromkeys(texts))  # de-duplicated, first-seen order


def _article(article: dict, index: int, width: int) -> tuple[str, str, list[SquadQuestion]]:
    """Render one article: (file name, file text, its questions)."""
    title = one_line(str(article.get("title") or "").replace("_", " ")) or "Untitled"
    name = f"{index:0{width}d}_{slugify(str(article.get('title') or ''))}.txt"
    blocks, questions = [title], []
    for p_index, para in enumerate(article.get("paragraphs", [])):
        context = one_line(para.get("context", ""))
        if not context:
            continue  # an empty block would shift every later paragraph number
        blocks.append(context)
        for q_index, qa in enumerate(para.get("qas", [])):
            answers = _answer_texts(qa)
            qid = str(qa.get("id") or f"{index}-{p_index}-{q_index}")
            answerable = bool(answers) and not qa.get("is_impossible", False)
            questions.append(SquadQuestion(qid, one_line(qa.get("question", "")),
                                           answers, answerable, name, len(blocks)))
    return name, "\n\n".join(blocks) + "\n", questions


def _prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir``, or clear the files of a previous conversion into it."""
    marker = out_dir / MARKER
    if marker.exists():
        previous = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
        for name in previous + [QUESTIONS_FILE]:
            (out_dir / Path(name).name).unlink(missing_ok=True)
    elif out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty and has no {MARKER} marker")
    out_dir.mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def convert_squad(json_path: str | Path, out_dir: str | Path) -> list[SquadQuestion]:
    """Write one ``.txt`` per article and ``questions.jsonl``; return the questions.

    Files are named ``{index}_{slug}.txt`` with the index zero-padded to at
    least two digits. A question is answerable when it has a non-empty gold
    answer and is not marked ``is_impossible`` (v1.1 files have no such flag).
    A file that is not SQuAD-shaped raises ``qa.evaluation.files.EvalFileError``.
    """
    data = squad_articles(json_path)  # checked first: a bad file leaves the output folder alone
    out = Path(out_dir)
    _prepare_out_dir(out)
    width = max(2, len(str(len(data) - 1)))
    names, questions = [], []
    for index, article in enumerate(data):
        name, text, article_questions = _article(article, index, width)
        _write(out / name, text)
        names.append(name)
        questions.extend(article_questions)
    marker = {"source": Path(json_path).name, "files": names}
    _write(out / MARKER, json.dumps(marker, indent=1) + "\n")
    lines = [json.dumps(asdict(q), ensure_ascii=False) + "\n" for q in questions]
    _write(out / QUESTIONS_FILE, "".join(lines))
    return questions


def load_questions(out_dir: str | Path) -> list[SquadQuestion]:
    """Read back the ``questions.jsonl`` written by ``convert_squad``."""
    path = Path(out_dir) / QUESTIONS_FILE
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["answers"] = tuple(row["answers"])
            questions.append(SquadQuestion(**row))
    return questions


def sample_questions(questions: Sequence, n: int, seed: int = 0) -> list:
    """A deterministic sample of ``n`` questions, in their original order.

    All questions are returned when ``n`` is at least their number.

    >>> sample_questions(list("abcdef"), 3, seed=1) == sample_questions(list("abcdef"), 3, seed=1)
    True
    >>> sample_questions(list("abc"), 5, seed=0)
    ['a', 'b', 'c']
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if n >= len(questions):
        return list(questions)
    chosen = sorted(random.Random(seed).sample(range(len(questions)), n))
    return [questions[i] for i in chosen]
