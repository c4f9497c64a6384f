"""Pure functions that turn a curve's truth and its analysis into tables and teaching texts.

Nothing here draws: the pages call these and show the result, and the tests call them
directly. ``truth`` is the one-row truth dict of a :class:`simulator.Curve`; ``op`` is the
dict of :func:`learners.oliver_pharr`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulator.protocol import SEGMENT_CODES

#: Rows of the truth-vs-analysis table: label with unit, truth key, analysis key.
COMPARED = (
    ("H at P_max (GPa)", "H_at_Pmax_GPa", "H_GPa"),
    ("E (GPa)", "E_GPa", "E_GPa"),
    ("E_r (GPa)", "Er_GPa", "Er_GPa"),
    ("S (mN/nm)", "S_mN_per_nm", "S_mN_per_nm"),
    ("h_c (nm)", "hc_max_nm", "hc_nm"),
    ("A (nm²)", "A_nm2", "A_nm2"),
    ("h_max (nm)", "h_max_nm", "h_max_nm"),
    ("h_f (nm)", "h_f_nm", "h_f_nm"),
)

#: Relative difference above which H at P_max and the input H count as different.
H_DIFFERS = 0.005
#: Truth keys of the depth rows: their % error is left empty when the true depth is below
#: :data:`NEGLIGIBLE_DEPTH` of the true h_max (a near-zero true value makes any % meaningless).
DEPTH_KEYS = ("hc_max_nm", "h_max_nm", "h_f_nm")
#: Share of the true h_max below which a true depth counts as (near) zero [-]. 5 %, not 1 %:
#: the elastic contact of a 50 µm sphere at 0.5 mN leaves h_f = 0.14 nm, 1.7 % of h_max,
#: and an analysis 0.16 nm off shows as -120 %. A plastic indent leaves h_f / h_max far above.
NEGLIGIBLE_DEPTH = 0.05


def percent_error(analysed: float, true: float) -> float:
    """(analysed - true) / true in % (NaN when either is missing or true is 0)."""
    if true is None or analysed is None or not true or math.isnan(true):
        return math.nan
    return 100.0 * (analysed - true) / true


def comparison_table(truth: dict, op: dict) -> pd.DataFrame:
    """Truth beside Oliver-Pharr for H, E, E_r, S, h_c, A, h_max, h_f, with the % error.

    When the input hardness H differs from the true hardness at P_max (size effect, creep),
    a row compares the analysis with the input H as well. A depth row whose true value is
    below :data:`NEGLIGIBLE_DEPTH` of the true h_max (h_f of an elastic contact is almost
    0 nm) gets NaN as its % error: a fraction of a nm off a near-zero depth means nothing in %.
    """
    rows = [
        (label, truth[t], op.get(a, math.nan), _row_error(t, op.get(a, math.nan), truth))
        for label, t, a in COMPARED
    ]
    if hardness_differs(truth):
        H = truth["H_GPa"]
        rows.insert(
            1, ("H input, macroscopic (GPa)", H, op["H_GPa"], percent_error(op["H_GPa"], H))
        )
    return pd.DataFrame(rows, columns=["quantity", "true", "Oliver-Pharr", "error (%)"])


def _row_error(key: str, analysed: float, truth: dict) -> float:
    """% error of one row; NaN for a depth whose true value is negligible against h_max."""
    if key in DEPTH_KEYS and abs(truth[key]) < NEGLIGIBLE_DEPTH * abs(truth["h_max_nm"]):
        return math.nan
    return percent_error(analysed, truth[key])


def hardness_differs(truth: dict) -> bool:
    """True when the true H at P_max differs from the input H by more than 0.5 %."""
    return abs(truth["H_at_Pmax_GPa"] / truth["H_GPa"] - 1.0) > H_DIFFERS


def contact_is_elastic(truth: dict) -> bool:
    """True when the contact at P_max is still (partly) elastic.

    The simulator's mean pressure is min(elastic pressure, H(h_c)) (``simulator.contact``):
    below the size-effect hardness H(h_c) the contact has not become fully plastic, as under
    a sphere or a rounded apex at a low load, or under a sharp cone whose elastic pressure
    E_r cot(alpha) / 2 (Sneddon 1965; about 12.5 GPa for fused silica) is below a strong
    size effect's H(h_c). Creep lowers P_max / A as well, so a curve with creep is not
    called elastic here.
    """
    if truth.get("creep_nm", 0) > 0 or truth["hc_max_nm"] <= 0:
        return False
    H_plastic = truth["H_GPa"] * math.sqrt(
        1.0 + truth.get("ise_h_star_nm", 0.0) / truth["hc_max_nm"]
    )
    return truth["H_at_Pmax_GPa"] < (1.0 - H_DIFFERS) * H_plastic


#: Rise of the depth at the top of the unloading above which a curve shows a "nose" [nm]
#: (well above the typical depth noise of a fraction of a nm).
NOSE_MIN_NM = 1.0


def unloading_nose_nm(segment, h_nm) -> float:
    """How far the depth still rises after unloading starts [nm]: the "nose" that creep
    continuing into the unloading makes (0 when the depth only falls; NaN without an
    unloading segment). ``segment``: the curve's segment codes; ``h_nm``: its depths."""
    h = np.asarray(h_nm, dtype=float)
    unloading = np.flatnonzero(np.asarray(segment) == SEGMENT_CODES["unloading"])
    if unloading.size == 0:
        return math.nan
    part = h[unloading]
    part = part[np.isfinite(part)]
    return float(max(part.max() - part[0], 0.0)) if part.size else math.nan
