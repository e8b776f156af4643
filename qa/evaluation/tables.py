"""The figures of an evaluation run as tables, and the gate: targets (aims) and thresholds (musts) told apart.

What it does: names the metrics for people, lays out one row per metric --
each system's value, then the assistant's *target* and whether it is *met*,
then the *gate* threshold and whether it *passes* -- as markdown or as aligned
plain text, and the per-group table. A target is what the issue aims at; a
gate threshold is what ``qa eval`` fails on (the level achieved, where a
target is not met yet). They are two pairs of columns, and ``gate_summary``
says in one line how the run stands against both, so "gate: passed" beside a
target not met reads as what it is. ``check_gate`` checks values against
either (a key ending in ``_max`` is an upper bound).

What it does not do: run the systems, compute metrics, write files or plot.

>>> check_gate({"hit@1": 0.8, "false_abstention_rate": 0.1}, {"hit@1": 0.9, "false_abstention_rate_max": 0.05})
['hit@1 = 0.800 < 0.900', 'false_abstention_rate = 0.100 > 0.050']
>>> gate_summary({"config": "eval/config.json", "thresholds": {"hit@1": 0.9}, "failures": [],
...               "targets_not_met": ["MRR"]})
'gate: passed (1 threshold of eval/config.json; 1 target not met: MRR)'
"""

from __future__ import annotations

from qa.evaluation.baselines import LABELS

NAMES = {"mrr": "MRR", "paragraph_accuracy": "paragraph accuracy (top 1)", "abstention_precision": "abstention precision",
         "abstention_recall": "unanswerable abstained (recall)", "false_abstention_rate": "answerable abstained (false)",
         "abstention_accuracy": "abstention accuracy at threshold", "roc_auc": "abstention ROC-AUC",
         "mean_quote_length": "mean quote length (words, top 3)", "verbatim_span_rate": "verbatim span rate",
         "quote_verdict_accuracy": "quote-verdict accuracy (qa verify)",
         "speaker_check_accuracy": "speaker-check accuracy (qa verify)", "ranked_hit@1": "hit@1 ignoring abstention",
         "ranked_hit@3": "hit@3 ignoring abstention", "high_passage_precision": "precision of \"high\" passages",
         "high_passages": "passages labelled \"high\"", "ranked_answer@1": "answer@1 ignoring abstention",
         "ranked_answer@3": "answer@3 ignoring abstention", "paragraph@1": "paragraph@1"}
HEADER = ["target (aim)", "met", "gate (must)", "passes"]
NO = "**no**"  # bold in markdown; console_table drops the stars


def check_gate(values: dict, thresholds: dict) -> list[str]:
    """Failures of ``values`` against ``thresholds``; a metric not measured (None) is skipped."""
    failures = []
    for key, limit in thresholds.items():
        name, upper = (key[:-4], True) if key.endswith("_max") else (key, False)
        value = values.get(name)
        if value is not None and (value > limit if upper else value < limit):
            failures.append(f"{name} = {value:.3f} {'>' if upper else '<'} {limit:.3f}")
    return failures


def fmt(value) -> str:
    """A figure as the tables show it: "n/a" when not measured, a count as it is, 3 decimals for rates,
    1 for larger numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "n/a" if value is None else (f"{value:.1f}" if value > 1.0 else f"{value:.3f}")


def bound(metric: str, limits: dict) -> tuple[str, str] | None:
    """(key, "≥ x" / "≤ x") of ``metric`` in ``limits`` (targets or gate thresholds), or None."""
    for key, op in ((metric, "≥"), (metric + "_max", "≤")):
        if key in limits:
            return key, f"{op} {limits[key]}"
    return None


def verdict(metric: str, limits: dict, value) -> str:
    """Whether ``value`` of ``metric`` meets its bound in ``limits``: "yes", NO, "n/a" (not measured) or "" (no bound)."""
    found = bound(metric, limits)
    if found is None or value is None:
        return "" if found is None else "n/a"
    return "yes" if not check_gate({metric: value}, {found[0]: limits[found[0]]}) else NO


def table_rows(run, targets: dict, thresholds: dict) -> list[list[str]]:
    """Header and one row per metric: each system's value, the target and met, the gate threshold and passes."""
    rows = [["metric"] + [LABELS[s.system] for s in run.systems] + HEADER]
    for metric in run.metrics:
        values = [s.values.get(metric) for s in run.systems]
        rows.append([NAMES.get(metric, metric)] + [fmt(v) for v in values]
                    + [(bound(metric, targets) or ("", ""))[1], verdict(metric, targets, values[0]),
                       (bound(metric, thresholds) or ("", ""))[1], verdict(metric, thresholds, values[0])])
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a markdown table (first row is the header).

    >>> print(markdown_table([["a", "b"], ["1", "2"]]))
    | a | b |
    |---|---|
    | 1 | 2 |
    """
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * len(rows[0])] + lines[1:])


def console_table(rows: list[list[str]]) -> str:
    """Rows as aligned plain text (markdown's bold dropped, and not counted in the widths)."""
    plain = [[c.replace("**", "") for c in r] for r in rows]
    widths = [max(len(r[i]) for r in plain) for i in range(len(plain[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in plain)


def group_rows(run) -> list[list[str]]:
    """Per question kind (eval set) or article (SQuAD): the assistant's figures, and hit@1/answer@1 of all."""
    first = run.systems[0].by_group
    keys = sorted({k for g in first.values() for k in g if k != "n"})
    top1 = "answer@1" if run.name == "squad" else "hit@1"
    head = ["group", "n"] + [f"assistant {k}" for k in keys] + [f"{LABELS[s.system]} {top1}" for s in run.systems[1:]]
    rows = [head]
    for group, figures in first.items():
        rows.append([group, str(figures["n"])] + [fmt(figures.get(k)) if k in figures else "" for k in keys]
                    + [fmt(s.by_group[group].get(top1)) if top1 in s.by_group[group] else "" for s in run.systems[1:]])
    return rows


def judge(run, thresholds: dict, targets: dict, config: str) -> dict:
    """The gate of ``run``: the thresholds (from ``config``), the assistant's failures, passed, and its targets not met.

    Written into the JSON report as it is; ``gate_summary`` says it in one line.
    """
    values = run.systems[0].values
    failures = check_gate(values, thresholds)
    return {"config": config, "thresholds": thresholds, "failures": failures, "passed": not failures,
            "targets_not_met": [NAMES.get(m, m) for m in run.metrics if verdict(m, targets, values.get(m)) == NO]}


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def gate_summary(gate: dict) -> str:
    """The closing line of ``qa eval``: passed or FAILED (and why), of how many thresholds, which targets are not met."""
    head = "gate: passed" if not gate["failures"] else "gate FAILED: " + "; ".join(gate["failures"])
    unmet = gate["targets_not_met"]
    targets = f"{_count(len(unmet), 'target')} not met: {', '.join(unmet)}" if unmet else "every target met"
    return f"{head} ({_count(len(gate['thresholds']), 'threshold')} of {gate['config']}; {targets})"
