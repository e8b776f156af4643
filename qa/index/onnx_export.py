"""Export the embedding model to ONNX once, at build time, into the index folder's encoder cache.

What it does: ``ensure_encoder`` gives the ``query_encoder`` entry of a new
generation's manifest. The cache key is the SHA-256 of the model's files and
of ``EXPORTER``, so a model or an export change gets a new folder
``encoders/<key>/`` and an unchanged one is reused (its files hashed again
first). A new export traces ``qa.index.bert.bert_forward`` -- BERT, mean
pooling and L2 normalisation, sentence-transformers' arithmetic -- with
torch's TorchScript exporter (``dynamo=False``: it needs only the ``onnx``
package, not onnxscript), moves the weights into ``weights.bin`` at
page-aligned offsets (ONNX Runtime maps aligned external data instead of
copying it), copies ``tokenizer.json``, and writes ``encoder.json``: the
dimension, the truncation length, every file's size and SHA-256, and a probe
sentence's vector. The export is refused (``None`` and a note; questions then
go through torch) unless ONNX Runtime's vector for the probe is the torch
one's to ``PROBE_COSINE``. Everything is written in a temporary folder and
renamed into place, so a killed build leaves no half encoder behind.
``prune_encoders`` removes the folders no kept generation names.

What it does not do: run the encoder for questions (``qa.index.onnx_session``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from qa.index.onnx_session import (CARD, ENCODERS, ENGINE, PROBE_COSINE, EncoderProblem, OnnxEmbedder, check_encoder,
                                   open_encoder, sha256_of)

EXPORTER = "bert-mean-l2+tokens/opset17/v2"  # change when the graph changes: it is part of the cache key
MODEL_FILES = ("config.json", "tokenizer.json", "sentence_bert_config.json", "model.safetensors", "modules.json",
               "1_Pooling/config.json")
PROBE = "The tank weighs 50 tonnes, the ship carries 200 sailors."
ALIGN = 4096  # a page: ONNX Runtime maps external data whose offset is aligned, else copies it
_EXPORTED: dict[str, Path] = {}  # key -> a folder this process exported, to link or copy instead of exporting again
_KEYS: dict[tuple, str] = {}


def encoder_key(folder: Path) -> str:
    """The cache key of model ``folder``: its files' hashes and the exporter's version (memoised by their stat)."""
    stats = tuple((n, (folder / n).stat().st_size, (folder / n).stat().st_mtime_ns) for n in MODEL_FILES)
    if (folder, stats) not in _KEYS:
        h = hashlib.sha256(EXPORTER.encode())
        for name in MODEL_FILES:
            h.update(name.encode() + b"\0" + sha256_of(folder / name).encode())
        _KEYS[(folder, stats)] = h.hexdigest()[:24]
    return _KEYS[(folder, stats)]


def _module(bert):
    import torch

    class Encoder(torch.nn.Module):
        """``bert_forward`` with the weights as buffers, so the export keeps them as initializers."""

        def __init__(self):
            super().__init__()
            self.names = {k: f"w{i}" for i, k in enumerate(bert.w)}
            for key, buf in self.names.items():
                self.register_buffer(buf, bert.w[key])
            for i, layer in enumerate(bert.layers):
                for j, tensor in enumerate(layer):
                    self.register_buffer(f"l{i}_{j}", tensor)

        def forward(self, input_ids, attention_mask):
            from qa.index.bert import bert_forward

            w = {key: getattr(self, buf) for key, buf in self.names.items()}
            layers = [[getattr(self, f"l{i}_{j}") for j in range(len(l))] for i, l in enumerate(bert.layers)]
            return bert_forward(w, layers, bert.heads, bert.eps, input_ids, attention_mask, pad=True, tokens=True)

    return Encoder().eval()


def _externalise(graph: Path, folder: Path) -> None:
    """Move the graph's weights into ``weights.bin``, each at a page-aligned offset."""
    import onnx
    from onnx.external_data_helper import set_external_data, write_external_data_tensors

    model, offset = onnx.load(str(graph)), 0
    for tensor in model.graph.initializer:
        if len(tensor.raw_data) >= 1024:
            offset = -(-offset // ALIGN) * ALIGN
            set_external_data(tensor, "weights.bin", offset=offset)
            offset += len(tensor.raw_data)
    onnx.save_model(write_external_data_tensors(model, str(folder)), str(folder / "model.onnx"))


def _export(bert, folder: Path) -> None:
    import torch

    ids = torch.tensor([[101, 1996, 102], [101, 102, 0]])
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"},
            "tokens": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings():  # the TorchScript exporter's deprecation note is for torch's developers
        warnings.simplefilter("ignore")
        torch.onnx.export(_module(bert), (ids, (ids > 0).long()), str(folder / "graph.onnx"), dynamo=False,
                          input_names=["input_ids", "attention_mask"], output_names=["embedding", "tokens"],
                          dynamic_axes=axes, opset_version=17)
    _externalise(folder / "graph.onnx", folder)
    (folder / "graph.onnx").unlink()
    shutil.copyfile(Path(bert.folder) / "tokenizer.json", folder / "tokenizer.json")


def _write_card(bert, folder: Path, key: str) -> None:
    """``encoder.json``, after checking ONNX Runtime's probe vector against torch's."""
    files = {p.name: [p.stat().st_size, sha256_of(p)] for p in sorted(folder.iterdir())}
    meta = json.loads((Path(bert.folder) / "sentence_bert_config.json").read_text(encoding="utf-8"))
    card = {"engine": ENGINE, "key": key, "exporter": EXPORTER, "dimension": bert.dim,
            "max_seq_length": meta["max_seq_length"], "files": files, "probe": {"text": PROBE, "vector": []}}
    (folder / CARD).write_text(json.dumps(card), encoding="utf-8")
    vector = OnnxEmbedder(bert.name, folder).encode([PROBE])[0]
    if float(vector @ bert.encode([PROBE])[0]) < PROBE_COSINE:
        raise EncoderProblem("ONNX Runtime's vectors differ from torch's")
    card["probe"]["vector"] = [float(x) for x in vector]
    (folder / CARD).write_text(json.dumps(card), encoding="utf-8")


def _copy_exported(key: str, tmp: Path) -> bool:
    """Link (or copy) the encoder this process exported earlier for ``key`` (tests build many indexes); False if gone."""
    done = _EXPORTED.get(key)
    try:
        for path in done.iterdir() if done is not None and (done / CARD).is_file() else ():
            try:  # a hard link: the files are never written again once exported
                os.link(path, tmp / path.name)
            except OSError:
                shutil.copyfile(path, tmp / path.name)
        return done is not None and (tmp / CARD).is_file()
    except OSError:
        for path in tmp.iterdir():
            path.unlink()
        return False


def _make(bert, final: Path, key: str) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".encoder-", dir=final.parent))
    try:
        if not _copy_exported(key, tmp):
            _export(bert, tmp)
            _write_card(bert, tmp, key)
        shutil.rmtree(final, ignore_errors=True)  # a damaged one, found by ensure_encoder
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _EXPORTED.setdefault(key, final)


