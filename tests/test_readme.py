"""The README says only what the code does: its examples are real output, its tables name real flags.

Each ``$ qa ...`` example is run against the real seeds index and must print
exactly what the README shows; the JSON examples are the real objects; every
command and flag in the table exists; every link and listed subpackage is there.
(The ``qa eval`` example's figures are checked in ``tests/test_eval_gate.py``,
on the run that gate makes anyway.)
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from qa.cli import build_parser, run
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)
EXAMPLES = [body for lang, body in BLOCKS if lang == "text" and body.startswith("$ qa ") and not body.startswith("$ qa eval")]


def example_id(body: str) -> str:
    return body.splitlines()[0][2:60]


def documented_exit(output: str) -> int:
    """The exit status the README gives for an example printing ``output``: ``qa verify`` 3 for a contradicted
    speaker, else 1 for an altered or missing quote; ``qa check`` the same by its summary line; 0 for the rest."""
    if "Speaker check" in output and ": contradicted" in output:
        return 3
    summary = output.split("\n", 1)[0]
    if " quotation" in summary and ":" in summary:  # qa check: its summary line says how it exits
        return 3 if "contradicted" in summary else 1 if "altered" in summary or "not found" in summary else 0
    return 1 if output.startswith(("Altered:", "Not found:")) else 0


def test_the_readme_has_examples_for_asking_and_verifying():
    commands = [shlex.split(b.splitlines()[0][2:])[1] for b in EXAMPLES]
    assert commands.count("ask") >= 2 and commands.count("verify") >= 2


@pytest.mark.integration
@pytest.mark.parametrize("body", EXAMPLES, ids=example_id)
def test_each_cli_example_prints_what_the_readme_shows(body, real_seed_index_dir, real_embedder, capsys, monkeypatch):
    import qa.pipeline

    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: real_embedder)  # the model loads once per session
    command, expected = body.split("\n", 1)
    argv = shlex.split(command[2:])[1:] + ["--index", str(real_seed_index_dir)]
    assert run(argv) == documented_exit(expected)
    assert capsys.readouterr().out.rstrip("\n") == expected.rstrip("\n")


@pytest.mark.integration
def test_the_json_examples_are_the_real_objects(real_seed_index_dir, real_embedder, capsys, monkeypatch):
    import qa.pipeline

    monkeypatch.setattr(qa.pipeline, "load_embedder", lambda *a, **k: real_embedder)
    examples = [body for lang, body in BLOCKS if lang == "json"]  # the output examples, beside sources.json's
    ask_example, verify_example = (next(b for b in examples if b.startswith(key)) for key in ('{"question"', '{"quote"'))
    verify = json.loads(verify_example)
    assert run(["verify", "--json", verify["quote"], "--speaker", "Heigo Sato", "--index", str(real_seed_index_dir)]) == 1
    assert json.loads(capsys.readouterr().out) == verify
    assert run(["ask", "--json", "What did the U.S. ambassador say about Japan's manufacturing capacity?",
                "--index", str(real_seed_index_dir)]) == 0
    answer = json.loads(capsys.readouterr().out)
    shown = json.loads(ask_example.replace('"...", ', '"", ').replace('"..."', '""').replace("[...]", "[]"))
    assert set(answer) | {"conflicts"} == set(shown)
    assert set(answer["passages"][0]) == set(shown["passages"][0])
    assert {k: answer["passages"][0][k] for k in ("file", "paragraph", "start", "end", "speaker")} == \
        {k: v for k, v in shown["passages"][0].items() if k in ("file", "paragraph", "start", "end", "speaker")}


def _options(parser) -> dict[str, set[str]]:
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {name: {s for a in p._actions for s in a.option_strings} for name, p in sub.choices.items()}


def test_every_command_and_flag_in_the_table_exists():
    from qa.web import app

    options = _options(build_parser())
    app_flags = {s for a in app.build_parser()._actions for s in a.option_strings}
    rows = re.findall(r"^\| `(.+?)` \|", README, re.M)
    assert len(rows) >= 8
    for row in rows:
        flags = set(re.findall(r"--[a-z-]+", row))
        words = row.split()
        if words[0] == "qa":
            assert words[1] in options, row
            assert flags <= options[words[1]], (row, flags - options[words[1]])
        else:
            assert words[:2] == ["python", "app.py"] and flags <= app_flags, row


def test_the_app_takes_the_port_the_readme_shows():
    """Both forms the README gives: ``make run PORT=P [HOST=H]`` passes them to app.py, which takes them."""
    import shutil
    import subprocess

    from qa.web.app import parse_args

    made = re.search(r"`make run PORT=(\d+) \[HOST=([\d.]+)\]`, or, without make,\s+"
                     r"`\.venv/bin/python app\.py (--port \d+) \[--host ([\d.]+)\] \[--index DIR\]`", README)
    args = parse_args([*made.group(3).split(), "--host", made.group(4), "--index", "somewhere"])
    assert (args.port, args.host, args.index) == (8080, "0.0.0.0", "somewhere")
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "run", f"PORT={made.group(1)}", f"HOST={made.group(2)}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    app_line = [line for line in dry.splitlines() if "app.py" in line]  # without the install steps a stale stamp adds
    assert len(app_line) == 1
    _, script, *flags = shlex.split(app_line[0])
    assert script == "app.py"
    args = parse_args(flags)
    assert (args.port, args.host) == (int(made.group(1)), made.group(2)) == (8080, "0.0.0.0")


def test_every_link_and_picture_exists():
    targets = re.findall(r"\]\(([^)#:]+)\)", README) + re.findall(r'<img src="([^"]+)"', README)
    assert targets
    assert [t for t in targets if not (ROOT / t).exists()] == []


def test_the_package_list_names_every_stage():
    listed = set(re.findall(r"^- `qa/(\w+)/`", README, re.M))
    actual = {p.name for p in (ROOT / "qa").iterdir() if (p / "__init__.py").is_file()}
    assert listed == actual
