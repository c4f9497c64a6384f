"""Batched fit of the Oliver-Pharr unloading power law P = alpha (h - h_f)^m.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, "An improved technique for determining hardness and
   elastic modulus using load and displacement sensing indentation experiments",
   J. Mater. Res. 7 (1992) 1564-1583. doi:10.1557/JMR.1992.1564
.. [2] G. H. Golub, V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least
   squares problems whose variables separate", SIAM J. Numer. Anal. 10 (1973) 413-432.
   doi:10.1137/0710036
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rowstats import first_true, last_true

#: Candidate residual depths h_f = h_lo - k (h_max - h_lo), k on a geometric grid.
K_RANGE = (1e-4, 100.0)
N_GRID = 12
#: Above this fraction of active curves the refinement evaluates all rows (no row copies).
ALL_ROWS_FRACTION = 0.8


@dataclass(frozen=True)
class PowerLawFit:
    """Result of :func:`fit_unloading_power_law`, one value per curve.

    Attributes
    ----------
    h_f_nm : ndarray, shape (n_curves,)
        Residual depth h_f [nm].
    m : ndarray, shape (n_curves,)
        Power-law exponent [-].
    alpha : ndarray, shape (n_curves,)
        Prefactor [mN / nm^m].
    r2 : ndarray, shape (n_curves,)
        Coefficient of determination of the fit in linear load space [-].
    rmse_mN : ndarray, shape (n_curves,)
        Root-mean-square load residual [mN].
    n_points : ndarray of int, shape (n_curves,)
        Number of points fitted.
    at_limit : ndarray of bool, shape (n_curves,)
        True where the best h_f lies at the edge of the searched range (no bracket found).
    h_lo_nm : ndarray, shape (n_curves,)
        Smallest fitted depth [nm]; h_f is searched below it.
    """

    h_f_nm: np.ndarray
    m: np.ndarray
    alpha: np.ndarray
    r2: np.ndarray
    rmse_mN: np.ndarray
    n_points: np.ndarray
    at_limit: np.ndarray
    h_lo_nm: np.ndarray


def fit_unloading_power_law(
    h_nm: np.ndarray,
    P_mN: np.ndarray,
    mask: np.ndarray,
    h_max_nm: np.ndarray,
    *,
    min_points: int = 5,
) -> PowerLawFit:
    """Fit P = alpha (h - h_f)^m to the masked points of every curve at once.

    Parameters
    ----------
    h_nm : ndarray, shape (n_curves, n_points)
        Displacement [nm].
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN]; must be > 0 on the masked points.
    mask : ndarray of bool, shape (n_curves, n_points)
        Points to fit (the upper part of the unloading).
    h_max_nm : ndarray, shape (n_curves,)
        Displacement at the unloading start [nm]; sets the scale of the h_f search.
    min_points : int
        Curves with fewer masked points get NaN.

    Returns
    -------
    PowerLawFit

    Notes
    -----
    Variable projection [2]_: for a fixed h_f, log P = log alpha + m log(h - h_f) is linear
    in (log alpha, m) and solved in closed form. The weights P^2 make the log residuals
    approximate the load residuals (d log P = dP / P), so the profile objective is close to
    the sum of squared load residuals. h_f is found per curve on a geometric grid of
    candidates h_f = h_lo - k (h_max - h_lo), k in [1e-4, 100] (h_lo: the smallest fitted
    depth), then refined inside the bracket around the best candidate with Chandrupatla's
    bracketing minimiser, :func:`scipy.optimize.elementwise.find_minimum` (vectorised).
    All loops run over the few grid candidates, never over curves or points.
    """
    n_curves = h_nm.shape[0]
    count = mask.sum(axis=1)
    usable = count >= min_points
    nan = np.full(n_curves, np.nan)
    empty = PowerLawFit(
        nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(), count, ~usable, nan.copy()
    )
    if not usable.any():
        return empty

    # Pack the fitted points of the usable curves into a dense (n_used, k_max) block.
    used = np.flatnonzero(usable)
    h_fit, P_fit, filled = _pack(h_nm, P_mN, mask, used, count[used])

    h_lo = np.where(filled, h_fit, np.inf).min(axis=1)
    span = h_max_nm[used] - h_lo
    span = np.where(np.isfinite(span) & (span > 0), span, np.nan)
    h_fit = np.where(filled, h_fit, h_lo[:, None])  # padding: log stays finite, weight 0
    P_scale = np.where(filled, P_fit, 0.0).max(axis=1)
    weight = np.where(filled, (P_fit / P_scale[:, None]) ** 2, 0.0)
    log_P = np.log(np.where(filled, P_fit, 1.0))
    sum_w = weight.sum(axis=1)
    log_P_mean = (weight * log_P).sum(axis=1) / sum_w
    log_P_c = np.where(filled, log_P - log_P_mean[:, None], 0.0)
    syy = (weight * log_P_c * log_P_c).sum(axis=1)

    def coarse(log_k: np.ndarray) -> np.ndarray:
        """Weighted log-space residual sum of squares at h_f(log k), all curves (fast)."""
        h_f = h_lo - np.exp(log_k) * span
        return _profile_sse(h_fit, log_P_c, weight, sum_w, syy, h_f)

    def fine(log_k: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """The same objective from explicit residuals (no cancellation), curves ``idx``."""
        if idx.size >= ALL_ROWS_FRACTION * used.size:
            # Most curves still active: evaluate every row (rows are independent) rather
            # than copy the active ones; the others get a harmless placeholder.
            log_k_all = np.full(used.size, log_grid[0])
            log_k_all[idx] = log_k
            h_f = h_lo - np.exp(log_k_all) * span
            return _linear_part(h_fit, log_P_c, weight, sum_w, h_f)[2][idx]
        h_f = h_lo[idx] - np.exp(log_k) * span[idx]
        return _linear_part(h_fit[idx], log_P_c[idx], weight[idx], sum_w[idx], h_f)[2]

    # scipy.optimize takes ~0.5 s to import; pages that only simulate never need it.
    from scipy.optimize import elementwise

    log_grid = np.log(np.geomspace(*K_RANGE, N_GRID))
    all_idx = np.arange(used.size)
    sse_grid = np.column_stack([coarse(np.full(used.size, g)) for g in log_grid])
    sse_grid = np.where(np.isfinite(sse_grid), sse_grid, np.inf)
    best = sse_grid.argmin(axis=1)
    inner = (best > 0) & (best < N_GRID - 1) & np.isfinite(span)
    log_k = log_grid[best]
    if inner.any():
        j = best[inner]
        res = elementwise.find_minimum(
            fine,
            (log_grid[j - 1], log_grid[j], log_grid[j + 1]),
            args=(all_idx[inner],),
            tolerances={"xatol": 1e-6, "xrtol": 0.0, "frtol": 1e-8},
        )
        log_k[inner] = np.where(np.isfinite(res.x), res.x, log_k[inner])

    h_f = h_lo - np.exp(log_k) * span
    m, log_alpha, _ = _linear_part(h_fit, log_P_c, weight, sum_w, h_f)
    log_alpha = log_alpha + log_P_mean
    alpha = np.exp(log_alpha)
    with np.errstate(invalid="ignore", over="ignore"):
        P_hat = alpha[:, None] * (h_fit - h_f[:, None]) ** m[:, None]
        resid = np.where(filled, P_fit - P_hat, 0.0)
        sse = (resid**2).sum(axis=1)
        P_mean = np.where(filled, P_fit, 0.0).sum(axis=1) / count[used]
        sst = (np.where(filled, P_fit - P_mean[:, None], 0.0) ** 2).sum(axis=1)
        r2 = 1.0 - sse / sst
        rmse = np.sqrt(sse / count[used])

    def scatter(values: np.ndarray) -> np.ndarray:
        out = np.full(n_curves, np.nan)
        out[used] = values
        return out

    at_limit = ~usable.copy()
    at_limit[used] = ~inner
    return PowerLawFit(
        h_f_nm=scatter(h_f),
        m=scatter(m),
        alpha=scatter(alpha),
        r2=scatter(r2),
        rmse_mN=scatter(rmse),
        n_points=count,
        at_limit=at_limit,
        h_lo_nm=scatter(h_lo),
    )


def _pack(
    h_nm: np.ndarray, P_mN: np.ndarray, mask: np.ndarray, used: np.ndarray, count: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The masked points of rows ``used``, in order, at the start of (n_used, k_max) rows.

    Returns h and P (padding slots hold any value) and which slots are filled. When every
    row's points are contiguous (the usual unloading window) this is one shifted gather;
    otherwise the points are scattered to their ranks.
    """
    k_max = int(count.max())
    sub_mask = mask[used] if used.size < mask.shape[0] else mask
    slot = np.arange(k_max)[None, :]
    filled = slot < count[:, None]
    first = first_true(sub_mask)
    if np.all(last_true(sub_mask) - first + 1 == count):
        n_cols = mask.shape[1]
        flat = np.minimum(first[:, None] + slot, n_cols - 1) + (used * n_cols)[:, None]
        return np.take(h_nm.reshape(-1), flat), np.take(P_mN.reshape(-1), flat), filled
    rows, cols = np.nonzero(sub_mask)
    rank = (np.cumsum(sub_mask, axis=1) - 1)[rows, cols]
    h_fit = np.zeros((used.size, k_max))
    P_fit = np.zeros((used.size, k_max))
    h_fit[rows, rank] = h_nm[used[rows], cols]
    P_fit[rows, rank] = P_mN[used[rows], cols]
    return h_fit, P_fit, filled


