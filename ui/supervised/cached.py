"""Cached wrappers of the labelled datasets and of honest evaluation (supervised pages).

Every function is pure and keyed by plain settings (see :mod:`ui.supervised.widgets`: *data
settings* and *model settings*), so every session on the same settings shares one result:
thirty learners pressing "Train" on the defaults cost one evaluation. What is cached is a
dataset (its curves, labels and truth) or a compact summary of an evaluation (scores,
predictions, the split as a table); fitted models are never cached here: they belong to the
learner's session (:mod:`ui.supervised.session`). Each cache keeps a bounded number of
entries.

All fits run with one BLAS/OpenMP thread (``learners.evaluate`` and friends make sure of
it): on a small shared machine gradient boosting with two threads can stall.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.exceptions import FitFailedWarning

from learners import (
    evaluate,
    learning_curve_scores,
    make_pipeline,
    oliver_pharr_baseline,
    out_of_range_check,
)
from learners.supervised.baselines import OUT_OF_RANGE_SCENARIOS
from learners.supervised.scores import ClassificationReport, RegressionReport
from learners.supervised.splits import make_split
from learners.supervised.uncertainty import baseline_predictions
from simulator import DEFAULT_NOISE, Dataset, make_dataset
from ui.supervised import scoring

#: Most datasets kept (6-11 MB at 300 curves, up to ~35 MB at 1000 with a clean test set).
MAX_DATASETS = 6
#: Most evaluation summaries kept (each well under 1 MB).
MAX_SUMMARIES = 64
#: Training-set fractions and folds of the learning curve (12 fits, most of them small).
LEARNING_SIZES = (0.15, 0.3, 0.6, 1.0)
LEARNING_FOLDS = 3
#: Neighbours of the positive-control model that sees only the stage position.
CONTROL_NEIGHBOURS = 5


def noise_settings(level: float) -> dict:
    """The simulator's noise dict for ``level`` times the typical instrument noise."""
    return {
        "load_noise_mN": level * DEFAULT_NOISE.load_noise_mN,
        "depth_noise_nm": level * DEFAULT_NOISE.depth_noise_nm,
    }


def task_type(data: dict) -> str:
    """ "regression" for the properties task, else "classification"."""
    return "regression" if data["task"] == "properties" else "classification"


def build_dataset(data: dict) -> Dataset:
    """The labelled curves of data settings (:func:`simulator.make_dataset`), not cached.

    The map and microstructure objects of the phase task (``extra``) are dropped: the
    truth table holds every indent's position, phase and block.

    Raises
    ------
    ValueError
        From the simulator, for impossible settings (fewer than two materials, an empty
        defect list, a range whose ends meet ...).
    """
    made = make_dataset(
        data["task"],
        data["n"],
        seed=data["seed"],
        noise=noise_settings(data["noise"]),
        **data["options"],
    )
    made.extra = {}
    return made


@st.cache_data(max_entries=MAX_DATASETS, show_spinner=False)
def dataset(data: dict) -> Dataset:
    """:func:`build_dataset`, cached by the data settings."""
    return build_dataset(data)


def pipeline(model: dict, kind: str):
    """An unfitted pipeline for model settings (:func:`learners.make_pipeline`)."""
    options = {}
    if model.get("features") is not None:
        options["features"] = tuple(model["features"])
    if model.get("branches") is not None:
        options["branches"] = tuple(model["branches"])
    if model.get("n_components") is not None:
        options["n_components"] = int(model["n_components"])
    return make_pipeline(model["representation"], model["model"], task_type=kind, seed=0, **options)


def evaluation_key(model: dict) -> dict:
    """The model settings an evaluation depends on, without the options its split ignores
    (so runs that differ only in what the evaluation does not use share one cache entry)."""
    key = model_core(model) | {k: model.get(k) for k in ("split", "test_size", "n_splits")}
    if key["split"] != "random":
        key["test_size"] = None
    if key["split"] in ("random", "clean_test"):
        key["n_splits"] = None
    return key


