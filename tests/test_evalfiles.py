"""Bad evaluation input files give one clear message naming the file and place, never a traceback."""

from __future__ import annotations

import json

import pytest

from qa.cli import run
from qa.evaluation.cases import load_cases, load_quote_cases
from qa.evaluation.files import EvalFileError, read_json, squad_articles
from qa.evaluation.squad import convert_squad

GOOD_QUESTION = {"id": "q1", "question": "How heavy is the tank?", "answerable": False}
GOOD_SQUAD = {"data": [{"title": "T", "paragraphs": [{"context": "Zed made it in 1999.", "qas": [
    {"id": "z", "question": "Who made it?", "answers": [{"text": "Zed", "answer_start": 0}]}]}]}]}


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ('{"id": "q1", "question": "Who?", "answerable": false}\n{"id": \n', r"line 2: not valid JSON \(.* column"),
    ('{"id": "q1", "answerable": false}\n', 'line 1: "question" is missing'),
    ('{"id": "q1", "question": "Who?", "answerable": "yes"}\n', 'line 1: "answerable" should be bool, not str'),
    ('["q1", "Who?"]\n', "line 1: expected a JSON object, found list"),
    ('\n\n{"id": "q1", "question": "   ", "answerable": false}\n', "line 3: the question is empty"),
    ('{"id": "q1", "question": "Who?", "answerable": true, "file": "t.txt"}\n', 'line 1: "evidence" is missing'),
    ('{"id": "q1", "question": "Who?", "answerable": true, "file": "x.txt", "evidence": "a"}\n',
     r"line 1: 'x.txt' is not one of the documents read \(t.txt\)"),
])
def test_a_bad_evaluation_question_line_is_named(tmp_path, text, message):
    path = _write(tmp_path, "q.jsonl", text)
    with pytest.raises(EvalFileError, match=message):
        load_cases(path, {"t.txt": object()}, 1000)


