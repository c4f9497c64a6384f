"""Curve simulator: closed forms, determinism, defect locality, bad arguments."""

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator import Protocol, reduced_modulus, simulate_curve, simulate_curves
from simulator.protocol import SEGMENT_CODES
from simulator.tips import BERKOVICH_AREA_COEFF, Tip, blunting_offset_nm, contact_area_nm2

LOADING, HOLD, UNLOADING = (SEGMENT_CODES[k] for k in ("loading", "hold", "unloading"))


def test_ideal_berkovich_loading_is_kicks_law():
    """Constant H and A = 24.5 h_c^2 give P = C h^2 with C fixed by H, E_r, eps, beta.

    h = h_c (1 + eps k), k = H sqrt(24.5 pi) / (2 beta E_r)  =>  C = 24.5 H / (1 + eps k)^2
    (Oliver & Pharr 1992; Kick's law).
    """
    E, nu, H = 200.0, 0.3, 4.0
    c = simulate_curve(E=E, nu=nu, H=H)
    Er = reduced_modulus(E, nu)
    k = H * np.sqrt(BERKOVICH_AREA_COEFF * np.pi) / (2 * 1.034 * Er)
    C_mN_per_nm2 = BERKOVICH_AREA_COEFF * H * 1e-6 / (1 + 0.75 * k) ** 2
    load = (c.segment == LOADING) & (c.P_mN > 0)
    np.testing.assert_allclose(c.P_mN[load], C_mN_per_nm2 * c.h_nm[load] ** 2, rtol=1e-9)


def test_sphere_elastic_loading_is_hertz():
    """Sphere, beta = 1, below yield: P = 4/3 E_r sqrt(R) h^(3/2) (Hertz; Johnson 1985)."""
    R = 20_000.0
    c = simulate_curve(
        E=70.0,
        nu=0.2,
        H=60.0,
        tip="sphere",
        tip_radius_nm=R,
        beta=1.0,
        protocol=Protocol(P_max_mN=1.0),
    )
    Er = reduced_modulus(70.0, 0.2)
    load = (c.segment == LOADING) & (c.P_mN > 0)
    hertz = 4.0 / 3.0 * Er * 1e-6 * np.sqrt(R) * c.h_nm[load] ** 1.5
    # Hertz treats the sphere as a paraboloid; the simulator uses the exact spherical cap,
    # which differs at order h/R (here < 1e-3).
    np.testing.assert_allclose(c.P_mN[load], hertz, rtol=c.h_nm.max() / R)
    assert c.h_nm.max() / R < 2e-3


def test_unloading_is_power_law_with_matching_stiffness():
    """P = alpha (h - h_f)^m, with dP/dh = S at P_max (Oliver & Pharr 1992, eq. 5)."""
    c = simulate_curve(material="copper (annealed)", unloading_exponent=1.4)
    t = c.truth
    unload = c.segment >= UNLOADING
    h, P = c.h_nm[unload], c.P_mN[unload]
    m = 1.4
    alpha = t["P_max_mN"] / (t["h_max_nm"] - t["h_f_nm"]) ** m
    np.testing.assert_allclose(P, alpha * (h - t["h_f_nm"]) ** m, rtol=1e-9, atol=1e-12)
    S = m * alpha * (t["h_max_nm"] - t["h_f_nm"]) ** (m - 1)
    np.testing.assert_allclose(S, t["S_mN_per_nm"], rtol=1e-12)
    assert h[-1] == pytest.approx(t["h_f_nm"])


def test_truth_satisfies_oliver_pharr_relations():
    """At the unloading start: H = P/A, E_r = sqrt(pi) S / (2 beta sqrt(A)), h_c = h - eps P/S."""
    c = simulate_curves(4, E=[72, 200, 410, 70], nu=0.25, H=[9, 4, 5, 0.35])
    t = c.truth
    np.testing.assert_allclose(t["H_at_Pmax_GPa"], t["H_GPa"], rtol=1e-9)
    Er = np.sqrt(np.pi) / (2 * 1.034) * t["S_mN_per_nm"] / np.sqrt(t["A_nm2"]) * 1e6
    np.testing.assert_allclose(Er, t["Er_GPa"], rtol=1e-12)
    hc = t["h_max_nm"] - 0.75 * t["P_max_mN"] / t["S_mN_per_nm"]
    np.testing.assert_allclose(hc, t["hc_max_nm"], rtol=1e-12)
    np.testing.assert_allclose(t["A_nm2"], 24.5 * hc**2, rtol=1e-9)


