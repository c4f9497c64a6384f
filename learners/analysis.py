"""The Oliver-Pharr pipeline on a batch of curves, keeping what the feature code reuses.

Steps: validate and pack the data; pick the load-unload cycle; find contact, hold and
unloading start from the load; remove frame compliance; measure (and optionally remove)
thermal drift; optionally move the depth zero (Kick's law); fit the unloading power law;
apply the Oliver-Pharr relations; flag curves that cannot be analysed.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583.
   doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20.
   doi:10.1557/jmr.2004.19.1.3
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.materials import sample_modulus

from ._inputs import UNLOADING, Prepared, area_function, check_options, prepare_curves
from .contact import (
    contact_depth_nm,
    hardness_GPa,
    reduced_modulus_from_stiffness,
    unloading_stiffness,
)
from .corrections import drift_rate_nm_per_s, kick_zero_point_nm, remove_frame_compliance
from .power_law import PowerLawFit, fit_unloading_power_law
from .rowstats import first_true, last_true, take_rows
from .segments import (
    Landmarks,
    cycle_end_by_peaks,
    drift_hold_mask,
    find_landmarks,
    virgin_loading_mask,
)

#: Output columns of :func:`learners.oliver_pharr`, in order.
OP_COLUMNS = (
    "H_GPa",
    "E_GPa",
    "Er_GPa",
    "S_mN_per_nm",
    "hc_nm",
    "A_nm2",
    "h_max_nm",
    "P_max_mN",
    "h_f_nm",
    "m",
    "alpha",
    "fit_r2",
    "fit_rmse_mN",
    "n_fit_points",
    "drift_rate_nm_per_s",
    "zero_offset_nm",
    "ok",
    "reason",
)
#: Columns set to NaN for a curve that could not be analysed.
_FIT_COLUMNS = (
    "H_GPa",
    "E_GPa",
    "Er_GPa",
    "S_mN_per_nm",
    "hc_nm",
    "A_nm2",
    "h_f_nm",
    "m",
    "alpha",
    "fit_r2",
    "fit_rmse_mN",
)
#: Fewest finite points a curve needs, and fewest unloading points in the fit.
MIN_POINTS = 10
MIN_FIT_POINTS = 5
#: First width of the unloading window gathered for the fit (doubled while too short).
FIT_WINDOW = 128
#: Loading range of the Kick's-law zero-point fit, as fractions of P_max.
ZERO_POINT_RANGE = (0.10, 0.50)


@dataclass(frozen=True)
class FitWindow:
    """The unloading columns of each curve gathered for the power-law fit.

    Attributes
    ----------
    columns : ndarray of int, shape (n_curves, width)
        Column of each window slot, from the unloading start on (clipped to the last
        column; rows without an unloading start at column 0).
    flat_index : ndarray of int, shape (n_curves, width)
        The same slots as indices into the flattened (n_curves * n_points) arrays.
    P_mN : ndarray, shape (n_curves, width)
        Load in the window [mN].
    fit : ndarray of bool, shape (n_curves, width)
        Slots that are fitted.
    """

    columns: np.ndarray
    flat_index: np.ndarray
    P_mN: np.ndarray
    fit: np.ndarray

    def gather(self, x: np.ndarray) -> np.ndarray:
        """The window's values of a (n_curves, n_points) array ``x``."""
        return np.take(x.reshape(-1), self.flat_index)


def _fit_window(
    P_mN: np.ndarray,
    valid: np.ndarray,
    hold: np.ndarray,
    segment: np.ndarray | None,
    i_unload: np.ndarray,
    i_last: np.ndarray,
    P_lo_mN: np.ndarray,
    P_hi_mN: np.ndarray,
) -> FitWindow:
    """The fit points of every curve, gathered in a window starting at its unloading start.

    A point is fitted when it comes after the unloading start, before the first point below
    ``P_lo_mN``, the first drift-hold point and (with labels) the first point off the
    unloading, and has P_lo_mN <= P <= P_hi_mN. The window starts FIT_WINDOW points wide
    and doubles (all curves at once) until every curve's stop lies inside it or its last
    valid point ``i_last``.
    """
    n_curves, n_points = P_mN.shape
    found = i_unload >= 0
    first = np.where(found, i_unload, 0)[:, None]
    lo, hi = P_lo_mN[:, None], P_hi_mN[:, None]
    row_start = (np.arange(n_curves) * n_points)[:, None]
    width = min(FIT_WINDOW, n_points)
    while True:
        slot = np.arange(width)[None, :]
        columns = np.minimum(first + slot, n_points - 1)
        flat = columns + row_start  # np.take on the flat array beats take_along_axis 3x

        def gather(x: np.ndarray, flat: np.ndarray = flat) -> np.ndarray:
            return np.take(x.reshape(-1), flat)

        P_w = gather(P_mN)
        after = gather(valid) & (first + slot < n_points) & found[:, None]
        with np.errstate(invalid="ignore"):
            below = first_true(after & (P_w < lo), width)
            stop = np.minimum(below, first_true(gather(hold), width))
            if segment is not None:
                stop = np.minimum(stop, first_true(after & (gather(segment) != UNLOADING), width))
            fit = after & (slot < stop[:, None]) & (P_w >= lo) & (P_w <= hi)
        complete = (stop < width) | (first[:, 0] + width > i_last) | ~found
        if complete.all() or width >= n_points:
            return FitWindow(columns, flat, P_w, fit)
        width = min(2 * width, n_points)


