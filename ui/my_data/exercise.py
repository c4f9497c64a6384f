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


def check_hardness(guess_GPa: float, H_GPa: float) -> tuple[bool, str]:
    """Feedback on a hardness worked out by hand against ``H_GPa``, the value of
    :func:`exercise_hardness` for the same row.

    Right within :data:`GUESS_TOLERANCE` (10 %). Returns ``(correct, message)``.
    """
    if not math.isfinite(H_GPa):
        return False, "The page could not analyse this curve, so there is no value to compare."
    if not guess_GPa > 0:
        return False, (
            f"Not quite: you said {guess_GPa:.3g} GPa, but a hardness is a mean pressure under "
            "the tip, load over area, and so positive. Use P_max and h_c of the fused-silica "
            "row: H = P_max / (24.5 h_c²)."
        )
    error = (guess_GPa - H_GPa) / H_GPa
    if abs(error) <= GUESS_TOLERANCE:
        return True, (
            f"Right: you said {guess_GPa:.3g} GPa; P_max / (24.5 h_c²) gives {H_GPa:.3g} GPa "
            f"({100 * error:+.1f} %). Fused silica is the usual calibration reference with "
            "H ≈ 9 GPa: a lab that measures it far off checks its tip area function."
        )
    hint = (
        " A factor of about 1000 off? 1 mN/nm² = 10⁶ GPa, and the load must be in mN."
        if abs(math.log10(guess_GPa / H_GPa)) > 2
        else " Use P_max and h_c of the fused-silica row: H = P_max / (24.5 h_c²)."
    )
    return False, (
        f"Not quite: you said {guess_GPa:.3g} GPa, {100 * error:+.0f} % from P_max / "
        f"(24.5 h_c²).{hint}"
    )
