"""The "Classify curves" and "Predict properties" pages, run headless with Streamlit's AppTest.

Each page is opened with a small dataset (URL parameters, as a shared link would set them)
and trains once on its own. Every control is then changed once, after the settings it
depends on, followed by a press of "Train" where the control is a setting of the data or the
model, and the test asserts that the charts' data, a metric, a table or a message changed.
Completeness tests keep the lists of changes in step with the widgets the pages draw. Bad
input must give a message, never a traceback, and keep every setting; trained runs stay in
the session.
"""

from __future__ import annotations

import json

import pytest
from apptest_helpers import widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from ui.supervised import options, tables

CLASSIFY = "../../app_pages/classify_curves.py"  # relative to this test file
PREDICT = "../../app_pages/predict_properties.py"
#: Small datasets for speed (URL values); 10 µm blocks give a 64-indent map 9 blocks.
CLS_SMALL = {"cls_n": "60", "cls_block_um": "10"}
PROP_SMALL = {"prop_n": "60"}
WIDGET_TYPES = (
    "slider", "select_slider", "number_input", "selectbox", "multiselect", "radio",
    "checkbox", "toggle", "button",
)  # fmt: skip
#: Controls that only change the view: no "Train" needed after them.
VIEW_ONLY = {"cls_wrong_curve", "cls_axes", "prop_guess", "prop_guess_show"}
QUALITY = {"cls_task": "quality"}  # many wrong curves with the default Oliver-Pharr H and E
SECOND = object()  # marker: "the second misclassified curve in the list"

# (widget key, new value, settings applied first so that the change matters)
CLS_CHANGES = [
    ("cls_task", "material", {}),
    ("cls_n", 80, {}),
    ("cls_noise", 4.0, {}),
    ("cls_seed", 3, {}),
    ("cls_preset", "WC-Co hardmetal", {}),
    ("cls_spacing_um", 2.0, {}),
    ("cls_block_um", 15.0, {"cls_auto_blocks": False}),
    ("cls_tip_wear", 50.0, {}),
    ("cls_chip_nm", 200.0, {}),
    ("cls_drift_wander", 0.5, {}),
    ("cls_days", 2, {}),
    ("cls_auto_blocks", False, {}),
    ("cls_buffer_um", 3.0, {"cls_auto_blocks": False}),
    ("cls_materials", ["aluminium", "tungsten"], {"cls_task": "material"}),
    ("cls_scatter_pct", 25.0, {"cls_task": "material"}),
    ("cls_imbalance", 6.0, {"cls_task": "material"}),
    ("cls_defects", ["popin", "drift"], QUALITY),
    ("cls_defect_rate_pct", 30, QUALITY),
    ("cls_size_scale", 0.3, QUALITY),
    ("cls_label_mode", "binary", QUALITY),
    ("cls_signal_pct", 12.0, {"cls_task": "confounded"}),
    ("cls_confound_pct", 60, {"cls_task": "confounded"}),
    ("cls_representation", "features", {}),
    ("cls_features", ["H_GPa", "Wp_over_Wt"], {"cls_representation": "features"}),
    ("cls_branches", ["loading"], {"cls_representation": "curve"}),
    ("cls_components", 2, {"cls_representation": "pca"}),
    ("cls_model", "knn", {}),
    ("cls_split", "random", {}),
    ("cls_test_pct", 50, {"cls_split": "random"}),
    ("cls_folds", 3, {}),
    ("cls_wrong_curve", SECOND, QUALITY),
    ("cls_axes", options.MISCLASSIFIED_AXES[1], QUALITY),
    ("cls_more_maps_n", 6, {"cls_more_maps_n": 4, "cls_more_maps_go": True}),
]
PROP_CHANGES = [
    ("prop_n", 80, {}),
    ("prop_noise", 4.0, {}),
    ("prop_seed", 2, {}),
    ("prop_E_range", (100.0, 300.0), {}),
    ("prop_ratio_range", (20.0, 200.0), {}),
    ("prop_pileup", False, {}),
    ("prop_pileup_max_pct", 20, {}),
    ("prop_representation", "op", {}),
    ("prop_model", "knn", {}),
    ("prop_split", "random", {}),
    ("prop_test_pct", 50, {"prop_split": "random"}),
    ("prop_folds", 3, {}),
    ("prop_scenario", "softer", {"prop_guess": "Oliver-Pharr"}),
    ("prop_guess", "Oliver-Pharr", {}),
    ("prop_guess_show", True, {}),
]


