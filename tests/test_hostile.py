"""Hostile input catalogue: questions, documents and index files that try to break things.

Each case asserts the specific behaviour: a clear message (no traceback, no
absolute path), bounded time, nothing lost. Quote and web-route cases live
beside their features (tests/test_quotes*.py, tests/test_webapp.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from qa.config import Config
from qa.ingest.documents import read_folder
from qa.index.fake import FakeEmbedder
from qa.pipeline import build_index_folder, open_assistant
from qa.answer.question import BadQuestion
from qa.index.store import IndexError_, current_generation, load_index
from tests.conftest import ROOT

CFG = Config(model="fake")

REJECTED_QUESTIONS = {
    "empty": ("", "empty"),
    "whitespace": (" \t\r\n  ", "empty"),
    "one megabyte": ("why " * 262_144, "too long"),
    "100k chars without spaces": ("x" * 100_000, "too long"),
    "control characters only": ("\x00\x01\x07\x1b\x7f\x85", "empty"),
    "zero-width only": ("\u200b\u200c\u200d\ufeff", "empty"),
    "right-to-left override only": ("\u202e\u202d\u2066", "empty"),
    "lone surrogates only": ("\ud800\udfff", "empty"),
    "emoji only": ("🚀🔥🎉", "no words"),
    "punctuation only": ("?!...;", "no words"),
    "non-string (number)": (42, "must be text"),
    "non-string (list)": (["why"], "must be text"),
    "non-string (None)": (None, "must be text"),
    "a 500-character 'word'": ("a" * 500 + " tanks?", "over 200 characters"),
}

ANSWERED_QUESTIONS = {
    "html and script": "<script>alert(1)</script> What did Emanuel say about ships?",
    "zero-width inside words": "Who\u200b is Heigo\u200d Sato?",
    "right-to-left override inside": "Who is \u202eHeigo Sato?",
    "lone surrogate inside": "Who is \ud800 Heigo Sato?",
    "control characters inside": "Who\x00 is\x1b Heigo Sato?",
    "non-Latin (Japanese)": "日本の防衛産業について",
    "non-Latin (Arabic)": "ما هي صناعة الدفاع اليابانية؟",
    "emoji and words": "🚀 drones for Japan?",
    "sql-looking": "'; DROP TABLE passages; -- drones?",
    "path-looking": "../../etc/passwd drones",
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from tests.conftest import SEEDS

    index = tmp_path_factory.mktemp("hostile-index")
    build_index_folder(SEEDS, index, CFG, embedder=FakeEmbedder())
    return open_assistant(index, CFG, embedder=FakeEmbedder())


@pytest.mark.parametrize("case", sorted(REJECTED_QUESTIONS))
def test_rejected_questions_get_a_clear_message_fast(assistant, case):
    question, message = REJECTED_QUESTIONS[case]
    started = time.perf_counter()
    with pytest.raises(BadQuestion, match=message) as err:
        assistant.ask(question)
    assert time.perf_counter() - started < 5
    assert "/" not in str(err.value) and "Traceback" not in str(err.value)


@pytest.mark.parametrize("case", sorted(ANSWERED_QUESTIONS))
def test_odd_but_real_questions_are_answered_with_verbatim_passages(assistant, case):
    answer = assistant.ask(ANSWERED_QUESTIONS[case])
    assert answer.passages, case
    for p in answer.passages:
        assert assistant.index.doc_by_name(p.file).text[p.start:p.end] == p.quote
    json.dumps(answer.as_json(), ensure_ascii=False).encode("utf-8")  # always writable as UTF-8


@pytest.mark.parametrize("top_k, ok", [(0, False), (-1, False), (51, False), (10_000, False), (50, True), (1, True)])
def test_top_k_out_of_range_is_refused_and_in_range_is_capped_by_the_corpus(assistant, top_k, ok):
    if not ok:
        with pytest.raises(BadQuestion, match="top-k"):
            assistant.ask("drones", top_k=top_k)
    else:
        assert 1 <= len(assistant.ask("drones", top_k=top_k).passages) <= top_k


def test_batch_with_undecodable_bytes_and_surrogates_keeps_going(tmp_path):
    index = tmp_path / "index"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Drones\n\nThe ministry buys drones in 2027.", encoding="utf-8")
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    script = ("import sys, qa.pipeline, qa.index.build; from qa.index.fake import FakeEmbedder; "
              "qa.pipeline.load_embedder = qa.index.build.load_embedder = lambda *a, **k: FakeEmbedder(); "
              "from qa.cli import run; "
              "sys.exit(run(sys.argv[1:]))")
    stdin = b"drones?\n\xff\xfe bad bytes drones\n\n\xed\xa0\x80 surrogate drones\n"
    proc = subprocess.run([sys.executable, "-c", script, "ask", "--json", "-", "--index", str(index), "--model", "fake"],
                          input=stdin, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 4 and "error" in rows[2] and "passages" in rows[1] and "passages" in rows[3]


# --- documents --------------------------------------------------------------

def _hostile_folder(root, outside):
    docs = root / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Ships\n\nThe navy ordered 12 new ships in 2024.", encoding="utf-8")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (docs / "latin1.txt").write_bytes("Caf\xe9 du commerce".encode("latin-1"))
    (docs / "empty.txt").write_bytes(b"")
    (docs / "blank.md").write_text("\n \u00a0\n\t\n", encoding="utf-8")
    (docs / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (docs / "copy of good.txt").write_text("Ships\n\nThe navy ordered 12 new ships in 2024.", encoding="utf-8")
    (outside / "secret.txt").write_text("Secret\n\nThe password is hunter2.", encoding="utf-8")
    os.symlink(outside / "secret.txt", docs / "link-out.txt")
    (docs / "spaced name.txt").write_text("Tanks\n\nThe army retired 30 tanks.", encoding="utf-8")
    (docs / "日本語の記事.txt").write_text("Drones\n\nJapan plans 200 drones by 2027.", encoding="utf-8")
    (docs / "<img src=x onerror=alert(1)>.md").write_text("Radar\n\nA radar was sold to the Philippines.", encoding="utf-8")
    (docs / "bom-crlf.txt").write_bytes("\ufeffBudget\r\n\r\nThe budget grew 16%.\r\n".encode("utf-8"))
    return docs


def test_hostile_documents_are_handled_by_rule_and_reported_per_file(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = _hostile_folder(tmp_path, outside)
    loaded, skipped = read_folder(docs, max_file_bytes=1_000_000)
    reasons = {s.name: s.reason for s in skipped}
    assert reasons["binary.txt"].startswith("binary")
    assert reasons["latin1.txt"].startswith("not UTF-8")
    assert reasons["empty.txt"] == reasons["blank.md"] == "empty file"
    assert "limit" in reasons["huge.txt"]
    assert "same content as" in reasons["good.txt"] or "same content as" in reasons["copy of good.txt"]
    assert "outside the folder" in reasons["link-out.txt"]
    names = {d.name for d in loaded}
    assert {"spaced name.txt", "日本語の記事.txt", "<img src=x onerror=alert(1)>.md", "bom-crlf.txt"} <= names
    assert all(str(tmp_path) not in r for r in reasons.values())


def test_the_usable_hostile_documents_still_index_and_answer(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = _hostile_folder(tmp_path, outside)
    build_index_folder(docs, tmp_path / "index", Config(model="fake", max_file_bytes=1_000_000), embedder=FakeEmbedder())
    a = open_assistant(tmp_path / "index", Config(model="fake", max_file_bytes=1_000_000), embedder=FakeEmbedder())
    assert "hunter2" not in " ".join(d.text for d in a.index.docs)
    p = a.ask("What was sold to the Philippines?").passages[0]
    assert p.file == "<img src=x onerror=alert(1)>.md" and p.quote == "A radar was sold to the Philippines."
    p = a.ask("How much did the budget grow?").passages[0]
    assert a.index.doc_by_name(p.file).text[p.start:p.end] == p.quote == "The budget grew 16%."


# --- index files -------------------------------------------------------------

def _damage(path, how):
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "bit-flipped":
        path.write_bytes(data[:-9] + bytes([data[-9] ^ 0x01]) + data[-8:])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "random bytes":
        path.write_bytes(np.random.default_rng(0).bytes(len(data) or 64))
    elif how == "git-lfs pointer":
        path.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 1234\n")
    elif how == "deleted":
        path.unlink()


@pytest.mark.parametrize("name", ["sentences.faiss", "sentence_vectors.npy", "documents.jsonl",
                                  "bm25_sentences/data.csc.index.npy"])
@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "empty", "random bytes", "git-lfs pointer", "deleted"])
def test_damaged_index_files_give_one_line_naming_the_file_and_the_fix(tmp_path, name, how):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Ships\n\nThe navy ordered 12 ships.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    _damage(current_generation(tmp_path / "index") / name, how)
    with pytest.raises(IndexError_) as err:
        load_index(tmp_path / "index", CFG)
    message = str(err.value)
    assert "\n" not in message and name in message and "qa index" in message


@pytest.mark.parametrize("content, expected", [
    ("", "missing or unreadable"), ("{not json", "missing or unreadable"), ("[1, 2]", "format"),
    (json.dumps({"format_version": 99}), "format 99"),
])
def test_damaged_manifest_is_reported(tmp_path, content, expected):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Ships\n\nThe navy ordered 12 ships.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    (current_generation(tmp_path / "index") / "manifest.json").write_text(content)
    with pytest.raises(IndexError_, match=expected):
        load_index(tmp_path / "index", CFG)


def test_index_of_another_model_dimension_is_refused_before_answering(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Ships\n\nThe navy ordered 12 ships.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder(dim=32))
    with pytest.raises(IndexError_, match="32-d"):
        open_assistant(tmp_path / "index", CFG, embedder=FakeEmbedder(dim=64))


def test_vector_count_must_equal_sentence_count(tmp_path):
    from qa.index.store import sha256_file

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Ships\n\nThe navy ordered 12 ships. They arrive in 2026.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    gen = current_generation(tmp_path / "index")
    lines = (gen / "sentences.jsonl").read_text().splitlines()
    (gen / "sentences.jsonl").write_text(lines[0] + "\n")
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["files"]["sentences.jsonl"] = sha256_file(gen / "sentences.jsonl")  # a consistent forgery
    (gen / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="2 vectors for 1 sentences"):
        load_index(tmp_path / "index", CFG)
