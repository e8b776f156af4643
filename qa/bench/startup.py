"""``qa bench``: what the torch-free question path saves -- start-up, memory -- against torch, in one run.

What it does: times, interleaved run by run (A, B, C, A, B, C ...), three new
processes: ``qa ask`` on the index as built (questions through its ONNX
encoder), ``python -c "import torch"`` (the yardstick), and ``qa ask`` on a
copy of the index whose manifest names no encoder (so questions go through
torch, as before the encoder existed); each run's wall time and peak RSS come
from ``os.wait4`` in a small launcher process. The ratios are medians of the run-by-run ratios, so the
machine's drift cancels. It also starts the web app (``app.py``, as ``make run``
does) on each of the two indexes in turn and reads its resident memory once
it answers HTTP, and
sets the warm ``qa ask --json -`` per-question time beside the LangChain
recipe's (both measured by ``qa.bench.run`` in the same run). ``section``
renders it all, with the issue's targets, for ``bench.md``.

What it does not do: assert any time (nothing in ``qa bench`` does).

>>> ratio_of([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
1.0
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from qa.bench.procs import _qa_command
from qa.bench.report import _get, table


def ratio_of(a: list[float], b: list[float]) -> float:
    """The median of the run-by-run ratios a[i] / b[i]."""
    return round(float(np.median(np.asarray(a) / np.asarray(b))), 3)


def torch_copy(index: Path, dest: Path) -> Path:
    """A copy of ``index`` whose live manifest names no encoder: answered through torch, as before."""
    shutil.copytree(index, dest, ignore=shutil.ignore_patterns("encoders"))
    gen = dest / (dest / "CURRENT").read_text(encoding="utf-8").strip()
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("query_encoder", None)
    (gen / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


# Runs the command from a small fresh process: a child forked from this (large) one would count this one's
# memory as its own peak until it execs, since the kernel's peak survives exec.
_SPAWN = ("import os, sys, time\nt = time.perf_counter()\nfa = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) "
          "for fd in (0, 1, 2)]\npid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=fa)\n"
          "_, status, ru = os.wait4(pid, 0)\n"
          "print(time.perf_counter() - t, ru.ru_maxrss, os.waitstatus_to_exitcode(status))")


def run_once(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB, the kernel's ``ru_maxrss``) and exit code of one new process running ``cmd``."""
    done = subprocess.run([sys.executable, "-S", "-c", _SPAWN, *cmd], capture_output=True, text=True, check=True)
    wall, peak_kib, code = done.stdout.split()
    return float(wall), int(peak_kib) / 1024, int(code)


def cold_runs(commands: dict[str, list[str]], runs: int) -> dict:
    """Each command ``runs`` times, taking turns, after one warm-up each (the page cache)."""
    for cmd in commands.values():
        run_once(cmd)
    got: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            got[name].append(run_once(cmd))
    return {name: {"wall_s": [round(w, 3) for w, _, _ in rows], "peak_rss_mib": [round(m, 1) for _, m, _ in rows],
                   "median_wall_s": round(float(np.median([w for w, _, _ in rows])), 3),
                   "median_peak_rss_mib": round(float(np.median([m for _, m, _ in rows])), 1),
                   "ok": all(code == 0 for _, _, code in rows)} for name, rows in got.items()}


APP = Path(__file__).resolve().parents[2] / "app.py"  # the web app's entry point, as `make run` starts it
LIBRARY_ENTRY = ["-c", "from qa.web.app import main; main()"]  # the app from the library (no qa.web.lean)


