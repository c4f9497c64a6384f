"""The closed-form Oliver-Pharr relations, one function per equation.

Units: load mN, depth nm, stiffness mN/nm, area nm^2, H and E GPa
(1 mN/nm^2 = 1e6 GPa).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, "An improved technique for determining hardness and
   elastic modulus using load and displacement sensing indentation experiments",
   J. Mater. Res. 7 (1992) 1564-1583. doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, "Measurement of hardness and elastic modulus by
   instrumented indentation: advances in understanding and refinements to methodology",
   J. Mater. Res. 19 (2004) 3-20. doi:10.1557/jmr.2004.19.1.3
.. [3] R. B. King, "Elastic analysis of some punch problems for a layered medium",
   Int. J. Solids Struct. 23 (1987) 1657-1664 (the correction factor beta).
   doi:10.1016/0020-7683(87)90116-8
"""

from __future__ import annotations

import numpy as np

#: Pressure in GPa of 1 mN/nm^2.
GPA_PER_MN_PER_NM2 = 1e6


def unloading_stiffness(
    P_max_mN: np.ndarray, alpha: np.ndarray, m: np.ndarray, h_f_nm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Contact stiffness S = dP/dh of the unloading fit at the peak load.

    Parameters
    ----------
    P_max_mN : ndarray
        Peak load [mN].
    alpha : ndarray
        Prefactor of P = alpha (h - h_f)^m [mN/nm^m].
    m : ndarray
        Exponent [-].
    h_f_nm : ndarray
        Residual depth [nm].

    Returns
    -------
    S_mN_per_nm : ndarray
        m alpha (h_P - h_f)^(m - 1) = m P_max / (h_P - h_f) [mN/nm].
    h_at_Pmax_nm : ndarray
        Depth h_P where the fit reaches P_max [nm].
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        depth_below = (P_max_mN / alpha) ** (1.0 / m)
        return m * P_max_mN / depth_below, h_f_nm + depth_below


def contact_depth_nm(
    h_max_nm: np.ndarray, P_max_mN: np.ndarray, S_mN_per_nm: np.ndarray, epsilon: float = 0.75
) -> np.ndarray:
    """Contact depth h_c = h_max - epsilon P_max / S [nm] (Oliver & Pharr 1992 [1], eq. 16).

    ``epsilon`` is 0.75 for a Berkovich or paraboloid, 0.72 for a cone, 1 for a flat punch.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return h_max_nm - epsilon * P_max_mN / S_mN_per_nm


def hardness_GPa(P_max_mN: np.ndarray, A_nm2: np.ndarray) -> np.ndarray:
    """Hardness H = P_max / A(h_c) [GPa] (Oliver & Pharr 1992 [1], eq. 21)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return P_max_mN / A_nm2 * GPA_PER_MN_PER_NM2


def reduced_modulus_from_stiffness(
    S_mN_per_nm: np.ndarray, A_nm2: np.ndarray, beta: float = 1.034
) -> np.ndarray:
    """Reduced modulus E_r = sqrt(pi) / (2 beta) S / sqrt(A) [GPa].

    Oliver & Pharr 1992 [1] (eq. 1) and 2004 [2] with the correction factor beta: 1.034 for a
    Berkovich (King 1987 [3]), 1.05 as recommended in [2].
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(np.pi) / (2.0 * beta) * S_mN_per_nm / np.sqrt(A_nm2) * GPA_PER_MN_PER_NM2
