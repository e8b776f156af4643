"""The `qa` command as a user and a script meet it (fake embedder, real code paths)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import qa.index.build
import qa.pipeline
from qa.cli import run
from qa.index.fake import FakeEmbedder
from tests.conftest import ROOT


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: FakeEmbedder())
    monkeypatch.setattr(qa.index.build, "load_embedder", lambda *a, **k: FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Tanks\n\nThe Type 90 tank weighs 50 tonnes. It debuted in 1990.", encoding="utf-8")
    (docs / "b.txt").write_text("Drones\n\nThe ministry plans to buy drones by 2027.", encoding="utf-8")
    return docs, tmp_path / "index"


def test_index_then_ask_prints_a_quote_with_its_citation(workspace, capsys):
    docs, index = workspace
    assert run(["index", "--docs", str(docs), "--index", str(index)]) == 0
    assert "indexed 2 documents" in capsys.readouterr().out
    assert run(["ask", "How much does the Type 90 tank weigh?", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "The Type 90 tank weighs 50 tonnes." in out and "[a.txt ¶2]" in out


def test_ask_json_is_one_object_and_defaults_to_the_folder_it_was_built_from(workspace, capsys):
    docs, index = workspace
    run(["index", "--docs", str(docs), "--index", str(index)])
    capsys.readouterr()
    assert run(["ask", "--json", "When will drones be bought?", "--index", str(index)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passages"][0]["file"] == "b.txt"


def test_batch_mode_keeps_going_after_a_bad_line(workspace, capsys, monkeypatch):
    docs, index = workspace
    run(["index", "--docs", str(docs), "--index", str(index)])
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("How heavy is the tank?\n\n" + "x" * 5000 + "\nDrones when?\n"))
    assert run(["ask", "--json", "-", "--index", str(index)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 4
    assert "passages" in rows[0] and "passages" in rows[3]
    assert "empty" in rows[1]["error"] and "too long" in rows[2]["error"]


@pytest.mark.parametrize("question", ["", "   ", "x" * 3000])
def test_bad_question_exits_2_with_one_line_and_no_traceback(workspace, capsys, question):
    docs, index = workspace
    assert run(["ask", question, "--index", str(index)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_index_exits_1_and_says_what_to_run(workspace, capsys):
    _, index = workspace
    assert run(["ask", "Anything?", "--index", str(index)]) == 1
    assert f"no index in {index}; build one with `qa index --docs FOLDER --index {index}`" in capsys.readouterr().err


def test_stale_index_answers_with_a_warning_is_refused_under_strict_then_rebuilt_by_index_if_stale(workspace, capsys):
    docs, index = workspace
    run(["index", "--docs", str(docs), "--index", str(index)])
    (docs / "c.txt").write_text("Ships\n\nA new ship was launched.", encoding="utf-8")
    capsys.readouterr()
    assert run(["ask", "How heavy is the tank?", "--index", str(index)]) == 0
    out, err = capsys.readouterr()
    assert "The Type 90 tank weighs 50 tonnes." in out and "launched" not in out  # from the index as built
    assert err.count("\n") == 1 and "warning: the index is stale (1 document added: c.txt)" in err
    assert run(["ask", "ships?", "--strict", "--index", str(index)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "stale (1 document added: c.txt)" in err
    assert run(["index", "--if-stale", "--docs", str(docs), "--index", str(index)]) == 0
    assert run(["index", "--if-stale", "--docs", str(docs), "--index", str(index)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_help_does_not_import_torch():
    code = "import sys; from qa.cli import build_parser; build_parser(); print('torch' in sys.modules, 'faiss' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split() == ["False", "False"]


AP_TEXT = ("Tanks Roll Again\n\nUpdated 3:04 AM EDT, July 29, 2024\n\n"
           "TOKYO (AP) — The Type 90 tank weighs 50 tonnes, the ministry said.")


def test_the_citation_line_and_the_json_name_each_passage_s_source(workspace, capsys):
    docs, index = workspace
    (docs / "c.txt").write_text(AP_TEXT, encoding="utf-8")
    run(["index", "--docs", str(docs), "--index", str(index)])
    capsys.readouterr()
    assert run(["ask", "How much does the Type 90 tank weigh, the ministry said?", "--index", str(index)]) == 0
    cited = {line.strip()[:7]: line.strip() for line in capsys.readouterr().out.splitlines() if line.strip().startswith("[")}
    assert cited["[c.txt "].startswith("[c.txt ¶3] “Tanks Roll Again”, The Associated Press, 2024-07-29  (characters ")
    assert cited["[a.txt "].startswith("[a.txt ¶2] “Tanks”  (characters ")
    assert run(["ask", "--json", "How much does the Type 90 tank weigh, the ministry said?", "--index", str(index)]) == 0
    passages = json.loads(capsys.readouterr().out)["passages"]
    assert {p["file"]: p["source"] for p in passages if p["file"] != "b.txt"} == {
        "c.txt": {"title": "Tanks Roll Again", "publisher": "The Associated Press", "date": "2024-07-29"},
        "a.txt": {"title": "Tanks"}}
    assert all({"file", "paragraph", "start", "end", "quote", "score"} <= set(p) for p in passages)  # as before
    assert run(["verify", "--json", "The Type 90 tank weighs 50 tonnes", "--index", str(index)]) == 0
    assert {m["file"]: m["source"] for m in json.loads(capsys.readouterr().out)["matches"]} == {
        "a.txt": {"title": "Tanks"},
        "c.txt": {"title": "Tanks Roll Again", "publisher": "The Associated Press", "date": "2024-07-29"}}
    assert run(["verify", "The Type 90 tank weighs 50 tonnes, the ministry said", "--index", str(index)]) == 0
    assert "  [c.txt ¶3] “Tanks Roll Again”, The Associated Press, 2024-07-29  (chars " in capsys.readouterr().out


def test_sources_json_wins_counts_for_staleness_and_a_malformed_one_is_one_warning(workspace, capsys):
    docs, index = workspace
    run(["index", "--docs", str(docs), "--index", str(index)])
    (docs / "sources.json").write_text(json.dumps({"a.txt": {"publisher": "Reuters", "date": "2021-03-04"}}), encoding="utf-8")
    capsys.readouterr()
    assert run(["index", "--if-stale", "--docs", str(docs), "--index", str(index)]) == 0
    out, err = capsys.readouterr()
    assert "building the index: the index is stale (sources.json was added)" in err and "indexed 2 documents" in out
    assert run(["ask", "How much does the Type 90 tank weigh?", "--top-k", "1", "--index", str(index)]) == 0
    assert "[a.txt ¶2] “Tanks”, Reuters, 2021-03-04  (characters" in capsys.readouterr().out
    (docs / "sources.json").write_text("{oops", encoding="utf-8")
    assert run(["index", "--if-stale", "--docs", str(docs), "--index", str(index)]) == 0
    out, err = capsys.readouterr()
    assert "stale (sources.json changed)" in err and "indexed 2 documents" in out
    assert [line for line in err.splitlines() if "warning" in line] == [
        "warning: sources.json is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes); "
        "not used"]
    (docs / "sources.json").unlink()
    assert run(["ask", "Tank?", "--index", str(index)]) == 0
    assert "the index is stale (sources.json was removed)" in capsys.readouterr().err


DELEGATIONS = {
    "a.txt": "Talks\n\nThe delegations were led by William LaPlante, U.S. undersecretary of defense for acquisition, "
             "and Masaki Fukasawa, commissioner of the agency.",
    "b.txt": "More talks\n\nThe forum was co-chaired by William LaPlante, U.S. Undersecretary of Defense for Equipment "
             "Assurance, and Masatoshi Fukasawa, head of the agency.",
}


def test_the_sources_disagreeing_is_one_note_per_pair_of_passages_naming_every_kind(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: FakeEmbedder())
    monkeypatch.setattr(qa.index.build, "load_embedder", lambda *a, **k: FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DELEGATIONS.items():
        (docs / name).write_text(text, encoding="utf-8")
    run(["index", "--docs", str(docs), "--index", str(tmp_path / "index")])
    capsys.readouterr()
    assert run(["ask", "Who led the delegations?", "--top-k", "1", "--index", str(tmp_path / "index")]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if "Note:" in line]
    assert notes == ["  Note: the sources disagree (title, name) — a.txt ¶2 vs b.txt ¶2: different titles for William "
                     "LaPlante: “U.S. undersecretary of defense for acquisition” vs “U.S. Undersecretary of Defense for "
                     "Equipment Assurance”; different first names for Fukasawa: “Masaki Fukasawa” vs “Masatoshi Fukasawa”"]
    assert run(["ask", "--json", "Who led the delegations?", "--top-k", "1", "--index", str(tmp_path / "index")]) == 0
    assert [c["kind"] for c in json.loads(capsys.readouterr().out)["conflicts"]] == ["title", "name"]  # the JSON as it was
    assert run(["verify", "The delegations were led by William LaPlante", "--index", str(tmp_path / "index")]) == 0
    out = capsys.readouterr().out
    assert out.count("The sources disagree") == 1 and out.count("[b.txt ¶2] “The forum") == 1
