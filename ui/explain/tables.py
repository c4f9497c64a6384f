"""Pure functions of the two explanation pages: tasks, the truth per feature, instance
picks, the scorecard, the physical checklist and the teaching texts.

Nothing here draws or caches; the pages call these and show the result, and the tests call
them directly. *Data settings* are the plain dict every supervised page uses:
``{"task", "n", "seed", "noise", "options"}`` (``task`` a :data:`simulator.TASKS` name,
``noise`` in multiples of the typical instrument noise, ``options`` further keyword
arguments of :func:`simulator.make_dataset`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from learners.explain import curve_segments

from .tasks import N_STABILITY_SEEDS, task_kind

# --- instances -------------------------------------------------------------------------

PICKS = ("typical", "misclassified", "confounded", "by number")


@dataclass(frozen=True)
class Pick:
    """The curve to explain: its position in the pool of held-out curves, and why."""

    position: int | None
    reason: str


def _class_of_interest(data: dict, y: np.ndarray) -> str | None:
    kind = task_kind(data)
    if kind == "quality" and "defect" in set(y):
        return "defect"
    if kind == "clever_hans":
        return "aged"
    values, counts = np.unique(y, return_counts=True)
    return str(values[np.argmax(counts)]) if values.size else None


def pick_instance(
    kind: str,
    data: dict,
    truth: pd.DataFrame,
    y: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    number: int = 0,
) -> Pick:
    """Choose a held-out curve: typical, misclassified, confounded, or by its number.

    Parameters
    ----------
    kind : one of :data:`PICKS`
    data : data settings of the pool
    truth : the pool's truth table (one row per held-out curve)
    y, predicted : true and predicted labels of the pool
    confidence : predicted probability of the predicted class, per curve
    number : position in the pool for ``"by number"``

    Returns
    -------
    Pick with ``position`` None (and the reason) when no curve fits.
    """
    y, predicted = np.asarray(y).astype(str), np.asarray(predicted).astype(str)
    n = y.size
    if kind == "by number":
        if not 0 <= number < n:
            return Pick(None, f"Curve number must be from 0 to {n - 1}. Got {number}.")
        return Pick(number, f"held-out curve {number}, chosen by number")
    correct = predicted == y
    if kind == "typical":
        interest = _class_of_interest(data, y)
        pool = np.flatnonzero(correct & (y == interest))
        pool = pool if pool.size else np.flatnonzero(correct)
        pool = pool if pool.size else np.arange(n)
        median = np.median(confidence[pool])
        i = int(pool[np.argmin(np.abs(confidence[pool] - median))])
        return Pick(i, f"a typical, correctly classified '{y[i]}' curve")
    if kind == "misclassified":
        wrong = np.flatnonzero(~correct)
        if not wrong.size:
            return Pick(None, "This model classifies every held-out curve correctly.")
        i = int(wrong[np.argmax(confidence[wrong])])
        return Pick(
            i, f"the most confidently misclassified curve: '{y[i]}' called '{predicted[i]}'"
        )
    if kind != "confounded":
        raise ValueError(f"kind must be one of {PICKS}. Got {kind!r}.")
    task = task_kind(data)
    if task == "clever_hans" and "day" in truth:
        day = truth["day"].to_numpy()
        other_day = ((y == "aged") & (day == 2)) | ((y == "as-received") & (day == 1))
        pool = np.flatnonzero(other_day)
        if not pool.size:
            return Pick(None, "No held-out curve was measured on the other class's day.")
        fooled = pool[~correct[pool]]
        pool = fooled if fooled.size else pool
        i = int(pool[np.argmax(confidence[pool])])
        return Pick(
            i,
            f"an '{y[i]}' curve measured on day {day[i]}, the day of the other class: its "
            "drift points to the wrong label",
        )
    if task == "he" and "on_interface" in truth:
        pool = np.flatnonzero(truth["on_interface"].to_numpy(dtype=bool))
        if not pool.size:
            return Pick(None, "No held-out indent sits on an interface.")
        i = int(pool[np.argmin(np.abs(confidence[pool] - 0.5))])
        return Pick(
            i, f"an indent on an interface: its zone mixes two phases (true phase '{y[i]}')"
        )
    if task == "quality" and "defect_size" in truth:
        sizes = truth["defect_size"].to_numpy(dtype=float)
        pool = np.flatnonzero(truth["defect"].to_numpy().astype(str) != "none")
        if not pool.size:
            return Pick(None, "No held-out curve has a defect.")
        i = int(pool[np.argmin(np.abs(sizes[pool]))])
        return Pick(
            i,
            f"the smallest defect ({sizes[i]:.2g} mN pop-in load). This task has no confound "
            "(the material varies in both classes), so this is its hardest case instead",
        )
    return Pick(None, "This task has no confounded curves.")


def instance_facts(data: dict, row: pd.Series) -> str:
    """What the simulator knows about one curve, in a short line."""
    kind = task_kind(data)
    facts = [f"true H {row['H_GPa']:.3g} GPa, E {row['E_GPa']:.3g} GPa"]
    if kind == "clever_hans":
        facts.append(f"day {int(row['day'])}, drift {row['drift_nm_per_s']:+.3f} nm/s")
    if kind == "he" and "on_interface" in row:
        facts.append("on an interface" if row["on_interface"] else "inside a grain")
    if kind == "quality" and "defect" in row:
        if row["defect"] == "none":
            facts.append("no defect")
        else:
            facts.append(f"{row['defect']} of size {row['defect_size']:.3g}")
        if "popin_size_nm" in row and row.get("popin_size_nm", 0) > 0:
            facts.append(f"pop-in burst {row['popin_size_nm']:.3g} nm")
    return "; ".join(facts)


def truth_region(data: dict, segment: np.ndarray, P_mN: np.ndarray, defect_points) -> tuple:
    """Where in the curve the truth lies, as (mask of points, label) and, for the Clever
    Hans task, the shortcut's mask (the drift hold) else None.

    Pop-ins and other defects: the points the defect changed (empty for a good curve).
    H and E: the loading (curvature, H) and the upper unloading (slope S, hence E).
    """
    kind = task_kind(data)
    if kind == "quality":
        return np.asarray(defect_points, dtype=bool), "points the defect changed", None
    names, masks = curve_segments(segment, P_mN)
    wanted = ("early loading", "late loading", "upper unloading")
    if kind == "clever_hans":
        wanted = ("early loading", "late loading")
    region = np.zeros(len(segment), dtype=bool)
    for name, mask in zip(names, masks, strict=True):
        if name in wanted:
            region |= mask
    label = "loading and upper unloading (H and E)" if kind == "he" else "loading (H)"
    shortcut = None
    if kind == "clever_hans":
        shortcut = np.zeros(len(segment), dtype=bool)
        for name, mask in zip(names, masks, strict=True):
            if name == "drift hold":
                shortcut |= mask
    return region, label, shortcut


# --- scorecard -------------------------------------------------------------------------


def _fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    return f"{value:.{digits}f}"


#: What a scorecard item shows instead of its number when it is not credited.
NOT_CREDITED = {
    "guessing": "not credited: the model is no better than guessing",
    "noise": "not credited: weights within noise of zero",
}
#: The items built on LIME's feature ranking and on the segment ranking.
FEATURE_ITEMS = (
    "top_k_truth",
    "top_k_physics",
    "rank_correlation",
    "sign_agreement",
    "top_k_exact",
    "faithfulness_gap",
    "pgu",
)
SEGMENT_ITEMS = ("pointing_game", "relevance_mass", "shortcut_mass")


def credit(card: dict, item: str, guessing: bool = False) -> str | None:
    """Why scorecard ``item`` is not credited (a key of :data:`NOT_CREDITED`), or None.

    Every item that judges an explanation first asks whether the model beats its baseline
    (``guessing``: it does not) and whether the weights it rests on stand out of their
    spread over the LIME seeds (``card["lime_noise"]`` for the feature items,
    ``card["segment_noise"]`` for the segment items). Stability items are always shown.
    """
    if item not in FEATURE_ITEMS + SEGMENT_ITEMS:
        return None
    if guessing:
        return "guessing"
    noise = card.get("lime_noise" if item in FEATURE_ITEMS else "segment_noise", False)
    return "noise" if noise else None


def scorecard_table(card: dict, k: int, guessing: bool = False) -> pd.DataFrame:
    """The scorecard as rows: score, value (text), what it says, source.

    ``card`` holds the numbers (NaN or None where a score does not apply); see
    :func:`ui.explain.cached.explain_instance` and :func:`ui.explain.cached.explain_curve`.
    An item that is not credited (:func:`credit`; ``guessing``: the model does not beat its
    baseline) shows why instead of its number.
    """

    def value(item: str, digits: int = 2) -> str:
        why = credit(card, item, guessing)
        return NOT_CREDITED[why] if why else _fmt(card.get(item), digits)

    rows = [
        (
            f"top-{k} agreement with the truth",
            value("top_k_truth"),
            f"share of LIME's top {k} features (by |weight|) that the simulator made carry "
            "the label; like every item down to the relevance masses, not credited when the "
            "weights it rests on lie within 2 sd of zero over the seeds",
            "OpenXAI feature agreement (Krishna et al. 2022)",
        ),
        (
            f"top-{k} on physics (truth or indirect)",
            value("top_k_physics"),
            "the same, counting quantities made from the truth (E_r, S, h_c, W_p/W_t ...)",
            "as above",
        ),
        (
            f"rank correlation with the {card.get('reference', 'exact attribution')}",
            value("rank_correlation"),
            "Spearman correlation of |LIME contribution| and |reference|: 1 = same ranking "
            "(logistic regression only; the reference is coef × (z − mean z) for two "
            "classes, the occlusion of the one-vs-rest log-odds for more)",
            "OpenXAI rank correlation",
        ),
        (
            f"sign agreement (reference top {k})",
            value("sign_agreement"),
            "share of the reference's top features whose LIME contribution has the same sign",
            "OpenXAI sign agreement",
        ),
        (
            f"top-{k} agreement with the {card.get('reference', 'exact attribution')}",
            value("top_k_exact"),
            "share of LIME's top features that are also the reference's top features",
            "OpenXAI feature agreement",
        ),
        (
            f"faithfulness gap (top {k} vs random {k})",
            value("faithfulness_gap", 3),
            f"drop of p(predicted class) when LIME's top {k} features are set to their "
            f"training mean ({_fmt(card.get('top_k_drop'), 3)}), minus the mean drop for "
            f"random {k} features ({_fmt(card.get('random_drop'), 3)}): > 0 when LIME points "
            "at what the model uses",
            "XAI-Bench removal test (Liu et al. 2021); PGI of OpenXAI",
        ),
        (
            f"prediction gap, bottom {k} (PGU)",
            value("pgu", 3),
            f"change of p(predicted class) when LIME's least important {k} features are "
            "removed: small when LIME is right that they do not matter",
            "OpenXAI PGU",
        ),
        (
            "local fit R² of LIME",
            _fmt(card.get("lime_r2")),
            "how well LIME's weighted linear model fits the model around this curve",
            "Ribeiro et al. 2016",
        ),
        (
            "pointing game: top segment in the truth region",
            value("pointing_game"),
            "does the curve segment with the largest weight overlap the truth region?",
            "Zhang et al. 2018; Quantus",
        ),
        (
            "relevance mass in the truth region",
            value("relevance_mass"),
            "share of the positive segment relevance (spread over each segment's points) that "
            "lies in the truth region",
            "Arras, Osman & Samek 2022",
        ),
    ]
    if "shortcut_mass" in card:
        rows.append(
            (
                "relevance mass in the drift hold (shortcut)",
                value("shortcut_mass"),
                "share of the positive segment relevance in the low-load drift hold, where "
                "only drift shows",
                "as above",
            )
        )
    rows += [
        (
            f"stability: Jaccard of top {k} over {N_STABILITY_SEEDS} seeds",
            _fmt(card.get("jaccard")),
            "mean overlap of the top-k sets of LIME run with different seeds: 1 = the same "
            "features every time",
            "Visani et al. 2022",
        ),
        (
            f"stability: weight spread over {N_STABILITY_SEEDS} seeds",
            _fmt(card.get("spread")),
            "mean standard deviation of a weight across seeds / mean |weight|: 0 = identical",
            "Visani et al. 2022",
        ),
        (
            "local Lipschitz estimate",
            _fmt(card.get("lipschitz")),
            "largest change of the LIME contributions per unit change of the (standardised) "
            "inputs, over the nearest held-out curves: large = the explanation jumps",
            "Alvarez-Melis & Jaakkola 2018",
        ),
    ]
    return pd.DataFrame(rows, columns=["score", "value", "what it says", "source"])


# --- checklist -------------------------------------------------------------------------


# --- texts -----------------------------------------------------------------------------
