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
.. [3] G. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660 (creep correction of S).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.materials import sample_modulus

from ._inputs import Prepared, area_function, check_options, prepare_curves
from .contact import (
    contact_depth_nm,
    hardness_GPa,
    reduced_modulus_from_stiffness,
    unloading_stiffness,
)
from .corrections import (
    drift_rate_nm_per_s,
    feng_ngan_stiffness_mN_per_nm,
    kick_zero_point_nm,
    remove_frame_compliance,
    slope_at,
)
from .fit_window import FitWindow, fit_window
from .power_law import PowerLawFit, fit_unloading_power_law
from .rowstats import first_true, last_true, masked_linregress, median5_from, take_rows
from .segments import (
    Landmarks,
    block_start,
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
#: Columns added by ``creep_correction=True`` (Feng & Ngan 2002 [3]).
CREEP_COLUMNS = ("S_apparent_mN_per_nm", "creep_rate_nm_per_s", "unloading_rate_mN_per_s")
#: Load band at the unloading start where the apparent stiffness (cubic in P) and the
#: unloading rate (line in t) are measured, as fractions of P_max.
CREEP_S_BAND, CREEP_RATE_BAND = 0.5, 0.9
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
#: A load further than max(GLITCH_NOISE x noise, GLITCH_REL x P_max) from its 5-point
#: running median is a glitch, left out of the unloading fit.
GLITCH_NOISE = 8.0
GLITCH_REL = 0.002
#: Curves per block of the landmark and drift-hold search (see :func:`_landmarks_by_block`).
LANDMARK_BLOCK_ROWS = 512
#: Loading range of the Kick's-law zero-point fit, as fractions of P_max.
ZERO_POINT_RANGE = (0.10, 0.50)


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
        return self.window.full_mask(self.data.P_mN.shape)

    def loading_mask(self) -> np.ndarray:
        """Points of the first loading; see :func:`learners.curves.segments.virgin_loading_mask`."""
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
    creep_correction: bool = False,
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
    for name, on in (
        ("drift_correction", drift_correction),
        ("creep_correction", creep_correction),
    ):
        if on and t_s is None:
            raise ValueError(
                f"t_s is required when {name}=True (the {name.split('_')[0]} rate is a slope "
                "in time)."
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
    # Glitch-free load (5-point running median) for finding the unloading and its fit
    # window: a spike or drop of a point or two must not cut the unloading short.
    c_top = None
    if seg is None:  # only the columns from the earliest peak on matter
        Pm = P if valid.all() else np.where(valid, P, -np.inf)
        c_top = max(int(np.argmax(Pm, axis=1).min()) - 2, 0)
    P_shape, marks, valid, hold = _landmarks_by_block(P, valid, t, seg, cycle, c_top)
    all_valid = bool(valid.all())
    i_last = np.full(n_curves, n_points - 1) if all_valid else last_true(valid)

    # Corrections of the displacement, in the order the physics asks for.
    h = remove_frame_compliance(data.h_nm, P, frame_compliance_nm_per_mN)
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
    glitch_tol = None
    if P_shape is not None:
        glitch_tol = np.fmax(GLITCH_NOISE * marks.noise_mN, GLITCH_REL * P_max)
    window = fit_window(
        P,
        valid,
        hold,
        seg,
        marks.i_unload,
        i_last,
        lower * P_max,
        upper * P_max,
        P_shape,
        glitch_tol,
    )
    h_max = take_rows(h, marks.i_unload)
    h_w = window.gather(h)
    fit = fit_unloading_power_law(h_w, window.P_mN, window.fit, h_max, min_points=MIN_FIT_POINTS)

    # Oliver-Pharr relations.
    S, _ = unloading_stiffness(P_max, fit.alpha, fit.m, fit.h_f_nm)
    creep_columns = {}
    if creep_correction:
        S, creep_columns = _feng_ngan(h, P, t, valid, marks, hold)
    hc = contact_depth_nm(h_max, P_max, S, epsilon)
    with np.errstate(invalid="ignore"):
        A = np.asarray(area(np.where(hc > 0, hc, np.nan)), dtype=float)
        H = hardness_GPa(P_max, A)
        Er = reduced_modulus_from_stiffness(S, A, beta)
        E = np.asarray(sample_modulus(Er, data.nu, E_i_GPa, nu_i), dtype=float).reshape(-1)

    # A failed power-law fit leaves the Feng-Ngan stiffness (a cubic at the unloading start)
    # intact: with creep_correction it blanks m, alpha and h_f only.
    fit_checks = [
        (fit.at_limit, "unloading fit failed: h_f at the edge of its search range"),
        (
            ~(np.isfinite(fit.m) & np.isfinite(fit.alpha) & np.isfinite(S)),
            "unloading fit failed: non-finite parameters",
        ),
        (~(fit.h_f_nm < h_max), "unphysical unloading fit: h_f above h_max"),
    ]
    fit_failed = np.zeros(n_curves, dtype=bool)
    for bad, _ in fit_checks:
        fit_failed |= np.asarray(bad, dtype=bool)

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
            *((bad & ~creep_correction, message) for bad, message in fit_checks),
            (
                creep_correction & ~np.isfinite(S),
                "creep correction failed: too few hold or unloading points, or the creep "
                "rate exceeds what the unloading can carry (1/S_u + h_dot/|P_dot| <= 0)",
            ),
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
        **creep_columns,
    }
    if creep_correction:
        results["S_apparent_mN_per_nm"] = np.where(ok, results["S_apparent_mN_per_nm"], np.nan)
    for name in _FIT_COLUMNS:
        results[name] = np.where(ok, results[name], np.nan)
    for name in ("h_f_nm", "m", "alpha", "fit_r2", "fit_rmse_mN"):
        results[name] = np.where(fit_failed, np.nan, results[name])
    return Analysis(data, h, valid, marks, hold, window, fit, results)


def _landmarks_by_block(P, valid, t, seg, cycle: int, c_top: int | None):
    """Glitch-free load, landmarks, valid points and drift-hold mask, LANDMARK_BLOCK_ROWS
    curves at a time (the temporaries stay in the CPU cache; curves are independent, so the
    values are those of one call on the whole batch).

    ``c_top`` is the first column of the running median (None: no glitch-free load, with
    labels); with labels, valid points are cut at each curve's cycle end.
    """
    n_curves, n_points = P.shape
    P_shape = None if c_top is None else np.empty_like(P)
    valid_out = valid if seg is None else np.empty_like(valid)
    hold = np.empty(P.shape, dtype=bool)
    parts = []
    for r0 in range(0, max(n_curves, 1), LANDMARK_BLOCK_ROWS):  # one (empty) block for 0
        rows = slice(r0, r0 + LANDMARK_BLOCK_ROWS)
        P_b, valid_b = P[rows], valid[rows]
        seg_b = None if seg is None else seg[rows]
        shape_b = None
        if P_shape is not None:
            shape_b = P_shape[rows]
            shape_b[...] = median5_from(P_b, c_top)
        marks_b = find_landmarks(P_b, valid_b, seg_b, cycle, shape_b)
        if seg is not None:
            valid_b = valid_b & (np.arange(n_points)[None, :] <= marks_b.i_end[:, None])
            valid_out[rows] = valid_b
        hold[rows] = drift_hold_mask(P_b, valid_b, marks_b, None if t is None else t[rows], seg_b)
        parts.append(marks_b)
    marks = Landmarks(*(np.concatenate([vars(m)[f] for m in parts]) for f in vars(parts[0])))
    return P_shape, marks, valid_out, hold


def _feng_ngan(h, P, t, valid, marks: Landmarks, hold):
    """Feng-Ngan elastic stiffness and its inputs (Feng & Ngan 2002 [3]).

    h_dot at the hold's end: slope of a quadratic in t over the last half of the hold at peak
    load. S_u: 1 / (dh/dP at P_max) of a cubic in P over the unloading from its start down to
    50 % of P_max (the top of a nose bends back). P_dot: slope of P(t) from the unloading
    start down to 90 % of P_max.
    """
    n, n_points = P.shape
    col = np.arange(n_points)[None, :]
    c0 = block_start(marks.i_unload, n_points)
    width = n_points - c0
    i_p, i_u = marks.i_plateau[:, None], marks.i_unload[:, None]
    last_half = valid & (col >= (i_p + i_u + 1) // 2) & (col <= i_u) & (i_p >= 0)
    t_end = take_rows(t, marks.i_unload)
    creep_rate = slope_at(t, h, last_half, t_end, 2)
    P_max = marks.P_max_mN
    with np.errstate(invalid="ignore"):
        after = valid & (col >= i_u) & (i_u >= 0)
        after_b = after[:, c0:]
        stop_s = first_true(after_b & (P[:, c0:] < CREEP_S_BAND * P_max[:, None]), width)
        stop_s = np.minimum(stop_s, first_true(hold[:, c0:], width))
        top = np.zeros_like(after)
        top[:, c0:] = after_b & (col[:, c0:] < c0 + stop_s[:, None])
        band = top & (P >= CREEP_RATE_BAND * P_max[:, None])
        band |= valid & (col == i_u)
    S_apparent = 1.0 / slope_at(P, h, top, P_max, 3)
    unloading_rate, _, _ = masked_linregress(t, P, band)
    S_e = feng_ngan_stiffness_mN_per_nm(S_apparent, creep_rate, unloading_rate)
    return S_e, {
        "S_apparent_mN_per_nm": S_apparent,
        "creep_rate_nm_per_s": creep_rate,
        "unloading_rate_mN_per_s": unloading_rate,
    }


def _flag(reason: np.ndarray, bad: np.ndarray, message: str) -> None:
    """Write ``message`` into ``reason`` where ``bad`` and no earlier reason was set."""
    reason[np.asarray(bad, dtype=bool) & (reason == "")] = message
