"""Anomalous-curve detection scored against the simulator's truth (issue 6)."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from learners.unsupervised.anomaly import (
    METHODS,
    Detector,
    anomaly_inputs,
    anomaly_scores,
    detection_report,
    residual_peak_in_truth,
)
from simulator import make_dataset

SIZES = (0.05, 0.15, 0.4, 1.0)


@pytest.fixture(scope="module")
def campaign():
    return make_dataset("anomalies", 600, seed=0)


def test_best_detector_reaches_auc_090_at_default_settings(campaign):
    aucs = {}
    for representation in ("features", "curve"):
        X, _ = anomaly_inputs(campaign, representation)
        for method in METHODS:
            s = Detector(method, standardise=representation == "features").fit(X).score(X)
            report = detection_report(s, campaign.truth["defect"]).set_index("defect")
            aucs[(representation, method)] = report.loc["all", "roc_auc"]
    assert max(aucs.values()) >= 0.9, aucs


def test_each_defect_type_is_found_more_often_the_larger_it_is():
    """ROC-AUC per defect type against good curves rises with the defect size."""
    by_type: dict[str, list[float]] = {}
    for scale in SIZES:
        d = make_dataset("anomalies", 600, contamination=0.2, size_scale=scale, seed=0)
        X, _ = anomaly_inputs(d, "features")
        s = Detector("elliptic_envelope").fit(X).score(X)
        report = detection_report(s, d.truth["defect"]).set_index("defect")
        for kind, auc in report["roc_auc"].items():
            by_type.setdefault(kind, []).append(auc)
    assert set(by_type) >= {"popin", "drift", "surface_offset", "elbow", "crack", "pore"}
    for kind, aucs in by_type.items():
        assert aucs[-1] - aucs[0] >= 0.05, (kind, aucs)
        assert spearmanr(SIZES, aucs).statistic > 0.7, (kind, aucs)


def test_pca_residual_peaks_inside_the_truth_for_popins_and_elbows(campaign):
    X, _ = anomaly_inputs(campaign, "curve_rate")
    residuals = Detector("pca_residual", standardise=False).fit(X).point_residuals(X)
    hit = residual_peak_in_truth(residuals, campaign.defect_region)
    for kind in ("popin", "elbow"):
        rows = (campaign.truth["defect"] == kind).to_numpy()
        assert rows.sum() >= 8
        assert hit[rows].mean() >= 0.9, (kind, hit[rows].mean())


def test_threshold_flags_the_contamination_share_and_recall_is_reported(campaign):
    X, _ = anomaly_inputs(campaign, "features")
    det = Detector("isolation_forest", contamination=0.1).fit(X)
    s = det.score(X)
    thr = det.threshold(s)
    assert (s > thr).mean() == pytest.approx(0.1, abs=0.01)
    report = detection_report(s, campaign.truth["defect"], threshold=thr)
    assert {"roc_auc", "average_precision", "recall", "false_positive_rate"} <= set(report)
    assert report["recall"].between(0, 1).all()


def test_rare_physical_curves_are_not_defects_but_detectors_flag_them():
    """Rare but physical curves (a pop-in in a single crystal, a hard inclusion) carry no
    defect in the truth; an unsupervised detector cannot tell rare from wrong."""
    d = make_dataset("anomalies", 600, contamination=0.1, rare_fraction=0.05, seed=1)
    rare = (d.truth["rare"] != "").to_numpy()
    assert (d.truth.loc[rare, "defect"] == "none").all()
    X, _ = anomaly_inputs(d, "features")
    s = anomaly_scores(X, "isolation_forest", seed=0)
    normal = ((d.truth["defect"] == "none") & (d.truth["rare"] == "")).to_numpy()
    assert np.median(s[rare]) > np.quantile(s[normal], 0.9)


def test_scores_are_deterministic_and_inputs_checked(campaign):
    X, _ = anomaly_inputs(campaign, "features")
    for method in METHODS:
        np.testing.assert_array_equal(anomaly_scores(X, method), anomaly_scores(X, method))
    with pytest.raises(ValueError, match="method must be one of"):
        Detector("crystal_ball")
    with pytest.raises(ValueError, match="NaN"):
        anomaly_scores(np.full((5, 2), np.nan))
    with pytest.raises(ValueError, match="representation"):
        anomaly_inputs(campaign, "spectrum")


def test_lof_neighbourhood_grows_with_the_campaign():
    """k = max(20, contamination x rows), below the number of rows (Breunig et al. 2000)."""
    from learners.unsupervised.anomaly import lof_neighbours

    ks = [lof_neighbours(n, 0.1) for n in (5, 21, 600, 10_000)]
    assert ks == [4, 20, 60, 1000]
    assert lof_neighbours(3000, 0.3) == 900


def test_lof_finds_groups_of_similar_anomalies_in_a_large_campaign():
    """150 curves of each defect type among 3,000: with k = 20 each type is a dense cluster
    of its own and LOF misses it; with k as large as the expected anomalies it stands out."""
    from sklearn.metrics import roc_auc_score
    from sklearn.neighbors import LocalOutlierFactor
    from sklearn.preprocessing import StandardScaler

    d = make_dataset("anomalies", 3000, seed=0, contamination=0.3)
    X, _ = anomaly_inputs(d, "features")
    y = d.y == "anomaly"
    auc = roc_auc_score(y, Detector("lof", contamination=0.3).fit(X).score(X))
    fixed = LocalOutlierFactor(n_neighbors=20).fit(StandardScaler().fit_transform(X))
    auc_20 = roc_auc_score(y, -fixed.negative_outlier_factor_)
    assert auc > 0.9
    assert auc > auc_20 + 0.1
