"""The bootstrap's one-call path (statistics with a ``batched`` form) gives the same
interval as the loop over resamples, and the fast adjusted Rand index equals scikit-learn's
(Hubert & Arabie 1985)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from learners.supervised.uncertainty import (
    adjusted_rand,
    bootstrap_ci,
    mean_abs,
    median_abs,
    median_abs_relative,
    r_squared,
    roc_auc,
    root_mean_square,
)

RNG = np.random.default_rng(7)
TRUE = 5 + RNG.normal(size=240)
PREDICTED = TRUE + 0.4 * RNG.normal(size=240)
IS_POSITIVE = RNG.random(240) < 0.15
SCORE = np.round(RNG.normal(size=240) + IS_POSITIVE, 1)  # rounded: ties, counted half
CASES = {
    "median_abs": (median_abs, (PREDICTED / TRUE - 1,)),
    "mean_abs": (mean_abs, (PREDICTED - TRUE,)),
    "root_mean_square": (root_mean_square, (PREDICTED - TRUE,)),
    "r_squared": (r_squared, (TRUE, PREDICTED)),
    "median_abs_relative": (median_abs_relative, (TRUE, PREDICTED)),
    "roc_auc": (roc_auc, (IS_POSITIVE, SCORE)),
    "adjusted_rand": (adjusted_rand, (RNG.integers(0, 3, 240), RNG.integers(0, 4, 240))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_batched_bootstrap_equals_the_loop(name):
    statistic, arrays = CASES[name]
    looped = bootstrap_ci(lambda *a: statistic(*a), *arrays)  # a lambda has no batched form
    assert hasattr(statistic, "batched")
    assert bootstrap_ci(statistic, *arrays) == pytest.approx(looped, rel=0, abs=1e-12)
    assert np.all(np.isfinite(looped))


def test_adjusted_rand_equals_scikit_learn_on_many_labellings():
    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(2, 50))
        truth = rng.integers(0, int(rng.integers(1, 5)), n)
        labels = rng.integers(0, int(rng.integers(1, 5)), n)
        assert adjusted_rand(truth, labels) == pytest.approx(
            adjusted_rand_score(truth, labels), abs=1e-12
        )
    names = np.array(["WC", "Co"] * 20)
    assert adjusted_rand(names, names) == 1.0 and adjusted_rand(names, np.zeros(40)) == 0.0


def test_resamples_where_the_statistic_is_undefined_are_skipped():
    # R² of a constant truth is undefined: every resample skipped, no interval
    assert np.isnan(bootstrap_ci(r_squared, np.ones(30), np.arange(30.0))).all()
    # ROC-AUC of rare positives: resamples without one are skipped, not counted as 0
    rare = np.zeros(60, dtype=bool)
    rare[:2] = True
    low, high = bootstrap_ci(roc_auc, rare, np.where(rare, 1.0, 0.0))
    assert low == high == 1.0
