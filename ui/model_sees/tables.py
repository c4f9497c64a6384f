"""Tables and texts of the "What a model sees" page (pure functions, no Streamlit).

What each feature is (physics of the sample, instrument artefact, or quality of the
analysis), the long tables the charts draw, the problems that stop the page, the "what to
notice" notes and the exercise's feedback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from learners.supervised.separability import rank_pairs
from learners.supervised.uncertainty import Scored, wilson_interval
from ui.common.score_text import GUESSING
from ui.model_sees.widgets import FEATURE_LABELS

#: Where each engineered feature's variation comes from: "physics" (the sample's response
#: to the tip), "instrument" (the frame and zero point, not the sample) or "analysis" (how
#: well the Oliver-Pharr fit went). Depths also carry instrument errors (a surface offset
#: shifts every depth), which is why the pure instrument features matter.
FEATURE_ORIGINS: dict[str, str] = {
    **dict.fromkeys(FEATURE_LABELS, "physics"),
    "drift_rate_nm_per_s": "instrument",
    "zero_offset_nm": "instrument",
    "fit_r2": "analysis",
    "fit_rmse_mN": "analysis",
}
#: What each feature measures, in one line.
FEATURE_MEANINGS: dict[str, str] = {
    "H_GPa": "Oliver-Pharr hardness P_max / A(h_c)",
    "E_GPa": "Oliver-Pharr Young's modulus (ν = 0.3 assumed)",
    "Er_GPa": "reduced modulus from S and A",
    "S_mN_per_nm": "unloading stiffness dP/dh at P_max",
    "hc_nm": "contact depth h_max - 0.75 P_max / S",
    "h_max_nm": "largest depth",
    "h_f_nm": "final depth of the unloading fit",
    "hf_over_hmax": "depth share that stays (1 - elastic recovery); pile-up possible > 0.7",
    "m": "exponent of the unloading power law",
    "fit_r2": "how well the power law fits the unloading",
    "fit_rmse_mN": "scatter of the unloading about the fit",
    "W_total_pJ": "work of loading (area under loading)",
    "W_elastic_pJ": "work recovered on unloading",
    "W_plastic_pJ": "work spent in plastic deformation",
    "Wp_over_Wt": "plastic share of the work, grows as H/E_r falls",
    "kick_C_GPa": "C of Kick's law P = C h²",
    "popin_load_mN": "load of the first burst (empty: none found)",
    "popin_size_nm": "depth of the first burst (empty: none found)",
    "creep_nm": "depth gained in the hold at peak load",
    "initial_stiffness_mN_per_nm": "slope of the first 2-10 % of the loading",
    "drift_rate_nm_per_s": "depth rate in the low-load drift hold",
    "zero_offset_nm": "where Kick's law puts the surface",
}
#: Features that exist (are not missing) only where the analysis found a pop-in: on the
#: pop-in task they are the label in disguise.
POPIN_FEATURES = ("popin_load_mN", "popin_size_nm")
ORIGIN_NAMES = {
    "physics": "sample (physics)",
    "instrument": "instrument",
    "analysis": "fit quality",
}
#: Truth columns of the simulator, named for the page.
TRUTH_NAMES = {
    "defect": "the defect type",
    "defect_size": "its size",
    "material": "the material",
    "E_GPa": "E",
    "H_GPa": "H",
}


def input_problems(counts: pd.Series, folds: int) -> list[str]:
    """Why the page cannot score these curves (empty when it can).

    ``counts``: curves per class (0 for a class that got none).
    """
    problems = []
    missing = [str(c) for c, k in counts.items() if k == 0]
    if missing:
        problems.append(
            f"No curve of class {', '.join(missing)}: with {int(counts.sum())} curves shared "
            f"over {len(counts)} classes some classes get none. Raise the number of curves."
        )
    few = {str(c): int(k) for c, k in counts.items() if 0 < k < folds}
    if few:
        listed = ", ".join(f"{c} ({k})" for c, k in few.items())
        need = int(np.ceil(folds * counts.sum() / max(int(counts[counts > 0].min()), 1)))
        problems.append(
            f"Too few curves in class {listed}: {folds}-fold cross-validation needs at least "
            f"{folds} curves in every class. Try about {max(need, 10)} curves or more."
        )
    return problems


def features_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The feature table with unit-bearing display names (``H (GPa)``) and the class."""
    return table.rename(columns=FEATURE_LABELS)


def single_scored(singles: pd.Series, n_curves: int, chance: float) -> dict[str, Scored]:
    """Each feature's accuracy alone with its 95 % Wilson interval over the ``n_curves``
    curves its cross-validation scored, beside the baseline (``chance``: always the most
    common class)."""
    out = {}
    for name, accuracy in singles.items():
        a = float(accuracy)
        correct = min(max(round(a * n_curves), 0), n_curves) if np.isfinite(a) else 0
        low, high = wilson_interval(correct, n_curves) if np.isfinite(a) else (np.nan, np.nan)
        out[str(name)] = Scored(a, low, high, chance)
    return out


