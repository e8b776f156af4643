"""`qa check`: a draft's quotations verified against the seeds (fake embedder: verification embeds nothing)."""

from __future__ import annotations

import json

import pytest

from qa.cli import run
from qa.quotes.check import MAX_DRAFT_CHARS, BadDraft, check_draft
from qa.web.render_check import render_draft_check
from tests.conftest import SEEDS

DRAFT = ("Heigo Sato, an expert on defense issues, does not mince words.\n\n"
         "“The problem is, Japan’s defense products are first grade,” Sato said. “Nobody is interested in buying "
         "second- or third-grade products at higher prices.”\n\n"
         "“China has a major capacity [in shipbuilding],” he said, and Japan would “never sell a submarine abroad.”\n\n"
         "The U.S. and Japan launched a “regular defense industry consultation” of drones as “faithful wingmen.”")
VERBATIM = "Rahm Emanuel said: “The goal here is not more meetings.” Drones will be “faithful wingmen.”"


@pytest.fixture(scope="module")
def seed_index_dir(tmp_path_factory, fake_embedder, fake_cfg):
    from qa.pipeline import build_index_folder

    index_dir = tmp_path_factory.mktemp("check-index")
    build_index_folder(SEEDS, index_dir, fake_cfg, embedder=fake_embedder)
    return index_dir


@pytest.fixture(scope="module")
def index(seed_index_dir):
    from qa.quotes.verify import open_index

    return open_index(seed_index_dir)


def test_every_quotation_gets_its_verdict_speaker_check_and_fragment_mark(index):
    result = check_draft(index, DRAFT)
    rows = [(c.verdict, c.quotation.speaker, c.verification.speaker_check, c.fragment) for c in result.checks]
    assert rows == [("altered", "Heigo Sato", "confirmed", False), ("verbatim", "Heigo Sato", "confirmed", False),
                    ("verbatim", "Heigo Sato", "contradicted", False),  # Emanuel's words
                    ("not_found", "Heigo Sato", "unknown", False), ("verbatim", None, None, False),
                    ("verbatim", None, None, True)]
    assert [f.kind for f in result.checks[0].verification.matches[0].meaning_changes] == ["negation"]
    assert result.summary() == "6 quotations: 4 verbatim, 1 altered, 1 not found; 1 speaker contradicted"


def test_the_json_has_one_object_per_quotation_with_its_span_speaker_verdict_and_matches(index):
    data = check_draft(index, DRAFT).as_json()
    assert data["counts"] == {"verbatim": 4, "altered": 1, "not_found": 1} and data["speakers_contradicted"] == 1
    for q in data["quotations"]:
        assert DRAFT[q["start"]] in "“\"" and DRAFT[q["pieces"][0][0]:q["pieces"][-1][1]] == q["text"]
        assert {"speaker", "cue", "verdict", "matches", "speaker_check", "fragment", "closed"} <= set(q)
    m = data["quotations"][1]["matches"][0]
    text = (SEEDS / m["file"]).read_text(encoding="utf-8")
    assert text[m["start"]:m["end"]] == m["source_text"] and m["speaker"] == "Heigo Sato"


def test_a_draft_too_long_empty_or_without_quotations_says_so(index):
    with pytest.raises(BadDraft, match="too long .*100,000"):
        check_draft(index, "x" * (MAX_DRAFT_CHARS + 1))
    with pytest.raises(BadDraft, match="empty"):
        check_draft(index, " \n ")
    with pytest.raises(BadDraft, match="holds 501 quotations; the limit is 500"):
        check_draft(index, " ".join(f"“word{i}”" for i in range(501)))
    result = check_draft(index, "No quotation here, only the writer's own words.")
    assert result.checks == [] and result.summary().startswith("No quotations found")


@pytest.mark.parametrize("draft, code", [(VERBATIM, 0), (DRAFT, 3), (DRAFT.split("\n\n“China")[0], 1),
                                         ("Plain words only.", 0), ("", 2), ("x" * (MAX_DRAFT_CHARS + 1), 2)])
def test_the_exit_status_is_0_all_verbatim_1_not_3_speaker_contradicted_2_bad_input(seed_index_dir, tmp_path, capsys,
                                                                                     draft, code):
    path = tmp_path / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    assert run(["check", str(path), "--index", str(seed_index_dir)]) == code
    out, err = capsys.readouterr()
    assert ("Traceback" not in err) and (code != 2 or err.startswith("qa check: the draft is"))


def test_the_report_for_people_and_the_json_for_scripts(seed_index_dir, tmp_path, capsys):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    run(["check", str(path), "--index", str(seed_index_dir)])
    out = capsys.readouterr().out
    assert out.startswith("6 quotations: 4 verbatim, 1 altered, 1 not found; 1 speaker contradicted\n\n[1] “The problem is")
    assert "Meaning changed (negation): the quote drops “not”" in out
    assert "SPEAKER CONTRADICTED — the source attributes it to Rahm Emanuel, not Heigo Sato" in out
    assert "[6] “faithful wingmen.”" in out and "VERBATIM, fragment" in out
    run(["check", "--json", str(path), "--index", str(seed_index_dir)])
    data = json.loads(capsys.readouterr().out)
    assert [q["verdict"] for q in data["quotations"]] == ["altered", "verbatim", "verbatim", "not_found", "verbatim", "verbatim"]


def test_the_draft_can_come_from_standard_input(seed_index_dir, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(VERBATIM.encode("utf-8") + b"\xff")))
    assert run(["check", "--json", "--index", str(seed_index_dir)]) == 0  # "-" is the default; a bad byte is U+FFFD
    assert json.loads(capsys.readouterr().out)["summary"] == "2 quotations: 2 verbatim"


def test_a_missing_file_is_one_line_and_exit_2(seed_index_dir, tmp_path, capsys):
    assert run(["check", str(tmp_path / "nope.txt"), "--index", str(seed_index_dir)]) == 2
    assert capsys.readouterr().err.strip() == f"qa check: draft file not found: {tmp_path / 'nope.txt'}"


def test_the_page_marks_each_quotation_in_the_draft_by_its_verdict(index):
    data = check_draft(index, DRAFT + " <script>x</script>").as_json()
    html = render_draft_check(data, DRAFT + " <script>x</script>", index.docs_by_name)
    assert "<script>" not in html and "&lt;script&gt;" in html
    marks = [part.split('"')[0] for part in html.split('data-verdict="')[1:]]
    assert marks == ["altered", "verbatim", "verbatim", "not_found", "verbatim", "verbatim"]
    assert html.count("qa-q-contra") == 2  # the key's sample and the one contradicted quotation
    assert "6 quotations: 4 verbatim, 1 altered, 1 not found; 1 speaker contradicted" in html


def test_a_quotation_too_long_for_qa_verify_is_reported_not_checked_and_the_rest_go_on(index):
    draft = "“" + "word " * 1200 + "” and “faithful wingmen.”"
    result = check_draft(index, draft)
    assert [c.verdict for c in result.checks] == ["error", "verbatim"]
    assert "too long" in result.checks[0].error and result.summary() == "2 quotations: 1 verbatim, 1 not checked"
    assert result.as_json()["quotations"][0]["verdict"] == "error" and not result.all_verified
