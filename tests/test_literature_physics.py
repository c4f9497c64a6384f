"""Issue 16: the simulator against the published numbers and closed forms it cites.

One block per item of the literature audit: creep into the unloading and the Feng-Ngan
correction, the elastic-plastic transition of spheres, the materials each defect occurs
on, preset hardness with its size effect, grains per particle, clinker E, C-S-H H scatter,
the unloading exponent m per material, and beta per tip.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from learners import oliver_pharr
from simulator import (
    Protocol,
    get_material,
    indent_map,
    make_dataset,
    make_microstructure,
    reduced_modulus,
    simulate_curve,
    simulate_curves,
)
from simulator.contact import (
    CAVITY_SLOPE,
    FIRST_YIELD_PM_OVER_Y,
    TABOR_H_OVER_Y,
    ContactModel,
    mean_pressure_GPa,
)
from simulator.datasets import DEFECT_HOSTS
from simulator.protocol import SEGMENT_CODES
from simulator.tips import Tip

HOLD, UNLOADING = SEGMENT_CODES["hold"], SEGMENT_CODES["unloading"]


def _op(c, **options):
    return oliver_pharr(
        c.h_nm, c.P_mN, nu=c.truth["nu"], t_s=c.t_s, segment=c.segment, tip=c.tip, **options
    )


# ---------------------------------------------------------------- 1. creep nose, Feng-Ngan


def _creeping(hold_s, creep_nm, material="aluminium", rate_hz=20.0):
    return simulate_curve(
        material=material,
        defects={"creep_nm": creep_nm, "creep_tau_s": 1.0},
        protocol=Protocol(hold_s=hold_s, data_rate_hz=rate_hz),
    )


def test_creep_goes_on_into_the_unloading_with_the_holds_rate():
    """Feng & Ngan 2002: at the unloading start the creep rate carries on; only the elastic
    response -|P_dot| / S is added, so dh/dt jumps by -|P_dot| / S and no more (finite
    differences at 500 Hz; the creep rate falls as (P/P_max)^3 once the load falls)."""
    c = _creeping(1.0, 20.0, rate_hz=500.0)
    t = c.truth
    i = int(np.argmax(c.segment == UNLOADING))
    rate_hold_end = (c.h_nm[i - 1] - c.h_nm[i - 2]) * c.protocol.data_rate_hz
    rate_unload = (c.h_nm[i + 1] - c.h_nm[i]) * c.protocol.data_rate_hz
    P_dot = -c.protocol.P_max_mN / c.protocol.unloading_s
    assert rate_unload > 0  # still creeping into the surface while the load falls: the nose
    assert rate_unload - rate_hold_end == pytest.approx(P_dot / t["S_mN_per_nm"], rel=0.02)
    assert t["creep_unloading_nm"] > 1.0
    assert t["creep_rate_hold_end_nm_per_s"] == pytest.approx(20.0 / (1.0 + 1.0))


def test_short_hold_overestimates_E_and_the_error_shrinks_as_the_hold_lengthens():
    errors = [_op(_creeping(hold, 5.0))["E_GPa"] / 70.0 - 1 for hold in (1.0, 5.0, 30.0)]
    # Measured: +23 %, +9 %, +2 % (aluminium, creep 5 nm, tau 1 s, 2 mN/s unloading).
    assert errors[0] > 0.15 and errors[0] > errors[1] > errors[2] > 0.005


@pytest.mark.parametrize(
    "material, hold_s, creep_nm",
    [("aluminium", 1.0, 5.0), ("aluminium", 5.0, 20.0), ("fused silica", 1.0, 20.0)],
)
def test_feng_ngan_correction_restores_E(material, hold_s, creep_nm):
    """1/S_e = 1/S_u + h_dot_h / |P_dot_u| (Feng & Ngan, J. Mater. Res. 17 (2002) 660): E
    within 5 % where h_dot_h / |P_dot_u| is up to about 0.6 / S (plain Oliver-Pharr: 10 to
    50 % off). The correction is first order: the creep rate decays as the load falls."""
    c = _creeping(hold_s, creep_nm, material)
    E = c.truth["E_GPa"]
    plain, fixed = _op(c), _op(c, creep_correction=True)
    assert plain["E_GPa"] / E - 1 > 0.09
    assert fixed["ok"] and abs(fixed["E_GPa"] / E - 1) < 0.05
    assert abs(fixed["H_GPa"] / c.truth["H_at_Pmax_GPa"] - 1) < 0.02
    assert fixed["S_apparent_mN_per_nm"] > c.truth["S_mN_per_nm"] > 0.9 * fixed["S_mN_per_nm"]
    assert fixed["unloading_rate_mN_per_s"] == pytest.approx(-2.0, rel=1e-6)
    # The sign printed in the audit, 1/S_e = 1/S_u - h_dot/|P_dot|, would move S further up.
    wrong = 1 / (1 / fixed["S_apparent_mN_per_nm"] - fixed["creep_rate_nm_per_s"] / 2.0)
    assert not 0 < wrong < fixed["S_apparent_mN_per_nm"]


def test_strong_nose_fails_plain_fit_and_feng_ngan_gets_within_15_percent():
    """h_dot_h / |P_dot_u| = 4.8 nm/mN against 1/S = 2.4 nm/mN: the depth still grows at the
    top of the unloading; the power law cannot be fitted, the correction gives E -12 %."""
    c = _creeping(1.0, 20.0)
    assert not _op(c)["ok"]
    fixed = _op(c, creep_correction=True)
    assert fixed["ok"] and abs(fixed["E_GPa"] / c.truth["E_GPa"] - 1) < 0.15


def test_feng_ngan_under_lab_noise_is_unbiased_but_noisier():
    """With 0.2 nm depth noise the correction needs the hold's end rate and the tangent at
    the unloading start, both from few points: over 200 curves (aluminium, 5 s hold, creep
    20 nm) the median E moves from +47 % to +2 %, with an interquartile range of ~15 %."""
    c = simulate_curves(
        200,
        material="aluminium",
        noise="default",
        defects={"creep_nm": 20.0, "creep_tau_s": 1.0},
        protocol=Protocol(hold_s=5.0),
        seed=0,
    )
    kw = dict(nu=0.35, t_s=c.t_s, segment=c.segment)
    plain = oliver_pharr(c.h_nm, c.P_mN, **kw)["E_GPa"] / 70.0 - 1
    fixed = oliver_pharr(c.h_nm, c.P_mN, creep_correction=True, **kw)["E_GPa"] / 70.0 - 1
    assert plain.median() > 0.3
    assert abs(fixed.median()) < 0.04
    assert np.subtract(*np.percentile(fixed, [75, 25])) < 0.25


def test_no_creep_no_change_and_correction_harmless():
    clean = simulate_curve(material="aluminium")
    again = simulate_curve(material="aluminium", defects={"creep_nm": 0.0, "creep_tau_s": 3.0})
    assert np.array_equal(clean.h_nm, again.h_nm) and clean.truth["creep_unloading_nm"] == 0
    fixed = _op(clean, creep_correction=True)
    assert abs(fixed["creep_rate_nm_per_s"]) < 1e-9
    assert fixed["E_GPa"] == pytest.approx(70.0, rel=5e-3)
    assert _op(clean)["E_GPa"] == pytest.approx(70.0, rel=1e-5)
    with pytest.raises(ValueError, match="t_s is required when creep_correction=True"):
        oliver_pharr(clean.h_nm, clean.P_mN, creep_correction=True)


# ---------------------------------------------------------------- 3. first yield of a sphere


@pytest.mark.parametrize("material", ["tungsten", "fused silica", "aluminium", "nickel"])
def test_sphere_first_yield_at_mean_pressure_1p1_Y(material):
    """First yield under a sphere at p_m = 1.1 Y (Johnson 1985, 6.2), Y = H / 2.8 (Tabor):
    the Hertz branch ends there, about 16x below the load where Hertz reaches H."""
    R = 5000.0
    c = simulate_curve(
        material=material, tip="sphere", tip_radius_nm=R, protocol=Protocol(P_max_mN=1.0)
    )
    t = c.truth
    P_y = t["first_yield_load_mN"]
    a = (3 * P_y * R / (4 * t["Er_GPa"] * 1e-6)) ** (1 / 3)  # Hertz contact radius
    p_m = P_y / (np.pi * a**2) * 1e6
    assert p_m == pytest.approx(1.1 * t["H_GPa"] / 2.8, rel=0.02)
    a_H = t["H_GPa"] * 3 * np.pi * R / (4 * t["Er_GPa"])  # where Hertz would reach H
    P_hertz_to_H = t["H_GPa"] * np.pi * a_H**2 * 1e-6
    assert P_hertz_to_H / P_y == pytest.approx((2.8 / 1.1) ** 3, rel=0.02)  # 16.5


def test_sphere_loading_is_hertz_below_first_yield_and_deeper_beyond():
    R, Er = 5000.0, reduced_modulus(410.0, 0.28)
    c = simulate_curve(material="tungsten", tip="sphere", tip_radius_nm=R)
    P_y = c.truth["first_yield_load_mN"]
    load = (c.segment == SEGMENT_CODES["loading"]) & (c.P_mN > 0)
    hertz = (3 * c.P_mN[load] / (4 * Er * 1e-6 * np.sqrt(R))) ** (2 / 3)
    below, beyond = c.P_mN[load] < P_y, c.P_mN[load] > 3 * P_y
    np.testing.assert_allclose(c.h_nm[load][below], hertz[below], rtol=2e-3)
    assert np.all(c.h_nm[load][beyond] > 1.01 * hertz[beyond])


def test_expanding_cavity_reaches_full_plasticity_at_johnsons_E_a_over_Y_R():
    """p_m = 1.1 Y + (2/3) Y ln(p_Hertz / 1.1 Y) reaches H = 2.8 Y at E_r a / (Y R) of
    about 33, inside Johnson's 30-40 (Contact Mechanics 1985, Fig. 6.15)."""
    x_yield = 3 * np.pi / 4 * FIRST_YIELD_PM_OVER_Y
    x_full = x_yield * np.exp((TABOR_H_OVER_Y - FIRST_YIELD_PM_OVER_Y) / CAVITY_SLOPE)
    assert 30 < x_full < 40
    R, Er, H = 5000.0, 300.0, 5.0
    model = ContactModel(
        tip=Tip("sphere", R),
        Er_GPa=np.array([[Er]]),
        H_GPa=np.array([[H]]),
        h_star_nm=np.zeros((1, 1)),
        area_factor=np.ones((1, 1)),
        beta=1.0,
    )
    x = np.geomspace(0.5, 100, 200)  # E_r a / (Y R)
    a = x * (H / 2.8) * R / Er
    hc = R - np.sqrt(R**2 - a**2)
    p = mean_pressure_GPa(model, hc[None, :])[0]
    assert np.all(np.diff(p) >= 0)
    np.testing.assert_allclose(
        p[x < x_yield * 0.999], 4 * Er * a[x < x_yield * 0.999] / (3 * np.pi * R), rtol=1e-9
    )
    np.testing.assert_allclose(p[x > x_full * 1.001], H)


