"""Tests of learners.oliver_pharr against curves built from the Oliver-Pharr closed forms.

The helper below builds a load-hold-unload curve from the relations alone (no simulator):
loading P(h_c) = H A(h_c), S(h_c) = 2 beta E_r sqrt(A / pi), h = h_c + epsilon P / S, which
for constant H and A = 24.5 h_c^2 is Kick's law P = C h^2; unloading P = alpha (h - h_f)^m
with dP/dh = S at P_max. The analysis of such a curve must return H and E exactly (up to
the fit's numerical precision), whatever m.
"""

import numpy as np
import pandas as pd
import pytest

from learners import oliver_pharr
from simulator.tips import Tip

BETA, EPSILON, AREA_COEFF = 1.034, 0.75, 24.5
E_INDENTER, NU_INDENTER = 1141.0, 0.07


def reduced_modulus(E_GPa, nu):
    return 1.0 / ((1 - nu**2) / E_GPa + (1 - NU_INDENTER**2) / E_INDENTER)


def closed_form_curve(
    E_GPa=200.0,
    H_GPa=10.0,
    nu=0.3,
    *,
    m=1.5,
    P_max_mN=10.0,
    rate_hz=20.0,
    approach_s=2.0,
    loading_s=10.0,
    hold_s=5.0,
    unloading_s=5.0,
    drift_hold_s=10.0,
    drift_fraction=0.1,
    approach_speed_nm_per_s=10.0,
):
    """t [s], h [nm], P [mN], segment codes and the truth of one closed-form curve.

    Segments: approach (P = 0, negative depth), loading linear in time, hold at P_max,
    unloading to drift_fraction * P_max, drift hold, final unloading to 0.
    """
    Er = reduced_modulus(E_GPa, nu)
    Er_mN, H_mN = Er * 1e-6, H_GPa * 1e-6  # mN/nm^2
    kappa = 1 + EPSILON * H_mN * np.sqrt(AREA_COEFF * np.pi) / (2 * BETA * Er_mN)  # h / h_c
    C = AREA_COEFF * H_mN / kappa**2
    h_max = np.sqrt(P_max_mN / C)
    hc = h_max / kappa
    A = AREA_COEFF * hc**2
    S = 2 * BETA * Er_mN * np.sqrt(A / np.pi)
    h_f = h_max - m * P_max_mN / S
    alpha = P_max_mN / (h_max - h_f) ** m

    f_d = drift_fraction if drift_hold_s > 0 else 0.0
    durations = [approach_s, loading_s, hold_s, (1 - f_d) * unloading_s, drift_hold_s]
    durations.append(f_d * unloading_s)
    bounds = np.concatenate([[0.0], np.cumsum(durations)])
    t = np.arange(int(np.floor(bounds[-1] * rate_hz + 1e-9)) + 1) / rate_hz
    seg = np.searchsorted(bounds[1:-1], t, side="right")
    t_in = t - bounds[seg]
    fraction = np.select(
        [seg == 1, seg == 2, seg == 3, seg == 4, seg == 5],
        [t_in / loading_s, 1.0, 1 - t_in / unloading_s, f_d, f_d - t_in / unloading_s],
        0.0,
    )
    P = P_max_mN * np.clip(fraction, 0.0, 1.0)
    h = np.where(seg >= 3, h_f + (P / alpha) ** (1 / m), np.sqrt(P / C))
    h = np.where(seg == 0, -approach_speed_nm_per_s * (approach_s - t), h)
    truth = {
        "E_GPa": E_GPa,
        "H_GPa": H_GPa,
        "Er_GPa": Er,
        "S_mN_per_nm": S,
        "hc_nm": hc,
        "A_nm2": A,
        "h_max_nm": h_max,
        "h_f_nm": h_f,
        "alpha": alpha,
        "m": m,
        "C": C,
        "t_contact_s": approach_s,
    }
    return t, h, P, seg.astype(np.int8), truth


