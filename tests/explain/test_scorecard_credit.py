"""Scorecard items are credited only when the weights they rest on stand out of their
spread over LIME seeds, and only for a model that beats its baseline (issue 14: segment
weights of +-0.002 used to score "pointing game: yes")."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from learners import curve_matrix, make_pipeline
from learners.explain import explain_segments
from learners.explain.scorecard import pointing_game, top_within_noise, within_noise
from simulator import make_dataset
from ui.explain import tables


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(1):
        yield


def test_within_noise_separates_a_signal_from_seed_jitter():
    rng = np.random.default_rng(0)
    jitter = rng.normal(0.0, 0.002, size=(5, 4))  # +-0.002 around zero: noise
    signal = jitter + np.array([0.2, 0.0, 0.0, 0.0])  # one weight far out of its spread
    assert within_noise(jitter).all()
    assert within_noise(signal).tolist() == [False, True, True, True]
    assert top_within_noise(jitter, jitter[0], k=2)
    assert not top_within_noise(signal, signal[0], k=1)
    assert within_noise(np.zeros((3, 2))).all()  # a constant model: no weight at all
    with pytest.raises(ValueError):
        within_noise(jitter[:1])


@pytest.fixture(scope="module")
def popin():
    d = make_dataset("quality", 200, defect_types=("popin",), label_mode="binary", seed=0)
    X = curve_matrix(d)
    with threadpool_limits(1):
        pipe = make_pipeline("curve", "logistic").fit(X[:140], d.y[:140])
    return d, X, pipe


def test_segment_repeats_equal_separate_seeds(popin):
    d, X, pipe = popin
    both = explain_segments(pipe, X, 150, background=X[:140], num_samples=300, seed=4, repeats=2)
    for r in range(2):
        one = explain_segments(pipe, X, 150, background=X[:140], num_samples=300, seed=4 + r)
        np.testing.assert_allclose(both.attrs["weight_sets"][r], one["weight"], atol=1e-12)


class _Jitter:
    """A 'model' whose probability is a tiny pseudo-random function of the whole curve
    (+-0.002 around 0.5): no segment matters, whatever LIME's weights say."""

    classes_ = np.array(["defect", "good"])

    def predict(self, X):
        return np.full(len(X), "good")

    def predict_proba(self, X):
        X = np.asarray(X, dtype=float)
        code = np.abs(np.sin(np.nansum(X[:, 0] * np.arange(1, X.shape[2] + 1), axis=1)))
        p = 0.5 + 0.004 * (code - 0.5)
        return np.column_stack([1 - p, p])


def test_real_segment_weights_are_credited_and_jitter_is_not(popin):
    d, X, pipe = popin
    predicted = pipe.predict(X[140:])
    caught = 140 + np.flatnonzero((predicted == "defect") & (d.y[140:] == "defect"))
    assert caught.size >= 3
    for i in caught[:3]:
        seg = explain_segments(pipe, X, i, background=X[:140], num_samples=400, repeats=5)
        w, W = seg["weight"].to_numpy(), seg.attrs["weight_sets"]
        top = int(np.argmax(w))
        assert not within_noise(W)[top]  # the detector's top segment stands out ...
        assert pointing_game(w, seg.attrs["masks"], d.defect_region[i])  # ... at the pop-in
        card = {"segment_noise": bool(within_noise(W)[top])}
        assert tables.credit(card, "pointing_game") is None
    for i in caught[:3]:
        seg = explain_segments(_Jitter(), X, i, background=X[:140], num_samples=400, repeats=5)
        w, W = seg["weight"].to_numpy(), seg.attrs["weight_sets"]
        assert np.abs(w).max() < 0.002
        top = int(np.argmax(w))
        assert within_noise(W)[top]
        card = {"segment_noise": bool(within_noise(W)[top]), "pointing_game": True}
        table = tables.scorecard_table(card, 2).set_index("score")["value"]
        assert table["pointing game: top segment in the truth region"] == (
            "not credited: weights within noise of zero"
        )


def test_scorecard_table_credits_only_a_real_model_with_real_weights():
    card = {
        "top_k_truth": 1.0,
        "rank_correlation": 0.9,
        "pointing_game": True,
        "relevance_mass": 0.8,
        "lime_noise": False,
        "segment_noise": False,
        "jaccard": 1.0,
    }
    rows = {
        "top-2 agreement with the truth",
        "rank correlation with the exact attribution",
        "pointing game: top segment in the truth region",
        "relevance mass in the truth region",
    }

    def values(card, guessing=False):
        table = tables.scorecard_table(card, 2, guessing).set_index("score")["value"]
        return {r: table[r] for r in rows}, table["stability: Jaccard of top 2 over 5 seeds"]

    credited, jaccard = values(card)
    assert credited == {
        "top-2 agreement with the truth": "1.00",
        "rank correlation with the exact attribution": "0.90",
        "pointing game: top segment in the truth region": "yes",
        "relevance mass in the truth region": "0.80",
    }
    noisy, _ = values(card | {"lime_noise": True})
    assert noisy["top-2 agreement with the truth"] == tables.NOT_CREDITED["noise"]
    assert noisy["rank correlation with the exact attribution"] == tables.NOT_CREDITED["noise"]
    assert noisy["pointing game: top segment in the truth region"] == "yes"  # segments real
    guessing, jaccard_guessing = values(card, guessing=True)
    assert set(guessing.values()) == {tables.NOT_CREDITED["guessing"]}
    assert jaccard == jaccard_guessing == "1.00"  # stability is shown, not credited
