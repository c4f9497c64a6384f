"""Supervised learning on simulated curves: representations, pipelines, honest evaluation.

The must-hold tests of issue 5 run on the real simulator with small datasets; thresholds are
the issue's, margins were measured over several seeds (see the comments).
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline as sk_make_pipeline

from learners.supervised.baselines import (
    OUT_OF_RANGE_SCENARIOS,
    oliver_pharr_baseline,
    out_of_range_check,
)
from learners.supervised.evaluation import (
    compare_random_vs_spatial,
    evaluate,
    learning_curve_scores,
)
from learners.supervised.models import BASELINES, CLASSIFIERS, REGRESSORS, make_pipeline
from learners.supervised.representations import (
    CHANNELS,
    REPRESENTATIONS,
    ResampledCurve,
    curve_matrix,
)
from learners.supervised.splits import make_split
from simulator import make_dataset, simulate_curves
from simulator.datasets import DEFECT_TYPES

#: The models that learn (the baselines ignore their inputs, so no shortcut can fool them).
LEARNED_CLASSIFIERS = [m for m in CLASSIFIERS if m not in BASELINES]
LEARNED_REGRESSORS = [m for m in REGRESSORS if m not in BASELINES]

# --- fixtures: one dataset per task, shared by the tests of a module -------------------


@pytest.fixture(scope="module")
def phase():
    return make_dataset("phase", 400, seed=0)  # dual-phase steel, default noise, 4 um grid


@pytest.fixture(scope="module")
def fine_map():
    # 30 x 30 indents at 1 um on ~6 um grains: neighbours share grains; 5 um blocks.
    return make_dataset("phase", 900, seed=0, spacing_um=1.0, block_um=5.0)


@pytest.fixture(scope="module")
def quality():
    return make_dataset("quality", 700, seed=0)


@pytest.fixture(scope="module")
def confounded():
    return make_dataset("confounded", 300, seed=0)


@pytest.fixture(scope="module")
def properties():
    return make_dataset("properties", 200, seed=0)


# --- representations -------------------------------------------------------------------


def test_curve_matrix_stacks_the_channels(phase):
    X = curve_matrix(phase)
    assert X.shape == (phase.n, len(CHANNELS), phase.h_nm.shape[1])
    np.testing.assert_array_equal(X[:, 0], phase.h_nm)
    np.testing.assert_array_equal(X[:, 1], phase.P_mN)
    np.testing.assert_array_equal(X[:, 3], phase.segment)
    # A mapping without time and segments: NaN time, segment -1 (found from the load).
    bare = curve_matrix({"h_nm": phase.h_nm[:3], "P_mN": phase.P_mN[:3]})
    assert np.isnan(bare[:, 2]).all() and (bare[:, 3] == -1).all()
    with pytest.raises(ValueError, match="same shape"):
        curve_matrix({"h_nm": phase.h_nm[:3], "P_mN": phase.P_mN[:2]})
    with pytest.raises(ValueError, match="h_nm and P_mN"):
        curve_matrix({"h_nm": phase.h_nm})


@pytest.mark.parametrize("representation", list(REPRESENTATIONS))
def test_representations_clone_fit_transform_and_name_their_columns(representation, quality):
    X = curve_matrix(quality)[:120]
    steps = make_pipeline(representation, "logistic")[:-1]
    fitted = clone(steps).fit(X, quality.y[:120])
    Z = fitted.transform(X)
    names = fitted.get_feature_names_out()
    assert Z.ndim == 2 and Z.shape[0] == 120 and Z.shape[1] == len(names)
    assert np.isfinite(Z).all()  # imputed: no NaN reaches a model
    assert len(set(names)) == len(names)
    expected = {
        "op": {"H_GPa", "E_GPa"},
        "features": {"zero_offset_nm", "missingindicator_popin_load_mN", "Wp_over_Wt"},
        "curve": {"h_load_nm_at_50pct_Pmax", "h_unload_nm_at_50pct_Pmax", "P_max_mN"},
        "pca": {"pca0", "pca7"},
    }[representation]
    assert expected <= set(names)
    # Unfitted clone keeps the parameters and refits to the same output.
    np.testing.assert_allclose(clone(steps).fit(X).transform(X), Z)


def test_resampled_curve_holds_show_the_drift_that_was_put_in():
    # Clean curves with a known drift: during the 10 s low-load drift hold the depth grows
    # by rate x 10 s (there is no creep at 10 % of P_max in the simulator).
    rate = np.array([0.0, 0.2, -0.1])
    c = simulate_curves(3, material="ferrite", defects_per_curve={"drift_nm_per_s": rate})
    rc = ResampledCurve(n_grid=20, n_hold=10).fit(curve_matrix(c))
    Z = pd.DataFrame(rc.transform(curve_matrix(c)), columns=rc.get_feature_names_out())
    hold_s = c.protocol.drift_hold_s
    np.testing.assert_allclose(Z["dh_drift_hold_nm_at_100pct_t"], rate * hold_s, atol=0.05)
    np.testing.assert_allclose(Z["P_max_mN"], c.protocol.P_max_mN, rtol=1e-3)
    # The depth at 100 % P_max on loading is the depth where the hold starts.
    start_hold = np.argmax(c.segment == 2, axis=1)
    h_start = c.h_nm[np.arange(3), start_hold]
    np.testing.assert_allclose(Z["h_load_nm_at_100pct_Pmax"], h_start, rtol=0.01)


def test_resampled_curve_without_segment_codes_finds_the_branches(phase):
    X = curve_matrix(phase)[:20]
    bare = X.copy()
    bare[:, 3] = -1
    rc = ResampledCurve(branches=("loading", "unloading"), n_grid=16).fit(X)
    # Without codes the unloading is "after the last point at peak load", which includes
    # the drift hold; at and above 20 % P_max the two agree closely.
    a, b = rc.transform(X), rc.transform(bare)
    np.testing.assert_allclose(a[:, 4:16], b[:, 4:16], rtol=0.01)
    np.testing.assert_allclose(a[:, 20:32], b[:, 20:32], rtol=0.01)


def test_missing_popin_is_imputed_with_an_indicator(quality):
    steps = make_pipeline("features", "logistic")[:2].fit(curve_matrix(quality))  # no scaling
    Z = pd.DataFrame(steps.transform(curve_matrix(quality)), columns=steps.get_feature_names_out())
    no_popin = Z["missingindicator_popin_load_mN"] == 1
    truth_popin = (quality.truth["defect"] == "popin").to_numpy()
    assert no_popin[truth_popin].mean() < 0.05  # pop-ins are found ...
    assert no_popin[quality.truth["defect"] == "none"].mean() > 0.9  # ... and absent in good


def test_make_pipeline_rejects_bad_arguments():
    with pytest.raises(ValueError, match="representation must be one of op, features"):
        make_pipeline("fourier", "logistic")
    with pytest.raises(ValueError, match="model must be one of most_frequent, logistic, knn"):
        make_pipeline("op", "ridge")  # a regressor asked for classification
    with pytest.raises(ValueError, match="model must be one of mean, ridge"):
        make_pipeline("op", "logistic", task_type="regression")
    with pytest.raises(ValueError, match="task_type must be"):
        make_pipeline("op", "knn", task_type="clustering")
    with pytest.raises(ValueError, match="scaling must be True, False or one of"):
        make_pipeline("op", "knn", scaling="minmax")
    with pytest.raises(ValueError, match="n_grid must be"):
        make_pipeline("curve", "knn", n_grid=500)
    with pytest.raises(ValueError, match="n_components must lie"):
        make_pipeline("pca", "knn", n_grid=4, n_hold=4, n_components=100)
    with pytest.raises(ValueError, match="not allowed"):
        make_pipeline("features", "knn", features=("colour",)).fit(np.zeros((2, 4, 50)))
    with pytest.raises(ValueError, match="curve matrix"):
        make_pipeline("op", "knn").fit(np.zeros((4, 50)), ["a", "b", "a", "b"])
    assert set(CLASSIFIERS) == {
        "most_frequent",
        "logistic",
        "knn",
        "svm",
        "random_forest",
        "hist_gradient_boosting",
        "mlp",
    }
    assert set(REGRESSORS) >= {"mean", "ridge", "svr", "random_forest", "mlp"}


# --- splits and evaluation -----------------------------------------------------------


def test_splits_respect_their_rules(phase, confounded):
    y = phase.y
    random = make_split(phase, "random", test_size=0.3, seed=1)
    assert random.n_splits == 1 and len(random.test[0]) == 120
    assert np.intersect1d(random.train[0], random.test[0]).size == 0
    # Stratified: the class shares of train and test agree.
    share = [np.mean(y[idx] == "martensite") for idx in (random.train[0], random.test[0])]
    assert abs(share[0] - share[1]) < 0.02
    kfold = make_split(phase, "kfold", n_splits=5)
    assert (kfold.fold >= 0).all()  # every curve tested exactly once
    assert sorted(np.concatenate(kfold.test)) == list(range(phase.n))
    spatial = make_split(phase, "spatial", n_splits=5)
    for train, test in zip(spatial.train, spatial.test, strict=True):
        assert not set(phase.groups[train]) & set(phase.groups[test])  # no shared block
    frame = spatial.frame(phase)
    assert {"x_um", "y_um", "fold", "group"} <= set(frame.columns)
    group = make_split(confounded, "group", n_splits=5)  # two days: leave one day out
    assert group.n_splits == 2
    clean = make_split(confounded, "clean_test")
    assert clean.on_test_set and len(clean.test[0]) == confounded.test.n


def test_splits_reject_bad_arguments(phase, quality):
    with pytest.raises(ValueError, match="split must be one of"):
        make_split(phase, "leave_one_out")
    with pytest.raises(ValueError, match="spatial blocks"):
        make_split(quality, "spatial")
    with pytest.raises(ValueError, match="clean test set"):
        make_split(phase, "clean_test")
    with pytest.raises(ValueError, match="test_size"):
        make_split(phase, "random", test_size=1.5)
    with pytest.raises(ValueError, match="n_splits"):
        make_split(phase, "kfold", n_splits=1)
    with pytest.raises(ValueError, match="more than the"):
        make_split(make_dataset("phase", 100, seed=0, block_um=40.0), "spatial", n_splits=5)


def test_evaluate_binary_report_has_roc_pr_and_calibration(phase):
    result = evaluate(make_pipeline("op", "logistic"), phase, "kfold")
    r = result.report
    assert r.positive_class == "martensite" and r.classes == ["ferrite", "martensite"]
    assert r.confusion.to_numpy().sum() == phase.n
    assert list(r.confusion.index) == list(r.confusion.columns) == r.classes
    assert 0.9 < r.roc_auc <= 1 and 0.9 < r.average_precision <= 1
    assert r.roc["true_positive_rate"].is_monotonic_increasing
    assert r.calibration["mean_predicted_probability"].between(0, 1).all()
    assert len(result.models) == 5 and len(result.fold_scores) == 5
    assert result.predictions["correct"].mean() == pytest.approx(r.accuracy)
    np.testing.assert_allclose(result.predictions.filter(like="proba_").sum(axis=1), 1.0, rtol=1e-9)


def test_evaluate_regression_report_and_wrong_pipeline(properties):
    result = evaluate(make_pipeline("features", "ridge", task_type="regression"), properties)
    scores = result.report.scores
    assert list(scores.index) == ["H_GPa", "E_GPa"]
    assert (scores["R2"] > 0.9).all() and (scores["median_abs_rel_error"] < 0.1).all()
    parity = result.report.parity
    assert len(parity) == 2 * len(result.split.test[0]) and parity["depth_nm"].gt(0).all()
    assert set(result.report.error_vs_depth["target"]) == {"H_GPa", "E_GPa"}
    with pytest.raises(ValueError, match="needs a regression pipeline"):
        evaluate(make_pipeline("op", "logistic"), properties)
    with pytest.raises(ValueError, match="one row per curve"):
        evaluate(make_pipeline("op", "ridge", task_type="regression"), properties, X=np.ones(3))


def test_learning_curve_scores(phase):
    table = learning_curve_scores(make_pipeline("op", "knn"), phase, train_sizes=(0.2, 1.0))
    assert list(table["n_train"].unique()) == [64, 320]
    assert table["test_score"].between(0.8, 1).all()
    with pytest.raises(ValueError, match="train_sizes"):
        learning_curve_scores(make_pipeline("op", "knn"), phase, train_sizes=(0.0, 1.0))


# --- must hold: phase from curve --------------------------------------------------------


def test_phase_from_curve_with_op_features_is_accurate(phase):
    # Interface indents (mixed H and E) stay in: ~12 % of this map. Measured accuracy on a
    # 30 % held-out set: 0.98-1.00 over seeds 0-2 (logistic, k-NN, random forest).
    assert phase.truth["on_interface"].mean() > 0.05
    for model in ("logistic", "knn"):
        result = evaluate(make_pipeline("op", model), phase, "random", test_size=0.3)
        tested = phase.truth.iloc[result.split.test[0]]
        assert tested["on_interface"].any()
        assert result.report.accuracy >= 0.95, model


@pytest.fixture(scope="module")
def leakage(fine_map):
    return compare_random_vs_spatial(make_pipeline("op", "knn"), fine_map, n_repeats=3)


def test_random_vs_spatial_gap_is_measured_on_a_fine_map(leakage, fine_map, record_property):
    record_property("leakage_gap_op_knn", round(leakage.gap, 4))
    record_property("leakage_gap_se", round(leakage.gap_se, 4))
    print(
        f"\nrandom - spatial accuracy (OP + k-NN, 1 um map): {leakage.gap:+.4f} "
        f"+- {leakage.gap_se:.4f}\n{leakage.summary}"
    )
    split = leakage.spatial.split
    for train, test in zip(split.train, split.test, strict=True):
        assert not set(fine_map.groups[train]) & set(fine_map.groups[test])
    assert len(leakage.table) == 2 * 3 * 5 and np.isfinite(leakage.gap)
    # Positive control: a model that sees where an indent is (its stage position) leaks
    # through neighbours; the same measurement finds a large gap (measured 0.09-0.16).
    positions = fine_map.truth[["x_um", "y_um"]].to_numpy()
    by_position = compare_random_vs_spatial(
        sk_make_pipeline(KNeighborsClassifier(5)), fine_map, X=positions
    )
    assert by_position.gap > 0.05 and by_position.gap > 2 * by_position.gap_se


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Issue 5 must-hold not met: on a 1 um dual-phase-steel map the random-vs-spatial gap "
        "is 0 within noise for every representation (op, features, curve, pca) and model "
        "(kNN, random forest, logistic): -0.002 to +0.005 +- 0.003. Leakage can only turn "
        "errors into hits, and only 1.1 % of the indents are misclassified under the spatial "
        "split; even OP features plus stage position give +0.004 +- 0.003. Stage position "
        "alone leaks (+0.08): see test_random_vs_spatial_gap_is_measured_on_a_fine_map."
    ),
)
def test_random_vs_spatial_gap_is_positive_with_op_features(leakage):
    assert leakage.gap > 2 * leakage.gap_se


# --- must hold: curve quality ------------------------------------------------------------


def test_every_defect_type_is_recognised_by_the_best_model(quality):
    # Measured recalls (5-fold, seeds 0-3): >= 0.95 for every type with random forest and
    # gradient boosting on the engineered features.
    results = {
        m: evaluate(make_pipeline("features", m), quality, "kfold")
        for m in ("random_forest", "hist_gradient_boosting")
    }
    best = max(results.values(), key=lambda r: r.report.balanced_accuracy)
    recall = best.report.per_class["recall"]
    for defect in DEFECT_TYPES:
        assert recall[defect] >= 0.9, (defect, recall.to_dict())


def test_recall_falls_as_the_defects_shrink_toward_the_noise():
    # size_scale 0.03 puts most defects at the noise (e.g. a drift of 0.005-0.012 nm/s moves
    # the 10 s drift hold by 0.05-0.1 nm against a depth noise of 0.2 nm); a pore's wall
    # burst (60 nm x pore fraction) is still 0.5-1.1 nm there, 3-5 noise sd, and reaches the
    # noise at 0.01 (0.2-0.4 nm): measured pore recall 0.91 at 0.03, 0.41 at 0.01.
    scales = (1.0, 0.3, 0.1, 0.03, 0.01)
    recall = {}
    for s in scales:
        data = make_dataset("quality", 560, seed=0, size_scale=s)
        result = evaluate(make_pipeline("features", "random_forest"), data, "kfold")
        recall[s] = result.report.per_class["recall"].drop("good")
    table = pd.DataFrame(recall)  # rows defect types, columns scales
    mean = table.mean()
    assert (np.diff(mean.to_numpy()) < 0).all(), mean.to_dict()  # strictly falling
    assert mean[1.0] > 0.95 and mean[0.03] < 0.5
    # Every type: no rise beyond noise from one scale to the next, a clear overall fall.
    assert (np.diff(table.to_numpy(), axis=1) < 0.05).all(), table
    assert (table[1.0] - table[0.01] > 0.15).all(), table


# --- must hold: property regression ------------------------------------------------------


def test_regressor_beats_oliver_pharr_in_range_and_fails_out_of_range():
    train_range, test_range = OUT_OF_RANGE_SCENARIOS["softer"]  # (10, 100) -> (150, 400)
    check = out_of_range_check(
        make_pipeline("features", "random_forest", task_type="regression"),
        train_E_over_H=train_range,
        test_E_over_H=test_range,
        n_train=400,
        n_test=200,
        seed=0,
    )
    print("\n", check.table.to_string())
    # In range, on pile-up curves (area excess > 5 %): ML ~2 % vs Oliver-Pharr ~16 %.
    assert check.error("in_range_pileup", "ML") < check.error("in_range_pileup", "Oliver-Pharr")
    # Out of range (E/H 150-400): ML ~79 % vs Oliver-Pharr 40 % (pile-up at its maximum).
    assert check.error("out_of_range", "ML") > check.error("out_of_range", "Oliver-Pharr")


@pytest.mark.parametrize("model", LEARNED_REGRESSORS)
def test_every_regressor_fails_where_oliver_pharr_is_exact(model):
    # Trained on piling-up metals (E/H 40-150), tested without pile-up (E/H 10-30): OP is
    # exact there (~0.2 %), every learned correction misleads (measured 13-77 % in H).
    train_range, test_range = OUT_OF_RANGE_SCENARIOS["harder"]
    check = out_of_range_check(
        make_pipeline("features", model, task_type="regression"),
        train_E_over_H=train_range,
        test_E_over_H=test_range,
        n_train=300,
        n_test=150,
        seed=1,
    )
    assert check.error("in_range_pileup", "ML") < check.error("in_range_pileup", "Oliver-Pharr")
    assert check.error("out_of_range", "ML") > 5 * check.error("out_of_range", "Oliver-Pharr")


def test_oliver_pharr_baseline_is_exact_without_pileup():
    data = make_dataset("properties", 100, seed=3, pileup=False)
    report = oliver_pharr_baseline(data)
    assert report.error("H_GPa") < 0.02 and report.error("E_GPa") < 0.02
    with pytest.raises(ValueError, match="targets H_GPa"):
        oliver_pharr_baseline(make_dataset("material", 20, seed=0))


# --- must hold: Clever Hans --------------------------------------------------------------


@pytest.mark.parametrize("representation", ["features", "curve", "pca"])
@pytest.mark.parametrize("model", LEARNED_CLASSIFIERS)
def test_clever_hans_random_split_flatters_clean_test_exposes(representation, model, confounded):
    # Measured over seeds 0-2 (n = 300): random split 0.80-0.90, clean test 0.47-0.54.
    pipe = make_pipeline(representation, model)
    random = evaluate(pipe, confounded, "random").score
    clean = evaluate(pipe, confounded, "clean_test").score
    assert random >= 0.75, random
    assert clean <= random - 0.2, (random, clean)


def test_oliver_pharr_features_do_not_see_the_drift_shortcut(confounded):
    # H and E barely move with a 0.1 nm/s drift, so the shortcut is invisible to them: the
    # model is weak (the 4 % hardness signal against 6 % scatter) but not fooled.
    gaps, randoms = [], []
    for model in LEARNED_CLASSIFIERS:
        pipe = make_pipeline("op", model)
        randoms.append(evaluate(pipe, confounded, "random").score)
        gaps.append(randoms[-1] - evaluate(pipe, confounded, "clean_test").score)
    assert max(randoms) < 0.75 and np.mean(gaps) < 0.1, (randoms, gaps)
