"""The "What a model sees" page, run headless with Streamlit's AppTest.

The page is opened through the entry file and ``switch_page`` (as the navigation does).
Every control is changed once (after the settings it depends on) and the test asserts that
the charts' data, a table or a message changed; a completeness test keeps that list in step
with the widgets the page draws. Bad input must give a message, never a traceback.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import WIDGET_KINDS, apply, widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

from learners.supervised.separability import check_pair, pair_scores
from ui.model_sees import exercise, tables
from ui.model_sees.widgets import FEATURE_LABELS

APP = "../../streamlit_app.py"  # relative to this test file
PAGE = "app_pages/what_a_model_sees.py"

# (widget key, new value, settings applied first so that the change matters)
CHANGES = [
    ("sees_task", "material", {}),
    ("sees_n", 100, {}),
    ("sees_seed", 3, {}),
    ("sees_x", "popin_size_nm", {}),
    ("sees_y", "Wp_over_Wt", {}),
    ("sees_grid", "depth", {}),
    ("sees_branches", ["loading", "unloading"], {}),
    ("sees_heat", "standardised", {}),
    ("sees_components", 3, {}),
    ("sees_model", "random_forest", {"sees_n": 60}),
    ("sees_ex_a", "popin_size_nm", {"sees_ex_b": "H_GPa"}),
    ("sees_ex_b", "popin_load_mN", {"sees_ex_a": "H_GPa"}),
    ("sees_ex_show", True, {"sees_ex_a": "H_GPa", "sees_ex_b": "E_GPa"}),
]


def open_page(**settings) -> AppTest:
    """The page after a switch from the entry file, with ``settings`` applied in order."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return apply(at, settings)


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: every chart's data, every table and every message."""
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    tables = tuple(t.value.round(9).to_csv() for t in at.dataframe)
    texts = tuple(
        e.value
        for kind in ("error", "warning", "info", "success", "markdown")
        for e in at.get(kind)
    )
    return data, tables, texts


def comparison(at: AppTest):
    """The comparison table (the one with a "CV accuracy" column)."""
    (table,) = [t.value for t in at.dataframe if "CV accuracy" in t.value.columns]
    return table


@pytest.fixture(scope="module")
def default_page() -> AppTest:
    return open_page()


def test_page_loads_with_default_settings(default_page):
    at = default_page
    assert at.title[0].value == "What a model sees"
    assert not at.error
    assert len(at.get("vega_lite_chart")) == 6
    text = " ".join(m.value for m in at.markdown)
    assert "200 curves × 81 values" in text


def test_every_control_has_a_help_text_and_a_test(default_page):
    keys = set()
    for kind in WIDGET_KINDS:
        for w in getattr(default_page, kind):
            if w.key is None or not w.key.startswith("sees_"):
                continue  # the navigation's own elements
            assert w.help, f"{w.key} has no help text"
            keys.add(w.key)
    assert keys == {key for key, _, _ in CHANGES}


