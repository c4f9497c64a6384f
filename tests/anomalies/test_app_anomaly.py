"""The "Find bad curves" page, run headless with Streamlit's AppTest.

Every control is moved once (after switching on what it depends on) and the test asserts
that the page still runs and that a chart's data, a table, a metric or a message changed. A
completeness test keeps that list in step with the widgets the page really draws. Bad
inputs must give a message, never a traceback, and keep the learner's settings.
"""

from __future__ import annotations

import json
import time

import pytest
from apptest_helpers import apply, widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from ui.anomalies.charts import SCORE_TITLE

PAGE = "../../app_pages/find_bad_curves.py"  # relative to this test file
WIDGET_TYPES = ("slider", "number_input", "selectbox", "multiselect", "radio", "checkbox")
ALL_TYPES = ["popin", "drift", "surface_offset", "elbow", "crack", "pore"]
ALL_FEATURES = [
    "H_GPa", "E_GPa", "hf_over_hmax", "Wp_over_Wt", "kick_C_GPa", "m", "fit_r2",
    "drift_rate_nm_per_s", "creep_nm", "initial_stiffness_mN_per_nm", "popin_size_nm",
]  # fmt: skip
PCA = {"bad_detector": "pca_residual"}
SCORE_RULE = {"bad_rule": "flag above a score"}

# (widget key, new value, settings applied first so that the change matters)
CHANGES = [
    ("bad_n", 200, {}),
    ("bad_contamination", 20.0, {}),
    ("bad_defects", ["popin", "drift"], {}),
    ("bad_size_scale", 1.5, {}),
    ("bad_rare", 10.0, {}),
    ("bad_seed", 3, {}),
    ("bad_representation", "whole curve", {}),
    ("bad_representation", "curve rate (step to step)", {}),
    ("bad_features", [f for f in ALL_FEATURES if f != "drift_rate_nm_per_s"], {}),
    ("bad_detector", "lof", {}),
    ("bad_detector", "ocsvm", {}),
    ("bad_detector", "elliptic_envelope", {}),
    ("bad_detector", "robust_z", {}),
    ("bad_detector", "pca_residual", {}),
    ("bad_components", 10, PCA),
    ("bad_fit_share", 25.0, {"bad_detector": "ocsvm"}),
    ("bad_rule", "flag above a score", {}),
    ("bad_share", 20.0, {}),
    ("bad_score", 0.45, SCORE_RULE),
    ("bad_inspect", "missed defects (largest first)", {}),
    ("bad_inspect", "false alarms (good curves flagged)", {}),
    ("bad_inspect", "rare but physical", {"bad_rare": 10.0}),
    ("bad_view", "displacement-time h–t", {}),
]


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: every chart's spec and data, the tables, metrics, messages."""
    specs = tuple(json.dumps(spec, sort_keys=True) for spec in chart_specs(at))
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    tables = tuple(df.value.round(9).to_csv() for df in at.dataframe)
    metrics = tuple(m.value for m in at.metric)
    texts = tuple(e.value for kind in ("error", "warning", "info", "success") for e in at.get(kind))
    return specs, data, tables, metrics, texts


def metric(at: AppTest, label: str) -> str:
    """The metric's value without its interval (a rate reads "0.98 ± 0.03")."""
    return next(m.value for m in at.metric if m.label == label).split(" ± ")[0]


def type_table(at: AppTest):
    return at.dataframe[0].value.set_index("defect (truth)")


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page() -> AppTest:
    return open_page()


def test_page_loads_with_default_settings(page):
    assert page.title[0].value == "Find bad curves"
    assert not page.error
    assert len(page.get("vega_lite_chart")) == 3  # histogram, curves, map
    assert {m.label for m in page.metric} >= {"Defects caught", "ROC-AUC", "False alarms"}
    table = type_table(page)
    assert table.loc["all defects", "curves"] == 40  # 10 % of 400
    assert set(table.index) == {"all defects", "pop-in", "thermal drift", "surface not found",
                                "elbow on unloading", "crack", "pore hit"}  # fmt: skip
    assert float(metric(page, "ROC-AUC")) > 0.8
    assert any("Exercise" in h.value for h in page.subheader)


def test_charts_have_unit_bearing_axis_titles(page):
    hist, curves, grid = chart_specs(page)
    assert SCORE_TITLE in axis_titles(hist)
    assert {"Displacement h (nm)", "Load P (mN)"} <= axis_titles(curves)
    assert {"Grid column (index)", "Grid row (index)"} <= axis_titles(grid)
    apply(page, {"bad_view": "displacement-time h–t"})
    assert {"Time t (s)", "Displacement h (nm)"} <= axis_titles(chart_specs(page)[1])


def test_pca_shows_where_in_the_curve_and_which_feature(page):
    apply(page, PCA)
    specs = chart_specs(page)
    assert len(specs) == 4
    assert "Residual (standard deviations)" in axis_titles(specs[2])
    apply(page, {"bad_representation": "curve rate (step to step)"})
    specs = chart_specs(page)
    assert {"Time t (s)", "Residual (-)"} <= axis_titles(specs[2])
    assert "step of h / h_top" in specs[2]["title"]["text"]
    table = type_table(page)
    # the curve rate keeps a pop-in local: its residual peaks inside the truth's points
    assert table.loc["pop-in", "residual peak in truth (%)"] >= 90


def test_every_control_has_a_help_text_and_a_test():
    keys = set()
    for preset in ({}, PCA, SCORE_RULE):
        at = apply(open_page(), preset)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    assert keys == {key for key, _, _ in CHANGES}


