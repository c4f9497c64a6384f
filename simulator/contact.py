"""Self-consistent contact mechanics of the loading branch, parametrised by contact depth.

At each contact depth h_c the simulator takes (Oliver & Pharr 1992, 2004 [1, 2])

    A   = (1 + x_pu) A_tip(h_c)                    true projected contact area
    p_m = min(p_elastic(a), H(h_c))                 mean contact pressure
    P   = p_m A
    S   = 2 beta E_r sqrt(A / pi)
    h   = h_c + eps P / S

where x_pu is the pile-up area excess (the Oliver-Pharr area misses it, Bolshakov & Pharr
1998 [3]), p_elastic the elastic (Hertz or Sneddon) mean pressure of the tip [4] and
H(h_c) = H sqrt(1 + h*/h_c) the Nix-Gao size effect [5]. For an ideal Berkovich and constant
H this is Kick's law P = C h^2, and the Oliver-Pharr analysis of the matching unloading
returns the input H and E exactly. For a sphere in the elastic range with beta = 1 it is
Hertz's P = 4/3 E_r sqrt(R) h^(3/2) exactly.

The load is the control variable, so the branch is inverted P -> h_c on a geometric grid
of contact depths, row by row, with log-log interpolation (exact for power laws).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3.
.. [3] A. Bolshakov, G. M. Pharr, J. Mater. Res. 13 (1998) 1049.
.. [4] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985).
.. [5] W. D. Nix, H. Gao, J. Mech. Phys. Solids 46 (1998) 411.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tips import BERKOVICH_AREA_COEFF, Tip, contact_area_nm2, elastic_mean_pressure_GPa

#: GPa * nm^2 -> mN  (1 GPa = 1e-6 mN/nm^2)
GPA_NM2_TO_MN = 1e-6
_GRID_POINTS = 160


@dataclass(frozen=True)
class ContactModel:
    """Per-curve contact parameters, arrays of shape (n_curves, 1) for broadcasting.

    Attributes
    ----------
    Er_GPa, H_GPa : reduced modulus and macroscopic hardness [GPa]
    h_star_nm : Nix-Gao characteristic depth [nm] (0: no size effect)
    area_factor : 1 + pile-up area excess [-]
    """

    tip: Tip
    Er_GPa: np.ndarray
    H_GPa: np.ndarray
    h_star_nm: np.ndarray
    area_factor: np.ndarray
    epsilon: float = 0.75
    beta: float = 1.034


def hardness_GPa(model: ContactModel, hc_nm: np.ndarray) -> np.ndarray:
    """Depth-dependent hardness H(h_c) = H sqrt(1 + h*/h_c) (Nix & Gao 1998) [GPa]."""
    if not np.any(model.h_star_nm):
        return np.broadcast_to(model.H_GPa, np.broadcast_shapes(model.H_GPa.shape, np.shape(hc_nm)))
    return model.H_GPa * np.sqrt(1.0 + model.h_star_nm / np.maximum(hc_nm, 1e-300))


def true_area_nm2(model: ContactModel, hc_nm: np.ndarray, tip: Tip | None = None) -> np.ndarray:
    """True projected contact area at Oliver-Pharr contact depth h_c [nm^2]."""
    return model.area_factor * contact_area_nm2(tip or model.tip, hc_nm)


def stiffness_mN_per_nm(model: ContactModel, area_nm2: np.ndarray) -> np.ndarray:
    """Contact stiffness S = 2 beta E_r sqrt(A/pi) [mN/nm] (Oliver & Pharr 1992, eq. 1)."""
    return 2.0 * model.beta * model.Er_GPa * np.sqrt(area_nm2 / np.pi) * GPA_NM2_TO_MN


def load_mN(
    model: ContactModel, hc_nm: np.ndarray, *, elastic_only: bool = False, tip: Tip | None = None
) -> np.ndarray:
    """Load P(h_c) on the loading branch [mN].

    ``elastic_only`` keeps the elastic pressure beyond yield: the pre-burst branch of a pop-in
    in a defect-free volume. ``tip`` overrides the model's tip (the apex of a sharp tip).
    """
    tip = tip or model.tip
    area = true_area_nm2(model, hc_nm, tip)
    p_el = elastic_mean_pressure_GPa(tip, np.sqrt(area / np.pi), model.Er_GPa)
    p_m = p_el if elastic_only else np.minimum(p_el, hardness_GPa(model, hc_nm))
    return p_m * area * GPA_NM2_TO_MN


def displacement_nm(
    model: ContactModel, hc_nm: np.ndarray, P_mN: np.ndarray, tip: Tip | None = None
) -> np.ndarray:
    """Total displacement h = h_c + eps P / S at contact depth h_c under load P [nm]."""
    S = stiffness_mN_per_nm(model, true_area_nm2(model, hc_nm, tip))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(P_mN > 0, hc_nm + model.epsilon * P_mN / S, 0.0)


def contact_depth_at_load(
    model: ContactModel,
    P_mN: np.ndarray,
    *,
    elastic_only: bool = False,
    tip: Tip | None = None,
) -> np.ndarray:
    """Invert the loading branch: contact depth h_c [nm] at loads ``P_mN`` (n_curves, k).

    Rows are independent curves. Loads <= 0 give h_c = 0.

    Raises
    ------
    ValueError
        If a sphere cannot carry the load (contact depth would exceed its radius).
    """
    tip = tip or model.tip
    P_mN = np.asarray(P_mN, dtype=float)
    n = P_mN.shape[0]
    P_top = np.max(P_mN, axis=1, keepdims=True)
    # First guess of the deepest contact from Kick's law with the macroscopic hardness and
    # a generous margin; grown where it is still too shallow.
    hc_hi = 4.0 * np.sqrt(P_top / (BERKOVICH_AREA_COEFF * model.H_GPa * GPA_NM2_TO_MN))
    hc_hi = np.broadcast_to(hc_hi + 4.0 * tip.radius_nm, (n, 1)).copy()
    limit = tip.max_contact_depth_nm()
    if np.isfinite(limit):
        hc_hi = np.minimum(hc_hi, limit)
    for _ in range(60):
        short = load_mN(model, hc_hi, elastic_only=elastic_only, tip=tip) < P_top
        if not short.any():
            break
        if np.isfinite(limit) and np.any(short & (hc_hi >= limit)):
            raise ValueError(
                f"The sphere (R = {tip.radius_nm:g} nm) cannot carry this load: the contact "
                "depth would exceed its radius. Lower P_max_mN or use a larger radius."
            )
        hc_hi = np.where(short, hc_hi * 2.0, hc_hi)
        if np.isfinite(limit):
            hc_hi = np.minimum(hc_hi, limit)
    log_grid = np.log(hc_hi * np.geomspace(1e-7, 1.0, _GRID_POINTS)[None, :])
    log_P_grid = np.log(load_mN(model, np.exp(log_grid), elastic_only=elastic_only, tip=tip))
    slope_grid = np.gradient(log_P_grid, axis=1) / np.gradient(log_grid, axis=1)
    positive = P_mN > 0
    log_P = np.log(np.where(positive, P_mN, P_top))
    log_hc = _interp_rows(log_P, log_P_grid, log_grid)
    # Two Newton steps in log-log space with the grid's local exponent d ln P / d ln h_c
    # take the interpolation error from ~1e-4 to rounding level.
    slope = _interp_rows(log_P, log_P_grid, slope_grid)
    for _ in range(2):
        log_P_here = np.log(load_mN(model, np.exp(log_hc), elastic_only=elastic_only, tip=tip))
        log_hc = log_hc - (log_P_here - log_P) / slope
    if np.isfinite(limit):
        log_hc = np.minimum(log_hc, np.log(limit))
    return np.where(positive, np.exp(log_hc), 0.0)


def _interp_rows(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Row-wise linear interpolation (each row of ``xp`` increasing) in one np.interp call.

    Rows are laid end to end on one axis, each shifted into its own band, so that a single
    vectorised :func:`numpy.interp` serves the whole batch.
    """
    n = x.shape[0]
    lo = min(x.min(), xp.min())
    span = max(x.max(), xp.max()) - lo + 1.0
    shift = (np.arange(n, dtype=float) * span)[:, None] - lo
    flat = np.interp((x + shift).ravel(), (xp + shift).ravel(), fp.ravel())
    return flat.reshape(x.shape)
