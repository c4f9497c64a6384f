"""Elastic modulus from the elastic loading under a sphere (Hertz), before the first pop-in.

Under a sphere of radius R the elastic loading is P = 4/3 E_r sqrt(R) (h - h_0)^(3/2)
(Johnson 1985), so P^(2/3) is linear in h: a straight-line fit of P^(2/3) against h gives
E_r from the slope and the true zero h_0 from the intercept. The fit stops before the
first pop-in (:func:`learners.find_popins`), where the contact yields.

References
----------
.. [1] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985), ch. 4.
.. [2] C. A. Schuh, Mater. Today 9 (2006) 32-40 (elastic loading up to the first pop-in).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from simulator.materials import DIAMOND_E_GPA, DIAMOND_NU, sample_modulus

from .cycles import find_contact
from .popins import find_popins
from .rowstats import masked_linregress


def hertz_fit(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    radius_nm: float,
    nu: float = 0.3,
    *,
    max_load_fraction: float = 0.5,
    E_i_GPa: float = DIAMOND_E_GPA,
    nu_i: float = DIAMOND_NU,
) -> pd.DataFrame:
    """Reduced and sample modulus of each curve from a Hertz fit of its elastic loading.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
    radius_nm : float
        Sphere (or conospherical tip) radius R [nm].
    nu : float
        Sample Poisson's ratio [-].
    max_load_fraction : float, default 0.5
        Highest load fitted as a fraction of the peak, when the curve has no pop-in before.

    Returns
    -------
    DataFrame, one row per curve
        ``Er_GPa``, ``E_GPa``, ``h0_nm`` (depth where the Hertz branch starts),
        ``P_fit_max_mN`` (top of the fitted loading: the first pop-in's onset or the load
        limit), ``n_fit_points``, ``r2`` (of P^(2/3) against h).
    """
    if not (np.isfinite(radius_nm) and radius_nm > 0):
        raise ValueError(f"radius_nm must be a finite number > 0. Got {radius_nm!r}.")
    h = np.atleast_2d(np.asarray(h_nm, dtype=float))
    P = np.atleast_2d(np.asarray(P_mN, dtype=float))
    n, m = P.shape
    col = np.arange(m)[None, :]
    i_contact = find_contact(h, P)["i_contact"].to_numpy()
    Pm = np.where(np.isfinite(P), P, -np.inf)
    i_peak = np.argmax(Pm, axis=1)
    P_peak = Pm[np.arange(n), i_peak]
    popins = find_popins(h, P)
    first = popins.groupby("curve")["index"].min()
    i_stop = i_peak.copy()
    i_stop[first.index.to_numpy()] = first.to_numpy()
    P_top = np.where(
        np.isin(np.arange(n), first.index.to_numpy()),
        np.take_along_axis(P, i_stop[:, None], 1)[:, 0],
        max_load_fraction * P_peak,
    )
    with np.errstate(invalid="ignore"):
        mask = (
            (col > i_contact[:, None])
            & (col <= i_stop[:, None])
            & (P > 0.02 * P_peak[:, None])
            & (P <= P_top[:, None])
            & np.isfinite(h)
        )
        y = np.where(mask, np.abs(P) ** (2.0 / 3.0), 0.0)
    slope, intercept, count = masked_linregress(h, y, mask)
    k = slope**1.5  # P = k (h - h0)^1.5 [mN / nm^1.5]
    Er = 3.0 * k / (4.0 * np.sqrt(radius_nm)) * 1e6  # mN/nm^2 -> GPa
    with np.errstate(invalid="ignore", divide="ignore"):
        fitted = slope[:, None] * h + intercept[:, None]
        resid = np.where(mask, y - fitted, 0.0)
        mean = np.where(mask, y, 0.0).sum(axis=1) / count
        total = np.where(mask, (y - mean[:, None]) ** 2, 0.0).sum(axis=1)
        r2 = 1.0 - (resid**2).sum(axis=1) / total
        h0 = -intercept / slope
    E = np.asarray(sample_modulus(Er, nu, E_i_GPa, nu_i), dtype=float).reshape(-1)
    return pd.DataFrame(
        {
            "Er_GPa": Er,
            "E_GPa": E,
            "h0_nm": h0,
            "P_fit_max_mN": P_top,
            "n_fit_points": count.astype(int),
            "r2": r2,
        }
    )
