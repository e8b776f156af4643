"""Stage 2, index: documents -> a saved hybrid index (FAISS vectors beside BM25).

Takes ``Document``s and an embedder; gives an ``Index`` (sentences, chunks,
their vectors, two BM25 indexes) saved as a checksummed generation, loaded
back with its manifest checked, and told apart from a stale one.
"""

import importlib

_HOMES = {  # each public name and its module, imported on first use: a Ray worker that needs only the ONNX
    # encoder (qa.index.rayworker) does not load FAISS, bm25s and SciPy with the package
    "BuildReport": "build", "build_index_folder": "build", "index_status": "build",
    "Embedder": "embedding", "ModelNotFound": "embedding", "load_embedder": "embedding",
    "Index": "hybrid", "build_index": "hybrid", "tokenize": "lexical",
    "folder_changes": "staleness", "folder_staleness": "staleness",
    "IndexError_": "store", "load_index": "store", "save_index": "store",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"qa.index.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'qa.index' has no attribute {name!r}")