@dataclass
class Evaluation:
    """What a page shows of an evaluation: scores, predictions and the split, no models.

    Attributes
    ----------
    task_type : {"classification", "regression"}
    split : str
        The split kind.
    on_test_set : bool
        True when the predictions are of ``dataset.test`` (split "clean_test").
    report : ClassificationReport or RegressionReport
    predictions : DataFrame
        One row per tested curve (see :class:`learners.supervised.evaluation.EvaluationResult`).
    fold_scores : DataFrame
        fold, n_train, n_test, score, fit_s, predict_s.
    split_frame : DataFrame
        One row per curve of the dataset: curve, fold (-1: training only), role, group and
        x_um, y_um when known.
    score : float
        Accuracy or mean R2.
    seconds : float
        Wall time of the whole evaluation [s].
    baseline : ndarray
        What the baseline predicts for each row of ``predictions`` (the training folds'
        most frequent class, or their mean of every target): the same split, no inputs.
    """

    task_type: str
    split: str
    on_test_set: bool
    report: ClassificationReport | RegressionReport
    predictions: pd.DataFrame
    fold_scores: pd.DataFrame
    split_frame: pd.DataFrame
    score: float
    seconds: float
    baseline: np.ndarray | None = None

    @property
    def n_fits(self) -> int:
        return len(self.fold_scores)


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def evaluation(data: dict, model: dict) -> Evaluation:
    """Evaluate the model settings on the data settings with the chosen split.

    ``model`` should be passed through :func:`evaluation_key`. Raises ValueError for
    settings the learners reject (a split the task cannot have, too few curves or blocks
    for the folds, a model that needs more curves per class ...).
    """
    made = dataset(data)
    t0 = time.perf_counter()
    result = evaluate(
        pipeline(model, task_type(data)),
        made,
        model["split"],
        test_size=model["test_size"] or 0.3,
        n_splits=model["n_splits"] or 5,
        seed=data["seed"],
    )
    return Evaluation(
        task_type=result.task_type,
        split=model["split"],
        on_test_set=result.split.on_test_set,
        report=result.report,
        predictions=result.predictions,
        fold_scores=result.fold_scores,
        split_frame=result.split.frame(made),
        score=result.score,
        seconds=time.perf_counter() - t0,
        baseline=baseline_predictions(
            made.y.to_numpy(dtype=float) if isinstance(made.y, pd.DataFrame) else made.y,
            result.split.train,
            result.split.test,
            regression=result.task_type == "regression",
        ),
    )


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def scored(data: dict, model: dict) -> dict:
    """Every score of :func:`evaluation` with its interval and the baseline's score
    (:mod:`ui.supervised.scoring`); ``model`` through :func:`evaluation_key`."""
    result = evaluation(data, model)
    if result.task_type == "regression":
        return scoring.regression_scores(result)
    return scoring.classification_scores(result)


def split_problem(data: dict, model: dict) -> str | None:
    """Why the split of ``model`` cannot be made on this dataset, or None if it can.

    Cheap (no fitting): the learners' own check, so the message is theirs.
    """
    try:
        make_split(
            dataset(data),
            model["split"],
            test_size=model["test_size"] or 0.3,
            n_splits=model["n_splits"] or 5,
            seed=data["seed"],
        )
    except ValueError as err:
        return str(err)
    return None


def learning_split(model: dict) -> str:
    """The cross-validation the learning curve uses for the evaluation split."""
    return model["split"] if model["split"] in ("spatial", "group") else "kfold"


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def learning_curve(data: dict, model: dict) -> pd.DataFrame:
    """Score against the number of training curves (:func:`learners.learning_curve_scores`).

    ``model`` needs representation, model, options and split; its k is not used: the
    curve uses :data:`LEARNING_FOLDS` folds and :data:`LEARNING_SIZES`.
    """
    with warnings.catch_warnings():
        # A small subset may hold one class only, or fewer curves than a PCA needs: that
        # fit's score is NaN (dropped from the chart), not an error.
        warnings.simplefilter("ignore", FitFailedWarning)
        return learning_curve_scores(
            pipeline(model, task_type(data)),
            dataset(data),
            train_sizes=LEARNING_SIZES,
            split=learning_split(model),
            n_splits=LEARNING_FOLDS,
            seed=data["seed"],
        )


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def op_baseline(data: dict) -> RegressionReport:
    """Oliver-Pharr H and E of every curve against the truth (true ν given)."""
    return oliver_pharr_baseline(dataset(data))


