"""The curve page's exercise: feedback on a guessed error against the law and the measurement."""

from __future__ import annotations

import math

#: Pile-up of the exercise: true area / Oliver-Pharr area - 1.
EXERCISE_PILEUP = 0.30


def pileup_laws(pileup: float = EXERCISE_PILEUP) -> dict[str, float]:
    """How many % Oliver-Pharr overestimates H and E_r when the true contact area is
    (1 + ``pileup``) times the one it computes: H ∝ 1 / A, E_r ∝ 1 / √A."""
    return {"H": 100 * pileup, "E_r": 100 * (math.sqrt(1 + pileup) - 1)}


def check_guess(guess_pct: float, law_pct: float, measured_pct: float, tol_pct: float = 3.0):
    """Feedback on a guessed % error against the closed-form law and the app's measurement.

    Returns ``(correct, message)``; a guess counts as correct within ``tol_pct`` percentage
    points of the law. ``measured_pct`` may be NaN when the app could not simulate it.
    """
    correct = abs(guess_pct - law_pct) <= tol_pct
    verdict = "Right" if correct else "Not quite"
    measured = (
        f"this app's own Oliver-Pharr analysis of your curve with that pile-up measures "
        f"{measured_pct:+.1f} %."
        if math.isfinite(measured_pct)
        else "your current settings cannot be simulated with that pile-up, so there is no "
        "measured value to compare."
    )
    return (
        correct,
        f"{verdict}: you said {guess_pct:+.1f} %. The law gives {law_pct:+.1f} %; {measured}",
    )
