"""Composing answers: verbatim spans, attribution kept, duplicates merged, honest abstention."""

from __future__ import annotations

import pytest

from qa.answer.passages import extend_rows
from qa.config import Config
from qa.pipeline import build_index_folder, open_assistant
from qa.answer.question import BadQuestion, answer_type, check_question


@pytest.mark.parametrize("texts, pos, expected", [
    (["Rahm Emanuel spoke.", "“We need ships,” he said.", "Other news."], 1, (0, 1)),
    (["“It is bad.", "It is late,” said Sato.", "Other news."], 0, (0, 1)),
    (["Plain fact one.", "Plain fact two."], 1, (1, 1)),
    (["“He said nothing,” Sato added."], 0, (0, 0)),
])
def test_passages_extend_to_the_sentence_that_carries_attribution(texts, pos, expected):
    assert extend_rows(pos, texts) == expected


@pytest.mark.parametrize("question, kind", [
    ("How much does the tank cost?", "number"), ("How many drones?", "number"),
    ("In what year did it start?", "date"), ("Who leads the agency?", "person"), ("Why did it fail?", None),
])
def test_answer_type_is_read_from_the_wording(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("   \t\n", "empty"), ("\u200b\u200e\u202e", "empty"), ("?!?", "no words"),
    ("x" * 3000, "too long"), (123, "must be text"), ("a" * 300, "over 200 characters"),
])
def test_bad_questions_get_a_clear_message(question, message):
    with pytest.raises(BadQuestion, match=message):
        check_question(question, 2000)


def test_invisible_characters_are_dropped_from_a_good_question():
    assert check_question("Who\u200b leads\u202e the agency?", 2000) == "Who leads the agency?"


@pytest.fixture()
def small_assistant(tmp_path, fake_embedder, fake_cfg):
    docs = tmp_path / "docs"
    docs.mkdir()
    repeated = "The theme of the meeting was joint production of missiles and ships."
    (docs / "a.txt").write_text(
        f"Talks\n\n{repeated} Officials met in Tokyo.\n\nRahm Emanuel spoke to reporters. "
        "“Japan has great capacity for shipbuilding,” he said.\n\n" + repeated, encoding="utf-8")
    (docs / "b.txt").write_text("Drones\n\nThe ministry plans to buy drones in 2027.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    return open_assistant(tmp_path / "index", fake_cfg, embedder=fake_embedder)


def test_every_passage_is_an_exact_span(small_assistant):
    for q in ["theme of the meeting", "shipbuilding capacity", "drones 2027", "missiles"]:
        for p in small_assistant.ask(q, top_k=5).passages:
            assert small_assistant.index.doc_by_name(p.file).text[p.start:p.end] == p.quote


def test_repeated_paragraphs_are_shown_once(small_assistant):
    quotes = [p.quote for p in small_assistant.ask("What was the theme of the meeting?", top_k=5).passages]
    assert sum("The theme of the meeting" in q for q in quotes) == 1


def test_a_he_said_quote_comes_with_the_sentence_naming_him(small_assistant):
    answer = small_assistant.ask("What did he say about capacity for shipbuilding?")
    assert answer.passages[0].quote.startswith("Rahm Emanuel spoke to reporters.")


def test_top_k_bounds_are_enforced(small_assistant):
    with pytest.raises(BadQuestion, match="top-k"):
        small_assistant.ask("drones", top_k=0)
    with pytest.raises(BadQuestion, match="top-k"):
        small_assistant.ask("drones", top_k=-3)
    assert len(small_assistant.ask("drones", top_k=50).passages) <= 50


def test_json_contract_keys_and_types(small_assistant):
    out = small_assistant.ask("When will the ministry buy drones?").as_json()
    assert set(out) >= {"question", "answered", "confidence", "passages"}
    assert isinstance(out["answered"], bool) and out["confidence"] in ("high", "medium", "low")
    p = out["passages"][0]
    assert {"file", "paragraph", "start", "end", "quote", "score"} <= set(p)
    assert isinstance(p["paragraph"], int) and isinstance(p["score"], float)


@pytest.fixture()
def radar_index(tmp_path, fake_embedder, fake_cfg):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Exports\n\nJapan has sold just one radar to the Philippines. It first gave away five used aircraft. "
        + "The rest of this paragraph is a very long sentence " + "with many more words " * 12 + "at the end.\n\n"
        "Other news about ships and yards.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", fake_cfg, embedder=fake_embedder)
    return open_assistant(tmp_path / "index", fake_cfg, embedder=fake_embedder)


def _scored(rows_scores):
    import numpy as np

    from qa.answer.retrieval import FEATURES, Scored

    ids, fused = zip(*rows_scores)
    return Scored(np.array(ids), np.array(fused, dtype=np.float32), np.zeros((len(ids), len(FEATURES)), dtype=np.float32))


def test_a_well_ranked_sentence_next_to_the_top_passage_joins_it(radar_index):
    from qa.answer.passages import select_passages

    index, cal = radar_index.index, radar_index.calibration
    radar, gave, other = 0, 1, 3  # rows: two short sentences, the long one (2), another paragraph (3)
    assert index.sentences[gave].text == "It first gave away five used aircraft."
    # "gave" alone would take its neighbour in and so overlap the first passage: it joins it instead.
    passages = select_passages(index, _scored([(radar, 1.0), (gave, 0.9), (other, 0.4)]), 3, cal)
    assert passages[0].quote == "Japan has sold just one radar to the Philippines. It first gave away five used aircraft."
    assert [p.quote for p in passages[1:]] == ["Other news about ships and yards."]
    assert passages[0].score == 1.0  # the passage keeps its rank and score


def test_a_weak_neighbour_neither_joins_nor_stands_alone(radar_index):
    from qa.answer.passages import JOIN_MAX_WORDS, select_passages

    index, cal = radar_index.index, radar_index.calibration
    long_sentence = index.sentences[2].text
    assert len(long_sentence.split()) + len(index.sentences[1].text.split()) > JOIN_MAX_WORDS
    weak = select_passages(index, _scored([(2, 1.0), (1, 0.3), (3, 0.2)]), 3, cal)
    assert [p.quote for p in weak] == [long_sentence, "Other news about ships and yards."]


def test_a_well_ranked_sentence_too_long_to_join_is_quoted_on_its_own(radar_index):
    from qa.answer.passages import select_passages

    index, cal = radar_index.index, radar_index.calibration
    long_sentence, gave = index.sentences[2].text, index.sentences[1].text
    # "gave" (short) would take in its best neighbour, the long sentence already chosen: joining
    # would pass the word limit, so it stands alone instead of being dropped.
    passages = select_passages(index, _scored([(2, 1.0), (1, 0.6), (3, 0.2)]), 3, cal)
    assert [p.quote for p in passages] == [long_sentence, gave, "Other news about ships and yards."]
    assert passages[1].score == 0.6
