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

from learners.reading.archive import is_gzip, is_zip
from learners.reading.excel import is_workbook
from learners.reading.hysitron import is_hysitron

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


def results_table(
    names: list[str], features: pd.DataFrame, n_points, popins: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per curve: name, points, the results with units, ok and the reason.

    With ``popins`` (``learners.find_popins``) the pop-in columns are its first pop-in of
    each curve (onset load, burst size), not the feature's.
    """
    table = pd.DataFrame({"curve": names, "points": np.asarray(n_points, dtype=int)})
    for label, column in RESULT_COLUMNS.items():
        table[label] = features[column].to_numpy(float)
    if popins is not None:
        first = popins.groupby("curve").first()
        rows = first.index.to_numpy(int)
        for label, column in (("pop-in load (mN)", "load_mN"), ("pop-in size (nm)", "size_nm")):
            values = np.full(len(names), np.nan)
            values[rows] = first[column].to_numpy(float)
            table[label] = values
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


# ----------------------------------------------------------------------------- files

#: File types the page reads (:func:`learners.read_curves`), by name ending.
SUPPORTED_SUFFIXES = (
    ".csv", ".tsv", ".txt", ".dat", ".xlsx", ".xlsm", ".xls", ".ods", ".zip", ".gz",
)  # fmt: skip
SUPPORTED_TEXT = "CSV, TSV, TXT, DAT, Excel (.xlsx, .xls), OpenDocument (.ods), .zip or .gz"


def unsupported_files(names) -> list[str]:
    """The names among ``names`` whose type IndentLab cannot read."""
    return [n for n in names if not str(n).lower().endswith(SUPPORTED_SUFFIXES)]


def unsupported_message(names: list[str]) -> str:
    """Our message for files of a type we cannot read, naming the types we can."""
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"{listed}: not a file type IndentLab reads. Supported: {SUPPORTED_TEXT} (a zip or "
        "gz of any of these). Export your curves from the instrument software in one of "
        "them, or save the sheet as CSV."
    )


def is_one_table(files) -> bool:
    """True for one plain text table (columns chosen on the page); False for workbooks,
    Hysitron exports, archives and several files (read with ``learners.read_curves``)."""
    if len(files) != 1:
        return False
    name, data = files[0]
    if is_zip(data) or is_gzip(data) or is_workbook(data, name):
        return False
    return not is_hysitron(data[:2000].decode("latin-1"))


# ----------------------------------------------------------------------------- results

#: Pop-in columns: label with unit -> column of ``learners.find_popins``.
POPIN_COLUMNS = {
    "onset load (mN)": "load_mN",
    "depth (nm)": "depth_nm",
    "burst size (nm)": "size_nm",
    "load drop (mN)": "load_drop_mN",
}


def popin_table(names: list[str], popins: pd.DataFrame) -> pd.DataFrame:
    """One row per pop-in found: curve name, its number on the curve, onset load, depth,
    burst size and load drop, with units."""
    table = pd.DataFrame({"curve": [names[int(k)] for k in popins["curve"]]})
    table["pop-in"] = popins.groupby("curve").cumcount().to_numpy() + 1
    for label, column in POPIN_COLUMNS.items():
        table[label] = popins[column].to_numpy(float)
    return table


def contact_table(names: list[str], contact: pd.DataFrame) -> pd.DataFrame:
    """What contact detection found on each curve (depth zero moved there)."""
    return pd.DataFrame(
        {
            "curve": names,
            "contact point": contact["i_contact"].to_numpy(int),
            "depth zero moved by (nm)": contact["h_contact_nm"].to_numpy(float),
            "approach at zero load (nm)": contact["approach_nm"].to_numpy(float),
            "what was found": contact["note"].to_numpy(str),
        }
    )


def cycle_table(names: list[str], table: pd.DataFrame) -> pd.DataFrame:
    """Every unloading (``oliver_pharr(cycle="all")``): test, cycle (1 the first), depths,
    H and E with units, whether used, and the reason a cycle is left out."""
    broken = table["broken_record"].to_numpy(bool)
    ok = table["ok"].to_numpy(bool) & ~broken
    reason = table["reason"].fillna("").astype(str).to_numpy()
    reason = np.where(broken & (reason == ""), "broken record: left out", reason)
    return pd.DataFrame(
        {
            "test": [names[int(k)] for k in table["curve"]],
            "cycle": table["cycle"].to_numpy(int) + 1,
            "P_max (mN)": table["P_max_mN"].to_numpy(float),
            "h_max (nm)": table["h_max_nm"].to_numpy(float),
            "h_c (nm)": table["hc_nm"].to_numpy(float),
            "H (GPa)": table["H_GPa"].to_numpy(float),
            "E (GPa)": table["E_GPa"].to_numpy(float),
            "used": ok,
            "reason": reason,
        }
    )


def hertz_table(names: list[str], features: pd.DataFrame, fit: pd.DataFrame) -> pd.DataFrame:
    """Oliver-Pharr E beside the Hertz fit's E of each curve (a spherical tip)."""
    return pd.DataFrame(
        {
            "curve": names,
            "E Oliver-Pharr (GPa)": features["E_GPa"].to_numpy(float),
            "E Hertz (GPa)": fit["E_GPa"].to_numpy(float),
            "E_r Hertz (GPa)": fit["Er_GPa"].to_numpy(float),
            "Hertz fit up to (mN)": fit["P_fit_max_mN"].to_numpy(float),
            "Hertz R² (-)": fit["r2"].to_numpy(float),
        }
    )
