"""Indenter area functions A(h_c) given by calibration coefficients (Oliver & Pharr 1992).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583, eq. 4:
   A = C0 h_c^2 + C1 h_c + C2 h_c^(1/2) + C3 h_c^(1/4) + ... doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20.
   doi:10.1557/jmr.2004.19.1.3
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: C0 of an ideal Berkovich: A = 24.5 h_c^2 [-].
IDEAL_BERKOVICH_C0 = 24.5


def polynomial_area_function(
    coefficients: Sequence[float],
) -> Callable[[np.ndarray], np.ndarray]:
    """The area function A(h_c) = C0 h_c^2 + C1 h_c + C2 h_c^(1/2) + C3 h_c^(1/4) + ...

    Parameters
    ----------
    coefficients : sequence of float
        C0 [-], C1 [nm], C2 [nm^(3/2)], C3 [nm^(7/4)], ... for h_c in nm and A in nm^2
        (Oliver & Pharr 1992 [1]_). C0 = 24.5 and no others is the ideal Berkovich. A
        sphere of radius R has the exact A = pi (2 R h_c - h_c^2): C0 = -pi, C1 = 2 pi R
        (:func:`sphere_area_coefficients`).

    Returns
    -------
    callable
        A(hc_nm) -> A_nm2, element-wise on arrays; NaN where h_c <= 0 or A <= 0 (a sphere
        deeper than its diameter).

    Raises
    ------
    ValueError
        When no coefficient is given, one is not finite, C0 = 0, or C0 < 0 without C1 > 0.
    """
    C = np.asarray(coefficients, dtype=float).ravel()
    if C.size == 0:
        raise ValueError("coefficients must hold at least C0. Got none.")
    if not np.all(np.isfinite(C)):
        raise ValueError(f"coefficients must be finite numbers. Got {C.tolist()}.")
    if C[0] == 0:
        raise ValueError(
            f"C0 must be > 0 (ideal Berkovich: {IDEAL_BERKOVICH_C0}), or < 0 with C1 > 0 for a "
            f"sphere (C0 = -pi, C1 = 2 pi R). Got {C[0]:g}."
        )
    if C[0] < 0 and not (C.size > 1 and C[1] > 0):
        raise ValueError(
            f"C0 < 0 describes a sphere and needs C1 = 2 pi R > 0 (R the radius in nm). "
            f"Got C0 = {C[0]:g} and C1 = {C[1] if C.size > 1 else 0:g}."
        )
    exponents = 2.0 ** (1 - np.arange(C.size))  # 2, 1, 1/2, 1/4, ...

    def area_nm2(hc_nm: np.ndarray) -> np.ndarray:
        hc = np.asarray(hc_nm, dtype=float)
        positive = hc > 0
        safe = np.where(positive, hc, 1.0)[..., None]
        A = (C * safe**exponents).sum(axis=-1)
        return np.where(positive & (A > 0), A, np.nan)

    return area_nm2


def sphere_area_coefficients(radius_nm: float) -> tuple[float, float]:
    """(C0, C1) of a sphere's exact area A = pi (2 R h_c - h_c^2): (-pi, 2 pi R) [-, nm]."""
    if not (np.isfinite(radius_nm) and radius_nm > 0):
        raise ValueError(f"radius_nm must be a finite number > 0. Got {radius_nm!r}.")
    return (-np.pi, 2.0 * np.pi * float(radius_nm))
