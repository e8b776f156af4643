"""A build killed at any point leaves the previous index loadable and answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from qa.config import Config
from qa.index.fake import FakeEmbedder
from qa.pipeline import build_index_folder, open_assistant
from qa.index.store import BuildRunning, current_generation, generations, load_index
from tests.conftest import ROOT

CFG = Config(model="fake")
BUILD = ("import sys; from qa.pipeline import build_index_folder; from qa.index.fake import FakeEmbedder; "
         "from qa.config import Config; build_index_folder(sys.argv[1], sys.argv[2], Config(model='fake'), embedder=FakeEmbedder())")


@pytest.fixture()
def built(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"old{i}.txt").write_text(f"Report {i}\n\nThe old fleet number {i} has ships and tanks.", encoding="utf-8")
    build_index_folder(docs, tmp_path / "index", CFG, embedder=FakeEmbedder())
    (docs / "new.txt").write_text("Drones\n\nThe new drone programme starts in 2027.", encoding="utf-8")
    return docs, tmp_path / "index"


def _start_build(docs, index, pause_at: str | None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if pause_at:
        env["QA_BUILD_PAUSE_AT"] = pause_at
    return subprocess.Popen([sys.executable, "-c", BUILD, str(docs), str(index)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_at(proc: subprocess.Popen, stage: str) -> None:
    line = proc.stdout.readline()
    assert line.strip() == f"paused at {stage}", proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _indexed_files(index_dir) -> set[str]:
    return {d.name for d in load_index(index_dir, CFG).docs}


@pytest.mark.parametrize("stage, switched", [
    ("embedded", False), ("files-written", False), ("fsynced", False), ("renamed", False), ("switched", True),
])
def test_sigkill_at_each_build_stage_leaves_a_loadable_index(built, stage, switched):
    docs, index = built
    _kill_at(_start_build(docs, index, stage), stage)
    files = _indexed_files(index)
    assert ("new.txt" in files) is switched
    assistant = open_assistant(index, CFG, embedder=FakeEmbedder())
    assert assistant.ask("old fleet ships").passages[0].file.startswith("old")
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())  # the next build recovers
    assert "new.txt" in _indexed_files(index)
    assert not list(index.glob(".building-*"))


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5])
def test_sigkill_at_arbitrary_moments_never_breaks_the_index(built, delay):
    docs, index = built
    proc = _start_build(docs, index, None)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _indexed_files(index) in ({"old0.txt", "old1.txt", "old2.txt"}, {"old0.txt", "old1.txt", "old2.txt", "new.txt"})


def test_a_second_build_is_refused_while_one_runs(built):
    docs, index = built
    proc = _start_build(docs, index, "embedded")
    try:
        assert proc.stdout.readline().strip() == "paused at embedded"
        with pytest.raises(BuildRunning, match="a build of .* is running"):
            build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    finally:
        proc.kill()
        proc.wait(timeout=30)
    build_index_folder(docs, index, CFG, embedder=FakeEmbedder())  # the lock died with the process


def test_only_two_generations_are_kept(built):
    docs, index = built
    for i in range(3):
        (docs / f"extra{i}.txt").write_text(f"Extra\n\nMore text number {i} arrives.", encoding="utf-8")
        build_index_folder(docs, index, CFG, embedder=FakeEmbedder())
    gens = generations(index)
    assert len(gens) == 2 and gens[0] == current_generation(index)
