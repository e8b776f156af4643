"""Fit each passage's confidence model and its thresholds (a developer tool).

What it does: asks every question of the fitting sets -- the first
evaluation set (``eval/questions.jsonl``), the four plain-question development
sets (``eval/plain_dev.jsonl`` to ``eval/plain_dev4.jsonl``) and SQuAD 2.0 part A -- through the normal
``Assistant.ask``, labels each ranked passage (it overlaps the gold
evidence; for SQuAD, it contains a gold answer), and fits a logistic
regression over ``qa.answer.confidence.PASSAGE_FEATURES``, the seed sets
counting as much as the benchmark. The question's probability that the sources answer at all is a
weighted sum of the answer-level log-odds (``qa.answer.answerability``), the
best passage's log-odds, a flag (a speech question names someone never
quoted, or quoted only on other topics) and the share of unknown words, the
weights picked from a small grid (``question_weights``) and scaled to a
probability; a typed question whose passage shown first lacks the value is
refused by rule, and counted as refused here (``ruled_out``). The weights and thresholds are chosen on passage probabilities
cross-validated by document (each fold's questions scored by a model fitted
without their article), so they hold on questions the model did not see:

- ``answer_threshold``: the highest that keeps wrongly abstained
  seed-set questions at or under 4% (under the 5% target);
- ``high_threshold``: the lowest at which seed-set passages are right at
  least 92% of the time (a margin over the 90% promised);
- ``medium_threshold``: the lowest from which passages below "high" are
  right at least half the time;
- ``related_floor``: below it, passages were right under 5% of the time.

The natural set (``eval/natural.jsonl``) is never read here: it is the gate.
Writes ``qa/answer/confidence.json`` with the figures it was chosen on.

Run: ``python -m qa.evaluation.fit_confidence --squad ../shared/benchmarks/squad2-dev-part-a.json``

What it does not do: run at query time.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from qa.answer.confidence import DEFAULT_PATH, PASSAGE_FEATURES, QUESTION_FEATURES
from qa.evaluation.passage_rows import FOLDS, Rows, load_rows, question_matrix, refused_questions


def balanced(seed: np.ndarray) -> np.ndarray:
    """Weights giving the seed sets' rows as much say as the benchmark's."""
    n = max(int(seed.sum()), 1)
    return np.where(seed, max(int((~seed).sum()), n) / n, 1.0)


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=5000).fit(X, y, sample_weight=w)


def cross_validated(X: np.ndarray, y: np.ndarray, w: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Each row's probability from a model fitted without its fold (leave-documents-out)."""
    probs = np.zeros(len(y))
    for f in range(FOLDS):
        held = fold == f
        if held.any() and (~held).any():
            probs[held] = fit(X[~held], y[~held], w[~held]).predict_proba(X[held])[:, 1]
    return probs


def first_at(grid, ok) -> float:
    return next((float(t) for t in grid if ok(t)), float(grid[-1]))


GRID = {"best_passage_logit": (0.0, 0.25, 0.5, 1.0), "speech_unsaid": (0.0, 2.0, 4.0), "unknown_words": (0.0, 1.0, 2.0, 4.0)}
SQUAD_AUC_GIVEN = 0.005  # how much SQuAD abstention ROC-AUC the question score may give up for plain questions


def ruled_out(refused: np.ndarray, score: np.ndarray, floor: float = -50.0) -> np.ndarray:
    """``score`` with the questions compose refuses by rule (``refused``: the passage shown first lacks the
    typed value) at ``floor``, so the thresholds count those refusals."""
    return np.where(refused, floor, score)


def question_weights(Q: np.ndarray, answerable: np.ndarray, seed_q: np.ndarray, refused: np.ndarray) -> np.ndarray:
    """Weights of ``QUESTION_FEATURES`` in the question score (the answer-level log-odds weighs 1): the
    grid point with the highest seed-set ROC-AUC among those whose SQuAD ROC-AUC is within
    ``SQUAD_AUC_GIVEN`` of the answer-level log-odds alone (both with the ``refused`` questions ruled out).

    ROC-AUC, not the share abstained at 4% wrongly abstained: that one point of the curve moved by a
    question or two between a dozen grid points (0.69-0.71 with three seed sets), so it picked by noise
    (a point of seed ROC-AUC 0.863 over one of 0.881); ROC-AUC reads every threshold."""
    from qa.evaluation.metrics import roc_auc

    def auc(score, on):
        return roc_auc(score[on].tolist(), answerable[on].tolist())
    floor = auc(ruled_out(refused, Q[:, 0]), ~seed_q) - SQUAD_AUC_GIVEN
    best, best_w = -1.0, np.array([1.0] + [0.0] * (Q.shape[1] - 1))
    for point in itertools.product(*GRID.values()):
        w = np.array([1.0, point[0], *(-v for v in point[1:])])
        score = ruled_out(refused, Q @ w)
        seed_auc = auc(score, seed_q)
        if auc(score, ~seed_q) >= floor and seed_auc > best + 1e-9:
            best, best_w = seed_auc, w
    return best_w


