"""Run the evaluation set through the assistant and the baselines; figures per system.

What it does: indexes the seed folder into a cache folder of its own (reused
while ``qa.pipeline.index_status`` says it is current), loads the model once,
encodes every question in one batch, asks every question of every system in
``qa.evaluation.baselines`` and turns the replies into figures with ``qa.evaluation.metrics``:
hit@1/hit@3/MRR against the gold evidence (every occurrence of it in the
gold file, matched normalised by ``qa.evaluation.cases.find_all``: the
seeds repeat some sentences), top-1 paragraph accuracy, abstention
precision/recall/false-abstention rate/accuracy and ROC-AUC of the
answerability score, mean quote length, the verbatim-span rate (checked
against the files on disk), quote-verdict accuracy when ``qa.quotes.verify`` exists,
and hit@k per question kind. The shared pieces (``prepare_index``,
the result dataclasses) also serve ``qa.evaluation.squad_runner``. A baseline's abstention
uses the *oracle* threshold (``qa.evaluation.baselines.abstention_figures``); the
assistant's own rule is never tuned here.

What it does not do: write reports (``qa.evaluation.report``) or tune the answerer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.answer.shapes import question_shape
from qa.evaluation.baselines import SYSTEMS, Reply, abstention_figures, run_systems
from qa.config import Config
from qa.ingest.documents import read_folder
from qa.index.embedding import load_embedder
from qa.evaluation.cases import Case, load_cases, load_quote_cases
from qa.evaluation.metrics import (Span, first_hit_rank, hit_at_k, mean_quote_length, mrr, paragraph_accuracy,
                        verbatim_span_rate, verdict_accuracy)
from qa.pipeline import build_index_folder, index_status, open_assistant

EVAL_METRICS = ("hit@1", "hit@3", "mrr", "paragraph_accuracy", "abstention_precision", "abstention_recall",
                "false_abstention_rate", "abstention_accuracy", "roc_auc", "mean_quote_length",
                "verbatim_span_rate", "quote_verdict_accuracy", "speaker_check_accuracy", "ranked_hit@3",
                "high_passage_precision", "high_passages")


@dataclass
class SystemFigures:
    system: str
    values: dict[str, float | None]   # metric name -> value; None where it does not apply
    curve: list[float]                # hit@k (answer@k) for k = 1..top_k
    scores: list[float]               # answerability score per question
    answerable: list[bool]
    threshold: float | None = None    # abstention threshold on the score: own (assistant), oracle (baseline)
    by_group: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class EvalRun:
    name: str                         # "eval" or "squad": which report files it writes
    title: str
    metrics: tuple[str, ...]
    systems: list[SystemFigures]
    settings: dict
    seconds: dict[str, float]
    details: list[dict]               # the assistant's outcome per question


def prepare_index(docs_dir: Path, index_dir: Path, cfg: Config, embedder) -> bool:
    """Build ``index_dir`` from ``docs_dir`` unless it is current; True if it was built."""
    if index_status(docs_dir, index_dir, cfg) is None:
        return False
    build_index_folder(docs_dir, index_dir, cfg, embedder=embedder)
    return True


def gold_rank(passages, case: Case):
    """Best rank at which a passage overlaps any occurrence of the gold evidence."""
    ranks = [r for r in (first_hit_rank([Span(p.file, p.start, p.end) for p in passages], g) for g in case.gold) if r]
    return min(ranks) if ranks else None


def _gold_paragraph(reply: Reply, case: Case) -> tuple[str, int]:
    top = top_paragraph(reply)
    return top if top in case.paragraphs else case.paragraphs[0]


def top_paragraph(reply: Reply) -> tuple[str, int] | None:
    return (reply.passages[0].file, reply.passages[0].paragraph) if reply.passages else None


def _by_kind(cases: list[Case], ranks: list, answered: list[bool]) -> dict[str, dict[str, float]]:
    """Figures per question kind as the set labels it, then per shape as the assistant reads it
    (``qa.answer.shapes``: "shape speech", "shape typed, unanswerable", ...), so both sets compare."""
    read = {c.id: f"shape {question_shape(c.question).kind}" + ("" if c.answerable else ", unanswerable") for c in cases}
    return {**_groups(cases, ranks, answered, lambda c: c.kind), **_groups(cases, ranks, answered, lambda c: read[c.id])}


def _groups(cases: list[Case], ranks: list, answered: list[bool], key) -> dict[str, dict[str, float]]:
    groups: dict[str, dict[str, float]] = {}
    for kind in sorted({key(c) for c in cases}):
        rows = [i for i, c in enumerate(cases) if key(c) == kind]
        group = {"n": len(rows), "answered": float(np.mean([answered[i] for i in rows]))}
        if cases[rows[0]].answerable:
            group.update({"hit@1": hit_at_k([ranks[i] for i in rows], 1), "hit@3": hit_at_k([ranks[i] for i in rows], 3)})
        groups[kind] = group
    return groups


def eval_figures(name: str, replies: list[Reply], cases: list[Case], texts: dict[str, str], top_k: int) -> SystemFigures:
    """The evaluation-set figures of one system."""
    answerable = [c.answerable for c in cases]
    ranks = [gold_rank(r.passages, c) if c.answerable else None for r, c in zip(replies, cases)]
    ranked = [gold_rank(r.ranked or r.passages, c) for r, c in zip(replies, cases) if c.answerable]
    hits = [ranks[i] for i, ok in enumerate(answerable) if ok]
    abstention, threshold, answered = abstention_figures(replies, answerable)
    values = {"hit@1": hit_at_k(hits, 1), "hit@3": hit_at_k(hits, 3), "mrr": mrr(hits),
              "paragraph_accuracy": paragraph_accuracy([top_paragraph(r) for r, c in zip(replies, cases) if c.answerable],
                                                       [_gold_paragraph(r, c) for r, c in zip(replies, cases) if c.answerable]),
              **abstention,
              "mean_quote_length": mean_quote_length([p.quote for r in replies for p in r.passages[:3]]),
              "verbatim_span_rate": verbatim_span_rate([p.as_json() for r in replies for p in r.passages], texts),
              "quote_verdict_accuracy": None, "speaker_check_accuracy": None, "ranked_hit@3": hit_at_k(ranked, 3),
              **high_passages([[gold_rank([p], c) == 1 if c.answerable else False for p in r.passages] for r, c in
                               zip(replies, cases)], replies)}
    return SystemFigures(name, values, [hit_at_k(hits, k) for k in range(1, top_k + 1)], [r.score for r in replies],
                         answerable, threshold, _by_kind(cases, ranks, answered))


def high_passages(right: list[list[bool]], replies: list[Reply]) -> dict[str, float | None]:
    """Precision and count of the passages labelled "high" (``right[i][j]``: passage j of reply i holds the
    answer); None for a system that labels none (the baselines).

    >>> from qa.answer.passages import Passage
    >>> hi, lo = Passage("a", 1, 0, 1, "x", 1.0, label="high"), Passage("a", 1, 0, 1, "x", 1.0, label="low")
    >>> high_passages([[True, False], [False]], [Reply([hi, lo], 1.0, True), Reply([hi], 1.0, True)])
    {'high_passage_precision': 0.5, 'high_passages': 2}
    """
    flags = [ok for r, oks in zip(replies, right) for p, ok in zip(r.passages, oks) if p.label == "high"]
    labelled = any(p.label for r in replies for p in r.passages)
    return {"high_passage_precision": float(np.mean(flags)) if flags else None,
            "high_passages": len(flags) if labelled else None}


def assistant_details(replies: list[Reply], cases: list[Case]) -> list[dict]:
    """The assistant's outcome per question, for finding where it fails."""
    rows = []
    for r, c in zip(replies, cases):
        top = top_paragraph(r)
        rows.append({"id": c.id, "kind": c.kind, "answerable": c.answerable, "answered": r.answered,
                     "score": round(r.score, 4), "top": f"{top[0]} ¶{top[1]}" if top else None,
                     "gold": ", ".join(f"{f} ¶{n}" for f, n in c.paragraphs) or None,
                     "rank": gold_rank(r.passages, c) if c.answerable else None,
                     "ranked_rank": gold_rank(r.ranked or r.passages, c) if c.answerable else None,
                     "question": c.question})
    return rows


