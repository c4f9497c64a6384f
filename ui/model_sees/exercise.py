"""The feature-pair exercise: feedback on a chosen pair against the best of all pairs, with
hints that sharpen with each wrong try and the answer only after several tries or on request.
"""

from __future__ import annotations

import pandas as pd

from learners.supervised.separability import TOLERANCE, PairCheck, check_pair
from learners.supervised.uncertainty import Scored, wilson_interval
from ui.common.attempts import TRIES_BEFORE_ANSWER
from ui.common.score_text import BASELINE_NAMES, sentence
from ui.model_sees.widgets import FEATURE_LABELS

from .tables import POPIN_FEATURES, pairs_without

#: What the pop-in features are, said without calling them leakage: the pop-in detector's
#: output, measured on the curve, and so the defect's own signature.
SIGNATURE = (
    "the pop-in features are what the pop-in detector measured on each curve (not the "
    "simulator's truth): they are the defect's own signature, and empty where no pop-in was "
    "found, so any pair with one separates the classes almost perfectly"
)

HINTS = {
    "popin": (
        "Hint: a pop-in is a sudden burst of depth during loading at almost constant load. "
        "Which part of the curve does it change?",
        "Sharper hint: the burst makes the loading curve deeper at low load; look for the "
        "features read from the loading branch and the depths.",
    ),
    "material": (
        "Hint: the materials differ in hardness and stiffness; look for the features that "
        "separate best alone in the table above.",
        "Sharper hint: take the best feature alone, then add one that differs where the "
        "first one overlaps (the scatter plot above shows where).",
    ),
    "quality": (
        "Hint: start from the feature that separates best alone (table above).",
        "Sharper hint: add one that tells apart the defects the first one confuses (offsets "
        "move depths, drift moves the hold, bursts make pop-ins).",
    ),
}


def _pair_name(a: str, b: str) -> str:
    return f"{FEATURE_LABELS[a]} with {FEATURE_LABELS[b]}"


def _hint(task: str, tries: int, best: tuple[str, str], best_accuracy: float, shown: bool):
    """The hint for this try: general, then sharper, then the answer."""
    if shown or tries >= TRIES_BEFORE_ANSWER:
        return f"The answer: {_pair_name(*best)} ({best_accuracy:.2f})."
    first, second = HINTS[task]
    left = TRIES_BEFORE_ANSWER - tries
    more = f" (the answer after {left} more {'try' if left == 1 else 'tries'}, or on request)"
    return (first if tries <= 1 else second) + more


def exercise_feedback(
    check: PairCheck | None,
    a: str | None,
    b: str | None,
    task: str,
    pairs: pd.DataFrame | None = None,
    *,
    tries: int = 1,
    shown: bool = False,
    chance: float | None = None,
    n_curves: int | None = None,
):
    """(kind, message) for the exercise: kind "info" (not answered), "warning" or "success".

    ``pairs`` is the separability table the check used (:func:`learners.supervised.
    separability.pair_scores`). ``tries``: the learner's distinct tries so far (this one
    included); ``shown``: the learner asked for the answer. A wrong pair gets a hint that
    sharpens with the tries; the best pair is named only after
    :data:`~ui.common.attempts.TRIES_BEFORE_ANSWER` tries or on request. With ``chance``
    (the baseline: always the most common class) and ``n_curves``, a pair whose Wilson
    interval does not clear the baseline is no better than guessing, whatever its rank.

    On the pop-in task the pop-in features exist only where the detector found a pop-in:
    a pair with one is right but too easy, and the learner is then asked for the best pair
    without them (within :data:`~learners.supervised.separability.TOLERANCE` of it counts).
    """
    if a is None or b is None:
        return "info", "Pick two features: the page checks your pair against all pairs."
    if a == b:
        return "warning", "Pick two **different** features: one feature twice is one feature."
    if chance is not None and n_curves:
        low, high = wilson_interval(round(check.accuracy * n_curves), n_curves)
        scored = Scored(check.accuracy, low, high, chance)
        if not scored.beats_baseline:
            return "warning", (
                f"Not quite: {_pair_name(a, b)} reach "
                f"{sentence('', scored, BASELINE_NAMES['classification'], 2).strip()}. "
                + _hint(task, tries, check.best_pair, check.best_accuracy, shown)
            )
    if task != "popin" or pairs is None:
        return _verdict(check, a, b, task, tries, shown)
    clean = pairs_without(pairs, POPIN_FEATURES)
    if clean.empty:
        return _verdict(check, a, b, task, tries, shown)
    best = clean.iloc[0]
    best_pair = (str(best["feature_a"]), str(best["feature_b"]))
    with_popin = [f for f in (a, b) if f in POPIN_FEATURES]
    if with_popin:
        kind, message = _verdict(check, a, b, task, tries, shown)
        if kind != "success":
            return kind, message
        answer = (
            f" On these curves that is {_pair_name(*best_pair)} ({best['accuracy']:.2f})."
            if shown or tries >= TRIES_BEFORE_ANSWER
            else f" The best such pair reaches {best['accuracy']:.2f}."
        )
        return "success", (
            f"{message}\n\n**Why it is easy:** {SIGNATURE}. Now the harder question: the best "
            "pair **without** the pop-in features, one that sees the pop-in through the rest "
            "of the curve." + answer
        )
    own = check_pair(clean, (a, b))
    if not own.correct:
        return "warning", (
            f"Not quite: {_pair_name(a, b)} reach {own.accuracy:.2f} (rank {own.rank} of the "
            f"{own.n_pairs} pairs without the pop-in features; the best reaches "
            f"{best['accuracy']:.2f}). "
            + _hint(task, tries, best_pair, float(best["accuracy"]), shown)
        )
    return "success", (
        f"Right, without the pop-in features: {_pair_name(a, b)} reach "
        f"{own.accuracy:.2f}, within {TOLERANCE:.2f} of the best of the {own.n_pairs} "
        f"pairs that use neither pop-in feature ({_pair_name(*best_pair)}, "
        f"{best['accuracy']:.2f}). Pairs with a pop-in feature score higher because {SIGNATURE}."
    )


def _verdict(check: PairCheck, a: str, b: str, task: str, tries: int, shown: bool):
    """The feedback on a pair of two different features against the best of all pairs."""
    name = _pair_name(a, b)
    if check.correct:
        return "success", (
            f"Right: {name} reach a cross-validated accuracy of {check.accuracy:.2f}, within "
            f"{TOLERANCE:.2f} of the best of all {check.n_pairs} pairs "
            f"({check.best_accuracy:.2f}). Ask yourself whether they are physics or instrument."
        )
    return "warning", (
        f"Not quite: {name} reach {check.accuracy:.2f} (rank {check.rank} of {check.n_pairs}); "
        f"the best pair reaches {check.best_accuracy:.2f}. "
        + _hint(task, tries, check.best_pair, check.best_accuracy, shown)
    )
