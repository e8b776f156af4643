"""Saved web pages and PDFs: read into a text of record, cited by page, extracted once (fake embedder)."""

from __future__ import annotations

import json
import re

import pytest

from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.index.store import current_generation, load_index
from qa.ingest.documents import load_folder
from qa.ingest.html import read_html
from qa.ingest.pdf import read_pdf
from qa.ingest.worker import Extractor
from qa.pipeline import build_index_folder, index_status, open_assistant
from qa.quotes.verify import format_verification, verify_quote
from tests.source_fixtures import NAV, RELATED, news_page, two_column_pdf

CFG = Config(model="fake")
ARTICLE = [("p", "TOKYO — Japan's defence ministry said on Tuesday it would buy twelve surveillance drones by 2027."),
           ("p", "The purchase, worth about 40 billion yen, is part of a five-year build-up of the armed forces."),
           ("h2", "Why drones"),
           ("p", "Officials said unmanned aircraft cost less to run than the patrol planes they replace."),
           ("li", "Twelve drones delivered from 2026 onwards."),
           ("li", "A maintenance base built in Aomori prefecture.")]
FURNITURE = ["cookies", "Accept all", "Share on", "Related articles", "newsletter", "Privacy policy", "Subscribe",
             *NAV[1:], *RELATED]
# The report: page 1 two columns, page 2 with the sentence that crosses a line break and a hyphenated word.
PAGE_1 = [["The ministry published its annual review", "of the armed forces on Monday morning.", "",
           "Spending rose for the third year in a row,", "the review said."],
          ["Analysts expect the rise to continue", "while tensions in the region remain high."]]
PAGE_2 = [["Auditors found that the procure-", "ment of ammunition had been delayed by", "supply shortages abroad.", "",
           "The well-known problem of spare parts", "was raised again."],
          ["A second audit is planned for the", "spring of next year."]]
