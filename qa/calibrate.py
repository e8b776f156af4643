"""Fit the answerer's ranking weights and abstention model (a developer tool).

What it does: asks every question of the evaluation set (seeds) and of a
SQuAD-format file through the normal scoring, labels each candidate
sentence (it overlaps the gold evidence, or contains a gold answer), and
fits two logistic regressions: one over ``qa.retrieval.FEATURES`` whose
weights become the ranker, one over ``qa.answerability`` features whose
probability decides answer / abstain. The answer threshold is the highest
that keeps wrongly abstained evaluation-set questions at or under 5%; the
high-confidence threshold is where answered questions are right 90% of the
time. Writes ``qa/calibration.json`` with the figures it was chosen on.

Run: ``python -m qa.calibrate --squad ../shared/benchmarks/squad2-dev-part-a.json``

What it does not do: run at query time, or look at held-back data.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.answerability import answerability_features
from qa.calibration import Calibration, load_calibration, save_calibration
from qa.config import Config
from qa.lexical import tokenize
from qa.metrics import squad_normalize
from qa.pipeline import build_index_folder, index_status, open_assistant
from qa.retrieval import score_question
from qa.textnorm import find_normalized


@dataclass
class Sample:
    group: str                # where the question comes from (fold for cross-validation)
    features: np.ndarray      # candidate sentences x FEATURES
    relevant: np.ndarray      # candidate holds the answer
    answerability: np.ndarray
    answerable: bool


def _open(docs: Path, work: Path, cfg: Config, embedder=None):
    if index_status(docs, work, cfg) is not None:
        build_index_folder(docs, work, cfg, embedder=embedder)
    return open_assistant(work, cfg, embedder=embedder)


def _sample(assistant, question: str, group: str, is_relevant) -> Sample:
    scored = score_question(assistant.index, assistant.embedder, question, assistant.weights, assistant.cfg.candidates)
    relevant = np.array([is_relevant(assistant.index.sentences[i]) for i in scored.ids], dtype=bool)
    feats = answerability_features(assistant.index, question, tokenize(question), scored)
    return Sample(group, scored.features, relevant, feats, bool(relevant.any()))


def eval_set_samples(assistant, questions_path: Path) -> list[Sample]:
    """Samples of the hand-written evaluation set (relevant = overlaps the evidence)."""
    samples = []
    for line in questions_path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if row is None:
            continue
        span = None
        if row.get("answerable"):
            doc = assistant.index.doc_by_name(row["file"])
            span = (doc.name, *find_normalized(row["evidence"], doc.text))
        names = [d.name for d in assistant.index.docs]

        def hit(s, span=span):
            return span is not None and names[s.doc] == span[0] and s.start < span[2] and span[1] < s.end
        sample = _sample(assistant, row["question"], "evalset", hit)
        sample.answerable = bool(row.get("answerable"))
        samples.append(sample)
    return samples


def squad_samples(assistant, questions) -> list[Sample]:
    """Samples of a converted SQuAD file (relevant = contains a gold answer)."""
    texts = [f" {squad_normalize(s.text)} " for s in assistant.index.sentences]
    rows = {id(s): i for i, s in enumerate(assistant.index.sentences)}
    samples = []
    for q in questions:
        golds = [f" {squad_normalize(a)} " for a in q.answers if squad_normalize(a)]
        sample = _sample(assistant, q.question, q.file, lambda s: any(g in texts[rows[id(s)]] for g in golds))
        sample.answerable = q.answerable
        samples.append(sample)
    return samples


def fit_ranker(samples: list[Sample]) -> np.ndarray:
    """Logistic-regression weights over FEATURES (relevant vs not)."""
    from sklearn.linear_model import LogisticRegression

    X = np.concatenate([s.features for s in samples if s.answerable])
    y = np.concatenate([s.relevant for s in samples if s.answerable])
    model = LogisticRegression(C=1.0, max_iter=5000).fit(X, y)
    return model.coef_[0] / np.abs(model.coef_[0]).sum()


def fit_answerability(samples: list[Sample]) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    X = np.stack([s.answerability for s in samples])
    y = np.array([s.answerable for s in samples])
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(X, y)
    return model.coef_[0], float(model.intercept_[0])


def hit_at(samples: list[Sample], weights: np.ndarray, k: int) -> float:
    """Share of answerable samples whose top-k candidates (re-ranked) hold the answer."""
    answerable = [s for s in samples if s.answerable]
    hits = [s.relevant[np.argsort(-(s.features @ weights), kind="stable")[:k]].any() for s in answerable]
    return float(np.mean(hits)) if hits else 0.0


def choose_thresholds(cal: Calibration, samples: list[Sample], max_false_abstention: float = 0.05) -> tuple[float, float]:
    """(answer, high) thresholds on the calibrated probability (see module doc)."""
    probs = np.array([cal.probability(s.answerability) for s in samples])
    answerable = np.array([s.answerable for s in samples])
    answer_t = float(np.quantile(probs[answerable], max_false_abstention)) if answerable.any() else 0.5
    high_t = max(answer_t, 0.5)
    for t in np.linspace(answer_t, 0.99, 100):
        kept = probs >= t
        if kept.sum() >= 5 and answerable[kept].mean() >= 0.9:
            high_t = float(t)
            break
    return answer_t, high_t


def cross_validated_hit_at_1(samples: list[Sample]) -> float:
    """Hit@1 with the ranker fitted without each group in turn (leave-one-group-out)."""
    groups = sorted({s.group for s in samples})
    hits, count = 0.0, 0
    for g in groups:
        held = [s for s in samples if s.group == g and s.answerable]
        if held:
            weights = fit_ranker([s for s in samples if s.group != g])
            hits += hit_at(held, weights, 1) * len(held)
            count += len(held)
    return hits / max(count, 1)


def _collect(assistants, questions_path: Path, squad_questions) -> list[Sample]:
    seeds, squad = assistants
    return eval_set_samples(seeds, questions_path) + squad_samples(squad, squad_questions)


def main(argv: list[str] | None = None) -> None:
    from qa.metrics import roc_auc
    from qa.squad import convert_squad

    p = argparse.ArgumentParser(prog="python -m qa.calibrate", description=__doc__.split("\n\n")[0])
    p.add_argument("--squad", required=True, type=Path)
    p.add_argument("--questions", default=Path("eval/questions.jsonl"), type=Path)
    p.add_argument("--docs", default=Path("seeds"), type=Path)
    p.add_argument("--work", default=Path("eval/runs/calibrate"), type=Path)
    args = p.parse_args(argv)
    cfg = Config()
    squad_questions = convert_squad(args.squad, args.work / "squad_docs")
    seeds = _open(args.docs, args.work / "seeds_index", cfg)
    squad = _open(args.work / "squad_docs", args.work / "squad_index", cfg, embedder=seeds.embedder)
    samples = _collect((seeds, squad), args.questions, squad_questions)
    ranker = fit_ranker(samples)
    notes = {"hit@1 before": hit_at(samples, np.array(seeds.calibration.ranker), 1),
             "hit@1 fitted": hit_at(samples, ranker, 1),
             "hit@1 leave-one-article-out": cross_validated_hit_at_1(samples)}
    for a in (seeds, squad):
        a.calibration = replace(a.calibration, ranker=tuple(float(w) for w in ranker))
    samples = _collect((seeds, squad), args.questions, squad_questions)  # features under the new ranker
    coef, intercept = fit_answerability(samples)
    cal = replace(seeds.calibration, coef=tuple(float(c) for c in coef), intercept=intercept)
    evalset = [s for s in samples if s.group == "evalset"]
    answer_t, high_t = choose_thresholds(cal, evalset)
    cal = replace(cal, answer_threshold=answer_t, high_threshold=high_t)
    squad_only = [s for s in samples if s.group != "evalset"]
    notes["squad abstention ROC-AUC"] = roc_auc([cal.probability(s.answerability) for s in squad_only],
                                                [s.answerable for s in squad_only]) if squad_only else None
    notes = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in notes.items()}
    save_calibration(cal, notes=notes)
    print(json.dumps(notes, indent=1))


if __name__ == "__main__":
    main()