@dataclass
class OutOfRange:
    """The out-of-range lesson without the fitted model.

    Attributes
    ----------
    table : DataFrame
        subset, method, target, median_abs_rel_error, mean_abs_rel_error, MAE, n.
    reports : dict
        ``reports[(subset, method)]`` is a RegressionReport (parity tables).
    train_E_over_H, test_E_over_H : (float, float)
    n_train, n_test : int
    """

    table: pd.DataFrame
    reports: dict
    train_E_over_H: tuple[float, float]
    test_E_over_H: tuple[float, float]
    n_train: int
    n_test: int

    def error(self, subset: str, method: str, target: str = "H_GPa") -> float:
        """Median |relative error| [-], NaN when the subset is empty."""
        row = self.table[
            (self.table["subset"] == subset)
            & (self.table["method"] == method)
            & (self.table["target"] == target)
        ]
        return float(row["median_abs_rel_error"].iloc[0]) if len(row) else float("nan")


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def out_of_range(data: dict, model: dict, scenario: str) -> OutOfRange:
    """Train on one E/H range, test inside and outside it, ML beside Oliver-Pharr.

    The scenario is a key of :data:`learners.supervised.baselines.OUT_OF_RANGE_SCENARIOS`; the data
    settings give the number of curves (n to train, n/2 for each test), the E range, the
    pile-up, the noise and the seed.
    """
    train_range, test_range = OUT_OF_RANGE_SCENARIOS[scenario]
    options = data["options"]
    n_test = max(20, data["n"] // 2)
    check = out_of_range_check(
        pipeline(model, "regression"),
        train_E_over_H=train_range,
        test_E_over_H=test_range,
        n_train=data["n"],
        n_test=n_test,
        seed=data["seed"],
        E_GPa=options["E_GPa"],
        pileup=options["pileup"],
        pileup_max=options["pileup_max"],
        noise=noise_settings(data["noise"]),
    )
    return OutOfRange(
        check.table, check.reports, tuple(train_range), tuple(test_range), data["n"], n_test
    )


def class_counts(made: Dataset) -> pd.DataFrame:
    """Curves per class in the dataset's class order: class, curves."""
    labels = pd.Series(np.asarray(made.y).astype(str))
    counts = labels.value_counts()
    return pd.DataFrame(
        {"class": made.classes, "curves": [int(counts.get(c, 0)) for c in made.classes]}
    )


def model_core(model: dict) -> dict:
    """Only what the pipeline is made of (no split settings)."""
    keys = ("representation", "model", "features", "branches", "n_components")
    return {k: model.get(k) for k in keys}


def leakage_model(model: dict) -> dict:
    """The model settings of the leakage comparison: the pipeline and its folds (5 when the
    learner's split has none)."""
    return model_core(model) | {"n_splits": model["n_splits"] or 5}


def classify_extras(data: dict, model: dict) -> dict:
    """What a "Train" on the Classify page computes besides the main evaluation.

    The learning curve always; on an indent map the random-vs-spatial comparison and its
    positive control; on the Clever Hans task the random split and the clean test set.
    Values are callables (cached functions), so :func:`ui.supervised.session.train` can
    keep a failing one as a message.
    """
    from . import cached_leakage  # it builds on this module

    core = model_core(model)
    extras = {
        "learning_curve": lambda: learning_curve(data, core | {"split": learning_split(model)})
    }
    if data["task"] == "phase":
        extras["leakage"] = lambda: cached_leakage.map_leakage(data, leakage_model(model))
    if data["task"] == "confounded":
        held_out = model["test_size"] or 0.3
        extras["random"] = lambda: evaluation(
            data, core | {"split": "random", "test_size": held_out, "n_splits": None}
        )
        extras["clean"] = lambda: evaluation(
            data, core | {"split": "clean_test", "test_size": None, "n_splits": None}
        )
    return extras


def property_extras(data: dict, model: dict) -> dict:
    """What a "Train" on the Predict page computes besides the main evaluation: the
    Oliver-Pharr baseline of every curve and the out-of-range lesson (``model["scenario"]``).
    """
    core = model_core(model)
    return {
        "op": lambda: op_baseline(data),
        "out_of_range": lambda: out_of_range(data, core, model["scenario"]),
    }
