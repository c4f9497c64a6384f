"""learners.supervised.separability (cross-validated accuracy of feature subsets) and the
pure helpers of the "What a model sees" page (ui.model_sees.tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from learners.supervised.separability import (
    check_pair,
    folds_possible,
    pair_scores,
    single_scores,
    subset_accuracy,
)
from ui.model_sees import exercise, tables
from ui.model_sees.widgets import FEATURE_LABELS


def two_classes(n: int = 200, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Class b is shifted by 3 sd in 'signal_a' and 'signal_b'; 'noise_*' carry nothing."""
    rng = np.random.default_rng(seed)
    y = np.repeat(["a", "b"], n // 2)
    shift = 3.0 * (y == "b")
    X = pd.DataFrame(
        {
            "signal_a": rng.normal(size=n) + shift,
            "noise_a": rng.normal(size=n),
            "signal_b": rng.normal(size=n) - shift,
            "noise_b": rng.normal(size=n) * 50.0,
        }
    )
    return X, y


def test_a_separating_pair_beats_a_nuisance_pair():
    X, y = two_classes()
    scores = pair_scores(X, y).set_index(["feature_a", "feature_b"])["accuracy"]
    assert scores["signal_a", "signal_b"] > 0.95
    assert scores["noise_a", "noise_b"] < 0.65
    assert scores.idxmax() == ("signal_a", "signal_b")
    assert scores.between(0, 1).all()


def test_matches_scikit_learn_lda_on_complete_data():
    # Without missing values and with a negligible ridge, the vectorised LDA is
    # scikit-learn's LinearDiscriminantAnalysis on the standardised pair (same folds).
    X, y = two_classes(seed=1)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    pair = ["signal_a", "noise_a"]
    reference = (cross_val_predict(LinearDiscriminantAnalysis(), X[pair], y, cv=cv) == y).mean()
    (ours,) = subset_accuracy(X.to_numpy(), y, [[0, 1]], n_splits=5, seed=0)
    assert ours == pytest.approx(reference, abs=0.011)  # at most two curves differ


def test_a_missing_value_is_information():
    # 'burst' exists only for class b (as a pop-in size exists only on pop-in curves).
    X, y = two_classes()
    X["burst"] = np.where(y == "b", 10.0, np.nan)
    singles = single_scores(X, y)
    assert singles["burst"] == pytest.approx(1.0)
    assert singles["noise_a"] < 0.65


def test_check_pair_judges_against_the_best_pair():
    X, y = two_classes()
    scores = pair_scores(X, y)
    good = check_pair(scores, ("signal_b", "signal_a"))  # order does not matter
    assert good.correct and good.rank == 1 and good.n_pairs == 6
    bad = check_pair(scores, ("noise_a", "noise_b"))
    assert not bad.correct and bad.accuracy < good.accuracy and bad.rank > 1
    assert set(bad.best_pair) == {"signal_a", "signal_b"}
    with pytest.raises(ValueError, match="two different features"):
        check_pair(scores, ("noise_a", "noise_a"))
    with pytest.raises(ValueError, match="not in the table"):
        check_pair(scores, ("noise_a", "unknown"))


def test_folds_and_bad_input():
    assert folds_possible(["a"] * 10 + ["b"] * 3) == 3
    assert folds_possible(["a"] * 10 + ["b"]) == 0
    assert folds_possible(["a"] * 10) == 0
    X, y = two_classes(20)
    with pytest.raises(ValueError, match="at least two curves"):
        subset_accuracy(X.to_numpy(), np.append(y[:-1], "c"), [[0, 1]])
    with pytest.raises(ValueError, match="index"):
        subset_accuracy(X.to_numpy(), y, [[0, 7]])
    with pytest.raises(ValueError, match="shape|must be"):
        subset_accuracy(X.to_numpy(), y[:5], [[0, 1]])
    with pytest.raises(ValueError, match="two feature columns"):
        pair_scores(X[["noise_a"]], y)


def test_input_problems_name_the_missing_and_small_classes():
    counts = pd.Series({"good": 5, "popin": 2, "crack": 0})
    problems = tables.input_problems(counts, 5)
    assert any("No curve of class crack" in p for p in problems)
    assert any("popin (2)" in p for p in problems)
    assert tables.input_problems(pd.Series({"a": 50, "b": 50}), 5) == []


def test_every_feature_has_a_unit_meaning_and_origin():
    for name, label in FEATURE_LABELS.items():
        assert label.endswith(")"), label  # "H (GPa)", "h_f / h_max (-)"
        assert tables.FEATURE_MEANINGS[name]
    origins = tables.FEATURE_ORIGINS
    assert {f for f, o in origins.items() if o == "instrument"} == {
        "drift_rate_nm_per_s",
        "zero_offset_nm",
    }
    guide = tables.feature_guide(pd.Series(0.5, index=list(FEATURE_LABELS)))
    assert len(guide) == len(FEATURE_LABELS) and guide["accuracy alone"].eq(0.5).all()


def test_exercise_feedback_kinds():
    X, y = two_classes()
    scores = pair_scores(X, y)
    assert exercise.exercise_feedback(None, None, "H_GPa", "popin")[0] == "info"
    assert exercise.exercise_feedback(None, "H_GPa", "H_GPa", "popin")[0] == "warning"
    # labels come from the page's feature names: judge two of them on a renamed table
    renamed = scores.replace({"signal_a": "H_GPa", "signal_b": "E_GPa", "noise_a": "m"})
    renamed = renamed.replace({"noise_b": "fit_r2"})
    kind, message = exercise.exercise_feedback(
        check_pair(renamed, ("H_GPa", "E_GPa")), "H_GPa", "E_GPa", "material"
    )
    assert kind == "success" and message.startswith("Right")
    kind, message = exercise.exercise_feedback(
        check_pair(renamed, ("m", "fit_r2")), "m", "fit_r2", "popin"
    )
    assert kind == "warning" and "Hint" in message and "pop-in" in message
