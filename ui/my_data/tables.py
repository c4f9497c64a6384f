"""Tables and teaching texts of "My own data" (pure functions, no drawing).

``features`` is the table of :func:`learners.curve_features` (one row per curve) and
``names`` the curve names of :class:`learners.reading.UserCurves`.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564 (unloading exponents
   1.25-1.51 for a Berkovich). doi:10.1557/JMR.1992.1564
.. [2] A. Bolshakov, G. M. Pharr, J. Mater. Res. 13 (1998) 1049 (pile-up when
   h_f / h_max > 0.7 and little work hardening). doi:10.1557/JMR.1998.0146
.. [3] G. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660 (creep at the start of
   unloading inflates the stiffness). doi:10.1557/JMR.2002.0094
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Result columns: label with unit -> column of ``curve_features``.
RESULT_COLUMNS = {
    "H (GPa)": "H_GPa",
    "E (GPa)": "E_GPa",
    "E_r (GPa)": "Er_GPa",
    "S (mN/nm)": "S_mN_per_nm",
    "h_c (nm)": "hc_nm",
    "h_max (nm)": "h_max_nm",
    "h_f (nm)": "h_f_nm",
    "P_max (mN)": "P_max_mN",
    "m (-)": "m",
    "h_f/h_max (-)": "hf_over_hmax",
    "pop-in load (mN)": "popin_load_mN",
    "pop-in size (nm)": "popin_size_nm",
    "creep (nm)": "creep_nm",
    "drift rate (nm/s)": "drift_rate_nm_per_s",
}


def results_table(names: list[str], features: pd.DataFrame, n_points) -> pd.DataFrame:
    """One row per curve: name, points, the results with units, ok and the reason."""
    table = pd.DataFrame({"curve": names, "points": np.asarray(n_points, dtype=int)})
    for label, column in RESULT_COLUMNS.items():
        table[label] = features[column].to_numpy(float)
    table["ok"] = features["ok"].to_numpy(bool)
    table["reason"] = features["reason"].to_numpy(str)
    return table


def summary(features: pd.DataFrame) -> dict:
    """Count of curves and of analysed ones, mean and standard deviation of H and E [GPa]."""
    ok = features[features["ok"]]
    return {
        "n": len(features),
        "n_ok": len(ok),
        "H_mean": ok["H_GPa"].mean(),
        "H_sd": ok["H_GPa"].std(ddof=1) if len(ok) > 1 else math.nan,
        "E_mean": ok["E_GPa"].mean(),
        "E_sd": ok["E_GPa"].std(ddof=1) if len(ok) > 1 else math.nan,
    }


def plus_minus(mean: float, sd: float) -> str:
    """``mean ± sd`` with sd to two significant digits and mean to the same decimals."""
    if not math.isfinite(mean):
        return "-"
    if not (math.isfinite(sd) and sd > 0):
        return f"{mean:.3g}"
    decimals = max(0, 1 - math.floor(math.log10(sd)))
    return f"{mean:.{decimals}f} ± {sd:.{decimals}f}"


def value_range(name: str, values: np.ndarray, unit: str) -> str:
    """``"H from 1.2 to 3.4 GPa"``, or ``"H = 1.2 GPa"`` when the smallest and the largest
    value read the same (one curve): 3 significant digits, never "-0"."""
    lo, hi = (f"{float(v) + 0.0:.3g}" for v in (np.nanmin(values), np.nanmax(values)))
    return f"{name} = {lo} {unit}" if lo == hi else f"{name} from {lo} to {hi} {unit}"


#: Powers of h_c in the area function, term by term (Oliver & Pharr 1992).
AREA_POWERS = ("h_c²", "h_c", "h_c^½", "h_c^¼", "h_c^⅛", "h_c^1/16")
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(value: float) -> str:
    """A number with 4 significant digits, powers of ten written out: 1.5e-05 -> "1.5×10⁻⁵"."""
    text = f"{value:.4g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    return power if mantissa == "1" else f"{mantissa}×{power}"


def area_formula(area) -> str:
    """The area function as text: "24.5 h_c² + 1.5×10⁻⁵ h_c − 200 h_c^½"."""
    C = [float(c) for c in area]
    text = f"{format_number(C[0])} {AREA_POWERS[0]}"
    for c, power in zip(C[1:], AREA_POWERS[1:], strict=False):
        if c:
            text += f" {'+' if c > 0 else '−'} {format_number(abs(c))} {power}"
    return text
