"""Every score of the supervised pages with its 95 % interval and the baseline's score on the
same split (pure; the Classify and Predict pages and the exercises read these)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from learners.supervised.uncertainty import (
    Scored,
    accuracy_scored,
    balanced_accuracy,
    bootstrap_ci,
    roc_auc,
)

#: Scores of the classification metrics, in page order.
CLASSIFICATION_SCORES = ("accuracy", "balanced accuracy", "ROC AUC")


def classification_scores(evaluation) -> dict[str, Scored]:
    """Accuracy (Wilson), balanced accuracy and, for two classes, ROC AUC (bootstrap), each
    beside the baseline's on the same split. ``evaluation``: a cached Evaluation."""
    p = evaluation.predictions
    true = p["true"].to_numpy().astype(str)
    predicted = p["predicted"].to_numpy().astype(str)
    base = np.asarray(evaluation.baseline).astype(str)
    out = {"accuracy": accuracy_scored(true, predicted, base)}
    low, high = bootstrap_ci(balanced_accuracy, true, predicted)
    out["balanced accuracy"] = Scored(
        balanced_accuracy(true, predicted), low, high, balanced_accuracy(true, base)
    )
    report = evaluation.report
    if report.roc_auc is not None:
        is_positive = true == report.positive_class
        score = p[f"proba_{report.positive_class}"].to_numpy(dtype=float)
        low, high = bootstrap_ci(roc_auc, is_positive, score)
        # the baseline gives every curve the same score: AUC 0.5
        out["ROC AUC"] = Scored(report.roc_auc, low, high, 0.5)
    return out


def _r2(true: np.ndarray, predicted: np.ndarray) -> float:
    total = float(np.sum((true - true.mean()) ** 2))
    return 1 - float(np.sum((true - predicted) ** 2)) / total if total > 0 else math.nan


def _median_rel(true: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.median(np.abs(predicted / true - 1)))


def regression_scores(evaluation) -> dict[str, dict[str, Scored]]:
    """Per target (``H_GPa``, ``E_GPa``): R² and median |relative error| of the held-out
    predictions with bootstrap intervals, beside the baseline (the training mean) on the
    same split: ``{"H_GPa": {"R2": Scored, "median error": Scored}, ...}``."""
    p = evaluation.predictions
    targets = [c.removesuffix("_true") for c in p.columns if c.endswith("_true")]
    base = np.asarray(evaluation.baseline, dtype=float).reshape(len(p), -1)
    out = {}
    for j, target in enumerate(targets):
        true = p[f"{target}_true"].to_numpy(dtype=float)
        pred = p[f"{target}_predicted"].to_numpy(dtype=float)
        ok = np.isfinite(true) & np.isfinite(pred)
        t, m, b = true[ok], pred[ok], base[ok, j]
        r2_low, r2_high = bootstrap_ci(_r2, t, m)
        err_low, err_high = bootstrap_ci(_median_rel, t, m)
        out[target] = {
            "R2": Scored(_r2(t, m), r2_low, r2_high, _r2(t, b)),
            "median error": Scored(
                _median_rel(t, m), err_low, err_high, _median_rel(t, b), higher_is_better=False
            ),
        }
    return out


def clean_test_scored(extras: dict) -> dict[str, Scored] | None:
    """Accuracy of the Clever Hans run on the random split and on the clean test set, each
    with its Wilson interval and the baseline's accuracy (None if either is missing)."""
    out = {}
    for name in ("random", "clean"):
        outcome = extras.get(name)
        if outcome is None or outcome.value is None:
            return None
        ev = outcome.value
        p = ev.predictions
        out[name] = accuracy_scored(p["true"], p["predicted"], ev.baseline)
    return out


def scores_frame(scored: dict[str, Scored]) -> pd.DataFrame:
    """One row per score: score, value, low, high, baseline, beats baseline."""
    return pd.DataFrame(
        [
            {
                "score": name,
                "value": s.value,
                "low": s.low,
                "high": s.high,
                "baseline": s.baseline,
                "beats baseline": s.beats_baseline,
            }
            for name, s in scored.items()
        ]
    )