def two_cycle_curve(E_GPa=200.0, H_GPa=10.0, nu=0.3, *, m=1.5, P1=5.0, P2=10.0, rate_hz=20.0):
    """Load to P1, hold, unload to 10 % of P1, reload elastically and load on to P2, hold,
    unload fully: t, h, P, segment."""
    Er_mN, H_mN = reduced_modulus(E_GPa, nu) * 1e-6, H_GPa * 1e-6
    kappa = 1 + EPSILON * H_mN * np.sqrt(AREA_COEFF * np.pi) / (2 * BETA * Er_mN)
    C = AREA_COEFF * H_mN / kappa**2

    def unloading(P_peak):
        h_peak = np.sqrt(P_peak / C)
        S = 2 * BETA * Er_mN * np.sqrt(AREA_COEFF * (h_peak / kappa) ** 2 / np.pi)
        h_f = h_peak - m * P_peak / S
        return lambda P: h_f + (P / (P_peak / (h_peak - h_f) ** m)) ** (1 / m)

    def ramp(P_from, P_to, seconds):
        n = int(round(seconds * rate_hz))
        return P_from + (P_to - P_from) * np.arange(n) / n

    kick = lambda P: np.sqrt(P / C)  # noqa: E731
    unload1, unload2 = unloading(P1), unloading(P2)
    parts = [
        (np.zeros(40), lambda P: -10.0 + 0.25 * np.arange(40), 0),
        (ramp(0, P1, 5), kick, 1),
        (np.full(60, P1), kick, 2),
        (ramp(P1, 0.1 * P1, 2.5), unload1, 3),
        (ramp(0.1 * P1, P1, 2.5), unload1, 1),
        (ramp(P1, P2, 5), kick, 1),
        (np.full(100, P2), kick, 2),
        (np.append(ramp(P2, 0, 5), 0.0), unload2, 3),
    ]
    P = np.concatenate([p for p, _, _ in parts])
    h = np.concatenate([f(p) for p, f, _ in parts])
    seg = np.concatenate([np.full(p.size, code) for p, _, code in parts]).astype(np.int8)
    return np.arange(P.size) / rate_hz, h, P, seg


def batch(curves):
    """Stack the (t, h, P, seg, truth) tuples of several curves: h, P as 2-D arrays."""
    return np.vstack([c[1] for c in curves]), np.vstack([c[2] for c in curves])


# ---------------------------------------------------------------- exact recovery


@pytest.mark.parametrize("m", [1.5, 1.3])
def test_closed_form_H_E_m_S_recovered_for_E_over_H_8_to_200(m):
    E_over_H = np.geomspace(8, 200, 7)
    curves = [closed_form_curve(200.0, 200.0 / r, m=m) for r in E_over_H]
    h, P = batch(curves)
    result = oliver_pharr(h, P, nu=0.3)
    assert isinstance(result, pd.DataFrame) and len(result) == len(curves)
    assert result["ok"].all() and (result["reason"] == "").all()
    truth = pd.DataFrame([c[4] for c in curves])
    # The brief asks for 1 %; on exact curves the fit is good to ~1e-6, so test tighter.
    np.testing.assert_allclose(result["H_GPa"], truth["H_GPa"], rtol=1e-5)
    np.testing.assert_allclose(result["E_GPa"], truth["E_GPa"], rtol=1e-5)
    np.testing.assert_allclose(result["Er_GPa"], truth["Er_GPa"], rtol=1e-5)
    np.testing.assert_allclose(result["m"], m, rtol=1e-5)
    np.testing.assert_allclose(result["S_mN_per_nm"], truth["S_mN_per_nm"], rtol=1e-6)
    np.testing.assert_allclose(result["hc_nm"], truth["hc_nm"], rtol=1e-6)
    np.testing.assert_allclose(result["A_nm2"], truth["A_nm2"], rtol=1e-5)
    np.testing.assert_allclose(result["h_max_nm"], truth["h_max_nm"], rtol=1e-12)
    np.testing.assert_allclose(result["h_f_nm"], truth["h_f_nm"], rtol=1e-5)
    np.testing.assert_allclose(result["alpha"], truth["alpha"], rtol=1e-3)
    np.testing.assert_allclose(result["P_max_mN"], 10.0, rtol=1e-12)
    assert (result["fit_r2"] > 1 - 1e-12).all()
    assert (result["fit_rmse_mN"] < 1e-6).all()
    # 20-95 % of a 100-point unloading ramp down to 10 % of P_max.
    assert (result["n_fit_points"] == 75).all()


