"""Corrections of the measured displacement: frame compliance, thermal drift, depth zero.

Each function works on all curves at once, with boolean masks choosing the points used.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583 (frame compliance:
   1/S_total = 1/S + C_f). doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20 (thermal drift measured on a
   hold at low load). doi:10.1557/jmr.2004.19.1.3
.. [3] F. Kick, Das Gesetz der proportionalen Widerstaende und seine Anwendungen, Leipzig
   (1885): P = C h^2 for a geometrically similar (sharp) indenter.
"""

from __future__ import annotations

import numpy as np

from .rowstats import masked_linregress


def remove_frame_compliance(
    h_nm: np.ndarray, P_mN: np.ndarray, frame_compliance_nm_per_mN: float
) -> np.ndarray:
    """Displacement of the sample alone, h - C_f P [nm].

    Parameters
    ----------
    h_nm : ndarray, shape (n_curves, n_points)
        Measured displacement [nm].
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN].
    frame_compliance_nm_per_mN : float
        Load-frame compliance C_f [nm/mN].

    Notes
    -----
    The frame and the contact are springs in series, so the measured unloading stiffness
    obeys 1/S_measured = 1/S + C_f [1]_; subtracting C_f P from every depth removes it.
    """
    if frame_compliance_nm_per_mN == 0:
        return h_nm
    return h_nm - frame_compliance_nm_per_mN * P_mN


def drift_rate_nm_per_s(h_nm: np.ndarray, t_s: np.ndarray, hold: np.ndarray) -> np.ndarray:
    """Thermal drift rate: slope of displacement against time on a hold [nm/s].

    Parameters
    ----------
    h_nm : ndarray, shape (n_curves, n_points)
        Displacement [nm].
    t_s : ndarray, shape (n_curves, n_points)
        Time [s].
    hold : ndarray of bool, shape (n_curves, n_points)
        Points of the low-load hold (see :func:`learners.curves.segments.drift_hold_mask`).

    Returns
    -------
    ndarray, shape (n_curves,)
        Least-squares slope dh/dt [nm/s]; NaN for a curve without hold points.

    Notes
    -----
    At a low constant load creep has died out and the contact barely changes, so what the
    displacement still does is thermal drift of the frame and sample [2]_.
    """
    slope, _, _ = masked_linregress(t_s, h_nm, hold)
    return slope


def kick_zero_point_nm(h_nm: np.ndarray, P_mN: np.ndarray, loading: np.ndarray) -> np.ndarray:
    """Depth zero h0 from Kick's law P = C (h - h0)^2 on the loading [nm].

    Parameters
    ----------
    h_nm : ndarray, shape (n_curves, n_points)
        Displacement [nm].
    P_mN : ndarray, shape (n_curves, n_points)
        Load [mN].
    loading : ndarray of bool, shape (n_curves, n_points)
        Loading points to fit (e.g. between 10 % and 50 % of P_max).

    Returns
    -------
    ndarray, shape (n_curves,)
        h0 [nm]: the depth where the fitted loading curve meets zero load. Subtract it from
        h to move the depth zero onto the surface. NaN with fewer than 2 points.

    Notes
    -----
    sqrt(P) = sqrt(C) (h - h0) is a straight line in h; its intercept with the h axis is
    h0 [3]_. Exact for a sharp tip and depth-independent hardness; a rounded tip or a size
    effect bias it.
    """
    with np.errstate(invalid="ignore"):
        root_P = np.sqrt(np.where(loading, P_mN, 0.0))
    slope, intercept, _ = masked_linregress(h_nm, root_P, loading)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(slope > 0, -intercept / slope, np.nan)
