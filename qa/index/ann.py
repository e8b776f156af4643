"""Choose the FAISS index of the sentence vectors by collection size.

What it does: up to ``AnnSettings.exact_limit`` vectors, exact search (a
search costs n x d multiply-adds, about 3 ms at 20k on a busy core): an
``IndexIVFFlat`` with a *single* list, which holds every vector and is scanned
in full, so it returns exactly what ``IndexFlatIP`` returns (the tests check
it). Why not ``IndexFlatIP`` itself: it spreads one query over OpenMP
threads, and on two shared cores that made a 10k search 9.7 ms instead of
1.3 ms; the list scanner searches one query on the calling thread, whichever
thread that is (the web app's included). Beyond, an inverted-file index with
8-bit scalar quantisation
(``IndexIVFScalarQuantizer``, inner product): about sqrt(n) lists trained on
a sample, one byte per dimension (a quarter of the float vectors' memory),
and ``nprobe`` -- how many lists a search visits -- raised until recall@10
against exact search reaches ``recall_target``. Recall is measured at build
on a sample of the index's own vectors as queries, and on *blends* of them
(normalised sums of three): own vectors sit in their own list and flatter
an inverted file (0.96 at nprobe 1 where real questions get 0.7 on the
bench's 1M set), blends sit between clusters as questions do, so nprobe is
tuned on the blends. ``choose_dense_index`` returns the index and the
facts the manifest records: type, parameters, both recalls, memory and
build time.

What it does not do: save or load (``qa.index.store`` reads the index
memory-mapped), or score candidates (``qa.answer.retrieval``).

>>> v = np.eye(4, dtype=np.float32)
>>> index, info = choose_dense_index(v)
>>> info["type"], info["exact"], info["vectors"], info["recall_at_10"]
('IndexIVFFlat', True, 4, 1.0)
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import faiss
import numpy as np

RECALL_NOTE = ("recall@10 against exact inner-product search; recall_at_10: queries are a sample of the index's own "
               "vectors; recall_at_10_blended_queries (what nprobe is tuned on): normalised sums of three of them")


@dataclass(frozen=True)
class AnnSettings:
    exact_limit: int = 20_000      # above this, IVF-SQ8 instead of exact search
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


def exact_index(vectors: np.ndarray) -> tuple[faiss.Index, dict]:
    """Exact inner-product search: one inverted list holding everything (see module docstring)."""
    dim = vectors.shape[1]
    if not len(vectors):
        return faiss.IndexFlatIP(dim), {"type": "IndexFlatIP", "exact": True, "recall_at_10": 1.0}
    quantizer = faiss.IndexFlatIP(dim)
    quantizer.add(np.zeros((1, dim), dtype=np.float32))  # one list: its centroid does not matter
    index = faiss.IndexIVFFlat(quantizer, dim, 1, faiss.METRIC_INNER_PRODUCT)
    index.is_trained = True
    for start in range(0, len(vectors), 65536):
        index.add(np.ascontiguousarray(vectors[start:start + 65536], dtype=np.float32))
    index.nprobe = 1
    return index, {"type": "IndexIVFFlat", "exact": True, "nlist": 1, "nprobe": 1, "recall_at_10": 1.0}


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


def query_samples(vectors: np.ndarray, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two query sets from the index's own vectors: a sample of them, and blends (the normalised
    sum of three random ones). Blends fall between clusters, as questions do, and their recall
    tracks real questions' where own vectors flatter an inverted file (they sit in their own list)."""
    pick = [np.sort(rng.choice(len(vectors), size=min(len(vectors), count), replace=False)) for _ in range(3)]
    own = np.ascontiguousarray(vectors[pick[0]], dtype=np.float32)
    blends = own + vectors[pick[1]] + vectors[pick[2]]
    return own, np.ascontiguousarray(blends / np.linalg.norm(blends, axis=1, keepdims=True), dtype=np.float32)


def tune_nprobe(index: faiss.Index, vectors: np.ndarray, s: AnnSettings, rng: np.random.Generator) -> dict:
    """Raise ``nprobe`` (1, 2, 4, ...) until recall@10 of blended queries meets the target;
    record it with the recall of the index's own vectors."""
    k = min(10, len(vectors))
    own, blends = query_samples(vectors, s.recall_queries, rng)
    truth = {"own": exact_neighbours(vectors, own, k), "blends": exact_neighbours(vectors, blends, k)}
    ivf, nprobe, curve = faiss.extract_index_ivf(index), 1, {}
    while True:
        ivf.nprobe = nprobe
        curve[nprobe] = {name: round(recall_at_k(index.search(q, k)[1], truth[name]), 4)
                         for name, q in (("own", own), ("blends", blends))}
        if curve[nprobe]["blends"] >= s.recall_target or nprobe >= min(s.max_nprobe, ivf.nlist):
            break
        nprobe *= 2
    return {"nprobe": nprobe, "recall_at_10": curve[nprobe]["own"], "recall_at_10_blended_queries": curve[nprobe]["blends"],
            "recall_by_nprobe": curve, "recall_queries": len(own)}


def choose_dense_index(vectors: np.ndarray, settings: AnnSettings | None = None) -> tuple[faiss.Index, dict]:
    """The FAISS index for ``vectors`` (unit length, float32) and what the manifest records of it."""
    s = settings or AnnSettings()
    started = time.perf_counter()
    if len(vectors) <= s.exact_limit:
        index, info = exact_index(vectors)
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