def test_rounded_berkovich_tends_to_blunted_area_and_starts_hertzian():
    tip = Tip("berkovich", 200.0)
    h_b = blunting_offset_nm(tip)
    deep = np.array([100.0, 1000.0])
    np.testing.assert_allclose(contact_area_nm2(tip, deep), 24.5 * (deep + h_b) ** 2, rtol=1e-12)
    shallow = np.array([1.0, 5.0])
    np.testing.assert_allclose(
        contact_area_nm2(tip, shallow), np.pi * (2 * 200 * shallow - shallow**2), rtol=1e-12
    )
    rounded = simulate_curve(material="tungsten", tip="berkovich", tip_radius_nm=200.0)
    sharp = simulate_curve(material="tungsten")
    # Blunting makes the same load go less deep.
    assert rounded.truth["h_max_nm"] < sharp.truth["h_max_nm"]


def test_nix_gao_size_effect_in_truth():
    h_star = 1600.0
    c = simulate_curve(material="copper (annealed)", defects={"ise_h_star_nm": h_star})
    t = c.truth
    expected = t["H_GPa"] * np.sqrt(1 + h_star / t["hc_max_nm"])  # Nix & Gao 1998
    assert t["H_at_Pmax_GPa"] == pytest.approx(expected, rel=1e-9)
    assert t["H_at_Pmax_GPa"] > 1.5 * t["H_GPa"]


def test_pileup_area_is_larger_than_oliver_pharr_area():
    c = simulate_curve(material="aluminium", defects={"pileup_area_excess": 0.3})
    t = c.truth
    op_area = 24.5 * t["hc_max_nm"] ** 2
    assert t["A_nm2"] / op_area == pytest.approx(1.3, rel=1e-12)
    assert t["H_at_Pmax_GPa"] == pytest.approx(t["H_GPa"], rel=1e-9)


def test_creep_is_logarithmic_in_hold():
    """h_c(t) = h_c0 + a ln(1 + t/tau) during the hold; h follows it (less the elastic part)."""
    a, tau = 5.0, 0.5
    clean = simulate_curve(material="PMMA")
    c = simulate_curve(material="PMMA", defects={"creep_nm": a, "creep_tau_s": tau})
    hold = c.segment == HOLD
    t_hold = c.t_s[hold] - c.t_s[hold][0]
    hc_creep = c.truth["hc_max_nm"] - clean.truth["hc_max_nm"]
    assert hc_creep == pytest.approx(a * np.log1p(c.protocol.hold_s / tau), rel=1e-9)
    dh = c.h_nm[hold] - clean.h_nm[hold]
    assert dh[0] == 0 and np.all(np.diff(dh) > 0)
    # The growing contact stiffens, so h creeps a little less than h_c, with the same shape.
    assert 0.5 * a * np.log1p(t_hold[-1] / tau) < dh[-1] < a * np.log1p(t_hold[-1] / tau)
    np.testing.assert_allclose(
        dh / dh[-1], np.log1p(t_hold / tau) / np.log1p(t_hold[-1] / tau), atol=0.02
    )
    assert c.truth["creep_nm"] == pytest.approx(dh[-1])


def test_drift_adds_rate_times_time_since_contact():
    rate = 0.08
    clean = simulate_curve(material="fused silica")
    c = simulate_curve(material="fused silica", defects={"drift_nm_per_s": rate})
    expected = rate * (c.t_s - c.protocol.contact_time_s)
    np.testing.assert_allclose(c.h_nm - clean.h_nm, expected, atol=1e-9)


def test_popin_bursts_from_the_hertz_branch():
    R = 5000.0
    c = simulate_curve(
        material="tungsten",
        tip="sphere",
        tip_radius_nm=R,
        beta=1.0,
        protocol=Protocol(P_max_mN=5.0),
        defects={"popin_load_mN": 2.0},
    )
    t = c.truth
    assert t["popin_size_nm"] > 1.0
    i = int(t["popin_index"])
    assert c.P_mN[i - 1] < 2.0 <= c.P_mN[i]
    # Before the burst: Hertz, P = 4/3 E_r sqrt(R) h^1.5, even beyond the yield load.
    pre = (c.segment == LOADING) & (c.P_mN > 0) & (np.arange(c.P_mN.size) < i)
    hertz = 4 / 3 * t["Er_GPa"] * 1e-6 * np.sqrt(R) * c.h_nm[pre] ** 1.5
    # Paraboloid (Hertz) vs the exact spherical cap: agreement to order h/R.
    np.testing.assert_allclose(c.P_mN[pre], hertz, rtol=c.h_nm[pre].max() / R)
    # The step across the burst is the burst plus an ordinary loading increment.
    assert c.h_nm[i] - c.h_nm[i - 1] > t["popin_size_nm"]