def quote_figures(index, cases: list[dict]) -> dict[str, float | None]:
    """Verdict and speaker-check accuracy of ``qa.quotes.verify`` on the quote cases; None while it is unavailable."""
    none = {"quote_verdict_accuracy": None, "speaker_check_accuracy": None}
    try:
        from qa.quotes.verify import BadQuote, verify_quote

        found = []
        for c in cases:
            try:
                found.append(verify_quote(index, c["quote"], c.get("speaker")))
            except BadQuote:
                found.append(None)
    except ImportError:  # qa.quotes.verify (or a module it needs) is not there yet
        return none
    verdicts = [v.verdict if v else "error" for v in found]
    spoken = [(v.speaker_check if v else "error", c["expected_speaker_check"]) for v, c in zip(found, cases)
              if c.get("expected_speaker_check") is not None]
    return {"quote_verdict_accuracy": verdict_accuracy(verdicts, [c["expected_verdict"] for c in cases]),
            "speaker_check_accuracy": verdict_accuracy(*zip(*spoken)) if spoken else None}


@dataclass(frozen=True)
class EvalPaths:
    docs: Path = Path("seeds")
    questions: Path = Path("eval/questions.jsonl")
    quotes: Path = Path("eval/quotes.jsonl")
    work: Path = Path("eval/runs")


