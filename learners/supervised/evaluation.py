"""Honest evaluation of supervised pipelines on simulated curves: scores and the split used.

:func:`evaluate` fits a fresh copy of the pipeline on every training fold and scores it on
the curves it never saw; :func:`compare_random_vs_spatial` measures how much a random
k-fold flatters a model on an indent map compared with spatially blocked k-fold;
:func:`learning_curve_scores` shows the score against the number of training curves.

All fits run with one BLAS/OpenMP thread (``threadpoolctl``): the models are small, and on
a shared server several threads per fit oversubscribe the cores and can stall a fit for
tens of seconds.

References
----------
.. [1] D. R. Roberts et al., Ecography 40 (2017) 913 (blocked cross-validation).
   doi:10.1111/ecog.02881
.. [2] S. Varma, R. Simon, BMC Bioinformatics 7 (2006) 91 (bias of error estimates when
   the test data touch the fitting). doi:10.1186/1471-2105-7-91
.. [3] F. Pedregosa et al., J. Mach. Learn. Res. 12 (2011) 2825 (scikit-learn).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone, is_regressor
from sklearn.model_selection import learning_curve
from threadpoolctl import threadpool_limits

from .representations import curve_matrix
from .scores import (
    ClassificationReport,
    RegressionReport,
    classification_report,
    regression_report,
)
from .splits import Split, make_split


@dataclass
class EvaluationResult:
    """Scores of a pipeline on the curves it did not train on, and the split used.

    Attributes
    ----------
    task_type : {"classification", "regression"}
    split : Split
        Train/test indices per fold and the test fold of every curve.
    report : ClassificationReport or RegressionReport
        Scores pooled over the test folds.
    predictions : DataFrame
        One row per tested curve: curve (row of the dataset, or of ``dataset.test`` for
        ``"clean_test"``), fold, then ``true``/``predicted`` (classification, with
        ``proba_<class>`` columns) or ``<target>_true``/``<target>_predicted`` (regression),
        and ``correct`` (classification).
    fold_scores : DataFrame
        fold, n_train, n_test, score (accuracy or mean R2), fit_s, predict_s [s].
    models : list of Pipeline
        The fitted pipeline of each fold.
    """

    task_type: str
    split: Split
    report: ClassificationReport | RegressionReport
    predictions: pd.DataFrame
    fold_scores: pd.DataFrame
    models: list

    @property
    def score(self) -> float:
        """Accuracy (classification) or R2 averaged over the targets (regression)."""
        if isinstance(self.report, ClassificationReport):
            return self.report.accuracy
        return float(self.report.scores["R2"].mean())

    @property
    def fit_seconds(self) -> float:
        """Mean wall time of one fit [s]."""
        return float(self.fold_scores["fit_s"].mean())

    @property
    def predict_seconds(self) -> float:
        """Mean wall time of one prediction of a test fold [s]."""
        return float(self.fold_scores["predict_s"].mean())


def evaluate(
    pipeline,
    dataset,
    split: str = "random",
    *,
    test_size: float = 0.3,
    n_splits: int = 5,
    seed: int | None = 0,
    X: np.ndarray | None = None,
) -> EvaluationResult:
    """Fit ``pipeline`` on training curves and score it on held-out curves.

    Parameters
    ----------
    pipeline : sklearn estimator
        Usually from :func:`learners.make_pipeline`; cloned for every fold (the argument
        is never fitted).
    dataset : simulator.Dataset
        Curves, labels ``y`` (targets DataFrame for regression), ``groups``, ``test``.
    split : str or Split, default "random"
        A kind of :func:`learners.supervised.splits.make_split`, or a split already made
        (e.g. :func:`learners.supervised.splits.buffered_split`).
    test_size : float, default 0.3
        Held-out fraction of ``"random"``.
    n_splits : int, default 5
        Folds of the k-fold splits.
    seed : int or None, default 0
        Random state of the split.
    X : ndarray, shape (n_curves, ...), optional
        Inputs instead of ``curve_matrix(dataset)`` (e.g. indent positions, to show what a
        model that sees where an indent is learns). Not with ``"clean_test"``.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    ValueError
        For a bad split (see :func:`learners.supervised.splits.make_split`), a classification
        pipeline on regression targets or the reverse, or ``X`` of the wrong length.

    Notes
    -----
    With k-fold splits every curve is predicted once, by the model that did not see it, and
    the report pools these out-of-fold predictions; ``fold_scores`` keeps each fold's score.
    """
    regression = _check_task(pipeline, dataset)
    if isinstance(split, Split):
        the_split = split
    else:
        the_split = make_split(dataset, split, test_size=test_size, n_splits=n_splits, seed=seed)
    X_train_all, y_train_all = _inputs(dataset, X), _targets(dataset)
    if the_split.on_test_set:
        if X is not None:
            raise ValueError("X cannot be given with split='clean_test'.")
        X_test_all, y_test_all, test_data = (
            curve_matrix(dataset.test),
            _targets(dataset.test),
            dataset.test,
        )
    else:
        X_test_all, y_test_all, test_data = X_train_all, y_train_all, dataset
    models, rows, parts = [], [], []
    with threadpool_limits(limits=1):
        for k, (train, test) in enumerate(zip(the_split.train, the_split.test, strict=True)):
            model = clone(pipeline)
            t0 = time.perf_counter()
            model.fit(X_train_all[train], _take(y_train_all, train))
            t1 = time.perf_counter()
            prediction = _predict(model, X_test_all[test], regression)
            t2 = time.perf_counter()
            models.append(model)
            part = pd.DataFrame({"curve": test, "fold": k})
            parts.append((part, prediction))
            y_k = _take(y_test_all, test)
            rows.append(
                {
                    "fold": k,
                    "n_train": len(train),
                    "n_test": len(test),
                    "score": _fold_score(y_k, prediction, regression),
                    "fit_s": t1 - t0,
                    "predict_s": t2 - t1,
                }
            )
    predictions, report = _pool(parts, y_test_all, test_data, dataset, regression)
    return EvaluationResult(
        task_type="regression" if regression else "classification",
        split=the_split,
        report=report,
        predictions=predictions,
        fold_scores=pd.DataFrame(rows),
        models=models,
    )


def _check_task(pipeline, dataset) -> bool:
    """True for regression; raises when the pipeline and the dataset's labels disagree."""
    regression = bool(is_regressor(pipeline))
    targets = isinstance(dataset.y, pd.DataFrame)
    if regression != targets:
        want = "regression" if targets else "classification"
        raise ValueError(
            f"The {dataset.task!r} task needs a {want} pipeline "
            f"(make_pipeline(..., task_type={want!r})). Got a "
            f"{'regression' if regression else 'classification'} pipeline."
        )
    return regression


