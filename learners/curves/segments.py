"""Find the parts of an indentation curve from the load signal alone, or from segment labels.

Landmarks are column indices per curve: the first loaded point, the start of the hold at
peak load, the unloading start, and the end of the analysed cycle. The default path uses
only array operations over all curves at once; selecting an earlier load-unload cycle
without labels (:func:`cycle_end_by_peaks`) loops over curves and is documented as such.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20 (hold at peak load; drift
   measured on a hold at low load after unloading). doi:10.1557/jmr.2004.19.1.3
.. [2] ISO 14577-1:2015, Metallic materials - Instrumented indentation test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._inputs import DRIFT_HOLD, HOLD, LOADING, UNLOADING
from .rowstats import (
    first_true,
    last_true,
    robust_noise_sd,
    row_nanmedian,
    take_rows,
)

#: Relative load tolerance of a plateau, as a fraction of the peak load [-].
PLATEAU_REL_TOL = 0.005
#: Coarse tolerance in units of the load noise sd: P is compared with a running maximum,
#: itself ~3 sd above the mean on a noisy hold, so 8 sd keep noise from splitting a hold.
PLATEAU_NOISE_TOL = 8.0
#: Tight tolerance of a hold's load, max(HOLD_REL_TOL x peak, HOLD_NOISE_TOL x noise sd).
HOLD_REL_TOL = 1e-4
HOLD_NOISE_TOL = 4.0
#: Number of plateau points before the unloading start averaged into P_max.
PMAX_WINDOW = 10
#: Points before the coarse unloading start whose median load is the hold level.
LEVEL_WINDOW = 21
#: Columns from the start searched first for contact.
CONTACT_WINDOW = 128
#: Columns before the earliest peak searched first for the end of the loading.
FRONT_WINDOW = 32
#: Load band searched for a drift hold, as fractions of P_max [-].
DRIFT_HOLD_BAND = (0.02, 0.40)
#: A drift hold needs at least this many points and this duration [s].
DRIFT_HOLD_MIN_POINTS = 10
DRIFT_HOLD_MIN_S = 2.0


@dataclass
class Landmarks:
    """Where the parts of each curve are (column indices, -1 where not found).

    Attributes
    ----------
    i_contact : ndarray of int, shape (n_curves,)
        First point under load: the first with P above the tight hold tolerance, or the first
        labelled loading point.
    i_plateau : ndarray of int, shape (n_curves,)
        First point of the hold at peak load (equals ``i_unload`` without a hold).
    i_unload : ndarray of int, shape (n_curves,)
        Unloading start: last point of the hold at peak load.
    i_end : ndarray of int, shape (n_curves,)
        Last point of the analysed cycle.
    P_max_mN : ndarray, shape (n_curves,)
        Peak load: mean of the plateau points just before the unloading start [mN].
    tol_mN : ndarray, shape (n_curves,)
        Coarse load tolerance: max(0.5 % of the peak, 8 x load noise) [mN]; separates
        loading from the final stretch and finds contact.
    hold_tol_mN : ndarray, shape (n_curves,)
        Tight load tolerance of a hold: max(0.01 % of the peak, 4 x load noise) [mN].
    noise_mN : ndarray, shape (n_curves,)
        Robust estimate of the load noise standard deviation [mN].
    """

    i_contact: np.ndarray
    i_plateau: np.ndarray
    i_unload: np.ndarray
    i_end: np.ndarray
    P_max_mN: np.ndarray
    tol_mN: np.ndarray
    hold_tol_mN: np.ndarray
    noise_mN: np.ndarray


def load_tolerances(
    P_mN: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coarse and tight load tolerances [mN] and the robust load noise [mN] of each curve.

    coarse = max(0.5 % of the peak, 8 x noise); tight = max(0.01 % of the peak, 4 x noise).
    """
    stride = max(1, P_mN.shape[1] // 128)
    noise = robust_noise_sd(P_mN, valid, stride=stride)
    if valid.all():  # no masking pass needed (valid points are finite)
        peak = np.abs(P_mN.max(axis=1, initial=-np.inf))
    else:
        peak = np.abs(np.where(valid, P_mN, -np.inf).max(axis=1, initial=-np.inf))
    noise = np.where(np.isfinite(noise), noise, 0.0)
    with np.errstate(invalid="ignore"):
        coarse = np.fmax(PLATEAU_REL_TOL * peak, PLATEAU_NOISE_TOL * noise)
        tight = np.fmax(HOLD_REL_TOL * peak, HOLD_NOISE_TOL * noise)
        coarse = np.where(np.isfinite(peak), coarse, np.nan)
        tight = np.where(np.isfinite(peak), tight, np.nan)
    return coarse, tight, noise


def find_landmarks(
    P_mN: np.ndarray,
    valid: np.ndarray,
    segment: np.ndarray | None = None,
    cycle: int = -1,
    P_shape_mN: np.ndarray | None = None,
) -> Landmarks:
    """Contact, hold, unloading start and cycle end of every curve.

    Parameters
    ----------
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN].
    valid : ndarray of bool, shape (n_curves, n_points)
        Points to use (the analysed cycle; finite data).
    segment : ndarray of int, shape (n_curves, n_points), optional
        Segment codes (0 approach, 1 loading, 2 hold, 3 unloading, 4 drift hold,
        5 final unloading). When given, the unloading is the ``cycle``-th run of code 3.
    cycle : int
        Which unloading to use when ``segment`` is given (Python indexing, -1 the last).
        Without labels the caller truncates the data to the wanted cycle first.
    P_shape_mN : ndarray like ``P_mN``, optional
        The load with glitches removed (e.g. its 5-point running median), used without
        labels to find where the final stretch starts, so that a load spike or drop of one
        or two points late in the unloading is not taken for the start of the unloading.

    Returns
    -------
    Landmarks

    Notes
    -----
    Without labels the last unloading is the final stretch where the load no longer rises.
    With R the reverse cumulative maximum of P along the row, every point before the last
    one with P < R - tol belongs to earlier loading; in the remaining stretch the points
    within tol of its maximum form the hold at peak load. tol = max(0.5 % of the peak
    load, 8 x the robust load noise): R runs ~3 noise sd above the mean on a noisy hold,
    so a smaller multiple would let noise split a low-load hold. The hold's level L is the
    median load of its last 21 points; the hold is then narrowed to the points with
    P >= L - tol_hold (tol_hold = max(0.01 % of the peak, 4 x noise)), so that the last
    loading and first unloading samples of a finely sampled ramp are not taken for hold
    points. The unloading starts at the last hold point; P_max is the mean load of the
    hold points among the last 10 before it.
    """
    n_points = P_mN.shape[1]
    col = np.arange(n_points)
    tol, hold_tol, noise = load_tolerances(P_mN, valid)
    all_valid = valid.all()
    Pm = P_mN if all_valid else np.where(valid, P_mN, -np.inf)
    if segment is None:
        i_contact = _first_loaded(Pm, valid, hold_tol, all_valid)
    else:
        i_contact = first_true(valid & (segment >= LOADING))
    i_last = np.full(P_mN.shape[0], n_points - 1) if all_valid else last_true(valid)

    if segment is None:
        if P_shape_mN is None:
            Ps = Pm
        else:
            Ps = P_shape_mN if all_valid else np.where(valid, P_shape_mN, -np.inf)
        start, stretch_max = _final_stretch(Ps, tol)
        # Everything below lies in the final stretch: work on its columns only (views).
        c0 = block_start(start, n_points)
        Ps_b, Pm_b = Ps[:, c0:], Pm[:, c0:]
        with np.errstate(invalid="ignore"):
            coarse = (col[c0:] >= start[:, None]) & (Ps_b >= (stretch_max - tol)[:, None])
        if not all_valid:
            coarse &= valid[:, c0:]
        i_coarse = _shift(last_true(coarse), c0)
        level = _window_median(P_mN, _shift(first_true(coarse), c0), i_coarse, LEVEL_WINDOW)
        with np.errstate(invalid="ignore"):
            plateau = coarse & (Pm_b >= (level - hold_tol)[:, None])
        i_unload = _shift(last_true(plateau), c0)
        i_plateau = _shift(first_true(plateau), c0)
        i_end = i_last
    else:
        unloading = valid & (segment == UNLOADING)
        run_start = unloading.copy()
        run_start[:, 1:] &= ~unloading[:, :-1]
        run_number = np.cumsum(run_start, axis=1)
        n_runs = run_number[:, -1]
        target = np.full(n_runs.shape, cycle) if cycle >= 0 else n_runs + cycle
        found = (target >= 0) & (target < n_runs)
        i_unload = first_true(run_start & (run_number == (target + 1)[:, None]))
        i_unload = np.where(found, i_unload, -1)
        before = col < i_unload[:, None]
        i_plateau = last_true(before & (segment != HOLD)) + 1
        i_plateau = np.where(found, np.minimum(i_plateau, i_unload), -1)
        reload = valid & (segment == LOADING) & (col > i_unload[:, None])
        i_end = np.minimum(first_true(reload, default=n_points) - 1, i_last)
        i_end = np.where(found, i_end, -1)
        level = _window_median(P_mN, i_plateau, i_unload, LEVEL_WINDOW)

    P_max = _window_mean_near(P_mN, i_plateau, i_unload, level, hold_tol)
    return Landmarks(i_contact, i_plateau, i_unload, i_end, P_max, tol, hold_tol, noise)


def _final_stretch(Pm: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start of the final stretch where the load no longer falls by tol below a later load.

    With R the reverse cumulative maximum of ``Pm`` (invalid points -inf), the stretch starts
    after the last point with P < R - tol; returns that start and R there (NaN past the end).
    Before every row's first maximum R is the row maximum, so the running maximum is only
    computed on the columns from the earliest such maximum on; the other columns are
    compared with the row maximum, and only for rows with no such point later.
    """
    n_curves, n_points = Pm.shape
    i_peak = Pm.argmax(axis=1)
    row_max = Pm[np.arange(n_curves), i_peak]
    c_peak = int(i_peak.min())
    R_tail = np.maximum.accumulate(Pm[:, c_peak:][:, ::-1], axis=1)[:, ::-1]
    threshold = row_max - tol
    with np.errstate(invalid="ignore"):
        last = _shift(last_true(Pm[:, c_peak:] < R_tail - tol[:, None]), c_peak)
        # Rows without such a point after c_peak: search just before c_peak first (a loading
        # or an earlier cycle usually ends there), then the whole front for the rest.
        c_near = max(c_peak - FRONT_WINDOW, 0)
        near = _shift(last_true(Pm[:, c_near:c_peak] < threshold[:, None]), c_near)
        last = np.where(last < 0, near, last)
        far = np.flatnonzero(last < 0)
        if far.size and c_near > 0:
            last[far] = last_true(Pm[far, :c_near] < threshold[far, None])
    start = last + 1
    stretch_max = np.where(start < c_peak, row_max, take_rows(R_tail, start - c_peak))
    return start, stretch_max


def _first_loaded(
    Pm: np.ndarray, valid: np.ndarray, hold_tol: np.ndarray, all_valid: bool
) -> np.ndarray:
    """First valid point with P above ``hold_tol``: searched in the first CONTACT_WINDOW
    columns, then over the whole row for the curves not found there."""
    n_points = Pm.shape[1]

    def search(rows, stop: int) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            loaded = Pm[rows, :stop] > hold_tol[rows, None]
        return first_true(loaded if all_valid else loaded & valid[rows, :stop])

    i_contact = search(slice(None), min(CONTACT_WINDOW, n_points))
    rest = np.flatnonzero(i_contact < 0)
    if rest.size and CONTACT_WINDOW < n_points:
        i_contact[rest] = search(rest, n_points)
    return i_contact


def _shift(index: np.ndarray, offset: int) -> np.ndarray:
    """Column indices found in a block starting at ``offset``, -1 kept for "none"."""
    return np.where(index >= 0, index + offset, -1)


def _window(
    P_mN: np.ndarray, i_first: np.ndarray, i_last: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Loads of the last ``width`` points of [i_first, i_last] per row, and which exist."""
    idx = i_last[:, None] - np.arange(width)[None, :]
    inside = (idx >= i_first[:, None]) & (i_last[:, None] >= 0)
    P_win = np.take_along_axis(P_mN, np.clip(idx, 0, P_mN.shape[1] - 1), axis=1)
    return np.where(inside, P_win, np.nan), inside


def _window_median(
    P_mN: np.ndarray, i_first: np.ndarray, i_last: np.ndarray, width: int
) -> np.ndarray:
    """Median load of the last ``width`` points of [i_first, i_last] per row."""
    P_win, _ = _window(P_mN, i_first, i_last, width)
    return row_nanmedian(P_win)


def _window_mean_near(
    P_mN: np.ndarray,
    i_first: np.ndarray,
    i_last: np.ndarray,
    level: np.ndarray,
    hold_tol: np.ndarray,
) -> np.ndarray:
    """Mean load of the last PMAX_WINDOW points of [i_first, i_last] not below level - tol."""
    P_win, inside = _window(P_mN, i_first, i_last, PMAX_WINDOW)
    with np.errstate(invalid="ignore"):
        near = inside & (P_win >= (level - hold_tol)[:, None])
        count = near.sum(axis=1)
        return np.where(near, P_win, 0.0).sum(axis=1) / np.where(count > 0, count, np.nan)


def virgin_loading_mask(P_mN: np.ndarray, valid: np.ndarray, marks: Landmarks) -> np.ndarray:
    """Points of the first ("virgin") loading, from contact to the hold at peak load.

    Parameters
    ----------
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN].
    valid : ndarray of bool, shape (n_curves, n_points)
    marks : Landmarks

    Returns
    -------
    ndarray of bool, shape (n_curves, n_points)

    Notes
    -----
    A point is virgin loading when its load is within tol of the highest load reached so
    far, so the unloading and reloading of earlier cycles are left out.
    """
    Pm = np.where(valid, P_mN, -np.inf)
    running = np.maximum.accumulate(Pm, axis=1)
    col = np.arange(P_mN.shape[1])[None, :]
    return (
        valid
        & (col >= marks.i_contact[:, None])
        & (col < marks.i_plateau[:, None])
        & (Pm >= running - marks.tol_mN[:, None])
    )


def drift_hold_mask(
    P_mN: np.ndarray,
    valid: np.ndarray,
    marks: Landmarks,
    t_s: np.ndarray | None = None,
    segment: np.ndarray | None = None,
) -> np.ndarray:
    """Points of the hold at low load after the unloading start (for thermal drift).

    Parameters
    ----------
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN].
    valid : ndarray of bool, shape (n_curves, n_points)
    marks : Landmarks
    t_s : ndarray, shape (n_curves, n_points), optional
        Time [s]; when given a hold must last at least 2 s.
    segment : ndarray of int, shape (n_curves, n_points), optional
        With labels, the hold is segment code 4.

    Returns
    -------
    ndarray of bool, shape (n_curves, n_points)
        All False for a curve without a usable hold.

    Notes
    -----
    Without labels: among the points after the unloading start with load between 2 % and
    40 % of P_max (the band), those within the tight hold tolerance (see
    :func:`find_landmarks`) of the hold level; the level is the median load of the band
    points among the 21 around the middle of the band, which lies in the hold whenever the
    hold holds most band points (a full per-row median costs a partition of every row).
    The first and last hold points (transitions from and to the unloading ramps) are
    dropped. A hold needs at least
    10 points and, when times are known, 2 s (Oliver & Pharr 2004 [1]; ISO 14577-1 [2]).
    """
    n_curves, n_points = P_mN.shape
    # Work on the columns from the earliest unloading start on (a view, no copy).
    c0 = block_start(marks.i_unload, n_points)
    full = np.zeros((n_curves, n_points), dtype=bool)
    if c0 >= n_points:
        return full
    P_b, valid_b = P_mN[:, c0:], valid[:, c0:]
    col = np.arange(c0, n_points)[None, :]
    after = valid_b & (col > marks.i_unload[:, None]) & (col <= marks.i_end[:, None])
    after &= (marks.i_unload >= 0)[:, None]
    if segment is not None:
        hold = after & (segment[:, c0:] == DRIFT_HOLD)
    else:
        P_max = marks.P_max_mN[:, None]
        with np.errstate(invalid="ignore"):
            band = after & (P_b >= DRIFT_HOLD_BAND[0] * P_max) & (P_b <= DRIFT_HOLD_BAND[1] * P_max)
        # Hold level: median load of the band points around the middle of the band (a hold
        # that holds most band points contains the middle; cheaper than a full median).
        middle = (first_true(band) + last_true(band)) // 2
        half = LEVEL_WINDOW // 2
        P_win, inside = _window(P_b, middle - half, middle + half, LEVEL_WINDOW)
        in_band = np.take_along_axis(
            band, np.clip(middle[:, None] + np.arange(-half, half + 1), 0, band.shape[1] - 1), 1
        )
        level = row_nanmedian(np.where(inside & in_band[:, ::-1], P_win, np.nan))
        with np.errstate(invalid="ignore"):
            hold = band & (np.abs(P_b - level[:, None]) <= marks.hold_tol_mN[:, None])
        first, last = first_true(hold), last_true(hold)
        hold &= (col != c0 + first[:, None]) & (col != c0 + last[:, None])
    count = hold.sum(axis=1)
    usable = count >= DRIFT_HOLD_MIN_POINTS
    if t_s is not None:
        t_first = take_rows(t_s, c0 + first_true(hold))
        t_last = take_rows(t_s, c0 + last_true(hold))
        usable &= (t_last - t_first) >= DRIFT_HOLD_MIN_S
    full[:, c0:] = hold & usable[:, None]
    return full


def block_start(i_start: np.ndarray, n_points: int) -> int:
    """Smallest non-negative start index over curves (``n_points`` when there is none)."""
    found = i_start[i_start >= 0]
    return int(found.min()) if found.size else n_points


def cycle_end_by_peaks(
    P_mN: np.ndarray, n_valid: np.ndarray, cycle: int, prominence: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """Last point of load-unload cycle ``cycle`` of each curve, found from the load peaks.

    Parameters
    ----------
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN]; the first ``n_valid`` points of a row are used.
    n_valid : ndarray of int, shape (n_curves,)
    cycle : int
        Cycle index, Python style (0 the first, -1 the last).
    prominence : float
        Minimum prominence of a peak as a fraction of the curve's peak load [-].

    Returns
    -------
    i_end : ndarray of int, shape (n_curves,)
        Index of the load minimum between peak ``cycle`` and the next peak (the last point
        for the last cycle); -1 where the curve has no such cycle.
    n_cycles : ndarray of int, shape (n_curves,)
        Number of load peaks found.

    Notes
    -----
    This is the only place with a Python loop over curves: :func:`scipy.signal.find_peaks`
    works on one signal at a time. It runs only when ``cycle`` is not -1 and no segment
    labels are given.
    """
    from scipy.signal import find_peaks  # ~0.5 s to import; most analyses never get here

    n_curves = P_mN.shape[0]
    i_end = np.full(n_curves, -1)
    n_cycles = np.zeros(n_curves, dtype=int)
    for i in range(n_curves):
        p = P_mN[i, : n_valid[i]]
        if p.size < 3 or not np.isfinite(p).all() or p.max() <= 0:
            continue
        peaks, _ = find_peaks(p, prominence=prominence * p.max())
        n_cycles[i] = peaks.size
        if not -peaks.size <= cycle < peaks.size:
            continue
        k = cycle % peaks.size
        if k == peaks.size - 1:
            i_end[i] = p.size - 1
        else:
            i_end[i] = peaks[k] + int(np.argmin(p[peaks[k] : peaks[k + 1]]))
    return i_end, n_cycles