def open_page(page: str, **params) -> AppTest:
    """The page with a small dataset and URL parameters; it trains on the first run."""
    at = AppTest.from_file(page, default_timeout=120)
    small = CLS_SMALL if page == CLASSIFY else PROP_SMALL
    for key, value in (small | params).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def apply(at: AppTest, values: dict) -> AppTest:
    """Set each widget in ``values`` (in order, one rerun each) and return the app."""
    for key, value in values.items():
        w = widget(at, key)
        if value is SECOND:  # "curve 37: true drift → ...": the option's value is 37
            value = int(w.options[1].split(":")[0].removeprefix("curve "))
        w.set_value(value)
        at.run()
        assert not at.exception, f"{key}={value!r}: {at.exception}"
    return at


def train(at: AppTest) -> AppTest:
    """Press the page's Train button."""
    key = "cls_train" if any(b.key == "cls_train" for b in at.button) else "prop_train"
    widget(at, key).click()
    at.run()
    assert not at.exception, at.exception
    return at


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: charts (data and encodings), metrics, tables, texts (not the
    timings)."""
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    specs = tuple(json.dumps(spec, sort_keys=True) for spec in chart_specs(at))
    metrics = tuple((m.label, m.value) for m in at.metric)
    tables = tuple(
        t.value.round(9).to_csv() for t in at.dataframe if "trained in (s)" not in t.value
    )
    texts = tuple(
        e.value
        for kind in ("error", "warning", "info", "success", "markdown")
        for e in at.get(kind)
    )
    return data, specs, metrics, tables, texts


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def metric(at: AppTest, label: str) -> float:
    """The metric's value (its first number: a score reads "0.991 ± 0.012")."""
    return float(next(m.value for m in at.metric if m.label == label).split(" ")[0])


def runs(at: AppTest, page: str) -> list:
    return list(at.session_state["supervised_runs"][page].values())


# --- Classify curves ------------------------------------------------------------------------


@pytest.fixture
def classify() -> AppTest:
    return open_page(CLASSIFY)


def test_classify_trains_on_the_defaults_and_shows_every_section():
    at = AppTest.from_file(CLASSIFY, default_timeout=120).run()  # the real defaults
    assert not at.exception and not at.error, texts(at, "error")
    assert at.title[0].value == "Classify curves"
    assert metric(at, "Accuracy") > 0.95  # phases of dual-phase steel from H and E
    headers = {h.value for h in at.header}
    assert {"Your data", "Scores on held-out curves", "Learning curve", "Misclassified curves",
            "Random against spatially blocked cross-validation"} <= headers  # fmt: skip
    (run,) = runs(at, "classify")
    assert run.data == options.default_data("phase")  # the bench times these settings
    assert run.model == options.default_model("classify")
    assert run.inputs == ["H_GPa", "E_GPa"] and hasattr(run.pipeline, "predict")
    # the measured random-vs-buffered gap beside its null, and the positive control
    infos = texts(at, "info")
    assert any(t.startswith("**buffered spatial blocks: random k-fold minus") for t in infos)
    assert any(t.startswith("**Positive control") for t in infos)
    result = run.extras["leakage"].value
    control = result.control.row("buffered")
    assert control["gap"] > 0.05  # stage position leaks through neighbours
    assert abs(result.model.row("buffered")["gap"]) < 0.05  # curve features barely do
    # the page's default buffer holds, and the control falls to chance under it
    assert result.nearest_um >= result.blocks.buffer_um > 0
    assert control["blocked"] <= result.control.baseline + 2 * control["blocked_se"]


def test_classify_charts_have_unit_bearing_titles(classify):
    titles = set().union(*(axis_titles(spec) for spec in chart_specs(classify)))
    assert {"x (µm)", "y (µm)", "Curves (count)", "Load P (mN)", "Displacement h (nm)",
            "Predicted class", "True class", "Training curves (count)",
            "Accuracy (fraction)", "False-positive rate (fraction)", "Recall (fraction)",
            "Precision (fraction)"} <= titles  # fmt: skip


def _classify_widget_keys() -> set[str]:
    keys = set()
    presets = [
        {"cls_representation": "features", "cls_split": "random"},
        {"cls_task": "material", "cls_representation": "curve"},
        {"cls_task": "quality", "cls_representation": "pca"},
        {"cls_task": "confounded"},
    ]
    for preset in presets:
        at = apply(open_page(CLASSIFY), preset)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    return keys


