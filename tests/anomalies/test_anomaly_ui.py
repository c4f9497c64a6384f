"""The pure helpers of the "Find bad curves" page (ui.anomalies.tables, ui.anomalies.widgets,
ui.anomalies.cached), without Streamlit's runtime."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from learners.unsupervised.anomaly import ANOMALY_FEATURES, METHODS, detection_report
from simulator.datasets import DEFECT_TYPES
from ui.anomalies import cached, exercise, notes, tables, widgets

logging.getLogger("streamlit").setLevel(logging.ERROR)  # no runtime: caches in memory

DATA = {
    "n": 400,
    "contamination": 0.1,
    "defect_types": tuple(DEFECT_TYPES),
    "size_scale": 0.5,
    "rare_fraction": 0.05,
    "seed": 0,
}
DETECTOR = {
    "representation": "features",
    "features": tuple(ANOMALY_FEATURES),
    "method": "isolation_forest",
    "n_components": 1,
    "fit_share": 0.1,
}


@pytest.fixture(scope="module")
def detection():
    return cached.detect(DATA, DETECTOR)


def test_the_page_names_every_type_feature_and_method_of_the_packages():
    assert set(widgets.DEFECT_NAMES) == set(DEFECT_TYPES)
    assert set(tables.SIZE_UNITS) == set(DEFECT_TYPES) == set(notes.TYPE_HINTS)
    assert set(widgets.FEATURE_LABELS) == set(ANOMALY_FEATURES)
    assert set(widgets.DETECTORS) == set(METHODS)


def test_detection_keeps_the_truth_and_one_score_per_curve(detection):
    truth = detection.truth
    assert len(truth) == detection.n == 400
    assert (truth["defect"] != "none").sum() == 40
    assert (truth["rare"] != "").sum() == 20
    assert detection.peak is None and detection.peak_in_region is None
    # drift and a zero-point error act on every point; a pop-in on a few
    regions = truth.groupby("defect")["region_points"].median()
    assert regions["popin"] < 50 < regions["drift"]


def test_share_threshold_flags_that_share(detection):
    for share in (0.05, 0.1, 0.2):
        threshold = tables.threshold_value(detection.score, {"rule": "share", "share": share})
        assert (detection.score > threshold).mean() == pytest.approx(share, abs=0.01)
    assert tables.threshold_value(detection.score, {"rule": "score", "score": 0.5}) == 0.5


def test_summary_outcomes_and_table_agree_with_the_report(detection):
    truth, score = detection.truth, detection.score
    threshold = tables.threshold_value(score, {"rule": "share", "share": 0.1})
    flagged = score > threshold
    s = tables.summary(truth, score, flagged)
    table = tables.type_table(truth, score, threshold).set_index("defect (truth)")
    report = detection_report(score, truth["defect"], threshold=threshold).set_index("defect")
    assert table.loc["all defects", "caught"] == s["caught"]
    assert table.loc["all defects", "recall (%)"] == pytest.approx(100 * s["recall"])
    assert table.loc["pop-in", "ROC-AUC"] == pytest.approx(report.loc["popin", "roc_auc"])
    assert (table["caught"] + table["missed"] == table["curves"]).all()
    counts = pd.Series(tables.outcomes(truth, flagged)).value_counts()
    assert counts["defect, caught"] == s["caught"]
    assert counts.get("good, flagged (false alarm)", 0) == s["false_alarms"]
    assert counts.sum() == 400
    assert s["n_good"] + s["n_defect"] + s["n_rare"] == 400


def test_type_table_needs_defects():
    truth = pd.DataFrame({"defect": ["none"] * 5, "defect_size": 0.0, "rare": ""})
    with pytest.raises(ValueError, match="both good"):
        tables.type_table(truth, np.arange(5.0), 2.0)


def test_histogram_counts_every_curve_once(detection):
    group = tables.groups(detection.truth)
    frame, log = tables.histogram_frame(group, detection.score)
    assert frame["count"].sum() == 400
    assert (frame["hi"] > frame["lo"]).all()
    assert not log  # Isolation Forest scores lie in a narrow band
    wide, log = tables.histogram_frame(group, np.r_[np.ones(399), 1000.0])
    assert log and wide["count"].sum() == 400


def test_picked_curves_match_their_kind(detection):
    truth, score = detection.truth, detection.score
    flagged = score > tables.threshold_value(score, {"rule": "share", "share": 0.1})
    m = tables.masks(truth)
    top = tables.pick_shown(truth, score, flagged, widgets.INSPECT[0])
    assert len(top) == 8 and all(flagged[list(top)])
    assert list(score[list(top)]) == sorted(score[list(top)], reverse=True)
    missed = tables.pick_shown(truth, score, flagged, widgets.INSPECT[1])
    assert all(m["defect"][list(missed)] & ~flagged[list(missed)])
    alarms = tables.pick_shown(truth, score, flagged, widgets.INSPECT[2])
    assert all(m["good"][list(alarms)] & flagged[list(alarms)])
    rare = tables.pick_shown(truth, score, flagged, widgets.INSPECT[3])
    assert len(rare) == 8 and all(m["rare"][list(rare)])
    background = tables.pick_background(truth, flagged, seed=0)
    assert len(background) == 40 and all(m["good"][list(background)] & ~flagged[list(background)])


def test_grid_layout_gives_every_curve_its_own_cell():
    layout = tables.grid_layout(400, seed=0)
    assert layout[["column", "row"]].drop_duplicates().shape[0] == 400
    assert layout["column"].max() == 20 and layout["row"].max() == 20
    assert not layout.equals(tables.grid_layout(400, seed=1))
    assert tables.grid_layout(50, seed=0)["column"].max() == 8


def test_inspect_frames_hold_the_drawn_curves_and_residuals():
    pca = {**DETECTOR, "representation": "curve_rate", "features": (), "method": "pca_residual"}
    detection = cached.detect(DATA, pca)
    popins = np.flatnonzero(detection.truth["defect"] == "popin")[:3]
    curves, residuals = cached.inspect_frames(DATA, pca, tuple(popins), (0, 1))
    assert set(curves["role"]) == {"shown", "background"}
    assert set(curves.loc[curves["role"] == "shown", "curve"]) == set(popins)
    assert curves.loc[curves["role"] == "shown", "in_region"].any()
    assert set(residuals["curve"]) == set(popins)
    # the residual's peak lies in the truth's region for pop-ins on the curve rate
    peaks = residuals.loc[residuals.groupby("curve")["residual"].apply(lambda r: r.abs().idxmax())]
    assert peaks["in_region"].all()
    assert detection.peak_in_region[popins].all()


def test_bad_settings_are_named_before_anything_runs():
    assert notes.input_problems({**DATA, "defect_types": ()}, DETECTOR)
    assert notes.input_problems(DATA, {**DETECTOR, "features": ()})
    assert not notes.input_problems({**DATA, "defect_types": (), "contamination": 0.0}, DETECTOR)
    assert not notes.input_problems(DATA, DETECTOR)


@pytest.mark.parametrize(("auc_k", "auc_1", "falls"), [(0.60, 0.90, True), (0.53, 0.43, False)])
def test_many_components_note_follows_the_scores(auc_k, auc_1, falls):
    data = {"contamination": 0.1, "defect_types": ["popin"], "rare_fraction": 0.0}
    detector = {"method": "pca_residual", "n_components": 30, "representation": "curve"}
    summary = {"roc_auc": auc_k, "n_defect": 10}
    text = " ".join(notes.notes(data, detector, {}, summary, None, auc_1))
    assert ("start to model the anomalies" in text) is falls
    assert ("has not fallen" in text) is not falls
    assert f"{auc_k:.2f}" in text and f"{auc_1:.2f}" in text


def test_campaign_map_legend_shows_the_longest_outcome_whole():
    from ui.anomalies.charts import campaign_map

    cells = tables.grid_layout(len(tables.OUTCOMES), seed=0).assign(
        outcome=list(tables.OUTCOMES), curve=0, group="good", size="", score=0.0, flagged=False
    )
    legend = campaign_map(cells, 3, 3).to_dict()["encoding"]["color"]["legend"]
    longest = max(tables.OUTCOMES, key=len)  # "good, flagged (false alarm)"
    # below the map, not in the page column's cut-off right margin, and never truncated
    assert legend["orient"] == "bottom"
    assert legend["labelLimit"] >= 8 * len(longest)


def test_exercise_without_defects_asks_for_defective_curves():
    data = {"defect_types": ["popin"], "contamination": 0.0, "size_scale": 1.0}
    summary_ = {"n_defect": 0, "false_alarm_rate": 0.0}
    status, message = exercise.exercise(data, {}, None, summary_)
    assert status == "setup"
    assert "*Defective curves (%)*" in message and "Defect size" not in message
    status, message = exercise.exercise({**data, "contamination": 0.1}, {}, None, {"n_defect": 40})
    assert status == "setup" and "Set *Defect size*" in message


def test_campaign_caption_names_the_simulated_sample_not_a_literal():
    # issue 16: the campaign moved from ferrite to silicon (100), which shows every defect
    truth = cached.campaign({**DATA, "n": 60}).truth
    assert notes.campaign_sample(truth) == "silicon (100) at 5 mN"
    two = pd.DataFrame({"material": ["ferrite"] * 3 + ["silicon (100)"], "P_max_mN": 5.0})
    assert notes.campaign_sample(two) == "ferrite (3), silicon (100) (1) at 5 mN"
