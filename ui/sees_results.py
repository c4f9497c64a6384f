"""Tables and texts of the "What a model sees" page (pure functions, no Streamlit).

What each feature is (physics of the sample, instrument artefact, or quality of the
analysis), the long tables the charts draw, the problems that stop the page, the "what to
notice" notes and the exercise's feedback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from learners.supervised.separability import TOLERANCE, PairCheck, check_pair, rank_pairs
from ui.sees_widgets import BRANCH_LABELS, FEATURE_LABELS, GRIDS

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


def feature_guide(singles: pd.Series) -> pd.DataFrame:
    """One row per feature: name with unit, what it measures, origin, accuracy alone."""
    return pd.DataFrame(
        {
            "feature": [FEATURE_LABELS[f] for f in FEATURE_LABELS],
            "what it measures": [FEATURE_MEANINGS[f] for f in FEATURE_LABELS],
            "comes from": [ORIGIN_NAMES[FEATURE_ORIGINS[f]] for f in FEATURE_LABELS],
            "accuracy alone": [float(singles[f]) for f in FEATURE_LABELS],
        }
    )


def truth_text(made) -> str:
    """What the simulator knows about the task: what made the labels, and the nuisance."""
    informative = ", ".join(TRUTH_NAMES.get(c, c) for c in made.informative)
    nuisance = ", ".join(TRUTH_NAMES.get(c, c) for c in made.nuisance)
    text = f"**What the simulator knows.** {made.description} What made the labels: {informative}."
    if nuisance:
        text += f" Varies in every class without telling the label: {nuisance}."
    return text


def missing_note(table: pd.DataFrame, x: str, y: str) -> str | None:
    """How many curves the scatter leaves out because a feature is missing there."""
    gone = table[[x, y]].isna().any(axis=1)
    if not gone.any():
        return None
    by_class = table.loc[gone, "class"].value_counts()
    listed = ", ".join(f"{k} {c}" for c, k in by_class.items())
    return (
        f"{int(gone.sum())} curves have no value of {FEATURE_LABELS[x]} or "
        f"{FEATURE_LABELS[y]} (e.g. no pop-in was found) and are not drawn: {listed}. A "
        "model sees that emptiness too: it gets a 0/1 'missing' flag for each such feature."
    )


def lines_frame(r, on: str) -> pd.DataFrame:
    """Loading and unloading values of the resampled curves, long, for the line chart.

    ``r``: a :class:`ui.sees_cached.Resampled`. Columns curve, class, branch, grid_pct,
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


def shape_text(r, curve: dict) -> str:
    """The representation's shape and what its columns are."""
    n_curves, n_values = r.shape
    counts = pd.Series(r.branch).value_counts()
    parts = [f"{counts[b]} from the {BRANCH_LABELS[b]}" for b in curve["branches"] if b in counts]
    scale = "P_max (mN)" if curve["on"] == "load" else "h_max (nm)"
    return (
        f"A full-curve model receives a matrix of **{n_curves} curves × {n_values} values**: "
        f"{', '.join(parts)}, and 1 scale value, {scale}. Grid: {GRIDS[curve['on']]}; each "
        "hold is the depth gained (nm) at fractions of its duration. An expert sees a curve; "
        "the model sees one row of numbers, in a fixed order, without knowing which is which."
    )


