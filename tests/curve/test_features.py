"""Tests of learners.curve_features on closed-form curves with known energies and defects.

The helper builds Kick's-law loading P = C h^2 (C from H and E_r through the self-consistent
Oliver-Pharr relations), a hold, and the power-law unloading P = alpha (h - h_f)^m whose
stiffness matches at P_max, so every energy has a closed form:
W_t = C h_max^3 / 3 and W_e = alpha (h_max - h_f)^(m + 1) / (m + 1).
"""

import numpy as np
import pandas as pd
import pytest

from learners import curve_features, oliver_pharr

BETA, EPSILON, AREA_COEFF = 1.034, 0.75, 24.5


def closed_form_curve(
    E_GPa=200.0,
    H_GPa=10.0,
    nu=0.3,
    *,
    m=1.5,
    rate_hz=20.0,
    hold_s=5.0,
    drift_hold_s=10.0,
    P_max_mN=10.0,
):
    """t [s], h [nm], P [mN], segment codes and truth (approach 2 s, loading 10 s, hold,
    unloading 5 s to 10 % of P_max, drift hold, final unloading)."""
    Er_mN = 1e-6 / ((1 - nu**2) / E_GPa + (1 - 0.07**2) / 1141.0)
    H_mN = H_GPa * 1e-6
    kappa = 1 + EPSILON * H_mN * np.sqrt(AREA_COEFF * np.pi) / (2 * BETA * Er_mN)
    C = AREA_COEFF * H_mN / kappa**2
    h_max = np.sqrt(P_max_mN / C)
    S = 2 * BETA * Er_mN * np.sqrt(AREA_COEFF / np.pi) * h_max / kappa
    h_f = h_max - m * P_max_mN / S
    alpha = P_max_mN / (h_max - h_f) ** m
    f_d = 0.1 if drift_hold_s > 0 else 0.0
    bounds = np.cumsum([0.0, 2.0, 10.0, hold_s, (1 - f_d) * 5.0, drift_hold_s, f_d * 5.0])
    t = np.arange(int(np.floor(bounds[-1] * rate_hz + 1e-9)) + 1) / rate_hz
    seg = np.searchsorted(bounds[1:-1], t, side="right")
    t_in = t - bounds[seg]
    fraction = np.select(
        [seg == 1, seg == 2, seg == 3, seg == 4, seg == 5],
        [t_in / 10.0, 1.0, 1 - t_in / 5.0, f_d, f_d - t_in / 5.0],
        0.0,
    )
    P = P_max_mN * np.clip(fraction, 0.0, 1.0)
    h = np.where(seg >= 3, h_f + (P / alpha) ** (1 / m), np.sqrt(P / C))
    h = np.where(seg == 0, -10.0 * (2.0 - t), h)
    truth = {"C": C, "h_max": h_max, "h_f": h_f, "alpha": alpha, "m": m, "t_hold": bounds[2]}
    return t, h, P, seg.astype(np.int8), truth


def test_one_row_per_curve_and_all_columns():
    t, h, P, seg, _ = closed_form_curve()
    one = curve_features(h, P, t)
    assert isinstance(one, pd.DataFrame) and len(one) == 1
    many = curve_features(np.vstack([h, h, h]), np.vstack([P, P, P]), t)
    assert len(many) == 3
    assert list(many.columns) == list(oliver_pharr(h, P)) + [
        "hf_over_hmax",
        "W_total_pJ",
        "W_elastic_pJ",
        "W_plastic_pJ",
        "Wp_over_Wt",
        "kick_C_GPa",
        "popin_load_mN",
        "popin_size_nm",
        "creep_nm",
        "initial_stiffness_mN_per_nm",
    ]
    pd.testing.assert_frame_equal(one, many.iloc[[1]].reset_index(drop=True))


@pytest.mark.parametrize(("H_GPa", "m"), [(2.0, 1.5), (10.0, 1.5), (25.0, 1.3)])
def test_energies_match_the_analytic_integrals(H_GPa, m):
    t, h, P, seg, truth = closed_form_curve(H_GPa=H_GPa, m=m)
    f = curve_features(h, P, t).iloc[0]
    W_t = truth["C"] * truth["h_max"] ** 3 / 3  # mN nm = pJ
    W_e = truth["alpha"] * (truth["h_max"] - truth["h_f"]) ** (m + 1) / (m + 1)
    # Trapezoids over 200 loading and 100 unloading samples: ~1e-3 relative error.
    assert f["W_total_pJ"] == pytest.approx(W_t, rel=2e-3)
    assert f["W_elastic_pJ"] == pytest.approx(W_e, rel=2e-3)
    assert f["W_plastic_pJ"] == pytest.approx(f["W_total_pJ"] - f["W_elastic_pJ"], rel=1e-12)
    assert f["Wp_over_Wt"] == pytest.approx(1 - W_e / W_t, rel=2e-3)
    assert f["hf_over_hmax"] == pytest.approx(truth["h_f"] / truth["h_max"], rel=1e-6)


