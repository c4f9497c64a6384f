"""Cached wrappers of the "What a model sees" page: curves, features, the resampled curve, PCA,
and the cross-validated comparison of representations.

Every function is pure and keyed by plain settings (see :mod:`ui.model_sees.widgets`: *data
settings* ``{"task", "n", "seed"}`` and *curve settings* ``{"on", "branches"}``), so every
session on the same settings shares one result. Each cache keeps a bounded number of
entries. Fits run with one BLAS/OpenMP thread (``learners.evaluate`` makes sure of it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from learners import evaluate, make_pipeline
from learners.supervised.representations import (
    ENGINEERED_FEATURES,
    CurveFeatures,
    ResampledCurve,
    curve_matrix,
)
from learners.supervised.separability import pair_scores as _pair_scores
from learners.supervised.separability import single_scores as _single_scores
from learners.supervised.uncertainty import accuracy_scored, baseline_predictions
from simulator import Dataset, make_dataset
from ui.model_sees.widgets import MAX_COMPONENTS, TASKS

#: Most datasets kept (a 200-curve set is about 4 MB, 1000 curves about 20 MB).
MAX_DATASETS = 8
#: Most results of the cheaper functions kept.
MAX_ENTRIES = 64
#: Folds of every cross-validation on the page, and the fewest curves a class needs.
FOLDS = 5
#: Components the PCA panel computes (at most; also limited by curves and columns): as many
#: as the PCA model may keep, so every kept component has its bar.
PCA_SHOWN = MAX_COMPONENTS
#: The representations compared, in order: key, label, make_pipeline representation.
COMPARED = (
    ("op2", "Oliver-Pharr H, E (+ failed-analysis flags)", "op"),
    ("features", f"All {len(ENGINEERED_FEATURES)} engineered features", "features"),
    ("curve", "Full curve (resampled vector)", "curve"),
    ("pca", "PCA of the full curve", "pca"),
)


@st.cache_data(max_entries=MAX_DATASETS, show_spinner=False)
def dataset(data: dict) -> Dataset:
    """The labelled curves of data settings (:func:`simulator.make_dataset`).

    Raises
    ------
    ValueError
        From the simulator, for impossible settings.
    """
    task, options, _ = TASKS[data["task"]]
    made = make_dataset(task, data["n"], seed=data["seed"], **options)
    made.extra = {}
    return made


def class_counts(data: dict) -> pd.Series:
    """Curves per class, in the task's class order (0 for a class that got none)."""
    made = dataset(data)
    return pd.Series(made.y).value_counts().reindex(made.classes, fill_value=0)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def feature_table(data: dict) -> pd.DataFrame:
    """The engineered features of every curve, one row per curve, plus ``class``.

    Columns: :data:`learners.supervised.representations.ENGINEERED_FEATURES` (unit-bearing names,
    NaN
    where a feature does not exist on a curve, e.g. no pop-in) and ``class``.
    """
    made = dataset(data)
    X = curve_matrix(made)
    values = CurveFeatures(features=ENGINEERED_FEATURES).fit(X).transform(X)
    table = pd.DataFrame(values, columns=list(ENGINEERED_FEATURES))
    table.insert(0, "class", made.y)
    return table


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def separability(data: dict) -> tuple[pd.Series, pd.DataFrame]:
    """Cross-validated accuracy of every feature alone and of every pair of features.

    A linear discriminant in stratified :data:`FOLDS`-fold cross-validation
    (:mod:`learners.supervised.separability`). The features are computed per curve without fitting
    anything, so computing them before the split leaks nothing.
    """
    table = feature_table(data)
    X, y = table[list(ENGINEERED_FEATURES)], table["class"].to_numpy()
    seed = data["seed"]
    return (
        _single_scores(X, y, n_splits=FOLDS, seed=seed),
        _pair_scores(X, y, n_splits=FOLDS, seed=seed),
    )


def _curve_transformer(curve: dict) -> ResampledCurve:
    return ResampledCurve(on=curve["on"], branches=tuple(curve["branches"]))


