"""The small-pop-in exercise of Find bad curves and its self-check."""

from __future__ import annotations

import pandas as pd

from simulator.datasets import DEFECT_SIZE_RANGES
from ui.anomalies.targets import EXERCISE_FALSE_ALARMS, EXERCISE_RECALL
from ui.anomalies.widgets import DEFECT_NAMES, DETECTORS, representation_label

EXERCISE_TYPE = "popin"


EXERCISE_SIZE = 0.15


#: Pop-in loads of the exercise's small pop-ins [mN].
EXERCISE_POPIN_MN = tuple(EXERCISE_SIZE * v for v in DEFECT_SIZE_RANGES["popin"])


EXERCISE_MIN_CURVES = 5


def exercise(data: dict, detector: dict, table: pd.DataFrame | None, summary_: dict):
    """Self-check of the exercise: catch >= 90 % of small pop-ins while flagging <= 5 % of
    the good curves. Returns ``(status, message)``, status "done", "hint" or "setup"."""
    name = DEFECT_NAMES[EXERCISE_TYPE]
    if EXERCISE_TYPE not in data["defect_types"]:
        return "setup", f"Add **{name}** to the *Defect mix* to start."
    if data["contamination"] <= 0 or summary_["n_defect"] == 0:
        return "setup", (
            "There are no defective curves in the campaign: raise *Defective curves (%)* "
            "above 0 first, then make the pop-ins small."
        )
    if data["size_scale"] > EXERCISE_SIZE:
        return "setup", (
            f"Set *Defect size* to **{EXERCISE_SIZE:g} × typical or less** (now "
            f"{data['size_scale']:g}): small pop-ins are the ones that hide."
        )
    by_type = table.set_index("defect (truth)") if table is not None else None
    n = int(by_type.loc[name, "curves"]) if by_type is not None and name in by_type.index else 0
    if n < EXERCISE_MIN_CURVES:
        return "setup", (
            f"Only {n} pop-in curves in the campaign: too few to judge. Raise the number of "
            f"curves or the defective share until there are at least {EXERCISE_MIN_CURVES}."
        )
    recall = by_type.loc[name, "recall (%)"] / 100
    fa = summary_["false_alarm_rate"]
    caught = int(by_type.loc[name, "caught"])
    said = (
        f"You catch **{recall:.0%} of the pop-ins** ({caught} of {n}) and flag **{fa:.1%} of "
        "the good curves**"
    )
    if recall >= EXERCISE_RECALL and fa <= EXERCISE_FALSE_ALARMS:
        return "done", (
            f"Done! {said}, with {DETECTORS[detector['method']]} on "
            f"{representation_label(detector['representation'])}. Now check it is not luck: "
            "does it hold for seed 1 and 2? And which other defect "
            "types does the same setting miss (table above)?"
        )
    advice = []
    if recall < EXERCISE_RECALL:
        advice.append(
            "to catch more pop-ins, flag more curves, or give the detector inputs in which a "
            "small burst stands out from the noise"
        )
    if fa > EXERCISE_FALSE_ALARMS:
        advice.append("to flag fewer good curves, raise the threshold or change the detector")
    return "hint", f"Not yet: {said}. Hint: " + "; ".join(advice) + "."
