"""Unloading stiffness from the depth as a function of the load, h = h_f + b P^n.

The Oliver-Pharr fit P = alpha (h - h_f)^m regresses the load on the depth. Depth noise
then sits in the regressor and flattens the fitted slope (regression dilution): with
0.2 nm of depth noise, a 0.2 mN indent in fused silica (an unloading of about 15 nm in
the fit window) comes out about 0.6 % too soft, so its contact area about 1 % too small.
The load of a nanoindenter is far quieter relative to its range, so the same power law
written for the depth, h = h_f + b P^n (n = 1/m), fitted by least squares in h, has no
such bias. The calibration measures its reference stiffnesses this way
(:mod:`learners.curves.calibration`).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564 (the power law).
.. [2] W. A. Fuller, Measurement Error Models, Wiley (1987), ch. 1 (attenuation of a
   least-squares slope by noise in the regressor).
"""

from __future__ import annotations

import numpy as np

#: Exponents n = 1/m searched: m from about 0.8 (n 1.25) to 5 (n 0.2).
N_GRID = np.linspace(0.2, 1.25, 106)
#: Fewest points a depth fit needs.
MIN_POINTS = 8


def stiffness_from_depth_fit(P_mN: np.ndarray, h_nm: np.ndarray, P_max_mN: float) -> float:
    """dP/dh at P_max of h = h_f + b P^n fitted to one unloading window [mN/nm].

    ``P_mN``, ``h_nm``: the window's points (finite). n on a grid (vectorised), refined by
    a parabola through the best three; h_f and b are linear (least squares for each n).
    NaN with fewer than 8 points, a best n at the grid's edge or a non-positive slope.
    """
    P = np.asarray(P_mN, float)
    h = np.asarray(h_nm, float)
    if P.size < MIN_POINTS or not P_max_mN > 0:
        return np.nan
    x = (P / P_max_mN)[None, :] ** N_GRID[:, None]  # scaled: b then is depth at P_max
    xc = x - x.mean(axis=1, keepdims=True)
    hc = h - h.mean()
    sxx = (xc**2).sum(axis=1)
    sxy = xc @ hc
    with np.errstate(invalid="ignore", divide="ignore"):
        sse = (hc**2).sum() - sxy**2 / sxx
    if not np.isfinite(sse).any():
        return np.nan
    best = int(np.nanargmin(sse))
    if best in (0, N_GRID.size - 1):
        return np.nan
    y0, y1, y2 = sse[best - 1 : best + 2]
    curvature = y0 - 2.0 * y1 + y2
    step = N_GRID[1] - N_GRID[0]
    shift = 0.5 * (y0 - y2) / curvature if curvature > 0 else 0.0
    n = N_GRID[best] + step * float(np.clip(shift, -1.0, 1.0))
    x = (P / P_max_mN) ** n
    xc = x - x.mean()
    b = float(xc @ hc / (xc @ xc))
    dh_dP = b * n / P_max_mN  # d/dP of b (P / P_max)^n at P_max
    return 1.0 / dh_dP if dh_dP > 0 else np.nan
