"""Pure functions of the supervised pages: checks of the input, tables and teaching texts.

Nothing here draws or caches: the pages call these and show the result, and the tests call
them directly. *data* and *model* are the settings dicts of :mod:`ui.supervised.widgets`;
an *evaluation* is a :class:`ui.supervised.cached.Evaluation`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from learners.supervised.baselines import PILEUP_MIN
from learners.supervised.scores import RegressionReport, regression_report
from learners.supervised.uncertainty import wilson_interval
from ui.common.score_text import GUESSING
from ui.supervised.options import MODEL_LABELS, REPRESENTATION_LABELS, SPLIT_LABELS, TASK_LABELS
from ui.supervised.regression_charts import PILEUP_COLOURS
from ui.supervised.scoring import clean_test_scored

#: Random-split minus clean-test accuracy above which a model is called fooled.
FOOLED_GAP = 0.12
#: Units of the defect sizes of the quality task.
DEFECT_UNITS = {
    "popin": "mN",
    "drift": "nm/s",
    "surface_offset": "nm",
    "elbow": "nm",
    "crack": "nm",
    "pore": "(area fraction)",
}
#: Readable names of the settings, for "what changed since the last run".
SETTING_LABELS = {
    "task": "task",
    "n": "number of curves",
    "noise": "noise",
    "seed": "seed",
    "preset": "microstructure",
    "spacing_um": "indent spacing",
    "block_um": "block size",
    "materials": "materials",
    "scatter": "scatter",
    "class_weights": "class imbalance",
    "defect_types": "defect types",
    "defect_rate": "share of defective curves",
    "size_scale": "defect size",
    "label_mode": "labels",
    "signal": "hardness difference",
    "confound": "confound",
    "test_n": "clean test set size",
    "E_GPa": "E range",
    "E_over_H": "E/H range",
    "pileup": "pile-up",
    "pileup_max": "largest pile-up",
    "representation": "what the model sees",
    "features": "features",
    "branches": "parts of the curve",
    "n_components": "principal components",
    "model": "model",
    "split": "split",
    "test_size": "held-out share",
    "n_splits": "folds k",
}


# --- checks of the input -------------------------------------------------------------------


def setting_changes(old: tuple[dict, dict], new: tuple[dict, dict]) -> list[str]:
    """The settings that differ between two (data, model) pairs, as "name: old → new"."""
    a, b = _flatten({"data": old[0], "model": old[1]}), _flatten({"data": new[0], "model": new[1]})
    changes = []
    for key in dict.fromkeys([*a, *b]):
        if a.get(key) != b.get(key):
            name = SETTING_LABELS.get(key.split(".")[-1], key.split(".")[-1])
            changes.append(f"{name}: {_short(a.get(key))} → {_short(b.get(key))}")
    return changes


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out |= _flatten(v, f"{prefix}{k}.")
        else:
            out[f"{prefix}{k}"] = tuple(v) if isinstance(v, list) else v
    return out


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        text = ", ".join(_short(v) for v in value)
        return f"({text[:40]}…)" if len(text) > 40 else f"({text})"
    return "—" if value is None else str(value)


# --- the run shown ---------------------------------------------------------------------------


# --- the data -------------------------------------------------------------------------------


def typical_rows(made, classes: list[str]) -> dict[str, int]:
    """For each class, the row of its most typical curve.

    Typical: the class's curve whose depth h(t) lies closest (mean absolute difference) to
    the pointwise median depth of the class, a real curve rather than an average.
    """
    y = np.asarray(made.y).astype(str)
    h = np.asarray(made.h_nm, dtype=float)
    rows = {}
    for c in classes:
        members = np.flatnonzero(y == c)
        if members.size == 0:
            continue
        median = np.nanmedian(h[members], axis=0)
        distance = np.nanmean(np.abs(h[members] - median), axis=1)
        rows[c] = int(members[np.nanargmin(distance)])
    return rows


def curves_frame(made, rows: dict[str, int]) -> pd.DataFrame:
    """Long table of the curves ``rows`` (class → row): class, curve, t_s, h_nm, P_mN."""
    parts = []
    t = np.broadcast_to(np.asarray(made.t_s, dtype=float), made.h_nm.shape)
    for c, i in rows.items():
        parts.append(
            pd.DataFrame(
                {"class": c, "curve": i, "t_s": t[i], "h_nm": made.h_nm[i], "P_mN": made.P_mN[i]}
            )
        )
    return pd.concat(parts, ignore_index=True).dropna()


# --- misclassified curves ----------------------------------------------------------------------


def misclassified(predictions: pd.DataFrame, limit: int = 100) -> pd.DataFrame:
    """Wrong predictions, the most confidently wrong first: curve, true, predicted, confidence.

    ``confidence`` is the predicted probability of the (wrong) predicted class, NaN when the
    model gives no probabilities.
    """
    wrong = predictions[~predictions["correct"]].copy()
    wrong["confidence"] = [
        float(row.get(f"proba_{row['predicted']}", np.nan)) for _, row in wrong.iterrows()
    ]
    wrong = wrong.sort_values("confidence", ascending=False, na_position="last")
    return wrong[["curve", "true", "predicted", "confidence"]].head(limit).reset_index(drop=True)


def panel_domains(curves, x: str) -> dict[str, list[float]]:
    """Shared axis ranges for panels of several curves (x: "h_nm" or "t_s")."""
    y = "P_mN" if x == "h_nm" else "h_nm"
    out = {}
    for column in (x, y):
        values = np.concatenate([np.asarray(getattr(c, column), dtype=float) for c in curves])
        values = values[np.isfinite(values)]
        lo, hi = float(values.min()), float(values.max())
        pad = 0.04 * (hi - lo or 1.0)
        out[column] = [lo - pad, hi + pad]
    return out


# --- scores ---------------------------------------------------------------------------------


LEARNING_SPLITS = {
    "kfold": "random folds",
    "spatial": "spatially blocked folds",
    "group": "one group held out per fold",
}


# --- the Clever Hans exercise ---------------------------------------------------------------------


def bayes_accuracy(signal: float, scatter: float) -> float:
    """The best accuracy any model can reach from the true hardness alone [-].

    Two equally likely classes whose H differ by the factor (1 + signal), each with a
    log-normal scatter ``scatter``: the optimal threshold lies midway in log H, so the
    accuracy is Φ(ln(1 + signal) / (2 scatter)).
    """
    if scatter <= 0:
        return 1.0 if signal > 0 else 0.5
    return float(norm.cdf(math.log1p(signal) / (2 * scatter)))


def clever_hans_scores(extras: dict) -> pd.DataFrame | None:
    """Accuracy on the random split and on the clean test set (None if either is missing).

    ``extras``: the extras of a run (``"random"`` and ``"clean"`` outcomes).
    """
    random, clean = extras.get("random"), extras.get("clean")
    if random is None or clean is None or random.value is None or clean.value is None:
        return None
    intervals = [
        wilson_interval(int(o.value.predictions["correct"].sum()), len(o.value.predictions))
        for o in (random, clean)
    ]
    return pd.DataFrame(
        {
            "evaluation": ["random split (same days)", "clean test set (new days)"],
            "accuracy": [random.value.score, clean.value.score],
            "low": [lo for lo, _ in intervals],
            "high": [hi for _, hi in intervals],
        }
    )


def is_fooled(scores: pd.DataFrame | None) -> bool:
    """True when the random split flatters the model clearly (a Clever Hans model)."""
    if scores is None:
        return False
    random_score, clean_score = (float(v) for v in scores["accuracy"])
    return random_score - clean_score > FOOLED_GAP


def drift_frame(made) -> pd.DataFrame:
    """True drift rate per curve and class, for the training data and the clean test set."""
    parts = []
    for name, d in (("training data", made), ("clean test set", made.test)):
        if d is None:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "set": name,
                    "class": np.asarray(d.y).astype(str),
                    "drift_nm_per_s": d.truth["drift_nm_per_s"].to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Fewest curves of a class from which a model can be expected to learn it.
MIN_CLASS_CURVES = 5


#: The control that balances the classes, per task (the remedy the small-class warning names).
BALANCE_CONTROLS = {
    "material": "lower the *Class imbalance*",
    "quality": "change the *Share of defective curves (%)*",
}


# --- what to notice ---------------------------------------------------------------------------


#: The headline score's column in :func:`runs_table`, by task type.
SCORE_COLUMNS = {"classification": "accuracy", "regression": "mean R² of H, E"}


def runs_table(runs, shown: int, scored_of=None) -> pd.DataFrame:
    """One row per run of this session, the shown one marked; a Clever Hans run also with
    its clean-test accuracy, ± (half its 95 % Wilson interval) and baseline.

    ``scored_of(run)``: the run's scores with intervals and baselines (the page passes
    :func:`ui.supervised.cached.scored`); the headline score (accuracy, or mean R²) then
    comes with its ± (half the 95 % interval) and its baseline.
    """
    rows = []
    for r in reversed(runs):
        name = SCORE_COLUMNS[r.evaluation.task_type]
        clean = clean_test_scored(r.extras) if "clean" in r.extras else None
        row = {
            "run": f"#{r.number}" + (" (shown)" if r.number == shown else ""),
            "task": TASK_LABELS.get(r.data["task"], r.data["task"]),
            "curves": r.data["n"],
            "model sees": REPRESENTATION_LABELS[r.model["representation"]],
            "model": MODEL_LABELS[r.model["model"]],
            "split": SPLIT_LABELS[r.model["split"]],
            name: r.evaluation.score,
        }
        if scored_of is not None:
            scored = scored_of(r)
            parts = (
                [s["R2"] for s in scored.values()]
                if r.evaluation.task_type == "regression"
                else [scored["accuracy"]]
            )
            row["± (95 %)"] = float(np.mean([p.half_width for p in parts]))
            row["baseline"] = float(np.mean([p.baseline for p in parts]))
            row["against the baseline"] = (
                "beats the baseline" if all(p.beats_baseline for p in parts) else GUESSING
            )
        if clean is not None:
            c = clean["clean"]
            row["clean-test accuracy"] = c.value
            row["clean-test ± (95 %)"] = c.half_width
            row["clean-test baseline"] = c.baseline
        row["trained in (s)"] = r.seconds
        rows.append(row)
    return pd.DataFrame(rows)


# --- Predict properties -------------------------------------------------------------------------


def op_on_curves(op_report: RegressionReport, made, curves) -> RegressionReport:
    """Oliver-Pharr's report restricted to the curves the ML model was tested on."""
    curves = np.asarray(curves, dtype=int)
    parity = op_report.parity
    targets = list(op_report.targets)
    predicted = np.column_stack(
        [
            parity[parity["target"] == t].set_index("curve")["predicted"].reindex(curves)
            for t in targets
        ]
    )
    depth = parity[parity["target"] == targets[0]].set_index("curve")["depth_nm"].reindex(curves)
    y = made.y[targets].reset_index(drop=True).iloc[curves].reset_index(drop=True)
    return regression_report(y, predicted, depth.to_numpy(), curve=curves)


