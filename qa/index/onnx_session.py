"""Questions embedded without torch: the exported ONNX encoder, run by ONNX Runtime.

What it does: ``OnnxEmbedder`` encodes texts with an encoder folder that
``qa.index.onnx_export`` wrote at build time -- ``model.onnx`` (the graph:
BERT, mean pooling and L2 normalisation, so nothing is pooled here; a second output
holds each token's normalised vector, for ``encode_with_tokens``),
``weights.bin`` (its weights, page-aligned, so ONNX Runtime maps them from
the page cache instead of copying them into the process) and the model's
``tokenizer.json`` -- with the Rust tokenizer. It imports neither torch,
transformers nor sentence-transformers: a one-shot ``qa ask`` starts in a
fraction of ``import torch`` and in about half the memory.

``open_encoder`` checks the folder that a generation's manifest names
(``query_encoder``: its folder and the SHA-256 of its ``encoder.json``, which
lists every file with its size and SHA-256) before any of it is loaded, and
then encodes the card's probe sentence and compares it with the vector
recorded at export; ``full=True`` hashes every file too (~0.1 s for
all-MiniLM-L6-v2's 90 MB, which a long-running server can afford and a
one-shot question need not pay). Whatever is wrong raises ``EncoderProblem``
with one line, and the caller falls back to torch with a warning.

What it does not do: export anything (``qa.index.onnx_export`` does, with torch).

>>> pad_batch([[101, 7, 102], [101, 102]])
(array([[101,   7, 102],
       [101, 102,   0]]), array([[1, 1, 1],
       [1, 1, 0]]))
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

ENGINE = "onnxruntime"
ENCODERS = "encoders"  # the index folder's cache of exported encoders, one sub-folder per key
CARD = "encoder.json"
PROBE_COSINE = 0.99999  # the probe's vector at open against the one recorded at export
_HASHED: set[tuple] = set()  # files whose SHA-256 this process checked (device, inode, size, mtime, digest)


class EncoderProblem(RuntimeError):
    """The ONNX encoder named by a manifest is missing, damaged or does not fit; one line says which."""


def sha256_of(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def pad_batch(token_ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded with 0 ([PAD]) to the longest, and the attention mask (int64 both)."""
    lengths = np.array([len(t) for t in token_ids])
    ids = np.zeros((len(token_ids), int(lengths.max())), dtype=np.int64)
    for row, tokens in enumerate(token_ids):
        ids[row, :len(tokens)] = tokens
    return ids, (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)


class OnnxEmbedder:
    """An ``Embedder`` over an exported encoder folder (see the module docstring)."""

    def __init__(self, name: str, folder: str | Path, batch_size: int = 64, threads: int = 1):
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.card = json.loads((folder / CARD).read_text(encoding="utf-8"))
        self.name, self.folder, self.batch_size = name, folder, batch_size
        self.dim = int(self.card["dimension"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(int(self.card["max_seq_length"]))
        opts = ort.SessionOptions()
        # One thread for a question (as the torch path): on shared cores a second one's hand-offs cost more.
        opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
        opts.log_severity_level = 3  # ONNX Runtime's warnings are about its own internals, not for a user
        self.session = ort.InferenceSession(str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        self.has_tokens = any(o.name == "tokens" for o in self.session.get_outputs())  # exported before: no

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, progress, pieces=False)[0]

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        """The vectors of ``texts`` and, per text, its word pieces with their own vectors ([CLS] and [SEP] left
        out; ``qa.index.bert.bert_forward``), from one run; None for the pieces from an encoder exported
        without them (``qa index`` exports it again)."""
        return self._encode(texts, progress, pieces=self.has_tokens)

    def _encode(self, texts: list[str], progress: bool, pieces: bool):
        from qa.index.bert import batched_encode  # numpy only: torch is imported inside its functions

        names = ["embedding", "tokens"] if pieces else ["embedding"]

        def run(token_ids):
            ids, mask = pad_batch(token_ids)
            result = self.session.run(names, {"input_ids": ids, "attention_mask": mask})
            return result[0], (result[1] if pieces else None)
        return batched_encode(self.tokenizer.encode_batch(list(texts)), self.dim, self.batch_size, progress, run)


def _check_files(folder: Path, card: dict, full: bool) -> None:
    for name, (size, digest) in card["files"].items():
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise EncoderProblem(f"{path} is missing")
        stat = path.stat()
        seen = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, digest)  # hashed already by this process
        if stat.st_size != size or (full and seen not in _HASHED and sha256_of(path) != digest):
            raise EncoderProblem(f"{path} is damaged (size or checksum mismatch)")
        if full:
            _HASHED.add(seen)


def encoder_folder(root: Path, entry) -> Path:
    """The folder a manifest's ``query_encoder`` entry names, inside ``root/encoders/`` only."""
    folder = entry.get("folder") if isinstance(entry, dict) else None
    if entry.get("engine") != ENGINE or not isinstance(folder, str) or not isinstance(entry.get("sha256"), str):
        raise EncoderProblem(f"the manifest's query_encoder entry is malformed ({str(entry)[:80]})")
    parts = Path(folder).parts
    if len(parts) != 2 or parts[0] != ENCODERS or parts[1] in ("..", "."):
        raise EncoderProblem(f"the manifest names an encoder outside {ENCODERS}/ ({folder!r})")
    return root / folder


def check_encoder(root, entry: dict, full: bool = True) -> dict:
    """The card of the encoder that ``entry`` names, after its files are checked (hashed with ``full``)."""
    return check_encoder_folder(encoder_folder(Path(root), entry), entry["sha256"], full)


def check_encoder_folder(folder: Path, card_sha256: str, full: bool = True) -> dict:
    """The card in ``folder`` when its SHA-256 is ``card_sha256`` and every file it lists is there at its size
    (and checksum, with ``full``); else ``EncoderProblem``."""
    if not (folder / CARD).is_file():
        raise EncoderProblem(f"{folder / CARD} is missing")
    if sha256_of(folder / CARD) != card_sha256:
        raise EncoderProblem(f"{folder / CARD} does not match the manifest's checksum")
    card = json.loads((folder / CARD).read_text(encoding="utf-8"))
    _check_files(folder, card, full)
    return card


def open_encoder(root, entry: dict, name: str, batch_size: int = 64, threads: int = 1,
                 full: bool = False) -> OnnxEmbedder:
    """The checked encoder of an index folder ``root`` that a manifest ``entry`` names (see the module docstring)."""
    folder = encoder_folder(Path(root), entry)
    try:
        card = check_encoder(root, entry, full)
        embedder = OnnxEmbedder(name, folder, batch_size, threads)
        probe = embedder.encode([card["probe"]["text"]])[0]
    except EncoderProblem:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:  # ONNX Runtime raises its own kinds
        raise EncoderProblem(f"cannot load the encoder in {folder} ({type(err).__name__}: {str(err)[:120]})") from None
    if float(probe @ np.asarray(card["probe"]["vector"], dtype=np.float32)) < PROBE_COSINE:
        raise EncoderProblem(f"the encoder in {folder} no longer gives its probe sentence's vector")
    return embedder
