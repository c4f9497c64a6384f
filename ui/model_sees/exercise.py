"""The feature-pair exercise: feedback on a chosen pair against the best of all pairs."""

from __future__ import annotations

import pandas as pd

from learners.supervised.separability import TOLERANCE, PairCheck, check_pair
from ui.model_sees.widgets import FEATURE_LABELS

from .tables import POPIN_FEATURES, pairs_without


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
