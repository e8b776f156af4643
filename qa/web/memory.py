"""Bounds on what Gradio keeps per request, so a long-serving app's memory levels off.

Why: every REST call (``/gradio_api/call/ask``) is a new Gradio session, and
Gradio 6 keeps, per session, a copy of the page's component values (~55 KB
here: the Sources tab's document is one of them) for up to 10,000 sessions,
an analytics record per event for up to 10,000 events, the ids of every
event a session ever sent and, for up to 2,000 sessions, its message queue. Measured: ~55 MiB more per 1,000 answered
requests, without end. This module sets the first two bounds and prunes the
last two once a session's results have been read.

What it does not do: touch a session that still has an event waiting or running.
"""

from __future__ import annotations

import os
import time

SESSIONS_KEPT = 64         # sessions whose page state Gradio keeps (the oldest go first; a REST call never comes back)
ANALYTICS_KEPT = 512       # per-event analytics records (monitoring is off; Gradio still records)
MALLOC_ARENAS = 2           # glibc malloc arenas for the whole process (see limit_malloc_arenas)
_M_ARENA_MAX = -8          # mallopt's parameter number, from glibc's malloc.h
PRUNE_EVERY_S = 5.0        # how often the server looks
GRACE_S = 30.0             # how long a finished session is kept before it is forgotten


def bound_gradio_settings() -> dict:
    """The launch settings (and environment) that cap what Gradio keeps; and fewer malloc arenas."""
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", str(ANALYTICS_KEPT))
    limit_malloc_arenas()
    return {"state_session_capacity": SESSIONS_KEPT}


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (Linux): each of the server's worker threads otherwise gets its own,
    and the model's scratch memory fragments across up to 8 per core. Measured under load
    (8 rounds of 300 requests from 20 clients): RSS still rising 19% after the first round
    without the cap, levelled off within 1% from the fifth with it. False where there is no glibc."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


def _undelivered(queue, session: str) -> bool:
    messages = getattr(queue, "pending_messages_per_session", {}).get(session)
    return messages is not None and not messages.empty()


def finished_sessions(queue) -> set[str]:
    """Sessions all of whose events have finished and whose results have been read."""
    pending = getattr(queue, "pending_event_ids_session", None) or {}
    live = getattr(queue, "event_ids_to_events", None) or {}
    # An empty id set means the stream has already taken the last result; otherwise wait until
    # the session's messages are read (a REST caller may fetch its result late).
    return {session for session, ids in list(pending.items())
            if not any(i in live for i in ids) and (not ids or not _undelivered(queue, session))}


class Pruner:
    """Forgets the event ids of sessions whose events have all finished (Gradio never does for REST calls).

    A session is dropped only once it has stayed finished, its results read, for ``GRACE_S``: the
    stream that delivers a result reads its session's entry just after, and must still find it.
    Runs on the server's event loop, so nothing else touches these dicts meanwhile.
    """

    def __init__(self):
        self._last = time.monotonic()
        self._finished_since: dict[str, float] = {}

    def maybe_prune(self, server_app) -> int:
        """How many sessions were forgotten (0 when it is not time yet)."""
        now = time.monotonic()
        if now - self._last < PRUNE_EVERY_S:
            return 0
        self._last = now
        queue = getattr(getattr(server_app, "get_blocks", lambda: None)(), "_queue", None)
        if queue is None:
            return 0
        finished = finished_sessions(queue)
        since = {s: self._finished_since.get(s, now) for s in finished}
        gone = [s for s, t in since.items() if now - t >= GRACE_S]
        messages = getattr(queue, "pending_messages_per_session", {})
        for session in gone:
            queue.pending_event_ids_session.pop(session, None)
            if not _undelivered(queue, session):  # its results were read: the empty message queue goes too
                messages.pop(session, None)
            del since[session]
        self._finished_since = since
        return len(gone)
