"""The one configuration object of the assistant.

What it does: holds every setting that shapes an index or an answer in one
frozen dataclass. The settings that shape the index (``INDEX_FIELDS``) are
written into the index manifest and compared on load, so an index built
with other settings is reported as stale rather than silently used.

What it does not do: read files or the environment; the CLI builds a
``Config`` from its flags with ``dataclasses.replace``.

>>> cfg = Config()
>>> cfg.model
'all-MiniLM-L6-v2'
>>> sorted(index_settings(cfg))[:2]
['chunk_overlap', 'chunk_size']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

FORMAT_VERSION = 2  # 2: sentences' word-piece vectors (qa.index.pieces)


@dataclass(frozen=True)
class Config:
    # --- what the index is built with (checked on load) ---
    model: str = "all-MiniLM-L6-v2"
    chunk_size: int = 1000
    chunk_overlap: int = 100
    max_file_bytes: int = 20_000_000
    max_piece_sentences: int = 20_000  # word-piece vectors kept up to this many sentences (~13 kB each)
    # --- how questions are answered (free to change without a rebuild) ---
    max_question_chars: int = 2000
    top_k: int = 3
    candidates: int = 60
    batch_size: int = 64


INDEX_FIELDS = ("model", "chunk_size", "chunk_overlap", "max_file_bytes", "max_piece_sentences")


def index_settings(cfg: Config) -> dict:
    """The settings an index depends on, as written into its manifest."""
    values = asdict(cfg)
    return {name: values[name] for name in INDEX_FIELDS}
