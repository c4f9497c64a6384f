"""Pop-ins: onset from the shear strength under the tip's apex, several bursts per curve,
and the load drop of a load-controlled instrument's feedback.

A pop-in starts when the largest shear stress under the elastic (Hertz) contact of the
tip's apex, tau_max = 0.31 p_0 (Johnson 1985), reaches the material's strength for
homogeneous dislocation nucleation: measured about G/30 to G/10 (Schuh 2006; Gouldstone et
al. 2007), below the ideal shear strength of about G / 2 pi (Frenkel). Then the tip bursts
onto the elastic-plastic branch. Later bursts follow a stretch where the curve lags behind
that branch (the sample stiffens while sources are exhausted) and bursts back onto it.
An open-loop instrument records a burst at constant load; one with load feedback cannot
follow the tip, so the load drops and recovers within about 0.1 s while the tip runs ahead
(real Hysitron curves: a few mN at 100 mN).

References
----------
.. [1] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985), ch. 4:
   p_0 = (6 P E_r^2 / (pi^3 R^2))^(1/3), tau_max = 0.31 p_0 at 0.48 a below the surface.
.. [2] C. A. Schuh, Mater. Today 9 (2006) 32-40. doi:10.1016/S1369-7021(06)71495-X
.. [3] A. Gouldstone et al., Acta Mater. 55 (2007) 4015-4039.
   doi:10.1016/j.actamat.2006.08.044
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contact import (
    contact_depth_at_load,
    displacement_nm,
    first_yield_pressure_GPa,
    true_area_nm2,
)
from .tips import Tip, elastic_mean_pressure_GPa

#: tau_max / p_0 under a sphere (Johnson 1985, nu = 0.3).
TAU_OVER_P0 = 0.31
#: Ideal (Frenkel) shear strength as a fraction of G.
IDEAL_SHEAR_FRACTION = 1.0 / (2.0 * np.pi)
#: Most pop-ins per curve.
MAX_POPINS = 3
#: Largest feedback load drop as a fraction of the onset load.
MAX_DROP_FRACTION = 0.1
CONTROLS = ("open_loop", "feedback")
_TYPICAL = "typical, within the measured G/30-G/10 (Schuh 2006; Gouldstone et al. 2007)"

#: Pop-in shear strength tau_max / G and its relative curve-to-curve scatter per material
#: preset (crystals that show pop-ins; typical teaching values).
POPIN_SHEAR_FRACTION: dict[str, tuple[float, float, str]] = {
    "tungsten": (0.075, 0.10, _TYPICAL),
    "copper (annealed)": (0.060, 0.10, _TYPICAL),
    "aluminium": (0.050, 0.10, _TYPICAL),
    "nickel": (0.065, 0.10, _TYPICAL),
    "ferrite": (0.060, 0.12, _TYPICAL),
    "sapphire (0001)": (0.080, 0.08, _TYPICAL),
    "silicon (100)": (0.070, 0.08, _TYPICAL),
    "Ti-6Al-4V alpha": (0.055, 0.12, _TYPICAL),
}


def shear_modulus_GPa(E_GPa, nu) -> np.ndarray:
    """G = E / (2 (1 + nu)) [GPa]."""
    return np.asarray(E_GPa, dtype=float) / (2.0 * (1.0 + np.asarray(nu, dtype=float)))


def hertz_max_shear_GPa(P_mN, R_nm, Er_GPa) -> np.ndarray:
    """Largest shear stress under a Hertz contact of radius R at load P [GPa] (Johnson)."""
    P_GPa_nm2 = np.asarray(P_mN, dtype=float) * 1e6
    p0 = (6.0 * P_GPa_nm2 * np.asarray(Er_GPa) ** 2 / (np.pi**3 * np.asarray(R_nm) ** 2)) ** (
        1.0 / 3.0
    )
    return TAU_OVER_P0 * p0


def hertz_onset_load_mN(tau_GPa, R_nm, Er_GPa) -> np.ndarray:
    """Load at which tau_max = 0.31 p_0 under a sphere of radius R reaches tau [mN]."""
    p0 = np.asarray(tau_GPa, dtype=float) / TAU_OVER_P0
    return (
        p0**3
        * np.pi**3
        * np.asarray(R_nm, dtype=float) ** 2
        / (6.0 * np.asarray(Er_GPa) ** 2)
        * 1e-6
    )


def apex_tip(tip: Tip, apex_radius_nm: float) -> Tip:
    """The tip whose elastic branch precedes a pop-in: a sharp tip gets a rounded apex."""
    return Tip("berkovich", apex_radius_nm) if tip.is_sharp else tip


def shear_onset_loads(
    material: np.ndarray,
    E_GPa: np.ndarray,
    nu: np.ndarray,
    Er_GPa: np.ndarray,
    apex_radius_nm: float,
    shear_GPa: np.ndarray,
    scatter: float,
    z: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """First pop-in load per curve from a shear strength [mN], and that strength [GPa].

    ``shear_GPa`` > 0 is used as given; where it is 0 and the material has an entry in
    :data:`POPIN_SHEAR_FRACTION`, its tau/G times G. Log-normal scatter ``scatter`` (or the
    material's) with the standard normal draws ``z``.

    Raises
    ------
    ValueError
        When a strength exceeds the ideal shear strength G / 2 pi.
    """
    G = shear_modulus_GPa(E_GPa, nu)
    preset = np.array([POPIN_SHEAR_FRACTION.get(str(m), (0.0, 0.0, ""))[:2] for m in material])
    tau = np.where(shear_GPa > 0, shear_GPa, preset[:, 0] * G)
    spread = np.where(shear_GPa > 0, scatter, np.where(scatter > 0, scatter, preset[:, 1]))
    tau = tau * np.exp(spread * z)
    over = tau > IDEAL_SHEAR_FRACTION * G
    if np.any(over):
        i = int(np.argmax(over))
        raise ValueError(
            f"popin_shear_GPa gives tau_max = {tau[i]:.3g} GPa = {tau[i] / G[i]:.2f} G, above "
            f"the ideal shear strength G/2pi = {IDEAL_SHEAR_FRACTION * G[i]:.3g} GPa: no "
            "crystal is that strong. Measured pop-ins start at about G/30 to G/10 "
            "(Schuh 2006; Gouldstone et al. 2007)."
        )
    return np.where(tau > 0, hertz_onset_load_mN(tau, apex_radius_nm, Er_GPa), 0.0), tau


@dataclass
class Popins:
    """What the pop-in code did to the loading points (n_curves, n_loading_points)."""

    h_nm: np.ndarray
    P_drop_mN: np.ndarray
    mask: np.ndarray
    truth: dict


def apply_popins(
    model,
    P_load: np.ndarray,
    h_load: np.ndarray,
    t_load: np.ndarray,
    first_load_mN: np.ndarray,
    count: np.ndarray,
    *,
    apex_radius_nm: float,
    load_ratio: float,
    next_size_fraction: float,
    control: str,
    feedback_mN_per_nm: float,
    recovery_s: float,
) -> Popins:
    """Displacement and load drop of the loading points with up to 3 pop-ins per curve.

    Parameters
    ----------
    model : simulator.contact.ContactModel
    P_load, h_load : ndarray, shape (n, k)
        Commanded loads [mN] and regular-branch depths [nm] of the loading points.
    t_load : ndarray, shape (k,)
        Their times [s].
    first_load_mN : ndarray, shape (n,)
        Onset load of the first pop-in (0: none).
    count : ndarray of int, shape (n,)
        Pop-ins per curve (0-3); the k-th starts at ``first * load_ratio**k``, while below
        the largest loading load.
    """
    n, k = P_load.shape
    apex = apex_tip(model.tip, apex_radius_nm)
    L = first_load_mN[:, None] * load_ratio ** np.arange(MAX_POPINS)[None, :]
    present = (
        (first_load_mN[:, None] > 0)
        & (np.arange(MAX_POPINS)[None, :] < count[:, None])
        & (L < P_load[:, -1:])
    )
    L = np.where(present, L, np.nan)
    L_safe = np.where(present, L, P_load[:, -1:])
    # First burst: from the apex's elastic branch onto the elastic-plastic branch.
    P_q = np.concatenate([P_load, L_safe[:, :1]], axis=1)
    hc_el = contact_depth_at_load(model, P_q, elastic_only=True, tip=apex)
    h_el_all = displacement_nm(model, hc_el, P_q, tip=apex)
    h_reg_L = displacement_nm(model, contact_depth_at_load(model, L_safe), L_safe)
    size1 = np.where(present[:, 0], np.maximum(h_reg_L[:, 0] - h_el_all[:, -1], 0.0), 0.0)
    present &= (size1 > 0)[:, None]
    size = np.where(present, size1[:, None] * next_size_fraction, 0.0)
    size[:, 0] = np.where(present[:, 0], size1, 0.0)
    L = np.where(present, L, np.nan)
    h_el = h_el_all[:, :-1]

    # Onsets, one pop-in after the other: the first loading point whose actual load (the
    # commanded one less the recovering drops of earlier bursts) reaches the onset load.
    # Feedback: the load drops at each onset and recovers exponentially.
    index = np.full((n, MAX_POPINS), -1)
    drop = np.zeros((n, MAX_POPINS))
    P_drop = np.zeros((n, k))
    for j in range(MAX_POPINS):  # at most 3 bursts, each vectorised over curves
        with np.errstate(invalid="ignore"):
            reached = (P_load - P_drop) >= L[:, j : j + 1]
        index[:, j] = np.where(present[:, j], np.argmax(reached, axis=1), -1)
        if control == "feedback":
            drop[:, j] = np.where(
                present[:, j],
                np.minimum(feedback_mN_per_nm * size[:, j], MAX_DROP_FRACTION * L[:, j]),
                0.0,
            )
            t_on = np.where(present[:, j], t_load[np.clip(index[:, j], 0, k - 1)], np.inf)
            since = t_load[None, :] - t_on[:, None]
            with np.errstate(invalid="ignore", over="ignore"):
                decay = np.where(since >= 0, np.exp(-np.maximum(since, 0.0) / recovery_s), 0.0)
            P_drop = P_drop + drop[:, j : j + 1] * decay
    P_actual = P_load - P_drop
    h_reg = h_load
    if np.any(P_drop > 0):
        h_reg = displacement_nm(model, contact_depth_at_load(model, P_actual), P_actual)

    # Lag behind the regular branch between bursts j and j + 1 (grows to size[j + 1]).
    lag = np.zeros((n, k))
    col = np.arange(k)[None, :]
    for j in range(MAX_POPINS - 1):  # at most two stretches between bursts
        between = (
            present[:, j + 1 : j + 2]
            & (col >= index[:, j : j + 1])
            & (col < index[:, j + 1 : j + 2])
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = (P_actual - L[:, j : j + 1]) / (L[:, j + 1 : j + 2] - L[:, j : j + 1])
        frac = np.clip(np.nan_to_num(frac), 0.0, 1.0)
        lag = np.where(between, size[:, j + 1 : j + 2] * frac, lag)

    # Points before the first burst that the elastic branch moved: all loaded points for a
    # sharp tip (its apex differs), else those where the elastic pressure exceeds first yield.
    if model.tip.is_sharp:
        beyond_yield = P_load > 0
    else:
        a_el = np.sqrt(true_area_nm2(model, hc_el[:, :-1], apex) / np.pi)
        p_el = elastic_mean_pressure_GPa(apex, a_el, model.Er_GPa)
        beyond_yield = (P_load > 0) & (p_el > first_yield_pressure_GPa(model, hc_el[:, :-1]))
    with np.errstate(invalid="ignore"):
        pre = present[:, :1] & (col < index[:, :1]) & beyond_yield
    h_new = np.where(pre, h_el, h_reg - lag)
    mask = pre | (lag > 0) | (P_drop > 1e-12)

    first = present[:, 0]
    with np.errstate(invalid="ignore"):
        tau = hertz_max_shear_GPa(
            np.where(first, L[:, 0], np.nan), apex.radius_nm, model.Er_GPa[:, 0]
        )
    truth = {
        "popin_count": present.sum(axis=1),
        "popin_tau_max_GPa": np.where(first, tau, np.nan),
    }
    for j in range(MAX_POPINS):
        truth[f"popin{j + 1}_load_mN"] = L[:, j]
        truth[f"popin{j + 1}_size_nm"] = np.where(present[:, j], size[:, j], np.nan)
        truth[f"popin{j + 1}_drop_mN"] = np.where(present[:, j], drop[:, j], np.nan)
        truth[f"popin{j + 1}_index"] = index[:, j]
    return Popins(h_new, P_drop, mask, truth)


def popins_on_loading(model, P_load, h_load, defects, sizes, loading: np.ndarray, t_load):
    """Pop-ins: elastic branch up to the first pop-in load, then bursts onto the regular
    branch (up to 3; :func:`simulator.popins.apply_popins`).

    The elastic branch is that of the tip's apex (Hertz for a rounded tip or sphere, Johnson
    1985); for an ideally sharp tip the apex is a sphere of ``popin_apex_radius_nm``. The
    burst size follows from the two branches at the pop-in load; a pop-in load below the
    elastic limit gives no burst. With ``popin_control="feedback"`` the load drops during
    each burst (returned as the drop of every point, to subtract from the recorded load).
    """
    n = P_load.shape[0]
    result = apply_popins(
        model,
        P_load,
        h_load,
        t_load,
        sizes["popin_load_mN"],
        np.round(sizes["popin_count"]).astype(int),
        apex_radius_nm=defects.popin_apex_radius_nm,
        load_ratio=defects.popin_load_ratio,
        next_size_fraction=defects.popin_next_size_fraction,
        control=defects.popin_control,
        feedback_mN_per_nm=defects.popin_feedback_mN_per_nm,
        recovery_s=defects.popin_recovery_s,
    )
    where = np.flatnonzero(loading)
    truth = result.truth
    for j in range(1, MAX_POPINS + 1):
        local = truth[f"popin{j}_index"]
        truth[f"popin{j}_index"] = np.where(local >= 0, where[np.clip(local, 0, None)], -1)
    size = np.nan_to_num(truth["popin1_size_nm"])
    index = truth["popin1_index"]
    mask = np.zeros((n, loading.size), dtype=bool)
    mask[:, loading] = result.mask
    P_drop = None
    if np.any(result.P_drop_mN > 0):
        P_drop = np.zeros((n, loading.size))
        P_drop[:, loading] = result.P_drop_mN
    return result.h_nm, size, index, mask, P_drop, truth


def popin_loads_from_shear(sizes, defects, tip, names, E_GPa, nu, Er_GPa, rng) -> np.ndarray:
    """First pop-in loads [mN] from a shear strength where no pop-in load is given: the
    given ``popin_shear_GPa``, or the material's with ``popin_from_material``
    (:func:`simulator.popins.shear_onset_loads`)."""
    wanted = (sizes["popin_count"] > 0) & (sizes["popin_load_mN"] <= 0)
    wanted &= (sizes["popin_shear_GPa"] > 0) | bool(defects.popin_from_material)
    if not wanted.any():
        return sizes["popin_load_mN"]
    z = rng.standard_normal(len(names))  # drawn after E and H: their draws do not change
    apex_nm = apex_tip(tip, defects.popin_apex_radius_nm).radius_nm
    loads, _ = shear_onset_loads(
        names, E_GPa, nu, Er_GPa, apex_nm,
        sizes["popin_shear_GPa"], defects.popin_shear_scatter, z,
    )  # fmt: skip
    return np.where(wanted, loads, sizes["popin_load_mN"])


def popin_truth_table(truth: pd.DataFrame) -> pd.DataFrame:
    """One row per simulated pop-in: ``curve``, ``popin`` (1-3), ``load_mN`` (onset),
    ``size_nm``, ``drop_mN`` (feedback load drop) and ``index`` (first point at or above the
    onset load), from a simulator truth table."""
    parts = []
    for j in range(1, MAX_POPINS + 1):
        name = f"popin{j}_load_mN"
        if name not in truth:
            continue
        rows = np.flatnonzero(np.isfinite(truth[name].to_numpy(float)))
        parts.append(
            pd.DataFrame(
                {
                    "curve": rows,
                    "popin": j,
                    "load_mN": truth[name].to_numpy(float)[rows],
                    "size_nm": truth[f"popin{j}_size_nm"].to_numpy(float)[rows],
                    "drop_mN": truth[f"popin{j}_drop_mN"].to_numpy(float)[rows],
                    "index": truth[f"popin{j}_index"].to_numpy(int)[rows],
                }
            )
        )
    columns = ["curve", "popin", "load_mN", "size_nm", "drop_mN", "index"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).sort_values(["curve", "popin"], ignore_index=True)