def _inputs(dataset, X) -> np.ndarray:
    if X is None:
        return curve_matrix(dataset)
    X = np.asarray(X)
    if X.ndim < 2 or X.shape[0] != len(dataset.truth):
        raise ValueError(
            f"X must have one row per curve ({len(dataset.truth)}). Got shape {X.shape}."
        )
    return X


def _targets(dataset):
    y = dataset.y
    return y.reset_index(drop=True) if isinstance(y, pd.DataFrame) else np.asarray(y)


def _take(y, rows):
    return y.iloc[rows].to_numpy(dtype=float) if isinstance(y, pd.DataFrame) else y[rows]


def _predict(model, X, regression: bool) -> dict:
    if regression:
        return {"predicted": np.asarray(model.predict(X), dtype=float)}
    out = {"predicted": np.asarray(model.predict(X)).astype(str)}
    if hasattr(model, "predict_proba"):
        out["proba"] = np.asarray(model.predict_proba(X), dtype=float)
        out["proba_classes"] = np.asarray(model.classes_).astype(str)
    return out


def _fold_score(y_true, prediction: dict, regression: bool) -> float:
    if not regression:
        return float(np.mean(np.asarray(y_true).astype(str) == prediction["predicted"]))
    pred = prediction["predicted"].reshape(y_true.shape)
    resid = ((y_true - pred) ** 2).sum(axis=0)
    total = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.mean(1 - resid / total))