def test_popin_on_ideal_tip_uses_rounded_apex():
    c = simulate_curve(material="tungsten", defects={"popin_load_mN": 1.0})
    assert c.truth["popin_size_nm"] > 5
    assert c.defect_table.loc[0, "defect"] == "popin"
    assert c.defect_table.loc[0, "stop_index"] == c.truth["popin_index"]


def test_popin_below_elastic_limit_makes_no_burst():
    c = simulate_curve(
        material="tungsten", tip="sphere", tip_radius_nm=5000.0, defects={"popin_load_mN": 1e-4}
    )
    assert c.truth["popin_size_nm"] == 0
    assert not c.defect_points["popin"].any()


DEFECT_CASES = {
    "drift": {"drift_nm_per_s": 0.05},
    "creep": {"creep_nm": 4.0},
    "popin": {"popin_load_mN": 1.0},
    "surface_offset": {"surface_offset_nm": 7.0},
    "pileup": {"pileup_area_excess": 0.25},
    "size_effect": {"ise_h_star_nm": 500.0},
    "elbow": {"elbow_nm": 10.0, "elbow_load_fraction": 0.4},
    "popout": {"elbow_nm": 10.0, "elbow_kind": "popout", "elbow_load_fraction": 0.4},
    "crack": {"crack_load_mN": 6.0, "crack_size_nm": 15.0},
    "roughness": {"roughness_nm": 5.0},
}


@pytest.mark.parametrize("name", DEFECT_CASES)
def test_each_defect_changes_the_curve_exactly_where_truth_says(name):
    kwargs = dict(material="tungsten", seed=3)
    clean = simulate_curves(3, **kwargs)
    bad = simulate_curves(3, defects=DEFECT_CASES[name], **kwargs)
    assert set(bad.defect_points) == {name}
    mask = bad.defect_points[name]
    changed = (bad.h_nm != clean.h_nm) | (bad.P_mN != clean.P_mN)
    assert mask.any()
    np.testing.assert_array_equal(changed, mask)
    table = bad.defect_table
    assert set(table["defect"]) == {name}
    for _, row in table.iterrows():
        touched = np.flatnonzero(mask[row["curve"]])
        assert row["start_index"] == touched[0] and row["stop_index"] == touched[-1] + 1


def test_same_seed_same_bits_other_seed_other_bits():
    kw = dict(
        material="copper (annealed)",
        scatter=0.05,
        noise="default",
        defects={"roughness_nm": 3.0, "popin_load_mN": 0.8, "drift_nm_per_s": 0.02},
    )
    a, b = simulate_curves(20, seed=11, **kw), simulate_curves(20, seed=11, **kw)
    for name in ("t_s", "h_nm", "P_mN", "segment"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(a.truth, b.truth)
    c = simulate_curves(20, seed=12, **kw)
    assert not np.array_equal(a.h_nm, c.h_nm)


def test_noise_draws_do_not_depend_on_defects():
    kw = dict(material="nickel", noise="default", seed=5)
    a = simulate_curves(2, **kw)
    b = simulate_curves(2, defects={"surface_offset_nm": 3.0}, **kw)
    np.testing.assert_allclose(a.h_nm - b.h_nm, 3.0, atol=1e-9)
    assert np.array_equal(a.P_mN, b.P_mN)


def test_batch_rows_match_single_curves():
    E, H = np.array([72.0, 410.0, 125.0]), np.array([9.0, 5.0, 1.0])
    batch = simulate_curves(3, E=E, H=H, nu=0.3, tip="berkovich", tip_radius_nm=100.0)
    for i in range(3):
        one = simulate_curve(E=E[i], H=H[i], nu=0.3, tip="berkovich", tip_radius_nm=100.0)
        np.testing.assert_allclose(batch.h_nm[i], one.h_nm, rtol=1e-10, atol=1e-10)


def test_shapes_and_truth_columns():
    c = simulate_curves(5, material="ferrite", scatter=0.1, noise="default")
    assert c.h_nm.shape == c.P_mN.shape == c.t_s.shape == c.segment.shape == (5, c.n_points)
    assert 550 <= c.n_points <= 700
    for col in ("E_GPa", "nu", "H_GPa", "Er_GPa", "hc_max_nm", "S_mN_per_nm", "popin_size_nm"):
        assert col in c.truth.columns
    assert len(c.truth) == 5 and c.truth["E_GPa"].std() > 0
    frame = c.curve(2).to_frame()
    assert list(frame.columns) == ["t_s", "h_nm", "P_mN", "segment"]
    assert set(frame["segment"]) == set(simulator.SEGMENT_NAMES)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(E=-5, H=1), "E_GPa must be"),
        (dict(E=100, H=1, nu=0.5), "nu must lie in (-1, 0.5)"),
        (dict(E=100, H=150), "H_GPa must be smaller than E_GPa"),
        (dict(material="unobtainium"), "Allowed:"),
        (dict(material="fused silica", protocol={"P_max_mN": 0}), "P_max_mN must be > 0"),
        (dict(material="fused silica", protocol={"P_max_mN": -1.0}), "Got -1.0"),
        (
            dict(material="fused silica", defects={"popin_load_mN": 50}),
            "must be below the peak load P_max_mN",
        ),
        (dict(material="fused silica", defects={"wobble": 1}), "Unknown Defects setting"),
        (dict(material="fused silica", tip="cube corner"), "tip must be one of"),
        # An elastic sphere now unloads along Hertz (m = 1.5, h_f = 0 up to the cap's h/R
        # terms), so an impossible h_f needs an inconsistent eps and m on a stiff contact.
        (dict(E=10, nu=0.3, H=5, epsilon=0.5, unloading_exponent=2.0), "h_f <= 0"),
        (
            dict(material="fused silica", tip="sphere", tip_radius_nm=50),
            "cannot carry this load",
        ),
    ],
)
def test_bad_arguments_raise_clear_value_errors(kwargs, words):
    with pytest.raises(ValueError, match=None) as err:
        simulate_curve(**kwargs)
    assert words in str(err.value)


