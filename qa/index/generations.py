"""The generations of an index folder: which one is live, and who may build.

What it does: an index folder holds numbered generation folders
(``gen-000001/`` ...) and a ``CURRENT`` file naming the live one. This
module lists the generations, reads ``CURRENT``, replaces it atomically
(write a temporary file, fsync, rename, fsync the folder), and holds the
one-build-at-a-time lock (``fcntl.flock`` on ``.lock``, released by the
kernel when a build dies). ``build_checkpoint`` lets the crash tests pause
a real build between two steps to SIGKILL it there.

What it does not do: read or write what is inside a generation (``qa.index.store``).

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp()); (root / "gen-000002").mkdir(); (root / "gen-000001").mkdir()
>>> point_current(root, root / "gen-000001")
>>> [g.name for g in generations(root)], current_generation(root).name
(['gen-000002', 'gen-000001'], 'gen-000001')
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from qa.errors import UserError

CURRENT = "CURRENT"


class BuildRunning(UserError, RuntimeError):
    """Another build of the same index folder holds the lock."""


def build_checkpoint(stage: str) -> None:
    """Pause at a named build stage when a crash test asks for it (QA_BUILD_PAUSE_AT).

    The kill tests use it to SIGKILL a real build exactly between two steps.
    """
    if os.environ.get("QA_BUILD_PAUSE_AT") == stage:
        print(f"paused at {stage}", flush=True)
        time.sleep(60)


def generation_number(path: Path) -> int:
    return int(path.name.split("-")[1]) if path.name.startswith("gen-") and path.name[4:].isdigit() else -1


def generations(root: Path) -> list[Path]:
    """Generation folders of ``root``, newest first."""
    found = [p for p in root.glob("gen-*") if generation_number(p) >= 0 and p.is_dir()]
    return sorted(found, key=generation_number, reverse=True)


def point_current(root: Path, gen: Path) -> None:
    """Make ``gen`` the live generation of ``root``, atomically."""
    tmp = root / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(gen.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / CURRENT)
    dir_fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def current_generation(root: Path) -> Path | None:
    """The live generation of ``root``, or None when ``CURRENT`` is missing or names no generation folder."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    gen = root / name
    # A generation's own name only: "gen-000001/../.." or an absolute path would lead out of the folder.
    return gen if generation_number(gen) >= 0 and gen.name == name and gen.is_dir() else None


@contextlib.contextmanager
def build_lock(root: str | Path):
    """Hold the one-build-at-a-time lock of ``root`` (``BuildRunning`` if taken)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildRunning(f"a build of {root} is running; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
