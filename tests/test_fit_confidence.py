"""How the question-level weights are chosen (``qa.evaluation.fit_confidence.question_weights``)."""

import numpy as np

from qa.evaluation.fit_confidence import question_weights


def _questions(seed_signal: float, squad_signal: float, n: int = 200, seed: int = 0):
    """Q's columns: answer-level log-odds, best passage's log-odds, unquoted speaker, unknown words. Half the
    rows are seed-set questions, half SQuAD; the best passage tells seed answerability by ``seed_signal``
    and SQuAD's by ``squad_signal`` (negative: it misleads there)."""
    rng = np.random.default_rng(seed)
    answerable = rng.random(2 * n) < 0.6
    seed_q = np.arange(2 * n) < n
    sign = np.where(answerable, 1.0, -1.0)
    answer_logit = 0.5 * sign + rng.normal(0, 1, 2 * n)
    best = np.where(seed_q, seed_signal * sign + rng.normal(0, 1, 2 * n), squad_signal * sign)
    Q = np.column_stack([answer_logit, best, np.zeros(2 * n), np.zeros(2 * n)])
    return Q, answerable, seed_q, np.zeros(2 * n, dtype=bool)


def test_the_weight_that_separates_the_seed_sets_best_over_every_threshold_is_chosen():
    Q, answerable, seed_q, refused = _questions(seed_signal=2.0, squad_signal=0.0)
    w = question_weights(Q, answerable, seed_q, refused)
    assert w[0] == 1.0 and w[1] == 1.0  # the largest grid weight on the best passage: it only helps here


def test_a_weight_that_costs_squad_ranking_is_not_chosen_however_well_it_does_on_the_seed_sets():
    Q, answerable, seed_q, refused = _questions(seed_signal=2.0, squad_signal=-2.0)
    w = question_weights(Q, answerable, seed_q, refused)
    assert w[1] == 0.0  # every weight on the misleading best passage drops SQuAD's ROC-AUC past the allowance



def test_the_chosen_point_has_the_highest_seed_roc_auc_of_the_points_squad_allows():
    """Not the most abstained at one threshold: on these questions the two pick different points."""
    import itertools

    from qa.evaluation.fit_confidence import GRID, SQUAD_AUC_GIVEN, ruled_out
    from qa.evaluation.metrics import roc_auc

    rng = np.random.default_rng(3)
    n = 300
    answerable, seed_q = rng.random(n) < 0.7, np.arange(n) < n // 2
    sign = np.where(answerable, 1.0, -1.0)
    Q = np.column_stack([0.7 * sign + rng.normal(0, 1, n), 0.5 * sign + rng.normal(0, 1, n),
                         (rng.random(n) < 0.3) * (~answerable), -0.3 * sign + rng.normal(0, 1, n)])
    refused = np.zeros(n, dtype=bool)

    def auc(w, on):
        return roc_auc(ruled_out(refused, Q @ w)[on].tolist(), answerable[on].tolist())
    points = [np.array([1.0, p[0], *(-v for v in p[1:])]) for p in itertools.product(*GRID.values())]
    allowed = [w for w in points if auc(w, ~seed_q) >= auc(np.array([1.0, 0.0, 0.0, 0.0]), ~seed_q) - SQUAD_AUC_GIVEN]
    chosen = question_weights(Q, answerable, seed_q, refused)
    assert auc(chosen, seed_q) == max(auc(w, seed_q) for w in allowed)
