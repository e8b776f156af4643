"""An assistant that follows index rebuilds while it serves.

What it does: wraps ``Assistant`` for a long-running process (the web app).
Before a question is answered it looks -- at most every ``check_every``
seconds -- at the index folder's ``CURRENT`` pointer; when a rebuild has
switched it, the new generation is loaded *beside* the old one and then
swapped in with a single assignment. A question is answered entirely by the
assistant it started with, so an answer never mixes two generations; if the
new generation fails to load, the old one keeps answering. Once swapped,
nothing here holds the old generation, so its memory and open files go with
the last question that was using it. Each swap is told to ``note``.

What it does not do: build indexes, or reload the embedding model (a
rebuild with another model needs a restart; the load is refused).

>>> import tempfile, pathlib
>>> from qa.index.fake import FakeEmbedder
>>> from qa.pipeline import build_index_folder
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "d").mkdir(), (root / "d" / "a.txt").write_text("Tanks weigh 50 tonnes.")
>>> _ = build_index_folder(root / "d", root / "i", Config(model="fake"), embedder=FakeEmbedder())
>>> live = LiveAssistant(root / "i", Config(model="fake"), embedder=FakeEmbedder(), check_every=0)
>>> _ = (root / "d" / "b.txt").write_text("Ships carry 200 sailors.")
>>> _ = build_index_folder(root / "d", root / "i", Config(model="fake"), embedder=FakeEmbedder())
>>> live.ask("How many sailors?").passages[0].file, live.generation
('b.txt', 'gen-000002')
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from qa.config import Config
from qa.pipeline import Assistant, open_assistant
from qa.index.store import current_generation, load_index


class LiveAssistant:
    def __init__(self, index_dir, cfg: Config, embedder=None, check_every: float = 1.0, warn=None, note=None):
        self.index_dir = Path(index_dir)
        self.check_every = check_every
        self._warn = warn or (lambda message: None)
        self._note = note or (lambda message: None)
        self._assistant: Assistant = open_assistant(self.index_dir, cfg, embedder=embedder, warn=warn)
        self.generation = self._pointer()
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _pointer(self) -> str | None:
        gen = current_generation(self.index_dir)
        return gen.name if gen is not None else None

    def current(self) -> Assistant:
        """The assistant to answer the next question with (reloaded if rebuilt)."""
        if time.monotonic() - self._checked >= self.check_every:
            self._checked = time.monotonic()
            pointer = self._pointer()
            if pointer and pointer != self.generation and self._lock.acquire(blocking=False):
                try:
                    self._reload(pointer)
                finally:
                    self._lock.release()
        return self._assistant

    def _reload(self, pointer: str) -> None:
        old = self._assistant
        try:
            index = load_index(self.index_dir, old.cfg)
        except Exception as err:  # keep serving the old generation, whatever went wrong
            self._warn(f"could not load the rebuilt index ({err}); still answering from {self.generation}")
            self.generation = pointer  # don't retry on every question
            return
        if index.manifest.get("dimension") != old.embedder.dim:
            self._warn("the rebuilt index uses another model; restart the app to use it")
            self.generation = pointer
            return
        self._assistant = Assistant(index, old.embedder, old.cfg, old.calibration)
        self._note(f"now answering from {pointer} ({len(index.docs)} documents, {len(index.sentences)} sentences); "
                   f"{self.generation} released")
        self.generation = pointer

    def ask(self, question, top_k=None):
        return self.current().ask(question, top_k)

    @property
    def index(self):
        return self.current().index

    @property
    def cfg(self) -> Config:
        return self._assistant.cfg

    @property
    def embedder(self):
        return self._assistant.embedder

    @property
    def calibration(self):
        return self._assistant.calibration