def _pool(parts, y_all, test_data, dataset, regression: bool):
    """Out-of-fold predictions of all folds in one table, and the report on them."""
    frame = pd.concat([p for p, _ in parts], ignore_index=True)
    curve = frame["curve"].to_numpy()
    if regression:
        pred = np.concatenate([d["predicted"] for _, d in parts]).reshape(len(curve), -1)
        true = y_all.iloc[curve].reset_index(drop=True)
        for j, target in enumerate(true.columns):
            frame[f"{target}_true"] = true[target].to_numpy()
            frame[f"{target}_predicted"] = pred[:, j]
        depth = _max_depth_nm(test_data)[curve]
        return frame, regression_report(true, pred, depth, curve=curve)
    classes = list(dataset.classes) if dataset.classes is not None else sorted(set(y_all))
    frame["true"] = np.asarray(y_all)[curve].astype(str)
    frame["predicted"] = np.concatenate([d["predicted"] for _, d in parts])
    frame["correct"] = frame["true"] == frame["predicted"]
    proba = None
    if all("proba" in d for _, d in parts):
        # Align every fold's probability columns to the dataset's class order (a fold may
        # have missed a class: its column is 0).
        proba = np.zeros((len(curve), len(classes)))
        start = 0
        for _, d in parts:
            stop = start + len(d["predicted"])
            for j, c in enumerate(d["proba_classes"]):
                if c in classes:
                    proba[start:stop, classes.index(c)] = d["proba"][:, j]
            start = stop
        for j, c in enumerate(classes):
            frame[f"proba_{c}"] = proba[:, j]
    report = classification_report(frame["true"], frame["predicted"], classes, proba)
    return frame, report


def _max_depth_nm(data) -> np.ndarray:
    """Largest measured depth of each curve [nm]."""
    h = np.asarray(data.h_nm, dtype=float)
    return np.where(np.isfinite(h), h, -np.inf).max(axis=1)


@dataclass
class LeakageComparison:
    """Random k-fold against spatially blocked k-fold on the same map and pipeline.

    Attributes
    ----------
    random, spatial : EvaluationResult
        The two cross-validations (first repeat), with their splits for drawing.
    table : DataFrame
        split ("random" or "spatial"), repeat, fold, score: every fold of every repeat.
    gap : float
        Mean random-fold score minus mean spatial-fold score (accuracy or R2). Positive
        when random CV flatters the model.
    gap_se : float
        Standard error of the gap (fold scores treated as independent).
    metric : str
        "accuracy" or "R2".
    """

    random: EvaluationResult
    spatial: EvaluationResult
    table: pd.DataFrame
    gap: float
    gap_se: float
    metric: str

    @property
    def summary(self) -> pd.DataFrame:
        """Mean, sd and number of folds of each split's score."""
        return self.table.groupby("split")["score"].agg(["mean", "std", "count"])


