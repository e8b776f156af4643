"""Specification of qa.evaluation.squad: SQuAD JSON -> plain-text documents + questions."""

import json

import pytest

from qa.evaluation.squad import (
    SquadQuestion, convert_squad, load_questions, sample_questions, slugify,
)

V2 = {"version": "v2.0", "data": [
    {"title": "Normans", "paragraphs": [
        {"context": "The Normans were the people who gave\ntheir name to Normandy, in France.",
         "qas": [
             {"id": "n1", "question": "In what country is Normandy?", "is_impossible": False,
              "answers": [{"text": "France", "answer_start": 64},
                          {"text": "France", "answer_start": 64}]},
             {"id": "n2", "question": "Who gave their name to Paris?", "is_impossible": True,
              "answers": [], "plausible_answers": [{"text": "Normans", "answer_start": 4}]},
         ]},
        {"context": "Rollo agreed to swear fealty to King Charles III.",
         "qas": [{"id": "n3", "question": "Who swore fealty?", "is_impossible": False,
                  "answers": [{"text": "Rollo", "answer_start": 0}]}]},
    ]},
    {"title": "Steam_engine / Watt?", "paragraphs": [
        {"context": "  James Watt improved\r\n the steam engine in 1781. ",
         "qas": [{"id": "s1", "question": "When?", "is_impossible": False,
                  "answers": [{"text": "1781", "answer_start": 42}]}]},
    ]},
]}

V11 = {"version": "1.1", "data": [
    {"title": "Tiny", "paragraphs": [
        {"context": "Tiny is a small article.",
         "qas": [{"id": "t1", "question": "How big is Tiny?",
                  "answers": [{"text": "small", "answer_start": 10}]},
                 {"id": "t2", "question": "Empty answers?", "answers": []}]},
    ]},
]}


def _convert(tmp_path, data, name="squad.json", out="docs"):
    src = tmp_path / name
    src.write_text(json.dumps(data), encoding="utf-8")
    return convert_squad(src, tmp_path / out), tmp_path / out


def _blocks(path):
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def test_writes_one_text_file_per_article_with_title_and_paragraph_blocks(tmp_path):
    _, out = _convert(tmp_path, V2)
    assert sorted(p.name for p in out.glob("*.txt")) == ["00_Normans.txt",
                                                         "01_Steam_engine_Watt.txt"]
    assert (out / "00_Normans.txt").read_text(encoding="utf-8") == (
        "Normans\n\n"
        "The Normans were the people who gave their name to Normandy, in France.\n\n"
        "Rollo agreed to swear fealty to King Charles III.\n")
    assert _blocks(out / "01_Steam_engine_Watt.txt") == [
        "Steam engine / Watt?", "James Watt improved the steam engine in 1781."]


def test_answers_occur_in_the_numbered_paragraph(tmp_path):
    questions, out = _convert(tmp_path, V2)
    answerable = [q for q in questions if q.answerable]
    assert [q.id for q in answerable] == ["n1", "n3", "s1"]
    for q in answerable:
        block = _blocks(out / q.file)[q.paragraph - 1]
        assert any(answer in block for answer in q.answers), q


def test_question_fields(tmp_path):
    questions, _ = _convert(tmp_path, V2)
    assert questions[0] == SquadQuestion("n1", "In what country is Normandy?", ("France",),
                                         True, "00_Normans.txt", 2)
    impossible = questions[1]
    assert (impossible.answerable, impossible.answers, impossible.paragraph) == (False, (), 2)
    assert (questions[2].paragraph, questions[3].file) == (3, "01_Steam_engine_Watt.txt")


def test_v11_input_is_answerable_exactly_when_it_has_answers(tmp_path):
    questions, out = _convert(tmp_path, V11)
    assert [(q.id, q.answerable) for q in questions] == [("t1", True), ("t2", False)]
    assert _blocks(out / "00_Tiny.txt")[questions[0].paragraph - 1] == "Tiny is a small article."


def test_questions_round_trip_through_jsonl(tmp_path):
    questions, out = _convert(tmp_path, V2)
    lines = (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["id"] == "n1"
    assert load_questions(out) == questions


def test_conversion_is_deterministic(tmp_path):
    _, out = _convert(tmp_path, V2)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    _, out = _convert(tmp_path, V2)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_reconverting_a_different_file_leaves_no_stale_articles(tmp_path):
    _, out = _convert(tmp_path, V2)
    questions, out = _convert(tmp_path, V11, name="other.json")
    assert sorted(p.name for p in out.glob("*.txt")) == ["00_Tiny.txt"]
    assert load_questions(out) == questions


def test_refuses_a_foreign_non_empty_folder(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        _convert(tmp_path, V2)
    assert (tmp_path / "docs" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_slugify_keeps_names_filesystem_safe():
    assert slugify("1973_oil_crisis") == "1973_oil_crisis"
    assert slugify("a/b\\c:d*e") == "a_b_c_d_e"
    assert slugify("../..") == "untitled"
    assert slugify("") == "untitled"


def test_sample_is_deterministic_ordered_and_bounded():
    items = list(range(100))
    sample = sample_questions(items, 10, seed=3)
    assert sample == sample_questions(items, 10, seed=3)
    assert sample == sorted(sample) and len(set(sample)) == 10
    assert sample != sample_questions(items, 10, seed=4)
    assert sample_questions(items, 500, seed=3) == items
    assert sample_questions(items, 0, seed=3) == []
    with pytest.raises(ValueError):
        sample_questions(items, -1, seed=3)
