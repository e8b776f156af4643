"""Builds on Ray: sentence splitting and embedding as a Ray Data pipeline, the generation assembled here.

What it does: ``RayEngine`` plugs into ``qa.index.build.build_index_folder``.
The build reads the folder and finds the documents whose vectors the previous
generation does not hold, as a local build does; those documents go through
a Ray Data pipeline -- ``map_batches`` splitting them into sentences
(``qa.ingest.chunking.split_documents``, the local code), then
``map_batches`` over a pool of actors, one ONNX model each (the encoder the
build exported: its files travel through Ray's object store, so workers need
neither the index folder nor torch, only ``onnxruntime`` and ``tokenizers``),
with ``num_gpus`` per actor when the cluster has GPUs -- and each document's
vectors come back as a shard, ``shards/<document SHA-256>.npz`` (its
sentences' texts and vectors), written atomically by the driver as results
stream in. Then the local assembly runs with those vectors, so sentence ids,
chunks, BM25, the FAISS choice and the manifest are a local build's; the
manifest adds ``build_engine``. A build that dies part-way keeps its shards:
run it again and only documents without one go to the cluster. A successful
build removes the shards, which its generation now holds.

What it does not do: read the files on the cluster (the driver reads and
hashes them, to know what changed, and ships the text), or serve.

>>> ShardVectors({"a b": np.ones(2, dtype=np.float32)}, dim=2).encode(["a b"]).tolist()
[[1.0, 1.0]]
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from qa.errors import UserError

SHARDS = "shards"
INSTALL = "pip install -e '.[ray]' (ray[data]==2.60.0)"


class RayMissing(UserError, RuntimeError):
    pass


class ShardVectors:
    """An ``Embedder`` that looks the vectors up instead of computing them: the cluster did."""

    def __init__(self, table: dict[str, np.ndarray], dim: int, name: str = "ray-shards"):
        self.table, self.dim, self.name = table, dim, name

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self.table]
        if missing:  # the cluster split a document otherwise than this machine: never expected
            raise RuntimeError(f"no vector from the cluster for {len(missing)} sentences, e.g. {missing[0][:60]!r}")
        return np.stack([self.table[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, self.dim), np.float32)


def _split(batch: dict, chunk_size: int, chunk_overlap: int) -> dict:
    """One row per document: its SHA-256 and its sentences' texts, as the local build splits them."""
    from qa.ingest.chunking import split_documents

    texts = [[s.text for s in split_documents([doc], chunk_size, chunk_overlap).sentences] for doc in batch["doc"]]
    return {"sha256": np.array([d.sha256 for d in batch["doc"]]), "texts": np.array(texts + [None], dtype=object)[:-1]}


class Encode:
    """A Ray actor's model: the exported encoder, written from the object store into a temporary folder."""

    def __init__(self, files, name: str, threads: int):
        import ray

        from qa.index.onnx_session import OnnxEmbedder

        self.folder = tempfile.mkdtemp(prefix="qa-encoder-")
        for file_name, data in ray.get(files).items():  # an ObjectRef: the 90 MB travel once, not with each actor's code
            Path(self.folder, file_name).write_bytes(data)
        self.model = OnnxEmbedder(name, self.folder, threads=threads)

    def __call__(self, batch: dict) -> dict:
        flat = [t for texts in batch["texts"] for t in texts]
        vectors, out, at = self.model.encode(flat), [], 0
        for texts in batch["texts"]:
            out.append(vectors[at:at + len(texts)])
            at += len(texts)
        return {"sha256": batch["sha256"], "texts": batch["texts"], "vectors": np.array(out + [None], dtype=object)[:-1]}


def _write_shard(folder: Path, sha: str, texts, vectors) -> None:
    tmp = folder / f".{sha}.tmp.npz"
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1) if len(texts) else np.zeros((0, 1), np.float32)
    np.savez(tmp, texts=np.array(list(texts), dtype=str), vectors=vectors)  # a document may hold no sentence
    os.replace(tmp, folder / f"{sha}.npz")


def _read_shards(folder: Path, shas: set[str]) -> dict[str, np.ndarray]:
    table = {}
    for sha in shas:
        with np.load(folder / f"{sha}.npz", allow_pickle=False) as shard:
            table.update(zip(shard["texts"].tolist(), shard["vectors"]))
    return table


def _reachable(address: str | None, timeout: float = 10) -> None:
    """``UserError`` unless a head node listens at ``address`` ("HOST:PORT"): Ray itself retries for minutes."""
    import socket

    host, _, port = (address or "").rpartition(":")
    if not host or not port.isdigit():
        return  # None (a local instance), "auto", or a ray:// address: Ray's own checks
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as err:
        raise UserError(f"no Ray head node answers at {address} ({err}); nothing was indexed") from None


