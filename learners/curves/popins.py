"""Pop-ins: displacement bursts during loading, as load-controlled instruments record them.

In an open-loop instrument a burst runs at constant load; with load feedback the tip runs
ahead faster than the feedback can follow, so the load drops by a few mN and recovers
(real Hysitron curves). Both are found the same way: a run of depth increments far above
the local ones, during the loading, whose depth gain persists. The burst size is the
depth gained at the onset load, i.e. the width of the burst in the P-h plane.

References
----------
.. [1] C. A. Schuh, "Nanoindentation studies of materials", Mater. Today 9 (2006) 32-40.
   doi:10.1016/S1369-7021(06)71495-X
.. [2] A. Gouldstone et al., "Indentation across size scales and disciplines: Recent
   developments in experimentation and modeling", Acta Mater. 55 (2007) 4015-4039.
   doi:10.1016/j.actamat.2006.08.044
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from .cycles import find_contact
from .rowstats import MAD_TO_SD, row_nanmedian

#: Columns of :func:`find_popins`.
POPIN_COLUMNS = ("curve", "index", "load_mN", "depth_nm", "size_nm", "load_drop_mN")
#: Increments on each side whose median is the local increment.
WINDOW = 8
#: Points after the burst whose median depth is the depth reached (a spike does not last).
SETTLE_POINTS = 5
#: Furthest a feedback recovery is followed [points].
MAX_RECOVERY = 4000
#: Window lengths [increments] over which the depth gain is tested.
SCALES = (1, 2, 4, 8)
#: The onset is the first increment of a burst above ONSET_SIGMA robust sd of increments.
ONSET_SIGMA = 4.0
#: Runs of burst increments closer than this [increments] are one burst.
MERGE_GAP = 3


#: Most elements of a window view taken at once by the running median (bounds its memory).
_MEDIAN_CHUNK = 2_000_000


def _running_median(x: np.ndarray, width: int) -> np.ndarray:
    """Median of each run of ``width`` columns, shape (n, m - width + 1), in row chunks."""
    n, m = x.shape
    rows = max(1, _MEDIAN_CHUNK // max(width * (m - width + 1), 1))
    out = np.empty((n, m - width + 1))
    for r in range(0, n, rows):  # chunks of curves, for memory
        out[r : r + rows] = np.median(sliding_window_view(x[r : r + rows], width, axis=1), -1)
    return out


def _spread(x: np.ndarray, mask: np.ndarray, stride: int) -> np.ndarray:
    """Robust standard deviation (MAD) of the masked values of each row (0 when none)."""
    sd = row_nanmedian(np.abs(np.where(mask, x, np.nan))[:, ::stride]) * MAD_TO_SD
    return np.where(np.isfinite(sd), sd, 0.0)


def _runs(flags: np.ndarray, gap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, first column and one-past-last column of every run of True along the rows;
    runs of the same row less than ``gap`` apart are merged."""
    n = flags.shape[0]
    pad = np.zeros((n, 1), dtype=bool)
    edges = np.diff(np.concatenate([pad, flags, pad], axis=1).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, stops = np.nonzero(edges == -1)
    if rows.size > 1:
        merge = (rows[1:] == rows[:-1]) & (starts[1:] - stops[:-1] < gap)
        keep_start = np.concatenate([[True], ~merge])
        keep_stop = np.concatenate([~merge, [True]])
        rows, starts, stops = rows[keep_start], starts[keep_start], stops[keep_stop]
    return rows, starts, stops


def find_popins(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    t_s: npt.ArrayLike | None = None,
    *,
    min_size_nm: float = 5.0,
    n_sigma: float = 6.0,
    min_jump_nm: float = 0.5,
) -> pd.DataFrame:
    """Every pop-in of every curve: one row per burst during loading.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
        Displacement [nm] and load [mN]; NaN padding allowed.
    t_s : array_like, optional
        Time [s]; not needed (the points are taken in record order), accepted for symmetry
        with the other analyses.
    min_size_nm : float, default 5.0
        Smallest burst reported [nm].
    n_sigma : float, default 6.0
        A run of 1, 2, 4 or 8 depth increments is part of a burst when its depth gain
        exceeds that of the local increments (median of the 8 before or of the 8 after, the
        larger) by n_sigma robust standard deviations (of such gains on the loading) and by
        ``min_jump_nm``.
    min_jump_nm : float, default 0.5
        Smallest depth increment [nm] that can be part of a burst.

    Returns
    -------
    DataFrame
        Columns ``curve`` (row of the input), ``index`` (last point before the burst),
        ``load_mN`` (onset load: that point's load plus half a typical load step [mN]),
        ``depth_nm`` (depth there [nm]), ``size_nm`` (depth gained at the onset load: the
        burst's width in the P-h plane [nm]), ``load_drop_mN`` (onset load minus the lowest
        load before the load is back at it; about 0 open-loop, a few mN with feedback).

    Notes
    -----
    Vectorised over curves and points (a sliding median of the increments, then windows
    around the bursts found). A burst is a run of increments where the depth gained over
    1, 2, 4 or 8 increments exceeds the local trend by n_sigma robust sd (white depth noise
    does not grow with the window, a burst spread over a few points does). The loading is
    the stretch from the contact (:func:`learners.curves.cycles.find_contact`) to the peak
    load; bursts within 8 points of contact are not looked for. The size is the depth at
    the onset load once the load is back at it (linear interpolation in load when it
    recovers gradually), and no more than the median of the 5 depths after it, so a
    one-point spike in depth is not a burst.
    """
    h = np.atleast_2d(np.asarray(h_nm, dtype=float))
    P = np.atleast_2d(np.asarray(P_mN, dtype=float))
    if h.shape != P.shape:
        raise ValueError(f"h_nm and P_mN must have the same shape. Got {h.shape} and {P.shape}.")
    for name, value in (("min_size_nm", min_size_nm), ("n_sigma", n_sigma)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0. Got {value!r}.")
    n, m = P.shape
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in POPIN_COLUMNS}).astype(
        {"curve": int, "index": int}
    )
    if m < 2 * WINDOW + 3:
        return empty
    i_peak = np.argmax(np.where(np.isfinite(P), P, -np.inf), axis=1)
    i_contact = find_contact(h, P)["i_contact"].to_numpy()

    # Only the columns of the loadings are examined.
    c0 = int(max(i_contact.min(), 0))
    c1 = int(i_peak.max()) + 1
    hb, Pb = h[:, c0:c1], P[:, c0:c1]
    d = np.diff(hb, axis=1)  # increment j: point j -> j + 1 (block columns)
    dP = np.diff(Pb, axis=1)
    col = np.arange(d.shape[1])[None, :] + c0
    loading = (col >= (i_contact + WINDOW)[:, None]) & (col < i_peak[:, None]) & np.isfinite(d)
    # Local increment: the larger of the medians of the WINDOW increments before and after.
    med = _running_median(np.where(np.isfinite(d), d, 0.0), WINDOW)
    pad = np.full((n, WINDOW), np.nan)
    left = np.concatenate([pad, med[:, : d.shape[1] - WINDOW]], axis=1)
    right = np.concatenate([med[:, 1:], np.full((n, WINDOW + 1), np.nan)], axis=1)[:, : d.shape[1]]
    local = np.fmax(left, right)
    stride = max(1, d.shape[1] // 8192)
    with np.errstate(invalid="ignore"):
        step = row_nanmedian(np.where(loading & (dP > 0), dP, np.nan)[:, ::stride])
    step = np.where(np.isfinite(step), step, 0.0)
    # Depth gained over k increments beyond the local trend, k = 1, 2, 4, 8: white depth noise
    # does not grow with k while a burst spread over a few points adds up.
    h_f = np.where(np.isfinite(hb), hb, 0.0)
    jump = np.zeros_like(loading)
    excess_1 = None
    for k in SCALES:
        gain = np.full(d.shape, np.nan)
        gain[:, : d.shape[1] - k + 1] = h_f[:, k:] - h_f[:, : hb.shape[1] - k]
        excess = gain - k * local
        spread = _spread(excess, loading, stride)
        with np.errstate(invalid="ignore"):
            hit = loading & (excess > np.fmax(n_sigma * spread, min_jump_nm)[:, None])
        for shift in range(k):  # the k increments of a hit window
            jump[:, shift:] |= hit[:, : d.shape[1] - shift]
        if k == 1:
            excess_1, spread_1 = excess, spread
    jump &= loading
    rows, j_on, j_end = _runs(jump, MERGE_GAP)
    if rows.size == 0:
        return empty
    # Onset: the first increment of the run that is clearly fast itself (the longer windows
    # start a few points early).
    fast = np.where(np.isfinite(excess_1), excess_1, -np.inf)
    offsets = np.arange(max(SCALES))[None, :]
    cand = np.clip(j_on[:, None] + offsets, 0, d.shape[1] - 1)
    e = fast[rows[:, None], cand]
    within = (j_on[:, None] + offsets) < j_end[:, None]
    clear = within & (e >= np.fmax(ONSET_SIGMA * spread_1[rows], min_jump_nm)[:, None])
    j_on = j_on + np.where(clear.any(axis=1), np.argmax(clear, axis=1), 0)
    width = Pb.shape[1]

    # The first point from the end of the fast part on at or above the onset load.
    P_on = Pb[rows, j_on]
    h_on = hb[rows, j_on]
    lead = int((j_end - j_on).max())
    idx = j_on[:, None] + np.arange(min(MAX_RECOVERY + lead, width))[None, :]
    P_win = np.where(idx < width, Pb[rows[:, None], np.clip(idx, 0, width - 1)], np.nan)
    with np.errstate(invalid="ignore"):
        recovered = (P_win >= P_on[:, None]) & (idx >= j_end[:, None])
    back = np.argmax(recovered, axis=1)
    never = ~recovered.any(axis=1)
    j_rec = np.minimum(j_on + back, width - 1)
    # Interpolate the depth at the onset load when the load recovered gradually.
    j_prev = np.maximum(j_rec - 1, 0)
    gradual = j_prev >= j_end
    P0, P1 = Pb[rows, j_prev], Pb[rows, j_rec]
    h0, h1 = hb[rows, j_prev], hb[rows, j_rec]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.clip((P_on - P0) / (P1 - P0), 0.0, 1.0)
    h_back = np.where(gradual & np.isfinite(frac), h0 + frac * (h1 - h0), h1)
    # The depth reached must last: median of the next SETTLE_POINTS depths, less their trend.
    settle = np.clip(j_rec[:, None] + np.arange(SETTLE_POINTS), 0, width - 1)
    h_settle = np.median(hb[rows[:, None], settle], axis=1)
    trend = local[rows, np.clip(j_rec, 0, d.shape[1] - 1)] * (SETTLE_POINTS - 1) / 2
    lasting = h_settle - np.where(np.isfinite(trend), trend, 0.0) - h_on
    size = np.minimum(h_back - h_on, lasting)
    during = (idx <= j_rec[:, None]) & np.isfinite(P_win)
    low = np.where(during, P_win, np.inf).min(axis=1)
    drop = np.maximum(P_on - low, 0.0)
    keep = (size >= min_size_nm) & ~never
    table = pd.DataFrame(
        {
            "curve": rows[keep].astype(int),
            "index": (j_on[keep] + c0).astype(int),
            "load_mN": P_on[keep] + 0.5 * step[rows[keep]],
            "depth_nm": h_on[keep],
            "size_nm": size[keep],
            "load_drop_mN": drop[keep],
        }
    )
    return table.sort_values(["curve", "index"], ignore_index=True)
