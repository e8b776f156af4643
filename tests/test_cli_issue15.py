"""Issue 15, the command line for scripts: exit codes of ``qa verify``, messages that say where and what
to run, no flag that does nothing, ``make run PORT=...``, and ``qa eval`` that leaves the work tree clean.

Fake embedder and tiny folders; the real ``qa`` code paths (``qa.cli.run``), ``make -n`` for the Makefile.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys

import pytest

import qa.evaluation.runner
import qa.evaluation.squad_runner
import qa.index.build
import qa.index.embedding
import qa.pipeline
from qa.cli import build_parser, run
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import build_index_folder
from tests.conftest import ROOT

ARTICLE = ("Japan Arms Makers Struggle\n\n"
           "\u201cSupply chains cannot be reconstructed in just one to two years,\u201d said Yu Yamada, a senior manager.\n\n"
           "Komatsu stopped making armored vehicles after upgrades failed to meet the requirements.\n")
VERBATIM = "Supply chains cannot be reconstructed in just one to two years"


def _no_model(*args, **kwargs):
    raise AssertionError("the embedding model was loaded")


@pytest.fixture()
def index_dir(tmp_path, monkeypatch):
    """An index of one article built with the fake model; from here on, loading any model fails the test."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    build_index_folder(tmp_path / "docs", tmp_path / "index", Config(model="fake"), embedder=FakeEmbedder())
    for module in (qa.pipeline, qa.index.build, qa.index.embedding):
        monkeypatch.setattr(module, "load_embedder", _no_model)
    return str(tmp_path / "index")


def _help(command: str, capsys) -> str:
    with pytest.raises(SystemExit):
        run([command, "--help"])
    return " ".join(capsys.readouterr().out.split())


# --- 1. qa verify's exit status ---------------------------------------------------------------

@pytest.mark.parametrize("quote, speaker, verdict, code", [
    (VERBATIM, None, "verbatim", 0),
    ("Supply chains cannot be reconstructed ... one to two years", None, "verbatim_with_elision", 0),
    (VERBATIM, "Yu Yamada", "verbatim", 0),
    ("Supply chains can be reconstructed in just one to two years", None, "altered", 1),
    ("The moon is made of green cheese, said the farmer", None, "not_found", 1),
    (VERBATIM, "Heigo Sato", "verbatim", 3),
    ("Supply chains can be reconstructed in just one to two years", "Heigo Sato", "altered", 3),  # 3 wins
])
def test_verify_exits_by_verdict_and_speaker_check(index_dir, capsys, quote, speaker, verdict, code):
    speaker_args = ["--speaker", speaker] if speaker else []
    assert run(["verify", quote, "--json", *speaker_args, "--index", index_dir]) == code
    assert json.loads(capsys.readouterr().out)["verdict"] == verdict
    assert run(["verify", quote, *speaker_args, "--index", index_dir]) == code  # the same for people as for scripts


def test_verify_batch_exits_0_with_each_verdict_in_its_line(index_dir, capsys, monkeypatch):
    lines = "Supply chains can be reconstructed in just one to two years\ntoo short\nThe moon is made of green cheese\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert run(["verify", "--json", "-", "--speaker", "Heigo Sato", "--index", index_dir]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r.get("verdict") for r in rows] == ["altered", None, "not_found"] and "error" in rows[1]


def test_verify_bad_input_still_exits_2(index_dir, capsys):
    assert run(["verify", "too short", "--index", index_dir]) == 2


def test_verify_help_documents_the_exit_status(capsys):
    text = _help("verify", capsys)
    assert "exit status: 0 verbatim or verbatim with elision 1 altered or not found" in text
    assert "2 bad input" in text and "3 the --speaker check is contradicted, whatever the verdict" in text
    assert "with - (batch): 0 once every line is answered, each line's verdict in its JSON" in text


def test_the_readme_documents_the_exit_status_of_verify():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "`qa verify` exits 0 for `verbatim` or `verbatim_with_elision`, 1 for `altered` or `not_found`" in readme
    assert "and 3 when the speaker check is `contradicted`" in readme


# --- 2. no index: where it looked, and what to run --------------------------------------------

def test_ask_from_another_folder_names_the_absolute_index_folder_and_the_command(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["ask", "Anything at all?"]) == 1
    where = tmp_path / "index"
    assert capsys.readouterr().err == f"qa ask: no index in {where}; build one with `qa index --docs FOLDER --index {where}`\n"


