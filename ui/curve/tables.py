"""Pure functions that turn a curve's truth and its analysis into tables and teaching texts.

Nothing here draws: the pages call these and show the result, and the tests call them
directly. ``truth`` is the one-row truth dict of a :class:`simulator.Curve`; ``op`` is the
dict of :func:`learners.oliver_pharr`.
"""

from __future__ import annotations

import math

import pandas as pd

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


def comparison_table(
    truth: dict, op: dict, other_op: dict | None = None, creep_corrected: bool = False
) -> pd.DataFrame:
    """Truth beside Oliver-Pharr for H, E, E_r, S, h_c, A, h_max, h_f, with the % error.

    ``other_op`` is the analysis with Feng & Ngan's creep correction the other way round
    (``creep_corrected`` says whether ``op`` used it): a row after E then shows E without
    (or with) the correction, so the learner sees what it changes.

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
    if other_op is not None:
        E, E_other = truth["E_GPa"], other_op.get("E_GPa", math.nan)
        label = f"E {'without' if creep_corrected else 'with'} creep correction (GPa)"
        at = next(i for i, row in enumerate(rows) if row[0] == "E (GPa)") + 1
        rows.insert(at, (label, E, E_other, percent_error(E_other, E)))
    return pd.DataFrame(rows, columns=["quantity", "true", "Oliver-Pharr", "error (%)"])


def _row_error(key: str, analysed: float, truth: dict) -> float:
    """% error of one row; NaN for a depth whose true value is negligible against h_max."""
    if key in DEPTH_KEYS and abs(truth[key]) < NEGLIGIBLE_DEPTH * abs(truth["h_max_nm"]):
        return math.nan
    return percent_error(analysed, truth[key])


def hardness_differs(truth: dict) -> bool:
    """True when the true H at P_max differs from the input H by more than 0.5 %."""
    return abs(truth["H_at_Pmax_GPa"] / truth["H_GPa"] - 1.0) > H_DIFFERS


#: Contact regimes at P_max (Johnson 1985, Contact Mechanics, section 6.2).
ELASTIC, ELASTIC_PLASTIC, FULLY_PLASTIC = "elastic", "elastic-plastic", "fully plastic"


def contact_regime(truth: dict) -> str:
    """Regime of the contact at P_max: :data:`ELASTIC`, :data:`ELASTIC_PLASTIC` or
    :data:`FULLY_PLASTIC`, from the truth's two transition loads (Johnson 1985, 6.2).

    A sphere or rounded apex is elastic (Hertz) below ``first_yield_load_mN`` (p_m = 1.1 Y,
    about 0.39 H with Tabor's Y = H / 2.8), elastic-plastic up to ``full_plasticity_load_mN``
    (p_m = H) and fully plastic beyond it; a NaN load is one this tip never reaches (the
    cone caps a rounded apex's pressure, or a sphere runs out of radius). An ideal Berkovich
    (both loads 0) is fully plastic from the first contact, unless Sneddon's elastic cone
    pressure E_r cot(alpha) / 2 (about 12.5 GPa for fused silica) caps P / A below a strong
    size effect's H(h_c): the simulator's p_m = min(cone, H(h_c)) is then elastic.
    """
    yield_load = truth.get("first_yield_load_mN", 0.0)
    full_load = truth.get("full_plasticity_load_mN", 0.0)
    if yield_load == 0 and full_load == 0:  # an ideal Berkovich
        return ELASTIC if _cone_caps_pressure(truth) else FULLY_PLASTIC
    P_max = truth["P_max_mN"]
    if not math.isfinite(yield_load) or P_max < yield_load:
        return ELASTIC
    if not math.isfinite(full_load) or P_max < full_load:
        return ELASTIC_PLASTIC
    return FULLY_PLASTIC


def _cone_caps_pressure(truth: dict) -> bool:
    """True when a sharp tip's P / A at P_max stays below the size-effect hardness H(h_c).

    Creep grows the contact at constant load and lowers P_max / A as well, so a curve with
    creep is not judged here.
    """
    if truth.get("creep_nm", 0) > 0 or truth["hc_max_nm"] <= 0:
        return False
    H_plastic = truth["H_GPa"] * math.sqrt(
        1.0 + truth.get("ise_h_star_nm", 0.0) / truth["hc_max_nm"]
    )
    return truth["H_at_Pmax_GPa"] < (1.0 - H_DIFFERS) * H_plastic


def contact_is_elastic(truth: dict) -> bool:
    """True when the contact at P_max is not fully plastic (:func:`contact_regime`)."""
    return contact_regime(truth) != FULLY_PLASTIC


#: Largest shear stress under a Hertz contact over its peak pressure p_0 (nu = 0.3, at a depth
#: of about 0.48 a; Johnson 1985, section 4.2).
HERTZ_TAU_OVER_P0 = 0.31


def popin_shear_over_G(truth: dict, apex_radius_nm: float) -> float:
    """Largest shear stress under the apex at the pop-in load, over the shear modulus G [-].

    Hertz (Johnson 1985): a^3 = 3 P R / (4 E_r), p_0 = 3 P / (2 pi a^2), tau_max = 0.31 p_0;
    G = E / (2 (1 + nu)). Compare with the ideal shear strength G / 2 pi (Frenkel) and the
    G/30-G/10 at which pop-ins are measured (Schuh, Mater. Today 9 (2006) 32). NaN without a
    pop-in.
    """
    P = truth.get("popin_load_mN", math.nan)
    if not (P and math.isfinite(P) and apex_radius_nm > 0):
        return math.nan
    a_nm = (3.0 * P * apex_radius_nm / (4.0 * truth["Er_GPa"]) * 1e6) ** (1.0 / 3.0)
    p0_GPa = 3.0 * P / (2.0 * math.pi * a_nm**2) * 1e6  # mN / nm^2 -> GPa
    G_GPa = truth["E_GPa"] / (2.0 * (1.0 + truth["nu"]))
    return HERTZ_TAU_OVER_P0 * p0_GPa / G_GPa
