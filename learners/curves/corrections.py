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
.. [4] G. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660: creep that goes on into the
   unloading makes the apparent contact compliance too small by h_dot_hold / |P_dot_unload|.
   doi:10.1557/JMR.2002.0094
"""

from __future__ import annotations

import numpy as np

from .rowstats import column_span, masked_linregress


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


def slope_at(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray, x0: np.ndarray, degree: int
) -> np.ndarray:
    """dy/dx at x0 of a least-squares polynomial of ``degree`` on the masked points per row.

    Parameters
    ----------
    x, y : ndarray, shape (n_curves, n_points)
    mask : ndarray of bool, shape (n_curves, n_points)
    x0 : ndarray, shape (n_curves,)
        Where the slope is wanted (the end of the masked stretch, e.g. the hold's end).
    degree : int
        Polynomial degree (>= 1).

    Returns
    -------
    ndarray, shape (n_curves,)
        The slope; NaN with fewer than degree + 2 points or no spread in x.
    """
    span = column_span(mask)
    x, y, mask = x[:, span], y[:, span], mask[:, span]
    n = x.shape[0]
    count = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(mask, x - x0[:, None], 0.0)
        scale = np.abs(u).max(axis=1) if u.shape[1] else np.zeros(n)
        good = (count >= degree + 2) & (scale > 0) & np.isfinite(scale)
        u = u / np.where(good, scale, 1.0)[:, None]
        powers = u[:, :, None] ** np.arange(2 * degree + 1)[None, None, :]
        powers = np.where(mask[:, :, None], powers, 0.0)
        moments = powers.sum(axis=1)  # (n, 2 degree + 1)
        k = np.arange(degree + 1)
        M = moments[:, k[:, None] + k[None, :]]
        b = (powers[:, :, : degree + 1] * np.where(mask, y, 0.0)[:, :, None]).sum(axis=1)
        M = np.where(good[:, None, None], M, np.eye(degree + 1))
        coef = np.linalg.solve(M, b[:, :, None])[:, :, 0]
        return np.where(good, coef[:, 1] / np.where(good, scale, 1.0), np.nan)


def feng_ngan_stiffness_mN_per_nm(
    S_apparent_mN_per_nm: np.ndarray,
    creep_rate_nm_per_s: np.ndarray,
    unloading_rate_mN_per_s: np.ndarray,
) -> np.ndarray:
    """Elastic contact stiffness S_e from the apparent one at the unloading start [mN/nm].

    Notes
    -----
    Feng & Ngan [4]_: 1/S_e = 1/S_u + h_dot_h / |P_dot_u|, with S_u = dP/dh measured at the
    start of the unloading, h_dot_h the displacement rate at the end of the hold and P_dot_u
    the unloading rate. Creep that goes on into the unloading adds h_dot_h dt to the depth
    while the load falls by |P_dot_u| dt, so the measured compliance dh/dP falls short of
    the elastic one by h_dot_h / |P_dot_u| (a negative dh/dP is the "nose").
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        compliance = 1.0 / S_apparent_mN_per_nm + creep_rate_nm_per_s / np.abs(
            unloading_rate_mN_per_s
        )
        return np.where(compliance > 0, 1.0 / compliance, np.nan)
