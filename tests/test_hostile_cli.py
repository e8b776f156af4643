"""Hostile input catalogue, part two: what the ``qa`` command meets -- odd paths, damaged index
folders, hostile bytes on standard input, hostile text in documents, and an index gone stale.

Each case asserts the specific behaviour: one clear line (no traceback), the
right exit code, nothing written or lost, and output a terminal or a script
can take as it is. The first part (questions, documents, index files, through
the library) is tests/test_hostile.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import qa.index.build
import qa.pipeline
from qa.cli import run
from qa.config import Config
from qa.index.embedding import ModelNotFound
from qa.index.fake import FakeEmbedder
from qa.index.store import IndexError_, current_generation, generations, load_index
from qa.pipeline import build_index_folder, open_assistant
from tests.conftest import ROOT

CFG = Config(model="fake")
# The real CLI in a child process, with the fake embedder wherever the real one would load.
FAKE_CLI = ("import sys, qa.pipeline, qa.index.build; from qa.index.fake import FakeEmbedder; "
            "qa.pipeline.load_embedder = qa.index.build.load_embedder = lambda *a, **k: FakeEmbedder(); "
            "from qa.cli import run; sys.exit(run(sys.argv[1:]))")
SHIPS = "Ships\n\nThe navy ordered 12 new ships in 2024."
DRONES = "Drones\n\nThe ministry buys 200 drones in 2027."


@pytest.fixture()
def folders(tmp_path, monkeypatch):
    """A documents folder of two articles and its index (fake embedder in this process too)."""
    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: FakeEmbedder())
    monkeypatch.setattr(qa.index.build, "load_embedder", lambda *a, **k: FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SHIPS, encoding="utf-8")
    (docs / "b.txt").write_text(DRONES, encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    return docs, tmp_path / "index"


def _cli(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", FAKE_CLI, *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120)


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# --- index folders that are not folders, models that do not load --------------------------

@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_index_into_a_regular_file_is_one_line_and_writes_nothing(folders, tmp_path, capsys, where):
    docs, _ = folders
    (tmp_path / "a-file").write_text("keep me", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert run(["index", "--docs", str(docs), "--index", str(tmp_path / where), "--model", "fake"]) == 1
    assert "not a folder" in _one_line(capsys.readouterr().err)
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("existed", [False, True])
def test_a_model_that_does_not_load_leaves_nothing_behind(folders, tmp_path, capsys, monkeypatch, existed):
    def no_model(*args, **kwargs):
        raise ModelNotFound("cannot load embedding model 'no-such-model' offline")

    monkeypatch.setattr(qa.index.build, "load_embedder", no_model)
    docs, _ = folders
    target = tmp_path / "X"
    if existed:
        target.mkdir()
    assert run(["index", "--docs", str(docs), "--index", str(target), "--model", "no-such-model"]) == 1
    assert "no-such-model" in _one_line(capsys.readouterr().err)
    assert target.exists() is existed and (not existed or list(target.iterdir()) == [])


# --- manifests with fields of the wrong type; a missing or garbage CURRENT -----------------

BAD_MANIFESTS = {
    "files a list": (lambda m: m.update(files=list(m["files"])), '"files" should be an object, not a list'),
    "counts as strings": (lambda m: m.update(counts={k: str(v) for k, v in m["counts"].items()}),
                          '"counts" should hold whole numbers'),
    "counts a list": (lambda m: m.update(counts=[1, 2]), '"counts" should be an object, not a list'),
    "sources a list": (lambda m: m.update(sources=["a.txt"]), '"sources" should be an object'),
    "dense_index a string": (lambda m: m.update(dense_index="flat"), '"dense_index" should be an object, not a string'),
    "dimension a string": (lambda m: m.update(dimension="64"), '"dimension" should be a whole number, not a string'),
    "dimension true": (lambda m: m.update(dimension=True), '"dimension" should be a whole number'),
    "docs_dir a number": (lambda m: m.update(docs_dir=5), '"docs_dir" should be a string or null'),
    "model a list": (lambda m: m.update(model=["fake"]), '"model" should be a string'),
    "built_at a list": (lambda m: m.update(built_at=[2024]), '"built_at" should be a string'),
    "a checksum a number": (lambda m: m["files"].update({"documents.jsonl": 5}), '"files" should hold strings'),
    "no checksums": (lambda m: m.update(files={}), "has no checksum for documents.jsonl"),
    "a file outside": (lambda m: m["files"].update({"../../x": "0" * 64}), "outside the generation"),
}


def _edit_manifest(gen, edit) -> None:
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    (gen / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_a_manifest_field_of_the_wrong_type_is_one_line_naming_it(folders, case):
    _, index = folders
    edit, message = BAD_MANIFESTS[case]
    _edit_manifest(current_generation(index), edit)
    with pytest.raises(IndexError_, match=message) as err:
        load_index(index, CFG)
    assert "\n" not in str(err.value) and "qa index" in str(err.value)


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_a_bad_manifest_falls_back_to_the_previous_complete_generation(folders, case):
    docs, index = folders
    (docs / "c.txt").write_text("Tanks\n\nThe army retired 30 tanks.", encoding="utf-8")
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    _edit_manifest(current_generation(index), BAD_MANIFESTS[case][0])
    warnings: list[str] = []
    loaded = load_index(index, CFG, warn=warnings.append)
    assert {d.name for d in loaded.docs} == {"a.txt", "b.txt"}
    assert len(warnings) == 1 and BAD_MANIFESTS[case][1] in warnings[0] and "previous index gen-000001" in warnings[0]


@pytest.mark.parametrize("older", [False, True])
def test_ask_on_a_bad_manifest_says_so_in_one_line_or_answers_from_the_older_one(folders, capsys, older):
    docs, index = folders
    if older:
        build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    _edit_manifest(current_generation(index), BAD_MANIFESTS["files a list"][0])
    code = run(["ask", "How many ships did the navy order?", "--index", str(index), "--model", "fake"])
    out, err = capsys.readouterr()
    assert code == (0 if older else 1) and '"files" should be an object' in _one_line(err)
    assert ("The navy ordered 12 new ships" in out) is older


CURRENT_POINTERS = {"deleted": None, "empty": b"", "garbage": b"garbage\n", "a generation that is gone": b"gen-000099\n",
                    "a path outside": b"../../etc\n", "a path inside a generation": b"gen-000001/../..\n",
                    "undecodable bytes": b"\xff\xfe\x00gen"}


@pytest.mark.parametrize("case", sorted(CURRENT_POINTERS))
@pytest.mark.parametrize("newest_damaged", [False, True])
def test_a_missing_or_garbage_current_uses_the_newest_complete_generation(folders, case, newest_damaged):
    docs, index = folders
    (docs / "c.txt").write_text("Tanks\n\nThe army retired 30 tanks.", encoding="utf-8")
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    newest = generations(index)[0]
    if newest_damaged:
        (newest / "documents.jsonl").write_text("", encoding="utf-8")
    if CURRENT_POINTERS[case] is None:
        (index / "CURRENT").unlink()
    else:
        (index / "CURRENT").write_bytes(CURRENT_POINTERS[case])
    warnings: list[str] = []
    loaded = load_index(index, CFG, warn=warnings.append)
    assert ("c.txt" in {d.name for d in loaded.docs}) is not newest_damaged
    assert len(warnings) == 1 and "CURRENT" in warnings[0] and "\n" not in warnings[0]


def test_ask_without_current_answers_from_the_newest_generation_with_a_warning(folders, capsys):
    _, index = folders
    (index / "CURRENT").unlink()
    assert run(["ask", "How many ships did the navy order?", "--index", str(index), "--model", "fake"]) == 0
    out, err = capsys.readouterr()
    assert "The navy ordered 12 new ships" in out and "CURRENT" in _one_line(err) and "gen-000001" in err


def test_no_generation_at_all_is_still_no_index(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text("gen-000001\n", encoding="utf-8")
    with pytest.raises(IndexError_, match="no index in"):
        load_index(tmp_path / "index", CFG)


# --- standard input: undecodable bytes, and line separators that are not newlines ----------

def test_verify_batch_with_undecodable_bytes_keeps_going_and_writes_utf8(folders):
    _, index = folders
    stdin = b"the navy ordered 12 new ships\n\xff\xfe the navy ordered 12 new ships\n\n\xed\xa0\x80 the navy ordered 12\n"
    proc = _cli(["verify", "--json", "-", "--index", str(index)], stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]  # strict UTF-8
    assert [r.get("verdict", "error") for r in rows][:1] == ["verbatim"] and len(rows) == 4
    assert "error" in rows[2] and "\ufffd" in rows[1]["quote"] and "\ufffd" in rows[3]["quote"]


MODEL = {"ask": ["--model", "fake"], "verify": []}  # verify embeds nothing: it reads the model from the manifest
SEPARATORS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("command", ["ask", "verify"])
def test_one_input_line_is_one_output_object_whatever_else_the_line_holds(folders, command):
    _, index = folders
    lines = [f"the navy ordered m{i:03d}{sep} 12 new ships" for i, sep in enumerate(SEPARATORS)]
    stdin = "\n".join(lines[:4]) + "\r\n" + "\n".join(lines[4:]) + "\n" + "the last line m999 ships and drones"
    proc = _cli([command, "--json", "-", "--index", str(index), *MODEL[command]], stdin.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]
    key = "question" if command == "ask" else "quote"
    assert [r[key].split()[3] for r in rows] == [f"m{i:03d}" for i in range(len(SEPARATORS))] + ["m999"]
    assert all(not r[key].endswith("\r") for r in rows)


# --- arguments that would answer from the wrong place, or not at all ------------------------

@pytest.mark.parametrize("docs", ["/nonexistent/articles", "a.txt"])
def test_ask_with_a_docs_folder_that_is_not_there_is_refused(folders, capsys, docs):
    folder, index = folders
    docs = str(folder / docs) if docs == "a.txt" else docs
    assert run(["ask", "How many ships?", "--docs", docs, "--index", str(index), "--model", "fake"]) == 2
    out, err = capsys.readouterr()
    assert "documents folder not found" in _one_line(err) and docs in err and out == ""


DEEP = "[" * 100_000 + "]" * 100_000  # json.loads recurses once per level: a RecursionError today
EVAL_INPUTS = {  # case: (the option, the file's name, its content or None for a folder, the message)
    "squad a folder": ("--squad", "squad", None, "is a folder, not a file"),
    "squad deeply nested": ("--squad", "deep.json", DEEP, "nested too deeply"),
    "squad data deeply nested": ("--squad", "deep.json", '{"data": ' + DEEP + "}", "nested too deeply"),
    "config deeply nested": ("--config", "deep.json", DEEP, "nested too deeply"),
    "a question line deeply nested": ("--questions", "q.jsonl",
                                      '{"id": "a", "question": "Why?", "answerable": false}\n' + DEEP + "\n",
                                      "line 2: nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(EVAL_INPUTS))
def test_eval_on_a_folder_or_deeply_nested_json_exits_2_with_one_line(tmp_path, capsys, case):
    option, name, content, expected = EVAL_INPUTS[case]
    if content is None:
        (tmp_path / name).mkdir()
    else:
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    options = {"--config": tmp_path / "config.json", "--docs": ROOT / "seeds", "--out": tmp_path / "out",
               "--work": tmp_path / "work", "--model": "fake", option: tmp_path / name}
    assert run(["eval", *(str(part) for pair in options.items() for part in pair)]) == 2
    assert expected in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists() and not (tmp_path / "work").exists()


# --- hostile text on the terminal -----------------------------------------------------------

@pytest.mark.parametrize("text, shown", [
    ("plain words, 12 ships.", "plain words, 12 ships."),
    ("“Café” — 日本の防衛 ‘quoted’ ½ naïve", "“Café” — 日本の防衛 ‘quoted’ ½ naïve"),
    ("a\tb", "a b"),
    ("\x1b[2J\x1b[H cleared", "\\x1b[2J\\x1b[H cleared"),
    ("\x1b]0;pwned\x07 retitled", "\\x1b]0;pwned\\x07 retitled"),
    ("over\x08\x08written\rline", "over\\x08\\x08written\\rline"),
    ("two\nlines", "two\\nlines"),
    ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
])
def test_terminal_safe_shows_control_characters_and_keeps_text(text, shown):
    from qa.ingest.textnorm import terminal_safe

    assert terminal_safe(text) == shown
    assert terminal_safe(shown) == shown  # escaping twice changes nothing


HOSTILE_NAME = "evil\nname\x1b[31m.txt"
HOSTILE_TEXT = "Ships\n\nThe navy \x1b[2J\x1b]0;pwned\x07ordered 12 new\x08 ships in 2024.\r It paid\x9b a lot."


@pytest.fixture()
def hostile_index(tmp_path, monkeypatch):
    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    return tmp_path / "index"


def _safe_for_a_terminal(out: str) -> None:
    assert not any(ch in out for ch in "\x1b\x07\x08\r\x9b"), repr(out)
    citations = [line for line in out.splitlines() if "¶" in line and line.lstrip().startswith("[")]
    assert citations and all("evil\\nname\\x1b[31m.txt ¶2]" in line for line in citations), repr(out)


@pytest.mark.parametrize("args, code", [
    (["ask", "How many ships did the navy order?", "--model", "fake"], 0),
    (["verify", "The navy ordered 12 new ships in 2024", "--speaker", "Ann\x1b[2J"], 1),  # altered: control characters
])
def test_document_text_and_file_names_cannot_drive_the_terminal(hostile_index, capsys, args, code):
    assert run([*args, "--index", str(hostile_index)]) == code
    out, err = capsys.readouterr()
    _safe_for_a_terminal(out)
    assert "\\x1b[2J" in out and err == ""


def test_json_output_stays_byte_identical_with_hostile_text(hostile_index, capsys):
    question = "How many ships did the navy order?"
    assert run(["ask", "--json", question, "--index", str(hostile_index), "--model", "fake"]) == 0
    answer = open_assistant(hostile_index, CFG, embedder=FakeEmbedder()).ask(question)
    assert capsys.readouterr().out == json.dumps(answer.as_json(), ensure_ascii=False) + "\n"


# --- a stale index: answer from it, say so once; refuse only under --strict ------------------

STALE_CHANGES = {
    "added": (lambda docs: (docs / "c.txt").write_text("Tanks\n\nThe army retired 30 tanks.", encoding="utf-8"),
              "1 document added: c.txt"),
    "two added": (lambda docs: [(docs / f"{n}.txt").write_text(f"Tanks\n\n{n} tanks left.", encoding="utf-8")
                                for n in ("c", "d")], "2 documents added: c.txt, d.txt"),
    "changed": (lambda docs: (docs / "a.txt").write_text(SHIPS + " Two were late.", encoding="utf-8"),
                "1 document changed: a.txt"),
    "removed": (lambda docs: (docs / "b.txt").unlink(), "1 document removed: b.txt"),
}
ASK_AND_VERIFY = [["ask", "How many ships did the navy order?", "--model", "fake"],
                  ["verify", "The navy ordered 12 new ships in 2024"]]


@pytest.mark.parametrize("case", sorted(STALE_CHANGES))
@pytest.mark.parametrize("args", ASK_AND_VERIFY, ids=lambda a: a[0])
def test_a_stale_index_answers_as_built_with_one_warning_line(folders, capsys, case, args):
    docs, index = folders
    change, summary = STALE_CHANGES[case]
    change(docs)
    assert run([*args, "--index", str(index)]) == 0
    out, err = capsys.readouterr()
    assert "The navy ordered 12 new ships" in out
    assert _one_line(err).startswith(f"qa {args[0]}: warning: the index is stale ({summary}); answers come from the index")
    assert f"qa index --docs {docs}" in err


@pytest.mark.parametrize("args", ASK_AND_VERIFY, ids=lambda a: a[0])
def test_strict_refuses_a_stale_index_and_passes_a_current_one(folders, capsys, args):
    docs, index = folders
    assert run([*args, "--strict", "--index", str(index)]) == 0
    assert capsys.readouterr().err == ""
    STALE_CHANGES["added"][0](docs)
    assert run([*args, "--strict", "--index", str(index)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "the index is stale (1 document added: c.txt); run `qa index --docs" in _one_line(err)


@pytest.mark.parametrize("command", ["ask", "verify"])
def test_help_says_what_a_stale_index_does(capsys, command):
    with pytest.raises(SystemExit):
        run([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--strict" in text and "stale" in text