def compare_random_vs_spatial(
    pipeline,
    dataset,
    *,
    n_splits: int = 5,
    n_repeats: int = 1,
    seed: int | None = 0,
    X: np.ndarray | None = None,
) -> LeakageComparison:
    """Measure the leakage gap: random k-fold score minus spatially blocked k-fold score.

    Parameters
    ----------
    pipeline : sklearn estimator
    dataset : simulator.Dataset
        An indent map (task "phase"): its groups are the spatial blocks.
    n_splits : int, default 5
        Folds of both cross-validations.
    n_repeats : int, default 1
        Repeat both with seeds seed, seed + 1, ... to shrink the noise of the gap.
    seed : int, default 0
    X : ndarray, optional
        Inputs instead of the curve matrix (see :func:`evaluate`).

    Returns
    -------
    LeakageComparison

    Notes
    -----
    The two cross-validations differ only in how curves are assigned to folds. Neighbouring
    indents share grains (and, at close spacing, overlapping zones of influence); a random
    split puts neighbours on both sides, so whatever the features share between neighbours
    beyond the label leaks into the test score. The gap is whatever the data make it: it is
    measured, never set.
    """
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, (int, np.integer)):
        raise ValueError(f"n_repeats must be a whole number >= 1. Got {n_repeats!r}.")
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be a whole number >= 1. Got {n_repeats!r}.")
    base = 0 if seed is None else int(seed)
    first: dict[str, EvaluationResult] = {}
    rows = []
    for r in range(int(n_repeats)):
        for kind, split in (("random", "kfold"), ("spatial", "spatial")):
            result = evaluate(pipeline, dataset, split, n_splits=n_splits, seed=base + r, X=X)
            first.setdefault(kind, result)
            scores = result.fold_scores
            rows += [
                {"split": kind, "repeat": r, "fold": int(f), "score": float(s)}
                for f, s in zip(scores["fold"], scores["score"], strict=True)
            ]
    table = pd.DataFrame(rows)
    groups = table.groupby("split")["score"]
    mean, var, count = groups.mean(), groups.var(ddof=1), groups.count()
    gap = float(mean["random"] - mean["spatial"])
    se = float(np.sqrt(var["random"] / count["random"] + var["spatial"] / count["spatial"]))
    metric = "R2" if first["random"].task_type == "regression" else "accuracy"
    return LeakageComparison(first["random"], first["spatial"], table, gap, se, metric)


def learning_curve_scores(
    pipeline,
    dataset,
    *,
    train_sizes: Sequence[float] = (0.1, 0.25, 0.5, 0.75, 1.0),
    split: str = "kfold",
    n_splits: int = 5,
    seed: int | None = 0,
    scoring: str | None = None,
    X: np.ndarray | None = None,
) -> pd.DataFrame:
    """Score against the number of training curves (scikit-learn ``learning_curve``).

    Parameters
    ----------
    pipeline : sklearn estimator
    dataset : simulator.Dataset
    train_sizes : sequence of float in (0, 1], default (0.1, 0.25, 0.5, 0.75, 1.0)
        Fractions of each training fold used (random subsets).
    split : {"kfold", "spatial", "group"}, default "kfold"
        The cross-validation the curve is drawn with.
    n_splits : int, default 5
    seed : int or None, default 0
    scoring : str, optional
        A scikit-learn scorer name; default accuracy (classification) or R2 (regression).
    X : ndarray, optional
        Inputs instead of the curve matrix.

    Returns
    -------
    DataFrame
        Long table: n_train, fold, train_score, test_score (NaN where a fit failed, e.g. a
        subset with one class only).
    """
    if split not in ("kfold", "spatial", "group"):
        raise ValueError(f"split must be one of kfold, spatial, group. Got {split!r}.")
    sizes = np.asarray(train_sizes, dtype=float)
    if sizes.ndim != 1 or sizes.size == 0 or np.any((sizes <= 0) | (sizes > 1)):
        raise ValueError(f"train_sizes must be fractions in (0, 1]. Got {train_sizes!r}.")
    _check_task(pipeline, dataset)
    the_split = make_split(dataset, split, n_splits=n_splits, seed=seed)
    y = _targets(dataset)
    y = y.to_numpy(dtype=float) if isinstance(y, pd.DataFrame) else y
    cv = list(zip(the_split.train, the_split.test, strict=True))
    with threadpool_limits(limits=1):
        n_train, train_scores, test_scores = learning_curve(
            clone(pipeline),
            _inputs(dataset, X),
            y,
            train_sizes=sizes,
            cv=cv,
            scoring=scoring,
            shuffle=True,
            random_state=seed,
            error_score=np.nan,
        )
    k = test_scores.shape[1]
    return pd.DataFrame(
        {
            "n_train": np.repeat(n_train, k),
            "fold": np.tile(np.arange(k), len(n_train)),
            "train_score": train_scores.ravel(),
            "test_score": test_scores.ravel(),
        }
    )


__all__ = [
    "EvaluationResult",
    "LeakageComparison",
    "compare_random_vs_spatial",
    "evaluate",
    "learning_curve_scores",
]
