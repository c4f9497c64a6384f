"""The "My own data" page, run headless with Streamlit's AppTest.

The page is opened through the entry file (``switch_page``), as the navigation runs it. The
file uploader cannot be driven by AppTest; the browser test uploads a file. Here the data
come from the sample button, the source radio and the paste box.
"""

from __future__ import annotations

import pytest
from apptest_helpers import widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from learners.curve_io import read_table, sample_csv

APP = "../streamlit_app.py"  # AppTest paths are relative to this test file
PAGE = "app_pages/my_data.py"
SAMPLE = {"mydata_source": "Sample data"}
CALIBRATED = {**SAMPLE, "mydata_tip": "calibrated area function"}
WIDGET_TYPES = (
    "radio", "selectbox", "number_input", "slider", "checkbox", "text_area", "button",
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
    ("fit_range", (0.5, 0.95), SAMPLE),
    ("drift_correction", True, SAMPLE),
    ("zero_point_correction", True, SAMPLE),
    ("mydata_plot_curve", "copper", SAMPLE),
    ("mydata_guess_H", 9.0, SAMPLE),
]
#: Widgets changed by a click or tested on their own.
OTHER_WIDGETS = {"mydata_use_sample"}


def _set(at: AppTest, values: dict) -> AppTest:
    """Set each widget (text areas too), one rerun each, and check for no exception."""
    for key, value in values.items():
        if key == "mydata_paste":
            at.text_area(key=key).set_value(value)
        else:
            widget(at, key).set_value(value)
        at.run()
        assert not at.exception, f"{key}={value!r}: {at.exception}"
    return at


def _open(values: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
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
    assert len(sample.get("vega_lite_chart")) == 2  # curve and H-E scatter
    assert sample.get("download_button")


def test_charts_have_unit_bearing_axis_titles(sample):
    curve, scatter = chart_specs(sample)
    assert {"Displacement h (nm)", "Load P (mN)"} <= axis_titles(curve)
    assert {"Young's modulus E (GPa)", "Hardness H (GPa)"} <= axis_titles(scatter)
    # the Oliver-Pharr fit is drawn over the curve
    lines = {str(v) for frame in chart_data(sample)[0].values() for v in frame.get("line", [])}
    assert "power-law fit" in lines


def test_what_to_notice_flags_pileup_and_popin(sample):
    notes = " ".join(info.value for info in sample.info)
    assert "Pile-up is likely" in notes and "copper" in notes
    assert "Pop-ins" in notes and "tungsten" in notes


def test_every_control_has_a_help_text_and_a_test():
    keys = set()
    for preset in (CALIBRATED, {"mydata_source": "Paste columns"}):
        at = _open(preset)
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
    assert len(at.get("vega_lite_chart")) == 1  # one curve: no scatter


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


def test_choices_survive_a_page_switch():
    at = _open({"mydata_source": "Paste columns", "mydata_paste": PASTED, "mydata_nu": 0.17})
    at.switch_page("app_pages/home.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert widget(at, "mydata_source").value == "Paste columns"
    assert at.text_area(key="mydata_paste").value == PASTED
    assert widget(at, "mydata_nu").value == 0.17
    assert "curve 1" in results_table(at).index
