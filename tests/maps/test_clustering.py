"""Unsupervised phase identification on simulated maps: features, clustering, deconvolution,
scores against the simulator's truth (issue 4)."""

import numpy as np
import pandas as pd
import pytest
from conftest import micrograph_interior

from learners.unsupervised.cluster_scores import match_clusters, property_errors, score_clustering
from learners.unsupervised.clustering import METHODS, choose_n_phases, cluster_phases, knee_index
from learners.unsupervised.deconvolution import deconvolve
from learners.unsupervised.map_features import (
    curve_pca,
    map_feature_table,
    resample_curves,
    scale_features,
)
from simulator import indent_map, make_microstructure
from simulator.microstructure import LITERATURE_MICROSTRUCTURES
from ui.maps.widgets import DEFAULTS as MAP_DEFAULTS


@pytest.fixture(scope="module")
def dp_steel():
    """Dual-phase steel at the indent_map defaults: 30 x 30, 4 um, 1 mN."""
    ms = make_microstructure("dual-phase steel", size_um=(140, 140), seed=0)
    m = indent_map(ms, seed=0)
    return ms, m, map_feature_table(m)


# --- must-holds of issue 4 ---------------------------------------------------------------


def test_gmm_finds_dual_phase_steel_phases_and_fractions(dp_steel):
    ms, m, table = dp_steel
    assert (m.nx, m.ny) == (30, 30)
    # The grid is sparse enough: spacing >= 10 x the deepest indent (Phani & Oliver 2019).
    assert m.spacing_um * 1000 >= 10 * m.truth["h_max_nm"].max()
    assert table["ok"].all()
    result = cluster_phases(table[["H_GPa", "E_GPa"]], "gmm", n_phases=2, seed=0)
    score = score_clustering(result.labels, m.truth["phase"])
    assert score.ari >= 0.8
    assert score.max_fraction_error_pp <= 5.0


def test_deeper_indents_average_the_phases_and_ari_falls(dp_steel):
    _, shallow, shallow_table = dp_steel
    # 200 mN: the contact radius (~5 um) approaches the 6 um grains. The spacing grows so
    # that it stays >= 10 x depth: the fall comes from the zone of influence, not from
    # neighbouring indents interacting.
    spacing = 23.0
    ms = make_microstructure("dual-phase steel", size_um=(720, 720), seed=0)
    deep = indent_map(ms, spacing_um=spacing, P_max_mN=200.0, seed=0)
    assert spacing * 1000 >= 10 * deep.truth["h_max_nm"].max()
    assert (deep.truth["neighbour_hardening"] == 1).all()
    assert deep.truth["on_interface"].mean() > 3 * shallow.truth["on_interface"].mean()

    def ari(m, table):
        labels = cluster_phases(table[["H_GPa", "E_GPa"]], "gmm", 2, seed=0).labels
        return score_clustering(labels, m.truth["phase"]).ari

    ari_shallow, ari_deep = ari(shallow, shallow_table), ari(deep, map_feature_table(deep))
    assert ari_shallow >= 0.8
    assert ari_deep < 0.5
    assert ari_deep < ari_shallow - 0.3