def entry_for(root: Path, key: str) -> dict:
    folder = f"{ENCODERS}/{key}"
    return {"engine": ENGINE, "folder": folder, "sha256": sha256_of(root / folder / CARD)}


def ensure_encoder(root, embedder) -> tuple[dict | None, str | None]:
    """The manifest's ``query_encoder`` entry for ``embedder`` in index folder ``root``, and a note when there is none."""
    from qa.index.bert import BertEmbedder

    if not isinstance(embedder, BertEmbedder):  # a test's fake, or a model that is not BERT + mean pooling
        fake = type(embedder).__name__ == "FakeEmbedder"
        return None, None if fake else f"model {embedder.name} is not BERT + mean pooling: questions are embedded with sentence-transformers (torch), no ONNX encoder"
    try:
        import onnx  # noqa: F401  (the exporter needs it; the question path does not)
    except ImportError:
        return None, "no ONNX question encoder: pip install onnx==1.23.2 (questions are embedded with torch meanwhile)"
    root, key = Path(root), encoder_key(Path(embedder.folder))
    final = root / ENCODERS / key
    try:
        check_encoder(root, entry_for(root, key))  # reuse it when whole (the build's session then checks the probe)
    except (EncoderProblem, OSError, ValueError, KeyError, TypeError):
        try:
            _make(embedder, final, key)
        except (EncoderProblem, RuntimeError, OSError, ValueError) as err:  # the export is an optimisation
            return None, f"no ONNX question encoder ({type(err).__name__}: {str(err)[:120]}); questions are embedded with torch"
    return entry_for(root, key), None


def prune_encoders(root) -> None:
    """Remove the encoder folders of ``root`` that no generation's manifest names (and leftovers of a killed build)."""
    from qa.index.generations import generations

    named = set()
    for gen in generations(Path(root)):
        try:
            named.add(Path(json.loads((gen / "manifest.json").read_text(encoding="utf-8"))["query_encoder"]["folder"]).name)
        except (OSError, ValueError, KeyError, TypeError):  # no encoder, or a damaged manifest: it names nothing
            continue
    folder = Path(root) / ENCODERS
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.is_dir() and path.name not in named:
            shutil.rmtree(path, ignore_errors=True)


def encoder_status(index, root, cfg) -> str | None:
    """Why the index in ``root`` lacks a whole ONNX encoder for ``cfg.model`` (every file hashed), or None."""
    from qa.index.embedding import lean_compatible, resolve_model

    entry = index.manifest.get("query_encoder")
    if index.manifest.get("model") != cfg.model or ("query_encoder" in index.manifest and entry is None):
        return None  # another model's index, or a build whose embedder had nothing to export (it said why)
    if entry is None:  # built before encoders were exported
        return "the index has no ONNX question encoder" if lean_compatible(resolve_model(cfg.model)) else None
    try:
        encoder = open_encoder(root, entry, cfg.model, full=True)
    except EncoderProblem as err:
        return f"its ONNX question encoder is unusable ({err})"
    if encoder.card.get("exporter") != EXPORTER:
        return "its ONNX question encoder was exported by an older version (no word-piece vectors)"
    return None
