"""The exercises of the explanation pages and their self-checks."""

from __future__ import annotations

import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.common.score_text import BASELINE_NAMES, GUESSING, sentence

from .checklist import Verdict, noise_mask
from .tasks import INPUTS, NUISANCE_LIMIT, is_drift_feature, task_kind


def clever_hans_exercise(
    data: dict,
    lime: pd.DataFrame,
    importance: pd.DataFrame,
    lab: Scored,
    clean: Scored | None,
) -> tuple[str, str]:
    """Self-check of the exercise of "Why did the model decide?": a Clever Hans model whose
    explanation does not point at drift and that generalises to the clean test set.

    Checked in this order: the model beats its baseline in the lab and on the clean test set
    (each interval above the most frequent class's accuracy); its permutation importances
    are not all noise; neither LIME's top input nor its most important input is a drift
    feature; the clean-test accuracy does not fall more than 5 points below the lab's.
    ``importance``: feature, importance, noise (:func:`ui.explain.inspection.permutation`).

    Returns (status, message) with status "setup", "hint" or "done".
    """
    if task_kind(data) != "clever_hans" or clean is None:
        return "setup", (
            "Choose the task *Aged or as-received steel (Clever Hans)* (or press its "
            "scenario button) to start."
        )
    base = BASELINE_NAMES["classification"]
    if not lab.beats_baseline:
        return "hint", (
            f"Not yet: in the lab this model is {GUESSING} "
            f"({sentence('accuracy', lab, base, 2)}). An explanation of a model that learned "
            "nothing is no evidence of honesty. Which inputs carry the 4 % hardness "
            "difference?"
        )
    real = importance[~noise_mask(importance)]
    if real.empty:
        return "hint", (
            "Not yet: every permutation importance of this model is indistinguishable from "
            "zero, so nothing shows what it uses. Give it inputs it can use."
        )
    top, used = lime["feature"].iloc[0], real["feature"].iloc[0]
    if is_drift_feature(top) or is_drift_feature(used):
        return "hint", (
            f"Not yet: LIME's top input is **{top}** and the model's most important input "
            f"overall is **{used}**; drift is still in charge. Which inputs would leave the "
            "model no drift to see?"
        )
    if not clean.beats_baseline:
        return "hint", (
            f"Not yet: the explanation no longer points at drift (top: {top}), but on the "
            f"clean test set this model is {GUESSING} "
            f"({sentence('accuracy', clean, base, 2)})."
        )
    drop = 100 * (lab.value - clean.value)
    if drop > 5:
        return "hint", (
            f"The explanation no longer points at drift (top: {top}), but on the clean test "
            f"set the accuracy is {clean.value:.0%} against {lab.value:.0%} in the lab. "
            "Something else still carries the day (E and S are measured during the drifting "
            "unloading)."
        )
    return "done", (
        f"Done. LIME's top input is **{top}**, the model's is **{used}**, and "
        f"{sentence('its clean-test accuracy', clean, base, 2)} ({lab.value:.0%} on held-out "
        "lab curves). Lower than the drift model's lab score, and honest: 4 % in H under 6 % "
        "scatter allows no more."
    )


def physical_exercise(data: dict, verdicts: list[Verdict], inputs: str | None) -> tuple[str, str]:
    """Self-check of the exercise of "Is it physically meaningful?": on the phase task, a
    model whose importance rests on H, E and quantities made from them (at most
    :data:`NUISANCE_LIMIT` on nuisance inputs) and that still fails to extrapolate to
    another peak load (item 3).

    Returns (status, message) with status "setup", "hint" or "done".
    """
    if data["task"] != "phase":
        return "setup", "Choose the task *Phase under the indent (WC-Co map)* to start."
    if not all(v.judged for v in verdicts):
        refused = next(v for v in verdicts if not v.judged)
        return "hint", (
            f"Not yet: the checklist does not judge this model. {refused.headline} Train one "
            "that beats the baseline and uses its inputs measurably."
        )
    physics, load = verdicts[0], verdicts[2]
    if load.status == "n/a":
        return "setup", "The peak-load test set could not be made with these settings."
    if load.status == "pass":
        return "hint", (
            "This model survives the change of peak load. Which inputs change with the load "
            "although the phase does not? Try other inputs (and a load factor of 3 or 5)."
        )
    if physics.values.get("nuisance_share", 1.0) > NUISANCE_LIMIT:
        return "hint", (
            "It fails at the new load, but it also leans on nuisance inputs: find one that "
            "fails while resting on H, E or quantities made from them."
        )
    what = INPUTS[inputs][0] if inputs in INPUTS else "these inputs"
    return "done", (
        f"Done: with *{what}* the model rests on quantities made from H and E, yet loses its "
        "accuracy at the new peak load. Depths, stiffness and work scale with the load "
        "(h ∝ √P for a Berkovich tip), H and E do not: physically related is not the same "
        "as physically meaningful."
    )