def test_quote_cases_need_a_quote_and_an_expected_verdict(tmp_path):
    good = {"quote": "It was so.", "expected_verdict": "verbatim"}
    path = _write(tmp_path, "quotes.jsonl", json.dumps(good) + "\n" + json.dumps({"quote": "x"}) + "\n")
    with pytest.raises(EvalFileError, match='line 2: "expected_verdict" is missing'):
        load_quote_cases(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert load_quote_cases(path) == [dict(good, _line=1)]


def test_a_file_that_is_not_utf8_or_not_an_object_is_refused(tmp_path):
    latin = tmp_path / "config.json"
    latin.write_bytes('{"name": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(EvalFileError, match="not UTF-8 text"):
        read_json(latin, "eval config")
    with pytest.raises(EvalFileError, match="expected a JSON object at the top, found list"):
        read_json(_write(tmp_path, "list.json", "[1, 2]"), "eval config")
    with pytest.raises(EvalFileError, match="is a folder"):
        read_json(tmp_path, "eval config")


@pytest.mark.parametrize("data, message", [
    ({"version": "v2.0"}, 'no "data" list of articles'),
    ({"data": []}, "no questions to ask"),
    ({"data": [{"title": "T"}]}, 'article 0: "paragraphs" is missing'),
    ({"data": [{"paragraphs": [{"context": 5, "qas": []}]}]}, 'article 0, paragraph 0: "context" should be str, not int'),
    ({"data": [{"paragraphs": [{"context": "c", "qas": [{"id": "x"}]}]}]}, 'question 0: "question" is missing'),
    ({"data": [{"paragraphs": [{"context": "c", "qas": [{"question": "q", "answers": "Zed"}]}]}]}, '"answers" should be a list'),
    ({"data": [{"paragraphs": [{"context": "c", "qas": [{"question": "q", "answers": [{"start": 1}]}]}]}]}, 'answer 0: "text" is missing'),
])
def test_a_file_that_is_not_squad_shaped_is_named_where(tmp_path, data, message):
    with pytest.raises(EvalFileError, match=message):
        squad_articles(_write(tmp_path, "s.json", json.dumps(data)))


def test_squad_v1_and_v2_files_and_null_answers_are_accepted(tmp_path):
    v2 = json.loads(json.dumps(GOOD_SQUAD))
    v2["data"][0]["paragraphs"][0]["qas"].append({"id": "u", "question": "When?", "answers": None, "is_impossible": True})
    assert len(squad_articles(_write(tmp_path, "v2.json", json.dumps(v2)))) == 1
    assert [q.answerable for q in convert_squad(tmp_path / "v2.json", tmp_path / "out")] == [True, False]


def test_a_bad_squad_file_leaves_the_previous_conversion_alone(tmp_path):
    out = tmp_path / "out"
    convert_squad(_write(tmp_path, "good.json", json.dumps(GOOD_SQUAD)), out)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(EvalFileError):
        convert_squad(_write(tmp_path, "bad.json", "{not json"), out)
    assert sorted(p.name for p in out.iterdir()) == before


@pytest.mark.parametrize("config, args, message", [
    ({"thresholds": [0.9]}, [], '"thresholds" (top level) should be an object, not list'),
    ({"squad": "fast"}, ["--squad", "{dir}/bad.json"], "squad should be an object, not str"),
    ({"squad": {"targets": 1}}, ["--squad", "{dir}/bad.json"], '"targets" (squad) should be an object, not int'),
])
def test_qa_eval_checks_the_shape_of_its_config(tmp_path, capsys, config, args, message):
    _write(tmp_path, "config.json", json.dumps(config))
    argv = ["eval", "--config", str(tmp_path / "config.json"), "--work", str(tmp_path / "runs"), "--out", str(tmp_path / "out")]
    assert run(argv + [a.format(dir=tmp_path) for a in args]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "runs").exists()


@pytest.mark.parametrize("args, message", [
    (["--squad", "{dir}/bad.json"], "qa eval: SQuAD file {dir}/bad.json: not valid JSON"),
    (["--config", "{dir}/bad.json"], "qa eval: eval config {dir}/bad.json: not valid JSON"),
    (["--questions", "{dir}/q.jsonl", "--model", "no-such-model"], 'qa eval: evaluation questions {dir}/q.jsonl, line 2: "answerable" is missing'),
])
def test_qa_eval_reports_a_bad_input_file_in_one_line_with_exit_2(tmp_path, capsys, args, message):
    _write(tmp_path, "bad.json", '{"data": [')
    _write(tmp_path, "q.jsonl", json.dumps(GOOD_QUESTION) + "\n" + json.dumps({"id": "q2", "question": "Who?"}) + "\n")
    argv = ["eval", "--work", str(tmp_path / "runs"), "--out", str(tmp_path / "report")]
    assert run(argv + [a.format(dir=tmp_path) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message.format(dir=tmp_path)) and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "report").exists()


def test_a_question_may_list_every_acceptable_passage_across_files(tmp_path):
    from qa.ingest.documents import parse_document

    docs = {"a.txt": parse_document("a.txt", "Intro.\n\nThe tank weighs 50 tonnes."),
            "b.txt": parse_document("b.txt", "Tanks: the Type 90 weighs 50 tonnes, said Sato.")}
    row = {"id": "n1", "question": "how heavy is the tank", "answerable": True, "shape": "typed",
           "evidence": [{"file": "a.txt", "text": "The tank weighs 50 tonnes."}, {"file": "b.txt", "text": "weighs 50 tonnes"}]}
    [case] = load_cases(_write(tmp_path, "n.jsonl", json.dumps(row) + "\n"), docs, 1000)
    assert case.kind == "typed" and [(g.file, g.start) for g in case.gold] == [("a.txt", 8), ("b.txt", 19)]
    assert case.paragraphs == (("a.txt", 2), ("b.txt", 1))


@pytest.mark.parametrize("evidence, message", [
    ([], "answerable question n1 lists no evidence"),
    ([{"file": "a.txt"}], '"text" is missing'),
    ([{"file": "a.txt", "text": "not in it"}], "the evidence of n1 does not occur in a.txt"),
    (["a.txt"], '"file" is missing'),
])
def test_a_bad_evidence_list_is_named(tmp_path, evidence, message):
    from qa.ingest.documents import parse_document

    row = {"id": "n1", "question": "how heavy?", "answerable": True, "evidence": evidence}
    with pytest.raises(EvalFileError, match=message):
        load_cases(_write(tmp_path, "n.jsonl", json.dumps(row) + "\n"), {"a.txt": parse_document("a.txt", "Tanks.")}, 1000)
