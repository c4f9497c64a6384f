"""The curve page's notes state an effect only when the simulated curve shows it (issue 16).

Each note that names a physical effect gets one case where the simulator puts the effect in
the curve (the note shows) and one where it does not (the note is absent). The notes are
pure functions of the settings, the truth and the analysis, so no page is run here.
"""

from __future__ import annotations

import math

import pytest

from learners import oliver_pharr
from simulator import simulate_curve
from ui.curve import effect_notes, notes, tables, widgets

FIT = (0.2, 0.95)


def run(material="fused silica", tip="berkovich", radius_nm=0.0, protocol=None, defects=None,
        options=None) -> tuple[dict, str]:  # fmt: skip
    """Simulate one curve as the page does and return its truth and all its notes as text."""
    settings = {
        "material": material, "E": None, "nu": None, "H": None, "tip": tip,
        "tip_radius_nm": radius_nm, "noise": None, "seed": 0,
        "protocol": {"P_max_mN": 10.0, "hold_s": 5.0, "unloading_s": 5.0, **(protocol or {})},
        "defects": defects or {},
    }  # fmt: skip
    curve = simulate_curve(**settings)
    options = {"fit_range": FIT, "creep_correction": False, **(options or {})}
    kw = {"nu": curve.truth["nu"], "t_s": curve.t_s, "segment": curve.segment, "tip": curve.tip}
    op = oliver_pharr(curve.h_nm, curve.P_mN, **kw, **options)
    flipped = {**options, "creep_correction": not options["creep_correction"]}
    other = oliver_pharr(curve.h_nm, curve.P_mN, **kw, **flipped)
    texts = notes.what_to_notice(settings, curve.truth, op, options, other)
    if tables.hardness_differs(curve.truth):
        texts = [notes.hardness_note(curve.truth), *texts]
    return curve.truth, " ".join(texts)


# --- the contact regime (Johnson 1985: first yield at p_m = 1.1 Y, full plasticity at H) ---


def test_regime_follows_the_truth_loads():
    elastic, _ = run(tip="sphere", radius_nm=50_000.0, protocol={"P_max_mN": 0.5})
    assert elastic["P_max_mN"] < elastic["first_yield_load_mN"]
    assert tables.contact_regime(elastic) == tables.ELASTIC
    mixed, _ = run(tip="sphere", radius_nm=2000.0)
    assert mixed["first_yield_load_mN"] < 10.0
    assert tables.contact_regime(mixed) == tables.ELASTIC_PLASTIC
    plastic, _ = run(material="copper (annealed)", radius_nm=200.0)
    assert plastic["full_plasticity_load_mN"] < 10.0
    assert tables.contact_regime(plastic) == tables.FULLY_PLASTIC
    assert not tables.contact_is_elastic(plastic) and tables.contact_is_elastic(mixed)


def test_elastic_sphere_note_names_first_yield():
    truth, text = run(tip="sphere", radius_nm=50_000.0, protocol={"P_max_mN": 0.5})
    assert "still elastic (Hertz)" in text
    assert f"below first yield at {truth['first_yield_load_mN']:.3g} mN" in text
    assert "1.1 Y ≈ 0.39 H" in text and "elastic–plastic" not in text


def test_elastic_plastic_sphere_note_names_both_loads():
    truth, text = run(tip="sphere", radius_nm=2000.0)
    assert f"yielded at {truth['first_yield_load_mN']:.3g} mN" in text
    assert "P / A lies between 0.39 H and H" in text
    assert "still elastic" not in text


def test_fully_plastic_contact_has_no_regime_cause():
    # A rounded Berkovich in copper is fully plastic at 10 mN: the hardness note blames the
    # size effect only.
    truth, text = run(material="copper (annealed)", radius_nm=200.0)
    assert tables.hardness_differs(truth) and "size effect makes shallow" in text
    assert "still elastic" not in text and "elastic–plastic:" not in text
    assert notes.regime_cause(truth) is None


# --- what the loading follows (no defect on) ---


