"""Predict properties: the scores of the ML model, of Oliver-Pharr and of the baseline (the
training mean) on the same held-out curves, each error with its bootstrap interval (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from learners.supervised.scores import N_DEPTH_BINS, RegressionReport, regression_report
from learners.supervised.uncertainty import (
    bootstrap_ci,
    mean_abs,
    median_abs,
    r_squared,
    root_mean_square,
)
from ui.common.score_text import GUESSING
from ui.supervised.regression_charts import PILEUP_COLOURS
from ui.supervised.tables import SUBSET_LABELS

#: The methods of the tables, in order; the baseline is always the training mean.
BASELINE = "baseline (training mean)"
METHODS = ("ML model", "Oliver-Pharr", BASELINE)


def baseline_report(evaluation, made) -> RegressionReport:
    """The baseline's report on the held-out curves: each predicted as the mean of its
    training fold (``evaluation.baseline``), scored like the ML model."""
    p = evaluation.predictions
    targets = [c.removesuffix("_true") for c in p.columns if c.endswith("_true")]
    true = p[[f"{t}_true" for t in targets]].set_axis(targets, axis=1)
    h = np.asarray(made.h_nm, dtype=float)
    depth = np.where(np.isfinite(h), h, -np.inf).max(axis=1)[p["curve"].to_numpy()]
    base = np.asarray(evaluation.baseline, dtype=float).reshape(len(p), -1)
    return regression_report(true, base, depth, curve=p["curve"].to_numpy())


def regression_scores(reports: dict[str, RegressionReport]) -> pd.DataFrame:
    """Per target and method: median |error| (%), R², MAE and RMSE (GPa), each with its 95 %
    bootstrap interval over the curves, curves, and whether the method beats the baseline.

    ``reports``: method name (of :data:`METHODS`) to its report on the same curves.
    """
    rows = []
    base = reports.get(BASELINE)
    for method, report in reports.items():
        for target, s in report.scores.iterrows():
            p = report.parity[report.parity["target"] == target]
            ok = np.isfinite(p["true"]) & np.isfinite(p["predicted"])
            t, m = p.loc[ok, "true"].to_numpy(), p.loc[ok, "predicted"].to_numpy()
            e_low, e_high = bootstrap_ci(median_abs, m / t - 1)
            r_low, r_high = bootstrap_ci(r_squared, t, m)
            mae_low, mae_high = bootstrap_ci(mean_abs, m - t)
            rmse_low, rmse_high = bootstrap_ci(root_mean_square, m - t)
            verdict = ""
            if base is not None and method != BASELINE:
                b = base.error(target)
                verdict = "beats the baseline" if e_high < b else GUESSING
            rows.append(
                {
                    "quantity": f"{target.split('_')[0]} (GPa)",
                    "method": method,
                    "median |error| (%)": 100 * s["median_abs_rel_error"],
                    "95 % interval (%)": f"{100 * e_low:.2f}–{100 * e_high:.2f}",
                    "R²": s["R2"],
                    "R² 95 % interval": f"{r_low:.3f}–{r_high:.3f}",
                    "MAE (GPa)": s["MAE"],
                    "MAE 95 % interval (GPa)": f"{mae_low:.3g}–{mae_high:.3g}",
                    "RMSE (GPa)": s["RMSE"],
                    "RMSE 95 % interval (GPa)": f"{rmse_low:.3g}–{rmse_high:.3g}",
                    "curves": int(s["n"]),
                    "against the baseline": verdict,
                }
            )
    order = {m: i for i, m in enumerate(METHODS)}
    table = pd.DataFrame(rows)
    table["_order"] = table["method"].map(order)
    table = table.sort_values(["quantity", "_order"], ascending=[False, True])
    return table.drop(columns="_order").reset_index(drop=True)


def pileup_errors(frames: dict[str, pd.DataFrame], name: str = "H") -> pd.DataFrame:
    """Median |error| (%) of each method on curves with and without pile-up (one target),
    with its 95 % bootstrap interval: curves, method, median |error| of H (%), low (%),
    high (%), n. ``frames``: method to its parity frame (:func:`tables.parity_frame`)."""
    rows = []
    for method, f in frames.items():
        rel = (f["predicted"] / f["true"] - 1).to_numpy()
        for label in PILEUP_COLOURS:
            group = rel[(f["pileup"] == label).to_numpy()]
            if group.size == 0:
                continue
            low, high = bootstrap_ci(median_abs, group)
            rows.append(
                {
                    "curves": label,
                    "method": method,
                    f"median |error| of {name} (%)": 100 * median_abs(group),
                    "low (%)": 100 * low,
                    "high (%)": 100 * high,
                    "n": int(group.size),
                }
            )
    return pd.DataFrame(rows)


def paired_gap(a: pd.DataFrame, b: pd.DataFrame, pileup: str) -> tuple[float, float, float]:
    """Median |error| of method a minus that of method b on the same curves of one pile-up
    category, with a paired 95 % bootstrap interval: (gap, low, high), as fractions."""
    left = a[a["pileup"] == pileup].set_index("curve")
    right = b[b["pileup"] == pileup].set_index("curve")
    common = left.index.intersection(right.index)
    ra = (left.loc[common, "predicted"] / left.loc[common, "true"] - 1).to_numpy()
    rb = (right.loc[common, "predicted"] / right.loc[common, "true"] - 1).to_numpy()
    if ra.size == 0:
        return np.nan, np.nan, np.nan

    def gap(x: np.ndarray, y: np.ndarray) -> float:
        return median_abs(x) - median_abs(y)

    low, high = bootstrap_ci(gap, ra, rb)
    return gap(ra, rb), low, high


def pileup_table(errors: pd.DataFrame) -> pd.DataFrame:
    """:func:`pileup_errors` as shown: the interval as one "low–high" column beside the
    median (the baseline is a row of its own)."""
    value = next(c for c in errors.columns if c.startswith("median"))
    out = errors.drop(columns=["low (%)", "high (%)"])
    interval = [
        f"{a:.2f}–{b:.2f}" for a, b in zip(errors["low (%)"], errors["high (%)"], strict=True)
    ]
    out.insert(out.columns.get_loc(value) + 1, "95 % interval (%)", interval)
    return out


def error_vs_depth(reports: dict[str, RegressionReport], target: str) -> pd.DataFrame:
    """Median |relative error| of every method (ML model, Oliver-Pharr, the baseline) in
    quantile bins of the largest depth (the bins of the first report, so the same curves
    in every method's bin), with its 95 % bootstrap interval: method, depth_nm (median of the
    bin), median_abs_rel_error, lo, hi, n (one target)."""
    first = next(iter(reports.values())).parity
    first = first[(first["target"] == target) & np.isfinite(first["depth_nm"])]
    n_bins = int(min(N_DEPTH_BINS, first["depth_nm"].nunique()))
    if n_bins < 1:
        return pd.DataFrame(columns=["method", "depth_nm", "median_abs_rel_error", "lo", "hi", "n"])
    bins = pd.qcut(first.set_index("curve")["depth_nm"], n_bins, duplicates="drop")
    rows = []
    for method, report in reports.items():
        p = report.parity[report.parity["target"] == target].set_index("curve")
        p = p.assign(bin=bins.reindex(p.index))
        p = p[np.isfinite(p["rel_error"]) & p["bin"].notna()]
        for _, group in p.groupby("bin", observed=True):
            rel = group["rel_error"].to_numpy(dtype=float)
            low, high = bootstrap_ci(median_abs, rel)
            rows.append(
                {
                    "method": method,
                    "depth_nm": float(group["depth_nm"].median()),
                    "median_abs_rel_error": median_abs(rel),
                    "lo": low,
                    "hi": high,
                    "n": int(rel.size),
                }
            )
    return pd.DataFrame(rows)


#: Names of the out-of-range methods as the page shows them.
OUT_OF_RANGE_METHODS = {"ML": "ML model", "Oliver-Pharr": "Oliver-Pharr", "baseline": BASELINE}


def out_of_range_scores(check) -> pd.DataFrame:
    """The out-of-range errors with their 95 % bootstrap intervals: subset, method (as shown),
    target, error_pct (median |relative error|, %), lo_pct, hi_pct, n; the baseline (the
    training mean) on the same curves. ``check``: :class:`ui.supervised.cached.OutOfRange`."""
    rows = []
    for (subset, method), report in check.reports.items():
        for target in report.targets:
            p = report.parity[report.parity["target"] == target]
            rel = p["rel_error"].to_numpy(dtype=float)
            rel = rel[np.isfinite(rel)]
            low, high = bootstrap_ci(median_abs, rel)
            rows.append(
                {
                    "subset": SUBSET_LABELS.get(subset, subset),
                    "method": OUT_OF_RANGE_METHODS.get(method, method),
                    "target": target,
                    "error_pct": 100 * median_abs(rel) if rel.size else np.nan,
                    "lo_pct": 100 * low,
                    "hi_pct": 100 * high,
                    "n": int(rel.size),
                }
            )
    return pd.DataFrame(rows)
