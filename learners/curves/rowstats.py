"""Masked reductions along the rows of a (n_curves, n_points) array.

Every function here works on all curves at once: a boolean ``mask`` of the same shape says
which points of each row take part, and rows with too few points give NaN instead of an
error. These are the building blocks of the vectorised analysis in :mod:`learners`.
"""

from __future__ import annotations

import numpy as np

#: Scale of the median absolute deviation of a normal distribution (1 / Phi^-1(3/4)).
MAD_TO_SD = 1.482602218505602


def row_nanmedian(x: np.ndarray) -> np.ndarray:
    """Median of each row ignoring NaN; NaN for a row with no finite value.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_cols)

    Returns
    -------
    ndarray, shape (n_rows,)

    Notes
    -----
    ``np.nanmedian`` loops over rows in Python for long rows; sorting once (NaN sorts last)
    and picking the middle of each row's finite values is vectorised.
    """
    x = np.asarray(x, dtype=float)
    if x.shape[1] == 0:
        return np.full(x.shape[0], np.nan)
    finite = ~np.isnan(x)
    if finite.all():
        return np.median(x, axis=1)
    count = finite.sum(axis=1)
    ordered = np.sort(x, axis=1)
    lo = np.clip((count - 1) // 2, 0, None)
    hi = np.clip(count // 2, 0, x.shape[1] - 1)
    rows = np.arange(x.shape[0])
    med = 0.5 * (ordered[rows, lo] + ordered[rows, hi])
    return np.where(count > 0, med, np.nan)


def robust_noise_sd(y: np.ndarray, valid: np.ndarray, stride: int = 1) -> np.ndarray:
    """Standard deviation of white noise on each row, robust to the signal's shape.

    Parameters
    ----------
    y : ndarray, shape (n_rows, n_cols)
        Signal, e.g. load [mN] or displacement [nm].
    valid : ndarray of bool, shape (n_rows, n_cols)
        Points that may be used.
    stride : int
        Use the second difference centred on every ``stride``-th point only (faster on long
        rows; the median needs far fewer than all points).

    Returns
    -------
    ndarray, shape (n_rows,)
        Noise standard deviation in the unit of ``y``; NaN with fewer than 3 valid points.

    Notes
    -----
    Second differences d_i = y_{i+1} - 2 y_i + y_{i-1} remove any locally linear signal; for
    white noise of standard deviation sigma they have standard deviation sigma sqrt(6). The
    median absolute second difference, scaled by 1.4826 / sqrt(6), estimates sigma and
    ignores the few points where the signal bends sharply (segment boundaries, bursts).
    """
    if y.shape[1] < 3:
        return np.full(y.shape[0], np.nan)
    d2 = y[:, 2::stride] - 2.0 * y[:, 1:-1:stride] + y[:, :-2:stride]
    if valid.all():  # nothing to mask
        d2 = np.abs(d2, out=d2)
    else:
        ok = valid[:, 2::stride] & valid[:, 1:-1:stride] & valid[:, :-2:stride]
        d2 = np.where(ok, np.abs(d2), np.nan)
    return row_nanmedian(d2) * MAD_TO_SD / np.sqrt(6.0)


def masked_linregress(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least-squares line y = slope * x + intercept on the masked points of each row.

    Parameters
    ----------
    x, y : ndarray, shape (n_rows, n_cols)
    mask : ndarray of bool, shape (n_rows, n_cols)

    Returns
    -------
    slope, intercept : ndarray, shape (n_rows,)
        NaN where a row has fewer than 2 masked points or no spread in x.
    count : ndarray of int, shape (n_rows,)
        Number of masked points per row.
    """
    span = column_span(mask)
    x, y, mask = x[:, span], y[:, span], mask[:, span]
    count = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = np.where(mask, x, 0.0).sum(axis=1) / count
        y_mean = np.where(mask, y, 0.0).sum(axis=1) / count
        dx = np.where(mask, x - x_mean[:, None], 0.0)
        dy = np.where(mask, y - y_mean[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        slope = (dx * dy).sum(axis=1) / sxx
        slope = np.where((count >= 2) & (sxx > 0), slope, np.nan)
        intercept = y_mean - slope * x_mean
    return slope, intercept, count


def column_span(mask: np.ndarray) -> slice:
    """The smallest slice of columns holding every True of ``mask`` (empty if none).

    Masked reductions only need these columns; slicing is a view, so restricting the work
    to them is free and often saves most of it (a drift hold spans a fraction of a curve).
    """
    used = np.flatnonzero(mask.any(axis=0))
    return slice(used[0], used[-1] + 1) if used.size else slice(0, 0)


def masked_mean(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the masked points of each row; NaN for a row with none."""
    count = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mask, x, 0.0).sum(axis=1) / np.where(count > 0, count, np.nan)


def first_true(mask: np.ndarray, default: int = -1) -> np.ndarray:
    """Column index of the first True of each row, ``default`` for a row with none."""
    if mask.shape[1] == 0:
        return np.full(mask.shape[0], default)
    found = mask.any(axis=1)
    return np.where(found, mask.argmax(axis=1), default)


def last_true(mask: np.ndarray, default: int = -1) -> np.ndarray:
    """Column index of the last True of each row, ``default`` for a row with none."""
    if mask.shape[1] == 0:
        return np.full(mask.shape[0], default)
    found = mask.any(axis=1)
    return np.where(found, mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1), default)


def take_rows(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``x[i, index[i]]`` for every row i; NaN where ``index`` is out of range."""
    inside = (index >= 0) & (index < x.shape[1])
    picked = x[np.arange(x.shape[0]), np.clip(index, 0, x.shape[1] - 1)]
    return np.where(inside, picked, np.nan)


#: Rows per block of the running median: its temporaries stay in the CPU cache (about 5x
#: faster than whole-array passes on 10,000 x 641 curves; same values).
MEDIAN_BLOCK_ROWS = 64


def median5(x: np.ndarray) -> np.ndarray:
    """Running median of 5 points along each row, the ends padded with their end value.

    Branch-free (a sorting network of elementwise min/max, no window copies):
    med5(a, b, c, d, e) = med3(c, max(min(a, b), min(d, e)), min(max(a, b), max(d, e))).
    A window holding a NaN gives NaN. Removes glitches of 1 or 2 points, also at the ends.
    """
    x = np.asarray(x, dtype=float)
    if x.shape[1] < 5:
        return x.copy()
    out = np.empty_like(x)
    for r0 in range(0, x.shape[0], MEDIAN_BLOCK_ROWS):
        rows = slice(r0, r0 + MEDIAN_BLOCK_ROWS)
        _median5_into(x[rows], out[rows])
    return out


def median5_from(x: np.ndarray, c0: int) -> np.ndarray:
    """``x`` with columns ``c0:`` replaced by :func:`median5` of ``x[:, c0:]`` where finite.

    The same values as copying ``x`` and writing ``where(isnan(m), x, m)`` with
    ``m = median5(x[:, c0:])``, computed block by block of rows (no whole-array passes).
    """
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    if x.shape[1] - c0 < 5:
        out[...] = x
        return out
    for r0 in range(0, x.shape[0], MEDIAN_BLOCK_ROWS):
        rows = slice(r0, r0 + MEDIAN_BLOCK_ROWS)
        out[rows, :c0] = x[rows, :c0]
        tail, tail_out = x[rows, c0:], out[rows, c0:]
        _median5_into(tail, tail_out)
        missing = np.isnan(tail_out)
        if missing.any():
            np.copyto(tail_out, tail, where=missing)
    return out


def _median5_into(x: np.ndarray, out: np.ndarray) -> None:
    """Write median5 of the rows of ``x`` (at least 5 columns) into ``out``."""
    m = x.shape[1]
    padded = np.empty((x.shape[0], m + 4))
    padded[:, 2:-2] = x
    padded[:, :2] = x[:, :1]
    padded[:, -2:] = x[:, -1:]
    a, b, c, d, e = (padded[:, k : k + m] for k in range(5))
    f = np.minimum(a, b)
    np.maximum(f, np.minimum(d, e), out=f)
    g = np.maximum(a, b)
    np.minimum(g, np.maximum(d, e), out=g)
    low = np.minimum(c, f)
    np.maximum(c, f, out=f)
    np.minimum(f, g, out=f)
    np.maximum(low, f, out=out)