class RayEngine:
    """Embedding on a Ray cluster (``address``; None starts a local instance) with ``workers`` actors."""

    def __init__(self, address: str | None = None, workers: int | None = None, batch_docs: int = 8):
        self.address, self.workers, self.batch_docs, self.stats = address, workers, batch_docs, {}
        try:
            import ray  # noqa: F401
            import ray.data  # noqa: F401
        except ImportError:
            raise RayMissing(f"--ray needs Ray: {INSTALL}") from None
        _reachable(address)  # before the model loads or the index folder is touched

    def _connect(self):
        import logging

        import ray.data  # binds ray too

        logging.getLogger("ray.data").setLevel(logging.WARNING)  # its per-operator progress lines drown the build's own
        ray.data.DataContext.get_current().enable_progress_bars = False
        if not ray.is_initialized():  # a local instance gets as many CPUs as workers (default 2)
            try:
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                         **({} if self.address else {"num_cpus": self.workers or 2}))
            except (ConnectionError, RuntimeError, ValueError) as err:  # no cluster there, or Ray could not start
                raise UserError(f"cannot reach a Ray cluster at {self.address or 'a new local instance'} "
                                f"({type(err).__name__}: {str(err)[:160]}); nothing was indexed") from None
        if self.workers is None:  # one actor per GPU of the cluster, else per CPU
            res = ray.cluster_resources()
            self.workers = max(1, int(res.get("GPU", 0) or res.get("CPU", 1)))
        return ray

    def embedder(self, docs, previous, index_dir, entry: dict | None, embedder, cfg):
        """Send the documents the previous generation lacks to the cluster; the lookup of their vectors."""
        if entry is None:
            raise UserError(f"--ray runs the exported ONNX encoder, and model {embedder.name} has none; build without --ray")
        folder = Path(index_dir) / SHARDS
        known = {d.sha256 for d in previous.docs} if previous is not None and previous.sentence_vectors.shape[1] == embedder.dim else set()
        todo = {d.sha256: d for d in docs if d.sha256 not in known}
        missing = [d for sha, d in todo.items() if not (folder / f"{sha}.npz").is_file()]
        self.stats = {"documents_sent": len(missing), "documents_resumed": len(todo) - len(missing)}
        if missing:
            self._run(missing, Path(index_dir) / entry["folder"], embedder, cfg, folder)
        return ShardVectors(_read_shards(folder, set(todo)), embedder.dim)

    def _run(self, docs, encoder: Path, embedder, cfg, folder: Path) -> None:
        import time

        connecting = time.perf_counter()
        ray = self._connect()
        started, gpus = time.perf_counter(), ray.cluster_resources().get("GPU", 0)
        folder.mkdir(parents=True, exist_ok=True)
        files = ray.put({p.name: p.read_bytes() for p in encoder.iterdir()})
        ds = ray.data.from_items([{"doc": d} for d in docs], override_num_blocks=min(len(docs), self.workers * 4))
        ds = ds.map_batches(_split, fn_kwargs={"chunk_size": cfg.chunk_size, "chunk_overlap": cfg.chunk_overlap},
                            batch_size=self.batch_docs, batch_format="numpy")
        ds = ds.map_batches(Encode, fn_constructor_kwargs={"files": files, "name": embedder.name, "threads": 1},
                            batch_size=self.batch_docs, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=self.workers),
                            num_gpus=1 if gpus >= self.workers else None)
        sentences = 0
        for row in ds.iter_rows():
            _write_shard(folder, row["sha256"], row["texts"], row["vectors"])
            sentences += len(row["texts"])
        seconds = time.perf_counter() - started
        self.stats.update({"sentences": sentences, "seconds": round(seconds, 2), "gpus": gpus,
                           "connect_seconds": round(started - connecting, 2),
                           "sentences_per_second_per_worker": round(sentences / seconds / self.workers, 1)})

    def summary(self) -> str:
        s = self.stats
        if not s.get("sentences"):
            return f"ray: nothing to embed ({s.get('documents_resumed', 0)} documents from shards of an earlier try)"
        return (f"ray: {s['documents_sent']} documents, {s['sentences']} sentences embedded by {self.workers} workers in "
                f"{s['seconds']} s ({s['sentences_per_second_per_worker']} sentences/s per worker; Ray start "
                f"{s['connect_seconds']} s more); "
                f"{s['documents_resumed']} documents from shards of an earlier try")

    def manifest(self) -> dict:
        return {"build_engine": {"name": "ray", "address": self.address or "local", "workers": self.workers}}

    def finish(self, index_dir) -> None:
        """Remove the shards: the new generation holds their vectors."""
        import shutil

        shutil.rmtree(Path(index_dir) / SHARDS, ignore_errors=True)
