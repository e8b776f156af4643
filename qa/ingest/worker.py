"""The extraction worker: a process of its own that reads web pages and PDFs, bounded in time and memory.

What it does: ``Extractor`` starts ``python -m qa.ingest.worker`` once and
sends it one file at a time (a JSON header line, then the bytes); the worker
caps its own address space (``MEMORY_BYTES``: a swelling parser gets
``MemoryError``, not the machine's memory) and answers with one JSON line.
When an answer takes longer than ``SECONDS_PER_FILE`` the worker is killed --
the file is reported, and the next one gets a new worker. A plain child
process, not ``multiprocessing``: a library user's script needs no
``if __name__ == "__main__"`` guard for it.

What it does not do: read files from disk or decide what is skipped
(``qa.ingest.files``, ``qa.ingest.documents``).

>>> with Extractor() as extract:
...     extract("html", b"<html><body><article><p>The ministry bought twelve drones in 2027, it said.</p></article></body></html>").text
'The ministry bought twelve drones in 2027, it said.'
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

from qa.ingest.extract import MAX_PAGES, MEMORY_BYTES, SECONDS_PER_FILE, Extracted, extraction_result


class Extractor:
    """``extractor(kind, data)`` -> ``Extracted``, or ``ValueError`` with a one-line reason; a context manager."""

    def __init__(self, seconds: float = SECONDS_PER_FILE, memory: int = MEMORY_BYTES, max_pages: int = MAX_PAGES):
        self.seconds, self.memory, self.max_pages = seconds, memory, max_pages
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                stream.close()
            self._proc = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]),
                                                                          os.environ.get("PYTHONPATH")]))}
        return subprocess.Popen([sys.executable, "-m", "qa.ingest.worker", str(self.memory)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)

    def _answer(self, deadline: float) -> bytes | None:
        """The worker's answer line, or None when it took too long or died."""
        out, fd = b"", self._proc.stdout.fileno()
        while not out.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            out += chunk
        return out

    def __call__(self, kind: str, data: bytes) -> Extracted:
        if self._proc is None:
            self._proc = self._start()
        header = json.dumps({"kind": kind, "size": len(data), "max_pages": self.max_pages}).encode() + b"\n"
        deadline = time.monotonic() + self.seconds
        try:
            self._proc.stdin.write(header + data)
            self._proc.stdin.flush()
            line = self._answer(deadline)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            late = time.monotonic() >= deadline
            self.close()  # stuck in that file, or dead: the next file gets a new worker
            raise ValueError(f"took longer than {self.seconds:g} s to read; not read" if late else
                             "the reader stopped while reading it (out of memory?); not read")
        answer = json.loads(line)
        if "error" in answer:
            raise ValueError(answer["error"])
        return Extracted.from_json(answer["extracted"])


def serve(memory: int) -> None:
    """The worker's loop: cap memory, then answer each request on stdin with one JSON line on stdout."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while header := stdin.readline():
        request = json.loads(header)
        data = stdin.read(request["size"])
        answer = extraction_result(request["kind"], data, request["max_pages"])
        stdout.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        stdout.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_BYTES)
