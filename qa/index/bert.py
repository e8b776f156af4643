"""all-MiniLM-L6-v2 and its kin (BERT + mean pooling) run directly on torch, without transformers.

What it does: ``BertEmbedder`` computes sentence-transformers' arithmetic
(equal to ~2e-7) on ``torch.nn.functional`` with the Rust tokenizer. It
never imports ``transformers`` (about 8 s of CPU at start-up), skips their
per-call overhead, keeps the weight matrices transposed (MKL multiplies a
question's few rows by a row-major matrix about twice as fast), and encodes
a question (at most ``SMALL_BATCH`` texts) on one thread: on two shared
cores the second thread's synchronisation costs more than it saves.
``lean_compatible`` says whether a model folder is one it runs exactly.

What it does not do: find or resolve a model (``qa.index.embedding`` does), or run
any other architecture.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

SMALL_BATCH = 4  # up to this many texts (a question) are encoded on one thread
_BATCH_THREADS: list[int] = []  # torch's own default, noted before we first change it


def _json(path: Path) -> dict | list:
    return json.loads(path.read_text(encoding="utf-8"))


def use_threads(n_texts: int) -> int:
    """Set torch's threads for encoding ``n_texts`` texts: 1 for a question, else torch's default."""
    import torch

    if not _BATCH_THREADS:
        _BATCH_THREADS.append(torch.get_num_threads())
    threads = 1 if n_texts <= SMALL_BATCH else _BATCH_THREADS[0]
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def lean_compatible(folder: str | Path) -> bool:
    """Whether ``folder`` holds a BERT + mean pooling model that ``BertEmbedder`` runs exactly."""
    folder, st = Path(folder), "sentence_transformers.models."
    try:
        modules = [m["type"] for m in _json(folder / "modules.json")]
        pooling, config = _json(folder / "1_Pooling" / "config.json"), _json(folder / "config.json")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (modules in ([st + "Transformer", st + "Pooling"], [st + "Transformer", st + "Pooling", st + "Normalize"])
            and {k for k, v in pooling.items() if k.startswith("pooling_mode") and v} == {"pooling_mode_mean_tokens"}
            and config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and all((folder / f).is_file() for f in ("tokenizer.json", "model.safetensors", "sentence_bert_config.json")))


_LAYER = ("attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
          "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
          "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias")


def _layer(w: dict, i: int) -> tuple:
    """Encoder layer ``i``: query/key/value fused into one matrix; matrices transposed once."""
    import torch

    p, a = f"encoder.layer.{i}.", f"encoder.layer.{i}.attention.self."
    qkv = [torch.cat([w[a + n + "." + part] for n in ("query", "key", "value")]) for part in ("weight", "bias")]
    rest = [w[p + n].t().contiguous() if n.endswith("dense.weight") else w[p + n] for n in _LAYER]
    return (qkv[0].t().contiguous(), qkv[1], *rest)


def _linear(x, weight_t, bias):
    """``x @ weight_t + bias`` over the last dimension of ``x``."""
    import torch

    return torch.addmm(bias, x.reshape(-1, x.shape[-1]), weight_t).view(*x.shape[:-1], weight_t.shape[1])


def bert_forward(w: dict, layers: list, heads: int, eps: float, ids, mask, pad: bool = True, tokens: bool = False):
    """Mean-pooled, L2-normalised BERT vectors of ``ids`` (batch x tokens) where ``mask`` is true; with
    ``tokens``, also each token's own L2-normalised vector (batch x tokens x dim), what the pooled one
    averages (``qa.answer.interaction`` matches a question's words with a sentence's through them).

    ``pad=False`` skips the attention bias, for a batch without padding; the ONNX
    export (``qa.index.onnx_export``) keeps it, since one graph serves every batch.
    """
    import torch
    import torch.nn.functional as F

    (b, n), word = ids.shape, w["embeddings.word_embeddings.weight"]
    h = word.shape[1]
    x = word[ids] + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
    x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min if pad else None
    for qkv_w, qkv_b, ow, ob, l1w, l1b, iw, ib, o2w, o2b, l2w, l2b in layers:
        q, k, v = _linear(x, qkv_w, qkv_b).view(b, n, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, n, h)
        x = F.layer_norm(_linear(a, ow, ob) + x, (h,), l1w, l1b, eps)
        x = F.layer_norm(_linear(F.gelu(_linear(x, iw, ib)), o2w, o2b) + x, (h,), l2w, l2b, eps)
    m = mask.unsqueeze(-1).to(x.dtype)
    pooled = F.normalize((x * m).sum(1) / m.sum(1).clamp(min=1e-9), p=2, dim=1)
    return (pooled, F.normalize(x, p=2, dim=2)) if tokens else pooled


class BertEmbedder:
    """all-MiniLM-L6-v2 and its kin without sentence-transformers (see module docstring)."""

    def __init__(self, name: str, folder: str | Path, batch_size: int = 64):
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        folder, config = Path(folder), _json(Path(folder) / "config.json")
        self.name, self.batch_size, self.folder = name, batch_size, folder
        self.heads, self.eps = config["num_attention_heads"], config["layer_norm_eps"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(_json(folder / "sentence_bert_config.json")["max_seq_length"])
        weights = load_file(str(folder / "model.safetensors"))
        self.layers = [_layer(weights, i) for i in range(config["num_hidden_layers"])]
        self.w = {k: v for k, v in weights.items() if k.startswith("embeddings.")}  # the rest is in layers
        self.dim = int(self.w["embeddings.word_embeddings.weight"].shape[1])

    def _forward(self, ids, mask, tokens: bool = False):
        return bert_forward(self.w, self.layers, self.heads, self.eps, ids, mask, pad=not bool(mask.all()), tokens=tokens)

    def _batch(self, token_ids: list[list[int]], tokens: bool = False):
        import torch

        lengths = np.array([len(t) for t in token_ids])
        ids = np.zeros((len(token_ids), lengths.max()), dtype=np.int64)  # 0 is [PAD]
        for row, t in enumerate(token_ids):
            ids[row, :len(t)] = t
        mask = torch.from_numpy(np.arange(ids.shape[1])[None, :] < lengths[:, None])
        out = self._forward(torch.from_numpy(ids), mask, tokens)
        return (out[0].numpy(), out[1].numpy()) if tokens else out.numpy()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, progress, pieces=False)[0]

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        """The vectors of ``texts`` and, per text, its word pieces with their own vectors ([CLS] and [SEP]
        left out; ``bert_forward``), from one forward pass."""
        return self._encode(texts, progress, pieces=True)

    def _encode(self, texts: list[str], progress: bool, pieces: bool):
        import torch

        use_threads(len(texts))
        with torch.inference_mode():
            return batched_encode(self.tokenizer.encode_batch(list(texts)), self.dim, self.batch_size, progress,
                                  lambda ids: self._batch(ids, tokens=True) if pieces else (self._batch(ids), None))


def batched_encode(encodings: list, dim: int, batch_size: int, progress: bool, run):
    """Vectors of tokenised texts (``encodings``, the Rust tokenizer's), longest first in batches of
    ``batch_size`` so that little is padded, as sentence-transformers does; ``run(token_ids)`` gives a batch's
    vectors and its token states, or None for those. Also, per text, its word pieces with their vectors
    ([CLS] and [SEP] left out) when ``run`` gave states, else None. Shared by ``BertEmbedder`` and
    ``qa.index.onnx_session.OnnxEmbedder``."""
    out = np.zeros((len(encodings), dim), dtype=np.float32)
    tokens = [e.ids for e in encodings]
    found: list = [None] * len(encodings)
    order = sorted(range(len(encodings)), key=lambda i: -len(tokens[i]))
    starts = range(0, len(encodings), batch_size)
    if progress:
        from tqdm import tqdm

        starts = tqdm(starts, desc="Batches")
    states = None
    for start in starts:
        rows = order[start:start + batch_size]
        out[rows], states = run([tokens[i] for i in rows])
        for k, i in enumerate(rows if states is not None else ()):
            found[i] = (encodings[i].tokens[1:-1], states[k, 1:len(tokens[i]) - 1].copy())
    return out, (found if states is not None or not encodings else None)
