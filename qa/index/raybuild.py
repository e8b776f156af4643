"""Builds on Ray: sentence splitting and embedding as a Ray Data pipeline, the generation assembled here.

What it does: ``RayEngine`` plugs into ``qa.index.build.build_index_folder``.
The build reads the folder and finds the documents whose vectors the previous
generation does not hold, as a local build does; those documents go, in
bins of near-equal text (``qa.index.rayworker``), through a Ray Data
pipeline: ``map_batches`` over a pool of actors, each with one ONNX model
(the encoder the build exported, opened once per actor on one thread per CPU
it is given; in place on a local instance, through Ray's object store on a
cluster, so workers need neither the index folder nor torch, only
``onnxruntime`` and ``tokenizers``; ``num_gpus`` per actor when the cluster
has GPUs), which splits each document into sentences with the local code and
embeds them. Each document's
vectors come back as a shard, ``shards/<document SHA-256>.npz`` (its
sentences' texts, vectors and word pieces' vectors), written atomically by the driver as results
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
from pathlib import Path

import numpy as np

from qa.errors import UserError
from qa.index.pieces import CODE_SCALE, reused
from qa.index.rayworker import BINS_PER_WORKER, Encode, bins_of

SHARDS = "shards"
INSTALL = "pip install -e '.[ray]' (ray[data]==2.60.0)"


class RayMissing(UserError, RuntimeError):
    pass


class ShardVectors:
    """An ``Embedder`` that looks the vectors up instead of computing them: the cluster did (and the word pieces'
    vectors, ``pieces``, where every shard has them)."""

    def __init__(self, table: dict[str, np.ndarray], dim: int, name: str = "ray-shards", pieces: dict | None = None):
        self.table, self.dim, self.name, self.pieces = table, dim, name, pieces

    def encode_with_tokens(self, texts: list[str], progress: bool = False):
        vectors = self.encode(texts, progress)
        return vectors, ([([], self.pieces[t]) for t in texts] if self.pieces is not None else None)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self.table]
        if missing:  # the cluster split a document otherwise than this machine: never expected
            raise RuntimeError(f"no vector from the cluster for {len(missing)} sentences, e.g. {missing[0][:60]!r}")
        return np.stack([self.table[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, self.dim), np.float32)


def _write_shard(folder: Path, sha: str, texts, vectors, codes=None, starts=None) -> None:
    tmp = folder / f".{sha}.tmp.npz"
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1) if len(texts) else np.zeros((0, 1), np.float32)
    pieces = {} if codes is None else {"piece_codes": np.asarray(codes, dtype=np.int8), "piece_starts": np.asarray(starts)}
    np.savez(tmp, texts=np.array(list(texts), dtype=str), vectors=vectors, **pieces)  # a document may hold no sentence
    os.replace(tmp, folder / f"{sha}.npz")


def _read_shards(folder: Path, shas: set[str]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """The vectors of every sentence of the shards ``shas``, and their word pieces' vectors (None unless every
    shard has them: an encoder exported before them wrote none)."""
    table, pieces = {}, {}
    for sha in shas:
        with np.load(folder / f"{sha}.npz", allow_pickle=False) as shard:
            texts = shard["texts"].tolist()
            table.update(zip(texts, shard["vectors"]))
            if pieces is not None and "piece_codes" in shard:
                codes = reused(shard["piece_codes"], shard["piece_starts"], range(len(texts)))
                pieces.update((t, c.astype(np.float32) / CODE_SCALE) for t, c in zip(texts, codes))
            else:
                pieces = None
    return table, pieces


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

    def __init__(self, address: str | None = None, workers: int | None = None):
        self.address, self.workers, self.stats = address, workers, {}
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
        table, pieces = _read_shards(folder, set(todo))
        return ShardVectors(table, embedder.dim, pieces=pieces)

    def _run(self, docs, encoder: Path, embedder, cfg, folder: Path) -> None:
        import pickle
        import time

        from qa.index.onnx_session import sha256_of

        connecting = time.perf_counter()
        ray = self._connect()
        started, gpus = time.perf_counter(), ray.cluster_resources().get("GPU", 0)
        folder.mkdir(parents=True, exist_ok=True)
        card = Path(encoder, "encoder.json")
        local = self.address is None  # our own instance: the workers see this folder, nothing to ship
        files = None if local else ray.put({p.name: p.read_bytes() for p in encoder.iterdir()})
        bins = [pickle.dumps(b) for b in bins_of(docs, self.workers * BINS_PER_WORKER)]
        ds = ray.data.from_items([{"docs": b} for b in bins], override_num_blocks=len(bins))
        actors = min(self.workers, len(bins))  # one document starts one actor, not the whole pool
        ds = ds.map_batches(Encode, batch_size=1, batch_format="numpy", num_cpus=1, num_gpus=1 if gpus >= self.workers else None,
                            fn_constructor_kwargs={"folder": str(encoder), "card_sha256": sha256_of(card), "files": files,
                                                   "name": embedder.name, "threads": 1,  # one CPU each
                                                   "chunking": (cfg.chunk_size, cfg.chunk_overlap)},
                            compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1))
        sentences, first = 0, None
        for row in ds.iter_rows():
            _write_shard(folder, row["sha256"], row["texts"], row["vectors"], row["piece_codes"], row["piece_starts"])
            sentences += len(row["texts"])
            first = first or (time.perf_counter() - started, sentences)  # the actors' start and one bin
        seconds = time.perf_counter() - started
        self.stats.update({"sentences": sentences, "seconds": round(seconds, 2), "gpus": gpus,
                           "connect_seconds": round(started - connecting, 2), "first_row": first,
                           "actors": actors, "sentences_per_second_per_worker": round(sentences / seconds / actors, 1)})

    def summary(self) -> str:
        s = self.stats
        if not s.get("sentences"):
            return f"ray: nothing to embed ({s.get('documents_resumed', 0)} documents from shards of an earlier try)"
        return (f"ray: {s['documents_sent']} documents, {s['sentences']} sentences embedded by {s['actors']} workers in "
                f"{s['seconds']} s ({s['sentences_per_second_per_worker']} sentences/s per worker; Ray start "
                f"{s['connect_seconds']} s more); "
                f"{s['documents_resumed']} documents from shards of an earlier try")

    def manifest(self) -> dict:
        return {"build_engine": {"name": "ray", "address": self.address or "local", "workers": self.workers}}

    def finish(self, index_dir) -> None:
        """Remove the shards: the new generation holds their vectors."""
        import shutil

        shutil.rmtree(Path(index_dir) / SHARDS, ignore_errors=True)
