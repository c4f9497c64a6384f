"""The entry file and the home page, run headless with Streamlit's AppTest."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from ui.classroom import tables
from ui.common import exercises

APP = "../../streamlit_app.py"  # relative to this test file


@pytest.fixture
def home() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_home_loads_without_exception(home):
    assert not home.exception
    assert not home.error
    assert home.title[0].value == "IndentLab"


def test_home_lists_learning_path_and_outcomes(home):
    text = " ".join(m.value for m in home.markdown)
    for page in ("What a model sees", "Property maps", "Find the phases", "Classify curves",
                 "Predict properties", "Find bad curves", "Explain", "My own data"):  # fmt: skip
        assert page in text
    assert text.count("| coming |") == 0
    assert text.count(tables.OPEN) == len(exercises.EXERCISES)  # nothing tried yet
    assert "physically meaningful and defensible" in text
    assert "explainable ML" in text


def test_every_learning_outcome_is_checked_by_some_page(home):
    (table,) = [m.value for m in home.markdown if m.value.startswith("| step | page |")]
    header, _, *rows = [line.strip("|").split("|") for line in table.splitlines()]
    column = [c.strip() for c in header].index("outcomes")
    cells = {row[1].strip("* "): row[column].strip() for row in rows}
    assert len(cells) == 9 and all(cells.values())  # every page says it, "–" for none
    covered = {int(n) for cell in cells.values() if cell != "–" for n in cell.split(",")}
    assert covered == {1, 2, 3, 4, 5}
    assert cells["Find bad curves"] == "3"  # anomaly detection is a workflow choice
    assert "4" in cells["Why did the model decide? and Is it physically meaningful?"]


def test_primer_sketch_is_a_labelled_simulated_curve(home):
    (spec,) = chart_specs(home)
    assert {"Displacement h (nm)", "Load P (mN)"} <= axis_titles(spec)
    frames = pd.concat(chart_data(home)[0].values(), ignore_index=True)
    labels = set(frames.get("label", pd.Series(dtype=str)).dropna())
    assert {"h_max", "h_f", "h_c", "S = dP/dh", "W_e", "W_p", "P_max"} <= labels
    assert {"loading", "unloading"} <= set(frames["segment"].dropna())
    assert set(frames["work"].dropna()) == {"W_p (plastic)", "W_e (elastic)"}


def test_primer_states_oliver_pharr_formulas(home):
    latex = " ".join(m.value for m in home.latex)
    for piece in (r"\alpha\,(h - h_f)^m", r"h_c = h_{max}", r"H = \frac{P_{max}}{A}"):
        assert piece in latex


def test_navigation_reaches_the_curve_page(home):
    home.switch_page("app_pages/indentation_curve.py").run()
    assert not home.exception
    assert home.title[0].value == "Indentation curve"