HYPHENATED = "Auditors found that the procurement of ammunition had been delayed by supply shortages abroad."


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    docs = tmp_path_factory.mktemp("sources")
    (docs / "drones.html").write_text(news_page("Japan to buy twelve drones", ARTICLE, "The Daily Ledger", "2024-03-05"),
                                      encoding="utf-8")
    (docs / "report.pdf").write_bytes(two_column_pdf([PAGE_1, PAGE_2]))
    (docs / "notes.txt").write_text("Notes\n\nThe ministry will publish its next review in 2025.\n", encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def built(folder, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("sources-index")
    report = build_index_folder(folder, index_dir, CFG, embedder=FakeEmbedder())
    return index_dir, report, open_assistant(index_dir, CFG, embedder=FakeEmbedder())


def test_a_news_page_gives_its_article_one_block_per_paragraph_and_no_page_furniture():
    text, meta, warnings = read_html(news_page("Japan to buy twelve drones", ARTICLE).encode())
    blocks = text.split("\n\n")
    assert [t for _, t in ARTICLE] == [b for b in blocks if b != "Japan to buy twelve drones"]
    assert not [f for f in FURNITURE if f.lower() in text.lower()]
    assert meta == {"title": "Japan to buy twelve drones", "publisher": "The Daily Ledger", "date": "2024-03-05"}
    assert warnings == []


def test_a_two_column_pdf_reads_column_by_column_without_its_header_footer_or_hyphens():
    text, pages, meta, warnings = read_pdf(two_column_pdf([PAGE_1, PAGE_2]))
    assert "Annual Defence Review 2024" not in text and "Page 1 of 2" not in text and "Page" not in text
    assert text.split("\n\n") == [
        "The ministry published its annual review of the armed forces on Monday morning.",
        "Spending rose for the third year in a row, the review said.",
        "Analysts expect the rise to continue while tensions in the region remain high.",
        HYPHENATED, "The well-known problem of spare parts was raised again.",
        "A second audit is planned for the spring of next year."]
    assert [n for n, _ in pages] == [1, 2] and text[pages[1][1]:].startswith("Auditors")
    assert meta["title"] == "Annual Defence Review" and meta["publisher"] == "Ministry of Examples"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", meta["date"]) and warnings == []


def test_pages_metadata_is_the_documents_source_and_sources_json_wins(folder, tmp_path):
    docs = {d.name: d for d in load_folder(folder).docs}
    assert docs["drones.html"].source.as_json() == {"title": "Japan to buy twelve drones",
                                                    "publisher": "The Daily Ledger", "date": "2024-03-05"}
    for name in ("drones.html", "report.pdf", "notes.txt"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    (tmp_path / "sources.json").write_text(json.dumps({"report.pdf": {"publisher": "Audit Office", "date": "2024-06"}}))
    stated = {d.name: d.source for d in load_folder(tmp_path).docs}["report.pdf"]
    assert (stated.title, stated.publisher, stated.date) == ("Annual Defence Review", "Audit Office", "2024-06")


def test_the_text_of_record_is_stored_beside_the_index_checksummed_and_quotes_are_cut_from_it(built):
    index_dir, report, assistant = built
    gen = current_generation(index_dir)
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    for doc in assistant.index.docs:
        stored = gen / "texts" / f"{doc.name}.txt"
        assert stored.is_file() == (doc.origin is not None)
        if doc.origin is not None:
            assert stored.read_text(encoding="utf-8") == doc.text and f"texts/{doc.name}.txt" in manifest["files"]
    answer = assistant.ask("What did the auditors find about ammunition?", top_k=5)
    for p in answer.passages:
        doc = assistant.index.doc_by_name(p.file)
        assert doc.text[p.start:p.end] == p.quote
        assert p.file == "notes.txt" or (gen / "texts" / f"{p.file}.txt").read_text(encoding="utf-8")[p.start:p.end] == p.quote


def test_an_answer_from_a_pdf_names_its_page_in_the_json_and_the_citation(built):
    _, _, assistant = built
    from qa.cli import format_answer

    answer = assistant.ask("Why was the procurement of ammunition delayed?", top_k=5)
    rows = {p["quote"]: p for p in answer.as_json()["passages"]}
    assert rows[HYPHENATED]["page"] == 2 and rows[HYPHENATED]["file"] == "report.pdf"
    assert all("page" not in p for p in rows.values() if p["file"] != "report.pdf")
    number = rows[HYPHENATED]["paragraph"]
    assert f"[report.pdf p.2 ¶{number}]" in format_answer(answer)


def test_quote_verification_finds_a_pdf_sentence_across_a_line_break_and_a_hyphen_and_cites_its_page(built):
    _, _, assistant = built
    v = verify_quote(assistant.index, "the procurement of ammunition had been delayed by supply shortages abroad")
    assert v.verdict == "verbatim" and v.matches[0].file == "report.pdf" and v.matches[0].page == 2
    assert v.as_json()["matches"][0]["page"] == 2
    assert f"[report.pdf p.2 ¶{v.matches[0].paragraph}]" in format_verification(v)
    first_page = verify_quote(assistant.index, "of the armed forces on Monday morning")
    assert first_page.matches[0].page == 1
    html = verify_quote(assistant.index, "unmanned aircraft cost less to run than the patrol planes")
    assert html.verdict == "verbatim" and "page" not in html.as_json()["matches"][0]


def test_an_unchanged_source_is_not_extracted_again_and_a_changed_one_is(folder, tmp_path, monkeypatch):
    import qa.ingest.files as files

    calls = []

    class Counting(Extractor):
        def __call__(self, kind, data):
            calls.append(kind)
            return super().__call__(kind, data)

    monkeypatch.setattr(files, "Extractor", Counting)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("drones.html", "report.pdf"):
        (docs / name).write_bytes((folder / name).read_bytes())
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    assert sorted(calls) == ["html", "pdf", "pdf"]
    assert index_status(docs, tmp_path / "index", CFG) is None and len(calls) == 3  # the broken one is remembered too
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    assert len(calls) == 3
    (docs / "report.pdf").write_bytes(two_column_pdf([PAGE_2, PAGE_1]))
    assert "report.pdf changed" in index_status(docs, tmp_path / "index", CFG)
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    assert len(calls) == 5  # once by the staleness check, once by the build: only the changed file
    report = load_index(tmp_path / "index", CFG).doc_by_name("report.pdf")
    assert report.text.startswith("Auditors") and report.page_at(0) == 1


def test_an_extraction_that_takes_too_long_is_stopped_and_the_next_file_still_reads():
    endless = ("<html><body><article>" + "<p>The ministry bought drones in 2027, it said again.</p>" * 150_000
               + "</article></body></html>").encode()
    with Extractor(seconds=1.5) as extract:
        with pytest.raises(ValueError, match=r"took longer than 1.5 s to read"):
            extract("html", endless)
        small = b"<html><body><article><p>The ministry bought twelve drones in 2027, it said.</p></article></body></html>"
        assert extract("html", small).text == "The ministry bought twelve drones in 2027, it said."


def test_the_sources_tab_shows_the_text_of_record_with_its_pages(built):
    from qa.web.render import render_document

    _, _, assistant = built
    shown = render_document(assistant.index.doc_by_name("report.pdf"))
    assert shown.index(">Page 1<") < shown.index("annual review") < shown.index(">Page 2<") < shown.index("Auditors")
    assert "The text read from this PDF" in shown and "Annual Defence Review 2024" not in shown.split("</header>")[1]
    assert "The text read from this saved web page" in render_document(assistant.index.doc_by_name("drones.html"))
    assert "qa-page" not in render_document(assistant.index.doc_by_name("notes.txt"))


def test_a_paragraph_that_runs_on_to_the_next_page_is_one_paragraph_even_across_a_hyphen():
    text, pages, _, _ = read_pdf(two_column_pdf([[["The board met twice and approved the procure-"], []],
                                                 [["ment of four ships, it said."], []]]))
    assert text == "The board met twice and approved the procurement of four ships, it said."
    assert pages == ((1, 0), (2, text.index("ment of four")))


def test_paragraphs_set_with_indented_first_lines_and_no_space_between_are_told_apart():
    from tests.source_fixtures import plain_pdf

    text, _, _, _ = read_pdf(plain_pdf([["\tThe minister spoke first. She said the budget", "would rise.",
                                         "\tThe opposition replied that the rise was", "too small, and the",
                                         "committee agreed."]]))
    assert text.split("\n\n") == ["The minister spoke first. She said the budget would rise.",
                                  "The opposition replied that the rise was too small, and the committee agreed."]