# ---------------------------------------------------------------- 4. defects where they occur


@pytest.mark.parametrize("task", ["quality", "anomalies"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_defect_type_is_drawn_only_on_materials_where_it_occurs(task, seed):
    """Elbows / pop-outs: Si phase transformation (Domnich, Gogotsi & Dub 2000); cracks:
    brittle solids (fused silica, sapphire, WC, Si); pop-ins: crystals (Schuh 2006)."""
    options = {"contamination": 0.3} if task == "anomalies" else {}
    d = make_dataset(task, 200, seed=seed, **options)
    for defect, hosts in DEFECT_HOSTS.items():
        rows = d.truth["defect"] == defect
        assert rows.any()
        assert set(d.truth.loc[rows, "material"]) <= set(hosts)
        assert all(defect in get_material(m).occurs for m in d.truth.loc[rows, "material"])
    assert set(DEFECT_HOSTS["elbow"]) == {"silicon (100)"}
    assert set(DEFECT_HOSTS["crack"]) == {
        "fused silica",
        "sapphire (0001)",
        "WC",
        "SiC",
        "silicon (100)",
    }
    assert "fused silica" not in DEFECT_HOSTS["popin"] and "PMMA" not in DEFECT_HOSTS["popin"]


def test_explicit_defect_on_a_material_without_it_is_flagged_in_truth():
    elbow = {"elbow_nm": 10.0}
    assert simulate_curve(material="tungsten", defects=elbow).truth["defects_not_on_material"] == (
        "elbow"
    )
    assert (
        simulate_curve(material="silicon (100)", defects=elbow).truth["defects_not_on_material"]
        == ""
    )
    crack = {"crack_load_mN": 5.0, "crack_size_nm": 10.0}
    assert simulate_curve(material="nickel", defects=crack).truth["defects_not_on_material"] == (
        "crack"
    )
    assert simulate_curve(E=200, H=3, defects=crack).truth["defects_not_on_material"] == ""
    popin = {"popin_load_mN": 1.0}
    assert simulate_curve(material="fused silica", defects=popin).truth[
        "defects_not_on_material"
    ] == ("popin")


# ---------------------------------------------------------------- 5. preset H and its h*


def test_annealed_copper_at_10_mN_follows_nix_gao():
    """Nix & Gao 1998 (McElhaney's annealed Cu): H0 = 0.58 GPa, h* = 1.6 um; at 10 mN
    H = H0 sqrt(1 + h*/h_c) with 10 mN = 24.5 h_c^2 H (about 1.3 GPa, within 10 %)."""
    cu = get_material("copper (annealed)")
    assert cu.H_GPa == 0.58 and cu.h_star_nm == 1600.0 and "H0" in cu.H_basis
    H0, h_star = 0.58e-6, 1600.0  # mN/nm^2, nm
    hc = brentq(lambda h: 24.5 * h**2 * H0 * np.sqrt(1 + h_star / h) - 10.0, 10, 1e4)
    expected = 0.58 * np.sqrt(1 + h_star / hc)
    c = simulate_curve(material="copper (annealed)", protocol=Protocol(P_max_mN=10.0))
    assert c.truth["H_at_Pmax_GPa"] == pytest.approx(expected, rel=0.10)
    assert c.truth["H_at_Pmax_GPa"] == pytest.approx(expected, rel=1e-6)  # exact here
    assert 1.1 < expected < 1.4
    macro = simulate_curve(material="copper (annealed)", preset_size_effect=False)
    assert macro.truth["H_at_Pmax_GPa"] == pytest.approx(0.58, rel=1e-9)


def test_every_preset_says_what_its_H_is():
    from simulator import MATERIALS

    for m in MATERIALS.values():
        assert m.H_basis


# ---------------------------------------------------------------- 6. grains per particle


@pytest.mark.parametrize(
    "preset, phase", [("cement paste", "clinker"), ("Al-SiC composite", "SiC")]
)
def test_phase_mean_hardness_over_a_map_is_the_presets(preset, phase):
    """With a grain id per particle the grain-to-grain share of the scatter averages out
    over the particles a map samples: the phase's median H within 5 % of the preset for
    every seed (it was 0.86-1.07x with one draw per phase)."""
    for seed in range(3):
        ms = make_microstructure(preset, seed=seed)
        m = indent_map(ms, nx=30, ny=30, spacing_um=4.5, P_max_mN=0.5, seed=seed)
        inside = (m.truth["phase_name"] == phase) & ~m.truth["on_interface"]
        H = m.truth.loc[inside, "H_GPa"]
        assert m.truth.loc[inside, "grain"].nunique() >= 8  # one id per particle
        assert np.exp(np.log(H).mean()) == pytest.approx(get_material(phase).H_GPa, rel=0.05)


# ---------------------------------------------------------------- 7. clinker E


def test_clinker_modulus_in_velez_band():
    """Velez et al., Cem. Concr. Res. 31 (2001) 555: clinker phases E = 125-145 GPa."""
    assert 125 <= get_material("clinker").E_GPa <= 145


# ---------------------------------------------------------------- 8. C-S-H H scatter


def test_csh_hardness_scatter_in_constantinides_ulm_band():
    """Constantinides & Ulm 2007: H = 0.45 +- 0.14 (LD, cv 31 %), 0.83 +- 0.18 GPa (HD, cv
    22 %); M cv 23 % and 14 %. Pooled over three maps, pure-phase indents."""
    H = {"LD C-S-H": [], "HD C-S-H": []}
    E = {"LD C-S-H": [], "HD C-S-H": []}
    for seed in range(3):
        ms = make_microstructure("cement paste", seed=seed)
        table = ms.phases.set_index("name")
        assert table.loc["LD C-S-H", "H_sd"] > table.loc["LD C-S-H", "E_sd"]
        m = indent_map(ms, nx=30, ny=30, spacing_um=4.5, P_max_mN=0.2, seed=seed)
        for phase in H:
            rows = (m.truth["phase_name"] == phase) & ~m.truth["on_interface"]
            H[phase].append(m.truth.loc[rows, "H_GPa"])
            E[phase].append(m.truth.loc[rows, "E_GPa"])
    cv = {p: np.std(np.concatenate(v)) / np.mean(np.concatenate(v)) for p, v in H.items()}
    cv_E = {p: np.std(np.concatenate(v)) / np.mean(np.concatenate(v)) for p, v in E.items()}
    assert cv["LD C-S-H"] == pytest.approx(0.31, abs=0.05)
    assert cv["HD C-S-H"] == pytest.approx(0.22, abs=0.05)
    assert cv_E["LD C-S-H"] < cv["LD C-S-H"] and cv_E["HD C-S-H"] < cv["HD C-S-H"]


# ---------------------------------------------------------------- 9. m per material


@pytest.mark.parametrize(
    "material, m",
    [("fused silica", 1.25), ("sapphire (0001)", 1.43), ("aluminium", 1.38), ("tungsten", 1.51)],
)
def test_unloading_exponent_per_material_and_oliver_pharr_round_trip(material, m):
    """Oliver & Pharr 1992 (Table): m = 1.25 fused silica ... 1.51 W. The unloading keeps
    S = 2 beta E_r sqrt(A/pi) at its top, so Oliver-Pharr recovers H and E within 1 %."""
    c = simulate_curves(3, material=material, scatter=0.05, seed=2)
    t = c.truth
    np.testing.assert_allclose(t["unloading_exponent"], m)
    np.testing.assert_allclose(
        t["S_mN_per_nm"], 2 * 1.034 * t["Er_GPa"] * 1e-6 * np.sqrt(t["A_nm2"] / np.pi), rtol=1e-12
    )
    r = oliver_pharr(c.h_nm, c.P_mN, nu=t["nu"].to_numpy(), t_s=c.t_s)
    np.testing.assert_allclose(r["m"], m, rtol=1e-4)
    np.testing.assert_allclose(r["H_GPa"], t["H_GPa"], rtol=0.01)
    np.testing.assert_allclose(r["E_GPa"], t["E_GPa"], rtol=0.01)


# ---------------------------------------------------------------- 10. beta per tip


def test_elastic_sphere_unloads_to_zero_along_hertz_with_beta_1():
    """A sphere takes beta = 1 (axisymmetric; King's 1.034 is a Berkovich value): a fully
    elastic contact reaches Hertz's h = (3 P / (4 E_r sqrt(R)))^(2/3) and leaves no
    residual depth (h_f / h_max of order h/R, not 3 %)."""
    R, P_max = 20_000.0, 1.0
    c = simulate_curve(
        E=70.0, nu=0.2, H=60.0, tip="sphere", tip_radius_nm=R, protocol=Protocol(P_max_mN=P_max)
    )
    t = c.truth
    hertz = (3 * P_max / (4 * t["Er_GPa"] * 1e-6 * np.sqrt(R))) ** (2 / 3)
    assert t["h_max_nm"] == pytest.approx(hertz, rel=t["h_max_nm"] / R)
    assert t["h_f_nm"] / t["h_max_nm"] < t["h_max_nm"] / R
    assert t["unloading_exponent"] == 1.5
    r = _op(c)
    assert r["E_GPa"] == pytest.approx(70.0, rel=0.01)


def test_each_tip_brings_its_own_beta():
    assert Tip("sphere", 1000.0).beta == 1.0
    assert Tip("berkovich").beta == Tip("berkovich", 200.0).beta == 1.034
    sphere = simulate_curves(1, material="tungsten", tip="sphere", tip_radius_nm=5000.0)
    assert sphere.beta == 1.0
    assert simulate_curves(1, material="tungsten").beta == 1.034
