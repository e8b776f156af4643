"""Shared fixtures: a fake embedder for fast unit tests, the real model for integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Config
from qa.index.fake import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def fake_index(text: str, name: str = "a.txt"):
    """An in-memory index of one document ``text``, embedded by the fake embedder (unit tests)."""
    from qa.index.hybrid import build_index
    from qa.ingest.documents import parse_document

    return build_index([parse_document(name, text)], FakeEmbedder(), Config(model="fake"))[0]


@pytest.fixture(scope="session")
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder(dim=64)


@pytest.fixture(scope="session")
def fake_cfg() -> Config:
    return Config(model="fake")


@pytest.fixture(scope="session")
def fake_seed_assistant(tmp_path_factory, fake_embedder, fake_cfg):
    """The seeds indexed with the fake embedder (fast; not for answer quality)."""
    from qa.pipeline import build_index_folder, open_assistant

    index_dir = tmp_path_factory.mktemp("fake-index")
    build_index_folder(SEEDS, index_dir, fake_cfg, embedder=fake_embedder)
    return open_assistant(index_dir, fake_cfg, embedder=fake_embedder)


@pytest.fixture(scope="session")
def real_embedder():
    from qa.index.embedding import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def real_seed_index_dir(tmp_path_factory, real_embedder) -> Path:
    """The seeds indexed with the real model, once per test session."""
    from qa.pipeline import build_index_folder

    index_dir = tmp_path_factory.mktemp("real-index")
    build_index_folder(SEEDS, index_dir, Config(), embedder=real_embedder)
    return index_dir


@pytest.fixture(scope="session")
def real_assistant(real_seed_index_dir, real_embedder):
    from qa.pipeline import open_assistant

    return open_assistant(real_seed_index_dir, Config(), embedder=real_embedder)
