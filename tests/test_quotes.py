"""Quote verification: verdicts, spans, diffs, meaning-change flags, and `qa verify`.

Small synthetic documents, the fake embedder (verification never uses it).
"""

from __future__ import annotations

import io
import json

import pytest

from qa.cli import run
from qa.config import Config
from qa.ingest.documents import parse_document
from qa.index.fake import FakeEmbedder
from qa.index.hybrid import build_index
from qa.pipeline import build_index_folder
from qa.quotes.verify import BadQuote, check_quote, format_verification, verify_quote

SAMPLE = (
    "Japan Arms Makers Struggle\n\n"
    "\u201cSupply chains cannot be reconstructed in just one to two years,\u201d said Yu\u00a0Yamada, a senior manager.\n\n"
    "Japan is the world\u2019s 12th largest arms importer, with a 2.2%\u00a0global share. Most purchases are from "
    "the United States.\n\n"
    "The Patriot is built under license by Mitsubishi Heavy Industries. Exports began in 2024.\n\n"
    "Komatsu stopped making armored vehicles after upgrades failed to meet the requirements.\n\n"
    "The hefty tanks debuted 30 years ago and are being replaced with lighter vehicles."
)


def index_of(texts: dict[str, str], **settings):
    docs = [parse_document(name, text) for name, text in texts.items()]
    return build_index(docs, FakeEmbedder(), Config(**settings))[0]


@pytest.fixture(scope="module")
def index():
    return index_of({"a.txt": SAMPLE})


def test_verbatim_despite_curly_quotes_apostrophes_nbsp_and_case_in_the_source(index):
    v = verify_quote(index, "\"SUPPLY chains cannot be reconstructed in just one to two years,\" said Yu Yamada")
    assert v.verdict == "verbatim"
    m = v.matches[0]
    assert (m.file, m.paragraph, m.similarity) == ("a.txt", 2, 1.0)
    assert SAMPLE[m.start:m.end] == m.source_text and "\u00a0" in m.source_text and "\u201d" in m.source_text
    v = verify_quote(index, "Japan is the world's 12th largest arms importer, with a 2.2% global share.")
    assert v.verdict == "verbatim" and "\u2019" in v.matches[0].source_text


def test_a_quote_running_across_a_paragraph_break_is_found_whole(index):
    v = verify_quote(index, "Most purchases are from the United States. The Patriot is built under license")
    assert v.verdict == "verbatim"
    m = v.matches[0]
    assert m.paragraph == 3 and "\n\n" in m.source_text and SAMPLE[m.start:m.end] == m.source_text


def test_a_quote_running_across_a_chunk_boundary_is_found_whole():
    sentences = [f"Sentence number {i} talks about tanks and drones at some length." for i in range(12)]
    index = index_of({"long.txt": " ".join(sentences)}, chunk_size=150, chunk_overlap=0)
    v = verify_quote(index, " ".join(sentences[2:6]))
    m = v.matches[0]
    assert v.verdict == "verbatim"
    assert not any(c.start <= m.start and m.end <= c.end for c in index.chunks)  # no single chunk holds it


@pytest.mark.parametrize("marker", ["...", "\u2026", "[...]"])
def test_elided_pieces_found_in_order_are_verbatim_with_elision(index, marker):
    v = verify_quote(index, f"Supply chains cannot be reconstructed {marker} said Yu Yamada, a senior manager")
    assert v.verdict == "verbatim_with_elision"
    m = v.matches[0]
    assert m.source_text.startswith("Supply chains") and m.source_text.endswith("a senior manager")
    assert [(d.op, d.quote) for d in m.diff] == [("equal", m.diff[0].source), ("replace", "\u2026"), ("equal", m.diff[2].source)]
    assert "one to two years" in m.diff[1].source


def test_elided_pieces_out_of_order_are_not_verbatim_with_elision(index):
    v = verify_quote(index, "said Yu Yamada, a senior manager ... Supply chains cannot be reconstructed")
    assert v.verdict != "verbatim_with_elision"


def test_an_elision_that_drops_a_negation_is_flagged(index):
    v = verify_quote(index, "Supply chains ... be reconstructed in just one to two years")
    assert v.verdict == "verbatim_with_elision"
    assert [c.kind for c in v.matches[0].meaning_changes] == ["negation"]


def test_negation_flip_is_altered_with_a_word_diff_and_a_negation_flag(index):
    v = verify_quote(index, "Supply chains can be reconstructed in just one to two years")
    assert v.verdict == "altered"
    m = v.matches[0]
    assert [(d.op, d.quote, d.source) for d in m.diff if d.op != "equal"] == [("replace", "can", "cannot")]
    assert [(c.kind, c.quote, c.source) for c in m.meaning_changes] == [("negation", "can", "cannot")]
    assert 0.8 <= m.similarity < 1 and SAMPLE[m.start:m.end] == m.source_text


def test_changed_number_is_altered_and_flagged(index):
    v = verify_quote(index, "Japan is the world's 10th largest arms importer, with a 2.2% global share.")
    assert v.verdict == "altered"
    assert [(c.kind, c.quote, c.source) for c in v.matches[0].meaning_changes] == [("number", "10th", "12th")]


