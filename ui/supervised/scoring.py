"""Every score of the supervised pages with its 95 % interval and the baseline's score on the
same split (pure; the Classify and Predict pages and the exercises read these)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from learners.supervised.uncertainty import (
    Scored,
    accuracy_scored,
    average_precision,
    balanced_accuracy,
    bootstrap_ci,
    mean_interval,
    median_abs_relative,
    per_class_scored,
    r_squared,
    roc_auc,
)
from ui.common.score_text import GUESSING

#: Scores of the classification metrics, in page order.
CLASSIFICATION_SCORES = (
    "accuracy", "balanced accuracy", "ROC AUC", "average precision", "Brier score"
)  # fmt: skip


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
        # ... average precision the share of positives, and Brier score that of always
        # giving that share as the probability
        share = float(is_positive.mean())
        low, high = bootstrap_ci(average_precision, is_positive, score)
        out["average precision"] = Scored(report.average_precision, low, high, share)
        low, high = bootstrap_ci(_brier, is_positive, score)
        out["Brier score"] = Scored(
            _brier(is_positive, score), low, high, share * (1 - share), higher_is_better=False
        )
    return out


def _brier(is_positive: np.ndarray, score: np.ndarray) -> float:
    return float(np.mean((score - is_positive) ** 2))


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
        r2_low, r2_high = bootstrap_ci(r_squared, t, m)
        err_low, err_high = bootstrap_ci(median_abs_relative, t, m)
        out[target] = {
            "R2": Scored(r_squared(t, m), r2_low, r2_high, r_squared(t, b)),
            "median error": Scored(
                median_abs_relative(t, m),
                err_low,
                err_high,
                median_abs_relative(t, b),
                higher_is_better=False,
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


def _interval_pct(s: Scored) -> str:
    """ "87.4–99.6" (the 95 % interval in %), "–" when there is none."""
    if not (math.isfinite(s.low) and math.isfinite(s.high)):
        return "–"
    return f"{100 * s.low:.1f}–{100 * s.high:.1f}"


#: The numeric columns of :func:`per_class_table` (shown with one decimal).
PER_CLASS_NUMBERS = tuple(
    f"{prefix}{name} (%)" for name in ("recall", "precision", "F1") for prefix in ("", "baseline ")
)


def per_class_table(evaluation) -> pd.DataFrame:
    """Per class: recall, precision and F1 (%) each with its 95 % interval and the
    baseline's value on the same held-out curves, true curves, and whether the class's F1
    interval clears the baseline's F1. ``evaluation``: a cached Evaluation."""
    p = evaluation.predictions
    scored = per_class_scored(
        p["true"], p["predicted"], evaluation.baseline, evaluation.report.classes
    )
    support = evaluation.report.per_class["support"]
    rows = []
    for c, s in scored.items():
        row = {"class": c, "true curves": int(support.get(c, 0))}
        for name in ("recall", "precision", "F1"):
            row[f"{name} (%)"] = 100 * s[name].value
            row[f"{name} 95 % interval (%)"] = _interval_pct(s[name])
            row[f"baseline {name} (%)"] = 100 * s[name].baseline
        row["against the baseline"] = (
            "F1 beats the baseline" if s["F1"].beats_baseline else GUESSING
        )
        rows.append(row)
    return pd.DataFrame(rows)


def learning_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The learning curve's fold scores as mean and 95 % t interval over the folds per
    training size and set ("training curves" or "held out"): n_train, set, mean, lo, hi,
    folds (:func:`learners.supervised.uncertainty.mean_interval`)."""
    long = table.melt(
        id_vars=["n_train", "fold"],
        value_vars=["train_score", "test_score"],
        var_name="set",
        value_name="score",
    ).dropna()
    long["set"] = long["set"].map({"train_score": "training curves", "test_score": "held out"})
    rows = []
    for (n, name), group in long.groupby(["n_train", "set"]):
        mean, low, high = mean_interval(group["score"])
        rows.append(
            {"n_train": n, "set": name, "mean": mean, "lo": low, "hi": high,
             "folds": len(group)}
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=["n_train", "set", "mean", "lo", "hi", "folds"])
    out["lo"] = out["lo"].fillna(out["mean"])
    out["hi"] = out["hi"].fillna(out["mean"])
    return out
