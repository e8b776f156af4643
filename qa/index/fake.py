"""A small, fast, deterministic stand-in for the embedding model.

What it does: hashes each word (lower case, light suffix stripping) into
one of ``dim`` buckets and L2-normalises the counts, so texts that share
words get similar vectors. Unit tests and doctests use it instead of
loading the real model.

What it does not do: understand meaning; never use it for real answers.

>>> e = FakeEmbedder(dim=16)
>>> v = e.encode(["tanks rumble", "tank rumbling"])
>>> round(float(v[0] @ v[1]), 2)
1.0
"""

from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEmbedder:
    name = "fake"

    def __init__(self, dim: int = 64):
        self.dim = dim

    def _bucket(self, word: str) -> int:
        for suffix in ("ing", "es", "s"):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                word = word[: -len(suffix)]
                break
        return int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        """The vectors and, per text, its words (lower case) each as a one-hot vector of its bucket: a word
        matches the same word, or one hashed alike, and nothing else."""
        pieces = []
        for text in texts:
            words = re.findall(r"\w+", text.lower())
            states = np.zeros((len(words), self.dim), dtype=np.float32)
            states[np.arange(len(words)), [self._bucket(w) for w in words]] = 1.0
            pieces.append((words, states))
        return self.encode(texts), pieces

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, self._bucket(word)] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out
