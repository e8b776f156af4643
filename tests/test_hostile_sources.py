"""Hostile input catalogue, part three: web pages and PDFs that can't be read, or only in part.

Each bad file gets one line in the build report -- skipped with its reason, or
indexed with a warning -- and the rest of the folder still indexes; nothing
hangs or leaves a traceback. (Questions and index files: tests/test_hostile.py;
the ``qa`` command: tests/test_hostile_cli.py.)
"""

from __future__ import annotations

import pytest

import qa.index.build
from qa.cli import run
from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import build_index_folder, open_assistant
from tests.source_fixtures import encrypted_pdf, news_page, plain_pdf, scanned_pdf, two_column_pdf

CFG = Config(model="fake")
BOILERPLATE = ("<html><head><title>Home | The Ledger</title></head><body><div class='cookie-banner'>We use cookies."
               "<button>Accept all</button></div><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
               "<footer><a href='/privacy'>Privacy</a> © 2024 The Ledger</footer></body></html>")
GOOD_PDF = two_column_pdf([[["The committee approved the budget on Friday", "after a long debate."], []]])
SKIPPED = {  # file -> (bytes, what its one-line reason says)
    "all-boilerplate.html": (BOILERPLATE.encode(), "no article text found"),
    "empty.htm": (b"  \n", "empty file"),
    "scanned.pdf": (scanned_pdf(), "no text layer (a scanned PDF?)"),
    "locked.pdf": (encrypted_pdf(), "encrypted PDF (it needs a password)"),
    "truncated.pdf": (GOOD_PDF[: len(GOOD_PDF) // 3], "not a readable PDF"),
    "not-a-pdf.pdf": (b"<html><body>I am a web page</body></html>", "not a readable PDF"),
    "headers-only.pdf": (two_column_pdf([[[], []], [[], []]]), "only page furniture"),
}
LATIN_1 = news_page("Café society", [("p", "The café’s owner said the “crème brûlée” sold out by noon, every day.")],
                    charset="windows-1252")
JAPANESE = news_page("防衛", [("p", "防衛省は二〇二七年までに無人機を十二機購入すると発表した。関係者によると、費用は約四百億円に上る。")],
                     charset="shift_jis")
WARNED = {  # file -> (bytes, what its warning says)
    "latin1.html": (LATIN_1.encode("cp1252"), "read as windows-1252, the encoding the page declares"),
    "japanese.html": (JAPANESE.encode("shift_jis", "xmlcharrefreplace"), "read as shift_jis, the encoding the page declares"),
    "long.pdf": (plain_pdf([[f"Section {n}: the spending line for this item was approved."] for n in range(1, 501)]),
                 "only the first 300 of 500 pages read"),
}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    docs = tmp_path_factory.mktemp("hostile-sources")
    for name, (data, _) in {**SKIPPED, **WARNED}.items():
        (docs / name).write_bytes(data)
    (docs / "good.pdf").write_bytes(GOOD_PDF)
    (docs / "notes.txt").write_text("Notes\n\nThe ministry will publish its next review in 2025.\n", encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def built(bad_folder, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("hostile-sources-index")
    return index_dir, build_index_folder(bad_folder, index_dir, CFG, embedder=FakeEmbedder())


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_an_unreadable_source_is_skipped_with_a_one_line_reason(built, name):
    reasons = {s.name: s.reason for s in built[1].skipped}
    assert SKIPPED[name][1] in reasons[name] and "\n" not in reasons[name] and "Traceback" not in reasons[name]


@pytest.mark.parametrize("name", sorted(WARNED))
def test_a_source_read_in_part_or_another_encoding_is_indexed_with_a_one_line_warning(built, name):
    index_dir, report = built
    assert [w for w in report.warnings if w.startswith(f"{name}: ") and WARNED[name][1] in w and "\n" not in w]
    assert name not in {s.name for s in report.skipped}


def test_the_rest_of_the_folder_still_indexes_and_text_in_other_encodings_reads_right(built):
    index_dir, report = built
    assert report.documents == len(WARNED) + 2 and len(report.skipped) == len(SKIPPED)
    index = open_assistant(index_dir, CFG, embedder=FakeEmbedder()).index
    assert "“crème brûlée”" in index.doc_by_name("latin1.html").text
    assert "無人機を十二機購入" in index.doc_by_name("japanese.html").text
    long = index.doc_by_name("long.pdf")
    assert "Section 300:" in long.text and "Section 301:" not in long.text and long.page_at(len(long.text) - 1) == 300
    assert "The committee approved the budget on Friday after a long debate." in index.doc_by_name("good.pdf").text


def test_qa_index_reports_each_bad_file_on_one_line(bad_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(qa.index.build, "load_embedder", lambda *a, **k: FakeEmbedder())
    code = run(["index", "--docs", str(bad_folder), "--index", str(tmp_path / "index"), "--model", "fake"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    for name, (_, reason) in SKIPPED.items():
        assert len([line for line in err.splitlines() if line.startswith(f"skipped {name}: ") and reason in line]) == 1
    for name, (_, warning) in WARNED.items():
        assert len([line for line in err.splitlines() if line.startswith(f"warning: {name}: ") and warning in line]) == 1
    assert f"indexed {len(WARNED) + 2} documents" in out


def test_a_pdf_whose_name_is_as_long_as_a_file_name_may_be_is_indexed_and_its_text_kept(tmp_path):
    from qa.index.store import current_generation

    docs = tmp_path / "docs"
    docs.mkdir()
    name = "r" * 251 + ".pdf"  # 255 bytes: "NAME.txt" would be too long a file name
    (docs / name).write_bytes(GOOD_PDF)
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    texts = list((current_generation(tmp_path / "index") / "texts").iterdir())
    assert len(texts) == 1 and "The committee approved the budget" in texts[0].read_text(encoding="utf-8")
