"""Explanations checked against exact attributions and the simulator's truth (issue 7)."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from learners import curve_matrix, make_pipeline
from learners.explain import (
    curve_segments,
    exact_attribution,
    explain_lime,
    explain_segments,
    split_pipeline,
)
from learners.explain.scorecard import (
    jaccard_stability,
    pointing_game,
    rank_correlation,
    top_k,
    weight_spread,
)
from simulator import make_dataset

NUISANCE = ["creep_nm", "drift_rate_nm_per_s"]  # vary from curve to curve, carry no phase


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def phase_model():
    """Logistic regression on H, E and two nuisance columns; WC-Co, where both H and E
    differ between the phases (in dual-phase steel E does not)."""
    d = make_dataset("phase", 400, preset="WC-Co hardmetal", seed=0)
    X = curve_matrix(d)
    pipe = make_pipeline("features", "logistic", features=["H_GPa", "E_GPa", *NUISANCE])
    with threadpool_limits(1):
        pipe.fit(X[:300], d.y[:300])
    return d, X, pipe


def test_lime_agrees_with_the_exact_logistic_attribution(phase_model):
    d, X, pipe = phase_model
    spearman, agree, top_is_H_E = [], [], []
    for i in range(300, 340):
        lime = explain_lime(pipe, X, i, background=X[:300], seed=i).set_index("feature")
        exact = exact_attribution(pipe, X, i, background=X[:300])
        names = list(exact["feature"])
        contribution = lime.loc[names, "contribution"].to_numpy()
        e = exact["attribution"].to_numpy()
        spearman.append(rank_correlation(contribution, e))
        agree.append(set(top_k(contribution, 2)) == set(top_k(e, 2)))
        top = np.asarray(names)[top_k(lime.loc[names, "weight"].to_numpy(), 2)]
        top_is_H_E.append(set(top) == {"H_GPa", "E_GPa"})
    assert np.nanmedian(spearman) >= 0.8
    assert np.mean(agree) >= 0.9
    assert np.mean(top_is_H_E) >= 0.9


def test_segment_lime_points_at_the_popin():
    d = make_dataset("quality", 240, defect_types=("popin",), label_mode="binary", seed=0)
    X = curve_matrix(d)
    pipe = make_pipeline("curve", "logistic").fit(X[:160], d.y[:160])
    predicted = pipe.predict(X[160:])
    caught = 160 + np.flatnonzero((predicted == "defect") & (d.y[160:] == "defect"))
    assert caught.size >= 10
    hits = []
    for i in caught:
        seg = explain_segments(pipe, X, i, background=X[:160], num_samples=500, seed=0)
        hits.append(pointing_game(seg["weight"], seg.attrs["masks"], d.defect_region[i]))
    assert np.mean(hits) >= 0.8


def test_clever_hans_explanation_points_at_drift_only_when_confounded():
    def top_features(confound):
        c = make_dataset("confounded", 260, seed=0, confound=confound)
        X = curve_matrix(c)
        pipe = make_pipeline("features", "logistic").fit(X[:200], c.y[:200])
        return [
            explain_lime(pipe, X, i, background=X[:200], seed=i)["feature"].iloc[0]
            for i in range(200, 230)
        ]

    confounded, clean = top_features(0.9), top_features(0.5)
    assert confounded.count("drift_rate_nm_per_s") > len(confounded) / 2
    assert clean.count("drift_rate_nm_per_s") < len(clean) / 4


def test_stability_rises_with_the_number_of_lime_samples(phase_model):
    d, X, pipe = phase_model
    spread, jaccard = [], []
    for n in (50, 300, 3000):
        per_row_spread, per_row_jaccard = [], []
        for i in range(300, 310):
            W = [
                explain_lime(pipe, X, i, background=X[:300], num_samples=n, seed=s)
                .set_index("feature")
                .sort_index()["weight"]
                .to_numpy()
                for s in range(4)
            ]
            per_row_spread.append(weight_spread(W))
            per_row_jaccard.append(jaccard_stability(W, 3))
        spread.append(np.mean(per_row_spread))
        jaccard.append(np.mean(per_row_jaccard))
    print("weight spread, 50 / 300 / 3000 samples:", spread, "top-3 Jaccard:", jaccard)
    # Sampling noise falls about as 1/sqrt(samples): 60x more samples, ~8x less spread.
    assert spread[0] > 1.5 * spread[1] > 1.5 * 1.5 * spread[2]
    assert jaccard[2] >= jaccard[0]


def test_explanations_are_reproducible_and_named(phase_model):
    d, X, pipe = phase_model
    a = explain_lime(pipe, X, 301, background=X[:300], seed=3)
    b = explain_lime(pipe, X, 301, background=X[:300], seed=3)
    assert a.equals(b)
    _, _, names = split_pipeline(pipe)
    assert set(a["feature"]) == set(names)
    assert 0 <= a.attrs["score"] <= 1


def test_curve_segments_cover_the_curve_once(phase_model):
    d, X, _ = phase_model
    names, masks = curve_segments(X[0, 3], X[0, 1])
    assert names[0] == "approach" and masks.sum(axis=0).max() == 1
    assert masks.any(axis=0).all()
    names, masks = curve_segments(X[0, 3], X[0, 1], kind="windows", n_windows=5)
    assert len(names) == 5 and masks.sum(axis=0).max() == 1


def test_no_exact_attribution_for_a_forest(phase_model):
    d, X, _ = phase_model
    forest = make_pipeline("features", "random_forest").fit(X[:100], d.y[:100])
    with pytest.raises(ValueError, match="No exact attribution"):
        exact_attribution(forest, X, 0)


def test_given_features_give_the_same_explanations(phase_model):
    """What the pages pass (the features they already have) explains as the curves do."""
    d, X, pipe = phase_model
    features = split_pipeline(pipe)[0]
    F = (features.transform(X[:300]), features.transform(X[305:306])[0])
    for explain in (explain_lime, exact_attribution):
        from_curves = explain(pipe, X, 305, background=X[:300])
        given = explain(pipe, X, 305, features=F)
        column = "weight" if explain is explain_lime else "attribution"
        np.testing.assert_allclose(given[column], from_curves[column], rtol=1e-9, atol=1e-12)
        assert list(given["feature"]) == list(from_curves["feature"])
    with pytest.raises(ValueError, match="features must be"):
        explain_lime(pipe, X, 305, features=(F[0], F[1][:2]))


def test_segment_lime_with_each_pattern_predicted_once_equals_every_sample_predicted():
    """explain_segments predicts each distinct on/off pattern once; the weights equal those
    of the plain recipe (every perturbed curve built and predicted, then LimeBase)."""
    from lime.lime_base import LimeBase
    from sklearn.metrics import pairwise_distances

    from learners.explain.attribution import _reference_displacement

    d = make_dataset("quality", 120, defect_types=("popin",), label_mode="binary", seed=1)
    X = curve_matrix(d)
    pipe = make_pipeline("curve", "logistic").fit(X[:80], d.y[:80])
    i, n = 90, 300
    table = explain_segments(pipe, X, i, background=X[:80], num_samples=n, seed=3)
    names, masks = curve_segments(X[i, 3], X[i, 1])
    k = list(pipe.classes_).index(pipe.predict(X[i : i + 1])[0])
    rng = np.random.default_rng(3)
    Z = rng.integers(0, 2, size=(n, len(names)))
    Z[0] = 1
    assert len(np.unique(Z, axis=0)) < n  # the shortcut has repeats to save
    off = (1 - Z) @ masks.astype(int) > 0
    perturbed = np.repeat(X[i : i + 1], n, axis=0)
    ref = _reference_displacement(X, i, X[:80], "mean")
    perturbed[:, 0] = np.where(off, ref[None, :], X[i, 0][None, :])
    proba = pipe.predict_proba(perturbed)[:, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        distances = np.nan_to_num(pairwise_distances(Z, Z[:1], metric="cosine").ravel(), nan=1.0)
    base = LimeBase(
        lambda x: np.sqrt(np.exp(-(x**2) / 0.25**2)),
        random_state=np.random.RandomState(rng.integers(2**31 - 1)),
    )
    _, weights, _, _ = base.explain_instance_with_data(
        Z, proba[:, None], distances, 0, len(names), feature_selection="none"
    )
    expected = np.zeros(len(names))
    for j, w in weights:
        expected[j] = w
    np.testing.assert_allclose(table["weight"], expected, rtol=1e-9, atol=1e-12)
