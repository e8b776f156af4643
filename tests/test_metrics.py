"""Specification of qa.evaluation.metrics on small hand-made inputs."""

import itertools
import random

import pytest

from qa.evaluation.metrics import (
    Span, abstention_scores, answer_in_quotes, answer_rank, first_hit_rank,
    hit_at_k, mean_quote_length, mrr, overlaps, paragraph_accuracy, roc_auc,
    squad_normalize, verbatim_span_rate, verdict_accuracy,
)


# --- spans and ranks -------------------------------------------------------

def test_overlap_needs_same_file_and_a_shared_character():
    assert overlaps(Span("a.txt", 0, 10), Span("a.txt", 9, 20))
    assert overlaps(Span("a.txt", 5, 6), Span("a.txt", 0, 100))  # containment
    assert not overlaps(Span("a.txt", 0, 10), Span("a.txt", 10, 20))  # touching ends
    assert not overlaps(Span("a.txt", 0, 10), Span("b.txt", 0, 10))


def test_first_hit_rank_is_one_based_and_none_without_a_hit():
    gold = Span("doc.txt", 100, 150)
    passages = [Span("doc.txt", 0, 50), Span("other.txt", 100, 150),
                Span("doc.txt", 140, 200), Span("doc.txt", 100, 150)]
    assert first_hit_rank(passages, gold) == 3
    assert first_hit_rank(passages[:2], gold) is None
    assert first_hit_rank([], gold) is None


def test_hit_at_k_counts_ranks_up_to_and_including_k():
    ranks = [1, 2, 3, None]
    assert hit_at_k(ranks, 1) == 0.25
    assert hit_at_k(ranks, 3) == 0.75
    assert hit_at_k(ranks, 100) == 0.75
    assert hit_at_k([], 1) == 0.0


def test_mrr_averages_reciprocal_ranks_with_zero_for_misses():
    assert mrr([1, 2, 4, None]) == pytest.approx((1 + 0.5 + 0.25 + 0) / 4)
    assert mrr([None, None]) == 0.0
    assert mrr([]) == 0.0


def test_paragraph_accuracy_compares_top1_file_and_paragraph():
    gold = [("a.txt", 3), ("a.txt", 3), ("b.txt", 1), ("b.txt", 2)]
    predicted = [("a.txt", 3), ("a.txt", 4), ("a.txt", 1), None]
    assert paragraph_accuracy(predicted, gold) == 0.25
    assert paragraph_accuracy([["a.txt", 3]], [("a.txt", 3)]) == 0.0  # list is not tuple
    with pytest.raises(ValueError):
        paragraph_accuracy([("a.txt", 3)], gold)


# --- abstention ------------------------------------------------------------

def test_abstention_scores_on_a_mixed_batch():
    #            answerable:  yes    yes   no    no    no
    scores = abstention_scores([True, False, True, True, False],
                               [True, True, False, False, False])
    assert scores["precision"] == pytest.approx(2 / 3)  # 2 of 3 abstentions right
    assert scores["recall"] == pytest.approx(2 / 3)  # 2 of 3 unanswerable caught
    assert scores["false_abstention_rate"] == 0.5  # 1 of 2 answerable refused


def test_abstention_scores_zero_denominators():
    never = abstention_scores([False, False], [True, False])
    assert never == {"precision": 1.0, "recall": 0.0, "false_abstention_rate": 0.0}
    all_answerable = abstention_scores([True, False], [True, True])
    assert all_answerable["recall"] == 1.0
    assert all_answerable["precision"] == 0.0
    assert all_answerable["false_abstention_rate"] == 0.5
    none_answerable = abstention_scores([True], [False])
    assert none_answerable["false_abstention_rate"] == 0.0
    assert none_answerable["precision"] == none_answerable["recall"] == 1.0


# --- quotes and verdicts ---------------------------------------------------

def test_mean_quote_length_counts_words():
    assert mean_quote_length(["one two", "three  four\nfive six"]) == 3.0
    assert mean_quote_length([]) == 0.0


def test_verbatim_span_rate_checks_exact_offsets():
    texts = {"a.txt": "Alpha beta.\n\nGamma delta."}
    passages = [
        {"file": "a.txt", "start": 0, "end": 11, "quote": "Alpha beta."},
        {"file": "a.txt", "start": 13, "end": 18, "quote": "Gamma"},
        {"file": "a.txt", "start": 12, "end": 18, "quote": "Gamma"},  # off by one
        {"file": "missing.txt", "start": 0, "end": 5, "quote": "Alpha"},
    ]
    assert verbatim_span_rate(passages, texts) == 0.5
    assert verbatim_span_rate([], texts) == 1.0


def test_verdict_accuracy():
    assert verdict_accuracy(["supported", "unsupported", "refuted"],
                            ["supported", "refuted", "refuted"]) == pytest.approx(2 / 3)
    assert verdict_accuracy([], []) == 0.0
    with pytest.raises(ValueError):
        verdict_accuracy(["supported"], [])


# --- ROC AUC ---------------------------------------------------------------

def _auc_by_pairs(scores, labels):
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_roc_auc_extremes_and_ties():
    assert roc_auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5
    assert roc_auc([3, 1, 2, 2], [True, False, True, False]) == pytest.approx(7 / 8)


def test_roc_auc_matches_pairwise_definition_on_random_data():
    rng = random.Random(0)
    for _ in range(20):
        scores = [rng.choice([0.1, 0.2, 0.3, 0.4]) + rng.random() * rng.choice([0, 1])
                  for _ in range(30)]
        labels = [rng.random() < 0.4 for _ in range(30)]
        labels[0], labels[1] = True, False
        assert roc_auc(scores, labels) == pytest.approx(_auc_by_pairs(scores, labels))


def test_roc_auc_rejects_a_single_class():
    with pytest.raises(ValueError):
        roc_auc([0.1, 0.9], [True, True])
    with pytest.raises(ValueError):
        roc_auc([], [])


# --- SQuAD answer matching -------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("The Normans", "normans"),
    ("  an  Apple,  a day!", "apple day"),
    ("Theatre and anthem", "theatre and anthem"),  # articles only as whole words
    ("10th-century (Rollo's)", "10thcentury rollos"),
    ("A", ""),
    ("café — Über", "café — über"),  # only ASCII string.punctuation is removed
])
def test_squad_normalize_matches_official_rules(raw, expected):
    assert squad_normalize(raw) == expected


def test_answer_rank_finds_first_quote_containing_a_gold_answer():
    quotes = ["Normandy is a region.", "It lies in northern France.", "France again."]
    assert answer_rank(["France"], quotes) == 2
    assert answer_rank(["Germany", "the  FRANCE!"], quotes) == 2
    assert answer_rank(["Spain"], quotes) is None
    assert answer_rank([], quotes) is None
    assert answer_rank(["France"], []) is None


def test_answer_matching_respects_token_boundaries():
    assert answer_rank(["art"], ["They start the party."]) is None
    assert answer_rank(["art"], ["Art is long."]) == 1
    assert answer_rank(["10th and 11th centuries"], ["In the 10th and 11th centuries."]) == 1


def test_answer_that_normalises_to_nothing_never_matches():
    assert answer_rank(["the", "."], ["The end.", ""]) is None


def test_answer_in_quotes_only_looks_at_first_k():
    quotes = ["Paris is a city.", "Rollo led the Vikings."]
    assert not answer_in_quotes(["Rollo"], quotes, 1)
    assert answer_in_quotes(["Rollo"], quotes, 2)
    assert answer_in_quotes(["Rollo"], quotes, 10)
    assert not answer_in_quotes(["Rollo"], quotes, 0)
