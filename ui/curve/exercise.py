"""The curve page's exercise: feedback on a guessed error against the law and the measurement."""

from __future__ import annotations

import math

#: Pile-up of the exercise: true area / Oliver-Pharr area - 1.
EXERCISE_PILEUP = 0.30


def pileup_laws(pileup: float = EXERCISE_PILEUP) -> dict[str, float]:
    """How many % Oliver-Pharr overestimates H and E_r when the true contact area is
    (1 + ``pileup``) times the one it computes: H ∝ 1 / A, E_r ∝ 1 / √A."""
    return {"H": 100 * pileup, "E_r": 100 * (math.sqrt(1 + pileup) - 1)}


#: Graded hints for a wrong guess, per quantity: the first try, then a sharper one.
HINTS = {
    "H": (
        "Hint: H = P_max / A, and with pile-up the load is carried by an area (1 + x) times "
        "the one Oliver-Pharr computes. How does H scale with A?",
        "Sharper hint: H ∝ 1 / A, so too small an area by the factor (1 + x) makes H too "
        "high by that factor.",
    ),
    "E_r": (
        "Hint: E_r = √π S / (2β √A). How does E_r scale with A?",
        "Sharper hint: E_r ∝ 1 / √A, so an area (1 + x) times too small makes E_r too high "
        "by √(1 + x) − 1, less than H.",
    ),
}
#: Wrong tries after which the answer is given without being asked for.
TRIES_BEFORE_ANSWER = 3


def check_guess(
    guess_pct: float,
    law_pct: float,
    measured_pct: float,
    tol_pct: float = 3.0,
    *,
    quantity: str = "H",
    tries: int = TRIES_BEFORE_ANSWER,
    shown: bool = True,
):
    """Feedback on a guessed % error against the closed-form law and the app's measurement.

    Returns ``(correct, message)``; a guess counts as correct within ``tol_pct`` percentage
    points of the law. ``measured_pct`` may be NaN when the app could not simulate it. A
    wrong guess gets a hint (sharper on the second try) and the answer only after
    :data:`TRIES_BEFORE_ANSWER` tries or when the learner asked for it (``shown``).
    """
    correct = abs(guess_pct - law_pct) <= tol_pct
    if not correct and not shown and tries < TRIES_BEFORE_ANSWER:
        side = "high" if guess_pct > law_pct else "low"
        left = TRIES_BEFORE_ANSWER - tries
        return False, (
            f"Not quite: you said {guess_pct:+.1f} %, too {side}. "
            f"{HINTS[quantity][0 if tries <= 1 else 1]} (the answer after {left} more "
            f"{'try' if left == 1 else 'tries'}, or on request)"
        )
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