def test_kick_law_only_for_a_sharp_tip_without_size_effect():
    _, text = run()
    assert "follows Kick's law P ∝ h²" in text
    _, copper = run(material="copper (annealed)")  # h* = 1600 nm from the preset
    assert "follows Kick's law" not in copper
    assert "H rises at shallow depth (Nix–Gao size effect, h* = 1600 nm)" in copper
    _, sphere = run(tip="sphere", radius_nm=2000.0)
    assert "Kick's law" not in sphere and "Hertz branch P ∝ h^1.5" in sphere


def test_rounded_tip_names_hertz_yield_and_full_plasticity():
    truth, text = run(material="copper (annealed)", radius_nm=200.0)
    assert f"first yield at {truth['first_yield_load_mN']:.3g} mN" in text
    assert f"up to {truth['full_plasticity_load_mN']:.3g} mN, then fully plastic" in text
    _, elastic = run(tip="sphere", radius_nm=50_000.0, protocol={"P_max_mN": 0.5})
    assert "fully plastic" not in elastic and "all the way" in elastic


# --- creep: the nose only when ḣ_h / |Ṗ_u| is a fair share of 1/S (Feng & Ngan 2002) ---

CREEP = {"creep_nm": 20.0}


def test_strong_nose_note():
    truth, text = run(material="aluminium", defects=CREEP, protocol={"hold_s": 1.0})
    ratio = truth["creep_rate_hold_end_nm_per_s"] * 5.0 / truth["P_max_mN"]
    assert ratio * truth["S_mN_per_nm"] > effect_notes.STRONG_NOSE_SHARE
    assert "**A strong nose:**" in text and "ḣ_h / |Ṗ_u| = 5.00 nm/mN" in text
    assert "Tick *Creep correction (Feng & Ngan)*" in text
    assert f"{truth['creep_unloading_nm']:.1f} nm more during unloading" in text


def test_weak_nose_note():
    _, text = run(material="aluminium", defects=CREEP, protocol={"hold_s": 60.0})
    assert "bows outward (a nose)" in text
    assert "strong nose" not in text and "had settled" not in text


def test_settled_creep_shows_no_nose():
    truth, text = run(
        material="aluminium", defects=CREEP, protocol={"hold_s": 60.0, "unloading_s": 1.0}
    )
    ratio = truth["creep_rate_hold_end_nm_per_s"] * 1.0 / truth["P_max_mN"]
    assert ratio * truth["S_mN_per_nm"] < effect_notes.NOSE_SHARE
    assert "Creep had settled: the unloading is clean" in text
    assert "nose" not in text and "bows outward" not in text


def test_no_creep_no_creep_note():
    _, text = run(material="aluminium")
    assert "**Creep" not in text and "nose" not in text and "Feng" not in text


def test_creep_note_shows_E_with_and_without_the_correction():
    truth, off = run(material="aluminium", defects=CREEP, protocol={"hold_s": 60.0})
    assert "it gives E = " in off and "instead of E = " in off
    _, on = run(
        material="aluminium",
        defects=CREEP,
        protocol={"hold_s": 60.0},
        options={"creep_correction": True},
    )
    assert "*Creep correction (Feng & Ngan)* is ticked" in on
    assert "With it E = " in on and "without it E = " in on and "S_u = " in on


# --- elbow, pop-out, crack, pop-in: present, absent, and the what-if on other materials ---


def test_elbow_note_and_what_if():
    _, on_w = run(material="tungsten", defects={"elbow_nm": 10.0})
    assert "**Elbow" in on_w and "A what-if: tungsten does not transform" in on_w
    _, on_si = run(material="silicon (100)", defects={"elbow_nm": 10.0})
    assert "**Elbow" in on_si and "what-if" not in on_si
    _, off = run(material="silicon (100)")
    assert "Elbow" not in off and "what-if" not in off


def test_popout_note_and_fit_reach():
    popout = {"elbow_nm": 10.0, "elbow_kind": "popout"}
    _, below = run(material="silicon (100)", defects=popout)  # 0.2 P_max < 0.3 P_max
    assert "**Pop-out" in below and "below the pop-out load" in below
    _, above = run(material="silicon (100)", defects=popout, options={"fit_range": (0.5, 0.95)})
    assert "above the pop-out load, so the fit is unaffected" in above
    _, metal = run(material="nickel", defects=popout)
    assert "A what-if: nickel does not transform under pressure" in metal


