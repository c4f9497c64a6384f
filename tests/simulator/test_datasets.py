"""Labelled datasets: labels follow their stated truth; confound only in training."""

import numpy as np
import pandas as pd
import pytest

from learners import oliver_pharr
from simulator import TASKS, make_dataset


@pytest.mark.parametrize("task", TASKS)
def test_every_task_makes_labelled_curves_with_truth(task):
    d = make_dataset(task, 60, seed=3)
    assert d.h_nm.shape[0] == d.n == len(d.truth) == len(d.y)
    assert d.description and d.informative
    if d.classes is not None:
        assert set(np.unique(d.y)) <= set(d.classes)


@pytest.mark.parametrize("task", TASKS)
def test_same_seed_same_dataset(task):
    a, b = make_dataset(task, 40, seed=5), make_dataset(task, 40, seed=5)
    assert np.array_equal(a.h_nm, b.h_nm) and np.array_equal(a.P_mN, b.P_mN)
    pd.testing.assert_frame_equal(a.truth, b.truth)


def test_quality_defects_sit_where_the_truth_says():
    d = make_dataset("quality", 140, seed=2)
    good = d.truth["defect"] == "none"
    assert not d.defect_region[good.to_numpy()].any()
    for kind in ("popin", "elbow", "crack", "drift", "surface_offset"):
        rows = (d.truth["defect"] == kind).to_numpy()
        assert rows.any() and d.defect_region[rows].any(axis=1).all()
    # Size scale shrinks every defect.
    small = make_dataset("quality", 140, seed=2, size_scale=0.2)
    bad = ~good.to_numpy()
    ratio = small.truth["defect_size"].abs()[bad] / d.truth["defect_size"].abs()[bad]
    np.testing.assert_allclose(ratio, 0.2)


def test_confound_links_day_to_label_in_training_only():
    d = make_dataset("confounded", 400, seed=1)
    train = pd.crosstab(d.truth["label"], d.truth["day"], normalize="index")
    test = pd.crosstab(d.test.truth["label"], d.test.truth["day"], normalize="index")
    assert train.loc["aged", 1] > 0.8 and train.loc["as-received", 2] > 0.8
    assert abs(test.loc["aged", 1] - test.loc["as-received", 1]) < 0.2
    # The physical signal is weak: hardness differs by a few % against a wider scatter.
    H = d.truth.groupby("label")["H_GPa"].median()
    assert 1.0 < H["aged"] / H["as-received"] < 1.08


def test_properties_pileup_grows_with_E_over_H_and_biases_oliver_pharr():
    d = make_dataset("properties", 200, seed=4)
    r = oliver_pharr(d.h_nm, d.P_mN, nu=d.truth["nu"].to_numpy())
    bias = r["H_GPa"] / d.y["H_GPa"] - 1
    soft = d.truth["E_over_H"] > 60
    assert bias[soft].median() > 0.1
    assert abs(bias[d.truth["E_over_H"] < 35].median()) < 0.02


def test_anomaly_campaign_contamination_and_rare_curves():
    d = make_dataset("anomalies", 500, contamination=0.1, rare_fraction=0.04, seed=1)
    assert (d.y == "anomaly").mean() == pytest.approx(0.1, abs=0.005)
    rare = d.truth["rare"] != ""
    assert rare.sum() == 20 and (d.truth.loc[rare, "defect"] == "none").all()


def test_bad_dataset_arguments():
    with pytest.raises(ValueError, match="Unknown task"):
        make_dataset("astrology", 10)
    with pytest.raises(ValueError, match="Allowed"):
        make_dataset("quality", 10, colour="red")
    with pytest.raises(ValueError, match="Unknown defect type"):
        make_dataset("quality", 10, defect_types=("gremlins",))
    with pytest.raises(ValueError, match="n must be"):
        make_dataset("material", 1)


@pytest.mark.parametrize("task", TASKS)
def test_every_task_takes_a_worn_tip(task):
    ideal = make_dataset(task, 20, seed=1)
    worn = make_dataset(task, 20, seed=1, tip_radius_nm=200.0)
    assert set(worn.truth["tip"]) == {"Berkovich, rounded R = 200 nm"}
    assert set(ideal.truth["tip"]) == {"ideal Berkovich"}
    # Same materials and draws, blunter tip: at the same load a rounded tip goes less deep.
    assert np.array_equal(ideal.truth["E_GPa"], worn.truth["E_GPa"])
    assert (worn.truth["h_max_nm"] < ideal.truth["h_max_nm"]).all()


@pytest.mark.parametrize("task", ["material", "quality", "anomalies"])
def test_classes_come_in_random_order(task):
    """Not class by class: the first tenth of a dataset already holds several classes."""
    d = make_dataset(task, 200, seed=0)
    labels = np.asarray(d.y if task != "anomalies" else d.truth["defect"])
    assert len(set(labels[:20])) >= 2
    assert not np.all(labels[:-1] <= labels[1:])  # not sorted
