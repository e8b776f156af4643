"""Choose the FAISS index of the sentence vectors by collection size.

What it does: up to ``AnnSettings.exact_limit`` vectors, an exact
``IndexFlatIP`` (a search costs n x d multiply-adds, a few milliseconds at
that size). Beyond, an inverted-file index with 8-bit scalar quantisation
(``IndexIVFScalarQuantizer``, inner product): about sqrt(n) lists trained on
a sample, one byte per dimension (a quarter of the float vectors' memory),
and ``nprobe`` -- how many lists a search visits -- raised until recall@10
against exact search reaches ``recall_target``. Recall is measured at build
on a sample of the index's own vectors as queries (each query also finds
itself, so this is a slightly kind measure). ``choose_dense_index`` returns
the index and the facts the manifest records: type, parameters, recall@10,
memory and build time.

What it does not do: save or load (``qa.store`` reads the index
memory-mapped), or score candidates (``qa.retrieval``).

>>> v = np.eye(4, dtype=np.float32)
>>> index, info = choose_dense_index(v)
>>> info["type"], info["vectors"], info["recall_at_10"]
('IndexFlatIP', 4, 1.0)
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import faiss
import numpy as np

RECALL_NOTE = "recall@10 against exact inner-product search; queries: a sample of the index's own vectors"


@dataclass(frozen=True)
class AnnSettings:
    exact_limit: int = 50_000      # above this, IVF-SQ8 instead of exact search
    recall_target: float = 0.95    # smallest nprobe reaching this recall@10 is kept
    recall_queries: int = 200      # own vectors used as queries when measuring recall
    train_per_list: int = 40       # k-means training points per list (FAISS asks for >= 39)
    kmeans_iterations: int = 10
    max_nprobe: int = 256
    seed: int = 0


def n_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: the power of two nearest sqrt(n), 64..4096.

    >>> n_lists(100_000), n_lists(1_000_000)
    (256, 1024)
    """
    return int(min(4096, max(64, 2 ** round(np.log2(max(np.sqrt(n), 1))))))


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Ids of the exact top-``k`` inner products of each query (no copy of ``vectors``)."""
    _, ids = faiss.knn(np.ascontiguousarray(queries, dtype=np.float32),
                       np.ascontiguousarray(vectors, dtype=np.float32), k, metric=faiss.METRIC_INNER_PRODUCT)
    return ids


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the true neighbours found, averaged over queries.

    >>> recall_at_k(np.array([[1, 2, 3]]), np.array([[3, 2, 9]]))
    0.6666666666666666
    """
    k = truth.shape[1]
    return float(np.mean([len(set(f[:k]) & set(t)) / k for f, t in zip(found.tolist(), truth.tolist())]))


def index_bytes(index: faiss.Index) -> int:
    """Memory the index's vectors (codes, ids, centroids) take."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return int(index.ntotal * index.d * 4)
    return int(index.ntotal * (ivf.code_size + 8) + ivf.nlist * index.d * 4)


def _exact(vectors: np.ndarray) -> tuple[faiss.Index, dict]:
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, {"type": "IndexFlatIP", "exact": True, "recall_at_10": 1.0}


def _ivf_sq8(vectors: np.ndarray, s: AnnSettings, rng: np.random.Generator) -> tuple[faiss.Index, dict]:
    n, dim = vectors.shape
    nlist = n_lists(n)
    index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, nlist,
                                          faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter, index.cp.seed = s.kmeans_iterations, s.seed
    train = np.sort(rng.choice(n, size=min(n, nlist * s.train_per_list), replace=False))
    index.train(np.ascontiguousarray(vectors[train], dtype=np.float32))
    for start in range(0, n, 65536):  # in slices: a memory-mapped input stays bounded
        index.add(np.ascontiguousarray(vectors[start:start + 65536], dtype=np.float32))
    return index, {"type": "IndexIVFScalarQuantizer", "exact": False, "quantizer": "QT_8bit",
                   "nlist": nlist, "train_vectors": len(train), "kmeans_iterations": s.kmeans_iterations}


def tune_nprobe(index: faiss.Index, vectors: np.ndarray, s: AnnSettings, rng: np.random.Generator) -> dict:
    """Raise ``nprobe`` (1, 2, 4, ...) until recall@10 on own-vector queries meets the target."""
    sample = np.sort(rng.choice(len(vectors), size=min(len(vectors), s.recall_queries), replace=False))
    queries = np.ascontiguousarray(vectors[sample], dtype=np.float32)
    k = min(10, len(vectors))
    truth = exact_neighbours(vectors, queries, k)
    ivf, nprobe, curve = faiss.extract_index_ivf(index), 1, {}
    while True:
        ivf.nprobe = nprobe
        curve[nprobe] = round(recall_at_k(index.search(queries, k)[1], truth), 4)
        if curve[nprobe] >= s.recall_target or nprobe >= min(s.max_nprobe, ivf.nlist):
            break
        nprobe *= 2
    return {"nprobe": nprobe, "recall_at_10": curve[nprobe], "recall_by_nprobe": curve, "recall_queries": len(sample)}


def choose_dense_index(vectors: np.ndarray, settings: AnnSettings | None = None) -> tuple[faiss.Index, dict]:
    """The FAISS index for ``vectors`` (unit length, float32) and what the manifest records of it."""
    s = settings or AnnSettings()
    started = time.perf_counter()
    if len(vectors) <= s.exact_limit:
        index, info = _exact(vectors)
        info["reason"] = f"{len(vectors)} vectors <= exact_limit {s.exact_limit}: exact search"
    else:
        rng = np.random.default_rng(s.seed)
        index, info = _ivf_sq8(vectors, s, rng)
        info.update(tune_nprobe(index, vectors, s, rng), reason=f"{len(vectors)} vectors > exact_limit {s.exact_limit}",
                    recall_measure=RECALL_NOTE, recall_target=s.recall_target)
    info.update(metric="inner_product", vectors=int(index.ntotal), dimension=int(index.d),
                bytes=index_bytes(index), build_seconds=round(time.perf_counter() - started, 3),
                settings=asdict(s))
    return index, info
