"""Pure helpers of the supervised pages: the exercise's bar and verdicts, typical curves,
settings keys and the Oliver-Pharr comparison on the ML model's test curves."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from learners import oliver_pharr_baseline
from simulator import make_dataset
from ui.supervised import cached, exercise, notes, options, tables


def _scores(random: float, clean: float) -> pd.DataFrame:
    return pd.DataFrame({"evaluation": ["random", "clean"], "accuracy": [random, clean]})


CONFOUNDED = options.default_data("confounded")


def test_bayes_accuracy_is_the_closed_form():
    assert tables.bayes_accuracy(0.0, 0.06) == pytest.approx(0.5)
    # ln(1 + s) / (2 sigma) = 1 -> Phi(1)
    signal = math.expm1(2 * 0.05)
    assert tables.bayes_accuracy(signal, 0.05) == pytest.approx(norm.cdf(1.0), rel=1e-12)
    assert tables.bayes_accuracy(0.1, 0.0) == 1.0


def test_exercise_bar_lies_half_way_and_above_chance_by_three_standard_errors():
    options = CONFOUNDED["options"]
    best = tables.bayes_accuracy(options["signal"], options["scatter"])  # 0.628 at 4 % / 6 %
    assert exercise.exercise_bar(options) == pytest.approx(0.5 + 0.5 * (best - 0.5))
    weak = options | {"signal": 0.01, "test_n": 100}  # half-way would be ~0.53
    assert exercise.exercise_bar(weak) == pytest.approx(0.5 + 3 * 0.5 / 10)


def test_exercise_verdicts_follow_the_two_steps():
    data = CONFOUNDED
    status, message = exercise.exercise_check(options.default_data("phase"), None, False)
    assert status == "other" and "Clever Hans" in message
    low = data | {"options": data["options"] | {"confound": 0.6}}
    assert exercise.exercise_check(low, _scores(0.6, 0.6), False)[0] == "other"
    weak = data | {"options": data["options"] | {"signal": 0.0}}
    assert "raise the hardness" in exercise.exercise_check(weak, _scores(0.5, 0.5), False)[1]
    fooled = exercise.exercise_check(data, _scores(0.85, 0.52), False)
    assert fooled[0] == "hint" and fooled[1].startswith("**That is Clever Hans")
    # graded: the first hint asks, the second run's names the physics that answers it
    assert "H and E barely do" not in fooled[1]
    again = exercise.exercise_check(data, _scores(0.85, 0.52), False, tries=2)
    assert "Sharper hint" in again[1] and "H and E barely do" in again[1]
    half = exercise.exercise_check(data, _scores(0.62, 0.61), False)
    assert half[0] == "hint" and half[1].startswith("**Half done")
    assert exercise.exercise_check(data, _scores(0.62, 0.61), True)[0] == "done"
    # at the bar on the clean set, but still flattered by the random split: not done
    flattered = exercise.exercise_check(data, _scores(0.80, 0.60), True)
    assert flattered[0] == "hint" and "Clever Hans" in flattered[1]
    assert exercise.exercise_check(data, _scores(0.55, 0.53), True)[1].startswith("**Not yet")


def test_typical_row_is_the_class_member_nearest_the_median():
    h = np.array([[0, 1, 2], [0, 1.1, 2.1], [0, 3, 6], [5, 5, 5], [5, 5.2, 5]], dtype=float)
    made = SimpleNamespace(y=np.array(["a", "a", "a", "b", "b"]), h_nm=h)
    rows = tables.typical_rows(made, ["a", "b", "c"])
    assert rows["a"] == 1  # the median curve of a is (0, 1.1, 2.1) itself
    assert rows["b"] in (3, 4) and "c" not in rows


def test_misclassified_lists_the_most_confident_mistakes_first():
    predictions = pd.DataFrame(
        {
            "curve": [0, 1, 2, 3],
            "true": ["a", "a", "b", "b"],
            "predicted": ["b", "a", "a", "a"],
            "correct": [False, True, False, False],
            "proba_a": [0.4, 0.9, 0.7, 0.95],
            "proba_b": [0.6, 0.1, 0.3, 0.05],
        }
    )
    wrong = tables.misclassified(predictions)
    assert list(wrong["curve"]) == [3, 2, 0]
    assert notes.describe_wrong(wrong.iloc[0]) == "curve 3: true b → predicted a (p = 0.95)"


def test_setting_changes_name_what_moved():
    data, model = options.default_data("phase"), options.default_model("classify")
    moved = (data | {"n": 500}, model | {"model": "knn"})
    assert tables.setting_changes((data, model), moved) == [
        "number of curves: 300 → 500",
        "model: logistic → knn",
    ]
    assert tables.setting_changes((data, model), (data, model)) == []


def test_evaluation_key_drops_what_the_split_ignores():
    model = options.default_model("classify") | {"split": "clean_test", "test_size": 0.2}
    key = cached.evaluation_key(model | {"scenario": "harder"})
    assert key["test_size"] is None and key["n_splits"] is None and "scenario" not in key
    random = cached.evaluation_key(model | {"split": "random"})
    assert random["test_size"] == 0.2 and random["n_splits"] is None


@pytest.mark.parametrize("task", list(options.TASK_LABELS))
def test_extras_of_each_task(task):
    extras = cached.classify_extras(options.default_data(task), options.default_model("classify"))
    expected = {"learning_curve"}
    expected |= {"leakage"} if task == "phase" else set()  # the control is measured with it
    expected |= {"random", "clean"} if task == "confounded" else set()
    assert set(extras) == expected


def test_input_problems_name_the_missing_choice():
    data = options.default_data("material")
    data["options"]["materials"] = ("nickel",)
    model = options.default_model("classify") | {"features": ()}
    problems = notes.input_problems(data, model)
    assert len(problems) == 2 and "two materials" in problems[0] and "feature" in problems[1]


def test_input_problems_name_an_empty_property_range():
    data = options.default_data("properties")
    model = options.default_model("properties")
    assert notes.input_problems(data, model) == []
    data["options"]["E_GPa"] = (200.0, 200.0)
    problems = notes.input_problems(data, model)
    assert len(problems) == 1 and "Young's modulus E range" in problems[0]


def test_oliver_pharr_on_the_ml_test_curves_matches_a_fresh_analysis():
    data = make_dataset("properties", 30, seed=1)
    full = oliver_pharr_baseline(data)
    curves = np.array([3, 7, 11, 29])
    subset = tables.op_on_curves(full, data, curves)
    assert list(subset.parity["curve"].unique()) == list(curves)
    again = oliver_pharr_baseline(
        SimpleNamespace(
            y=data.y.iloc[curves].reset_index(drop=True),
            truth=data.truth.iloc[curves].reset_index(drop=True),
            h_nm=data.h_nm[curves],
            P_mN=data.P_mN[curves],
            t_s=data.t_s[curves],
            segment=data.segment[curves],
            task="properties",
        )
    )
    np.testing.assert_allclose(subset.scores["MAE"], again.scores["MAE"], rtol=1e-9)


def test_small_class_warning_names_the_rare_classes_and_what_to_do():
    counts = pd.DataFrame(
        {"class": ["aluminium", "nickel", "ferrite", "tungsten"], "curves": [23, 6, 2, 1]}
    )
    warning = notes.small_class_warning(counts, 10)
    assert warning.startswith("**Too few curves of tungsten (1 curve), ferrite (2 curves) and "
                              "nickel (6 curves)** for 10 folds")  # fmt: skip
    assert "aluminium" not in warning
    for remedy in ("more curves", "*Class imbalance*", "fewer *Folds k*"):
        assert remedy in warning
    # fewer than 5 curves is too few whatever k is; 5 or more with k = 3 is enough
    assert "ferrite (2 curves)" in notes.small_class_warning(counts, 3)
    assert "nickel" not in notes.small_class_warning(counts, 3)
    assert notes.small_class_warning(counts[counts["curves"] >= 5], 5) is None
    quality = notes.small_class_warning(counts, 10, "quality")
    assert "*Share of defective curves (%)*" in quality and "Class imbalance" not in quality


def _measured(leakage: float, se: float, blocked: float = 0.8):
    from learners.supervised.leakage import LeakageMeasurement

    summary = pd.DataFrame(
        [
            {
                "split": "day", "random": blocked + leakage, "random_se": se, "blocked": blocked,
                "blocked_se": se, "gap": leakage, "gap_se": se, "null_gap": 0.0, "null_se": se,
                "leakage": leakage, "leakage_se": se,
            }
        ]
    )  # fmt: skip
    return LeakageMeasurement(pd.DataFrame(), summary, 0.45)


def test_leakage_notes_name_leakage_only_beyond_the_null():
    from ui.supervised import leakage_notes, leakage_tables

    leak = _measured(0.2, 0.02)
    none = _measured(0.01, 0.02)
    below = _measured(-0.1, 0.02)
    verdicts = [leakage_tables.leakage_verdicts(m)["day"] for m in (leak, none, below)]
    assert verdicts == ["leak", "none", "below"]
    texts = [
        leakage_notes.split_note(m.summary.iloc[0], v)
        for m, v in zip((leak, none, below), verdicts, strict=True)
    ]
    assert "flatters this model beyond what the null" in texts[0] and "instrument state" in texts[0]
    assert "No leakage beyond the null" in texts[1] and "flatters" not in texts[1]
    assert "20.0 % here" in texts[1]  # the bound: errors left under the split
    assert "not leakage" in texts[2] and "flatters" not in texts[2]
    wide = _measured(0.15, 0.1)
    text = leakage_notes.split_note(wide.summary.iloc[0], "none")
    assert "Too uncertain to tell" in text and "No leakage" not in text
    rows = leakage_tables.leakage_rows(leak)
    assert rows["most frequent class"].iloc[0] == 0.45 and rows["± leakage"].iloc[0] == 0.04


def _request(wear: float, preset: str = "cement paste", days: int = 3) -> dict:
    data = options.default_data("phase")
    data["options"] = dict(data["options"], preset=preset)
    if wear or days > 1:
        data["options"]["session"] = {"days": days, "tip_wear_nm_per_100": wear}
    return {"data": data, "model": {"representation": "features"}, "n_maps": 4,
            "block_um": 20.0, "buffer_um": 8.0}  # fmt: skip


def test_wear_log_groups_by_every_setting_but_the_wear_rate():
    from ui.supervised import wear_log

    key0, wear0 = wear_log.split_request(_request(0.0))
    key50, wear50 = wear_log.split_request(_request(50.0))
    assert key0 == key50 and (wear0, wear50) == (0.0, 50.0)
    assert wear_log.split_request(_request(50.0, preset="WC-Co hardmetal"))[0] != key50
    # the instrument off: no session at all, or the same defaults written out
    off = _request(0.0, days=1)
    assert off["data"]["options"]["session"] is None
    written = _request(0.0, days=1)
    written["data"]["options"]["session"] = {"days": 1, "indent_s": 60.0, "drift_tau_s": 600.0}
    assert wear_log.split_request(off)[0] == wear_log.split_request(written)[0]
    summary = pd.DataFrame(
        {"split": ["day"], "leakage": [0.05], "leakage_se": [0.01], "n_maps": [4]}
    )
    log = wear_log.record({}, _request(0.0), summary.assign(leakage=0.01))
    log = wear_log.record(log, _request(50.0), summary)
    log = wear_log.record(log, _request(50.0, preset="WC-Co hardmetal"), summary)
    frame = wear_log.log_frame(log, _request(25.0))
    assert list(frame["wear"]) == [0.0, 50.0] and list(frame["split"]) == ["one day left out"] * 2
    np.testing.assert_allclose(frame["high"] - frame["low"], 0.04)
    again = wear_log.record(log, _request(50.0), summary.assign(leakage=0.07))
    assert wear_log.log_frame(again, _request(0.0))["leakage"].tolist() == [0.01, 0.07]
    assert wear_log.log_frame({}, _request(0.0)).empty