def test_every_classify_control_has_a_help_text_and_a_test():
    expected = {k for k, _, _ in CLS_CHANGES} | {"cls_train", "cls_more_maps_go"}
    assert _classify_widget_keys() == expected


@pytest.mark.parametrize(("key", "value", "before"), CLS_CHANGES, ids=[c[0] for c in CLS_CHANGES])
def test_each_classify_control_changes_the_result(key, value, before):
    at = apply(open_page(CLASSIFY), before)
    if before:
        train(at)
    assert not at.error, texts(at, "error")
    old = fingerprint(at)
    apply(at, {key: value})
    if key not in VIEW_ONLY:
        train(at)
    assert not at.error, texts(at, "error")
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_changed_settings_keep_the_last_run_until_train(classify):
    apply(classify, {"cls_model": "knn"})
    (warning,) = texts(classify, "warning")
    assert (
        warning.startswith("**Settings changed since run #1**")
        and "model: logistic → knn" in warning
    )
    assert classify.metric  # run #1 is still shown
    train(classify)
    assert not classify.warning and len(runs(classify, "classify")) == 2
    apply(classify, {"cls_model": "logistic"})  # back to run #1's settings: no Train needed
    assert not classify.warning
    assert "#1 (shown)" in set(classify.dataframe[-1].value["run"])


def test_clever_hans_exercise_needs_the_shortcut_seen_and_then_beaten():
    at = open_page(CLASSIFY, cls_n="300")
    apply(at, {"cls_task": "confounded", "cls_representation": "features"})
    train(at)
    hint = texts(at, "warning")[-1]
    assert hint.startswith("**That is Clever Hans"), hint
    scores = tables.clever_hans_scores(runs(at, "classify")[-1].extras)
    random_acc, clean_acc = scores["accuracy"]
    assert random_acc > clean_acc + 0.2  # flattered by the drift shortcut
    apply(at, {"cls_representation": "op"})  # the physics-based contrast
    train(at)
    assert texts(at, "success")[-1].startswith("**Right: clean-test accuracy"), texts(at, "info")
    labels = widget(at, "cls_representation").options
    assert options.OP_CONTRAST_LABEL in labels  # op is labelled as the contrast here


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"cls_task": "material", "cls_materials": ["nickel"]}, "two materials"),
        ({"cls_task": "quality", "cls_defects": []}, "one defect type"),
        ({"cls_representation": "features", "cls_features": []}, "one feature"),
        ({"cls_representation": "curve", "cls_branches": []}, "one part of the curve"),
        ({"cls_representation": "pca", "cls_branches": ["hold"], "cls_components": 16},
         "n_components must lie"),
        ({"cls_task": "material", "cls_split": "spatial"}, "spatial blocks"),
        ({"cls_task": "quality", "cls_split": "group"}, "needs dataset.groups"),
        ({"cls_split": "clean_test"}, "clean test set"),
        ({"cls_block_um": 30.0, "cls_split": "spatial"}, "more than the"),
    ],
    ids=["one-material", "no-defects", "no-features", "no-branches", "too-many-pcs",
         "spatial-off-map", "no-groups", "no-clean-set", "too-few-blocks"],
)  # fmt: skip
def test_bad_classify_input_gives_a_message_not_a_traceback(settings, message):
    at = apply(open_page(CLASSIFY), settings)
    train(at) if any(b.key == "cls_train" for b in at.button) else None
    assert not at.exception
    assert at.error and message in at.error[0].value, texts(at, "error")
    for key, value in settings.items():  # nothing the learner set is lost
        assert widget(at, key).value == value


def test_a_model_that_cannot_fit_so_few_curves_says_so():
    # 40 curves of 7 classes, half held out: the SVM's internal 5-fold calibration needs
    # at least 5 training curves of every class.
    at = apply(
        open_page(CLASSIFY, cls_n="40"),
        {"cls_task": "quality", "cls_model": "svm", "cls_split": "random", "cls_test_pct": 50},
    )
    train(at)
    assert not at.exception
    assert at.error and "cannot be trained" in at.error[0].value


def test_settings_and_runs_survive_reruns(classify):
    apply(classify, {"cls_task": "quality", "cls_representation": "features"})
    train(classify)
    at = apply(classify, {"cls_task": "confounded"})
    assert widget(at, "cls_representation").value == "features"  # relabelled, not reset
    at.run()
    assert len(runs(at, "classify")) == 2


