"""Serving the web UI safely: the Gradio version check, the route guard, ``launch``.

What it does: refuses a Gradio with published advisories (``check_gradio``);
lets through only the page's own routes and small request bodies
(``refusal``, applied to every HTTP request by the ``RouteGuard`` ASGI
middleware), so no file, upload or proxy route exists; and ``launch``
serves a built page with the safe settings: 127.0.0.1, no share link
unless asked, a bounded queue, no API docs, monitoring, history, MCP or
server-side rendering.

What it does not do: build the page or its handlers (``qa.web.app``,
``qa.web.handlers``), check the fields' contents, or render HTML.
"""

from __future__ import annotations

import json
import os

import gradio as gr

from qa.web.api import ARGUMENTS, check_call
from qa.web.assets import PAGE_CSS
from qa.web.memory import Pruner, bound_gradio_settings

MIN_GRADIO = (6, 20)       # path-traversal, SSRF and XSS advisories fixed
MAX_BODY_BYTES = 64 * 1024  # a request body larger than this is refused (413)
QUEUE_SIZE = 16
THEME = gr.themes.Default(primary_hue="blue", font=["ui-sans-serif", "system-ui", "sans-serif"])  # no web fonts
# Gradio's status region reads each finished request out to screen readers as the translation of
# "common.complete", which Gradio's own dictionaries lack (6.x): without this it says "common.complete".
ANNOUNCEMENTS = gr.I18n(en={"common.complete": "Done"})
# "/gradio_api/run/predict" is where the page sends unqueued events: clicking an example fills the
# boxes through it. Only that name; other "/run/..." endpoints stay closed.
_PAGE_ROUTES = ("/", "/config", "/config/", "/theme.css", "/favicon.ico", "/robots.txt", "/manifest.json",
                "/gradio_api/run/predict")
_PAGE_PREFIXES = ("/assets/", "/static/", "/svelte/", "/gradio_api/info", "/gradio_api/queue/",
                  "/gradio_api/heartbeat/", "/gradio_api/cancel", "/gradio_api/reset", "/gradio_api/call/",
                  "/gradio_api/app_id", "/gradio_api/startup-events", "/gradio_api/theme.css")


def check_gradio(version: str) -> None:
    """Refuse a Gradio older than ``MIN_GRADIO``.

    >>> check_gradio("6.31.0")
    >>> check_gradio("5.49.1")
    Traceback (most recent call last):
    RuntimeError: gradio 5.49.1 has published path-traversal, SSRF and XSS advisories; install gradio>=6.20
    """
    if tuple(int(x) for x in version.split(".")[:2]) < MIN_GRADIO:
        raise RuntimeError(f"gradio {version} has published path-traversal, SSRF and XSS advisories; install gradio>=6.20")


def refusal(path: str, content_length: int) -> int | None:
    """The HTTP status refusing a request, or None to let it through.

    >>> refusal("/gradio_api/queue/join", 300), refusal("/gradio_api/file=/etc/passwd", 0), refusal("/gradio_api/upload", 0)
    (None, 404, 404)
    >>> refusal("/gradio_api/run/predict", 300), refusal("/gradio_api/run/ask", 300)
    (None, 404)
    >>> refusal("/gradio_api/queue/join", 10**6)
    413
    """
    if path not in _PAGE_ROUTES and not path.startswith(_PAGE_PREFIXES):
        return 404
    return 413 if content_length > MAX_BODY_BYTES else None


class RouteGuard:
    """ASGI middleware applying ``refusal`` to every HTTP request, and the body cap to the bytes that arrive.

    ``Content-Length`` can be left out (``Transfer-Encoding: chunked``) or lie, so a request's body
    is read here, counting, before the app sees any of it: past ``MAX_BODY_BYTES`` it is refused
    (413) without reading further, and a body under the cap is handed on whole.
    """

    def __init__(self, app):
        self.app = app
        self.pruner = Pruner()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.pruner.maybe_prune(scope.get("app"))  # here, on the server's own loop, no lock is needed
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        status = refusal(scope["path"], int(length) if length.isdigit() else MAX_BODY_BYTES + 1)
        if status is not None:
            return await _refuse(send, status)
        body = await _read_capped(receive)
        if body is None:
            return await _refuse(send, 413)
        call = scope["path"].removeprefix("/gradio_api/call/")
        if scope["method"] == "POST" and call in ARGUMENTS:  # the REST API: its arguments checked first
            body, problem = check_call(call, body)
            if problem:
                return await _refuse(send, 422, json.dumps({"error": problem}).encode())
        await self.app(scope, _replay(body, receive), send)


async def _read_capped(receive) -> bytes | None:
    """The whole request body, or None once it passes ``MAX_BODY_BYTES`` (or the client went away)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    """An ASGI ``receive`` that gives ``body`` first, then whatever the client sends next (a disconnect)."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay


async def _refuse(send, status: int, body: bytes | None = None) -> None:
    kind = b"application/json" if body else b"text/plain"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body or (b"not found" if status == 404 else b"request too large")})


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int | None = 7860, share: bool = False,
           queue_size: int = QUEUE_SIZE, block: bool = True, quiet: bool = False):
    """Serve ``demo`` with the safe settings; returns Gradio's (app, local_url, share_url)."""
    from starlette.middleware import Middleware

    check_gradio(gr.__version__)
    bounds = bound_gradio_settings()  # before the queue is made: it reads the analytics cap once
    # Gradio summarises every finished event with pandas for its monitoring page, which is off here:
    # a cache frequency no run reaches skips that work (and the seconds-long pandas import on the first event).
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(2**31))
    demo.queue(max_size=queue_size, default_concurrency_limit=1)
    return demo.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=not block, quiet=quiet,
        app_kwargs={"middleware": [Middleware(RouteGuard)], "docs_url": None, "redoc_url": None, "openapi_url": None},
        allowed_paths=[], enable_monitoring=False, run_history=False, footer_links=["api"], ssr_mode=False,
        pwa=False, mcp_server=False, show_error=False, i18n=ANNOUNCEMENTS, theme=THEME, css=PAGE_CSS, **bounds,
    )
