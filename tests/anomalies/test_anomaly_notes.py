"""Each "what to notice" note of Find bad curves that names an effect shows when the numbers
show the effect and not when they do not (issue 14), on constructed numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.anomalies import notes

DATA = {"contamination": 0.10, "defect_types": ("popin", "drift"), "rare_fraction": 0.0}
DETECTOR = {"representation": "features", "method": "isolation_forest", "features": []}
SUMMARY = {"roc_auc": 0.8, "n_defect": 20, "n_flagged": 20, "n_rare": 0, "rare_flagged": 0}


def _table(drift_recall: float = 90.0, missed: float = 0.1, caught: float = 0.3):
    rows = [
        ("pop-in", 80.0, "62–91", 10.0, missed, caught, "mN", 0.8, "0.70–0.90", 0.5),
        (
            "thermal drift",
            drift_recall,
            f"{drift_recall - 20:.0f}–{drift_recall + 5:.0f}",
            10.0,
            1.0,
            1.0,
            "nm/s",
            0.7,
            "0.6–0.8",
            0.5,
        ),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "defect (truth)",
            "recall (%)",
            "recall 95 % interval (%)",
            "baseline recall (%)",
            "size missed (median)",
            "size caught (median)",
            "size unit",
            "ROC-AUC",
            "ROC-AUC 95 % interval",
            "baseline ROC-AUC",
        ],
    )


def _notes(data=DATA, detector=DETECTOR, rule=None, summary=SUMMARY, table=None, auc_k1=None):
    table = _table() if table is None else table
    return " ".join(notes.notes(data, detector, rule or {}, summary, table, auc_k1))


def test_worse_than_a_coin_toss_only_below_0_4():
    assert "Worse than a coin toss" in _notes(summary=SUMMARY | {"roc_auc": 0.3})
    assert "Worse than a coin toss" not in _notes(summary=SUMMARY | {"roc_auc": 0.6})


@pytest.mark.parametrize(
    ("share", "caps", "forces"), [(0.05, True, False), (0.20, False, True), (0.10, False, False)]
)
def test_threshold_notes_follow_the_flagged_and_true_shares(share, caps, forces):
    text = _notes(rule={"share": share})
    assert ("The threshold caps the recall" in text) is caps
    assert ("The threshold forces false alarms" in text) is forces


def test_drift_found_through_one_feature_only_when_its_recall_says_so():
    rate = DETECTOR | {"features": ["drift_rate_nm_per_s"]}
    assert "Drift is found through one feature" in _notes(detector=rate)
    assert "Drift is found" not in _notes(detector=rate, table=_table(drift_recall=10.0))


def test_drift_hides_without_its_feature_only_when_its_recall_is_low():
    low = _notes(table=_table(drift_recall=10.0))
    assert "Drift hides without the drift-rate feature" in low
    assert "Drift hides" not in _notes(table=_table(drift_recall=90.0))
    rate = DETECTOR | {"representation": "curve_rate"}
    assert "drift almost vanishes" in _notes(detector=rate, table=_table(drift_recall=10.0))
    assert "drift almost vanishes" not in _notes(detector=rate)


def test_small_defects_missed_first_only_when_the_missed_are_smaller():
    assert "Small defects are missed first" in _notes(table=_table(missed=0.1, caught=0.3))
    assert "Small defects are missed first" not in _notes(table=_table(missed=0.3, caught=0.3))


def test_many_pca_components_note_names_a_fall_only_when_the_auc_falls():
    pca = DETECTOR | {"method": "pca_residual", "n_components": 10}
    fell = _notes(detector=pca, summary=SUMMARY | {"roc_auc": 0.6}, auc_k1=0.9)
    assert "components start to model the anomalies" in fell
    held = _notes(detector=pca, summary=SUMMARY | {"roc_auc": 0.9}, auc_k1=0.9)
    assert "components start to model" not in held and "has not fallen" in held


def test_rare_curves_note_only_with_rare_curves():
    rare = _notes(
        data=DATA | {"rare_fraction": 0.05}, summary=SUMMARY | {"n_rare": 5, "rare_flagged": 2}
    )
    assert "Rare is not wrong" in rare and "2 of 5" in rare
    assert "Rare is not wrong" not in _notes()


def test_recall_equals_precision_note_only_when_the_counts_are_equal():
    assert "by construction" in notes.equal_counts_note(SUMMARY)
    assert notes.equal_counts_note(SUMMARY | {"n_flagged": 25}) == ""
    assert notes.equal_counts_note(SUMMARY | {"n_defect": 0, "n_flagged": 0}) == ""