# --- Predict properties -----------------------------------------------------------------------


@pytest.fixture
def predict() -> AppTest:
    return open_page(PREDICT)


def test_predict_trains_on_the_defaults_and_compares_with_oliver_pharr():
    at = AppTest.from_file(PREDICT, default_timeout=120).run()
    assert not at.exception and not at.error, texts(at, "error")
    (run,) = runs(at, "properties")
    assert run.data == options.default_data("properties")
    assert run.model == options.default_model("properties")
    scores = next(t.value for t in at.dataframe if "R²" in t.value).set_index(
        ["quantity", "method"]
    )
    assert scores.loc[("H (GPa)", "ML model"), "R²"] > 0.95
    pileup = next(t.value for t in at.dataframe if "median |error| of H (%)" in t.value)
    piled = pileup[pileup["curves"] == "pile-up ≥ 5 %"].set_index("method")
    column = "median |error| of H (%)"
    assert piled.loc["ML model", column] < piled.loc["Oliver-Pharr", column]
    assert any("Make your guess" in t for t in texts(at, "info"))
    apply(at, {"prop_guess": "Oliver-Pharr"})
    assert texts(at, "success")[0].startswith("Right: Oliver-Pharr")
    check = run.extras["out_of_range"].value
    assert check.error("out_of_range", "ML") > 5 * check.error("out_of_range", "Oliver-Pharr")
    assert any("E/H from 40 to 150" in m.value for m in at.markdown)  # the ranges stated


def test_predict_charts_have_unit_bearing_titles(predict):
    apply(predict, {"prop_guess": "the ML model"})
    predict.button(key="prop_guess_show").click().run()
    titles = set().union(*(axis_titles(spec) for spec in chart_specs(predict)))
    assert {"True E (GPa)", "True H (GPa)", "ML model: H (GPa)", "Oliver-Pharr: E (GPa)",
            "Largest depth h_max (nm)", "Median |error| of H (%, log)", "E/H (ratio, truth)",
            "Error of E (%)"} <= titles  # fmt: skip
    assert texts(predict, "warning")[0].startswith("Not this time")


def test_the_guess_gives_graded_hints_and_the_answer_after_two_tries_or_on_request():
    at = open_page(PREDICT)
    out_of_range = "inside and outside the training range"

    def shown(at):
        return any(out_of_range in json.dumps(spec) for spec in chart_specs(at))

    apply(at, {"prop_guess": "the ML model"})  # wrong at these settings: Oliver-Pharr is
    (first,) = [w for w in texts(at, "warning") if w.startswith("Not this")]
    assert first.startswith("Not this one") and "Hint:" in first
    assert "measured median H error" not in first and "Oliver-Pharr (" not in first
    assert not shown(at) and not at.success
    apply(at, {"prop_guess": "about the same"})  # the second wrong try: sharper, then answer
    (second,) = [w for w in texts(at, "warning") if w.startswith("Not this")]
    assert second.startswith("Not this time: Oliver-Pharr") and "measured median" in second
    assert shown(at)
    at = open_page(PREDICT)
    apply(at, {"prop_guess": "the ML model"})
    assert not shown(at)
    at.button(key="prop_guess_show").click().run()  # on request
    assert any(w.startswith("Not this time: Oliver-Pharr") for w in texts(at, "warning"))
    assert shown(at)
    apply(at, {"prop_guess": "Oliver-Pharr"})
    assert texts(at, "success")[0].startswith("Right: Oliver-Pharr")


def test_every_predict_control_has_a_help_text_and_a_test():
    keys = set()
    for preset in ({"prop_split": "random"}, {}):
        at = apply(open_page(PREDICT), preset)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    assert keys == {k for k, _, _ in PROP_CHANGES} | {"prop_train"}


@pytest.mark.parametrize(("key", "value", "before"), PROP_CHANGES, ids=[c[0] for c in PROP_CHANGES])
def test_each_predict_control_changes_the_result(key, value, before):
    at = apply(open_page(PREDICT), before)
    if before and set(before) - VIEW_ONLY:
        train(at)
    old = fingerprint(at)
    apply(at, {key: value})
    if key not in VIEW_ONLY:
        train(at)
    assert not at.error, texts(at, "error")
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_pileup_off_is_noted(predict):
    apply(predict, {"prop_pileup": False})
    train(predict)
    assert any(t.startswith("**Pile-up is off") for t in texts(predict, "info"))
    assert widget(predict, "prop_pileup_max_pct").proto.disabled


