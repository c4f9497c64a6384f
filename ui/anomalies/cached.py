"""Cached wrappers of the anomaly campaign and its detectors ("Find bad curves").

Every function is pure and keyed by plain settings dicts, so learners on the same settings
share one result. What is cached is compact: one score per curve with a small truth table
(:func:`detect`), and the few curves a chart draws (:func:`inspect_frames`). The campaign's
raw curves (a 400-curve campaign holds ~8 MB of arrays) are simulated again when needed
(0.05 s for 400 curves) instead of being kept. Each cache keeps a bounded number of entries.

*Campaign settings* (:func:`ui.anomalies.widgets.campaign_controls`): ``n``, ``contamination``
[-], ``defect_types`` (tuple), ``size_scale`` [-], ``rare_fraction`` [-], ``seed``.
*Detector settings* (:func:`ui.anomalies.widgets.detector_controls`): ``representation``,
``features`` (tuple), ``method``, ``n_components``, ``fit_share`` [-].

Scikit-learn runs with one BLAS/OpenMP thread here, as in :mod:`ui.maps.cached`: the app
serves many sessions at once on a small machine.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from learners import find_popins
from learners.unsupervised.anomaly import Detector, anomaly_inputs, residual_peak_in_truth
from simulator import make_dataset

#: Most results each cache keeps.
MAX_ENTRIES = 64
#: Every how many points a background (good) curve is drawn.
BACKGROUND_STEP = 3
#: Truth columns kept per curve.
TRUTH_COLUMNS = ("defect", "defect_size", "rare", "material", "E_GPa", "H_GPa", "P_max_mN")


@dataclass(frozen=True)
class Detection:
    """One detector's scores on one campaign, with the campaign's truth.

    Attributes
    ----------
    truth : DataFrame, one row per curve
        ``defect`` ("none" for good and rare curves), ``defect_size`` (in the type's unit),
        ``rare`` ("", "popin" or "inclusion"), ``material``, true ``E_GPa`` and ``H_GPa``,
        and ``region_points`` (points the defect changed, from the per-point truth).
    score : ndarray (n,)
        Anomaly score, higher = more anomalous (dimensionless, detector-specific scale).
    input_names : tuple of str
        The detector's input columns (features, or one per time point of the curve).
    peak : ndarray (n,) of int, or None
        PCA detector only: index of the input with the largest robust residual per curve.
    peak_in_region : ndarray (n,) of bool, or None
        PCA detector on a curve representation only: does that peak lie in the truth's
        region (:func:`learners.unsupervised.anomaly.residual_peak_in_truth`)?
    """

    truth: pd.DataFrame
    score: np.ndarray
    input_names: tuple[str, ...]
    peak: np.ndarray | None
    peak_in_region: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.score)


def campaign(data: dict):
    """Simulate the campaign ``data`` describes (not cached: arrays are large, and fast to
    make). Raises ValueError from the simulator for impossible settings."""
    return make_dataset(
        "anomalies",
        data["n"],
        contamination=data["contamination"],
        defect_types=tuple(data["defect_types"]),
        size_scale=data["size_scale"],
        rare_fraction=data["rare_fraction"],
        seed=data["seed"],
    )


def _fit(data: dict, detector: dict):
    """The campaign, the detector's inputs X (n, d) and their names, and the fitted Detector.

    EllipticEnvelope on whole curves (nearly singular covariances) warns that a determinant
    increased; the warnings are silenced here, the page judges the result by its scores.
    """
    dataset = campaign(data)
    X, names = anomaly_inputs(dataset, detector["representation"])
    if detector["representation"] == "features":
        if not detector["features"]:
            raise ValueError("Choose at least one physical feature for the detector.")
        columns = [names.index(f) for f in detector["features"]]
        X, names = X[:, columns], [names[i] for i in columns]
    model = Detector(
        detector["method"],
        seed=data["seed"],
        n_components=detector["n_components"],
        contamination=detector["fit_share"],
        standardise=detector["representation"] == "features",
    )
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        model.fit(X)
    return dataset, X, tuple(names), model


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Simulating the campaign and scoring it…")
def detect(data: dict, detector: dict) -> Detection:
    """Simulate the campaign, fit the detector on all its curves (unsupervised) and score
    them; for the PCA detector also where in each curve its residual peaks."""
    dataset, X, names, model = _fit(data, detector)
    with threadpool_limits(1):
        score = model.score(X)
        peak = peak_in_region = None
        if detector["method"] == "pca_residual":
            residuals = model.point_residuals(X)
            peak = np.argmax(np.abs(residuals), axis=1)
            if detector["representation"] != "features":
                peak_in_region = residual_peak_in_truth(residuals, dataset.defect_region)
    truth = dataset.truth[list(TRUTH_COLUMNS)].reset_index(drop=True)
    truth["region_points"] = dataset.defect_region.sum(axis=1)
    return Detection(truth, np.asarray(score, dtype=float), names, peak, peak_in_region)


@st.cache_data(max_entries=MAX_ENTRIES // 2, show_spinner=False)
def inspect_frames(
    data: dict, detector: dict, shown: tuple[int, ...], background: tuple[int, ...]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The curves a chart draws, and (PCA detector) their per-input residuals.

    Returns
    -------
    curves : DataFrame
        One row per point: ``curve`` (index in the campaign), ``role`` ("shown" or
        "background"), ``t_s``, ``h_nm``, ``P_mN``, ``in_region`` (the truth's per-point
        region). Background curves keep every ``BACKGROUND_STEP``-th
        point.
    residuals : DataFrame or None
        PCA detector only, for the ``shown`` curves: ``curve``, ``input`` (index), ``name``
        (feature or time point), ``t_s`` (time of that point, NaN for features),
        ``residual`` (robust per-input residual, in the detector's input units) and
        ``in_region``.
    """
    if detector["method"] == "pca_residual" and shown:
        dataset, X, names, model = _fit(data, detector)
    else:
        dataset, names, model = campaign(data), (), None
    region = dataset.defect_region
    frames = []
    for role, ids, step in (("background", background, BACKGROUND_STEP), ("shown", shown, 1)):
        if not ids:
            continue
        rows = np.asarray(ids, dtype=int)
        t = dataset.t_s[rows, ::step]
        frames.append(
            pd.DataFrame(
                {
                    "curve": np.repeat(rows, t.shape[1]),
                    "role": role,
                    "t_s": t.ravel(),
                    "h_nm": dataset.h_nm[rows, ::step].ravel(),
                    "P_mN": dataset.P_mN[rows, ::step].ravel(),
                    "in_region": region[rows, ::step].ravel(),
                }
            )
        )
    curves = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if model is None:
        return curves, None
    rows = np.asarray(shown, dtype=int)
    with threadpool_limits(1):
        r = model.point_residuals(X[rows])
    d = r.shape[1]
    pointwise = detector["representation"] != "features"
    residuals = pd.DataFrame(
        {
            "curve": np.repeat(rows, d),
            "input": np.tile(np.arange(d), len(rows)),
            "name": np.tile(np.asarray(names, dtype=object), len(rows)),
            "t_s": dataset.t_s[rows].ravel() if pointwise else np.nan,
            "residual": r.ravel(),
            "in_region": region[rows].ravel() if pointwise else False,
        }
    )
    return curves, residuals


@st.cache_data(max_entries=MAX_ENTRIES // 4, show_spinner="Looking for pop-ins…")
def popins_found(data: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every pop-in :func:`learners.find_popins` finds on the campaign, and the campaign's
    truth (``defect``, ``rare`` and the true pop-ins' ``popin{k}_load_mN`` /
    ``popin{k}_size_nm``, k = 1-3)."""
    dataset = campaign(data)
    found = find_popins(dataset.h_nm, dataset.P_mN, dataset.t_s)
    columns = ["defect", "rare"] + [
        f"popin{k}_{q}" for k in (1, 2, 3) for q in ("load_mN", "size_nm")
    ]
    truth = dataset.truth[[c for c in columns if c in dataset.truth]].reset_index(drop=True)
    return found, truth
