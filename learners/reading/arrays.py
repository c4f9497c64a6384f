"""Chosen columns in, the analysis' arrays out: :func:`to_curves` and plausibility notes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .formats import MAX_CELLS, MAX_CURVES, MIN_POINTS, UNITS, CurveFileError


@dataclass
class UserCurves:
    """Curves read from a file, as arrays ready for the analysis.

    Attributes
    ----------
    names : list of str, length n_curves
    h_nm, P_mN : ndarray, shape (n_curves, n_points)
        Displacement [nm] and load [mN]; shorter curves are padded with NaN at the end.
    t_s : ndarray like ``h_nm``, or None
        Time [s] when a time column was chosen.
    n_points : ndarray of int, shape (n_curves,)
        Points of each curve.
    dropped_rows : int
        Rows left out because a chosen column had no number there.
    """

    names: list[str]
    h_nm: np.ndarray
    P_mN: np.ndarray
    t_s: np.ndarray | None
    n_points: np.ndarray
    dropped_rows: int = 0

    @property
    def n_curves(self) -> int:
        return len(self.names)


# ----------------------------------------------------------------------------- to arrays


def to_curves(
    frame: pd.DataFrame,
    *,
    load: str,
    displacement: str,
    time: str | None = None,
    curve: str | None = None,
    load_unit: str = "mN",
    displacement_unit: str = "nm",
    time_unit: str = "s",
    max_curves: int = MAX_CURVES,
    min_points: int = MIN_POINTS,
) -> UserCurves:
    """The chosen columns of ``frame`` as curves in mN, nm and s, padded with NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from :func:`read_table`.
    load, displacement : str
        Columns of the load and the displacement into the surface.
    time, curve : str, optional
        Columns of the time and of the curve id (one curve per distinct id, in order of
        first appearance; one curve for the whole file when None).
    load_unit, displacement_unit, time_unit : str
        Keys of :data:`LOAD_UNITS`, :data:`DEPTH_UNITS`, :data:`TIME_UNITS`.
    max_curves, min_points : int
        Most curves, fewest points per curve.

    Returns
    -------
    UserCurves

    Raises
    ------
    CurveFileError
        When a column is missing, chosen twice or not numeric, a unit is unknown, there are
        more than ``max_curves`` curves, a curve has fewer than ``min_points`` points, a peak
        load is not positive, or a curve has no unloading after its peak load.
    """
    roles = {"load": load, "displacement": displacement, "time": time, "curve": curve}
    chosen = {role: name for role, name in roles.items() if name is not None}
    for role, name in chosen.items():
        if name not in frame.columns:
            raise CurveFileError(f"The file has no column {name!r} (chosen as {role}).")
    names = list(chosen.values())
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        both = [role for role, name in chosen.items() if name == twice[0]]
        raise CurveFileError(
            f"The column {twice[0]!r} is chosen for both {' and '.join(both)}: each role needs "
            "its own column."
        )
    factors = {}
    for quantity, unit in (
        ("load", load_unit),
        ("displacement", displacement_unit),
        ("time", time_unit),
    ):
        if unit not in UNITS[quantity]:
            raise CurveFileError(
                f"Unknown {quantity} unit {unit!r}; choose one of {', '.join(UNITS[quantity])}."
            )
        factors[quantity] = UNITS[quantity][unit]

    values = {}
    for role in ("load", "displacement", "time"):
        if roles[role] is None:
            continue
        column = frame[roles[role]]
        if not pd.api.types.is_numeric_dtype(column):
            raise CurveFileError(
                f"The column {roles[role]!r} (chosen as {role}) holds text, not numbers. "
                f"Choose the column that holds the {role} values."
            )
        values[role] = column.to_numpy(float) * factors[role]
    if curve is None:
        ids = np.zeros(len(frame), dtype=np.int64)
        labels = ["curve 1"]
    else:
        column = frame[curve]
        text = column.astype(str).str.strip()
        missing = column.isna() | (text == "") | (text.str.lower() == "nan")
        ids, uniques = pd.factorize(text.where(~missing), sort=False)
        labels = [_label(u) for u in uniques]
    if len(labels) > max_curves:
        raise CurveFileError(
            f"The column {curve!r} names {len(labels):,} curves; IndentLab analyses at most "
            f"{max_curves:,} at once. Is {curve!r} really the curve id? Otherwise split the "
            "file."
        )
    good = ids >= 0
    for v in values.values():
        good &= np.isfinite(v)
    dropped = int((~good).sum())
    ids = ids[good]
    if ids.size == 0:
        raise CurveFileError(
            "No row has numbers in all the chosen columns: check that load and displacement "
            "are the right columns."
        )
    counts = np.bincount(ids, minlength=len(labels))
    present = counts > 0
    if not present.all():  # ids whose every row was dropped
        remap = np.cumsum(present) - 1
        ids, counts = remap[ids], counts[present]
        labels = [label for label, p in zip(labels, present, strict=True) if p]
    short = np.flatnonzero(counts < min_points)
    if short.size:
        listed = ", ".join(f"{labels[i]!r} ({counts[i]})" for i in short[:5])
        more = f" and {short.size - 5} more" if short.size > 5 else ""
        raise CurveFileError(
            f"Too few points: curve {listed}{more} has fewer than {min_points} points. An "
            f"Oliver-Pharr analysis needs at least {min_points} points per curve (loading and "
            "unloading). Check the curve id column, or export the curves with more points."
        )
    n_curves, longest = len(labels), int(counts.max())
    if n_curves * longest > MAX_CELLS:
        raise CurveFileError(
            f"{n_curves:,} curves of up to {longest:,} points are too much to analyse at "
            "once. Split the file into smaller ones."
        )
    # Position of every row inside its curve, in file order (stable sort by curve).
    order = np.argsort(ids, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    position = np.empty_like(ids)
    position[order] = np.arange(ids.size) - np.repeat(starts, counts)
    arrays = {}
    for role, v in values.items():
        padded = np.full((n_curves, longest), np.nan)
        padded[ids, position] = v[good]
        arrays[role] = padded
    curves = UserCurves(
        names=labels,
        h_nm=arrays["displacement"],
        P_mN=arrays["load"],
        t_s=arrays.get("time"),
        n_points=counts.astype(int),
        dropped_rows=dropped,
    )
    _check_shapes(curves)
    return curves


def _label(value) -> str:
    """A curve id as text: 3.0 -> "3"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}" if np.isfinite(number) else str(value)


