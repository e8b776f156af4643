"""The parts of ``qa bench`` measured across a process boundary.

What it does: times ``qa ask --json -`` per answer line (and its start-up
with no input), a cold ``qa ask`` to its first answer and ``qa --help``,
the peak memory of a child ``qa index`` (VmHWM, read as it exits), and the
web app's ``ask`` endpoint with the server in a child process -- through the
two documented HTTP requests and through ``gradio_client``.

What it does not do: measure inside this process (``qa.bench.run``) or write
the report (``qa.bench.report``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from qa.bench.scale import interleaved, latency


def _qa_command() -> list[str]:
    script = Path(sys.executable).parent / "qa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "qa"]


def _wall(cmd: list[str], stdin: str = "", timeout: float = 300) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - started, done


def cli_batch(index: Path, docs: Path, questions: list[str]) -> dict:
    """``qa ask --json -``: start-up (empty input), then all questions, timed per answer line."""
    cmd = _qa_command() + ["ask", "--json", "-", "--index", str(index), "--docs", str(docs)]
    startup, _ = _wall(cmd)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write("".join(q + "\n" for q in questions))
    proc.stdin.close()
    arrivals = [time.perf_counter() for _ in iter(proc.stdout.readline, "")]
    proc.wait()
    total = time.perf_counter() - started
    gaps = np.diff(arrivals).tolist()
    return {"startup_seconds": round(startup, 2), "total_seconds": round(total, 2), "answers": len(arrivals),
            "per_question_ms": round((total - startup) / max(1, len(questions)) * 1000, 2),
            "first_answer_seconds": round(arrivals[0] - started, 2) if arrivals else None, **latency(gaps)}


def cold_start(index: Path, docs: Path, question: str, runs: int = 3) -> dict:
    """A new ``qa ask --json`` process, index on disk, to its answer; and ``qa --help``."""
    ask = [_wall(_qa_command() + ["ask", "--json", "--index", str(index), "--docs", str(docs), question]) for _ in range(runs)]
    helps = [_wall(_qa_command() + ["--help"])[0] for _ in range(runs)]
    probe = "import sys\nfrom qa.cli import build_parser\ntry: build_parser().parse_args(['--help'])\nexcept SystemExit: pass\nprint('torch' in sys.modules)"
    torch_loaded = _wall([sys.executable, "-c", probe])[1].stdout.strip().splitlines()[-1:] == ["True"]
    return {"first_answer_seconds": latency([s for s, _ in ask]), "ok": all(d.returncode == 0 for _, d in ask),
            "help_seconds": latency(helps), "help_imports_torch": torch_loaded}


def build_memory(docs: Path, index: Path) -> dict:
    """Peak resident memory (VmHWM at exit) and wall time of a child ``qa index``, model load included."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('VmHWM', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0], file=sys.stderr))\n"
            "from qa.cli import main\nmain()")
    seconds, done = _wall([sys.executable, "-c", code, "index", "--docs", str(docs), "--index", str(index)])
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM ")]
    return {"peak_rss_mib": round(int(peak[-1]) / 1024, 1) if peak else None, "wall_seconds": round(seconds, 2),
            "ok": done.returncode == 0}


def http_api(index: Path, questions: list[str], timeout: float = 180) -> dict:
    """The web app's ``ask`` endpoint (server in a child process): the two documented HTTP requests
    (POST ``/gradio_api/call/ask``, GET its result), and ``gradio_client``, interleaved."""
    import socket
    import tempfile

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-c", "from qa.web.app import main; main()", "--index", str(index), "--port", str(port)]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, text=True)
        try:
            return _ask_server(f"http://127.0.0.1:{port}", server, log, questions, timeout)
        except Exception as err:  # the web app is a colleague's work in progress: report, don't fail
            return {"status": "pending", "reason": f"{type(err).__name__}: {str(err)[:300]}"}
        finally:
            server.terminate()
            server.wait(timeout=30)


def _ask_server(url: str, server, log, questions: list[str], timeout: float) -> dict:
    import httpx
    from gradio_client import Client

    started = time.perf_counter()
    while True:
        try:
            client = Client(url + "/", verbose=False)
            break
        except Exception:
            if server.poll() is not None or time.perf_counter() - started > timeout:
                log.seek(0)
                raise RuntimeError(f"web app did not start: {log.read()[-300:]}") from None
            time.sleep(1.0)
    up = time.perf_counter() - started
    with httpx.Client(base_url=url, timeout=60) as http:

        def raw(q: str) -> None:
            event = http.post("/gradio_api/call/ask", json={"data": [q, 3]}).json()["event_id"]
            body = http.get(f"/gradio_api/call/ask/{event}").text
            if "event: complete" not in body:
                raise RuntimeError(f"no answer: {body[-200:]}")

        out = interleaved({"raw_http": raw, "gradio_client": lambda q: client.predict(q, 3, api_name="/ask")}, questions)
    return {"status": "measured", "server_start_seconds": round(up, 1), **out["raw_http"], **out}
