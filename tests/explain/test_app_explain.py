"""The explanation pages, "Why did the model decide?" and "Is it physically meaningful?",
run headless with Streamlit's AppTest.

Every control is changed once (after switching on what it depends on) and the test asserts
that the page still runs and that what the learner sees moved; a completeness test keeps the
list of changes in step with the widgets the pages draw. Small data (100 curves, 1000 LIME
samples) set through the URL, as a shared link would, keep it fast.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import apply, widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from learners import curve_matrix, make_pipeline
from simulator import make_dataset
from ui.explain import widgets

DECIDE = "../../app_pages/explain_decision.py"  # relative to this test file
PHYSICAL = "../../app_pages/is_it_physical.py"
WIDGET_TYPES = ("slider", "select_slider", "number_input", "selectbox", "checkbox", "radio")
#: Small, fast settings, given through the URL.
FAST = {"xp_n": "100", "xp_samples": "1000"}

# (widget key, new value, settings applied first so that the change matters)
SHARED_CHANGES = [
    ("xp_task", "clever_hans", {}),
    ("xp_inputs", "features", {}),
    ("xp_model", "random_forest", {}),
    ("xp_n", 150, {}),
    ("xp_seed", 1, {}),
    ("xp_samples", 200, {}),
    ("xp_kernel", 0.4, {}),
    ("xp_discretize", True, {}),
    ("xp_lime_seed", 3, {}),
    ("xp_k", 1, {}),
]
#: What a change must move ("charts": some chart's data; "texts": verdicts, notes, captions;
#: "tables": the scorecard), where it is more specific than "anything".
MUST_MOVE = {
    "xp_k": "tables",
    "xp_tolerance": "texts",
    "xp_pick": "charts",
    "xp_number": "charts",
    "xp_segments": "charts",
    "xp_windows": "charts",
    "xp_reference": "charts",
    "xp_dependence": "charts",
    "xp_samples": "charts",
    "xp_kernel": "charts",
    "xp_discretize": "charts",
    "xp_lime_seed": "charts",
    "xp_drift": "charts",
    "xp_noise": "charts",
    "xp_tip_radius_nm": "charts",
    "xp_load": "charts",
}
DECIDE_CHANGES = [
    *SHARED_CHANGES,
    ("xp_pick", "confounded", {}),
    ("xp_number", 5, {"xp_pick": "by number"}),
    ("xp_segments", "windows", {}),
    ("xp_windows", 12, {"xp_segments": "windows"}),
    ("xp_reference", "smooth", {}),
    ("xp_dependence", "E_GPa", {}),
]
PHYSICAL_CHANGES = [
    *SHARED_CHANGES,
    ("xp_drift", 0.3, {}),
    ("xp_noise", 20.0, {}),
    ("xp_tip_radius_nm", 300, {}),
    ("xp_load", 0.5, {}),
    ("xp_tolerance", 12, {}),
]
SCENARIOS = ["phase", "popin", "clever_hans", "correlated", "instability"]


#: The checklist needs more held-out curves: on WC-Co 86 % of the indents are WC, and with
#: 25 held-out curves no model's Wilson interval clears that baseline, so (rightly) no item
#: is judged. 300 curves hold out 75.
CHECKLIST_N = {"xp_n": "300"}


def open_page(path: str, **params) -> AppTest:
    at = AppTest.from_file(path, default_timeout=180)
    fast = {**FAST, **CHECKLIST_N} if path == PHYSICAL else FAST
    for key, value in {**fast, **params}.items():
        at.query_params[key] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def fingerprint(at: AppTest) -> dict[str, tuple]:
    """What the learner sees: every chart's data, tables, metrics and texts."""
    charts = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    texts = tuple(
        e.value
        for kind in ("error", "warning", "info", "success", "markdown", "caption")
        for e in at.get(kind)
    )
    return {
        "charts": charts,
        "tables": tuple(t.value.to_csv() for t in at.table),
        "metrics": tuple(m.value for m in at.metric),
        "texts": texts,
    }


def assert_moved(old: dict, new: dict, key: str, value, must_move=MUST_MOVE) -> None:
    assert new != old, f"changing {key} to {value!r} changed nothing"
    part = must_move.get(key)
    if part:
        assert new[part] != old[part], f"changing {key} to {value!r} did not change the {part}"


def drawn_keys(at: AppTest) -> set[str]:
    keys = set()
    for kind in WIDGET_TYPES:
        for w in getattr(at, kind):
            assert w.help, f"{w.key} has no help text"
            keys.add(w.key)
    return keys


@pytest.fixture(scope="module")
def decide() -> AppTest:
    return open_page(DECIDE)