def _check_shapes(curves: UserCurves) -> None:
    """Every curve has a positive peak load and unloads after it."""
    P = curves.P_mN
    filled = np.where(np.isfinite(P), P, -np.inf)
    i_peak = np.argmax(filled, axis=1)
    P_max = filled[np.arange(P.shape[0]), i_peak]
    bad = np.flatnonzero(~(P_max > 0))
    if bad.size:
        listed = ", ".join(repr(curves.names[i]) for i in bad[:5])
        raise CurveFileError(
            f"The peak load of curve {listed} is not positive (largest load "
            f"{float(P_max[bad[0]]) + 0.0:.3g} mN). Is the load column right? If your "
            "instrument records pushing into the sample as a negative load, flip its sign "
            "before uploading."
        )
    after = np.arange(P.shape[1])[None, :] > i_peak[:, None]
    lowest_after = np.where(after & np.isfinite(P), P, np.inf).min(axis=1)
    no_unloading = np.flatnonzero(~(lowest_after < 0.9 * P_max))
    if no_unloading.size:
        listed = ", ".join(repr(curves.names[i]) for i in no_unloading[:5])
        raise CurveFileError(
            f"No unloading after the peak load in curve {listed}: the load never falls below "
            "90 % of its peak afterwards. Oliver-Pharr needs the unloading branch. Check that "
            "the file holds the whole test, and that the load column is the load."
        )


def plausibility_notes(curves: UserCurves, features: pd.DataFrame | None = None) -> list[str]:
    """Warnings when peak loads or depths look like a wrong unit (not errors).

    Looks at every curve, analysed or not. With ``features`` (the table of
    :func:`learners.curve_features`, one row per curve) curves whose Oliver-Pharr analysis
    found E undefined (E_r at the indenter's limit) add a note: a contact stiffer than
    diamond usually means a load unit too large or a displacement unit too small.
    """
    P_max = np.nanmax(curves.P_mN, axis=1)
    h_max = np.nanmax(curves.h_nm, axis=1)
    notes = []
    if np.nanmedian(P_max) > 5e4:
        notes.append(
            f"The peak loads are around {np.nanmedian(P_max):,.0f} mN (more than 50 N): "
            "that is not nanoindentation. Is the load unit right?"
        )
    elif np.nanmedian(P_max) < 1e-3:
        notes.append(
            f"The peak loads are around {np.nanmedian(P_max):.2g} mN (less than 1 µN). "
            "Is the load unit right?"
        )
    if np.nanmedian(h_max) > 1e5:
        notes.append(
            f"The largest depths are around {np.nanmedian(h_max):,.0f} nm (more than "
            "100 µm). Is the displacement unit right?"
        )
    elif np.nanmedian(h_max) < 1.0:
        notes.append(
            f"The largest depths are around {np.nanmedian(h_max):.2g} nm (less than 1 nm). "
            "Is the displacement unit right?"
        )
    if features is not None and "reason" in features:
        reasons = features["reason"].astype(str)
        limit = reasons.str.startswith("E undefined").to_numpy()
        if limit.any():
            n = int(limit.sum())
            notes.append(
                f"On {n} of {len(reasons)} curve{'s' * (len(reasons) != 1)} E is undefined: "
                "the reduced modulus reached the limit a diamond indenter allows, a contact "
                "stiffer than diamond. That usually means a wrong unit: a load read 1000 "
                "times too large (µN read as mN) or depths 1000 times too small (µm read as "
                "nm). Are the load and displacement units right?"
            )
    return notes
