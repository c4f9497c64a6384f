"""The "My own data" page, run headless with Streamlit's AppTest.

The page is opened through the entry file (``switch_page``), as the navigation runs it. Here
the data come from the sample button, the source radio and the paste box; uploads of every
kind are in ``test_app_my_data_files.py``, the browser test uploads through the real input.
"""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest
from workbook_fixtures import calibration_csv

from learners.reading import read_table, sample_csv, to_curves
from simulator import simulate_curve
from ui.my_data import notes, tables
from ui.my_data.notes import what_to_notice

APP = "../../streamlit_app.py"  # relative to this test file
PAGE = "app_pages/my_data.py"
SAMPLE = {"mydata_source": "Sample data"}
CALIBRATED = {**SAMPLE, "mydata_tip": "calibrated area function"}
SPHERE = {**SAMPLE, "mydata_tip": "spherical tip"}
REAL = {"mydata_source": "Real curves"}
REFERENCE = {"mydata_reference_file": [("silica.csv", calibration_csv(), "text/csv")]}
WIDGET_TYPES = (
    "radio", "selectbox", "number_input", "slider", "checkbox", "text_area", "button",
    "multiselect", "file_uploader",
)  # fmt: skip


def _pasted_fused_silica() -> str:
    """The sample's fused-silica curve as a spreadsheet copies it: tabs, header row."""
    frame = read_table(sample_csv(0)).frame
    rows = frame[frame["curve"] == "fused silica"][["depth_nm", "load_uN"]]
    return rows.to_csv(sep="\t", index=False)


PASTED = _pasted_fused_silica()

# (widget key, new value, settings applied first so that the change matters)
CHANGES = [
    ("mydata_source", "Sample data", {}),
    ("mydata_source", "Paste columns", SAMPLE),
    ("mydata_paste", PASTED, {"mydata_source": "Paste columns"}),
    ("mydata_load", "time_s", SAMPLE),
    ("mydata_displacement", "time_s", SAMPLE),
    ("mydata_time", None, SAMPLE),
    ("mydata_curve", None, SAMPLE),
    ("mydata_load_unit", "mN", SAMPLE),
    ("mydata_displacement_unit", "µm", SAMPLE),
    ("mydata_time_unit", "ms", SAMPLE),
    ("mydata_nu", 0.17, SAMPLE),
    ("mydata_tip", "calibrated area function", SAMPLE),
    ("mydata_C0", 24.0, CALIBRATED),
    ("mydata_C1", 500.0, CALIBRATED),
    ("mydata_C2", 2000.0, CALIBRATED),
    ("mydata_C3", 20000.0, CALIBRATED),
    ("mydata_C4", 50000.0, CALIBRATED),
    ("mydata_C5", 100000.0, CALIBRATED),
    ("fit_range", (0.5, 0.95), SAMPLE),
    ("drift_correction", True, SAMPLE),
    ("zero_point_correction", True, SAMPLE),
    ("creep_correction", True, SAMPLE),
    ("mydata_radius_um", 2.0, SPHERE),
    ("mydata_beta", 1.05, SAMPLE),
    ("mydata_epsilon", 0.72, SAMPLE),
    ("mydata_frame_compliance", 0.5, SAMPLE),
    ("mydata_real", "kla", REAL),
    ("mydata_cycles", [], SAMPLE),
    ("mydata_reference_E", 80.0, REFERENCE),
    ("mydata_reference_nu", 0.2, REFERENCE),
    ("mydata_plot_curve", "copper", SAMPLE),
    ("mydata_guess_H", 9.0, SAMPLE),
]
#: Widgets changed by a click or tested on their own (the uploaders in
#: test_app_my_data_files.py).
OTHER_WIDGETS = {
    "mydata_use_sample", "mydata_forget_file", "mydata_file", "mydata_reference_file",
    "mydata_stiff_file", "mydata_calibration_file", "mydata_ex_show",
}  # fmt: skip
#: A file uploaded earlier in the session (AppTest cannot drive the uploader itself).
UPLOADED = {"name": "my_curves.csv", "data": sample_csv(0).encode("utf-8")}


