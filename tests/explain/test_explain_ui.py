"""The pure helpers of the explanation pages (ui.explain.tables, ui.explain.cached.shifted_data):
the truth per input, the instance picks and the checklist's verdicts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ui.explain import checklist, notes, tables, tasks
from ui.explain.notes import decision_notes
from ui.explain.stress import shifted_data

PHASE = tasks.data_settings("phase", 100, 0)
POPIN = tasks.data_settings("popin", 100, 0)
HANS = tasks.data_settings("clever_hans", 100, 0)


@pytest.mark.parametrize(
    ("name", "data", "role"),
    [
        ("H_GPa", PHASE, "truth"),
        ("E_GPa", PHASE, "truth"),
        ("Wp_over_Wt", PHASE, "indirect"),
        ("h_unload_nm_at_50pct_Pmax", PHASE, "indirect"),
        ("drift_rate_nm_per_s", PHASE, "nuisance"),
        ("E_GPa", HANS, "nuisance"),  # the same for both classes; drift biases it
        ("H_GPa", HANS, "truth"),
        ("dh_drift_hold_nm_at_50pct_t", HANS, "nuisance"),
        ("popin_size_nm", POPIN, "truth"),
        ("missingindicator_popin_load_mN", POPIN, "truth"),
        ("h_load_nm_at_6pct_Pmax", POPIN, "indirect"),
        ("h_load_nm_at_50pct_Pmax", POPIN, "nuisance"),
        ("H_GPa", POPIN, "nuisance"),
        ("pca3", PHASE, "mixed"),
    ],
)
def test_each_input_gets_its_role_against_the_truth(name, data, role):
    assert tasks.feature_role(name, data) == role


def test_feature_titles_carry_units():
    assert tasks.feature_title("H_GPa") == "H (GPa)"
    assert tasks.feature_title("S_mN_per_nm") == "S (mN/nm)"
    assert tasks.feature_title("drift_rate_nm_per_s") == "drift_rate (nm/s)"
    assert tasks.feature_title("h_load_nm_at_50pct_Pmax") == "h at 50 % P_max, loading (nm)"
    assert tasks.feature_title("Wp_over_Wt") == "Wp_over_Wt (-)"


def _pool():
    y = np.array(["aged", "aged", "as-received", "as-received", "aged"])
    predicted = np.array(["aged", "as-received", "as-received", "aged", "aged"])
    confidence = np.array([0.9, 0.8, 0.7, 0.95, 0.6])
    truth = pd.DataFrame({"day": [1, 2, 2, 1, 1]})
    return truth, y, predicted, confidence


def test_instance_picks():
    truth, y, predicted, confidence = _pool()
    typical = tables.pick_instance("typical", HANS, truth, y, predicted, confidence)
    assert typical.position in (0, 4) and y[typical.position] == predicted[typical.position]
    wrong = tables.pick_instance("misclassified", HANS, truth, y, predicted, confidence)
    assert wrong.position == 3  # the most confidently wrong
    # measured on the other class's day, and fooled by it
    confounded = tables.pick_instance("confounded", HANS, truth, y, predicted, confidence)
    assert confounded.position in (1, 3) and "day" in confounded.reason
    bad = tables.pick_instance("by number", HANS, truth, y, predicted, confidence, number=7)
    assert bad.position is None and "from 0 to 4" in bad.reason
    none = tables.pick_instance("misclassified", HANS, truth, y, y, confidence)
    assert none.position is None


def test_shift_verdicts_follow_the_tolerance():
    rows = pd.DataFrame(
        {
            "shift": ["drift", "tip"],
            "test set": ["drift +0.1 nm/s", "worn tip"],
            "control accuracy": [0.9, 0.9],
            "shifted accuracy": [0.86, math.nan],
            "note": ["", "not available"],
        }
    )
    assert checklist.check_shifts(rows, 5).status == "pass"
    failed = checklist.check_shifts(rows, 3)
    assert failed.status == "warn" and "4 points" in failed.headline
    assert checklist.check_shifts(rows.iloc[1:], 5).status == "n/a"


def test_physics_verdict_flags_a_shortcut():
    importance = pd.DataFrame(
        {
            "feature": ["drift_rate_nm_per_s", "H_GPa"],
            "importance": [0.3, 0.02],
            "role": ["nuisance", "truth"],
        }
    )
    verdict = checklist.check_physics(importance, HANS, 2)
    assert verdict.status == "warn" and verdict.values["nuisance_share"] > 0.9
    honest = importance.assign(importance=[0.0, 0.1])
    assert checklist.check_physics(honest, HANS, 2).status == "pass"


def test_stability_verdict():
    assert checklist.check_stability([1.0, 1.0], [0.02, 0.03], 2).status == "pass"
    assert checklist.check_stability([0.4, 0.6], [0.5, 0.4], 2).status == "warn"


def test_shifted_test_sets_change_one_condition():
    drift = shifted_data(PHASE, "drift", 0.2)
    assert drift["options"]["defects"] == {"drift_nm_per_s": 0.2}
    assert drift["seed"] == PHASE["seed"] + 1  # fresh curves
    assert shifted_data(HANS, "drift", 0.1)["options"]["drift_by_day_nm_per_s"] == pytest.approx(
        (0.22, 0.06)
    )
    assert shifted_data(POPIN, "drift", 0.1) is None  # the quality task has no drift setting
    assert shifted_data(POPIN, "load", 2.0)["options"]["P_max_mN"] == 10.0
    assert shifted_data(PHASE, "noise", 5.0)["noise"] == 5.0
    worn = shifted_data(HANS, "tip", 200.0)  # every task can take a worn tip
    assert worn["options"]["tip_radius_nm"] == 200.0 and worn["seed"] == HANS["seed"] + 1
    assert shifted_data(POPIN, "tip", 0.0)["options"]["tip_radius_nm"] is None  # ideal tip


def test_a_worn_tip_biases_oliver_pharr_hardness_upwards():
    """The shifted test set really carries a rounded tip, and the ideal area function then
    overestimates H, the more the blunter the tip (the reason for tip calibration)."""
    from learners import oliver_pharr
    from ui.explain.cached import dataset

    errors = []
    for radius in (0.0, 100.0, 300.0):
        data = shifted_data(PHASE, "tip", radius)
        d = dataset({**data, "n": 40})
        op = oliver_pharr(d.h_nm, d.P_mN, d.truth["nu"].to_numpy(), segment=d.segment)
        errors.append(float(np.median(op["H_GPa"] / d.truth["H_GPa"] - 1)))
    assert abs(errors[0]) < 0.05
    assert 0.05 < errors[1] < errors[2]


def test_correlated_note_names_the_pair():
    rng = np.random.default_rng(0)
    h = rng.normal(size=200)
    F = np.column_stack([h, -h + 0.05 * rng.normal(size=200), rng.normal(size=200)])
    note = notes.correlated_note(F, ["H_GPa", "Wp_over_Wt", "creep_nm"], np.array([0.3, 0.2, 0.0]))
    assert note and "Cheng & Cheng" in note and "ill-posed" in note
    assert notes.correlated_note(F[:, [0, 2]], ["H_GPa", "creep_nm"], np.array([0.3, 0.1])) is None


def _decision_inputs(top: str, used: str, kernel_scale: float):
    lime = pd.DataFrame(
        {"feature": [top, "H_GPa"], "role": ["indirect", "truth"], "weight": [0.4, 0.2]}
    )
    importance = pd.DataFrame({"feature": [used, "E_GPa"], "importance": [0.3, 0.1]})
    card = {"jaccard": 0.5, "spread": 0.3, "rank_correlation": math.nan}
    settings = {"num_samples": 1000, "kernel_scale": kernel_scale, "k": 5}
    return POPIN, lime, card, importance, settings


def test_unstable_note_gives_no_kernel_advice_at_the_default_width():
    notes = decision_notes(*_decision_inputs("H_GPa", "E_GPa", 1.0))
    unstable = next(n for n in notes if n.startswith("**Unstable.**"))
    assert "kernel width × 1" in unstable
    assert "toward 1" not in unstable
    assert "raise the samples" in unstable and "correlated" in unstable
    notes = decision_notes(*_decision_inputs("H_GPa", "E_GPa", 0.4))
    assert "move the kernel width toward 1" in next(n for n in notes if "Unstable" in n)


def test_decision_note_names_the_role_after_a_dash_and_says_when_both_agree():
    name = "h_load_nm_at_3pct_Pmax"
    first = notes.decision_notes(*_decision_inputs(name, "E_GPa", 1.0))[0]
    assert f"**{name}** – indirect (made from the truth);" in first
    assert "((" not in first and "))" not in first
    assert "need not agree" in first
    first = notes.decision_notes(*_decision_inputs(name, name, 1.0))[0]
    assert "here they agree" in first and "need not agree" not in first