@dataclass
class Analysis:
    """Everything the batch analysis worked out, for reuse by the feature extraction.

    Attributes
    ----------
    data : Prepared
        The packed input arrays (``data.h_nm`` is the displacement as given).
    h_nm : ndarray, shape (n_curves, n_points)
        Displacement after the requested corrections [nm].
    valid : ndarray of bool, shape (n_curves, n_points)
        Finite points of the analysed cycle.
    marks : Landmarks
    drift_hold : ndarray of bool, shape (n_curves, n_points)
    window : FitWindow
        The unloading columns gathered for the fit (see :attr:`fit_mask`).
    fit : PowerLawFit
    results : dict of str to ndarray, shape (n_curves,)
        The columns of :data:`OP_COLUMNS`.
    """

    data: Prepared
    h_nm: np.ndarray
    valid: np.ndarray
    marks: Landmarks
    drift_hold: np.ndarray
    window: FitWindow
    fit: PowerLawFit
    results: dict

    @property
    def fit_mask(self) -> np.ndarray:
        """Points fitted, as a full-length mask of shape (n_curves, n_points)."""
        mask = np.zeros(self.data.P_mN.shape, dtype=bool)
        rows, cols = np.nonzero(self.window.fit)
        mask[rows, self.window.columns[rows, cols]] = True
        return mask

    def loading_mask(self) -> np.ndarray:
        """Points of the first loading; see :func:`learners.segments.virgin_loading_mask`."""
        return virgin_loading_mask(self.data.P_mN, self.valid, self.marks)