@pytest.fixture(scope="module")
def physical() -> AppTest:
    return open_page(PHYSICAL)


def test_decision_page_loads(decide):
    at = decide
    assert at.title[0].value == "Why did the model decide?"
    assert not at.error
    assert len(at.get("vega_lite_chart")) == 6  # attribution, 2 curves, seeds, importance, PDP
    assert any("What you will learn" in m.value for m in at.markdown)
    assert at.subheader[-1].value.startswith("Exercise")
    assert "top-2 agreement with the truth" in at.table[0].value.index
    assert any(m.value.startswith("**Curve") for m in at.markdown)


def test_decision_charts_have_unit_bearing_axis_titles(decide):
    specs = chart_specs(decide)
    titles = set().union(*(axis_titles(s) for s in specs))
    assert {"Time t (s)", "Displacement h (nm)", "Load P (mN)", "H (GPa)"} <= titles
    assert "Accuracy drop when shuffled (-)" in titles


def test_physical_page_loads(physical):
    at = physical
    assert at.title[0].value == "Is it physically meaningful?"
    assert not at.error
    verdicts = [t for t in (*at.success, *at.warning) if t.value.startswith("**")]
    assert len(verdicts) == 4  # one verdict per checklist item
    assert at.metric[0].value.endswith("of 4")
    assert len(at.get("vega_lite_chart")) == 4


def test_every_control_has_a_help_text_and_a_test():
    decide = apply(open_page(DECIDE), {"xp_pick": "by number", "xp_segments": "windows"})
    assert drawn_keys(decide) == {key for key, _, _ in DECIDE_CHANGES}
    assert drawn_keys(open_page(PHYSICAL)) == {key for key, _, _ in PHYSICAL_CHANGES}


@pytest.mark.parametrize(
    ("key", "value", "before"), DECIDE_CHANGES, ids=[c[0] for c in DECIDE_CHANGES]
)
def test_each_decision_control_changes_the_result(key, value, before):
    at = apply(open_page(DECIDE), before)
    assert not at.error, at.error
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, at.error
    assert_moved(old, fingerprint(at), key, value)
    assert widget(at, key).value == value  # kept


@pytest.mark.parametrize(
    ("key", "value", "before"), PHYSICAL_CHANGES, ids=[c[0] for c in PHYSICAL_CHANGES]
)
def test_each_checklist_control_changes_the_result(key, value, before):
    at = apply(open_page(PHYSICAL), before)
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, at.error
    assert_moved(old, fingerprint(at), key, value, {**MUST_MOVE, "xp_k": "texts"})


@pytest.mark.parametrize("page", [DECIDE, PHYSICAL], ids=["decide", "physical"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_each_scenario_button_sets_the_controls(page, name):
    at = open_page(page)
    old = fingerprint(at)
    at.button(key=f"xp_scenario_{name}").click().run()
    assert not at.exception, at.exception
    assert not at.error, at.error
    assert fingerprint(at)["charts"] != old["charts"]
    for key, value in widgets.SCENARIOS[name][2].items():
        if key in {w.key for kind in WIDGET_TYPES for w in getattr(at, kind)}:
            assert widget(at, key).value == value


def test_clever_hans_scenario_shows_the_shortcut_and_the_exercise_hint():
    at = open_page(DECIDE)
    at.button(key="xp_scenario_clever_hans").click().run()
    assert any("the day of the other class" in m.value for m in at.markdown)
    assert any(w.value.startswith("Not yet") for w in at.warning)  # drift in charge
    card = at.table[0].value["value"]
    assert not card.str.startswith("not credited").any(), card  # a real (shortcut) model
    apply(at, {"xp_inputs": "he"})  # H and E only: no drift to see
    # (on 25 held-out curves the honest model's 4 % signal cannot beat guessing, which the
    # exercise now says first; the drift hint itself must be gone)
    assert not any("drift is still in charge" in w.value for w in at.warning)
    card = at.table[0].value["value"]
    assert card["pointing game: top segment in the truth region"].startswith("not credited")
    assert card["top-2 agreement with the truth"].startswith("not credited")


def test_exercise_done_for_an_honest_clever_hans_model():
    # 800 curves: at 400 the H-and-E model scores 0.53 on its 100 held-out curves (95 %
    # interval 0.43-0.62), no better than guessing; this test used to accept "Done" there,
    # the overclaim issue 14 names. At 800 it scores about 0.65 on 200 (lower bound ~0.58).
    at = open_page(DECIDE, xp_n=800)
    apply(at, {"xp_task": "clever_hans", "xp_inputs": "he"})
    assert any(s.value.startswith("Done") for s in at.success), [w.value for w in at.warning]


def test_checklist_flags_the_clever_hans_shortcut():
    at = open_page(PHYSICAL, xp_n=300)
    at.button(key="xp_scenario_clever_hans").click().run()
    warned = " ".join(w.value for w in at.warning)
    assert "nuisance" in warned  # item 1
    assert "clean test set" in warned  # item 3: it does not extrapolate


def test_physical_exercise_done_for_load_dependent_inputs():
    at = open_page(PHYSICAL, xp_n=300)
    apply(at, {"xp_inputs": "features"})
    assert any(s.value.startswith("Done") for s in at.success), [w.value for w in at.warning]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"xp_pick": "by number", "xp_number": 9999}, "No such curve"),
        ({"xp_task": "popin", "xp_inputs": "features", "xp_pick": "misclassified"}, "every"),
        ({"xp_inputs": "he", "xp_k": 5, "xp_discretize": True, "xp_samples": 50}, None),
    ],
    ids=["number-too-large", "none-misclassified", "k-above-inputs"],
)
def test_bad_inputs_give_a_message_not_a_traceback(settings, message):
    at = apply(open_page(DECIDE), settings)
    assert not at.exception
    if message:
        texts = " ".join(e.value for kind in ("error", "info") for e in at.get(kind))
        assert message in texts
    for key, value in settings.items():  # nothing the learner set is lost
        assert widget(at, key).value == value


