"""Self-consistent contact mechanics of the loading branch, parametrised by contact depth.

At each contact depth h_c the simulator takes (Oliver & Pharr 1992, 2004 [1, 2])

    A   = (1 + x_pu) A_tip(h_c)                    true projected contact area
    p_m = p_m(a, h_c)                               mean contact pressure (below)
    P   = p_m A
    S   = 2 beta E_r sqrt(A / pi)
    h   = h_c + eps P / S

where x_pu is the pile-up area excess (the Oliver-Pharr area misses it, Bolshakov & Pharr
1998 [3]), p_elastic the elastic (Hertz or Sneddon) mean pressure of the tip [4] and
H(h_c) = H sqrt(1 + h*/h_c) the Nix-Gao size effect [5]. For an ideal Berkovich and constant
H this is Kick's law P = C h^2, and the Oliver-Pharr analysis of the matching unloading
returns the input H and E exactly. For a sphere in the elastic range with beta = 1 it is
Hertz's P = 4/3 E_r sqrt(R) h^(3/2) exactly.

Mean pressure of a rounded tip or sphere (Johnson 1985 [4], section 6.2 and Fig. 6.15): with
Tabor's Y = H / 2.8 [6], the contact is elastic (Hertz, p_m = 4 E_r a / (3 pi R)) up to first
yield at p_m = 1.1 Y (about 0.39 H); beyond it the expanding-cavity model gives
p_m = 1.1 Y + (2/3) Y ln(p_Hertz / 1.1 Y), which reaches full plasticity p_m = H = 2.8 Y at
E_r a / (Y R) of about 33 (Johnson: about 30-40). An ideal Berkovich is self-similar and fully
plastic from the first contact: p_m = min(E_r cot(theta) / 2, H).

The load is the control variable, so the branch is inverted P -> h_c on a geometric grid
of contact depths, row by row, with log-log interpolation (exact for power laws).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3.
.. [3] A. Bolshakov, G. M. Pharr, J. Mater. Res. 13 (1998) 1049.
.. [4] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985).
.. [5] W. D. Nix, H. Gao, J. Mech. Phys. Solids 46 (1998) 411.
.. [6] D. Tabor, The Hardness of Metals, Clarendon Press, Oxford (1951): H = C Y, C = 2.8-3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tips import (
    BERKOVICH_AREA_COEFF,
    BERKOVICH_CONE_HALF_ANGLE,
    Tip,
    contact_area_nm2,
    elastic_mean_pressure_GPa,
)

#: GPa * nm^2 -> mN  (1 GPa = 1e-6 mN/nm^2)
GPA_NM2_TO_MN = 1e-6
_GRID_POINTS = 160
#: Tabor's constraint factor H / Y (Tabor 1951 [6]; Johnson 1985 [4], section 6.2).
TABOR_H_OVER_Y = 2.8
#: Mean pressure at first yield under a sphere, p_m / Y (Johnson 1985 [4], eq. 6.9: 1.1).
FIRST_YIELD_PM_OVER_Y = 1.1
#: Slope d p_m / d ln(a) over Y of the expanding-cavity model (Johnson 1985 [4], 6.2): 2/3.
CAVITY_SLOPE = 2.0 / 3.0


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


def first_yield_pressure_GPa(model: ContactModel, hc_nm: np.ndarray) -> np.ndarray:
    """Mean pressure at first yield p_y = 1.1 Y = 1.1 H(h_c) / 2.8 [GPa] (Johnson 1985, 6.2)."""
    return FIRST_YIELD_PM_OVER_Y / TABOR_H_OVER_Y * hardness_GPa(model, hc_nm)


def mean_pressure_GPa(
    model: ContactModel, hc_nm: np.ndarray, *, elastic_only: bool = False, tip: Tip | None = None
) -> np.ndarray:
    """Mean contact pressure p_m at contact depth h_c [GPa].

    Ideal Berkovich: min(Sneddon cone value, H(h_c)), fully plastic from the first contact.
    Sphere or rounded Berkovich (Johnson 1985 [4], 6.2): Hertz up to first yield at
    p_y = 1.1 Y (Y = H / 2.8, Tabor), then the expanding cavity
    p_y + (2/3) Y ln(p_Hertz / p_y), capped by the cone's elastic value and by H(h_c) (full
    plasticity). ``elastic_only`` keeps the elastic pressure beyond yield: the pre-burst
    branch of a pop-in in a defect-free volume.
    """
    tip = tip or model.tip
    a_nm = np.sqrt(true_area_nm2(model, hc_nm, tip) / np.pi)
    p_el = elastic_mean_pressure_GPa(tip, a_nm, model.Er_GPa)
    if elastic_only:
        return p_el
    H = hardness_GPa(model, hc_nm)
    if tip.is_sharp:
        return np.minimum(p_el, H)
    Y = H / TABOR_H_OVER_Y
    p_y = FIRST_YIELD_PM_OVER_Y * Y
    p_hertz = 4.0 * model.Er_GPa * a_nm / (3.0 * np.pi * tip.radius_nm)
    with np.errstate(divide="ignore"):
        cavity = p_y + CAVITY_SLOPE * Y * np.log(np.maximum(p_hertz / p_y, 1.0))
    return np.minimum(np.minimum(p_el, cavity), H)


def load_mN(
    model: ContactModel, hc_nm: np.ndarray, *, elastic_only: bool = False, tip: Tip | None = None
) -> np.ndarray:
    """Load P(h_c) = p_m A on the loading branch [mN] (:func:`mean_pressure_GPa`).

    ``elastic_only`` keeps the elastic pressure beyond yield: the pre-burst branch of a pop-in
    in a defect-free volume. ``tip`` overrides the model's tip (the apex of a sharp tip).
    """
    tip = tip or model.tip
    area = true_area_nm2(model, hc_nm, tip)
    p_m = mean_pressure_GPa(model, hc_nm, elastic_only=elastic_only, tip=tip)
    return p_m * area * GPA_NM2_TO_MN


def plastic_fraction(model: ContactModel, hc_nm: np.ndarray) -> np.ndarray:
    """How far the contact is from elastic (0) to fully plastic (1) [-].

    (p_m - p_Hertz-at-yield) / (H - p_y) in ln of the Hertz pressure: 0 up to first yield,
    1 at full plasticity (Johnson 1985 [4], 6.2); always 1 for an ideal Berkovich.
    """
    if model.tip.is_sharp:
        return np.ones(np.broadcast_shapes(model.H_GPa.shape, np.shape(hc_nm)))
    H = hardness_GPa(model, hc_nm)
    p_y = first_yield_pressure_GPa(model, hc_nm)
    p_m = mean_pressure_GPa(model, hc_nm)
    return np.clip((p_m - p_y) / (H - p_y), 0.0, 1.0)


def transition_loads_mN(model: ContactModel) -> tuple[np.ndarray, np.ndarray]:
    """Loads of first yield (p_m = 1.1 Y) and of full plasticity (p_m = H) [mN], shape (n,).

    Johnson 1985 [4], 6.2. An ideal Berkovich yields at once: both are 0. Hertz gives the
    contact radius where p_Hertz = 4 E_r a / (3 pi R) meets 1.1 Y, or the cavity model's
    full-plasticity pressure 1.1 Y exp(1.7 / (2/3)); with a size effect (Y depends on h_c)
    the crossing is found on a geometric grid of contact depths (log-log interpolation).
    NaN where a rounded tip's cone caps the elastic pressure below it.
    """
    n = model.H_GPa.shape[0]
    tip = model.tip
    if tip.is_sharp:
        return np.zeros(n), np.zeros(n)
    R = tip.radius_nm
    Er = model.Er_GPa[:, 0]
    cone = 0.5 * Er / np.tan(BERKOVICH_CONE_HALF_ANGLE)
    full = np.exp((TABOR_H_OVER_Y - FIRST_YIELD_PM_OVER_Y) / CAVITY_SLOPE)
    sized = np.any(model.h_star_nm > 0)
    if sized:
        span = tip.max_contact_depth_nm() if tip.kind == "sphere" else 1e3 * R
        log_hc = np.log(span * np.geomspace(1e-9, 1.0, 200))[None, :]
        hc_grid = np.broadcast_to(np.exp(log_hc), (n, log_hc.size))
        a_grid = np.sqrt(true_area_nm2(model, hc_grid) / np.pi)
        p_hertz = 4.0 * model.Er_GPa * a_grid / (3.0 * np.pi * R)
        p_y_grid = first_yield_pressure_GPa(model, hc_grid)
    out = []
    for factor in (1.0, full):
        if sized:
            log_ratio = np.log(p_hertz / (factor * p_y_grid))
            log_hc_x = _interp_rows(np.zeros((n, 1)), log_ratio, np.log(hc_grid))
            hc_x = np.exp(log_hc_x)[:, 0]
            reached = (log_ratio[:, -1] > 0) & (log_ratio[:, 0] < 0)
        else:
            p_x = factor * FIRST_YIELD_PM_OVER_Y / TABOR_H_OVER_Y * model.H_GPa[:, 0]
            a_x = p_x * 3.0 * np.pi * R / (4.0 * Er) / np.sqrt(model.area_factor[:, 0])
            hc_x = _contact_depth_from_radius_nm(tip, a_x)
            reached = np.isfinite(hc_x)
        p_needed = min(factor * FIRST_YIELD_PM_OVER_Y, TABOR_H_OVER_Y) / TABOR_H_OVER_Y
        H_x = hardness_GPa(model, np.nan_to_num(hc_x, nan=1.0)[:, None])[:, 0]
        if tip.kind == "berkovich":  # the cone's elastic pressure must allow it
            reached &= p_needed * H_x <= cone
        hc_safe = np.where(reached, hc_x, 1.0)[:, None]
        out.append(np.where(reached, load_mN(model, hc_safe)[:, 0], np.nan))
    return out[0], out[1]


def _contact_depth_from_radius_nm(tip: Tip, a_nm: np.ndarray) -> np.ndarray:
    """Contact depth h_c [nm] of a contact circle of radius a on a sphere or rounded tip;
    NaN beyond a sphere's radius. Inverts :func:`simulator.tips.contact_radius_nm`."""
    R = tip.radius_nm
    with np.errstate(invalid="ignore"):
        on_sphere = R - np.sqrt(R**2 - a_nm**2)
    if tip.kind == "sphere":
        return on_sphere
    theta = BERKOVICH_CONE_HALF_ANGLE
    h_t, a_t = R * (1.0 - np.sin(theta)), R * np.cos(theta)
    return np.where(a_nm < a_t, on_sphere, h_t + (a_nm - a_t) / np.tan(theta))


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
