"""Which column is load, displacement, time and curve id, and in which unit: guesses a
learner confirms on the page."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .formats import BRACKETS_PATTERN, MIN_POINTS, ROLE_PATTERNS, UNITS, unit_key

# ----------------------------------------------------------------------------- guessing


def _words(name: str) -> str:
    """Lower-case words of a column name, separators as spaces, units in brackets removed."""
    plain = BRACKETS_PATTERN.sub(" ", str(name))
    return re.sub(r"[_\-/.:]+", " ", plain).lower().strip()


def guess_columns(
    columns: list[str],
    numeric: list[str] | None = None,
    frame: pd.DataFrame | None = None,
) -> dict[str, str | None]:
    """Guess which column holds load, displacement, time and the curve id.

    Parameters
    ----------
    columns : list of str
        The column names, in file order.
    numeric : list of str, optional
        The numeric columns; load, displacement and time are only guessed among them (all
        columns when not given).
    frame : pandas.DataFrame, optional
        The table; when given, a curve id is only guessed among columns that look like one
        (see Notes).

    Returns
    -------
    dict
        ``{"load": name, "displacement": name, "time": name or None, "curve": name or
        None}``. Names follow :data:`ROLE_PATTERNS` (load/force/P, depth/displacement/h,
        time/t, and curve/test/indent/id as whole words); when load or displacement is not
        found by name, the first unused numeric columns are taken, displacement first (as
        most instruments write them).

    Notes
    -----
    A curve id column holds text or whole numbers, with fewer distinct values than
    ``len(frame) / MIN_POINTS`` (each curve needs MIN_POINTS rows), so that measurement
    columns such as "Test Temperature (C)" are not taken for it.
    """
    numeric = list(columns) if numeric is None else list(numeric)
    guess: dict[str, str | None] = dict.fromkeys(ROLE_PATTERNS)
    used: set[str] = set()
    for role in ("load", "displacement", "time", "curve"):
        pool = numeric if role != "curve" else list(columns)
        if role == "curve" and frame is not None:
            pool = [c for c in pool if c in frame.columns and _looks_like_id(frame[c])]
        for pattern in ROLE_PATTERNS[role]:
            hit = next((c for c in pool if c not in used and re.search(pattern, _words(c))), None)
            if hit is not None:
                guess[role] = hit
                used.add(hit)
                break
    for role in ("displacement", "load"):
        if guess[role] is None:
            rest = [c for c in numeric if c not in used]
            if rest:
                guess[role] = rest[0]
                used.add(rest[0])
    return guess


def _looks_like_id(column: pd.Series) -> bool:
    """Text or whole numbers, with fewer distinct values than rows / MIN_POINTS."""
    values = column.dropna()
    if pd.api.types.is_numeric_dtype(values):
        values = values[np.isfinite(values.to_numpy(float))]
        if not np.all(values.to_numpy(float) % 1 == 0):
            return False
    else:
        values = values[values.astype(str).str.strip() != ""]
    return 0 < values.nunique() < max(len(column) / MIN_POINTS, 2)


def guess_unit(name: str, quantity: str) -> str | None:
    """The unit a column name states for ``quantity`` ("load", "displacement", "time").

    Looks in brackets first ("Load (µN)", "Depth [um]"), then at the last word ("load_uN",
    "depth_nm", "time s"), and at a name that is a unit itself ("µN", as a line of units
    without names gives). "u" and "μ" count as "µ". Returns a key of :data:`UNITS`
    [quantity], or None when the name states no known unit.
    """
    units = UNITS[quantity]
    lookup = {unit_key(u): u for u in units}
    candidates = [m.group(1) for m in BRACKETS_PATTERN.finditer(str(name))]
    words = re.split(r"[\s_\-/,]+", BRACKETS_PATTERN.sub(" ", str(name)).strip())
    if words and words[-1]:
        candidates.append(words[-1])  # the last word, or the whole name when it is one word
    for candidate in candidates:
        # case matters for "mN" vs "MN" only in theory; "MM" or "NM" in capitals are common
        key = unit_key(candidate)
        if key in lookup:
            return lookup[key]
    return None
