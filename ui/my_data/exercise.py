"""The hardness-by-hand exercise: its answer from the table and the feedback on a guess."""

from __future__ import annotations

import math

#: A guessed hardness within this fraction of P_max / (24.5 h_c^2) counts as right.
GUESS_TOLERANCE = 0.10


#: Area of an ideal Berkovich used in the exercise, A = 24.5 h_c^2 [-].
EXERCISE_C0 = 24.5


def exercise_hardness(P_max_mN: float, hc_nm: float) -> float:
    """The exercise's answer: H = P_max / (24.5 h_c²) [GPa] from one row of the table.

    It uses the ideal Berkovich whatever area function the sidebar sets, as the exercise
    tells the learner to (1 mN/nm² = 10⁶ GPa).
    """
    if not (math.isfinite(P_max_mN) and math.isfinite(hc_nm) and hc_nm > 0):
        return math.nan
    return 1e6 * P_max_mN / (EXERCISE_C0 * hc_nm**2)


#: Wrong tries after which the answer is given without being asked for.
TRIES_BEFORE_ANSWER = 3


def _hint(guess_GPa: float, H_GPa: float, tries: int) -> str:
    """A graded hint that does not give the value away: which way and, for a unit slip, by
    how many decades (first try); the formula with its units (later tries)."""
    if not guess_GPa > 0:
        return (
            "A hardness is a mean pressure under the tip, load over area, and so positive. "
            "Use P_max and h_c of the fused-silica row: H = P_max / (24.5 h_c²)."
        )
    side = "high" if guess_GPa > H_GPa else "low"
    if abs(math.log10(guess_GPa / H_GPa)) > 2:
        return (
            f"Too {side} by a factor of about 1000 or more? 1 mN/nm² = 10⁶ GPa, and the load "
            "must be in mN."
        )
    if tries <= 1:
        return f"Too {side}. Use P_max and h_c of the fused-silica row: H = P_max / A."
    return (
        f"Sharper hint: still too {side}. A = 24.5 h_c² with h_c in nm gives nm²; P_max / A "
        "is then in mN/nm², and × 10⁶ turns it into GPa. Square h_c before multiplying."
    )


def check_hardness(
    guess_GPa: float,
    H_GPa: float,
    *,
    tries: int = TRIES_BEFORE_ANSWER,
    shown: bool = True,
) -> tuple[bool, str]:
    """Feedback on a hardness worked out by hand against ``H_GPa``, the value of
    :func:`exercise_hardness` for the same row.

    Right within :data:`GUESS_TOLERANCE` (10 %). A wrong value gets a graded hint that
    does not give the answer away (no distance in %); the answer comes after
    :data:`TRIES_BEFORE_ANSWER` tries (``tries``: distinct values so far, this one
    included) or on request (``shown``). Returns ``(correct, message)``.
    """
    if not math.isfinite(H_GPa):
        return False, "The page could not analyse this curve, so there is no value to compare."
    error = (guess_GPa - H_GPa) / H_GPa
    if guess_GPa > 0 and abs(error) <= GUESS_TOLERANCE:
        return True, (
            f"Right: you said {guess_GPa:.3g} GPa; P_max / (24.5 h_c²) gives {H_GPa:.3g} GPa "
            f"({100 * error:+.1f} %). Fused silica is the usual calibration reference with "
            "H ≈ 9 GPa: a lab that measures it far off checks its tip area function."
        )
    if not shown and tries < TRIES_BEFORE_ANSWER:
        left = TRIES_BEFORE_ANSWER - tries
        return False, (
            f"Not quite: you said {guess_GPa:.3g} GPa. {_hint(guess_GPa, H_GPa, tries)} (The "
            f"answer after {left} more {'try' if left == 1 else 'tries'}, or on request.)"
        )
    return False, (
        f"Not quite: you said {guess_GPa:.3g} GPa. The answer: P_max / (24.5 h_c²) = "
        f"{H_GPa:.3g} GPa. {_hint(guess_GPa, H_GPa, TRIES_BEFORE_ANSWER)}"
    )
