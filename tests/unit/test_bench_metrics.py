"""Metric functions and plain BM25 of scripts/bench_search.py, on small hand-computed cases (no benchmark data)."""

from __future__ import annotations

import math

import pytest

from tests.script_loader import load_script

bench = load_script("bench_search.py", "bench_search")


def test_dcg_uses_exponential_gain_and_log2_discount() -> None:
    """Ratings 3, 2 at ranks 1, 2: 7/1 + 3/log2(3)."""
    assert bench.dcg([3, 2]) == pytest.approx(7 + 3 / math.log2(3))


def test_ndcg_perfect_ranking_is_one() -> None:
    """The ideal order scores 1."""
    judgments = {"a": 3, "b": 2, "c": 0}
    assert bench.ndcg_at_k(["a", "b", "c"], judgments, 10) == pytest.approx(1.0)


def test_ndcg_hand_computed_with_unjudged_document() -> None:
    """Ranking [x (unjudged), b (1), a (3)]; ideal from all judged docs [3, 1]."""
    judgments = {"a": 3, "b": 1}
    dcg = 0 / 1 + 1 / math.log2(3) + 7 / math.log2(4)
    ideal = 7 / 1 + 1 / math.log2(3)
    assert bench.ndcg_at_k(["x", "b", "a"], judgments, 10) == pytest.approx(dcg / ideal)


def test_ndcg_ideal_counts_judged_docs_the_ranking_missed() -> None:
    """Only one of two rated-3 docs found, at rank 1: 7 / (7 + 7/log2(3))."""
    judgments = {"a": 3, "b": 3}
    assert bench.ndcg_at_k(["a"], judgments, 10) == pytest.approx(7 / (7 + 7 / math.log2(3)))


def test_ndcg_cuts_at_k() -> None:
    """A relevant doc below k is not counted; the ideal is cut at k too."""
    judgments = {"a": 1, "b": 1}
    assert bench.ndcg_at_k(["x", "a"], judgments, 1) == 0.0
    assert bench.ndcg_at_k(["a", "x"], judgments, 1) == pytest.approx(1.0)


def test_ndcg_without_any_gain_is_zero() -> None:
    """No judged doc above 0: defined as 0."""
    assert bench.ndcg_at_k(["a"], {"a": 0}, 10) == 0.0
    assert bench.ndcg_at_k([], {}, 10) == 0.0


def test_precision_at_k_uses_threshold_and_fixed_denominator() -> None:
    """Ratings 3, 1, 2, unjudged, 0 at k=5 with threshold 2: 2/5; a short list still divides by k."""
    judgments = {"a": 3, "b": 1, "c": 2, "e": 0}
    assert bench.precision_at_k(["a", "b", "c", "d", "e"], judgments, 5, 2) == pytest.approx(0.4)
    assert bench.precision_at_k(["a"], judgments, 5, 2) == pytest.approx(0.2)
    assert bench.precision_at_k(["a", "b", "c", "d", "e"], judgments, 5, 1) == pytest.approx(0.6)


def test_reciprocal_rank() -> None:
    """First doc rated >= 2 at rank 3 gives 1/3; none within k gives 0."""
    judgments = {"a": 1, "b": 0, "c": 2, "d": 3}
    assert bench.reciprocal_rank(["a", "b", "c", "d"], judgments, 2) == pytest.approx(1 / 3)
    assert bench.reciprocal_rank(["d"], judgments, 2) == 1.0
    assert bench.reciprocal_rank(["a", "b"], judgments, 2) == 0.0
    assert bench.reciprocal_rank(["a", "b", "c"], judgments, 2, k=2) == 0.0


def test_percentile_interpolates() -> None:
    """Median of 1..4 is 2.5; p95 of 1..21 is 20; empty is 0."""
    assert bench.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert bench.percentile(list(range(1, 22)), 95) == pytest.approx(20.0)
    assert bench.percentile([], 50) == 0.0


def test_tokenize_lower_case_alphanumeric() -> None:
    """Punctuation splits, case folds, digits stay, no stemming."""
    assert bench.tokenize("HP Pavilion dv7-1211ea, Notebooks!") == ["hp", "pavilion", "dv7", "1211ea", "notebooks"]


def test_bm25_hand_computed_score() -> None:
    """Two docs: 'apple apple banana' (3 tokens) and 'banana cherry' (2); avg length 2.5."""
    bm25 = bench.BM25({"d1": "apple apple banana", "d2": "banana cherry"}, k1=1.2, b=0.75)
    idf_apple = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))  # ln 2
    norm = 1.2 * (1 - 0.75 + 0.75 * 3 / 2.5)
    expected = idf_apple * 2 * 2.2 / (2 + norm)
    assert bm25.scores("apple") == {0: pytest.approx(expected)}
    assert bm25.idf("banana") == pytest.approx(math.log(1 + 0.5 / 2.5))
    assert bm25.idf("durian") == 0.0


def test_bm25_ranks_and_cuts() -> None:
    """The doc with more query terms wins; a short doc beats a long one repeating them; only matches come back."""
    docs = {"long": "red shoe red shoe with many other words here", "short": "red shoe", "none": "blue hat",
            "half": "red scarf"}
    bm25 = bench.BM25(docs)
    assert bm25.top("red shoe", 10) == ["short", "long", "half"]
    assert bm25.top("red shoe", 1) == ["short"]
    assert bm25.top("green", 10) == []
