"""Round-trip time of one question through the web API (gradio_client), real model, warm.

Run from the repository root (after ``qa index``):

    .venv/bin/python scripts/roundtrip.py [--index index] [--n 20]

Starts the app on a free local port, asks a few warm-up questions, then
times ``Client.predict(question, api_name="/ask")`` for the first ``n``
questions of ``eval/questions.jsonl``; for comparison, the same questions
over Gradio's REST route on one kept-alive connection (the server's share)
and answered in-process (``Assistant.ask``). Prints medians, p90 and the
machine's load average (other work on a small machine skews the numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from gradio_client import Client  # noqa: E402

from qa.web import app as webapp  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.pipeline import open_assistant  # noqa: E402


def timed(fn, questions) -> list[float]:
    out = []
    for q in questions:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def rest_ask(http: httpx.Client, url: str, question: str) -> str:
    """One question over ``/gradio_api/call/ask`` (REST callers pass every argument)."""
    event = http.post(f"{url}/gradio_api/call/ask", json={"data": [question, 3]}).json()["event_id"]
    with http.stream("GET", f"{url}/gradio_api/call/ask/{event}") as stream:
        return next(line for line in stream.iter_lines() if line.startswith("data:"))


def summary(name: str, ms: list[float]) -> str:
    p90 = sorted(ms)[int(0.9 * (len(ms) - 1))]
    return f"{name}: median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, min {min(ms):.1f} ms (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [r["question"] for r in rows][: args.n]
    assistant = open_assistant(args.index, Config())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = webapp.build_app(assistant)
    _, url, _ = webapp.launch(demo, port=port, block=False, quiet=True)
    try:
        client = Client(url, verbose=False)
        for q in questions[:3]:  # warm up the model, the server and the connection
            client.predict(q, api_name="/ask")
        api = timed(lambda q: client.predict(q, api_name="/ask"), questions)
        with httpx.Client() as http:
            rest = timed(lambda q: rest_ask(http, url.rstrip("/"), q), questions)
        local = timed(assistant.ask, questions)
    finally:
        demo.close()
    print(summary("gradio_client /ask round trip", api))
    print(summary("REST /gradio_api/call/ask, kept-alive connection", rest))
    print(summary("Assistant.ask in-process", local))
    print("load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
