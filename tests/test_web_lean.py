"""The web app's entry point leaves pyarrow out of the server's process (qa.web.lean), and answers as before."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["How heavy is the tank?", "Why are Japanese arms makers struggling?"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mapped(pid: int, name: str) -> bool:
    """Whether process ``pid`` has a file of package ``name`` mapped (a loaded extension module)."""
    return f"/site-packages/{name}/" in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.integration
def test_the_served_app_runs_without_pyarrow_and_answers_as_the_library(real_seed_index_dir, real_assistant):
    pytest.importorskip("pyarrow")  # installed by the ray extra; without it there is nothing to leave out
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--index", str(real_seed_index_dir), "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read()[-800:]
                time.sleep(0.5)
        assert _mapped(server.pid, "pandas") and not _mapped(server.pid, "pyarrow")  # Gradio loaded pandas, not Arrow
        for question in QUESTIONS:
            event = httpx.post(f"{url}/gradio_api/call/ask", json={"data": [question]}).json()["event_id"]
            reply = httpx.get(f"{url}/gradio_api/call/ask/{event}", timeout=60).text
            data = json.loads(next(line[len("data: "):] for line in reply.splitlines() if line.startswith("data: ")))
            served, library = data[0], real_assistant.ask(question).as_json()
            assert [(p["quote"], p["start"], p["end"]) for p in served["passages"]] == \
                [(p["quote"], p["start"], p["end"]) for p in library["passages"]] and served["passages"]
        assert not _mapped(server.pid, "pyarrow")  # answering did not need it either
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_library_import_of_the_web_package_loads_no_gradio():
    """``qa.web``'s names load Gradio on first use, so ``app.py`` can set up the process before."""
    code = "import sys, qa.web, qa.web.lean; print('gradio' in sys.modules, callable(qa.web.main), 'gradio' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.split() == ["False", "True", "True"], done.stderr[-500:]
