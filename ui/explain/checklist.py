"""The physically-meaningful checklist: each item a computed verdict with its table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.common.score_text import BASELINE_NAMES, GUESSING, sentence

from .tasks import JACCARD_LIMIT, N_STABILITY_SEEDS, NUISANCE_LIMIT, ROLES, SPREAD_LIMIT, task_kind


@dataclass(frozen=True)
class Verdict:
    """One item of the physical checklist."""

    status: str  # "pass", "warn" or "n/a"
    headline: str
    physics: str
    table: pd.DataFrame | None = None
    values: dict = field(default_factory=dict)

    @property
    def judged(self) -> bool:
        """False when the check refused to judge (a guessing model, importances all noise)."""
        return self.values.get("judged", True)


def noise_mask(importance: pd.DataFrame) -> pd.Series:
    """True where an importance is indistinguishable from zero (its ``noise`` column; a
    table without one counts only importances above zero as real)."""
    if "noise" in importance:
        return importance["noise"].astype(bool)
    return ~(importance["importance"] > 0)


def guessing(scored: Scored | None, physics: str = "") -> Verdict | None:
    """The question every item asks first: does the model beat its baseline on its
    held-out curves? A Verdict that says it is no better than guessing, or None if it is."""
    if scored is None or scored.beats_baseline:
        return None
    return Verdict(
        "warn",
        f"**{GUESSING[0].upper() + GUESSING[1:]}**: "
        + sentence(
            "accuracy on fresh curves under the training conditions",
            scored,
            BASELINE_NAMES["classification"],
            2,
        )
        + ". A model that does not beat always answering the most frequent class is not "
        "checked further: nothing it does can be tied to the material.",
        physics,
        None,
        {"judged": False},
    )


def check_physics(
    importance: pd.DataFrame, data: dict, k: int, scored: Scored | None = None
) -> Verdict:
    """Item 1: does the model use the quantities physics says carry the answer?

    ``importance`` has columns feature, importance (permutation importance on held-out
    curves, accuracy drop), noise (its interval reaches zero), role. Pass: a truth input
    among the top k and at most :data:`NUISANCE_LIMIT` of the importance on nuisance
    inputs, counting only importances distinguishable from zero. A model that does not beat
    its baseline (``scored``), or whose importances are all noise, is not judged.
    """
    if (verdict := guessing(scored)) is not None:
        return verdict
    imp = importance.sort_values("importance", ascending=False, kind="stable")
    real = ~noise_mask(imp)
    if not real.any():
        return Verdict(
            "warn",
            "Every permutation importance is indistinguishable from zero (its 95 % interval "
            "over the shuffles reaches 0): the check refuses to judge what this model uses.",
            "",
            None,
            {"judged": False, "truth_in_top": False},
        )
    imp = imp[real]
    positive = imp["importance"].clip(lower=0)
    total = float(positive.sum())
    share = positive.groupby(imp["role"]).sum() / total if total > 0 else pd.Series(dtype=float)
    table = pd.DataFrame(
        {"role": list(ROLES), "share of importance": [float(share.get(r, 0.0)) for r in ROLES]}
    )
    physics = {
        "he": "The phase under the indent sets H and E (WC is hard and stiff, the Co binder "
        "soft and compliant): a physically meaningful model rests on them, or on quantities "
        "that follow from them at a known load.",
        "clever_hans": "Aged steel is 4 % harder and nothing else differs: drift is a property "
        "of the measurement day, not of the steel, and E is the same for both classes.",
        "quality": "A pop-in is a burst at constant load during loading: only inputs that see "
        "that burst (the pop-in features, the low-load part of the loading curve) can find it.",
    }.get(task_kind(data), "")
    top = imp.head(k)
    nuisance = float(share.get("nuisance", 0.0))
    values = {
        "nuisance_share": nuisance,
        "top_roles": list(top["role"]),
        "truth_in_top": bool((top["role"] == "truth").any()),
    }
    if total <= 0:
        return Verdict(
            "warn",
            "Shuffling no input lowers the held-out accuracy: the model uses nothing it "
            "could be checked on (it may predict one class for every curve).",
            physics,
            table,
            values,
        )
    names = ", ".join(f"{f} ({r})" for f, r in zip(top["feature"], top["role"], strict=True))
    numbers = (
        f"Top {k} by permutation importance, among the {len(imp)} "
        f"input{'s' if len(imp) != 1 else ''} whose importance is distinguishable from "
        f"zero: {names}; {nuisance:.0%} of that importance is on "
        f"nuisance inputs (limit {NUISANCE_LIMIT:.0%})."
    )
    if values["truth_in_top"] and nuisance <= NUISANCE_LIMIT:
        return Verdict("pass", "Uses the truth. " + numbers, physics, table, values)
    if nuisance > NUISANCE_LIMIT:
        return Verdict("warn", "Leans on a nuisance. " + numbers, physics, table, values)
    if top["role"].iloc[0] == "mixed":
        return Verdict(
            "warn",
            "Its inputs are principal components that mix every part of the curve, so their "
            "names cannot say; use the curve-segment explanation. " + numbers,
            physics,
            table,
            values,
        )
    return Verdict(
        "warn",
        "Uses quantities related to the truth, but not the ones the simulator set: "
        "check whether they survive a change of load (item 3). " + numbers,
        physics,
        table,
        values,
    )


SHIFT_PHYSICS = {
    "drift": "Thermal drift adds displacement in proportion to time: depths, the hold and "
    "the drift hold move, and so does the unloading slope S that E comes from.",
    "noise": "More noise blurs every point; features made from a few points (pop-in size, "
    "drift rate, creep) suffer first, fits over many points hardly.",
    "tip": "A worn, rounded tip has a larger contact area at a given contact depth than the "
    "ideal area function 24.5 h_c² says: Oliver-Pharr H comes out too high by that factor "
    "and E by its square root, the more so the shallower the indent. This is why tips are "
    "recalibrated on fused silica.",
    "load": "At another peak load the depths, stiffness and work all change (h ∝ √P for "
    "a Berkovich tip) while H and E do not: only intensive quantities carry over.",
    "clean": "On the clean test set the days are random: drift no longer goes with the "
    "class, so only the 4 % in H is left to classify by.",
}


def _accuracy(row: pd.Series, which: str) -> str:
    """ "94 % (95 % interval 91–96 %, baseline 86 %)": one accuracy of a
    :func:`ui.explain.stress.stress_table` row, with what the row knows of it."""
    text = f"{100 * row[f'{which} accuracy']:.0f} %"
    low, high = row.get(f"{which} low", math.nan), row.get(f"{which} high", math.nan)
    base = row.get(f"{which} baseline", math.nan)
    if not all(math.isfinite(v) for v in (low, high, base)):
        return text
    extra = "" if low > base else f", {GUESSING}"
    interval = f"95 % interval {100 * low:.0f}–{100 * high:.0f} %"
    return f"{text} ({interval}, baseline {100 * base:.0f} %{extra})"


def check_shifts(rows: pd.DataFrame, tolerance_pct: float, scored: Scored | None = None) -> Verdict:
    """Items 2 and 3: does the accuracy survive shifted test sets?

    ``rows`` has columns shift (a key of :data:`SHIFT_PHYSICS`), test set, control
    accuracy, shifted accuracy; rows whose shifted accuracy is NaN are not available. A
    model that does not beat its baseline (``scored``) is not judged: a constant answer
    survives every shift.
    """
    if (verdict := guessing(scored)) is not None:
        return verdict
    table = rows.copy()
    table["drop (points)"] = 100 * (table["control accuracy"] - table["shifted accuracy"])
    done = table[table["shifted accuracy"].notna()]
    if done.empty:
        return Verdict("n/a", "No shifted test set is available for this task.", "", table)
    worst = done.loc[done["drop (points)"].idxmax()]
    numbers = "; ".join(
        f"{r['test set']}: {_accuracy(r, 'control')} → {_accuracy(r, 'shifted')}"
        for _, r in done.iterrows()
    )
    if worst["drop (points)"] <= tolerance_pct:
        return Verdict(
            "pass",
            f"Accuracy holds within {tolerance_pct:g} points. {numbers}.",
            " ".join(SHIFT_PHYSICS[s] for s in done["shift"]),
            table,
        )
    return Verdict(
        "warn",
        f"Accuracy falls by {worst['drop (points)']:.0f} points on '{worst['test set']}' "
        f"(tolerance {tolerance_pct:g}). {numbers}.",
        SHIFT_PHYSICS[worst["shift"]],
        table,
    )


def check_stability(
    jaccard: list[float], spread: list[float], k: int, scored: Scored | None = None
) -> Verdict:
    """Item 4: is the explanation the same with another LIME seed? (Not judged for a model
    that does not beat its baseline.)"""
    if (verdict := guessing(scored)) is not None:
        return verdict
    J, S = float(np.mean(jaccard)), float(np.mean(spread))
    table = pd.DataFrame(
        {
            "curve": [f"held-out {i}" for i in range(len(jaccard))],
            f"Jaccard of top {k}": jaccard,
            "weight spread": spread,
        }
    )
    numbers = (
        f"Mean Jaccard of the top {k} over {N_STABILITY_SEEDS} seeds {J:.2f} (at least "
        f"{JACCARD_LIMIT:g}), weight spread {S:.2f} (at most {SPREAD_LIMIT:g}), on "
        f"{len(jaccard)} held-out curves."
    )
    physics = (
        "An explanation that changes with LIME's random seed describes LIME's sampling, not "
        "the material: make it repeatable before reading physics into it (more samples, a "
        "kernel width near lime's default)."
    )
    ok = J >= JACCARD_LIMIT and S <= SPREAD_LIMIT
    return Verdict(
        "pass" if ok else "warn", ("Stable. " if ok else "Unstable. ") + numbers, physics, table
    )