def test_checklist_says_which_shifts_the_simulator_cannot_make():
    at = apply(open_page(PHYSICAL), {"xp_task": "popin"})
    assert not at.exception
    notes = " ".join(c.value for c in at.caption)
    assert "not available" in notes and "'quality' task" in notes


def test_settings_carry_over_between_the_pages():
    at = open_page("../../streamlit_app.py")  # the navigation, so that pages can switch
    at.switch_page("app_pages/explain_decision.py").run()
    apply(at, {"xp_task": "clever_hans", "xp_samples": 500})
    at.switch_page("app_pages/is_it_physical.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Is it physically meaningful?"
    assert widget(at, "xp_task").value == "clever_hans"
    assert widget(at, "xp_samples").value == 500


def classify_run() -> SimpleNamespace:
    """A run as "Classify curves" keeps it (ui.supervised.session.Run): data and model
    settings, the evaluation's split, and the fitted pipeline."""
    data = {"task": "material", "n": 80, "seed": 0, "noise": 1.0, "options": {}}
    made = make_dataset(
        "material", 80, seed=0, noise={"load_noise_mN": 5e-4, "depth_noise_nm": 0.2}
    )
    rows = np.arange(80)
    train = rows[rows % 4 != 0]
    pipeline = make_pipeline("op", "logistic").fit(curve_matrix(made)[train], made.y[train])
    frame = pd.DataFrame({"curve": rows, "fold": np.where(rows % 4 == 0, 0, -1)})
    model = {"representation": "op", "model": "logistic", "split": "random"}
    evaluation = SimpleNamespace(split="random", split_frame=frame)
    return SimpleNamespace(
        number=1, data=data, model=model, evaluation=evaluation, pipeline=pipeline
    )


@pytest.mark.parametrize("page", [DECIDE, PHYSICAL], ids=["decide", "physical"])
def test_a_model_from_classify_curves_is_offered(page):
    at = AppTest.from_file(page, default_timeout=180)
    for key, value in FAST.items():
        at.query_params[key] = value
    at.session_state["supervised_runs"] = {"classify": OrderedDict(r1=classify_run())}
    at.run()
    assert not at.exception, at.exception
    source = widget(at, "xp_source")
    assert source.help and len(source.options) == 2
    old = fingerprint(at)
    source.set_value(source.options[1]).run()
    assert not at.exception, at.exception
    assert not at.error, at.error
    assert fingerprint(at)["charts"] != old["charts"]
    assert widget(at, "xp_task").disabled  # the run brings its own task and model
    assert any("Classify curves, run 1" in c.value for c in at.caption)


def test_one_explanation_reruns_fast(decide):
    at = decide
    widget(at, "xp_lime_seed").set_value(11)
    start = time.perf_counter()
    at.run()
    assert not at.exception
    # five LIME seeds, the Lipschitz neighbours and the curve segments on 100 curves
    assert time.perf_counter() - start < 10


def test_scenario_settings_are_valid_widget_values():
    for _, _, settings in widgets.SCENARIOS.values():
        assert set(settings) <= set(widgets.DEFAULTS)
    assert json.dumps(widgets.DEFAULTS)  # plain values, ready for the URL