def test_softer_material_has_larger_Wp_over_Wt():
    """Cheng & Cheng (1998): W_p/W_t grows as H/E_r falls."""
    curves = [closed_form_curve(H_GPa=H) for H in (25.0, 10.0, 2.0, 0.5)]
    f = curve_features(np.vstack([c[1] for c in curves]), np.vstack([c[2] for c in curves]))
    assert np.all(np.diff(f["Wp_over_Wt"]) > 0)
    assert np.all(np.diff(f["hf_over_hmax"]) > 0)


def test_kick_C_and_initial_stiffness():
    t, h, P, seg, truth = closed_form_curve()
    f = curve_features(h, P, t).iloc[0]
    assert f["kick_C_GPa"] == pytest.approx(truth["C"] * 1e6, rel=1e-9)  # mN/nm^2 -> GPa
    early = (seg == 1) & (P >= 0.2) & (P <= 1.0)  # 2 % to 10 % of P_max
    slope = np.polyfit(h[early], P[early], 1)[0]
    assert f["initial_stiffness_mN_per_nm"] == pytest.approx(slope, rel=1e-9)
    # For P = C h^2 the mean slope between 2 % and 10 % is about 2 C h at ~6 % of P_max.
    assert slope == pytest.approx(2 * np.sqrt(truth["C"] * 0.6), rel=0.1)


@pytest.mark.parametrize("noisy", [False, True])
def test_synthetic_burst_gives_popin_load_and_size(noisy):
    t, h, P, seg, truth = closed_form_curve()
    burst_load, burst_nm = 2.0, 20.0
    after = ((seg == 1) & (P >= burst_load - 1e-9)) | (seg >= 2)
    h = h + burst_nm * after
    if noisy:
        rng = np.random.default_rng(3)
        h = h + 0.2 * rng.standard_normal(h.shape)
        P = P + 0.0005 * rng.standard_normal(P.shape)
    f = curve_features(h, P, t).iloc[0]
    # The load of the last sample before the jump: one load step (0.05 mN) below 2 mN.
    assert f["popin_load_mN"] == pytest.approx(burst_load - 0.05, abs=0.005)
    assert f["popin_size_nm"] == pytest.approx(burst_nm, rel=0.05)


def test_no_popin_gives_nan_even_with_noise():
    t, h, P, seg, truth = closed_form_curve()
    rng = np.random.default_rng(4)
    curves = [h + 0.2 * rng.standard_normal(h.shape) for _ in range(20)]
    f = curve_features(np.vstack([h, *curves]), np.tile(P, (21, 1)), t)
    assert f["popin_load_mN"].isna().all() and f["popin_size_nm"].isna().all()


def test_creep_in_the_hold():
    t, h, P, seg, truth = closed_form_curve(hold_s=5.0)
    a_nm, tau_s = 8.0, 1.0
    t_in_hold = np.clip(t - truth["t_hold"], 0.0, None)
    creep = np.where(seg == 2, a_nm * np.log1p(t_in_hold / tau_s), 0.0)
    total = a_nm * np.log1p(5.0 / tau_s)
    creep = np.where(seg >= 3, total, creep)  # the unloading starts from the crept depth
    f = curve_features(h + creep, P, t).iloc[0]
    assert f["creep_nm"] == pytest.approx(total, rel=1e-9)
    no_hold = closed_form_curve(hold_s=0.0)
    assert np.isnan(curve_features(no_hold[1], no_hold[2], no_hold[0])["creep_nm"].iloc[0])


def test_drift_rate_feature():
    t, h, P, seg, truth = closed_form_curve()
    f = curve_features(h + 0.3 * (t - 2.0), P, t).iloc[0]
    assert f["drift_rate_nm_per_s"] == pytest.approx(0.3, rel=1e-9)
    assert np.isnan(curve_features(h, P).iloc[0]["drift_rate_nm_per_s"])  # no time base
    no_hold = closed_form_curve(drift_hold_s=0.0)
    assert np.isnan(curve_features(no_hold[1], no_hold[2], no_hold[0])["drift_rate_nm_per_s"][0])


def test_corrections_pass_through_to_the_features():
    t, h, P, seg, truth = closed_form_curve()
    drifted = h + 0.5 * (t - 2.0)
    raw = curve_features(drifted, P, t).iloc[0]
    fixed = curve_features(drifted, P, t, drift_correction=True).iloc[0]
    W_t = truth["C"] * truth["h_max"] ** 3 / 3
    assert abs(raw["W_total_pJ"] / W_t - 1) > 0.01
    assert fixed["W_total_pJ"] == pytest.approx(W_t, rel=3e-3)
    assert fixed["kick_C_GPa"] == pytest.approx(truth["C"] * 1e6, rel=1e-2)


def test_segment_labels_and_bad_curves():
    t, h, P, seg, truth = closed_form_curve()
    labelled = curve_features(h, P, t, segment=seg).iloc[0]
    auto = curve_features(h, P, t).iloc[0]
    for key in ("W_total_pJ", "W_elastic_pJ", "kick_C_GPa", "H_GPa"):
        assert labelled[key] == pytest.approx(auto[key], rel=1e-6)
    bad = curve_features(np.vstack([h, np.full_like(h, np.nan)]), np.vstack([P, P]), t)
    assert list(bad["ok"]) == [True, False]
    assert bad.iloc[1][["W_total_pJ", "kick_C_GPa", "creep_nm"]].isna().all()
