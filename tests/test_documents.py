"""Reading documents: paragraphs counted as a reader counts them, offsets exact, bad files reported."""

from __future__ import annotations

import pytest

from qa.ingest.documents import decode, parse_document, read_folder, split_blocks
from tests.conftest import SEEDS


def test_every_block_is_numbered_and_keeps_exact_offsets():
    text = "Title\r\n\r\nFirst para,\r\nsecond line.\r\n\u00a0\r\n  Third.\n"
    doc = parse_document("x.txt", text)
    assert [p.number for p in doc.paragraphs] == [1, 2, 3]
    for p in doc.paragraphs:
        assert text[p.start:p.end] == p.text
    assert doc.paragraphs[1].text == "First para,\r\nsecond line."
    assert doc.paragraphs[2].text == "Third."


def test_a_line_of_non_breaking_spaces_is_blank():
    assert split_blocks("a\n\u00a0\u00a0\nb") == [(0, 1), (5, 6)]


def test_bom_is_dropped_and_offsets_refer_to_the_decoded_text():
    text = decode("\ufeffHello there.\n\nAgain.".encode("utf-8"))
    assert text.startswith("Hello")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\xff\xfe\x00a\x00b", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_unusable_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        decode(data)


def test_a_bad_file_is_reported_and_the_rest_still_load(tmp_path):
    (tmp_path / "good.txt").write_text("The minister spoke on Monday.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "copy.txt").write_text("The minister spoke on Monday.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    docs, skipped = read_folder(tmp_path)
    assert [d.name for d in docs] == ["copy.txt"]
    reasons = {s.name: s.reason for s in skipped}
    assert set(reasons) == {"bad.txt", "empty.md", "good.txt"}
    assert "same content as copy.txt" in reasons["good.txt"]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="documents folder not found"):
        read_folder(tmp_path / "nope")


def test_seed_paragraph_numbers_match_a_manual_count():
    docs, skipped = read_folder(SEEDS)
    assert not skipped and len(docs) == 4
    by_name = {d.name: d for d in docs}
    komatsu = by_name["000_57a4e97e2b8caa9f.txt"].paragraph(26)
    assert komatsu.text.startswith("Komatsu Ltd.")
    raw = (SEEDS / "000_57a4e97e2b8caa9f.txt").read_text(encoding="utf-8")
    blocks = [b for b in raw.split("\n\n") if b.strip()]
    assert blocks[25].strip() == komatsu.text


def test_seed_debris_is_kept_but_not_answerable():
    docs, _ = read_folder(SEEDS)
    kinds = {(d.name[:3], p.number): p.kind for d in docs for p in d.paragraphs}
    assert kinds[("001", 1)] == "debris"      # "top of page"
    assert kinds[("001", 5)] == "debris"      # photo credit
    assert kinds[("001", 26)] == "debris"     # view counter
    assert kinds[("002", 9)] == "debris"      # ADVERTISING
    assert kinds[("003", 3)] == "debris"      # repeated title
    assert kinds[("003", 4)] == "debris"      # share-button labels
    assert kinds[("000", 31)] == "debris"     # copyright
    assert kinds[("002", 1)] == "title"
    assert kinds[("001", 10)] == kinds[("001", 11)] == "body"  # bullet items are prose