def test_changed_name_is_altered_and_flagged(index):
    v = verify_quote(index, "The Patriot is built under license by Kawasaki Heavy Industries.")
    assert v.verdict == "altered"
    assert [(c.kind, c.quote, c.source) for c in v.matches[0].meaning_changes] == [("name", "Kawasaki", "Mitsubishi")]


def test_added_and_dropped_words_show_as_insert_and_delete(index):
    v = verify_quote(index, "Komatsu suddenly stopped making vehicles after upgrades failed to meet the requirements.")
    ops = {(d.op, d.quote, d.source) for d in v.matches[0].diff if d.op != "equal"}
    assert v.verdict == "altered" and ops == {("insert", "suddenly", ""), ("delete", "", "armored")}


def test_a_changed_word_is_never_verbatim(index):
    assert verify_quote(index, "The hefty tanks debuted 40 years ago and are being replaced").verdict == "altered"


def test_not_found_still_shows_the_closest_passage_verbatim(index):
    v = verify_quote(index, "Japan will become the largest exporter of armored vehicles within a decade")
    assert v.verdict == "not_found" and len(v.matches) == 1
    m = v.matches[0]
    assert SAMPLE[m.start:m.end] == m.source_text and m.similarity < 0.8 and m.meaning_changes == []


@pytest.mark.parametrize("quote, message", [("", "empty"), ("  \u201c \u201d ", "empty"), ("Not first grade.", "too short to verify"),
                                            ("... [...]", "empty")])
def test_empty_and_too_short_quotes_are_refused_with_a_reason(quote, message):
    with pytest.raises(BadQuote, match=message):
        check_quote(quote)


def test_human_rendering_has_verdict_citation_source_inline_diff_and_flags(index):
    text = format_verification(verify_quote(index, "Supply chains can be reconstructed in just one to two years"))
    assert text.startswith("Altered:")
    assert "[a.txt ¶2]" in text and "[-cannot-]{+can+}" in text
    assert "Speaker: Yu Yamada" in text and "Meaning changed (negation)" in text


# --- the command line -------------------------------------------------------


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("verify-cli")
    (root / "docs").mkdir()
    (root / "docs" / "a.txt").write_text(SAMPLE, encoding="utf-8")
    build_index_folder(root / "docs", root / "index", Config(model="fake"), embedder=FakeEmbedder())
    return str(root / "index")


def test_cli_json_has_the_documented_shape(index_dir, capsys):
    assert run(["verify", "Supply chains can be reconstructed in just one to two years", "--json", "--index", index_dir]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"quote", "verdict", "matches", "speaker_check"} and out["verdict"] == "altered"
    match = out["matches"][0]
    assert set(match) == {"file", "paragraph", "start", "end", "source_text", "similarity", "speaker", "diff", "meaning_changes",
                          "source"}
    assert match["source"] == {"title": "Japan Arms Makers Struggle"}  # only the fields the document states
    assert SAMPLE[match["start"]:match["end"]] == match["source_text"]
    assert {"op": "replace", "quote": "can", "source": "cannot"} in match["diff"]
    assert match["meaning_changes"] == [{"kind": "negation", "quote": "can", "source": "cannot"}]


def test_cli_human_output_and_speaker_check(index_dir, capsys):
    assert run(["verify", "Supply chains cannot be reconstructed", "--speaker", "Heigo Sato", "--index", index_dir]) == 3
    out = capsys.readouterr().out
    assert out.startswith("Verbatim:") and "[a.txt ¶2]" in out and "contradicted" in out and "Yu Yamada" in out


def test_cli_batch_writes_one_object_per_line_and_survives_a_bad_line(index_dir, capsys, monkeypatch):
    lines = ["Supply chains cannot be reconstructed in just one to two years", "too short", "",
             "Japan is the world's 10th largest arms importer"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert run(["verify", "--json", "-", "--index", index_dir]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("verdict") for o in out] == ["verbatim", None, None, "altered"]
    assert out[1] == {"quote": "too short", "error": out[1]["error"]} and "too short to verify" in out[1]["error"]
    assert "empty" in out[2]["error"]


def test_cli_too_short_quote_exits_2_with_one_line(index_dir, capsys):
    assert run(["verify", "not first grade", "--index", index_dir]) == 2
    err = capsys.readouterr().err
    assert "too short to verify" in err and err.count("\n") == 1


def test_cli_missing_index_is_a_one_line_error(tmp_path, capsys):
    assert run(["verify", "Supply chains cannot be reconstructed", "--index", str(tmp_path / "none")]) == 1
    assert "no index" in capsys.readouterr().err


def test_a_match_must_start_and_end_on_word_boundaries():
    index = index_of({"a.txt": "Later she said that the plan was a good one for everyone."})
    v = verify_quote(index, "he said that the plan was a good one")
    assert v.verdict == "altered"
    assert [(d.op, d.quote, d.source) for d in v.matches[0].diff if d.op != "equal"] == [("replace", "he", "she")]
