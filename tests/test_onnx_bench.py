"""``qa bench``'s start-up section (qa.bench.startup): its pieces on small inputs, no timing asserted."""

from __future__ import annotations

import json
import sys

from qa.bench.startup import cold_runs, run_once, section, torch_copy


def test_run_once_reports_the_child_s_own_peak_memory_and_exit_code():
    small = run_once([sys.executable, "-c", "pass"])
    big = run_once([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    assert small[2] == 0 and big[2] == 0 and big[1] > small[1] + 250  # MiB: the child's, not this process's
    assert run_once([sys.executable, "-c", "raise SystemExit(3)"])[2] == 3


def test_cold_runs_take_turns_and_keep_every_run():
    out = cold_runs({"a": [sys.executable, "-c", "pass"], "b": [sys.executable, "-c", "import json"]}, runs=2)
    assert set(out) == {"a", "b"} and all(len(v["wall_s"]) == 2 and v["ok"] for v in out.values())


def test_the_torch_path_copy_names_no_encoder_and_leaves_the_original(tmp_path):
    gen = tmp_path / "index" / "gen-000001"
    (gen).mkdir(parents=True)
    (tmp_path / "index" / "encoders" / "k").mkdir(parents=True)
    (tmp_path / "index" / "CURRENT").write_text("gen-000001\n")
    (gen / "manifest.json").write_text(json.dumps({"model": "m", "query_encoder": {"folder": "encoders/k"}}))
    copy = torch_copy(tmp_path / "index", tmp_path / "copy")
    assert json.loads((copy / "gen-000001" / "manifest.json").read_text()) == {"model": "m"}
    assert not (copy / "encoders").exists() and "query_encoder" in (gen / "manifest.json").read_text()


def test_the_section_marks_each_target_from_the_figures():
    cold = {name: {"wall_s": [w], "peak_rss_mib": [m], "median_wall_s": w, "median_peak_rss_mib": m, "ok": True}
            for name, w, m in (("ask", 0.5, 170.0), ("import_torch", 1.2, 220.0), ("ask_torch_path", 1.5, 370.0))}
    r = {"startup": {"runs": 1, "cold": cold, "ask_over_import_torch_wall": 0.42, "ask_over_torch_path_wall": 0.33,
                     "web_rss_mib": {"onnx": [270.0], "torch": [460.0]}, "web_rss_ratio": 0.65},
         "seeds": {"cli": {"p50_ms": 9.0}, "peer": {"langchain": {"p50_ms": 10.0}}}}
    text = "\n".join(section(r))
    assert "| cold `qa ask` wall ≤ 0.5 × `import torch` (median of run-by-run ratios) | 0.420 | yes |" in text
    assert "≤ 60% of the torch path's | 0.650 | **no** |" in text and "| 0.900 | yes |" in text
    assert section({}) == []
