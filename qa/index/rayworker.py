"""What runs on a Ray cluster's workers for ``qa.index.raybuild``: documents in bins, one ONNX model per actor.

What it does: ``bins_of`` packs the documents to send into bins of near-equal
text, largest first, which the pipeline's actors take one at a time as they
finish (so the last bin, not the last large document, sets the end);
``Encode`` is the actor: it opens the exported encoder once -- in place when
its node sees the driver's encoder folder unchanged (a local instance, a
shared filesystem; checked by the SHA-256 of its ``encoder.json``), else from
the object store through a temporary folder it removes once the session
has mapped the weights -- and turns each bin into one row per document:
its SHA-256, its sentences (split by the local code,
``qa.ingest.chunking.split_documents``), their vectors and their word pieces'
vectors (``qa.index.pieces``, from the same run).

What it does not do: write anything the driver reads (the driver writes the
shards), or import torch.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from qa.index.pieces import pack, to_codes

BINS_PER_WORKER = 8  # finer bins balance the pool better; each costs one Ray task (a few ms)


def bins_of(docs: list, count: int, size=lambda d: len(d.text)) -> list[list]:
    """``docs`` packed into at most ``count`` bins of near-equal size, largest first: the pool's actors each take
    the next bin as they finish one (longest first), so none idles long at the end.

    >>> [[len(d) for d in b] for b in bins_of(["aaaa", "bb", "ccc", "d"], 2, size=len)]
    [[4, 1], [3, 2]]
    """
    import heapq

    heap = [(0, i, []) for i in range(max(1, min(count, len(docs))))]
    for doc in sorted(docs, key=size, reverse=True):
        total, i, members = heapq.heappop(heap)
        members.append(doc)
        heapq.heappush(heap, (total + size(doc), i, members))
    return [m for _, _, m in sorted(heap, key=lambda b: (-b[0], b[1])) if m]


def _same_encoder(folder: Path, card_sha256: str) -> bool:
    """Whether ``folder`` holds the driver's encoder: its card's SHA-256, and every file the card lists at its size."""
    from qa.index.onnx_session import EncoderProblem, check_encoder_folder

    try:
        check_encoder_folder(folder, card_sha256, full=False)
    except EncoderProblem:
        return False
    return True


class Encode:
    """A Ray actor's model: the exported encoder, in place when this node sees the driver's folder unchanged (a
    local instance, a shared filesystem), else written from the object store into a temporary folder."""

    def __init__(self, folder: str, card_sha256: str, files, name: str, threads: int, chunking: tuple[int, int]):
        import shutil

        from qa.index.onnx_session import OnnxEmbedder

        self.chunking, tmp = chunking, None
        if not _same_encoder(Path(folder), card_sha256):
            if files is None:  # a local instance always sees the folder; this one does not
                raise RuntimeError(f"this Ray worker cannot read the encoder folder {folder} and none was shipped")
            import ray

            folder = tmp = tempfile.mkdtemp(prefix="qa-encoder-")
            for file_name, data in ray.get(files).items():  # an ObjectRef: the 90 MB travel once, not with the code
                Path(tmp, file_name).write_bytes(data)
        self.model = OnnxEmbedder(name, folder, threads=threads)
        if tmp:  # the session maps the weights and the tokenizer is read: the files can go
            shutil.rmtree(tmp, ignore_errors=True)

    def __call__(self, batch: dict) -> dict:
        """A bin of pickled documents in, one row per document out: its SHA-256, its sentences, their vectors."""
        import pickle

        from qa.ingest.chunking import split_documents

        docs = [d for blob in batch["docs"] for d in pickle.loads(blob)]
        texts = [[s.text for s in split_documents([doc], *self.chunking).sentences] for doc in docs]  # as locally
        vectors, pieces = self.model.encode_with_tokens([t for ts in texts for t in ts])
        out, codes, at = [], [], 0
        for ts in texts:
            out.append(vectors[at:at + len(ts)])
            codes.append(pack([to_codes(p[1]) for p in pieces[at:at + len(ts)]]) if pieces is not None else (None, None))
            at += len(ts)
        column = lambda rows: np.array(rows + [None], dtype=object)[:-1]  # noqa: E731 -- ragged rows stay objects
        return {"sha256": np.array([d.sha256 for d in docs]), "texts": column(texts), "vectors": column(out),
                "piece_codes": column([c for c, _ in codes]), "piece_starts": column([s for _, s in codes])}