def pileup_label(excess) -> np.ndarray:
    """Category of the true pile-up (area excess, fraction) for the parity colours."""
    labels = list(PILEUP_COLOURS)
    return np.where(np.asarray(excess, dtype=float) > PILEUP_MIN, labels[1], labels[0])


def parity_frame(report: RegressionReport, truth: pd.DataFrame, target: str) -> pd.DataFrame:
    """One target's parity table with the truth that explains it (pile-up, E/H)."""
    p = report.parity[report.parity["target"] == target].copy()
    rows = truth.iloc[p["curve"].to_numpy()]
    p["pileup_pct"] = 100 * rows["pileup_area_excess"].to_numpy(dtype=float)
    p["pileup"] = pileup_label(rows["pileup_area_excess"])
    p["E_over_H"] = rows["E_over_H"].to_numpy(dtype=float)
    return p[np.isfinite(p["true"]) & np.isfinite(p["predicted"]) & (p["predicted"] > 0)]


def parity_domain(frames) -> tuple[float, float]:
    """A common log-axis range [GPa] for parity plots of one target."""
    values = np.concatenate([np.r_[f["true"], f["predicted"]] for f in frames])
    values = values[np.isfinite(values) & (values > 0)]
    return float(values.min() / 1.15), float(values.max() * 1.15)


def error_vs_ratio(ml_frame: pd.DataFrame, op_frame: pd.DataFrame) -> pd.DataFrame:
    """Signed relative error (%) of every curve against its E/H, both methods."""
    parts = [
        f.assign(method=m, error_pct=100 * (f["predicted"] / f["true"] - 1))[
            ["curve", "method", "E_over_H", "error_pct"]
        ]
        for m, f in (("ML model", ml_frame), ("Oliver-Pharr", op_frame))
    ]
    return pd.concat(parts, ignore_index=True)


SUBSET_LABELS = {
    "in_range": "inside the range",
    "in_range_pileup": "inside, pile-up curves",
    "out_of_range": "outside the range",
}


def property_frame(made) -> pd.DataFrame:
    """True E, H, E/H and pile-up of every curve of a properties dataset."""
    t = made.truth
    return pd.DataFrame(
        {
            "E_GPa": t["E_GPa"].to_numpy(dtype=float),
            "H_GPa": t["H_GPa"].to_numpy(dtype=float),
            "E_over_H": t["E_over_H"].to_numpy(dtype=float),
            "pileup": pileup_label(t["pileup_area_excess"]),
            "pileup_pct": 100 * t["pileup_area_excess"].to_numpy(dtype=float),
        }
    )
