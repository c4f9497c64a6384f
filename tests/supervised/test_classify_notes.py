"""The "what to notice" notes of Classify curves that name an effect show when the numbers
show it and not when they do not (issue 14), on constructed runs."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.supervised import leakage_notes, notes

SCORED = {
    "accuracy": Scored(0.9, 0.85, 0.94, 0.5),
    "balanced accuracy": Scored(0.9, 0.85, 0.94, 0.5),
}


def _run(task: str, truth: pd.DataFrame, correct: list[bool]):
    made = SimpleNamespace(truth=truth, test=None)
    predictions = pd.DataFrame(
        {"curve": range(len(correct)), "correct": correct, "true": "a", "predicted": "b"}
    )
    evaluation = SimpleNamespace(predictions=predictions, on_test_set=False, split="random")
    return " ".join(notes.classify_notes({"task": task}, made, evaluation, {}, SCORED))


def test_accuracy_against_balanced_accuracy_only_when_they_part():
    apart = SCORED | {"balanced accuracy": Scored(0.7, 0.62, 0.77, 0.5)}
    truth = pd.DataFrame({"on_interface": [False] * 4})
    made = SimpleNamespace(truth=truth, test=None)
    evaluation = SimpleNamespace(
        predictions=pd.DataFrame({"curve": range(4), "correct": [True] * 4}),
        on_test_set=False,
        split="random",
    )
    text = " ".join(notes.classify_notes({"task": "phase"}, made, evaluation, {}, apart))
    assert "The common classes carry the accuracy" in text
    assert "The common classes" not in _run("phase", truth, [True] * 4)


def test_boundary_note_only_when_mistakes_gather_on_boundaries():
    # 2 of 10 indents on boundaries; both wrong indents are the boundary ones
    truth = pd.DataFrame({"on_interface": [True, True] + [False] * 8})
    text = _run("phase", truth, [False, False] + [True] * 8)
    assert "2 of the 2 wrong indents sit on a phase boundary" in text
    # the wrong indents are interior ones: no effect to name
    assert "sit on a phase boundary" not in _run(
        "phase", truth, [True, True, False, False] + [True] * 6
    )


def test_missed_defects_note_only_when_the_missed_are_smaller():
    truth = pd.DataFrame(
        {"defect": ["popin"] * 6 + ["none"] * 4, "defect_size": [0.1, 0.2, 1, 1, 1, 1, 0, 0, 0, 0]}
    )
    small = _run("quality", truth, [False, False] + [True] * 8)  # the two small ones missed
    assert "The missed defects are the small ones" in small and "0.15 ×" in small
    big = _run("quality", truth, [True, True, False, False] + [True] * 6)  # two typical ones
    assert "The missed defects are the small ones" not in big


def _outcome(n_right: int, n: int):
    true = ["aged"] * n
    predicted = ["aged"] * n_right + ["as-received"] * (n - n_right)
    predictions = pd.DataFrame(
        {"true": true, "predicted": predicted, "correct": [p == "aged" for p in predicted]}
    )
    value = SimpleNamespace(
        predictions=predictions,
        baseline=["as-received"] * n,
        score=n_right / n,
        split_frame=pd.DataFrame(index=range(4 * n)),
    )
    return SimpleNamespace(value=value)


def _confounded(random_right: int, clean_right: int, n: int = 200) -> str:
    truth = pd.DataFrame({"x": [0] * 4})
    made = SimpleNamespace(truth=truth, test=None)
    evaluation = SimpleNamespace(
        predictions=pd.DataFrame({"curve": range(4), "correct": [True] * 4}),
        on_test_set=False,
        split="random",
    )
    extras = {"random": _outcome(random_right, n), "clean": _outcome(clean_right, n)}
    return " ".join(notes.classify_notes({"task": "confounded"}, made, evaluation, extras, SCORED))


def test_clever_hans_note_only_when_the_random_split_flatters_beyond_its_interval():
    assert "Clever Hans." in _confounded(190, 110)  # 0.95 against 0.55
    level = _confounded(130, 128)  # 0.65 against 0.64
    assert "Clever Hans." not in level and "agree within their intervals" in level
    better = _confounded(120, 170)  # the clean set scores higher: nothing flatters
    assert "flatters" not in better and "Clever Hans." not in better
    assert "scores above the random split" in better


def _over_maps(leakage: list[float], own_se: float, instrument: bool = True):
    from learners.supervised.leakage_maps import summarise_over_maps

    per_map = pd.DataFrame(
        {
            "split": "day",
            "baseline": 0.45,
            "random": 0.78,
            "blocked": 0.72,
            "gap": 0.06,
            "null_gap": 0.02,
            "leakage": leakage,
            "leakage_se": own_se,
        }
    )
    single = SimpleNamespace(
        summary=pd.DataFrame({"split": ["day"], "leakage": [leakage[0]], "leakage_se": [own_se]})
    )
    notes_ = leakage_notes.over_maps_notes(summarise_over_maps(per_map), single, instrument)
    return " ".join(notes_)


def test_leakage_over_maps_named_only_when_its_interval_lies_above_zero():
    leaking = _over_maps([0.05, 0.04, 0.06, 0.05, 0.03, 0.07], own_se=0.04)
    assert "random k-fold flatters this model beyond the null" in leaking
    assert "Only 0 of 6 maps show it within their own interval" in leaking
    assert "one map's few folds cannot see an effect this small" in leaking
    none = _over_maps([0.05, -0.04, 0.02, -0.03, 0.01, -0.02], own_se=0.04)
    assert "flatters" not in none and "No leakage beyond the null over the maps" in none
    assert "your map alone: +0.050 ± 0.080" in none
    seen = _over_maps([0.3, 0.32, 0.28, 0.31], own_se=0.01)
    assert "flatters" in seen and "cannot see" not in seen


def test_per_day_leakage_blames_the_instrument_only_when_it_changed():
    leaking = [0.05, 0.04, 0.06, 0.05, 0.03, 0.07]
    assert "instrument state (tip radius, drift) was never seen" in _over_maps(leaking, 0.04)
    grains = _over_maps(leaking, 0.04, instrument=False)
    assert "instrument state" not in grains and "the days are also bands of the raster" in grains
    assert not leakage_notes.instrument_changes(None)
    assert not leakage_notes.instrument_changes({"days": 3, "tip_wear_nm_per_100": 0.0})
    assert leakage_notes.instrument_changes({"days": 3, "drift_wander_nm_per_s": 0.1})
    row = pd.Series(
        {"split": "day", "gap": 0.06, "gap_se": 0.01, "null_gap": 0.0, "null_se": 0.01,
         "leakage": 0.06, "leakage_se": 0.01, "blocked": 0.7}
    )  # fmt: skip
    assert "bands of the raster" in leakage_notes.split_note(row, "leak", instrument=False)
    assert "instrument state" in leakage_notes.split_note(row, "leak", instrument=True)
