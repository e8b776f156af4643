"""Stage 2, index: documents -> a saved hybrid index (FAISS vectors beside BM25).

Takes ``Document``s and an embedder; gives an ``Index`` (sentences, chunks,
their vectors, two BM25 indexes) saved as a checksummed generation, loaded
back with its manifest checked, and told apart from a stale one.
"""

from qa.index.build import BuildReport, build_index_folder, index_status
from qa.index.embedding import Embedder, ModelNotFound, load_embedder
from qa.index.hybrid import Index, build_index
from qa.index.lexical import tokenize
from qa.index.staleness import folder_changes, folder_staleness
from qa.index.store import IndexError_, load_index, save_index

__all__ = ["BuildReport", "Embedder", "Index", "IndexError_", "ModelNotFound", "build_index", "build_index_folder",
           "folder_changes", "folder_staleness", "index_status", "load_embedder", "load_index", "save_index", "tokenize"]