#: Rows per block of the fit's objective: its temporaries stay in the CPU cache. Rows are
#: independent, so blocks give the same values as whole-array passes.
BLOCK_ROWS = 256


def _blocked(function, h_fit: np.ndarray, *row_args: np.ndarray) -> tuple[np.ndarray, ...]:
    """``function(h_fit, *row_args)`` evaluated BLOCK_ROWS rows at a time, parts joined."""
    n = h_fit.shape[0]
    if n <= BLOCK_ROWS:
        return function(h_fit, *row_args)
    parts = [
        function(*(x[r0 : r0 + BLOCK_ROWS] for x in (h_fit, *row_args)))
        for r0 in range(0, n, BLOCK_ROWS)
    ]
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


def _linear_part(
    h_fit: np.ndarray,
    log_P_c: np.ndarray,
    weight: np.ndarray,
    sum_w: np.ndarray,
    h_f: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closed-form weighted regression of centred log P on log(h - h_f), row by row.

    Returns the slope m, the intercept relative to the weighted mean of log P (add that
    mean back to get log alpha), and the weighted residual sum of squares.
    """
    return _blocked(_linear_part_rows, h_fit, log_P_c, weight, sum_w, h_f)


def _linear_part_rows(h_fit, log_P_c, weight, sum_w, h_f):
    """:func:`_linear_part` on one block of rows."""
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.log(h_fit - h_f[:, None])
        x_mean = np.einsum("ij,ij->i", weight, x) / sum_w
        x -= x_mean[:, None]
        wx = weight * x
        m = np.einsum("ij,ij->i", wx, log_P_c) / np.einsum("ij,ij->i", wx, x)
        x *= -m[:, None]
        x += log_P_c
        sse = np.einsum("ij,ij->i", weight * x, x)
    return m, -m * x_mean, sse


def _profile_sse(
    h_fit: np.ndarray,
    log_P_c: np.ndarray,
    weight: np.ndarray,
    sum_w: np.ndarray,
    syy: np.ndarray,
    h_f: np.ndarray,
) -> np.ndarray:
    """Weighted residual sum of squares of the log-linear fit at residual depth ``h_f``.

    Uses SSE = S_yy - S_xy^2 / S_xx (``log_P_c`` is already centred with the weights), which
    needs two row-wise dot products per evaluation: the hot loop of the h_f search.
    """
    return _blocked(_profile_sse_rows, h_fit, log_P_c, weight, sum_w, syy, h_f)[0]


def _profile_sse_rows(h_fit, log_P_c, weight, sum_w, syy, h_f):
    """:func:`_profile_sse` on one block of rows (as a 1-tuple, for :func:`_blocked`)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.log(h_fit - h_f[:, None])
        wx = weight * x
        sx = wx.sum(axis=1)
        sxx = np.einsum("ij,ij->i", wx, x) - sx * sx / sum_w
        sxy = np.einsum("ij,ij->i", wx, log_P_c)
        return (syy - sxy * sxy / sxx,)
