"""Permutation importance and partial dependence of the explained model on its held-out pool
(cached)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.inspection import partial_dependence, permutation_importance
from threadpoolctl import threadpool_limits

from learners.explain import split_pipeline
from learners.supervised.uncertainty import mean_interval

from .cached import MAX_EXPLANATIONS, MAX_SUMMARIES, summary

#: Repeats of the permutation importance (the interval of each input is over these).
PERMUTATION_REPEATS = 8


#: Curves drawn as ICE lines in the partial-dependence chart.
N_ICE = 30


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner="Permutation importance (once per model)…")
def permutation(ref: dict, _pipeline) -> pd.DataFrame:
    """scikit-learn permutation importance on the held-out pool (accuracy drop when one
    input is shuffled): feature, importance, sd, role; sorted, largest first."""
    s = summary(ref, _pipeline)
    _, model_part, _ = split_pipeline(_pipeline)
    with threadpool_limits(limits=1):
        result = permutation_importance(
            model_part, s.F_pool, s.y, n_repeats=PERMUTATION_REPEATS, random_state=0
        )
    return importance_table(result.importances, s.names, s.roles)


def importance_table(importances: np.ndarray, names: list[str], roles: list[str]) -> pd.DataFrame:
    """One row per input from the repeated permutation importances (shape (inputs,
    repeats)): feature, importance (mean), sd, low, high (95 % t interval of the mean over
    the repeats), noise (the interval reaches zero: indistinguishable from zero), role;
    sorted, largest first."""
    rows = [mean_interval(r) for r in np.asarray(importances, dtype=float)]
    mean, low, high = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    table = pd.DataFrame(
        {
            "feature": names,
            "importance": mean,
            "sd": np.asarray(importances, dtype=float).std(axis=1),
            "low": low,
            "high": high,
            "noise": ~(low > 0),
            "role": roles,
        }
    )
    return table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


@st.cache_data(max_entries=MAX_EXPLANATIONS, show_spinner=False)
def dependence(ref: dict, _pipeline, feature: str, label: str):
    """Partial dependence and ICE of p(``label``) on one input, over the held-out pool
    (:func:`sklearn.inspection.partial_dependence`).

    Returns (average, ice): DataFrames with value and probability (ice also curve).
    """
    s = summary(ref, _pipeline)
    _, model_part, _ = split_pipeline(_pipeline)
    j = s.names.index(feature)
    with threadpool_limits(limits=1):
        result = partial_dependence(model_part, s.F_pool, [j], kind="both", grid_resolution=30)
    grid = result["grid_values"][0]
    k = s.classes.index(label)
    average, individual = result["average"], result["individual"]
    if average.shape[0] == 1:  # binary: the probability of classes_[1]
        average = average[0] if k == 1 else 1 - average[0]
        individual = individual[0] if k == 1 else 1 - individual[0]
    else:
        average, individual = average[k], individual[k]
    rng = np.random.default_rng(0)
    rows = rng.choice(individual.shape[0], min(N_ICE, individual.shape[0]), replace=False)
    ice = pd.DataFrame(
        {
            "curve": np.repeat(rows, grid.size),
            "value": np.tile(grid, rows.size),
            "probability": individual[rows].ravel(),
        }
    )
    return pd.DataFrame({"value": grid, "probability": average}), ice