def test_output_columns_and_types():
    t, h, P, seg, _ = closed_form_curve()
    one = oliver_pharr(h, P)
    assert list(one) == [
        "H_GPa",
        "E_GPa",
        "Er_GPa",
        "S_mN_per_nm",
        "hc_nm",
        "A_nm2",
        "h_max_nm",
        "P_max_mN",
        "h_f_nm",
        "m",
        "alpha",
        "fit_r2",
        "fit_rmse_mN",
        "n_fit_points",
        "drift_rate_nm_per_s",
        "zero_offset_nm",
        "ok",
        "reason",
    ]
    assert type(one["ok"]) is bool and type(one["reason"]) is str
    assert type(one["n_fit_points"]) is int and type(one["H_GPa"]) is float
    # No time base: no drift rate; no zero-point correction asked: no offset.
    assert np.isnan(one["drift_rate_nm_per_s"]) and np.isnan(one["zero_offset_nm"])


def test_one_curve_and_batch_agree():
    curves = [closed_form_curve(200.0, H) for H in (2.0, 10.0, 20.0)]
    h, P = batch(curves)
    table = oliver_pharr(h, P, nu=0.3)
    for i, (_, h_i, P_i, _, _) in enumerate(curves):
        single = oliver_pharr(h_i, P_i, nu=0.3)
        for key in ("H_GPa", "E_GPa", "S_mN_per_nm", "m", "h_f_nm"):
            assert single[key] == pytest.approx(table[key].iloc[0 + i], rel=1e-12)


def test_nu_per_curve():
    nus = np.array([0.1, 0.3, 0.45])
    curves = [closed_form_curve(150.0, 5.0, nu) for nu in nus]
    h, P = batch(curves)
    result = oliver_pharr(h, P, nu=nus)
    np.testing.assert_allclose(result["E_GPa"], 150.0, rtol=1e-5)
    # Same curves, one nu for all: E follows the reduced-modulus relation with that nu.
    shared = oliver_pharr(h, P, nu=0.2)
    Er = result["Er_GPa"].to_numpy()
    expected = (1 - 0.2**2) / (1 / Er - (1 - NU_INDENTER**2) / E_INDENTER)
    np.testing.assert_allclose(shared["E_GPa"], expected, rtol=1e-12)


def test_segment_labels_give_the_same_result():
    t, h, P, seg, truth = closed_form_curve()
    auto = oliver_pharr(h, P, t_s=t)
    labelled = oliver_pharr(h, P, t_s=t, segment=seg)
    assert labelled["ok"]
    for key in ("H_GPa", "E_GPa", "S_mN_per_nm", "P_max_mN", "h_max_nm", "n_fit_points"):
        assert labelled[key] == pytest.approx(auto[key], rel=1e-9)