def _set(at: AppTest, values: dict) -> AppTest:
    """Set each widget (text areas too), one rerun each, and check for no exception."""
    for key, value in values.items():
        if key == "mydata_paste":
            at.text_area(key=key).set_value(value)
        elif key.endswith("_file"):
            at.file_uploader(key=key).set_value(value)
        else:
            widget(at, key).set_value(value)
        at.run()
        assert not at.exception, f"{key}={value!r}: {at.exception}"
    return at


def _open(values: dict | None = None, upload: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if upload is not None:
        at.session_state["mydata_upload"] = upload  # as ui.my_data.session.store_upload keeps it
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return _set(at, values or {})


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: charts' data, tables, metrics, captions and feedback texts."""
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    tables = tuple(frame.value.round(9).to_csv() for frame in at.dataframe)
    texts = tuple(
        e.value
        for kind in ("error", "warning", "info", "success", "caption", "metric")
        for e in at.get(kind)
    )
    return data, tables, texts


def results_table(at: AppTest):
    return next(
        frame.value for frame in at.dataframe if "H (GPa)" in frame.value.columns
    ).set_index("curve")


@pytest.fixture
def sample() -> AppTest:
    at = _open()
    at.button(key="mydata_use_sample").click().run()
    assert not at.exception
    return at


def test_empty_page_says_what_to_do():
    at = _open()
    assert at.title[0].value == "My own data"
    assert not at.error
    assert any("No data yet" in info.value for info in at.info)
    assert not at.get("vega_lite_chart")


def test_sample_button_loads_three_curves(sample):
    assert not sample.error
    assert widget(sample, "mydata_source").value == "Sample data"
    table = results_table(sample)
    assert list(table.index) == ["fused silica", "copper", "tungsten pop-in"]
    assert table["ok"].all()
    assert table.loc["fused silica", "H (GPa)"] == pytest.approx(9.0, rel=0.03)
    assert table.loc["tungsten pop-in", "pop-in load (mN)"] == pytest.approx(1.0, rel=0.05)
    # the guesses: the sample's load is in µN
    assert widget(sample, "mydata_load").value == "load_uN"
    assert widget(sample, "mydata_load_unit").value == "µN"
    assert widget(sample, "mydata_curve").value == "curve"
    # curve, H-E scatter, H and E against depth
    assert len(sample.get("vega_lite_chart")) == 4
    assert sample.get("download_button")


def test_charts_have_unit_bearing_axis_titles(sample):
    curve, scatter, H_depth, E_depth = chart_specs(sample)
    assert {"Contact depth h_c (nm)", "Hardness H (GPa)"} <= axis_titles(H_depth)
    assert {"Contact depth h_c (nm)", "Young's modulus E (GPa)"} <= axis_titles(E_depth)
    assert {"Displacement h (nm)", "Load P (mN)"} <= axis_titles(curve)
    assert {"Young's modulus E (GPa)", "Hardness H (GPa)"} <= axis_titles(scatter)
    # the Oliver-Pharr fit is drawn over the curve
    lines = {str(v) for frame in chart_data(sample)[0].values() for v in frame.get("line", [])}
    assert "power-law fit" in lines


def test_what_to_notice_flags_pileup_and_popin(sample):
    notes = " ".join(info.value for info in sample.info)
    assert "Pile-up is possible" in notes and "copper" in notes
    assert "annealed ones) pile up less" in notes
    assert "Pop-ins" in notes and "tungsten" in notes


def test_every_control_has_a_help_text_and_a_test():
    keys = set()
    for preset, upload in (
        (CALIBRATED, None),
        ({"mydata_source": "Paste columns"}, None),
        ({}, UPLOADED),
        ({**REAL, **REFERENCE}, None),
    ):
        at = _open(preset, upload)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
        for button in at.get("download_button"):
            assert button.proto.help, f"{button.proto.label} has no help text"
    assert keys == {key for key, _, _ in CHANGES} | OTHER_WIDGETS


@pytest.mark.parametrize(("key", "value", "before"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_control_changes_the_result(key, value, before):
    at = _open(before)
    old = fingerprint(at)
    _set(at, {key: value})
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_pasted_columns_are_analysed():
    at = _open({"mydata_source": "Paste columns", "mydata_paste": PASTED})
    assert not at.error
    table = results_table(at)
    assert list(table.index) == ["curve 1"]
    assert table.loc["curve 1", "H (GPa)"] == pytest.approx(9.0, rel=0.03)
    assert len(at.get("vega_lite_chart")) == 3  # one curve: no scatter


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n  ", "text box is empty"),
        ("hello, this is not a table\nsecond line", "No rows of numbers"),
        ("h\tP\n" + "\n".join(f"{i}\t{i * i}" for i in range(50)), "No unloading"),
        ("h\tP\n1\t2\n2\t3\n3\t1\n", "fewer than 20 points"),
    ],
    ids=["empty", "no-numbers", "loading-only", "few-points"],
)
def test_bad_pasted_text_gives_a_message_not_a_traceback(text, message):
    at = _open({"mydata_source": "Paste columns", "mydata_paste": text})
    shown = " ".join(m.value for m in [*at.error, *at.warning])
    assert message in shown
    assert not at.get("vega_lite_chart")


def test_same_column_twice_and_text_column_give_errors(sample):
    _set(sample, {"mydata_displacement": "load_uN"})
    assert "chosen for both load and displacement" in sample.error[0].value
    _set(sample, {"mydata_curve": None, "mydata_displacement": "curve"})
    assert "holds text, not numbers" in sample.error[0].value


def test_wrong_unit_gives_warnings(sample):
    _set(sample, {"mydata_displacement_unit": "µm"})  # the depths are in nm
    warnings = " ".join(w.value for w in sample.warning)
    assert "Is the displacement unit right?" in warnings
    assert "Implausible values" in warnings
    _set(sample, {"mydata_displacement_unit": "nm", "mydata_load_unit": "N"})
    warnings = " ".join(w.value for w in sample.warning)
    assert "Is the load unit right?" in warnings
    assert "could not be analysed" in warnings


def test_bad_area_function_gives_an_error():
    at = _open({**CALIBRATED, "mydata_C0": 0.0})
    assert "C0 must be > 0" in at.error[0].value


def test_exercise_gives_immediate_feedback(sample):
    H = results_table(sample).loc["fused silica", "H (GPa)"]
    _set(sample, {"mydata_guess_H": round(1.05 * H, 2)})
    assert sample.success[0].value.startswith("Right")
    _set(sample, {"mydata_guess_H": 9000.0})
    assert any(w.value.startswith("Not quite") and "1000" in w.value for w in sample.warning)


def test_a_wrong_hardness_gets_hints_and_the_answer_after_three_tries_or_on_request():
    at = _open()
    at.button(key="mydata_use_sample").click().run()
    H = results_table(at).loc["fused silica", "H (GPa)"]
    answer = f"{H:.3g} GPa"

    def feedback(at):
        (text,) = [w.value for w in at.warning if w.value.startswith("Not quite")]
        return text

    _set(at, {"mydata_guess_H": round(1.5 * H, 2)})
    first = feedback(at)
    assert "Too high" in first and answer not in first and "%" not in first.split("(")[0]
    _set(at, {"mydata_guess_H": round(1.4 * H, 2)})
    second = feedback(at)
    assert "Sharper hint" in second and answer not in second
    _set(at, {"mydata_guess_H": round(0.5 * H, 2)})  # the third wrong try: the answer
    assert f"The answer: P_max / (24.5 h_c²) = {answer}" in feedback(at)
    at = _open()
    at.button(key="mydata_use_sample").click().run()
    _set(at, {"mydata_guess_H": round(1.5 * H, 2)})
    assert answer not in feedback(at)
    at.button(key="mydata_ex_show").click().run()  # on request
    assert answer in feedback(at)


def test_choices_survive_a_page_switch():
    at = _open({"mydata_source": "Paste columns", "mydata_paste": PASTED, "mydata_nu": 0.17})
    at.switch_page("app_pages/home.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert widget(at, "mydata_source").value == "Paste columns"
    assert at.text_area(key="mydata_paste").value == PASTED
    assert widget(at, "mydata_nu").value == 0.17
    assert "curve 1" in results_table(at).index


def test_exercise_checks_the_ideal_berkovich_answer_with_a_calibrated_tip():
    # a blunt tip's calibration: the table's H is far from P_max / (24.5 h_c²)
    at = _open({**CALIBRATED, "mydata_C1": 2000.0})
    row = results_table(at).loc["fused silica"]
    answer = 1e6 * row["P_max (mN)"] / (24.5 * row["h_c (nm)"] ** 2)
    assert abs(row["H (GPa)"] / answer - 1) > 0.15  # the calibration matters here
    assert any("calibrated area function is on" in c.value for c in at.caption)
    _set(at, {"mydata_guess_H": round(answer, 2)})
    assert at.success and at.success[0].value.startswith("Right")
    _set(at, {"mydata_guess_H": round(row["H (GPa)"], 2)})
    assert not at.success


def test_a_negative_guess_gets_no_factor_1000_hint(sample):
    _set(sample, {"mydata_guess_H": -9.0})
    feedback = [w.value for w in sample.warning if w.value.startswith("Not quite")]
    assert len(feedback) == 1
    assert "positive" in feedback[0] and "1000" not in feedback[0]
    _set(sample, {"mydata_guess_H": 0.0})
    feedback = [w.value for w in sample.warning if w.value.startswith("Not quite")]
    assert "positive" in feedback[0] and "1000" not in feedback[0]


def test_privacy_note_says_where_the_data_go():
    at = _open()
    texts = " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption)])
    assert "sent to this app's server" in texts and "never written to disk" in texts
    assert "stay in your browser" not in texts and "not stored" not in texts


def test_the_sample_is_not_averaged_over_its_three_materials(sample):
    labels = [m.label for m in sample.metric]
    assert labels == ["Curves", "Analysed"]  # no mean H or E over three materials
    infos = " ".join(i.value for i in sample.info)
    assert "three different materials" in infos
    assert "sample holds different materials on purpose" in infos


def test_own_data_get_the_mean_with_a_scatter_note_on_different_samples():
    # curves like the sample's (another seed) pasted as one's own: the mean, with a caveat
    at = _open({"mydata_source": "Paste columns", "mydata_paste": sample_csv(1)})
    labels = [m.label for m in at.metric]
    assert "Mean H ± sd (GPa)" in labels
    infos = " ".join(i.value for i in at.info)
    assert "or different samples in one file" in infos


def _pasted_without_drift_hold() -> str:
    c = simulate_curve(material="fused silica", protocol={"drift_hold_s": 0.0}, seed=2)
    frame = pd.DataFrame({"time_s": c.t_s, "depth_nm": c.h_nm, "load_mN": c.P_mN})
    return frame.to_csv(sep="\t", index=False, float_format="%.6f")


def test_drift_correction_without_a_hold_is_reported_not_claimed():
    at = _open({"mydata_source": "Paste columns", "mydata_paste": _pasted_without_drift_hold()})
    assert widget(at, "mydata_time").value == "time_s"
    _set(at, {"drift_correction": True})
    warnings = " ".join(w.value for w in at.warning)
    assert "Thermal drift could not be measured on 1 curve" in warnings
    assert "no hold at low load" in warnings
    summary = next(c.value for c in at.caption if "analysed with" in c.value)
    assert "thermal drift" not in summary
    # with a hold (the sample), the correction is applied and said so
    sample = _open({**SAMPLE, "drift_correction": True})
    assert not any("could not be measured" in w.value for w in sample.warning)
    summary = next(c.value for c in sample.caption if "analysed with" in c.value)
    assert "corrected: thermal drift" in summary


def test_a_file_uploaded_earlier_is_named_and_can_be_forgotten():
    at = _open({}, UPLOADED)
    assert [m.label for m in at.metric] == ["Curves", "Analysed"]  # the sample file, uploaded
    assert any("Analysing **my_curves.csv** (uploaded earlier)" in c.value for c in at.caption)
    assert list(results_table(at).index) == ["fused silica", "copper", "tungsten pop-in"]
    at.button(key="mydata_forget_file").click().run()
    assert not at.exception
    assert any("No data yet" in info.value for info in at.info)
    assert "mydata_upload" not in at.session_state


def test_settings_summary_formats_coefficients_cleanly():
    curves = to_curves(read_table(sample_csv(0)).frame, load="load_uN", displacement="depth_nm")
    options = {
        "nu": 0.17,
        "area": (24.5, 1.5e-5, -200.0, 0.0, 3e6, -1e-9),
        "fit_range": (0.2, 0.95),
        "drift_correction": False,
        "zero_point_correction": False,
    }
    text = notes.settings_summary(options, curves)
    assert "A = 24.5 h_c² + 1.5×10⁻⁵ h_c − 200 h_c^½ + 3×10⁶ h_c^⅛ − 10⁻⁹ h_c^1/16" in text
    assert "e−" not in text and "e-" not in text


def test_notes_on_implausible_values_and_exponents_read_right():
    names = ["gel", "odd"]
    features = pd.DataFrame(
        {
            "ok": [True, True],
            "reason": ["", ""],
            "H_GPa": [0.0001, 5.0],
            "E_GPa": [0.005, 100.0],
            "m": [1.4, 1.7],
            "hf_over_hmax": [0.5, 0.5],
            "popin_load_mN": [float("nan")] * 2,
            "popin_size_nm": [float("nan")] * 2,
            "creep_nm": [0.0, 0.0],
            "h_max_nm": [100.0, 100.0],
        }
    )
    notes = " ".join(text for _, text in what_to_notice(names, features))
    assert "No known material" not in notes
    assert "Softer than rubber" in notes and "unless this is a gel or an elastomer" in notes
    assert "1.25 and 1.51" in notes and "leaves a margin" in notes


def test_implausible_values_of_one_curve_give_one_value_not_a_range():
    features = pd.DataFrame(
        {
            "ok": [True], "reason": [""], "H_GPa": [5.39e-9], "E_GPa": [-0.0],
            "m": [1.5], "hf_over_hmax": [0.5], "popin_load_mN": [float("nan")],
            "popin_size_nm": [float("nan")], "creep_nm": [0.0], "h_max_nm": [100.0],
        }
    )  # fmt: skip
    notes = " ".join(text for _, text in what_to_notice(["absurd"], features))
    assert "(H = 5.39e-09 GPa, E = 0 GPa)" in notes, notes
    assert "from 5.39e-09 to 5.39e-09" not in notes
    assert tables.value_range("H", [1.0, 2.345], "GPa") == "H from 1 to 2.35 GPa"


def test_the_sample_says_one_poisson_ratio_is_used_and_fused_silica_needs_0_17(sample):
    note = next(i.value for i in sample.info if "three different materials" in i.value)
    assert "One Poisson's ratio ν (now 0.30) is used for all curves" in note
    assert "fused silica's is 0.17" in note and "E ≈ 72 GPa" in note
    assert results_table(sample).loc["fused silica", "E (GPa)"] < 70  # ν = 0.30: too low
    _set(sample, {"mydata_nu": 0.17})
    assert results_table(sample).loc["fused silica", "E (GPa)"] == pytest.approx(72, abs=1)
    assert "(now 0.17)" in next(i.value for i in sample.info if "Poisson" in i.value)
