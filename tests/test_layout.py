"""The package's layout is its pipeline: stages import only downwards, a question is analysed once.

The stage order, lowest first:
  foundation (qa.config, qa.errors) <- ingest <- index <- answer <- quotes
  <- pipeline (qa.pipeline, qa.live) <- web | evaluation <- bench <- cli.
Web and evaluation are siblings: neither imports the other.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

QA = Path(__file__).resolve().parents[1] / "qa"

STAGES = [  # (stage, its modules or subpackage), lowest first; one rank may hold siblings
    (0, "foundation", ("qa", "qa.config", "qa.errors")),
    (1, "ingest", ("qa.ingest",)),
    (2, "index", ("qa.index",)),
    (3, "answer", ("qa.answer",)),
    (4, "quotes", ("qa.quotes",)),
    (5, "pipeline", ("qa.pipeline", "qa.live")),
    (6, "web", ("qa.web",)),
    (6, "evaluation", ("qa.evaluation",)),
    (7, "bench", ("qa.bench",)),
    (8, "cli", ("qa.cli", "qa.commands", "qa.check_command", "qa.__main__")),
]
STAGE_OF = {prefix: name for _, name, prefixes in STAGES for prefix in prefixes}
RANK = {name: rank for rank, name, _ in STAGES}
SUBPACKAGES = ("ingest", "index", "answer", "quotes", "web", "evaluation", "bench")
MAX_LINES = 220


def module_name(path: Path) -> str:
    parts = path.relative_to(QA.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str | None:
    """``qa.index.store`` -> ``index``; ``qa.live`` -> ``pipeline``."""
    parts = module.split(".")
    return STAGE_OF.get(".".join(parts[:2]) if len(parts) > 1 else "qa")


def imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``qa`` import in ``path``, inside functions too; name is '' for ``import x``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qa":
            for alias in node.names:  # ``from qa.web import render`` imports the module qa.web.render
                is_module = (QA.parent / node.module.replace(".", "/") / f"{alias.name}.py").is_file()
                out.append((f"{node.module}.{alias.name}", "") if is_module else (node.module, alias.name))
        elif isinstance(node, ast.Import):
            out += [(alias.name, "") for alias in node.names if alias.name.split(".")[0] == "qa"]
    return out


MODULES = sorted(QA.rglob("*.py"))


def test_every_module_belongs_to_a_known_stage():
    unknown = [module_name(p) for p in MODULES if stage(module_name(p)) is None]
    assert not unknown


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_a_stage_imports_only_from_stages_below_it(path):
    me = stage(module_name(path))
    for target, name in imports(path):
        other = stage(target)
        assert RANK[other] <= RANK[me], f"{module_name(path)} imports {target} (a higher stage)"
        if RANK[other] == RANK[me] and other != me:
            raise AssertionError(f"{module_name(path)} imports {target}: sibling stages stay apart")
        if other != me:
            assert not name.startswith("_"), f"{module_name(path)} reaches into {target}.{name}"


def test_the_import_graph_has_no_cycles():
    graph = {module_name(p): {t for t, _ in imports(p)} for p in MODULES}
    done, active = set(), []

    def visit(node):
        if node in active:
            raise AssertionError("import cycle: " + " -> ".join(active[active.index(node):] + [node]))
        if node in done or node not in graph:
            return
        active.append(node)
        for nxt in graph[node]:
            visit(nxt)
        active.pop()
        done.add(node)

    for node in graph:
        visit(node)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_each_stage_names_its_public_api(package):
    module = importlib.import_module(f"qa.{package}")
    assert module.__doc__ and len(module.__doc__.strip().splitlines()) >= 3
    assert module.__all__, f"qa.{package} names no public functions"
    for name in module.__all__:
        assert not name.startswith("_") and getattr(module, name) is not None


def test_the_file_list_reads_as_the_pipeline():
    top = sorted(p.name for p in QA.iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "__main__.py", "check_command.py", "cli.py", "commands.py", "config.py", "errors.py",
                   "live.py", "pipeline.py"]
    assert all((QA / name / "__init__.py").is_file() for name in SUBPACKAGES)


def test_one_question_is_analysed_once_and_each_stage_is_entered_in_order(fake_seed_assistant, monkeypatch):
    """``ask`` tokenises and types the question once, and calls answer before quotes, never back."""
    import sys

    import qa.answer.question
    import qa.index.lexical
    import qa.pipeline as pipeline

    question = "How much did Japan spend on drones?"
    counts = {"tokenize": 0, "answer_type": 0}
    for name, home in (("tokenize", qa.index.lexical), ("answer_type", qa.answer.question)):
        original = getattr(home, name)

        def counting(text, _original=original, _name=name):
            counts[_name] += text == question
            return _original(text)
        # wherever the function was imported by name, so no caller escapes the count
        for module in [m for n, m in sys.modules.items() if n.startswith("qa.")]:
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, counting)

    order = []
    for name in ("check_question", "analyse_question", "embed_query", "score_candidates", "compose_answer",
                 "conflicts_for"):
        original = getattr(pipeline, name)

        def recording(*args, _original=original, **kwargs):
            order.append(stage(_original.__module__))
            return _original(*args, **kwargs)
        monkeypatch.setattr(pipeline, name, recording)

    answer = fake_seed_assistant.ask(question)
    assert answer.question == question and answer.passages
    assert counts == {"tokenize": 1, "answer_type": 1}
    assert order == sorted(order, key=RANK.get) and set(order) == {"answer", "quotes"}
    # nothing below re-reads the question: the stages that score and judge it take the Query
    for module in ("qa/answer/retrieval.py", "qa/answer/answerability.py", "qa/answer/compose.py", "qa/answer/passages.py"):
        names = {n for _, n in imports(QA.parent / module)}
        assert not names & {"tokenize", "answer_type", "idf"}, module


def test_the_design_notes_name_every_module_of_the_package():
    """The README says docs/design.md lists every file: each module of qa/ is named there, under its folder."""
    import re

    root = QA.parent
    design = (root / "docs" / "design.md").read_text(encoding="utf-8")
    files = design[design.index("## Files"):]
    sections = dict(re.findall(r"(?ms)^\*\*`(qa[^`]*)`\*\*\n(.*?)(?=^\*\*`|\Z)", files))
    missing = [str(p.relative_to(root)) for p in sorted(QA.rglob("*.py"))
               if f"- `{p.name}`" not in sections.get(str(p.parent.relative_to(root)) + "/", "")]
    assert not missing, missing