def test_per_curve_peak_load_scales_depth_as_kicks_law():
    """At constant H, ideal Berkovich: h_max grows as sqrt(P_max)."""
    c = simulate_curves(3, material="ferrite", P_max_mN=[1.0, 4.0, 16.0])
    np.testing.assert_allclose(c.P_mN.max(axis=1), [1.0, 4.0, 16.0])
    np.testing.assert_allclose(c.truth["h_max_nm"] / c.truth["h_max_nm"][0], [1, 2, 4], rtol=1e-9)


def test_per_curve_defect_sizes_match_one_curve_at_a_time():
    per_curve = {
        "popin_load_mN": [0.0, 1.0, 2.0],
        "drift_nm_per_s": [0.0, 0.1, -0.05],
        "elbow_nm": [5.0, 0.0, 0.0],
        "crack_load_mN": [0.0, 0.0, 5.0],
        "crack_size_nm": [0.0, 0.0, 12.0],
    }
    batch = simulate_curves(3, material="tungsten", defects_per_curve=per_curve)
    for i in range(3):
        one = simulate_curve(material="tungsten", defects={k: v[i] for k, v in per_curve.items()})
        np.testing.assert_allclose(batch.h_nm[i], one.h_nm, rtol=1e-10, atol=1e-9)
        for name, mask in one.defect_points.items():
            np.testing.assert_array_equal(batch.defect_points[name][i], mask)
    assert not batch.defect_points["popin"][0].any()
    assert batch.truth["crack_size_nm"].tolist() == [0.0, 0.0, 12.0]
    with pytest.raises(ValueError, match="cannot set"):
        simulate_curves(2, material="tungsten", defects_per_curve={"elbow_kind": [1, 2]})


def test_too_few_points_message_reads_for_a_learner_and_names_the_settings():
    with pytest.raises(ValueError) as err:
        Protocol(P_max_mN=0.5, loading_s=1.0, data_rate_hz=5.0)
    message = str(err.value)
    assert message.startswith(
        "Loading time loading_s (1 s) × data rate data_rate_hz (5 Hz) gives only 5 points"
    )
    assert "at least 20 points" in message and "unloading time" not in message
    with pytest.raises(ValueError, match="unloading time unloading_s \\(1 s\\)"):
        Protocol(loading_s=1.0, unloading_s=1.0, data_rate_hz=5.0)
    Protocol(loading_s=1.0, unloading_s=1.0, data_rate_hz=20.0)  # 20 points each: allowed


def test_a_loading_event_above_the_peak_load_is_refused_in_words():
    with pytest.raises(
        ValueError,
        match=r"The crack load crack_load_mN \(50 mN\) must be below "
        r"the peak load P_max_mN \(10 mN\)",
    ):
        simulate_curves(
            1, material="fused silica", protocol={"P_max_mN": 10.0}, defects={"crack_load_mN": 50.0}
        )
    with pytest.raises(ValueError, match=r"The pop-in load popin_load_mN \(2 mN\)"):
        simulate_curves(
            1, material="fused silica", protocol={"P_max_mN": 1.0}, defects={"popin_load_mN": 2.0}
        )