def run_eval_set(paths: EvalPaths, cfg: Config, embedder=None, top_k: int = 5, name: str = "eval") -> EvalRun:
    """Every system on the evaluation set (see module docstring)."""
    clock = time.perf_counter()
    docs = {d.name: d for d in read_folder(paths.docs, cfg.max_file_bytes)[0]}
    texts = {name: d.text for name, d in docs.items()}
    cases = load_cases(paths.questions, docs, cfg.max_question_chars)  # input checked before the slow part
    quote_cases = load_quote_cases(paths.quotes)
    embedder = embedder or load_embedder(cfg.model, cfg.batch_size)
    seconds = {"load model": time.perf_counter() - clock}
    built = prepare_index(Path(paths.docs), Path(paths.work) / "seeds-index", cfg, embedder)
    assistant = open_assistant(Path(paths.work) / "seeds-index", cfg, embedder)
    seconds["build index" if built else "open index"] = time.perf_counter() - clock - seconds["load model"]
    replies, timed = run_systems(assistant, [c.question for c in cases], top_k)
    systems = [eval_figures(name, replies[name], cases, texts, top_k) for name in SYSTEMS]
    clock_quotes = time.perf_counter()
    systems[0].values.update(quote_figures(assistant.index, quote_cases))
    systems[0].threshold = assistant.confidence.answer_threshold
    seconds.update(timed, **{"verify quotes": time.perf_counter() - clock_quotes, "total": time.perf_counter() - clock})
    settings = {"questions": len(cases), "answerable": sum(c.answerable for c in cases), "top_k": top_k,
                "documents": len(docs), "sentences": len(assistant.index.sentences), "model": cfg.model,
                "docs": str(paths.docs), "question_file": str(paths.questions)}
    title = "Evaluation set" if name == "eval" else f"{name.replace('_', ' ').capitalize()} questions"
    return EvalRun(name, title, EVAL_METRICS, systems, settings, seconds, assistant_details(replies["assistant"], cases))


def run_name(questions: Path, config: dict) -> str:
    """"natural" for eval/natural.jsonl, whose section in eval/config.json holds its own gate (and
    which writes its own report files); "eval" for eval/questions.jsonl and any file without one.

    >>> run_name(Path("eval/natural.jsonl"), {"natural": {}}), run_name(Path("mine.jsonl"), {"natural": {}})
    ('natural', 'eval')
    """
    stem = Path(questions).stem
    return stem if stem not in ("eval", "squad") and isinstance(config.get(stem), dict) else "eval"