def test_segment_names_as_in_Curve_to_frame():
    t, h, P, seg, truth = closed_form_curve()
    names = np.array(["approach", "loading", "hold", "unloading", "drift_hold", "final_unloading"])
    result = oliver_pharr(h, P, t_s=t, segment=names[seg])
    assert result["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)
    with pytest.raises(ValueError, match=r"segment names must be among .* Got \['dwell'\]"):
        oliver_pharr(h, P, segment=np.where(seg == 2, "dwell", names[seg]))


def test_tip_as_Tip_and_as_callable():
    t, h, P, seg, truth = closed_form_curve()
    as_tip = oliver_pharr(h, P, tip=Tip("berkovich", 0.0))
    as_callable = oliver_pharr(h, P, tip=lambda hc: 24.5 * hc**2)
    assert as_tip["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-6)
    assert as_callable["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-6)
    # A tip whose area is 10 % larger gives H 10 % lower.
    bigger = oliver_pharr(h, P, tip=lambda hc: 1.1 * 24.5 * hc**2)
    assert bigger["H_GPa"] == pytest.approx(truth["H_GPa"] / 1.1, rel=1e-6)


# ---------------------------------------------------------------- corrections


def test_frame_compliance_correction():
    t, h, P, seg, truth = closed_form_curve()
    C_f = 0.5  # nm/mN
    measured = h + C_f * P
    raw = oliver_pharr(measured, P)
    fixed = oliver_pharr(measured, P, frame_compliance_nm_per_mN=C_f)
    # Springs in series: 1/S_measured = 1/S + C_f (the raw fit of a no longer exact power
    # law agrees to ~0.1 %).
    assert raw["S_mN_per_nm"] == pytest.approx(1 / (1 / truth["S_mN_per_nm"] + C_f), rel=5e-3)
    assert raw["E_GPa"] < 0.95 * truth["E_GPa"]
    assert fixed["S_mN_per_nm"] == pytest.approx(truth["S_mN_per_nm"], rel=1e-6)
    assert fixed["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)
    assert fixed["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-5)


def test_zero_point_correction_recovers_a_known_offset():
    t, h, P, seg, truth = closed_form_curve()
    offset = 15.0  # the instrument's zero lies 15 nm below the surface: depths too small
    raw = oliver_pharr(h - offset, P)
    fixed = oliver_pharr(h - offset, P, zero_point_correction=True)
    assert raw["H_GPa"] > 1.1 * truth["H_GPa"]
    assert fixed["zero_offset_nm"] == pytest.approx(-offset, abs=1e-6)
    assert fixed["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)
    assert fixed["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-5)


@pytest.mark.parametrize("labelled", [False, True])
def test_drift_correction_recovers_the_rate_and_H(labelled):
    t, h, P, seg, truth = closed_form_curve()
    rate = 0.5  # nm/s, added from the moment of contact like an instrument's drift
    drifted = h + rate * (t - truth["t_contact_s"])
    labels = seg if labelled else None
    raw = oliver_pharr(drifted, P, t_s=t, segment=labels)
    fixed = oliver_pharr(drifted, P, t_s=t, segment=labels, drift_correction=True)
    assert raw["drift_rate_nm_per_s"] == pytest.approx(rate, rel=1e-9)
    assert abs(raw["H_GPa"] / truth["H_GPa"] - 1) > 0.05
    assert fixed["drift_rate_nm_per_s"] == pytest.approx(rate, rel=1e-9)
    # Without labels the contact time is known to one sample (0.05 s x 0.5 nm/s).
    assert fixed["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-3)
    assert fixed["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-3)


def test_drift_rate_is_nan_without_a_drift_hold():
    t, h, P, seg, truth = closed_form_curve(drift_hold_s=0.0)
    result = oliver_pharr(h + 0.2 * t, P, t_s=t, drift_correction=True)
    assert result["ok"]
    assert np.isnan(result["drift_rate_nm_per_s"])


def test_drift_hold_inside_the_fit_range_is_left_out_of_the_fit():
    t, h, P, seg, truth = closed_form_curve(drift_fraction=0.3)
    result = oliver_pharr(h + 0.5 * (t - 2.0), P, t_s=t, drift_correction=True)
    assert result["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-3)
    assert result["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-3)
    # 95 % down to 30 % of P_max only: the hold at 30 % stops the fit.
    assert result["n_fit_points"] < 75


# ---------------------------------------------------------------- robustness


def test_noise_median_error_small_over_100_curves():
    rng = np.random.default_rng(42)
    curves = [closed_form_curve(200.0, 5.0) for _ in range(100)]
    h, P = batch(curves)
    h = h + 0.2 * rng.standard_normal(h.shape)  # nm, typical lab depth noise
    P = P + 0.001 * rng.standard_normal(P.shape)  # mN
    result = oliver_pharr(h, P)
    assert result["ok"].all()
    assert np.median(np.abs(result["H_GPa"] / 5.0 - 1)) < 0.005
    assert np.median(np.abs(result["E_GPa"] / 200.0 - 1)) < 0.01
    assert np.median(np.abs(result["m"] - 1.5)) < 0.05


def test_two_cycles_each_unloading_analysed():
    t, h, P, seg = two_cycle_curve()
    first = oliver_pharr(h, P, cycle=0)
    last = oliver_pharr(h, P)  # cycle=-1
    assert first["ok"] and last["ok"]
    assert first["P_max_mN"] == pytest.approx(5.0)
    assert last["P_max_mN"] == pytest.approx(10.0)
    for result in (first, last):
        assert result["H_GPa"] == pytest.approx(10.0, rel=1e-5)
        assert result["E_GPa"] == pytest.approx(200.0, rel=1e-5)
    assert first["hc_nm"] == pytest.approx(last["hc_nm"] / np.sqrt(2), rel=1e-5)
    # Python-style indices and the labelled path agree.
    assert oliver_pharr(h, P, cycle=1)["P_max_mN"] == pytest.approx(10.0)
    assert oliver_pharr(h, P, cycle=-2)["P_max_mN"] == pytest.approx(5.0)
    labelled = oliver_pharr(h, P, segment=seg, cycle=0)
    assert labelled["H_GPa"] == pytest.approx(first["H_GPa"], rel=1e-9)


def test_missing_cycle_is_flagged_not_raised():
    t, h, P, seg = two_cycle_curve()
    for labels in (None, seg):
        result = oliver_pharr(h, P, segment=labels, cycle=2)
        assert not result["ok"] and "cycle 2" in result["reason"]
        assert np.isnan(result["H_GPa"])


def test_approach_with_negative_depth_and_without_approach():
    t, h, P, seg, truth = closed_form_curve(approach_s=3.0, approach_speed_nm_per_s=20.0)
    assert h.min() == pytest.approx(-60.0)
    with_approach = oliver_pharr(h, P)
    t, h, P, seg, truth = closed_form_curve(approach_s=0.0)
    without = oliver_pharr(h, P)
    for result in (with_approach, without):
        assert result["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)
        assert result["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-5)


def test_5000_point_curve():
    t, h, P, seg, truth = closed_form_curve(rate_hz=156.25)
    assert h.size >= 5000
    result = oliver_pharr(h, P, t_s=t)
    assert result["ok"]
    assert result["n_fit_points"] > 500
    assert result["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)
    assert result["E_GPa"] == pytest.approx(truth["E_GPa"], rel=1e-5)
    assert result["drift_rate_nm_per_s"] == pytest.approx(0.0, abs=1e-9)


def test_scattered_nan_points_are_skipped():
    t, h, P, seg, truth = closed_form_curve()
    h = h.copy()
    h[::37] = np.nan
    result = oliver_pharr(h, P, t_s=t)
    assert result["ok"]
    assert result["H_GPa"] == pytest.approx(truth["H_GPa"], rel=1e-5)


def test_curves_of_different_lengths_padded_with_nan_and_cycles_mixed():
    t1, h1, P1, _ = two_cycle_curve()
    t2, h2, P2, _, truth = closed_form_curve(H_GPa=5.0)
    n = max(h1.size, h2.size)
    pad = lambda x: np.pad(x, (0, n - x.size), constant_values=np.nan)  # noqa: E731
    h, P = np.vstack([pad(h1), pad(h2)]), np.vstack([pad(P1), pad(P2)])
    first = oliver_pharr(h, P, cycle=0)
    assert first["ok"].all()
    np.testing.assert_allclose(first["P_max_mN"], [5.0, 10.0])
    np.testing.assert_allclose(first["H_GPa"], [10.0, 5.0], rtol=1e-5)
    second = oliver_pharr(h, P, cycle=1)
    assert list(second["ok"]) == [True, False]
    assert second["reason"].iloc[1] == "cycle 1 not found: the curve has 1 load peak(s)"


def test_bad_curves_are_flagged_with_a_reason_and_never_raise():
    t, h, P, seg, truth = closed_form_curve()
    loading_only = seg <= 1
    rows = {
        "good": (h, P),
        "all NaN": (np.full_like(h, np.nan), np.full_like(P, np.nan)),
        "flat": (h, np.full_like(P, 5.0)),
        "zero load": (h, np.zeros_like(P)),
        "no unloading": (np.where(loading_only, h, np.nan), np.where(loading_only, P, np.nan)),
        "too few points": (np.where(np.arange(h.size) < 5, h, np.nan), P),
        "h_f above h_max": (np.where(seg >= 3, 2 * h.max() - h, h), P),
    }
    result = oliver_pharr(
        np.vstack([v[0] for v in rows.values()]), np.vstack([v[1] for v in rows.values()])
    )
    result.index = list(rows)
    assert result.loc["good", "ok"] and result.loc["good", "reason"] == ""
    bad = result.drop(index="good")
    assert not bad["ok"].any()
    assert (bad["reason"].str.len() > 0).all()
    assert bad[["H_GPa", "E_GPa", "S_mN_per_nm", "m"]].isna().all().all()
    assert "no finite data" in result.loc["all NaN", "reason"]
    assert "flat" in result.loc["flat", "reason"]
    assert "flat" in result.loc["zero load", "reason"]
    assert "no unloading" in result.loc["no unloading", "reason"]
    assert "too few finite" in result.loc["too few points", "reason"]
    assert "h_f > h_max" in result.loc["h_f above h_max", "reason"]


def test_bad_single_curve_returns_a_dict_with_the_reason():
    result = oliver_pharr(np.linspace(0, 100, 50), np.linspace(0, 5, 50))
    assert result["ok"] is False
    assert "no unloading" in result["reason"]
    assert np.isnan(result["H_GPa"])


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"fit_range": (0.9, 0.2)},
            "fit_range must satisfy 0 < lower < upper <= 1. Got (0.9, 0.2).",
        ),
        ({"fit_range": (0.0, 0.5)}, "fit_range must satisfy 0 < lower < upper <= 1. Got (0, 0.5)."),
        (
            {"fit_range": (0.2, 1.2)},
            "fit_range must satisfy 0 < lower < upper <= 1. Got (0.2, 1.2).",
        ),
        ({"fit_range": 0.5}, "fit_range must be a pair (lower, upper)"),
        ({"nu": 0.5}, "nu must lie in (-1, 0.5). Got 0.5."),
        ({"nu": -1.5}, "nu must lie in (-1, 0.5). Got -1.5."),
        ({"nu": [0.3, 0.3]}, "nu must be a scalar or have one value per curve, shape (1,)."),
        ({"epsilon": 0.0}, "epsilon must be a finite number > 0. Got 0.0."),
        ({"beta": -1.0}, "beta must be a finite number > 0. Got -1.0."),
        ({"nu_i": 0.5}, "nu_i must lie in (-1, 0.5). Got 0.5."),
        ({"frame_compliance_nm_per_mN": -0.1}, "frame_compliance_nm_per_mN must be a finite"),
        ({"tip": "cube corner"}, "tip must be 'berkovich', a simulator.tips.Tip or a callable"),
        ({"drift_correction": True}, "t_s is required when drift_correction=True"),
        ({"cycle": 1.5}, "cycle must be an integer (-1 for the last cycle). Got 1.5."),
        ({"t_s": np.arange(7.0)}, "t_s must have shape"),
        ({"segment": np.full(641, 9)}, "segment must hold integer codes 0..5."),
    ],
)
def test_bad_arguments_raise_ValueError_naming_the_rule(kwargs, message):
    t, h, P, seg, truth = closed_form_curve()
    assert h.size == 641
    with pytest.raises(ValueError) as err:
        oliver_pharr(h, P, **kwargs)
    assert message in str(err.value)


def test_mismatched_shapes_raise():
    with pytest.raises(ValueError, match=r"h_nm and P_mN must have the same shape\. Got \(10,\)"):
        oliver_pharr(np.zeros(10), np.zeros(11))
    with pytest.raises(ValueError, match="h_nm must be 1-D"):
        oliver_pharr(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"nu must be a scalar or have one value per curve"):
        oliver_pharr(np.zeros((3, 50)), np.zeros((3, 50)), nu=[0.3, 0.3])


# ---------------------------------------------------------------- simulator round trip


def test_simulator_curves_come_back_within_1_percent_for_E_over_H_8_to_200():
    """Clean ideal-Berkovich curves from simulator.simulate_curves, analysed without labels
    and with them: H and E within 1 % (Oliver & Pharr 1992)."""
    from simulator.curves import simulate_curves

    E_over_H = np.geomspace(8, 200, 9)
    E = np.full(E_over_H.size, 300.0)
    H = E / E_over_H
    curves = simulate_curves(E_over_H.size, E=E, nu=0.25, H=H)
    for labels in (None, curves.segment):
        result = oliver_pharr(curves.h_nm, curves.P_mN, nu=0.25, t_s=curves.t_s, segment=labels)
        assert result["ok"].all()
        np.testing.assert_allclose(result["H_GPa"], H, rtol=0.01)
        np.testing.assert_allclose(result["E_GPa"], E, rtol=0.01)
        np.testing.assert_allclose(result["S_mN_per_nm"], curves.truth["S_mN_per_nm"], rtol=1e-3)
