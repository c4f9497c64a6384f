"""The "Indentation curve" page, run headless with Streamlit's AppTest.

Every control is changed once (after switching on what it depends on) and the test asserts
that the page still runs and that the chart data or the table moved. A completeness test
keeps that list in step with the widgets the page really draws.
"""

from __future__ import annotations

import math

import pytest
from apptest_helpers import apply, widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from ui.curve import tables

PAGE = "../../app_pages/indentation_curve.py"  # relative to this test file
WIDGET_TYPES = ("slider", "number_input", "selectbox", "checkbox", "button")

# (widget key, new value, settings applied first so that the change matters)
CHANGES = [
    ("material", "copper (annealed)", {}),
    ("E_GPa", 100.0, {"material": "custom"}),
    ("nu", 0.3, {"material": "custom"}),
    ("H_GPa", 5.0, {"material": "custom"}),
    ("tip", "rounded Berkovich", {}),
    ("tip", "sphere", {}),
    ("tip_radius_nm", 500.0, {"tip": "rounded Berkovich"}),
    ("sphere_radius_um", 5.0, {"tip": "sphere"}),
    ("P_max_mN", 20.0, {}),
    ("loading_s", 20.0, {}),
    ("hold_s", 10.0, {}),
    ("unloading_s", 10.0, {}),
    ("drift_hold_s", 0.0, {}),
    ("data_rate_hz", 40.0, {}),
    ("load_noise_mN", 0.002, {}),
    ("depth_noise_nm", 1.0, {}),
    ("drift_nm_per_s", 0.1, {}),
    ("surface_offset_nm", 20.0, {}),
    ("roughness_nm", 5.0, {}),
    ("pileup_pct", 30, {}),
    ("ise_h_star_nm", 1000.0, {}),
    ("creep_nm", 10.0, {}),
    ("creep_tau_s", 3.0, {"creep_nm": 10.0}),
    ("popin_load_mN", 1.0, {"material": "tungsten"}),
    ("popin_apex_radius_nm", 300.0, {"material": "tungsten", "popin_load_mN": 1.0}),
    ("elbow_nm", 10.0, {}),
    ("elbow_load_fraction", 0.5, {"elbow_nm": 10.0}),
    ("elbow_kind", "popout", {"elbow_nm": 10.0}),
    ("crack_load_mN", 5.0, {}),
    ("crack_size_nm", 40.0, {"crack_load_mN": 5.0}),
    ("seed", 7, {}),
    ("fit_range", (0.5, 0.95), {}),
    ("drift_correction", True, {"drift_nm_per_s": 0.1}),
    ("zero_point_correction", True, {"surface_offset_nm": 20.0}),
    ("creep_correction", True, {"creep_nm": 10.0}),
    ("guess_H_pct", 30.0, {}),
    ("guess_E_r_pct", 0.0, {}),
    ("curve_ex_show", True, {"guess_E_r_pct": 50.0}),
]


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: both charts' data, the table and the feedback texts."""
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    table = at.dataframe[0].value.round(9).to_csv() if len(at.dataframe) else ""
    texts = tuple(e.value for kind in ("error", "warning", "info", "success") for e in at.get(kind))
    return data, table, texts


def table_error(at: AppTest, quantity: str) -> float:
    table = at.dataframe[0].value.set_index("quantity")
    return float(table.loc[quantity, "error (%)"])


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def test_page_loads_with_default_settings(page):
    assert page.title[0].value == "Indentation curve"
    assert not page.error
    assert len(page.get("vega_lite_chart")) == 2
    # the clean default curve: Oliver-Pharr recovers the true H and E
    assert abs(table_error(page, "H at P_max (GPa)")) < 2.0
    assert abs(table_error(page, "E (GPa)")) < 2.0
    assert page.get("download_button")


def test_charts_have_unit_bearing_axis_titles(page):
    ph, ht = chart_specs(page)
    assert {"Displacement h (nm)", "Load P (mN)"} <= axis_titles(ph)
    assert {"Time t (s)", "Displacement h (nm)"} <= axis_titles(ht)