def test_crack_note_and_what_if():
    crack = {"crack_load_mN": 5.0, "crack_size_nm": 20.0}
    _, glass = run(defects=crack)
    assert "**Crack at 5.0 mN" in glass and "what-if" not in glass
    _, metal = run(material="tungsten", defects=crack)
    assert "A what-if: tungsten does not crack under the tip" in metal
    assert "cracks to brittle solids" in metal
    _, none = run()
    assert "Crack" not in none


def test_popin_note_only_when_the_curve_bursts():
    truth, text = run(material="tungsten", defects={"popin_load_mN": 1.0})
    assert truth["popin_size_nm"] > 0 and "**Pop-in at 1.00 mN" in text
    assert "what-if" not in text
    # A 50 µm sphere is still elastic at 1 mN: the elastic branch is the regular one.
    truth, text = run(
        material="tungsten", tip="sphere", radius_nm=50_000.0, defects={"popin_load_mN": 1.0}
    )
    assert truth["popin_size_nm"] == 0
    assert "**Pop-in at" not in text and "**No pop-in burst.**" in text
    _, glass = run(defects={"popin_load_mN": 1.0})
    assert "A what-if: fused silica is not a crystal" in glass


# --- size effect and pile-up ---


def test_size_effect_note_keyed_on_the_truth():
    _, preset = run(material="copper (annealed)")  # no slider moved: h* from the preset
    assert "**Size effect (h\\* = 1600 nm, from the preset (Nix & Gao 1998))" in preset
    _, slider = run(defects={"ise_h_star_nm": 500.0})
    assert "**Size effect (h\\* = 500 nm)" in slider and "from the preset" not in slider
    _, none = run()
    assert "Size effect" not in none and "size effect" not in none


def test_pileup_hint_quotes_this_curves_ratio():
    _, soft = run(material="copper (annealed)", defects={"pileup_area_excess": 0.2})
    assert "> 0.7 here, where pile-up is possible" in soft
    _, hard = run(defects={"pileup_area_excess": 0.2})
    assert "does not even hint at it" in hard
    _, none = run()
    assert "Pile-up" not in none


@pytest.mark.parametrize("name", ["copper (annealed)", "silicon (100)", "PMMA"])
def test_material_caption_says_H_basis_m_and_defects(name):
    caption = widgets.material_caption(name)
    assert "unloading exponent m = " in caption and "GPa (" in caption
    if name == "copper (annealed)":
        assert "h* = 1600 nm" in caption and "pop-ins" in caption
    if name == "silicon (100)":
        assert "elbows" in caption and "pop-outs" in caption and "cracks" in caption
    if name == "PMMA":
        assert "no pop-ins, elbows or cracks" in caption


def test_table_shows_E_with_and_without_the_creep_correction():
    settings = {"material": "aluminium", "protocol": {"P_max_mN": 10.0, "hold_s": 60.0}}
    curve = simulate_curve(**settings, defects=CREEP)
    kw = {"nu": curve.truth["nu"], "t_s": curve.t_s, "segment": curve.segment, "tip": curve.tip}
    plain = oliver_pharr(curve.h_nm, curve.P_mN, **kw)
    fixed = oliver_pharr(curve.h_nm, curve.P_mN, creep_correction=True, **kw)
    table = tables.comparison_table(curve.truth, plain, fixed, False).set_index("quantity")
    assert table.loc["E with creep correction (GPa)", "Oliver-Pharr"] == fixed["E_GPa"]
    assert table.loc["E (GPa)", "Oliver-Pharr"] == plain["E_GPa"]
    # the correction brings E closer to the truth on this nose
    errors = table["error (%)"]
    assert abs(errors["E with creep correction (GPa)"]) < abs(errors["E (GPa)"])
    ticked = tables.comparison_table(curve.truth, fixed, plain, True).set_index("quantity")
    assert "E without creep correction (GPa)" in ticked.index
    assert not any("creep" in q for q in tables.comparison_table(curve.truth, plain)["quantity"])