def _bic_pick_on_interior_indents(preset: str, seed: int) -> bool:
    """At the app's default map settings (ui.maps.widgets.DEFAULTS: 130 um microstructure,
    30 x 30 indents 4 um apart, 1 mN; H and E, log scaling, phases counted on the indents
    the micrograph shows clear of boundaries): is BIC's pick right? It counts when k is the
    truth and every cluster holds at least 5 % of the counted indents: a phase, not one
    outlying indent."""
    side = MAP_DEFAULTS["map_size_um"]
    ms = make_microstructure(preset, size_um=(side, side), seed=seed)
    m = indent_map(
        ms,
        nx=MAP_DEFAULTS["map_nx"],
        ny=MAP_DEFAULTS["map_ny"],
        spacing_um=MAP_DEFAULTS["map_spacing_um"],
        P_max_mN=MAP_DEFAULTS["map_P_max_mN"],
        seed=seed,
    )
    table, keep = micrograph_interior(ms, m, seed)
    if keep.sum() < 30:
        return False
    features = table.loc[keep, ["H_GPa", "E_GPa"]]
    best = choose_n_phases(features, seed=0).attrs["best_k"]["bic"]
    sizes = np.bincount(cluster_phases(features, "gmm", best, seed=0).labels)
    return best == len(ms.phases) and sizes.min() >= 0.05 * keep.sum()


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Issue 4 must-hold not met. On all indents BIC adds components for the composite "
        "indents near boundaries (app defaults, seed 0: 4, 4, 3, 4, 2 for true 2, 2, 2, 4, "
        "2). Counted on the micrograph's interior indents (the app's default) it is right on "
        "dual-phase steel and Al-SiC only: WC-Co's binder films and Ti-6Al-4V's beta "
        "lamellae are thinner than twice the zone of influence (no interior indent of the "
        "minor phase), and cement paste's LD and HD C-S-H merge (right on a 140 um "
        "microstructure at seed 0, wrong at 130 um and at most seeds). 2 of 5."
    ),
)
def test_bic_picks_true_number_of_phases_on_three_presets():
    # The must-hold is about the literature presets: the coarse teaching preset (issue 15)
    # was made for BIC to work and does not count toward it.
    hits = {p: _bic_pick_on_interior_indents(p, 0) for p in LITERATURE_MICROSTRUCTURES}
    assert sum(hits.values()) >= 3, hits


@pytest.mark.parametrize(
    "preset", ["dual-phase steel", "Al-SiC composite", "coarse dual-phase steel (teaching)"]
)
def test_bic_on_interior_indents_counts_coarse_phases_at_every_seed(preset):
    """Where the phases are coarser than the zone of influence, counting on the interior
    indents gets the number of phases right at every seed 0-3 (on all indents: never)."""
    assert all(_bic_pick_on_interior_indents(preset, seed) for seed in range(4))


def test_bic_counts_interface_indents_as_a_phase(dp_steel):
    """Why the must-hold above fails: BIC is right once the mixed indents are removed."""
    _, m, table = dp_steel
    features = table[["H_GPa", "E_GPa"]]
    interior = ~m.truth["on_interface"].to_numpy()
    everything = choose_n_phases(features, seed=0).attrs["best_k"]
    pure = choose_n_phases(features[interior], seed=0).attrs["best_k"]
    assert everything["bic"] > 2
    assert pure["bic"] == 2
    # ICL adds the classification entropy: overlapping bridge components cost it.
    assert everything["icl"] == 2


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_labels(dp_steel, method):
    _, _, table = dp_steel
    a = cluster_phases(table, method, n_phases=2, seed=3)
    b = cluster_phases(table, method, n_phases=2, seed=3)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert a.labels.shape == (900,) and a.method == method
    assert a.n_clusters >= 1


def test_interior_indents_score_better_than_interface_ones(dp_steel):
    _, m, table = dp_steel
    labels = cluster_phases(table, "gmm", 2, seed=0).labels
    score = score_clustering(labels, m.truth["phase"], on_interface=m.truth["on_interface"])
    loc = score.by_location
    assert list(loc.index) == ["all", "interface", "interior"]
    assert loc.loc["interface", "n"] + loc.loc["interior", "n"] == 900
    assert loc.loc["interior", "ari"] > loc.loc["interface", "ari"] + 0.3
    assert loc.loc["interior", "accuracy"] > loc.loc["interface", "accuracy"]


# --- feature tables, scaling, curve representations --------------------------------------


def test_feature_table_columns_nu_and_flagged_rows(dp_steel):
    _, m, table = dp_steel
    assert list(table.columns) == ["H_GPa", "E_GPa", "ok", "reason"]
    assert len(table) == m.n_indents
    # nu only moves E: E = (1 - nu^2) / (1/E_r - (1 - nu_i^2)/E_i) grows as nu falls.
    curves = {"h_nm": m.h_nm[:20].copy(), "P_mN": m.P_mN[:20], "segment": m.segment[:20]}
    er = map_feature_table(curves, features=("Er_GPa", "E_GPa"))
    er2 = map_feature_table(curves, features=("Er_GPa", "E_GPa"), nu=0.2)
    np.testing.assert_allclose(er["Er_GPa"], er2["Er_GPa"])
    ratio = (er2["E_GPa"] / er["E_GPa"]).to_numpy()
    np.testing.assert_allclose(ratio, (1 - 0.2**2) / (1 - 0.3**2), rtol=1e-12)
    # A curve the analysis cannot handle is kept and flagged.
    curves["h_nm"][3] = np.nan
    flagged = map_feature_table(curves, features=("H_GPa", "Wp_over_Wt"))
    assert len(flagged) == 20 and not flagged["ok"].iloc[3] and flagged["reason"].iloc[3]
    assert np.isnan(flagged["H_GPa"].iloc[3]) and flagged["ok"].drop(index=3).all()
    with pytest.raises(ValueError, match="Allowed:"):
        map_feature_table(m, features=("hardness",))


