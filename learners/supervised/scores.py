"""Scores of supervised predictions: classification and regression reports for the pages.

Every table is a tidy DataFrame with plain column names, ready for Altair.

References
----------
.. [1] T. Fawcett, "An introduction to ROC analysis", Pattern Recognit. Lett. 27 (2006)
   861-874. doi:10.1016/j.patrec.2005.10.010
.. [2] T. Saito, M. Rehmsmeier, "The precision-recall plot is more informative than the ROC
   plot when evaluating binary classifiers on imbalanced datasets", PLoS ONE 10 (2015)
   e0118432. doi:10.1371/journal.pone.0118432
.. [3] A. Niculescu-Mizil, R. Caruana, "Predicting good probabilities with supervised
   learning", ICML (2005) 625-632 (calibration curves). doi:10.1145/1102351.1102430
.. [4] K. H. Brodersen, C. S. Ong, K. E. Stephan, J. M. Buhmann, "The balanced accuracy and
   its posterior distribution", ICPR (2010) 3121. doi:10.1109/ICPR.2010.764
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    r2_score,
    roc_auc_score,
    roc_curve,
)

#: Depth bins of :attr:`RegressionReport.error_vs_depth` (quantiles of the depth).
N_DEPTH_BINS = 6
#: Bins of the calibration curve (quantiles of the predicted probability).
N_CALIBRATION_BINS = 10


@dataclass
class ClassificationReport:
    """Scores of class predictions.

    Attributes
    ----------
    classes : list of str
        Class order of every table.
    accuracy, balanced_accuracy : float
        Fraction correct; mean recall over the classes (not fooled by imbalance).
    per_class : DataFrame, index class
        precision, recall, f1, support (number of true curves of the class).
    confusion : DataFrame
        Counts; rows the true class, columns the predicted class.
    positive_class : str or None
        For two classes the second one (e.g. "defect", "aged"); None otherwise.
    roc : DataFrame or None
        Binary only: false_positive_rate, true_positive_rate, threshold.
    roc_auc : float or None
        Area under the ROC curve.
    pr : DataFrame or None
        Binary only: recall, precision, threshold (NaN for the last point).
    average_precision : float or None
        Area under the precision-recall curve (step-wise).
    calibration : DataFrame or None
        Binary only: mean_predicted_probability, fraction_positive per probability bin.
    brier : float or None
        Mean squared error of the predicted probability [-].
    """

    classes: list[str]
    accuracy: float
    balanced_accuracy: float
    per_class: pd.DataFrame
    confusion: pd.DataFrame
    positive_class: str | None = None
    roc: pd.DataFrame | None = None
    roc_auc: float | None = None
    pr: pd.DataFrame | None = None
    average_precision: float | None = None
    calibration: pd.DataFrame | None = None
    brier: float | None = None


@dataclass
class RegressionReport:
    """Scores of property predictions against the truth.

    Attributes
    ----------
    targets : list of str
        e.g. ``["H_GPa", "E_GPa"]``.
    scores : DataFrame, index target
        MAE and RMSE [target units], R2 [-], median_abs_rel_error and
        mean_abs_rel_error [-] (|predicted / true - 1|), n.
    parity : DataFrame
        Long table for parity plots: curve, target, true, predicted, rel_error
        (predicted / true - 1), depth_nm (largest measured depth of the curve).
    error_vs_depth : DataFrame
        target, depth_bin (label), depth_nm (median of the bin), median_abs_rel_error, n.
    """

    targets: list[str]
    scores: pd.DataFrame
    parity: pd.DataFrame
    error_vs_depth: pd.DataFrame

    def error(self, target: str, metric: str = "median_abs_rel_error") -> float:
        """One score, e.g. ``report.error("H_GPa")``."""
        return float(self.scores.loc[target, metric])


def classification_report(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    classes: list[str],
    proba: np.ndarray | None = None,
) -> ClassificationReport:
    """Accuracy, per-class precision/recall, confusion matrix; ROC, PR, calibration if binary.

    Parameters
    ----------
    y_true, y_pred : array_like of str, shape (n,)
    classes : list of str
        All classes, in display order.
    proba : ndarray, shape (n, len(classes)), optional
        Predicted probabilities, columns in the order of ``classes``.

    Returns
    -------
    ClassificationReport
    """
    y_true = np.asarray(y_true).astype(str)
    y_pred = np.asarray(y_pred).astype(str)
    classes = [str(c) for c in classes]
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=classes, zero_division=0
    )
    per_class = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support},
        index=pd.Index(classes, name="class"),
    )
    confusion = pd.DataFrame(
        confusion_matrix(y_true, y_pred, labels=classes),
        index=pd.Index(classes, name="true"),
        columns=pd.Index(classes, name="predicted"),
    )
    report = ClassificationReport(
        classes=classes,
        accuracy=float(accuracy_score(y_true, y_pred)),
        balanced_accuracy=float(_balanced_accuracy(y_true, y_pred)),
        per_class=per_class,
        confusion=confusion,
    )
    if len(classes) == 2 and proba is not None:
        positive = classes[1]
        is_positive = y_true == positive
        score = np.asarray(proba, dtype=float)[:, 1]
        report.positive_class = positive
        if 0 < is_positive.sum() < is_positive.size:
            fpr, tpr, thr = roc_curve(is_positive, score)
            report.roc = pd.DataFrame(
                {"false_positive_rate": fpr, "true_positive_rate": tpr, "threshold": thr}
            )
            report.roc_auc = float(roc_auc_score(is_positive, score))
            prec, rec, thr = precision_recall_curve(is_positive, score)
            report.pr = pd.DataFrame(
                {"recall": rec, "precision": prec, "threshold": np.append(thr, np.nan)}
            )
            report.average_precision = float(average_precision_score(is_positive, score))
            frac, mean_p = calibration_curve(
                is_positive, score, n_bins=N_CALIBRATION_BINS, strategy="quantile"
            )
            report.calibration = pd.DataFrame(
                {"mean_predicted_probability": mean_p, "fraction_positive": frac}
            )
        report.brier = float(brier_score_loss(is_positive, score))
    return report


def _balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean recall over the classes present in y_true (sklearn's definition)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes predicted but never true
        return balanced_accuracy_score(y_true, y_pred)


def regression_report(
    y_true: pd.DataFrame,
    y_pred: npt.ArrayLike,
    depth_nm: npt.ArrayLike,
    *,
    curve: npt.ArrayLike | None = None,
) -> RegressionReport:
    """MAE, RMSE, R2 and relative errors per target; parity and error-vs-depth tables.

    Parameters
    ----------
    y_true : DataFrame, shape (n, n_targets)
        True values, one column per target (e.g. ``H_GPa``, ``E_GPa``).
    y_pred : array_like, shape (n, n_targets)
        Predictions in the same units and column order.
    depth_nm : array_like, shape (n,)
        Largest measured depth of each curve [nm] (for error vs depth).
    curve : array_like of int, shape (n,), optional
        Curve (row) numbers to carry into the parity table; default 0..n-1.

    Returns
    -------
    RegressionReport

    Notes
    -----
    The relative error is predicted / true - 1; the median of its absolute value is the
    headline number (robust to the odd failed curve). Depth bins are quantiles of the depth.
    """
    targets = [str(c) for c in y_true.columns]
    true = y_true.to_numpy(dtype=float)
    pred = np.asarray(y_pred, dtype=float).reshape(true.shape)
    depth = np.asarray(depth_nm, dtype=float)
    curve = np.arange(len(true)) if curve is None else np.asarray(curve)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = pred / true - 1
    finite = np.isfinite(pred) & np.isfinite(true)
    rows = {}
    for j, target in enumerate(targets):
        ok = finite[:, j]
        err = pred[ok, j] - true[ok, j]
        rows[target] = {
            "MAE": float(np.mean(np.abs(err))) if ok.any() else np.nan,
            "RMSE": float(np.sqrt(np.mean(err**2))) if ok.any() else np.nan,
            "R2": float(r2_score(true[ok, j], pred[ok, j])) if ok.sum() >= 2 else np.nan,
            "median_abs_rel_error": float(np.median(np.abs(rel[ok, j]))) if ok.any() else np.nan,
            "mean_abs_rel_error": float(np.mean(np.abs(rel[ok, j]))) if ok.any() else np.nan,
            "n": int(ok.sum()),
        }
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores.index.name = "target"
    parity = pd.DataFrame(
        {
            "curve": np.tile(curve, len(targets)),
            "target": np.repeat(targets, len(true)),
            "true": true.T.ravel(),
            "predicted": pred.T.ravel(),
            "rel_error": rel.T.ravel(),
            "depth_nm": np.tile(depth, len(targets)),
        }
    )
    return RegressionReport(targets, scores, parity, _error_vs_depth(parity))


def _error_vs_depth(parity: pd.DataFrame) -> pd.DataFrame:
    """Median |relative error| per target in quantile bins of the depth."""
    ok = parity[np.isfinite(parity["rel_error"]) & np.isfinite(parity["depth_nm"])].copy()
    columns = ["target", "depth_bin", "depth_nm", "median_abs_rel_error", "n"]
    if ok.empty:
        return pd.DataFrame(columns=columns)
    n_bins = int(min(N_DEPTH_BINS, ok["depth_nm"].nunique()))
    ok["depth_bin"] = pd.qcut(ok["depth_nm"], n_bins, duplicates="drop").astype(str)
    ok["abs_rel_error"] = ok["rel_error"].abs()
    table = (
        ok.groupby(["target", "depth_bin"], sort=False, observed=True)
        .agg(
            depth_nm=("depth_nm", "median"),
            median_abs_rel_error=("abs_rel_error", "median"),
            n=("abs_rel_error", "size"),
        )
        .reset_index()
        .sort_values(["target", "depth_nm"], ignore_index=True)
    )
    return table[columns]


__all__ = [
    "ClassificationReport",
    "RegressionReport",
    "classification_report",
    "regression_report",
]