@dataclass
class Resampled:
    """The full-curve representation of every curve.

    Attributes
    ----------
    values : ndarray, shape (n_curves, n_values)
        What a full-curve model receives (before its scaler), units per column.
    columns : list of str
        Unit-bearing names, e.g. ``h_load_nm_at_50pct_Pmax``, ``dh_hold_nm_at_50pct_t``.
    branch : list of str
        The part of the curve each column comes from ("scale" for the last one).
    classes : ndarray of str, shape (n_curves,)
    """

    values: np.ndarray
    columns: list[str]
    branch: list[str]
    classes: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.values.shape)  # type: ignore[return-value]


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def resampled(data: dict, curve: dict) -> Resampled:
    """The curves on the common grid of ``curve`` settings (:class:`ResampledCurve`)."""
    made = dataset(data)
    transformer = _curve_transformer(curve)
    X = curve_matrix(made)
    values = transformer.fit(X).transform(X)
    sizes = {"loading": transformer.n_grid, "unloading": transformer.n_grid}
    branch = [b for b in curve["branches"] for _ in range(sizes.get(b, transformer.n_hold))]
    return Resampled(
        values=values,
        columns=[str(c) for c in transformer.get_feature_names_out()],
        branch=[*branch, "scale"],
        classes=np.asarray(made.y),
    )


@dataclass
class CurvePCA:
    """Principal components of the standardised resampled curves.

    Attributes
    ----------
    explained : ndarray, shape (n_components,)
        Share of the total (standardised) variance each component explains [-].
    scores : DataFrame
        PC1, PC2 (dimensionless) and class of every curve.
    """

    explained: np.ndarray
    scores: pd.DataFrame


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def curve_pca(data: dict, curve: dict) -> CurvePCA:
    """PCA of the resampled curves as the "pca" representation does it: median-impute,
    standardise every column, project (fitted on all curves: this is a picture, not a
    score)."""
    r = resampled(data, curve)
    k = min(PCA_SHOWN, r.values.shape[1], r.values.shape[0] - 1)
    steps = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("standardise", StandardScaler()),
            ("pca", PCA(n_components=k, random_state=0)),
        ]
    )
    with threadpool_limits(1):
        scores = steps.fit_transform(r.values)
    frame = pd.DataFrame({"PC1": scores[:, 0], "PC2": scores[:, 1] if k > 1 else 0.0})
    frame["class"] = r.classes
    return CurvePCA(explained=steps["pca"].explained_variance_ratio_, scores=frame)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def comparison(data: dict, curve: dict, n_components: int, model: str) -> pd.DataFrame:
    """Cross-validated accuracy of one model type on each representation of :data:`COMPARED`.

    Stratified :data:`FOLDS`-fold cross-validation (:func:`learners.evaluate`, split
    "kfold"): every step, the scaler, imputer and PCA included, is fitted on the training
    folds only.

    Returns
    -------
    DataFrame
        One row per representation: ``key``, ``representation``, ``values`` (numbers the
        model gets per curve, missing-value indicators included), ``accuracy`` (pooled
        over the folds), ``sd`` (standard deviation of the fold accuracies), ``low`` and
        ``high`` (its 95 % Wilson interval over the ``n`` curves) and ``baseline`` (the
        accuracy of always answering the training folds' most frequent class) [-].

    Raises
    ------
    ValueError
        From the learners, e.g. a class with fewer curves than folds.
    """
    made = dataset(data)
    X = curve_matrix(made)
    options = {
        "on": curve["on"],
        "branches": tuple(curve["branches"]),
        "n_components": int(n_components),
    }
    rows = []
    for key, label, representation in COMPARED:
        pipe = make_pipeline(representation, model, seed=data["seed"], **options)
        result = evaluate(pipe, made, "kfold", n_splits=FOLDS, seed=data["seed"], X=X)
        n_values = len(result.models[0][:-1].get_feature_names_out())
        p = result.predictions
        base = baseline_predictions(np.asarray(made.y), result.split.train, result.split.test)
        scored = accuracy_scored(p["true"], p["predicted"], base)
        rows.append(
            {
                "key": key,
                "representation": label,
                "values": n_values,
                "accuracy": float(result.score),
                "sd": float(result.fold_scores["score"].std(ddof=1)),
                "low": scored.low,
                "high": scored.high,
                "baseline": scored.baseline,
                "n": len(p),
            }
        )
    return pd.DataFrame(rows)