def test_sharp_cone_capped_below_its_size_effect_hardness_is_not_called_a_size_effect_curve():
    # fused silica, ideal Berkovich, h* = 500 nm: Sneddon's cone pressure (~12.5 GPa) caps
    # P / A below H(h_c) ~ 17.5 GPa at every depth, so the loading is P ∝ h², capped
    capped, _ = run(defects={"ise_h_star_nm": 500.0})
    assert tables.contact_regime(capped) == tables.ELASTIC
    assert "Sneddon" in notes.loading_text(capped)
    assert "H rises" not in notes.loading_text(capped)
    plastic, _ = run(defects={"ise_h_star_nm": 50.0})  # H(h_c) ~ 10.2 GPa: plastic
    assert tables.contact_regime(plastic) == tables.FULLY_PLASTIC
    assert "H rises at shallow depth" in notes.loading_text(plastic)


@pytest.mark.parametrize(
    ("load_mN", "apex_nm", "words"),
    [
        (1.0, 150.0, "above the ideal shear strength G/2π"),
        (0.2, 150.0, "but below the ideal strength G/2π"),
        (0.1, 300.0, "within the G/30-G/10"),
        (0.05, 1000.0, "so early a burst needs a defect"),
    ],
)
def test_popin_note_weighs_the_hertz_shear_stress_against_G(load_mN, apex_nm, words):
    # tungsten: G = 410 / 2.56 = 160 GPa; tau_max = 0.31 p_0 under the apex (Johnson 1985)
    defects = {"popin_load_mN": load_mN, "popin_apex_radius_nm": apex_nm}
    truth, text = run(material="tungsten", defects=defects)
    x = tables.popin_shear_over_G(truth, apex_nm)
    assert f"reaches {x:.2f} G at the pop-in load" in text and words in text
    for other in ("above the ideal shear", "but below the ideal", "within the G/30", "so early"):
        if other not in words:
            assert other not in text


def test_popin_shear_stress_matches_hertz_by_hand():
    truth = {"popin_load_mN": 1.0, "Er_GPa": 300.0, "E_GPa": 400.0, "nu": 0.25}
    a = (3 * 1.0 * 100.0 / (4 * 300.0) * 1e6) ** (1 / 3)  # nm
    p0 = 3 * 1.0 / (2 * 3.141592653589793 * a**2) * 1e6  # GPa
    assert tables.popin_shear_over_G(truth, 100.0) == pytest.approx(0.31 * p0 / 160.0)
    assert math.isnan(tables.popin_shear_over_G({**truth, "popin_load_mN": math.nan}, 100.0))


def test_a_rounded_tip_that_never_yields_is_called_elastic_at_any_load():
    # custom E/H = 2: the rounded Berkovich's cone caps its elastic pressure below 1.1 Y
    curve = simulate_curve(E=8.0, nu=0.3, H=4.0, tip="berkovich", tip_radius_nm=200.0)
    assert math.isnan(curve.truth["first_yield_load_mN"])
    assert tables.contact_regime(curve.truth) == tables.ELASTIC
    assert "at any load" in notes.regime_cause(curve.truth)
    yielding = simulate_curve(E=20.0, nu=0.3, H=5.0, tip="berkovich", tip_radius_nm=200.0)
    assert tables.contact_regime(yielding.truth) == tables.ELASTIC_PLASTIC
    assert "at any load" not in notes.regime_cause(yielding.truth)


# --- drift, surface offset, roughness: present and absent (issue 14) ---


def test_drift_note_only_when_the_curve_drifts():
    _, drifting = run(defects={"drift_nm_per_s": 0.2})
    assert "**Thermal drift (+0.20 nm/s).**" in drifting
    _, still = run()
    assert "Thermal drift" not in still


def test_surface_offset_note_only_with_an_offset_and_its_sign():
    _, late = run(defects={"surface_offset_nm": 10.0})
    assert "**Surface detection error (+10 nm).**" in late and "H and E too high" in late
    _, early = run(defects={"surface_offset_nm": -10.0})
    assert "H and E too low" in early
    _, none = run()
    assert "Surface detection error" not in none


def test_roughness_note_only_on_a_rough_surface():
    _, rough = run(defects={"roughness_nm": 5.0})
    assert "**Roughness.**" in rough
    _, smooth = run()
    assert "Roughness" not in smooth