def test_verify_without_an_index_says_the_same(tmp_path, capsys):
    assert run(["verify", VERBATIM, "--index", str(tmp_path / "a b" / "idx")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--index '{tmp_path / 'a b' / 'idx'}'`" in err  # a path a shell can take


# --- 3. verify needs no model, so it offers no --model ------------------------------------------

def test_verify_offers_no_model_flag_and_loads_no_model(index_dir, capsys):
    assert "--model" not in _help("verify", capsys)
    assert run(["verify", VERBATIM, "--index", index_dir]) == 0  # the index was built with "fake": read from its manifest
    assert capsys.readouterr().out.startswith("Verbatim:")
    with pytest.raises(SystemExit) as bad:
        run(["verify", VERBATIM, "--model", "fake", "--index", index_dir])
    assert bad.value.code == 2


# --- 4. make run PORT=... HOST=... ------------------------------------------------------------

def _make_dry_run(*args: str) -> list[str]:
    """The lines ``make -n ARGS`` prints (install steps too when the venv stamp is older than pyproject.toml)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.splitlines()


def test_make_run_passes_port_and_host_to_app_py():
    app_line = [line for line in _make_dry_run("run", "PORT=8080", "HOST=0.0.0.0") if "app.py" in line]
    assert len(app_line) == 1 and app_line[0].endswith("app.py --host 0.0.0.0 --port 8080")
    default = [line for line in _make_dry_run("run") if "app.py" in line]
    assert default[0].endswith("app.py --host 127.0.0.1 --port 7860")


# --- 5. qa eval writes into a run folder git ignores; --out eval/ is the deliberate step ---------

def test_eval_writes_to_an_ignored_run_folder_by_default():
    args = build_parser().parse_args(["eval"])
    assert args.out == "eval/runs/latest"
    if shutil.which("git") and (ROOT / ".git").exists():
        done = subprocess.run(["git", "check-ignore", "-q", "eval/runs/latest/report.md"], cwd=ROOT, timeout=30)
        assert done.returncode == 0, "eval/runs/latest/ is not ignored by git"


def test_eval_help_says_where_it_writes_and_how_to_update_the_committed_report(capsys):
    text = _help("eval", capsys)
    assert "default: eval/runs/latest/, which git ignores" in text and "--out eval/ updates the committed report" in text


@pytest.mark.parametrize("target, runs", [("eval", 4), ("eval-squad", 1)])
def test_make_eval_writes_the_committed_report(target, runs):
    """make eval writes both question sets' and both draft sets' committed reports; make eval-squad the SQuAD one."""
    lines = [line for line in _make_dry_run(target) if "qa eval" in line]
    assert len(lines) == runs and all(line.endswith("--out eval/") for line in lines)
    if target == "eval":
        assert "--questions eval/natural.jsonl" in lines[1]
        assert "--drafts eval/drafts.jsonl" in lines[2] and "--drafts eval/drafts_heldout.jsonl" in lines[3]


QUESTIONS = [{"id": "a1", "question": "Why did Komatsu stop making armored vehicles?", "answerable": True,
              "file": "a.txt", "evidence": "Komatsu stopped making armored vehicles after upgrades failed to meet "
              "the requirements.", "kind": "why"},
             {"id": "u1", "question": "What is the capital of Peru?", "answerable": False, "kind": "off_topic"}]
QUOTES = [{"id": "v1", "quote": VERBATIM, "speaker": None, "expected_verdict": "verbatim",
           "expected_speaker_check": None, "file": "a.txt", "kind": "verbatim"}]


@pytest.fixture()
def eval_folder(tmp_path, monkeypatch):
    """A folder laid out like the repository's eval/ (fake model), the current folder for the test."""
    for runner in (qa.evaluation.runner, qa.evaluation.squad_runner):
        monkeypatch.setattr(runner, "load_embedder", lambda *a, **k: FakeEmbedder())
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    (tmp_path / "eval" / "quotes.jsonl").write_text("".join(json.dumps(q) + "\n" for q in QUOTES), encoding="utf-8")
    config = {"top_k": 3, "thresholds": {"verbatim_span_rate": 1.0, "hit@1": 0.0},
              "targets": {"verbatim_span_rate": 1.0, "hit@1": 1.01, "abstention_recall": 1.01},
              "squad": {"thresholds": {"verbatim_span_rate": 1.0}, "targets": {"verbatim_span_rate": 1.0}}}
    (tmp_path / "eval" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_qa_eval_leaves_the_committed_report_alone_and_says_where_it_wrote(eval_folder, capsys):
    assert run(["eval", "--model", "fake"]) == 0
    out = capsys.readouterr().out
    assert "\nwrote eval/runs/latest/: report.md, report.json, abstention.png, hit_at_k.png\n" in out
    assert (eval_folder / "eval" / "runs" / "latest" / "report.md").is_file()
    assert not (eval_folder / "eval" / "report.md").exists()
    assert run(["eval", "--model", "fake", "--out", "eval/"]) == 0
    assert "\nwrote eval/: report.md, report.json" in capsys.readouterr().out
    assert (eval_folder / "eval" / "report.md").is_file()


SQUAD = {"version": "v2.0", "data": [{"title": "Normans", "paragraphs": [{
    "context": "The Normans gave their name to Normandy, a region in France. Rollo was their first ruler.",
    "qas": [{"id": "n1", "question": "In what country is Normandy?", "is_impossible": False,
             "answers": [{"text": "France", "answer_start": 54}]}]}]}]}


def test_qa_eval_squad_writes_to_the_run_folder_too(eval_folder, capsys):
    (eval_folder / "tiny.json").write_text(json.dumps(SQUAD), encoding="utf-8")
    assert run(["eval", "--squad", "tiny.json", "--model", "fake"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == "wrote eval/runs/latest/: squad_report.md, squad_report.json, squad_abstention.png, squad_answer_at_k.png"
    assert out[-1] == "gate: passed (1 threshold of eval/config.json (squad); every target met)"
    assert not (eval_folder / "eval" / "squad_report.md").exists()


# --- 6. targets (aims) and gate thresholds (musts) told apart ------------------------------------

def test_the_table_labels_targets_and_gate_apart_and_the_closing_line_names_unmet_targets(eval_folder, capsys):
    assert run(["eval", "--model", "fake"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert re.search(r"target \(aim\)\s+met\s+gate \(must\)\s+passes$", header), header
    hit1 = next(line for line in out.splitlines() if line.startswith("hit@1 "))
    assert re.search(r"≥ 1.01\s+no\s+≥ 0.0\s+yes$", hit1), hit1
    assert out.splitlines()[-1] == ("gate: passed (2 thresholds of eval/config.json; "
                                    "2 targets not met: hit@1, unanswerable abstained (recall))")
    md = (eval_folder / "eval" / "runs" / "latest" / "report.md").read_text(encoding="utf-8")
    assert "| target (aim) | met | gate (must) | passes |" in md and "2 targets not met: hit@1" in md
