"""Load test of the web app's HTTP API: many questions at once, a rebuild mid-way.

What it does: sends a bounded number of questions *at the same time* to a
running app's ``ask`` endpoint (Gradio's REST route: POST
``/gradio_api/call/ask``, then read the result stream), on loopback only,
and sorts every reply: its own correct answer, an explicit "busy" (HTTP 503,
queue full), or a failure. Correct means equal to one of the answers the
caller expects for *that* question -- e.g. the CLI's answer from the old or
the new index generation -- so an answer delivered to the wrong request, or
mixing two generations, counts as wrong. Latency p50/p95 and the serving
process's memory before and after are reported.

What it does not do: retry, ramp up, or ever talk to a non-loopback address.

Full run with the real model: ``python -m qa.bench.loadtest --requests 200``.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx
import numpy as np

from qa.bench.scale import RssTimeline, rss_mib

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class LoadResult:
    sent: int = 0
    answered: int = 0
    busy: int = 0
    failed: int = 0
    wrong: int = 0
    seconds: list[float] = field(default_factory=list)  # of answered requests
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        lat = np.array(self.seconds) * 1000 if self.seconds else np.zeros(1)
        return {"sent": self.sent, "answered": self.answered, "busy": self.busy, "failed": self.failed,
                "wrong": self.wrong, "p50_ms": round(float(np.percentile(lat, 50)), 1),
                "p95_ms": round(float(np.percentile(lat, 95)), 1)}


def _stream_result(text: str) -> tuple[str, object]:
    """('complete' | 'error', payload) from a Gradio result stream."""
    event, data = "error", None
    for line in text.splitlines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data = line.split(":", 1)[1].strip()
    try:
        payload = json.loads(data) if data else None
    except ValueError:
        payload = data
    return event, payload


async def _ask(client: httpx.AsyncClient, url: str, question: str) -> tuple[str, object, float]:
    started = time.perf_counter()
    try:
        r = await client.post(f"{url}/gradio_api/call/ask", json={"data": [question, 3]})
        if r.status_code == 503:
            return "busy", r.text, time.perf_counter() - started
        r.raise_for_status()
        stream = await client.get(f"{url}/gradio_api/call/ask/{r.json()['event_id']}")
        event, payload = _stream_result(stream.text)
        kind = "answer" if event == "complete" else "error"
        return kind, payload[0] if kind == "answer" and isinstance(payload, list) else payload, time.perf_counter() - started
    except (httpx.HTTPError, ValueError, KeyError) as err:
        return "error", repr(err), time.perf_counter() - started


async def _send_all(url: str, questions: list[str], timeout: float, clients: int | None):
    # No keep-alive: a pooled connection idle past the server's keep-alive
    # timeout is closed under the client, which would count as a failure
    # of the server although it is the client's reuse that failed.
    limits = httpx.Limits(max_connections=len(questions), max_keepalive_connections=0)
    gate = asyncio.Semaphore(clients or len(questions) or 1)  # each client asks one question at a time

    async def one(client, question):
        async with gate:
            return await _ask(client, url, question)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        return await asyncio.gather(*[one(client, q) for q in questions])


def send(url: str, questions: list[str], timeout: float = 120, clients: int | None = None) -> list[tuple[str, object, float]]:
    """Send ``questions`` to ``url`` (loopback only) from ``clients`` concurrent clients (default: all at
    once); the raw replies, in order."""
    if urlparse(url).hostname not in LOOPBACK:
        raise ValueError(f"the load test only targets this machine, not {url}")
    return asyncio.run(_send_all(url.rstrip("/"), questions, timeout, clients))


def tally(questions: list[str], replies, expected: dict[str, list[dict]]) -> LoadResult:
    """Sort each reply: its question's expected answer, busy, wrong, or failed."""
    result = LoadResult(sent=len(questions))
    for question, (kind, payload, seconds) in zip(questions, replies):
        if kind == "busy":
            result.busy += 1
        elif kind == "answer" and payload in expected[question]:
            result.answered += 1
            result.seconds.append(seconds)
        elif kind == "answer":
            result.wrong += 1
            result.errors.append(f"wrong answer for {question!r}")
        else:
            result.failed += 1
            result.errors.append(str(payload)[:200])
    return result


