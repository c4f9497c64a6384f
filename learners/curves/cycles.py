"""Contact, load-unload cycles and broken records of real exports, from the load signal.

Real exports often start before the tip touches: approach data at about zero load over tens
to hundreds of nm (KLA / Keysight), or a retract from a preload (Hysitron starts at 2 mN,
retracts about 1 µm and approaches again). Multi-cycle tests unload partly (often to half
the peak load) and reload, without a marker in every export. These functions find all that
from the load alone, for a batch of NaN-padded curves.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20 (multi-cycle tests,
   hold at peak load before unloading). doi:10.1557/jmr.2004.19.1.3
.. [2] ISO 14577-1:2015, Instrumented indentation test, Annex (zero point of contact).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rowstats import last_true, robust_noise_sd, row_nanmedian, take_rows

#: A load above baseline + max(CONTACT_NOISE x noise, CONTACT_REL x peak) is certainly in
#: contact; contact is the last point before it whose smoothed load is within
#: CONTACT_SETTLE x noise of the baseline.
CONTACT_NOISE = 10.0
CONTACT_REL = 0.01
CONTACT_SETTLE = 3.0
SMOOTH_POINTS = 9
#: A cycle's peak must stand out of its neighbouring minima by this fraction of its height.
CYCLE_PROMINENCE = 0.2
#: ... and by this many standard deviations of the load noise (a wiggle of the noise near
#: zero load, before contact, is no cycle).
CYCLE_NOISE = 10.0
#: Longer records are searched for cycles on the maxima of blocks of points (this many
#: blocks at most): a cycle spans far more points than a block.
PEAK_SEARCH_POINTS = 2048
#: A broken record: a displacement step larger than max(BROKEN_STEP_NM, BROKEN_STEP_REL x
#: h_max) at a load below BROKEN_LOAD_REL x P_max, between contact and the end of unloading.
BROKEN_STEP_NM = 100.0
BROKEN_STEP_REL = 0.1
BROKEN_LOAD_REL = 0.05


def _as_2d(h_nm, P_mN) -> tuple[np.ndarray, np.ndarray, bool]:
    h = np.asarray(h_nm, dtype=float)
    P = np.asarray(P_mN, dtype=float)
    if h.shape != P.shape or h.ndim not in (1, 2):
        raise ValueError(
            f"h_nm and P_mN must have the same 1-D or 2-D shape. Got {h.shape} and {P.shape}."
        )
    return np.atleast_2d(h), np.atleast_2d(P), h.ndim == 1


def _smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along rows (NaN where the window leaves the data)."""
    filled = np.where(np.isfinite(x), x, 0.0)
    c = np.cumsum(np.pad(filled, ((0, 0), (1, 0))), axis=1)
    out = np.full(x.shape, np.nan)
    half = width // 2
    out[:, half : x.shape[1] - half] = (c[:, width:] - c[:, :-width]) / width
    return np.where(np.isfinite(x), out, np.nan)