@pytest.mark.parametrize(("key", "value", "before"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_control_changes_what_the_learner_sees(key, value, before):
    at = open_page(**before)
    assert not at.error, at.error
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, at.error
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_comparison_holds_computed_accuracies(default_page):
    table = comparison(default_page)
    assert list(table["representation"])[0].startswith("Oliver-Pharr H, E")
    # The notes name the models behind each number: the comparison's classifier, and the
    # linear discriminant behind "alone".
    first = next(i.value for i in default_page.info if i.value.startswith("With "))
    assert first.startswith("With logistic regression") and "linear discriminant" in first
    assert table["CV accuracy"].between(0, 1).all()
    assert table["± sd"].between(0, 1).all()
    # Pop-ins barely move H and E but are plain in the features and the loading branch.
    accuracy = table.set_index("representation")["CV accuracy"]
    assert accuracy.iloc[0] < 0.7
    assert accuracy.iloc[1] > 0.9 and accuracy.iloc[2] > 0.9
    other = comparison(open_page(sees_seed=5))
    assert not other["CV accuracy"].equals(table["CV accuracy"])  # computed from the data


def test_chart_axes_carry_units(default_page):
    specs = chart_specs(default_page)
    for spec in specs:
        for title in axis_titles(spec):
            assert re.search(r"\(.+\)", title), f"axis title {title!r} has no unit"
    titles = set().union(*(axis_titles(s) for s in specs))
    assert {"H (GPa)", "E (GPa)", "Displacement h (nm)"} <= titles
    assert "Cross-validated accuracy (fraction)" in titles
    assert "Explained variance (% of total)" in titles


def test_exercise_gives_feedback_for_right_and_wrong_pairs():
    at = open_page()
    assert any("Pick two features" in i.value for i in at.info)
    apply(at, {"sees_ex_a": "H_GPa", "sees_ex_b": "E_GPa"})
    assert any(w.value.startswith("Not quite") and "Hint" in w.value for w in at.warning)
    apply(at, {"sees_ex_b": "popin_size_nm"})
    assert any(s.value.startswith("Right") for s in at.success)
    apply(at, {"sees_ex_b": "H_GPa"})
    assert any("different" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("settings", "kind", "phrase"),
    [
        ({"sees_task": "quality", "sees_n": 10}, "error", "Nothing to compare"),
        ({"sees_task": "quality", "sees_n": 30}, "error", "Too few curves"),
        ({"sees_x": "H_GPa", "sees_y": "H_GPa"}, "warning", "two different features"),
        ({"sees_branches": []}, "warning", "at least one part"),
        ({"sees_branches": ["hold"]}, "info", "measured view"),
    ],
    ids=["class-missing", "tiny-n", "same-feature", "no-branch", "hold-only"],
)
def test_bad_input_gives_a_message_not_a_traceback(settings, kind, phrase):
    at = open_page(**settings)
    assert not at.exception
    assert any(phrase in e.value for e in at.get(kind)), [e.value for e in at.get(kind)]
    for key, value in settings.items():  # nothing the learner set is lost
        assert widget(at, key).value == value


def popin_like_pairs(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """Pair scores where the pop-in features exist only on the pop-in class ("popin"),
    h_max separates the classes in part and H and E carry nothing."""
    rng = np.random.default_rng(seed)
    y = np.repeat(["good", "popin"], n // 2)
    popin = y == "popin"
    X = pd.DataFrame(
        {
            "H_GPa": rng.normal(size=n),
            "E_GPa": rng.normal(size=n),
            "h_max_nm": rng.normal(size=n) + 1.5 * popin,
            "W_total_pJ": rng.normal(size=n) + 1.5 * popin,
            "popin_load_mN": np.where(popin, rng.uniform(0.5, 2.0, n), np.nan),
            "popin_size_nm": np.where(popin, rng.uniform(2.0, 10.0, n), np.nan),
        }
    )
    return pair_scores(X, y)


def test_popin_features_are_named_the_defects_signature_not_leakage():
    # issue 14: the pop-in features come from a detector run on the curve, not from the
    # truth; this test used to require "the label in disguise" (leakage), which contradicted
    # the "Right" before it. They are the defect's own signature.
    pairs = popin_like_pairs()
    clean = tables.pairs_without(pairs, tables.POPIN_FEATURES)
    assert len(clean) == 6 and clean["rank"].min() == 1
    assert set(clean.iloc[0][["feature_a", "feature_b"]]) == {"h_max_nm", "W_total_pJ"}
    best = f"{FEATURE_LABELS['h_max_nm']}"
    for pick in (("H_GPa", "popin_size_nm"), ("popin_load_mN", "popin_size_nm")):
        kind, message = exercise.exercise_feedback(check_pair(pairs, pick), *pick, "popin", pairs)
        assert kind == "success" and message.startswith("Right")
        assert "label in disguise" not in message and "signature" in message
        assert "**without** the pop-in features" in message
        assert best not in message  # the next answer is not given away on the first try
        assert f"{clean.iloc[0]['accuracy']:.2f}" in message
        shown = exercise.exercise_feedback(
            check_pair(pairs, pick), *pick, "popin", pairs, shown=True
        )[1]
        assert best in shown and f"({clean.iloc[0]['accuracy']:.2f})" in shown
    # the best pair without pop-in features is right; a weak one is told what it should reach
    pick = ("W_total_pJ", "h_max_nm")
    kind, message = exercise.exercise_feedback(check_pair(pairs, pick), *pick, "popin", pairs)
    assert kind == "success" and message.startswith("Right, without the pop-in features")
    pick = ("H_GPa", "E_GPa")
    kind, message = exercise.exercise_feedback(check_pair(pairs, pick), *pick, "popin", pairs)
    assert kind == "warning" and "pairs without the pop-in features; the best reaches" in message
    # other tasks, and callers that pass no table, are judged as before
    pick = ("H_GPa", "popin_size_nm")
    for task, table in (("quality", pairs), ("popin", None)):
        message = exercise.exercise_feedback(check_pair(pairs, pick), *pick, task, table)[1]
        assert "signature" not in message


def test_hints_sharpen_and_the_answer_comes_after_three_tries_or_on_request():
    pairs = popin_like_pairs()
    pick = ("H_GPa", "E_GPa")
    check = check_pair(pairs, pick)
    messages = [exercise.exercise_feedback(check, *pick, "material", tries=t)[1] for t in (1, 2, 3)]
    assert messages[0] != messages[1] and "Sharper hint" in messages[1]
    assert all("The answer" not in m for m in messages[:2]) and "The answer" in messages[2]
    assert "The answer" in exercise.exercise_feedback(check, *pick, "material", shown=True)[1]


def test_a_pair_at_chance_is_no_better_than_guessing():
    pairs = popin_like_pairs()
    pick = ("H_GPa", "E_GPa")  # noise only
    check = check_pair(pairs, pick)
    kind, message = exercise.exercise_feedback(check, *pick, "material", chance=0.5, n_curves=200)
    assert kind == "warning" and "no better than guessing" in message


def test_exercise_asks_for_the_best_pair_without_popin_features():
    at = open_page(sees_ex_a="H_GPa", sees_ex_b="popin_size_nm")
    (note,) = [s.value for s in at.success if "signature" in s.value]
    assert "label in disguise" not in note and "On these curves that is" not in note
    at.button(key="sees_ex_show").click().run()  # the learner asks for the answer
    (note,) = [s.value for s in at.success if "signature" in s.value]
    found = re.search(r"On these curves that is (.+) with (.+) \((\d\.\d\d)\)\.$", note)
    assert found, note
    key = {label: name for name, label in FEATURE_LABELS.items()}
    a, b = key[found[1]], key[found[2]]
    assert not {a, b} & set(tables.POPIN_FEATURES)
    assert float(found[3]) < 1.0  # below the pop-in features' 1.00
    apply(at, {"sees_ex_a": a, "sees_ex_b": b})  # the learner takes the named pair
    assert any(s.value.startswith("Right, without the pop-in features") for s in at.success)