def run_load(url: str, questions: list[str], expected: dict[str, list[dict]], timeout: float = 120,
             clients: int | None = None) -> LoadResult:
    """``send`` then ``tally``."""
    return tally(questions, send(url, questions, timeout, clients), expected)


def cli_answers(index_dir, docs_dir, questions: list[str]) -> dict[str, dict]:
    """The answers ``qa ask --json -`` gives for ``questions`` (the reference)."""
    import subprocess
    import sys

    unique = list(dict.fromkeys(questions))
    proc = subprocess.run([sys.executable, "-m", "qa", "ask", "--json", "-", "--index", str(index_dir), "--docs", str(docs_dir)],
                          input="\n".join(unique) + "\n", capture_output=True, text=True, check=True)
    return dict(zip(unique, (json.loads(line) for line in proc.stdout.splitlines())))


def _serve(work, model_cfg):
    """The seeds copied into ``work``, indexed, and served by a live app; (docs, index, demo, url, live)."""
    import shutil

    from qa.live import LiveAssistant
    from qa.pipeline import build_index_folder
    from qa.web import app as webapp

    docs, index = work / "docs", work / "index"
    shutil.copytree("seeds", docs)
    build_index_folder(docs, index, model_cfg)
    live = LiveAssistant(index, model_cfg, check_every=0.2)
    demo = webapp.build_app(live)
    _, url, _ = webapp.launch(demo, port=None, block=False, quiet=True)
    return docs, index, demo, url, live


def main(argv: list[str] | None = None) -> None:
    import argparse
    import shutil
    import tempfile
    import threading
    from pathlib import Path

    from qa.config import Config
    from qa.pipeline import build_index_folder

    p = argparse.ArgumentParser(prog="python -m qa.bench.loadtest", description="Load test of the web API (real model, loopback).")
    p.add_argument("--requests", type=int, default=300, help="questions per round")
    p.add_argument("--clients", type=int, default=20, help="concurrent clients (0: every request at once)")
    p.add_argument("--rounds", type=int, default=2, help="rounds in a row; the index is rebuilt during the first")
    p.add_argument("--questions", default="eval/questions.jsonl")
    p.add_argument("--rebuild-after", type=float, default=1.0, help="seconds into the first round to rebuild the index")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="qa-load-"))
    docs, index, demo, url, live = _serve(work, Config())
    pool = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [pool[i % len(pool)] for i in range(args.requests)]
    old = cli_answers(index, docs, questions)
    live.ask(questions[0])  # warm up
    report, new = {"rss_before_mib": round(rss_mib(), 1), "rounds": []}, None
    with RssTimeline(every=1.0) as timeline:
        for k in range(args.rounds):
            outcome: dict = {}
            sender = threading.Thread(target=lambda: outcome.update(replies=send(url, questions, clients=args.clients or None)))
            sender.start()
            if k == 0:
                time.sleep(args.rebuild_after)
                (docs / "zz_added.txt").write_text("Late news\n\nJapan will also study naval drones from Baykar, officials said.\n",
                                                   encoding="utf-8")
                build_index_folder(docs, index, Config())
            sender.join()
            new = new or cli_answers(index, docs, questions)
            result = tally(questions, outcome["replies"], {q: [old[q], new[q]] if k == 0 else [new[q]] for q in questions})
            report["rounds"].append({**result.summary(), "rss_after_mib": round(rss_mib(), 1), "errors": result.errors[:5]})
    demo.close()
    first, last = report["rounds"][0]["rss_after_mib"], report["rounds"][-1]["rss_after_mib"]
    report.update(rss_last_over_first=round(last / first, 3), rss_timeline_mib=timeline.samples,
                  questions_whose_answer_changed_with_the_rebuild=sum(old[q] != new[q] for q in set(questions)))
    print(json.dumps(report))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
