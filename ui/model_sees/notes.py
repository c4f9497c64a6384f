"""What a model sees: the texts that explain the task, the representation and the comparison,
with the numbers on screen."""

from __future__ import annotations

import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.common.score_text import BASELINE_NAMES, sentence
from ui.model_sees.widgets import BRANCH_LABELS, FEATURE_LABELS, GRIDS

from .tables import FEATURE_ORIGINS, TRUTH_NAMES, single_scored


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


def _overlap(a: pd.Series, b: pd.Series) -> bool:
    """Whether two scores' 95 % intervals (low, high) overlap: within noise of each other."""
    return bool(a["low"] <= b["high"] and b["low"] <= a["high"])


def notes(
    task: str, singles: pd.Series, table: pd.DataFrame, chance: float, model: str
) -> list[str]:
    """What to notice, computed from these curves (``chance``: accuracy of always answering
    the most common class; ``model``: the comparison's classifier, in words).

    The pop-in note ("H and E do not show it") appears only when the Oliver-Pharr pair's
    interval lies below the best of the features and the curve; the material note ("two
    numbers do about as well as the whole curve") only when their intervals overlap."""
    rows = table.set_index("key")

    def score(key: str) -> str:
        r = rows.loc[key]
        s = Scored(r["accuracy"], r["low"], r["high"], r["baseline"])
        return sentence("", s, BASELINE_NAMES["classification"], 2).strip()

    best_single = singles.idxmax()
    n_curves = int(rows["n"].iloc[0]) if "n" in rows else 0
    alone = single_scored(singles, n_curves, chance)

    def single(name: str) -> str:
        return sentence("accuracy", alone[name], BASELINE_NAMES["classification"], 2)

    out = [
        f"With {model.lower()}, Oliver-Pharr H and E (and a flag where the analysis failed) "
        f"reach {score('op2')}, all engineered features {score('features')}, the full "
        f"curve {score('curve')} and its PCA {score('pca')}. The best single feature for "
        "a linear discriminant is "
        f"{FEATURE_LABELS[best_single]} ({single(best_single)} alone, scored by a "
        "different, simpler model, so it can even beat the scores above)."
    ]
    op, best = rows.loc["op2"], rows.loc[["features", "curve"], "accuracy"].max()
    if task == "popin" and op["high"] < best:
        out.append(
            "A pop-in hardly changes H and E: the burst happens early and the Oliver-Pharr "
            "analysis reads the unloading. The numbers an expert reports do not show it; the "
            "pop-in features and the loading branch of the full curve do."
        )
    elif task == "material" and _overlap(op, rows.loc["curve"]):
        out.append(
            "The material is in H and E: a model that sees only the two Oliver-Pharr "
            "numbers does about as well as one that sees the whole curve. More inputs are "
            "not better when two numbers already carry the physics."
        )
    elif task not in ("popin", "material"):
        out.append(
            "Each defect leaves its mark in a different part of the curve: no pair of "
            "features sees them all, and the full curve sees them only if its grid keeps "
            "that part (try leaving out the drift hold or the unloading)."
        )
    instrument = [f for f, o in FEATURE_ORIGINS.items() if o == "instrument"]
    strongest = singles[instrument].idxmax()
    out.append(
        "The instrument features (drift rate, surface offset) reach at most "
        f"{single(strongest)} alone here. When such a feature separates the classes, the "
        "model learns the instrument, not the sample: check that before you trust it."
    )
    return out
