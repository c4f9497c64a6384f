"""Explanation scores from their definitions, on cases worked out by hand."""

import numpy as np
import pytest

from learners.explain.scorecard import (
    faithfulness_gap,
    jaccard_stability,
    local_lipschitz,
    pointing_game,
    prediction_gap,
    rank_correlation,
    relevance_mass_accuracy,
    score_explanation,
    sign_agreement,
    top_k,
    top_k_agreement,
)


def test_top_k_and_agreement():
    w = [0.1, -0.9, 0.5, 0.0]
    assert top_k(w, 2).tolist() == [1, 2]
    assert top_k_agreement(w, truth=[1, 3], k=2) == 0.5
    assert top_k_agreement(w, truth=[1, 2], k=2) == 1.0
    with pytest.raises(ValueError, match="k must be"):
        top_k(w, 5)


def test_rank_and_sign_agreement():
    exact = [2.0, -1.0, 0.5]
    assert rank_correlation([4.0, -3.0, 1.0], exact) == pytest.approx(1.0)
    assert rank_correlation([1.0, 3.0, 4.0], exact) == pytest.approx(-1.0)
    assert sign_agreement([1.0, 1.0, 0.0], exact, k=2) == 0.5
    assert np.isnan(rank_correlation([1.0, 1.0, 1.0], exact))


def test_prediction_and_faithfulness_gaps_on_a_linear_model():
    coef = np.array([3.0, 0.0, 1.0, 0.0])
    predict = lambda X: X @ coef  # noqa: E731
    x, base = np.ones(4), np.zeros(4)
    assert prediction_gap(predict, x, base, [0]) == 3.0
    good = faithfulness_gap(predict, x, base, weights=coef, k=1, n_random=200, seed=1)
    bad = faithfulness_gap(predict, x, base, weights=[0, 1.0, 0, 0], k=1, n_random=200, seed=1)
    assert good["top_k_drop"] == 3.0 and bad["top_k_drop"] == 0.0
    assert good["random_drop"] == pytest.approx(1.0, abs=0.25)  # E|coef_j| = 1
    assert good["gap"] > 0 > bad["gap"]


def test_pointing_game_and_relevance_mass():
    masks = np.zeros((3, 10), dtype=bool)
    masks[0, :3], masks[1, 3:7], masks[2, 7:] = True, True, True
    truth = np.zeros(10, dtype=bool)
    truth[4:6] = True
    assert pointing_game([0.1, 0.8, 0.3], masks, truth)
    assert not pointing_game([0.9, 0.8, 0.3], masks, truth)
    # relevance per point: 0 on 3 pts, 1 on 4 pts, 1 on 3 pts -> total 7, inside truth 2
    assert relevance_mass_accuracy([-1.0, 1.0, 1.0], masks, truth) == pytest.approx(2 / 7)


def test_stability_and_lipschitz():
    same = [[1, 2, 3], [1, 2, 3.1]]
    assert jaccard_stability(same, k=2) == 1.0
    assert jaccard_stability([[3, 2, 1], [1, 2, 3]], k=1) == 0.0
    # e(x) = 2 x is 2-Lipschitz
    L = local_lipschitz(lambda x: 2 * x, np.zeros(2), np.array([[1.0, 0.0], [0.0, 0.5]]))
    assert L == pytest.approx(2.0)


def test_score_explanation_card():
    card = score_explanation([0.9, 0.5, 0.01], truth=[0, 1], k=2, exact=[1.0, 0.4, 0.0])
    assert card["top_k_agreement"] == 1.0
    assert card["rank_correlation"] == pytest.approx(1.0)
    assert card["sign_agreement"] == 1.0


def test_weight_spread():
    from learners.explain.scorecard import weight_spread

    assert weight_spread([[1.0, 2.0], [1.0, 2.0]]) == 0.0
    assert weight_spread([[1.0, 1.0], [3.0, 1.0]]) == pytest.approx(0.5 / 1.5)