def feature_guide(singles: pd.Series, n_curves: int = 0, chance: float = np.nan) -> pd.DataFrame:
    """One row per feature: name with unit, what it measures, origin, accuracy alone and,
    with ``n_curves``, its 95 % Wilson interval, the baseline's accuracy (``chance``) and
    whether the feature beats it."""
    guide = pd.DataFrame(
        {
            "feature": [FEATURE_LABELS[f] for f in FEATURE_LABELS],
            "what it measures": [FEATURE_MEANINGS[f] for f in FEATURE_LABELS],
            "comes from": [ORIGIN_NAMES[FEATURE_ORIGINS[f]] for f in FEATURE_LABELS],
            "accuracy alone": [float(singles[f]) for f in FEATURE_LABELS],
        }
    )
    if n_curves:
        scored = single_scored(singles[list(FEATURE_LABELS)], n_curves, chance)
        guide["95 % interval"] = [
            f"{scored[f].low:.2f}–{scored[f].high:.2f}" for f in FEATURE_LABELS
        ]
        guide["baseline"] = chance
        guide["against the baseline"] = [
            "beats the baseline" if scored[f].beats_baseline else GUESSING for f in FEATURE_LABELS
        ]
    return guide


def lines_frame(r, on: str) -> pd.DataFrame:
    """Loading and unloading values of the resampled curves, long, for the line chart.

    ``r``: a :class:`ui.model_sees.cached.Resampled`. Columns curve, class, branch, grid_pct,
    value, line.
    """
    parts = []
    branch = np.asarray(r.branch)
    for name in ("loading", "unloading"):
        columns = np.flatnonzero(branch == name)
        if columns.size == 0:
            continue
        grid = 100 * np.arange(1, columns.size + 1) / columns.size
        values = r.values[:, columns]
        n = values.shape[0]
        parts.append(
            pd.DataFrame(
                {
                    "curve": np.repeat(np.arange(n), columns.size),
                    "class": np.repeat(r.classes, columns.size),
                    "branch": name,
                    "grid_pct": np.tile(grid, n),
                    "value": values.ravel(),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["curve", "class", "branch", "grid_pct", "value", "line"])
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    frame["line"] = frame["branch"] + " " + frame["curve"].astype(str)
    return frame


def heatmap_frame(r, classes: list[str], colour: str, on: str) -> tuple[pd.DataFrame, str]:
    """The representation matrix, long, rows sorted by class, and the colour's title.

    ``colour``: "measured" keeps the loading and unloading columns (one unit, nm or mN);
    "standardised" keeps every column, each as (value - mean) / sd over the curves.
    ``on``: the grid ("load": depths in nm; "depth": loads in mN). The frame is empty when
    "measured" finds neither branch.
    """
    branch = np.asarray(r.branch)
    if colour == "measured":
        keep = np.flatnonzero(np.isin(branch, ["loading", "unloading"]))
        values = r.values[:, keep]
        title = "Depth h (nm)" if on == "load" else "Load P (mN)"
    else:
        keep = np.arange(branch.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nanmean(r.values, axis=0)
            sd = np.nanstd(r.values, axis=0)
            values = (r.values - mean) / np.where(sd > 0, sd, 1.0)
        title = "Standardised value (sd)"
    rank = {c: i for i, c in enumerate(classes)}
    order = np.argsort([rank.get(c, len(rank)) for c in r.classes], kind="stable")
    n_rows, n_cols = values.shape[0], keep.size
    frame = pd.DataFrame(
        {
            "row": np.repeat(np.arange(n_rows), n_cols),
            "curve": np.repeat(order, n_cols),
            "class": np.repeat(r.classes[order], n_cols),
            "index": np.tile(np.arange(1, n_cols + 1), n_rows),
            "column": np.tile(np.asarray(r.columns)[keep], n_rows),
            "branch": np.tile(branch[keep], n_rows),
            "value": values[order].ravel(),
        }
    )
    return frame, title


def comparison_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as shown: representation, accuracy with its 95 % interval, the
    baseline's accuracy on the same folds, the verdict, sd over the folds, values per curve."""
    beats = table["low"] > table["baseline"]
    return pd.DataFrame(
        {
            "representation": table["representation"],
            "CV accuracy": table["accuracy"],
            "95 % interval": [
                f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(table["low"], table["high"], strict=True)
            ],
            "baseline": table["baseline"],
            "against the baseline": np.where(beats, "beats the baseline", GUESSING),
            "± sd": table["sd"],
            "values": table["values"],
        }
    )


def chance_level(counts: pd.Series) -> float:
    """Accuracy of always answering the most common class [-]."""
    return float(counts.max() / counts.sum())


def pairs_without(pairs: pd.DataFrame, features) -> pd.DataFrame:
    """The rows of a :func:`learners.supervised.separability.pair_scores` table that use none of
    ``features``, ranked among themselves (1 = best), best first."""
    used = pairs["feature_a"].isin(features) | pairs["feature_b"].isin(features)
    return rank_pairs(pairs[~used])