def analyse_curves(
    h_nm,
    P_mN,
    nu=0.3,
    *,
    t_s=None,
    segment=None,
    tip="berkovich",
    fit_range=(0.2, 0.95),
    epsilon: float = 0.75,
    beta: float = 1.034,
    E_i_GPa: float = 1141.0,
    nu_i: float = 0.07,
    frame_compliance_nm_per_mN: float = 0.0,
    zero_point_correction: bool = False,
    drift_correction: bool = False,
    cycle: int = -1,
) -> Analysis:
    """Run the Oliver-Pharr analysis; see :func:`learners.oliver_pharr` for the parameters."""
    lower, upper = check_options(
        fit_range=fit_range,
        epsilon=epsilon,
        beta=beta,
        E_i_GPa=E_i_GPa,
        nu_i=nu_i,
        frame_compliance_nm_per_mN=frame_compliance_nm_per_mN,
        cycle=cycle,
    )
    area = area_function(tip)
    if drift_correction and t_s is None:
        raise ValueError(
            "t_s is required when drift_correction=True (the drift rate is a slope in time)."
        )
    data = prepare_curves(h_nm, P_mN, t_s, segment, nu)
    P, t, seg = data.P_mN, data.t_s, data.segment
    n_curves, n_points = P.shape
    col = np.arange(n_points)[None, :]
    reason = np.full(n_curves, "", dtype=object)
    valid = data.valid

    # Which load-unload cycle: the default (last) needs no search.
    if cycle != -1 and seg is None:
        i_end, n_cycles = cycle_end_by_peaks(P, data.n_valid, cycle)
        for i in np.flatnonzero((i_end < 0) & (data.n_valid >= MIN_POINTS)):
            reason[i] = f"cycle {cycle} not found: the curve has {n_cycles[i]} load peak(s)"
        valid = valid & (col <= i_end[:, None])
    marks = find_landmarks(P, valid, seg, cycle)
    if seg is not None:
        valid = valid & (col <= marks.i_end[:, None])
    all_valid = bool(valid.all())
    i_last = np.full(n_curves, n_points - 1) if all_valid else last_true(valid)

    # Corrections of the displacement, in the order the physics asks for.
    h = remove_frame_compliance(data.h_nm, P, frame_compliance_nm_per_mN)
    hold = drift_hold_mask(P, valid, marks, t, seg)
    drift = np.full(n_curves, np.nan) if t is None else drift_rate_nm_per_s(h, t, hold)
    if drift_correction:
        t_zero = take_rows(t, np.maximum(marks.i_contact - (1 if seg is None else 0), 0))
        apply = np.isfinite(drift) & np.isfinite(t_zero)
        rate = np.where(apply, drift, 0.0)[:, None]
        h = h - rate * (t - np.where(apply, t_zero, 0.0)[:, None])
    zero_offset = np.full(n_curves, np.nan)
    if zero_point_correction:
        with np.errstate(invalid="ignore"):
            band = (
                virgin_loading_mask(P, valid, marks)
                & (P >= ZERO_POINT_RANGE[0] * marks.P_max_mN[:, None])
                & (P <= ZERO_POINT_RANGE[1] * marks.P_max_mN[:, None])
            )
        zero_offset = kick_zero_point_nm(h, P, band)
        h = h - np.where(np.isfinite(zero_offset), zero_offset, 0.0)[:, None]

    # Unloading points to fit: from the unloading start down to fit_range[0] * P_max,
    # stopping at the first point below it or at a low-load hold. Only a window of columns
    # from each curve's unloading start is gathered (about the fit's length, not the curve's).
    P_max = marks.P_max_mN
    window = _fit_window(P, valid, hold, seg, marks.i_unload, i_last, lower * P_max, upper * P_max)
    h_max = take_rows(h, marks.i_unload)
    h_w = window.gather(h)
    fit = fit_unloading_power_law(h_w, window.P_mN, window.fit, h_max, min_points=MIN_FIT_POINTS)

    # Oliver-Pharr relations.
    S, _ = unloading_stiffness(P_max, fit.alpha, fit.m, fit.h_f_nm)
    hc = contact_depth_nm(h_max, P_max, S, epsilon)
    with np.errstate(invalid="ignore"):
        A = np.asarray(area(np.where(hc > 0, hc, np.nan)), dtype=float)
        H = hardness_GPa(P_max, A)
        Er = reduced_modulus_from_stiffness(S, A, beta)
        E = np.asarray(sample_modulus(Er, data.nu, E_i_GPa, nu_i), dtype=float).reshape(-1)

    # Why a curve cannot be analysed; the first reason found is kept.
    n_valid = data.n_valid
    with np.errstate(invalid="ignore"):
        if all_valid:
            P_range = np.ptp(P, axis=1)
        else:
            P_top = np.where(valid, P, -np.inf).max(axis=1)
            P_range = P_top - np.where(valid, P, np.inf).min(axis=1)
        checks = [
            (n_valid == 0, "no finite data points"),
            (n_valid < MIN_POINTS, f"too few finite data points (fewer than {MIN_POINTS})"),
            (~(P_range > marks.tol_mN), "load is flat: no loading or unloading found"),
            (marks.i_unload < 0, "no unloading found"),
            (
                marks.i_unload >= i_last,
                "no unloading found: the load never falls after its peak",
            ),
            (
                zero_point_correction & ~np.isfinite(zero_offset),
                "zero-point fit failed: too few loading points between 10 % and 50 % of P_max",
            ),
            (
                fit.n_points < MIN_FIT_POINTS,
                f"too few unloading points within fit_range (fewer than {MIN_FIT_POINTS})",
            ),
            (
                ~(fit.h_lo_nm < h_max),
                "unphysical unloading: the depth does not fall as the load falls (h_f > h_max)",
            ),
            (fit.at_limit, "unloading fit failed: h_f at the edge of its search range"),
            (
                ~(np.isfinite(fit.m) & np.isfinite(fit.alpha) & np.isfinite(S)),
                "unloading fit failed: non-finite parameters",
            ),
            (~(fit.h_f_nm < h_max), "unphysical unloading fit: h_f above h_max"),
            (~(S > 0), "unphysical unloading fit: stiffness S <= 0"),
            (~(hc > 0), "contact depth h_c <= 0: check the depth zero"),
            (~(np.isfinite(A) & (A > 0)), "contact area A(h_c) is not positive"),
            (
                ~np.isfinite(E),
                "E undefined: E_r is at or above the limit the indenter (E_i_GPa, nu_i) allows",
            ),
        ]
    if seg is not None:
        checks.insert(2, (marks.i_unload < 0, f"no unloading segment (code 3) for cycle {cycle}"))
    for bad, message in checks:
        _flag(reason, bad, message)
    ok = reason == ""

    results = {
        "H_GPa": H,
        "E_GPa": E,
        "Er_GPa": Er,
        "S_mN_per_nm": S,
        "hc_nm": hc,
        "A_nm2": A,
        "h_max_nm": h_max,
        "P_max_mN": P_max,
        "h_f_nm": fit.h_f_nm,
        "m": fit.m,
        "alpha": fit.alpha,
        "fit_r2": fit.r2,
        "fit_rmse_mN": fit.rmse_mN,
        "n_fit_points": fit.n_points.astype(int),
        "drift_rate_nm_per_s": drift,
        "zero_offset_nm": zero_offset,
        "ok": ok,
        "reason": reason.astype(str),
    }
    for name in _FIT_COLUMNS:
        results[name] = np.where(ok, results[name], np.nan)
    return Analysis(data, h, valid, marks, hold, window, fit, results)


def _flag(reason: np.ndarray, bad: np.ndarray, message: str) -> None:
    """Write ``message`` into ``reason`` where ``bad`` and no earlier reason was set."""
    reason[np.asarray(bad, dtype=bool) & (reason == "")] = message