def find_contact(h_nm, P_mN) -> pd.DataFrame:
    """Where the tip touches the surface, found from the load signal of each curve.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
        Displacement [nm] and load [mN]; NaN padding allowed.

    Returns
    -------
    DataFrame, one row per curve
        ``i_contact`` (index of the last point at the baseline load before the load rises
        to its peak), ``h_contact_nm`` (depth there: the new depth zero),
        ``P_baseline_mN`` (load before contact, an offset of the load signal),
        ``approach_nm`` (depth travelled at baseline load just before contact),
        ``preload`` (True when the record starts under load, e.g. a Hysitron preload), and
        ``note`` (what was found, in words).

    Notes
    -----
    Noise: the robust second-difference estimate. The rise that leads to the peak starts
    after the last point below baseline + max(10 noise, 1 % peak); the baseline is the 5th
    percentile of the 9-point moving average before that rise (a load-cell offset stays,
    a rising load does not lift it). Contact is the last point before the rise where the
    moving average is within 3 noise of the baseline.
    """
    h, P, _ = _as_2d(h_nm, P_mN)
    n, m = P.shape
    col = np.arange(m)[None, :]
    valid = np.isfinite(P) & np.isfinite(h)
    Pm = np.where(valid, P, -np.inf)
    i_peak = np.argmax(Pm, axis=1)
    P_peak = take_rows(P, i_peak)
    before = valid & (col < i_peak[:, None])
    noise = robust_noise_sd(P, valid, stride=max(1, m // 4096))
    noise = np.where(np.isfinite(noise), noise, 0.0)
    smooth = _smooth(P, SMOOTH_POINTS)
    high_rel = CONTACT_REL * np.abs(P_peak)
    with np.errstate(invalid="ignore"):
        # first guess of the baseline: the loads well below the peak before it
        low = before & (P < 0.02 * P_peak[:, None])
        first = row_nanmedian(np.where(low, smooth, np.nan))
        first = np.where(np.isfinite(first), first, 0.0)
        high = first + np.fmax(CONTACT_NOISE * noise, high_rel)
        i_rise = last_true(before & (P <= high[:, None])) + 1
        # baseline: the lowest smoothed loads before the rise (5th percentile)
        pre = valid & (col < i_rise[:, None]) & np.isfinite(smooth)
        base = _row_percentile(np.where(pre, smooth, np.nan), 5.0)
        base = np.where(np.isfinite(base), base, first)
        high = base + np.fmax(CONTACT_NOISE * noise, high_rel)
        i_rise = last_true(before & (P <= high[:, None])) + 1
        settle = base + CONTACT_SETTLE * noise
        quiet = valid & (col < i_rise[:, None]) & (smooth <= settle[:, None])
    i_quiet = last_true(quiet)
    i_quiet = np.where(i_quiet >= 0, i_quiet, np.maximum(i_rise - 1, 0))
    # The moving average rises half a window early: step on over the raw points that are
    # still at the baseline (their count before the first one above it).
    ahead = np.clip(i_quiet[:, None] + np.arange(1, SMOOTH_POINTS)[None, :], 0, m - 1)
    with np.errstate(invalid="ignore"):
        raised = np.take_along_axis(P, ahead, axis=1) > settle[:, None]
    raised |= ahead >= i_rise[:, None]
    steps = np.where(raised.any(axis=1), np.argmax(raised, axis=1), SMOOTH_POINTS - 1)
    i_contact = i_quiet + steps
    h_contact = take_rows(h, i_contact)
    with np.errstate(invalid="ignore"):
        loaded = valid & (col <= i_contact[:, None]) & (P > high[:, None])
        i_approach = last_true(loaded) + 1  # first point of the baseline stretch
        stretch = valid & (col >= i_approach[:, None]) & (col <= i_contact[:, None])
        lowest = np.where(stretch, h, np.inf).min(axis=1)
    approach = np.where(np.isfinite(lowest), h_contact - lowest, 0.0)
    head = row_nanmedian(np.where(valid & (col < 5), P, np.nan))
    preload = (i_contact > 0) & (head - base > np.fmax(CONTACT_NOISE * noise, 0.5 * high_rel))
    offset = np.abs(base) > np.fmax(CONTACT_SETTLE * noise, 1e-3 * np.abs(P_peak))
    notes = []
    for k in range(n):  # words only, one per curve
        parts = [f"contact at point {i_contact[k]} (depth {h_contact[k]:.1f} nm)"]
        if approach[k] >= 1.0:
            parts.append(f"{approach[k]:.0f} nm of approach at zero load before it")
        if preload[k]:
            parts.append("the record starts under load (a preload or an earlier test)")
        if offset[k]:
            parts.append(f"load offset {base[k]:.3g} mN before contact")
        notes.append("; ".join(parts))
    return pd.DataFrame(
        {
            "i_contact": i_contact.astype(int),
            "h_contact_nm": h_contact,
            "P_baseline_mN": base,
            "approach_nm": approach,
            "preload": preload,
            "note": notes,
        }
    )


def _row_percentile(x: np.ndarray, q: float) -> np.ndarray:
    """q-th percentile of each row ignoring NaN (sorted once; NaN sorts last)."""
    count = np.isfinite(x).sum(axis=1)
    ordered = np.sort(x, axis=1)
    k = np.clip(np.floor(q / 100.0 * (count - 1)).astype(int), 0, x.shape[1] - 1)
    return np.where(count > 0, ordered[np.arange(x.shape[0]), k], np.nan)


def zero_at_contact(
    h_nm, P_mN, *, drop_before: bool = True, subtract_baseline: bool = False
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Curves with the depth zero at contact (and, optionally, the approach cut away).

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
    drop_before : bool, default True
        Set the points before contact to NaN (approach, retract, preload), and move each
        row's data to its start.
    subtract_baseline : bool, default False
        Subtract the load before contact (an offset of the load cell).

    Returns
    -------
    h_nm, P_mN : ndarray, same shape as the input
    report : DataFrame
        :func:`find_contact`'s table.
    """
    h, P, one = _as_2d(h_nm, P_mN)
    report = find_contact(h, P)
    h = h - report["h_contact_nm"].to_numpy()[:, None]
    if subtract_baseline:
        P = P - report["P_baseline_mN"].to_numpy()[:, None]
    if drop_before:
        i0 = report["i_contact"].to_numpy()
        idx = np.arange(P.shape[1])[None, :] + i0[:, None]
        inside = idx < P.shape[1]
        idx = np.clip(idx, 0, P.shape[1] - 1)
        h = np.where(inside, np.take_along_axis(h, idx, axis=1), np.nan)
        P = np.where(inside, np.take_along_axis(P, idx, axis=1), np.nan)
    return (h[0], P[0], report) if one else (h, P, report)


def find_cycles(P_mN, *, prominence: float = CYCLE_PROMINENCE) -> pd.DataFrame:
    """Load-unload cycles of each curve, from the load's extrema.

    Parameters
    ----------
    P_mN : array_like, shape (n_points,) or (n_curves, n_points)
        Load [mN]; NaN padding allowed.
    prominence : float, default 0.2
        A peak counts when it stands out of the lower of its neighbouring minima by at least
        this fraction of its own height (a partial unloading to half the peak gives 0.5).

    Returns
    -------
    DataFrame, one row per curve and cycle
        ``curve``, ``cycle`` (0 the first), ``i_peak`` (highest load of the cycle),
        ``i_end`` (load minimum before the next peak, or the last point), ``P_peak_mN``,
        ``P_end_mN`` (lowest load of the unloading).

    Notes
    -----
    :func:`scipy.signal.find_peaks` works on one signal at a time: this loops over curves
    (not points); records of more than 2048 points are searched on the maxima of at most
    2048 blocks of points, each peak then placed on its block's highest point. A hold at
    peak load is one peak (its noise is far below the prominence).
    A peak must also stand out by 10 standard deviations of the load noise (the robust
    second-difference estimate): near zero load a noise wiggle has a large relative
    prominence.
    """
    from scipy.signal import find_peaks  # ~0.5 s to import; only cycle searches need it

    P = np.atleast_2d(np.asarray(P_mN, dtype=float))
    valid = np.isfinite(P)
    noise = robust_noise_sd(P, valid, stride=max(1, P.shape[1] // 4096))
    noise = np.where(np.isfinite(noise), noise, 0.0)
    rows = []
    for k in range(P.shape[0]):
        p = P[k][np.isfinite(P[k])]
        if p.size < 3 or not np.nanmax(p) > 0:
            continue
        # long records: the peaks of block maxima (a prominence search costs the record's
        # length per local maximum, and noise makes thousands of them), then the highest
        # point of each block found
        b = -(-p.size // PEAK_SEARCH_POINTS)
        padded = np.concatenate([p, np.full(-p.size % b, -np.inf)]).reshape(-1, b)
        top = padded.max(axis=1)
        at = np.arange(top.size) * b + padded.argmax(axis=1)
        peaks, props = find_peaks(
            np.concatenate([[-np.inf], top, [-np.inf]]), prominence=0.0, plateau_size=1
        )
        peaks = peaks - 1
        least = np.fmax(prominence * top[peaks], CYCLE_NOISE * noise[k])
        keep = (props["prominences"] >= least) & (top[peaks] > 0.02 * p.max())
        peaks = at[peaks[keep]]
        for c, i_peak in enumerate(peaks):
            stop = peaks[c + 1] if c + 1 < peaks.size else p.size
            i_end = i_peak + int(np.argmin(p[i_peak:stop])) if c + 1 < peaks.size else p.size - 1
            rows.append((k, c, int(i_peak), int(i_end), p[i_peak], p[i_peak:stop].min()))
    return pd.DataFrame(
        rows, columns=["curve", "cycle", "i_peak", "i_end", "P_peak_mN", "P_end_mN"]
    ).astype({"curve": int, "cycle": int, "i_peak": int, "i_end": int})


def broken_records(h_nm, P_mN) -> pd.DataFrame:
    """Curves whose record is broken: displacement jumps of hundreds of nm at almost no load.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)

    Returns
    -------
    DataFrame, one row per curve
        ``broken`` (bool), ``reason`` ("" when not broken), ``index`` of the largest such
        jump (-1 when none), ``jump_nm``.

    Notes
    -----
    Only the stretch from contact to the last point above 2 % of the peak load is
    examined, so the tip's retract after the test (the depth falls at zero load) is not a
    broken record; nor is a pop-in (a burst under load).
    """
    h, P, _ = _as_2d(h_nm, P_mN)
    n, m = P.shape
    contact = find_contact(h, P)["i_contact"].to_numpy()
    P_peak = np.where(np.isfinite(P), P, -np.inf).max(axis=1)
    P_peak = np.where(np.isfinite(P_peak), P_peak, np.nan)
    with np.errstate(invalid="ignore"):
        upper = np.isfinite(P) & np.isfinite(h) & (P >= 0.5 * P_peak[:, None])
    h_max = np.where(upper, h, -np.inf).max(axis=1)
    h_max = np.where(np.isfinite(h_max), h_max, 0.0)
    col = np.arange(m)[None, :]
    with np.errstate(invalid="ignore"):
        i_last = last_true(P > 0.02 * P_peak[:, None])
        span = (col[:, 1:] > contact[:, None]) & (col[:, 1:] <= i_last[:, None])
        step = np.abs(np.diff(h, axis=1))
        low = np.fmin(P[:, 1:], P[:, :-1]) < BROKEN_LOAD_REL * P_peak[:, None]
        limit = np.fmax(BROKEN_STEP_NM, BROKEN_STEP_REL * np.abs(h_max))
        bad = span & low & (step > limit[:, None])
    size = np.where(bad, step, 0.0)
    index = np.where(bad.any(axis=1), np.argmax(size, axis=1) + 1, -1)
    jump = size.max(axis=1, initial=0.0)
    reason = np.where(
        index >= 0,
        [
            f"broken record: the depth jumps {j:.0f} nm at point {i} under almost no load "
            f"(below {100 * BROKEN_LOAD_REL:g} % of the peak); left out of calibrations"
            for j, i in zip(jump, index, strict=True)
        ],
        "",
    )
    return pd.DataFrame({"broken": index >= 0, "reason": reason, "index": index, "jump_nm": jump})


def cut_cycles(h_nm, P_mN, t_s=None, segment=None, *, prominence: float = CYCLE_PROMINENCE):
    """One row per cycle: each curve cut after the end of each of its unloadings.

    Returns ``(h, P, t, segment, table)``: 2-D arrays of shape (n_rows, n_points) holding
    the curve's points up to ``i_end`` of the cycle (NaN after), and :func:`find_cycles`'s
    table (one row per output row). With ``segment`` labels, cycles are the runs of
    unloading (code 3). Row ``r`` of the output is curve ``table.curve[r]`` up to its cycle
    ``table.cycle[r]``, so the existing batch analysis (last cycle of each row) analyses
    every cycle at once.
    """
    h, P, _ = _as_2d(h_nm, P_mN)
    if segment is not None:
        seg = np.broadcast_to(np.asarray(segment), P.shape)
        table = _cycles_from_segments(seg)
    else:
        seg = None
        table = find_cycles(P, prominence=prominence)
    rows = table["curve"].to_numpy()
    keep = np.arange(P.shape[1])[None, :] <= table["i_end"].to_numpy()[:, None]

    def cut(x):
        if x is None:
            return None
        x = np.broadcast_to(np.asarray(x, dtype=float), P.shape)
        return np.where(keep, x[rows], np.nan)

    seg_out = None if seg is None else np.where(keep, seg[rows], 0).astype(seg.dtype)
    return cut(h), cut(P), cut(t_s), seg_out, table


def _cycles_from_segments(seg: np.ndarray) -> pd.DataFrame:
    """Cycles as runs of unloading (segment code 3), ending before the next loading."""
    unloading = seg == 3
    start = unloading.copy()
    start[:, 1:] &= ~unloading[:, :-1]
    rows = []
    for k in range(seg.shape[0]):
        starts = np.flatnonzero(start[k])
        loads = np.flatnonzero(seg[k] == 1)
        for c, i0 in enumerate(starts):
            nxt = loads[loads > i0]
            i_end = int(nxt[0] - 1) if nxt.size else seg.shape[1] - 1
            rows.append((k, c, int(i0), i_end, np.nan, np.nan))
    return pd.DataFrame(
        rows, columns=["curve", "cycle", "i_peak", "i_end", "P_peak_mN", "P_end_mN"]
    ).astype({"curve": int, "cycle": int, "i_peak": int, "i_end": int})