@pytest.mark.parametrize(
    "settings",
    [{"prop_E_range": (300.0, 300.0)}, {"prop_ratio_range": (50.0, 50.0)}],
    ids=["E-range-empty", "ratio-range-empty"],
)
def test_bad_predict_input_gives_a_message_not_a_traceback(predict, settings):
    apply(predict, settings)
    assert not predict.exception
    assert predict.error and "cannot be simulated" in predict.error[0].value
    for key, value in settings.items():
        assert tuple(widget(predict, key).value) == value


def test_classify_warns_when_a_class_has_fewer_curves_than_folds():
    at = open_page(
        CLASSIFY,
        cls_task="Material from curve",  # the URL holds the shown label
        cls_n="40",
        cls_imbalance="20",
        cls_folds="10",
    )
    (warning,) = [w for w in texts(at, "warning") if w.startswith("**Too few curves")]
    assert "tungsten (1 curve)" in warning and "ferrite (2 curves)" in warning
    assert "10 folds" in warning and "fewer *Folds k*" in warning
    apply(at, {"cls_imbalance": 1.0, "cls_folds": 3, "cls_n": 100})
    assert not any(w.startswith("**Too few curves") for w in texts(at, "warning"))


def _headings_in_order(node) -> list[str]:
    """The page's headers and subheaders, in the order the page draws them."""
    found = []
    for child in getattr(node, "children", {}).values():
        if child.type in ("header", "subheader"):
            found.append(child.value)
        found += _headings_in_order(child)
    return found


def test_predict_shows_what_to_notice_before_the_exercise(predict):
    headings = _headings_in_order(predict.main)
    exercise = next(i for i, h in enumerate(headings) if h.startswith("Exercise"))
    assert headings.index("What to notice") < headings.index("Outside the training range")
    assert headings.index("What to notice") < exercise, headings


def test_leakage_on_independent_maps_is_measured_on_request_and_kept_until_settings_change():
    at = open_page(CLASSIFY, cls_days="3", cls_tip_wear="50.0", cls_more_maps_n="4")
    assert any(c.value.startswith("Not measured yet") for c in at.caption)
    widget(at, "cls_more_maps_go").click()
    at.run()
    assert not at.exception and not at.error, at.exception
    (table,) = [t.value for t in at.dataframe if "maps leaking alone" in t.value]
    assert list(table["split"]) == ["buffered spatial blocks", "one day left out"]
    assert (table["maps"] == 4).all() and (table["± leakage"] > 0).all()
    infos = texts(at, "info")
    assert any(t.startswith("**one day left out, 4 maps: leakage") for t in infos)
    assert any(s["title"]["text"] == "Leakage on each map and over the maps"
               for s in chart_specs(at) if isinstance(s.get("title"), dict))  # fmt: skip
    at.run()  # a plain rerun keeps it
    assert any("maps leaking alone" in t.value for t in at.dataframe)
    apply(at, {"cls_more_maps_n": 6})  # another request: not measured until asked
    assert not any("maps leaking alone" in t.value for t in at.dataframe)
    assert any(c.value.startswith("Not measured yet") for c in at.caption)


def test_measurements_at_two_wear_rates_draw_the_leakage_against_the_wear():
    at = open_page(CLASSIFY, cls_days="3", cls_more_maps_n="4")
    widget(at, "cls_more_maps_go").click()
    at.run()
    assert any(c.value.startswith("Measure again at another tip-wear rate") for c in at.caption)
    apply(at, {"cls_tip_wear": 50.0})
    train(at)
    widget(at, "cls_more_maps_go").click()
    at.run()
    assert not at.exception and not at.error, at.exception
    title = "Your measurements: leakage against the tip wear"
    (spec,) = [s for s in chart_specs(at) if title in json.dumps(s.get("title", ""))]
    (frame,) = [f for c in chart_data(at) for f in c.values() if "wear" in f and "low" in f] or [
        None
    ]
    assert sorted(frame["wear"].unique()) == [0.0, 50.0]
    assert set(frame["split"]) == {"buffered spatial blocks", "one day left out"}
    assert (frame["high"] > frame["low"]).all()