def platt(score: np.ndarray, answerable: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(scale, intercept) making ``score`` a probability that the sources answer."""
    model = fit(score[:, None], answerable, w)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def thresholds(rows: Rows, p: np.ndarray, q: np.ndarray, seed_q: np.ndarray) -> dict[str, float]:
    """The thresholds (see the module docstring), from cross-validated passage ``p`` and question ``q`` probabilities."""
    answer_t = float(np.quantile(q[rows.answerable & seed_q], 0.04))
    ps, y = p[rows.seed], rows.y[rows.seed]
    grid = np.linspace(0.02, 0.99, 195)
    precise = lambda t, at_least: (ps >= t).sum() >= 20 and y[ps >= t].mean() >= at_least  # noqa: E731
    floor = max([float(t) for t in grid if (ps < t).sum() and y[ps < t].mean() <= 0.05], default=0.02)
    high_t = first_at(grid, lambda t: precise(t, 0.92))
    band = lambda t: ((ps >= t) & (ps < high_t)).sum() >= 20 and y[(ps >= t) & (ps < high_t)].mean() >= 0.5  # noqa: E731
    medium_t = first_at(grid[grid < high_t], band) if (grid < high_t).any() else high_t
    return {"answer_threshold": answer_t, "high_threshold": high_t, "medium_threshold": medium_t,
            "related_floor": min(floor, medium_t)}


def figures(rows: Rows, p: np.ndarray, q: np.ndarray, seed_q: np.ndarray, t: dict) -> dict[str, float]:
    """Held-out (cross-validated) figures of the chosen thresholds, per kind of set."""
    answered = q >= t["answer_threshold"]
    out = {}
    for name, mask_q, mask_r in (("seed sets", seed_q, rows.seed), ("squad", ~seed_q, ~rows.seed)):
        high = (p >= t["high_threshold"]) & mask_r & answered[rows.question]
        out[f"{name}: unanswerable abstained"] = float((~answered[mask_q & ~rows.answerable]).mean())
        out[f"{name}: answerable wrongly abstained"] = float((~answered[mask_q & rows.answerable]).mean())
        out[f"{name}: precision of high passages"] = float(rows.y[high].mean()) if high.any() else 0.0
    return {k: round(v, 4) for k, v in out.items()}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m qa.evaluation.fit_confidence", description=__doc__.split("\n\n")[0])
    p.add_argument("--squad", required=True, type=Path)
    p.add_argument("--limit", type=int, default=1500, help="SQuAD questions sampled (0: all)")
    p.add_argument("--sets", nargs="+", type=Path,
                   default=[Path("eval/questions.jsonl"), Path("eval/plain_dev.jsonl"), Path("eval/plain_dev2.jsonl"),
                            Path("eval/plain_dev3.jsonl"), Path("eval/plain_dev4.jsonl")])
    p.add_argument("--docs", default=Path("seeds"), type=Path)
    p.add_argument("--work", default=Path("eval/runs"), type=Path)
    args = p.parse_args(argv)
    if any(s.stem == "natural" for s in args.sets):
        raise SystemExit("the natural set is the gate: it is never fitted on")
    rows, seed_q = load_rows(args)
    w = balanced(rows.seed)
    p_cv = cross_validated(rows.X, rows.y, w, rows.fold)
    Q_cv, refused = question_matrix(rows, p_cv), refused_questions(rows)
    q_w = question_weights(Q_cv, rows.answerable, seed_q, refused)
    scale, intercept = platt(Q_cv @ q_w, rows.answerable, balanced(seed_q))
    q_cv = 1 / (1 + np.exp(-ruled_out(refused, scale * (Q_cv @ q_w) + intercept)))
    chosen = thresholds(rows, p_cv, q_cv, seed_q)
    passage_model = fit(rows.X, rows.y, w)
    question_coef = scale * q_w
    notes = {"fitted on": [str(s) for s in args.sets] + [f"{args.squad} ({args.limit or 'all'} questions)"],
             "held out": f"{FOLDS}-fold cross-validation by document", **figures(rows, p_cv, q_cv, seed_q, chosen)}
    data = {"features": list(PASSAGE_FEATURES), "coef": [round(float(c), 6) for c in passage_model.coef_[0]],
            "intercept": round(float(passage_model.intercept_[0]), 6), "question_features": list(QUESTION_FEATURES),
            "question_coef": [round(float(c), 6) for c in question_coef], "question_intercept": round(intercept, 6),
            **{k: round(v, 4) for k, v in chosen.items()}, "notes": notes}
    DEFAULT_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(notes, indent=1))


if __name__ == "__main__":
    main()