@pytest.mark.parametrize(
    ("key", "value", "before"), CHANGES, ids=[f"{c[0]}={c[1]}" for c in CHANGES]
)
def test_each_control_changes_the_result(key, value, before):
    at = apply(open_page(), before)
    assert not at.error, at.error
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, at.error
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"
    assert widget(at, key).value == value


def test_moving_the_threshold_redraws_fast(page):
    apply(page, {"bad_share": 12.0})  # warm: the scores are cached, only the flags move
    start = time.perf_counter()
    apply(page, {"bad_share": 15.0})
    assert time.perf_counter() - start < 3.0


def test_dropping_the_drift_feature_hides_drift(page):
    before = type_table(page).loc["thermal drift", "ROC-AUC"]
    apply(page, {"bad_features": [f for f in ALL_FEATURES if f != "drift_rate_nm_per_s"]})
    assert type_table(page).loc["thermal drift", "ROC-AUC"] < before
    assert any("Drift hides" in i.value for i in page.info)


def test_many_pca_components_model_the_anomalies(page):
    apply(page, {**PCA, "bad_representation": "whole curve"})
    good = float(metric(page, "ROC-AUC"))
    apply(page, {"bad_components": 20})
    assert float(metric(page, "ROC-AUC")) < good - 0.3
    assert any("start to model the anomalies" in i.value for i in page.info)
    if float(metric(page, "ROC-AUC")) < 0.4:
        assert any("Worse than a coin toss" in i.value for i in page.info)


def test_rare_curves_are_counted_apart_and_explained(page):
    apply(page, {"bad_rare": 10.0, "bad_representation": "curve rate (step to step)"})
    assert metric(page, "Rare flagged").endswith("of 40")
    assert int(metric(page, "Rare flagged").split()[0]) > 0
    assert any("Rare is not wrong" in i.value for i in page.info)


def test_exercise_gives_immediate_feedback(page):
    assert any("Set *Defect size*" in i.value for i in page.info)
    apply(page, {"bad_size_scale": 0.15})
    assert any(w.value.startswith("Not yet") for w in page.warning)  # features miss pop-ins
    apply(page, {"bad_representation": "whole curve"})
    assert any(s.value.startswith("Done") for s in page.success)


@pytest.mark.parametrize(
    ("settings", "kind", "says"),
    [
        ({"bad_defects": []}, "error", "Choose at least one defect type"),
        ({"bad_features": []}, "error", "Choose at least one physical feature"),
        ({"bad_contamination": 0.0}, "warning", "No defective curves"),
        ({"bad_size_scale": 0.0}, "warning", "Defect size 0"),
        ({**SCORE_RULE, "bad_score": 1000.0}, "warning", "No curve scores above"),
        ({**SCORE_RULE, "bad_score": -1000.0}, "warning", "Every curve scores above"),
        ({"bad_size_scale": 3.0, "bad_contamination": 40.0, "bad_rare": 20.0}, None, None),
        ({"bad_n": 50, "bad_contamination": 1.0}, None, None),
    ],
    ids=[
        "no-defects",
        "no-features",
        "contamination-0",
        "size-0",
        "score-too-high",
        "score-too-low",
        "extreme-sizes",
        "tiny-campaign",
    ],
)
def test_bad_inputs_give_a_message_not_a_traceback(page, settings, kind, says):
    apply(page, settings)
    assert not page.exception
    if kind is not None:
        assert any(says in e.value for e in page.get(kind)), [e.value for e in page.get(kind)]
    for key, value in settings.items():  # nothing the learner set is lost
        assert widget(page, key).value == value


def test_contamination_zero_still_shows_scores_and_map(page):
    apply(page, {"bad_contamination": 0.0})
    assert len(page.get("vega_lite_chart")) == 3
    assert metric(page, "Defects caught") == "–"
    assert not page.dataframe


def test_the_app_registers_the_page():
    app = AppTest.from_file("../../streamlit_app.py", default_timeout=120).run()
    app.switch_page("app_pages/find_bad_curves.py").run()
    assert not app.exception
    assert app.title[0].value == "Find bad curves"


def test_type_table_shows_a_dash_not_none_for_the_sizes_of_all_defects(page):
    table = type_table(page)
    sizes = ["size caught (median)", "size missed (median)"]
    assert table.loc["all defects", sizes].isna().all()  # numeric columns stay numeric
    assert table.loc["pop-in", sizes].notna().any()
    assert page.dataframe[0].proto.placeholder == "–"  # drawn as a dash, not "None"


def test_exercise_without_defects_asks_for_defective_curves_first():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["bad_contamination"] = "0"
    at.run()
    assert not at.exception, at.exception
    assert widget(at, "bad_contamination").value == 0.0
    hints = [i.value for i in at.info]
    assert any("raise *Defective curves (%)*" in h for h in hints), hints
    assert not any("Set *Defect size*" in h for h in hints)


def test_popins_found_by_the_popin_finder_against_the_truth(page):
    true = int(metric(page, "True pop-ins"))
    found, of = (int(v) for v in metric(page, "Found").split(" of "))
    # the finder, scored on the truth (it misses pop-ins in the first points of the loading)
    assert of == true > 0 and found >= 0.75 * true
    table = page.table[0].value
    assert {"true onset (mN)", "found onset (mN)", "verdict"} <= set(table.columns)
    assert len(table) <= 10  # kept small
    assert "found" in set(table["verdict"])
    assert any("pore collapsing or a crack" in c.value for c in page.caption)
