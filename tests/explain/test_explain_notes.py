"""The "what to notice" notes of the explanation pages that name an effect show when the
numbers show it and not when they do not (issue 14), on constructed numbers."""

from __future__ import annotations

import math

import pandas as pd

from ui.explain import notes, tasks
from ui.explain.checklist import Verdict

PHASE = tasks.data_settings("phase", 100, 0)
HANS = tasks.data_settings("clever_hans", 100, 0)
SETTINGS = {"num_samples": 1000, "kernel_scale": 1.0, "k": 2}
STABLE = {"jaccard": 1.0, "spread": 0.05, "rank_correlation": math.nan}


def _notes(card: dict, data: dict = PHASE, top: tuple = ("H_GPa", "E_GPa", "creep_nm")) -> str:
    lime = pd.DataFrame(
        {"feature": list(top), "role": ["truth", "truth", "nuisance"], "weight": [0.4, 0.2, 0.1]}
    )
    importance = pd.DataFrame({"feature": ["H_GPa", "E_GPa"], "importance": [0.3, 0.1]})
    return " ".join(notes.decision_notes(data, lime, STABLE | card, importance, SETTINGS))


def test_unstable_note_only_when_the_top_k_change_with_the_seed():
    assert "**Unstable.**" in _notes({"jaccard": 0.5, "spread": 0.3})
    assert "**Unstable.**" not in _notes({})


def test_jitter_note_only_when_the_weights_spread():
    assert "the weights jitter" in _notes({"spread": 0.3})
    assert "the weights jitter" not in _notes({})


def test_missed_truth_region_note_only_for_a_credited_miss():
    miss = "The top curve segment misses the truth region"
    assert miss in _notes({"pointing_game": False, "segment_noise": False})
    assert miss not in _notes({"pointing_game": True, "segment_noise": False})
    assert miss not in _notes({"pointing_game": False, "segment_noise": True})  # noise


def test_wrong_reason_note_only_with_drift_among_lime_top_three():
    drift = ("drift_rate_nm_per_s", "H_GPa", "E_GPa")
    assert "Right for the wrong reason?" in _notes({}, HANS, drift)
    honest = _notes({}, HANS)
    assert "Right for the wrong reason?" not in honest and "hold no drift feature" in honest


def test_rank_correlation_note_only_with_a_reference():
    assert "LIME ranks the inputs with Spearman 0.83" in _notes(
        {"rank_correlation": 0.83, "reference": "exact attribution"}
    )
    assert "Spearman" not in _notes({})


def _verdicts(physics: str, load: str) -> list[Verdict]:
    return [
        Verdict(physics, "", ""),
        Verdict("pass", "", ""),
        Verdict(load, "", ""),
        Verdict("pass", "", ""),
    ]


def test_lab_but_not_extrapolation_note_follows_the_verdicts():
    text = " ".join(notes.physical_notes(_verdicts("pass", "warn"), PHASE))
    assert "fails to extrapolate" in text and "This model passes 3 of 4 checks" in text
    assert "fails to extrapolate" not in " ".join(
        notes.physical_notes(_verdicts("pass", "pass"), PHASE)
    )


def test_extrapolates_without_the_truth_note_follows_the_verdicts():
    text = " ".join(notes.physical_notes(_verdicts("warn", "pass"), PHASE))
    assert "It extrapolates although its top inputs are not the truth" in text
    other = " ".join(notes.physical_notes(_verdicts("warn", "warn"), PHASE))
    assert "It extrapolates although" not in other


def _use(h: float, e: float) -> str:
    importance = pd.DataFrame(
        {
            "feature": ["H_GPa", "E_GPa"],
            "importance": [h, e],
            "low": [h / 2, e / 2],
            "high": [2 * h, 2 * e],
            "noise": [False, False],
        }
    )
    names, roles = ["H_GPa", "E_GPa"], ["truth", "truth"]
    return notes.truth_vs_use(["H", "E"], [], names, roles, importance, None)


def test_leans_on_one_truth_note_only_when_the_other_hardly_counts():
    one = _use(0.30, 0.02)
    assert "this model leans on H_GPa (0.300) and hardly on E_GPa (0.020)" in one
    assert "hardly on" not in _use(0.30, 0.20)