def test_scaling_options():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.lognormal(1.0, 0.3, 500), rng.normal(0.0, 2.0, 500)])
    std = scale_features(X, "standard")
    np.testing.assert_allclose(std.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(std.std(axis=0), 1, rtol=1e-12)
    rob = scale_features(X, "robust")
    np.testing.assert_allclose(np.median(rob, axis=0), 0, atol=1e-12)
    q75, q25 = np.percentile(rob, [75, 25], axis=0)
    np.testing.assert_allclose(q75 - q25, 1, rtol=1e-12)
    log = scale_features(X, "log")
    # The positive column is logged, the signed one only standardised.
    ref = np.log(X[:, 0])
    np.testing.assert_allclose(log[:, 0], (ref - ref.mean()) / ref.std(), rtol=1e-10)
    np.testing.assert_allclose(log[:, 1], std[:, 1], rtol=1e-10)
    np.testing.assert_array_equal(scale_features(X, "none"), X)
    frame = pd.DataFrame({"H_GPa": X[:, 0], "ok": True, "reason": ""})
    scaled = scale_features(frame, "log")
    assert list(scaled.columns) == ["H_GPa", "ok", "reason"] and scaled["ok"].all()
    with pytest.raises(ValueError, match="none, standard, robust, log"):
        scale_features(X, "minmax")


def _kick_curves(C_mN_per_nm2, h_max_nm, n_points=200):
    """Approach (P = 0), loading P = C h^2, then a linear unloading, with segment codes."""
    n_app, n_load = 20, 120
    frac = np.linspace(0, 1, n_load)
    h_load = frac[None, :] * h_max_nm[:, None]
    P_load = C_mN_per_nm2[:, None] * h_load**2
    h_app = np.linspace(-10, -0.5, n_app)[None, :].repeat(len(h_max_nm), 0)
    n_un = n_points - n_app - n_load
    back = np.linspace(1, 0, n_un)[None, :]
    h_un = h_max_nm[:, None] * (0.8 + 0.2 * back)
    P_un = (C_mN_per_nm2 * h_max_nm**2)[:, None] * back
    h = np.hstack([h_app, h_load, h_un])
    P = np.hstack([np.zeros_like(h_app), P_load, P_un])
    segment = np.r_[np.zeros(n_app), np.ones(n_load), np.full(n_un, 3)].astype(np.int8)
    return h, P, segment


def test_resample_curves_on_kick_law_curves():
    C = np.array([1e-4, 4e-4, 2e-4])
    h_max = np.array([100.0, 50.0, 80.0])
    h, P, segment = _kick_curves(C, h_max)
    x = np.arange(1, 33) / 32
    by_depth = resample_curves(h, P, segment, n=32, on="depth")
    assert by_depth.shape == (3, 32)
    # Same as one np.interp per curve (the batched call must not mix rows) ...
    loading = segment == 1
    for i in range(3):
        ref = np.interp(x * h_max[i], h[i, loading], P[i, loading])
        np.testing.assert_allclose(by_depth[i], ref, rtol=1e-12)
    # ... and P = C h^2 up to linear interpolation's error, f'' dh^2 / 8 = C dh^2 / 4.
    dh = h_max / 119
    np.testing.assert_allclose(
        by_depth, C[:, None] * (x * h_max[:, None]) ** 2, rtol=0, atol=(C * dh**2 / 4).max()
    )
    by_load = resample_curves(h, P, segment, n=32, on="load")
    P_max = C * h_max**2
    np.testing.assert_allclose(by_load, np.sqrt(x * P_max[:, None] / C[:, None]), rtol=2e-3)
    # Without segment codes the branch is found from the load (up to its peak).
    np.testing.assert_allclose(resample_curves(h, P, n=32), by_depth, rtol=1e-12)
    # A curve without data gives a NaN row; the others are untouched.
    h[1] = np.nan
    out = resample_curves(h, P, segment, n=32)
    assert np.isnan(out[1]).all()
    np.testing.assert_allclose(out[[0, 2]], by_depth[[0, 2]])
    with pytest.raises(ValueError, match="on must be"):
        resample_curves(h, P, on="time")


def test_curve_pca_of_resampled_map(dp_steel):
    _, m, _ = dp_steel
    X = resample_curves(m.h_nm, m.P_mN, m.segment, n=32, on="load")
    X[5] = np.nan
    pca = curve_pca(X, 2)
    assert pca.scores.shape == (900, 2) and np.isnan(pca.scores[5]).all()
    # Depth at fractions of P_max scales as 1/sqrt(H): one component carries it.
    assert pca.explained_variance_ratio[0] > 0.95
    labels = cluster_phases(pca.scores[:, :1], "gmm", 2, nan_policy="omit").labels
    assert labels[5] == -1
    assert score_clustering(labels, m.truth["phase"]).ari > 0.7


# --- clustering and criteria ---------------------------------------------------------------


def test_cluster_phases_rejects_bad_input():
    X = np.random.default_rng(1).normal(size=(50, 2)) + 5
    with pytest.raises(ValueError, match="kmeans, gmm, agglomerative, dbscan, hdbscan"):
        cluster_phases(X, "spectral")
    X[[3, 7, 9]] = np.nan
    with pytest.raises(ValueError, match="3 of 50 rows"):
        cluster_phases(X, "kmeans")
    result = cluster_phases(X, "kmeans", 2, nan_policy="omit")
    assert (result.labels[[3, 7, 9]] == -1).all() and (
        np.delete(result.labels, [3, 7, 9]) >= 0
    ).all()
    table = pd.DataFrame({"H_GPa": X[:, 0], "ok": ~np.isnan(X[:, 0]), "reason": ""})
    with pytest.raises(ValueError, match="ok=False"):
        cluster_phases(table, "gmm")


def test_choose_n_phases_on_well_separated_blobs():
    rng = np.random.default_rng(2)
    centres = np.array([[2.0, 100.0], [8.0, 100.0], [4.0, 400.0]])  # a triangle in log
    X = np.vstack([c * np.exp(0.05 * rng.standard_normal((300, 2))) for c in centres])
    table = choose_n_phases(X, range(1, 6), seed=0)
    assert list(table["k"]) == [1, 2, 3, 4, 5]
    assert np.isnan(table["silhouette"].iloc[0])
    assert table.attrs["best_k"] == {"bic": 3, "icl": 3, "silhouette": 3, "elbow": 3}
    assert table.loc[table["best_bic"], "k"].item() == 3
    # All methods find the three blobs.
    truth = np.repeat([0, 1, 2], 300)
    for method in METHODS:
        result = cluster_phases(X, method, 3, seed=0)
        assert result.n_clusters == 3, method
        # Density methods call the sparse tails of each blob noise (label -1).
        noise = result.labels == -1
        assert noise.mean() < 0.1, method
        assert score_clustering(result.labels[~noise], truth[~noise]).ari > 0.95, method


def test_knee_index():
    assert knee_index([100, 20, 10, 8, 7, 6]) == 1
    assert knee_index(np.r_[np.linspace(0, 1, 90), np.linspace(2, 50, 10)]) == 89


# --- deconvolution ---------------------------------------------------------------------------


def test_deconvolution_recovers_two_gaussians():
    rng = np.random.default_rng(4)
    n = 4000
    hard = rng.random(n) < 0.3
    H = np.where(hard, rng.normal(7.0, 0.7, n), rng.normal(2.5, 0.25, n))
    E = np.where(hard, rng.normal(210.0, 15.0, n), rng.normal(200.0, 12.0, n))
    table = deconvolve(pd.DataFrame({"H_GPa": H, "E_GPa": E}), 2, seed=0)
    assert list(table.columns) == [
        "phase",
        "H_mean_GPa",
        "H_sd_GPa",
        "E_mean_GPa",
        "E_sd_GPa",
        "fraction",
    ]
    # Sampling error of a mean is sd / sqrt(n_phase) (~0.02 GPa in H, ~1 GPa in E):
    # tolerances of a few of those.
    np.testing.assert_allclose(table["H_mean_GPa"], [2.5, 7.0], atol=0.06)
    np.testing.assert_allclose(table["H_sd_GPa"], [0.25, 0.7], rtol=0.06)
    np.testing.assert_allclose(table["E_mean_GPa"], [200.0, 210.0], atol=2.0)
    np.testing.assert_allclose(table["E_sd_GPa"], [12.0, 15.0], rtol=0.06)
    np.testing.assert_allclose(table["fraction"], [0.7, 0.3], atol=0.02)
    assert table.attrs["n_used"] == n


def test_deconvolution_of_dual_phase_steel_and_property_errors(dp_steel):
    ms, _, table = dp_steel
    decon = deconvolve(table, 2)
    errors = property_errors(decon, ms.phases)
    assert list(errors["name"]) == ["ferrite", "martensite"]
    assert list(errors["matched"]) == [0, 1]
    # Interface indents widen and shift the populations: a few percent, not tens.
    assert errors["H_rel_error"].abs().max() < 0.12
    assert errors["E_rel_error"].abs().max() < 0.05
    assert errors["fraction_error_pp"].abs().max() < 10


def test_property_errors_match_by_properties_not_order():
    true = pd.DataFrame(
        {"name": ["a", "b"], "H_GPa": [2.0, 8.0], "E_GPa": [100.0, 300.0], "fraction": [0.6, 0.4]}
    )
    est = pd.DataFrame(
        {"H_mean_GPa": [8.8, 2.0], "E_mean_GPa": [270.0, 100.0], "fraction": [0.45, 0.55]}
    )
    errors = property_errors(est, true)
    assert list(errors["matched"]) == [1, 0]
    np.testing.assert_allclose(errors["H_rel_error"], [0.0, 0.1])
    np.testing.assert_allclose(errors["E_rel_error"], [0.0, -0.1])
    np.testing.assert_allclose(errors["fraction_error_pp"], [-5.0, 5.0])


# --- scores ---------------------------------------------------------------------------------


def test_hungarian_matching_of_permuted_labels():
    truth = np.repeat([0, 1, 2], [50, 30, 20])
    labels = np.array([2, 0, 1])[truth]
    assert match_clusters(labels, truth) == {2: 0, 0: 1, 1: 2}
    score = score_clustering(labels, truth)
    assert score.ari == pytest.approx(1.0) and score.accuracy == 1.0
    np.testing.assert_array_equal(score.matched_labels, truth)
    np.testing.assert_array_equal(np.diag(score.confusion.to_numpy()), [50, 30, 20])
    assert score.max_fraction_error_pp == pytest.approx(0.0)
    # Names work as phases too.
    names = np.array(["ferrite", "martensite", "pore"])[truth]
    assert score_clustering(labels, names).accuracy == 1.0


def test_fraction_errors_and_unequal_cluster_counts():
    truth = np.repeat([0, 1], [70, 30])
    labels = np.repeat([5, 9], [60, 40])  # 10 ferrite indents called martensite
    score = score_clustering(labels, truth)
    assert score.accuracy == pytest.approx(0.9)
    np.testing.assert_allclose(score.fractions["error_pp"], [-10.0, 10.0])
    # A third cluster stays unmatched and counts as wrong.
    three = labels.copy()
    three[:5] = 7
    s3 = score_clustering(three, truth)
    assert -1 in s3.confusion.columns and s3.confusion[-1].sum() == 5
    assert s3.accuracy == pytest.approx(0.85)
    # One cluster for two phases: the second phase gets no indents.
    one = score_clustering(np.zeros(100, dtype=int), truth)
    np.testing.assert_allclose(one.fractions["predicted_fraction"], [1.0, 0.0])
    assert one.ari == pytest.approx(0.0)
    with pytest.raises(ValueError, match="same length"):
        score_clustering(labels[:10], truth)