def test_every_control_has_a_help_text_and_a_test():
    keys = set()
    for preset in ({"material": "custom", "tip": "rounded Berkovich"}, {"tip": "sphere"}):
        at = apply(AppTest.from_file(PAGE, default_timeout=60).run(), preset)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    assert keys == {key for key, _, _ in CHANGES}


@pytest.mark.parametrize(("key", "value", "before"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_control_changes_the_result(key, value, before):
    at = apply(AppTest.from_file(PAGE, default_timeout=60).run(), before)
    assert not at.error, at.error
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, at.error
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_pileup_note_and_overestimate(page):
    apply(page, {"pileup_pct": 30})
    assert any("Pile-up" in info.value for info in page.info)
    assert table_error(page, "H at P_max (GPa)") == pytest.approx(30.0, abs=2.0)


def test_drift_correction_removes_the_drift_error(page):
    apply(page, {"drift_nm_per_s": 0.3, "unloading_s": 30.0})
    uncorrected = abs(table_error(page, "E (GPa)"))
    apply(page, {"drift_correction": True})
    assert abs(table_error(page, "E (GPa)")) < uncorrected


def test_elastic_sphere_contact_is_named_a_mean_pressure(page):
    # A 50 um sphere at 0.5 mN stays elastic: P / A is far below H, and the loading is Hertz.
    apply(page, {"tip": "sphere", "sphere_radius_um": 50.0, "P_max_mN": 0.5})
    notes = " ".join(info.value for info in page.info)
    assert "still elastic" in notes and "mean contact pressure" in notes
    assert "P ∝ h^1.5" in notes and "Kick's law" not in notes


def test_a_sharp_cone_below_its_size_effect_hardness_is_called_elastic(page):
    # Fused silica, ideal Berkovich: Sneddon's cone pressure E_r cot(70.3 deg) / 2 ~ 12.5 GPa
    # caps P / A, below H(h_c) = 9 sqrt(1 + 500 / 181) ~ 17.5 GPa.
    apply(page, {"ise_h_star_nm": 500.0})
    assert any("still elastic" in info.value for info in page.info)
    apply(page, {"ise_h_star_nm": 50.0})  # H(h_c) ~ 10.2 GPa: below the cap, plastic
    assert not any("still elastic" in info.value for info in page.info)


def test_drift_note_says_when_the_correction_cannot_work(page):
    apply(page, {"drift_nm_per_s": 0.3})
    assert any("Tick *Correct thermal drift*" in info.value for info in page.info)
    apply(page, {"drift_correction": True})
    assert any("measured +0.3" in info.value for info in page.info)
    apply(page, {"drift_hold_s": 0.0})
    assert any("no drift hold" in info.value for info in page.info)


def test_zero_point_note_reports_the_found_offset(page):
    apply(page, {"surface_offset_nm": 20.0, "zero_point_correction": True})
    assert any("*Correct the zero point* is ticked" in info.value for info in page.info)


def test_size_effect_explains_which_hardness_to_match(page):
    apply(page, {"ise_h_star_nm": 1000.0})
    assert any("H at P_max" in info.value for info in page.info)
    assert "H input, macroscopic (GPa)" in set(page.dataframe[0].value["quantity"])


def test_exercise_gives_immediate_feedback(page):
    apply(page, {"guess_H_pct": 30.0})
    assert any(s.value.startswith("Right") for s in page.success)
    apply(page, {"guess_E_r_pct": 50.0})
    (first,) = [w.value for w in page.warning if w.value.startswith("Not quite")]
    assert "Hint" in first and "The law gives" not in first  # no answer on the first try
    apply(page, {"guess_E_r_pct": 40.0})
    (second,) = [w.value for w in page.warning if w.value.startswith("Not quite")]
    assert "Sharper hint" in second and "The law gives" not in second
    apply(page, {"guess_E_r_pct": 35.0})  # the third try gives the answer
    assert any("The law gives" in w.value for w in page.warning)


def test_the_answer_comes_on_request(page):
    apply(page, {"guess_E_r_pct": 50.0})
    page.button(key="curve_ex_show").click().run()
    assert any("The law gives" in w.value for w in page.warning)


@pytest.mark.parametrize(
    "settings",
    [
        {"material": "custom", "E_GPa": 50.0, "H_GPa": 60.0},  # H > E
        {"tip": "sphere", "sphere_radius_um": 0.5, "P_max_mN": 50.0},  # sphere too small
        {"P_max_mN": 1.0, "popin_load_mN": 2.0},  # pop-in above the peak load
        {"loading_s": 1.0, "data_rate_hz": 5.0},  # too few points
    ],
    ids=["H>E", "small-sphere", "popin>Pmax", "few-points"],
)
def test_impossible_settings_show_an_error_not_a_traceback(page, settings):
    apply(page, settings)
    assert not page.exception
    assert page.error and "cannot be simulated" in page.error[0].value
    # nothing the learner set is lost
    for key, value in settings.items():
        assert widget(page, key).value == value


def test_no_percent_error_for_a_near_zero_true_depth():
    truth = {
        "H_at_Pmax_GPa": 2.0, "H_GPa": 2.0, "E_GPa": 70.0, "Er_GPa": 65.0,
        "S_mN_per_nm": 0.1, "hc_max_nm": 4.0, "A_nm2": 1.3e6, "h_max_nm": 8.0,
        "h_f_nm": 0.14,  # 1.7 % of h_max: an elastic contact springs almost all the way back
    }  # fmt: skip
    op = {
        "H_GPa": 2.1, "E_GPa": 71.0, "Er_GPa": 66.0, "S_mN_per_nm": 0.1, "hc_nm": 3.9,
        "A_nm2": 1.2e6, "h_max_nm": 8.1, "h_f_nm": -0.03,
    }  # fmt: skip
    table = tables.comparison_table(truth, op).set_index("quantity")["error (%)"]
    assert table.dtype == float
    assert math.isnan(table["h_f (nm)"])  # not -121 %
    assert table["H at P_max (GPa)"] == pytest.approx(5.0)
    assert table["h_c (nm)"] == pytest.approx(-2.5)  # a depth well above 5 % of h_max keeps it
    plastic = tables.comparison_table({**truth, "h_f_nm": 5.0}, {**op, "h_f_nm": 5.5})
    assert plastic.set_index("quantity").loc["h_f (nm)", "error (%)"] == pytest.approx(10.0)


def test_elastic_sphere_table_shows_no_percent_error_for_h_f(page):
    # the reviewer's link: ?tip=sphere&sphere_radius_um=50&P_max_mN=0.5 (true h_f ~ 0.14 nm)
    apply(page, {"tip": "sphere", "sphere_radius_um": 50.0, "P_max_mN": 0.5})
    assert math.isnan(table_error(page, "h_f (nm)"))
    assert math.isfinite(table_error(page, "E (GPa)"))
    assert math.isfinite(table_error(page, "h_max (nm)"))


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (
            {"P_max_mN": 0.5, "data_rate_hz": 5.0, "loading_s": 1.0},
            "Loading time loading_s (1 s) × data rate data_rate_hz (5 Hz) gives only 5 points",
        ),
        (
            {"crack_load_mN": 50.0},
            "The crack load crack_load_mN (50 mN) must be below the peak load P_max_mN (10 mN)",
        ),
        (
            {"P_max_mN": 1.0, "popin_load_mN": 2.0},
            "The pop-in load popin_load_mN (2 mN) must be below the peak load P_max_mN (1 mN)",
        ),
    ],
    ids=["few-points", "crack>Pmax", "popin>Pmax"],
)
def test_error_messages_say_the_setting_in_words(page, settings, words):
    apply(page, settings)
    assert page.error and words in page.error[0].value
    assert "cannot be simulated" in page.error[0].value
