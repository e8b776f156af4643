"""Each sentence's word-piece vectors, kept from the build's forward pass.

What it does: the embedding model computes a vector for every word piece of
a sentence and averages them into the sentence's vector; the build keeps the
pieces' own vectors too (``to_codes``, ``pack``), so that ``qa.answer.interaction`` can match each
word of a question with the closest word of a sentence ("buy" with
"purchasing") without running the model again. They are stored as 8-bit
codes of the unit vectors (``CODE_SCALE``: a cosine moves by under 0.01)
in one array, with each sentence's first row in ``starts``; a build keeps
them for indexes of up to ``Config.max_piece_sentences`` sentences (about
13 kB a sentence of 35 pieces with all-MiniLM-L6-v2), and none beyond, or
from an embedder that gives none.

What it does not do: choose which of a question's pieces count
(``qa.answer.interaction``).

>>> codes, starts = pack([to_codes(np.eye(2)), to_codes(np.ones((1, 2)) / np.sqrt(2))])
>>> codes.tolist(), starts.tolist()
([[127, 0], [0, 127], [90, 90]], [0, 2, 3])
>>> vectors, lengths = unpack(codes, starts, np.array([1, 0]))
>>> lengths.tolist(), [round(float(x), 2) for x in vectors[0]]
([1, 2], [0.71, 0.71])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CODE_SCALE = 127.0  # a unit vector's components, in [-1, 1], as int8


def to_codes(vectors: np.ndarray) -> np.ndarray:
    """One sentence's piece vectors (unit length) as int8 codes."""
    return np.clip(np.rint(vectors * CODE_SCALE), -127, 127).astype(np.int8)


def pack(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's piece codes (``to_codes``, in order) as one int8 array, and each sentence's first row."""
    lengths = np.array([len(c) for c in codes], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    dim = next((c.shape[1] for c in codes if c.ndim == 2), 0)
    if not int(starts[-1]):
        return np.zeros((0, dim), dtype=np.int8), starts
    return np.concatenate([c for c in codes if len(c)]).astype(np.int8, copy=False), starts


def unpack(codes: np.ndarray, starts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of sentence ``rows``, in that order, as float32 vectors, and how many each sentence has."""
    first, last = starts[rows], starts[rows + 1]
    if len(rows) and np.array_equal(first[1:], last[:-1]):  # consecutive rows (a small index: all of them)
        block = codes[int(first[0]):int(last[-1])]
    else:
        block = np.concatenate([codes[int(a):int(b)] for a, b in zip(first, last)]) if len(rows) else codes[:0]
    return block.astype(np.float32) / CODE_SCALE, last - first


def reused(previous_codes, previous_starts, rows) -> list[np.ndarray | None]:
    """Per new sentence, the previous index's piece codes of the same sentence (``rows``: its row there, or
    None); None where it had none."""
    if previous_codes is None:
        return [None] * len(rows)
    return [None if r is None else previous_codes[previous_starts[r]:previous_starts[r + 1]] for r in rows]


def save_pieces(folder: Path, codes: np.ndarray | None, starts: np.ndarray | None) -> None:
    """Write ``piece_codes.npy`` and ``piece_starts.npy`` into a generation ``folder``; nothing when there are none."""
    if codes is not None:
        np.save(folder / "piece_codes.npy", codes, allow_pickle=False)
        np.save(folder / "piece_starts.npy", starts, allow_pickle=False)


def load_pieces(folder: Path, sentences: int, dim: int) -> dict:
    """A generation's ``piece_codes`` (memory-mapped) and ``piece_starts``, as ``qa.index.hybrid.Index`` fields:
    None both when it has none; ``ValueError`` when they do not fit its ``sentences`` and vectors of ``dim``.
    (The manifest's checksums cover both files.)"""
    if not (folder / "piece_codes.npy").is_file():
        return {"piece_codes": None, "piece_starts": None}
    codes = np.load(folder / "piece_codes.npy", allow_pickle=False, mmap_mode="r")
    starts = np.load(folder / "piece_starts.npy", allow_pickle=False)
    if len(starts) != sentences + 1 or int(starts[-1]) != len(codes) or codes.shape[1:] != (dim,):
        raise ValueError(f"{folder} has word-piece vectors that do not fit its {sentences} sentences; run `qa index`")
    return {"piece_codes": codes, "piece_starts": starts}