def web_rss_mib(index: Path, timeout: float = 120, entry: list[str] | None = None) -> float | None:
    """Resident memory of the web app (a child process: ``entry``, else ``app.py``) once it answers HTTP on its page."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    entry = entry or ([str(APP)] if APP.is_file() else LIBRARY_ENTRY)
    cmd = [sys.executable, *entry, "--index", str(index), "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout and server.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                time.sleep(1.0)  # whatever it loads on its first page view is loaded
                status = Path(f"/proc/{server.pid}/status").read_text()
                return round(int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS:"))) / 1024, 1)
            except OSError:
                time.sleep(0.5)
        return None
    finally:
        server.terminate()
        server.wait(timeout=30)


def startup_bench(index: Path, docs: Path, question: str, work: Path, runs: int = 5) -> dict:
    """Cold ``qa ask`` (ONNX and torch paths) against ``import torch``, and the web app's memory on both paths."""
    before = torch_copy(index, work / "index-torch-path")
    ask = _qa_command() + ["ask", "--json", "--docs", str(docs), question, "--index"]
    cold = cold_runs({"ask": ask + [str(index)], "import_torch": [sys.executable, "-c", "import torch"],
                      "ask_torch_path": ask + [str(before)]}, runs)
    web = {"onnx": [], "torch": []}
    for _ in range(2):  # in turn, twice
        web["onnx"].append(web_rss_mib(index))
        web["torch"].append(web_rss_mib(before))
    medians = {k: float(np.median(v)) if None not in v else None for k, v in web.items()}
    return {"runs": runs, "cold": cold,
            "ask_over_import_torch_wall": ratio_of(cold["ask"]["wall_s"], cold["import_torch"]["wall_s"]),
            "ask_over_torch_path_wall": ratio_of(cold["ask"]["wall_s"], cold["ask_torch_path"]["wall_s"]),
            "web_rss_mib": web, "web_rss_ratio": round(medians["onnx"] / medians["torch"], 3) if None not in medians.values() else None}


def _ok(value, test) -> str | None:
    return None if value is None else ("yes" if test(value) else "**no**")


def section(r: dict) -> list[str]:
    """``bench.md``'s section on the torch-free question path (empty without its figures)."""
    s = r.get("startup")
    if not s:
        return []
    cold, cli, peer = s["cold"], _get(r, "seeds.cli.p50_ms"), _get(r, "seeds.peer.langchain.p50_ms")
    warm = round(cli / peer, 3) if cli and peer else None
    rows = [["cold `qa ask` wall ≤ 0.5 × `import torch` (median of run-by-run ratios)", s["ask_over_import_torch_wall"],
             _ok(s["ask_over_import_torch_wall"], lambda v: v <= 0.5)],
            ["cold `qa ask` peak RSS ≤ 200 MiB (median)", cold["ask"]["median_peak_rss_mib"],
             _ok(cold["ask"]["median_peak_rss_mib"], lambda v: v <= 200)],
            ["warm `qa ask --json -` per question ≤ LangChain recipe (p50 ratio, seeds)", warm, _ok(warm, lambda v: v <= 1)],
            ["web app RSS after start ≤ 60% of the torch path's", s["web_rss_ratio"], _ok(s["web_rss_ratio"], lambda v: v <= 0.6)]]
    runs = [[name, c["median_wall_s"], min(c["wall_s"]), max(c["wall_s"]), c["median_peak_rss_mib"], c["ok"]]
            for name, c in cold.items()]
    return ["## Start-up without torch", "",
            f"New processes, index on disk, {s['runs']} runs each taking turns (A, B, C, A, B, C ...), after one warm-up each. "
            "`ask`: questions through the index's ONNX encoder; `ask_torch_path`: the same index without an encoder "
            "(questions through torch, as before); `import_torch`: `python -c \"import torch\"`.", "",
            table(["target", "measured", "met"], rows), "",
            table(["process", "median wall s", "min", "max", "median peak RSS MiB", "exit 0"], runs), "",
            f"`ask` / `ask_torch_path` wall: {s['ask_over_torch_path_wall']}. Web app RSS after start (MiB, two starts each, "
            f"in turn): ONNX {s['web_rss_mib']['onnx']}, torch {s['web_rss_mib']['torch']}. Warm per question: "
            f"`qa ask --json -` p50 {cli} ms against the LangChain recipe's {peer} ms (in-process, its embedding through "
            "sentence-transformers).", ""]