def comparison_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as shown: representation, values per curve, accuracy, sd."""
    return table.rename(columns={"accuracy": "CV accuracy", "sd": "± sd"}).drop(columns=["key"])


def chance_level(counts: pd.Series) -> float:
    """Accuracy of always answering the most common class [-]."""
    return float(counts.max() / counts.sum())


def notes(
    task: str, singles: pd.Series, table: pd.DataFrame, chance: float, model: str
) -> list[str]:
    """What to notice, computed from these curves (``chance``: accuracy of always answering
    the most common class; ``model``: the comparison's classifier, in words)."""
    scores = table.set_index("key")["accuracy"]
    best_single = singles.idxmax()
    out = [
        f"With {model.lower()}, Oliver-Pharr H and E (and a flag where the analysis failed) "
        f"reach {scores['op2']:.2f} (chance: {chance:.2f}), all engineered features "
        f"{scores['features']:.2f}, the full curve {scores['curve']:.2f} and its PCA "
        f"{scores['pca']:.2f}. The best single feature for a linear discriminant is "
        f"{FEATURE_LABELS[best_single]} ({singles[best_single]:.2f} alone, scored by a "
        "different, simpler model, so it can even beat the scores above)."
    ]
    if task == "popin":
        out.append(
            "A pop-in hardly changes H and E: the burst happens early and the Oliver-Pharr "
            "analysis reads the unloading. The numbers an expert reports do not show it; the "
            "pop-in features and the loading branch of the full curve do."
        )
    elif task == "material":
        out.append(
            "The material is in H and E: a model that sees only the two Oliver-Pharr "
            "numbers does about as well as one that sees the whole curve. More inputs are "
            "not better when two numbers already carry the physics."
        )
    else:
        out.append(
            "Each defect leaves its mark in a different part of the curve: no pair of "
            "features sees them all, and the full curve sees them only if its grid keeps "
            "that part (try leaving out the drift hold or the unloading)."
        )
    instrument = [f for f, o in FEATURE_ORIGINS.items() if o == "instrument"]
    share = singles[instrument].max()
    out.append(
        f"The instrument features (drift rate, surface offset) reach at most {share:.2f} "
        "alone here. When such a feature separates the classes, the model learns the "
        "instrument, not the sample: check that before you trust it."
    )
    return out


def pairs_without(pairs: pd.DataFrame, features) -> pd.DataFrame:
    """The rows of a :func:`learners.supervised.separability.pair_scores` table that use none of
    ``features``, ranked among themselves (1 = best), best first."""
    used = pairs["feature_a"].isin(features) | pairs["feature_b"].isin(features)
    return rank_pairs(pairs[~used])


def _pair_name(a: str, b: str) -> str:
    return f"{FEATURE_LABELS[a]} with {FEATURE_LABELS[b]}"


def exercise_feedback(
    check: PairCheck | None,
    a: str | None,
    b: str | None,
    task: str,
    pairs: pd.DataFrame | None = None,
):
    """(kind, message) for the exercise: kind "info" (not answered), "warning" or "success".

    ``pairs`` is the separability table the check used (:func:`learners.supervised.separability.
    pair_scores`). On the pop-in task a pop-in feature exists only where a pop-in was found,
    so any pair with one scores about 1.00: the message then says so and names the best
    pair without pop-in features, and a pair without them that comes within
    :data:`~learners.supervised.separability.TOLERANCE` of that pair counts as right.
    """
    if a is None or b is None:
        return "info", "Pick two features: the page checks your pair against all pairs."
    if a == b:
        return "warning", "Pick two **different** features: one feature twice is one feature."
    if task != "popin" or pairs is None:
        return _verdict(check, a, b, task)
    clean = pairs_without(pairs, POPIN_FEATURES)
    if clean.empty:
        return _verdict(check, a, b, task)
    best = clean.iloc[0]
    best_text = f"{_pair_name(best['feature_a'], best['feature_b'])} ({best['accuracy']:.2f})"
    leaking = [f for f in (a, b) if f in POPIN_FEATURES]
    if leaking:
        kind, message = _verdict(check, a, b, task)
        names = " and ".join(FEATURE_LABELS[f] for f in leaking)
        verb, it = ("is", "it is") if len(leaking) == 1 else ("are", "they are")
        return kind, (
            f"{message}\n\n**But this pair cannot fail here:** {names} {verb} empty "
            f"wherever no pop-in was found, so on this task {it} the label in "
            "disguise. Now find the best pair **without** the pop-in features, one that "
            "sees the pop-in through the rest of the curve; on these curves that is "
            f"{best_text}."
        )
    own = check_pair(clean, (a, b))
    if not own.correct:
        kind, message = _verdict(check, a, b, task)
        return kind, (
            f"{message} Without the pop-in features the best pair reaches "
            f"{best['accuracy']:.2f}; yours is rank {own.rank} of those {own.n_pairs}."
        )
    return "success", (
        f"Right, without the pop-in features: {_pair_name(a, b)} reach "
        f"{own.accuracy:.2f}, within {TOLERANCE:.2f} of the best of the {own.n_pairs} "
        f"pairs that use neither pop-in feature ({best_text}). Pairs with a pop-in "
        "feature score higher only because that feature is empty wherever there is no "
        "pop-in: the label in disguise."
    )


def _verdict(check: PairCheck, a: str, b: str, task: str) -> tuple[str, str]:
    """The feedback on a pair of two different features against the best of all pairs."""
    name = _pair_name(a, b)
    best = _pair_name(*check.best_pair)
    if check.correct:
        return "success", (
            f"Right: {name} reach a cross-validated accuracy of {check.accuracy:.2f}, within "
            f"{TOLERANCE:.2f} of the best of all {check.n_pairs} pairs ({check.best_accuracy:.2f}, "
            f"e.g. {best}). Ask yourself whether they are physics or instrument."
        )
    hints = {
        "popin": "Hint: a pop-in is a sudden burst of depth during loading at almost constant "
        "load. Which features were built to find one? An empty value is information too.",
        "material": "Hint: the materials differ in hardness and stiffness; look for the "
        "features that separate best alone in the table above, then add one that differs "
        "where the first one overlaps.",
        "quality": "Hint: start from the feature that separates best alone (table above), "
        "then add one that tells apart the defects it confuses (offsets move depths, drift "
        "moves the hold, bursts make pop-ins).",
    }
    return "warning", (
        f"Not quite: {name} reach {check.accuracy:.2f} (rank {check.rank} of {check.n_pairs}); "
        f"the best pair reaches {check.best_accuracy:.2f}. {hints[task]}"
    )
