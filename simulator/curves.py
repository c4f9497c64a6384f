"""Load-hold-unload curves with their ground truth, vectorised over a batch of curves.

One curve is a batch of one: :func:`simulate_curve` calls :func:`simulate_curves`.

The physical curve (loading branch of :mod:`simulator.contact`, logarithmic creep in the
hold that goes on into the unloading [3], power-law unloading P = alpha (h - h_f)^m whose
stiffness matches S at P_max [1], with the material's m) is built first; measurement
artefacts (drift, zero-point error, roughness, noise) are added on top. Every random number
comes from generators spawned from ``seed``, one per purpose, so switching one effect on or
off never changes another's draws.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564; 19 (2004) 3.
.. [2] K. L. Johnson, Contact Mechanics (1985): Hertz branch and pop-in from it.
.. [3] G. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660: creep goes on at the start of
   the unloading (the "nose"); the apparent compliance is short by h_dot_hold / |P_dot|.
.. [4] V. Domnich, Y. Gogotsi, S. Dub, Appl. Phys. Lett. 76 (2000) 2214: elbow and pop-out.
.. [5] R. B. King, Int. J. Solids Struct. 23 (1987) 1657: beta = 1.034 (Berkovich).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .contact import (
    ContactModel,
    contact_depth_at_load,
    displacement_nm,
    plastic_fraction,
    stiffness_mN_per_nm,
    transition_loads_mN,
    true_area_nm2,
)
from .materials import get_material, reduced_modulus, validate_material
from .popins import (
    IDEAL_SHEAR_FRACTION,
    popin_loads_from_shear,
    popins_on_loading,
    shear_modulus_GPa,
)
from .protocol import SEGMENT_CODES, SEGMENT_NAMES, Protocol, TimeBase, time_base
from .settings import Defects, Noise, as_defects, as_noise
from .tips import Tip, make_tip

_LOAD, _HOLD, _UNLOAD = SEGMENT_CODES["loading"], SEGMENT_CODES["hold"], SEGMENT_CODES["unloading"]
#: Stress exponent n of the creep that goes on after the hold: the rate of h_c falls as
#: (P / P_max)^n. With n = 3 the creep displacement during unloading grows as P^4 near
#: P_max, the term Feng & Ngan fit (h = h_r + c1 P^0.5 + c2 P^4) [3].
CREEP_STRESS_EXPONENT = 3
#: Unloading exponent of a purely elastic (Hertz) sphere contact [-] (Johnson 1985).
HERTZ_UNLOADING_EXPONENT = 1.5
#: Defects that occur on some materials only (Material.occurs); others occur on any.
MATERIAL_SPECIFIC_DEFECTS = ("popin", "elbow", "popout", "crack")

#: Unit, originating segment and truth column of each defect's size, for the defect table.
DEFECT_INFO: dict[str, tuple[str, str, str]] = {
    "popin": ("nm", "loading", "popin_size_nm"),
    "crack": ("nm", "loading", "crack_size_nm"),
    "size_effect": ("nm (h*)", "loading", "ise_h_star_nm"),
    "pileup": ("area fraction", "loading", "pileup_area_excess"),
    "creep": ("nm", "hold", "creep_nm"),
    "elbow": ("nm", "unloading", "elbow_nm"),
    "popout": ("nm", "unloading", "elbow_nm"),
    "drift": ("nm/s", "whole test", "drift_nm_per_s"),
    "surface_offset": ("nm", "whole test", "surface_offset_nm"),
    "roughness": ("nm", "whole test", "roughness_offset_nm"),
}


@dataclass
class Curves:
    """A batch of simulated curves on a shared time base, with their truth.

    Attributes
    ----------
    t_s, h_nm, P_mN : ndarray, shape (n_curves, n_points)
        Time [s], displacement [nm], load [mN] as an instrument records them.
    segment : ndarray of int8, shape (n_curves, n_points)
        Segment code per point; names in :data:`simulator.protocol.SEGMENT_NAMES`.
    truth : DataFrame, one row per curve
        Material, tip, true contact state at the unloading start, and each defect's size.
        Among them: ``first_yield_load_mN`` and ``full_plasticity_load_mN`` (sphere or
        rounded tip: p_m = 1.1 Y and p_m = H, Johnson 1985; 0 for an ideal Berkovich),
        ``unloading_exponent`` (the m used), ``creep_rate_hold_end_nm_per_s`` (rate of h_c
        at the end of the hold), ``creep_unloading_nm`` (creep displacement after the hold,
        the nose), ``ise_h_star_nm`` (the h* used, a preset's own included) and
        ``defects_not_on_material`` (material-specific defects switched on for a preset that
        does not show them, e.g. "elbow" on tungsten; "" otherwise).
    defect_points : dict[str, ndarray of bool, shape (n_curves, n_points)]
        For each defect switched on, the points whose value it changed.
    protocol, tip : the settings used; epsilon, beta: the contact constants used.
    """

    t_s: np.ndarray
    h_nm: np.ndarray
    P_mN: np.ndarray
    segment: np.ndarray
    truth: pd.DataFrame
    defect_points: dict[str, np.ndarray]
    protocol: Protocol
    tip: Tip
    epsilon: float = 0.75
    beta: float = 1.034

    @property
    def n_curves(self) -> int:
        """Number of curves."""
        return self.h_nm.shape[0]

    @property
    def n_points(self) -> int:
        """Number of points per curve."""
        return self.h_nm.shape[1]

    @property
    def defect_table(self) -> pd.DataFrame:
        """Long table: one row per (curve, defect) with size, unit, segment and index range.

        ``start_index`` is the first changed point and ``stop_index`` one past the last.
        """
        return self._defect_table(np.arange(self.n_curves))

    def _defect_table(self, curves: np.ndarray) -> pd.DataFrame:
        """The defect table of the curves with indices ``curves`` (vectorised per defect)."""
        parts = []
        for name, mask in self.defect_points.items():
            mask = mask[curves]
            rows = np.flatnonzero(mask.any(axis=1))
            unit, segment, size_column = DEFECT_INFO[name]
            parts.append(
                pd.DataFrame(
                    {
                        "curve": curves[rows],
                        "defect": name,
                        "size": self.truth[size_column].to_numpy(float)[curves[rows]],
                        "unit": unit,
                        "segment": segment,
                        "start_index": np.argmax(mask[rows], axis=1),
                        "stop_index": mask.shape[1] - np.argmax(mask[rows, ::-1], axis=1),
                    }
                )
            )
        columns = ["curve", "defect", "size", "unit", "segment", "start_index", "stop_index"]
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)[columns]

    def curve(self, i: int) -> Curve:
        """Curve ``i`` of the batch as a :class:`Curve`."""
        if not -self.n_curves <= i < self.n_curves:
            raise IndexError(f"curve index {i} out of range for {self.n_curves} curves.")
        i = i % self.n_curves
        table = self._defect_table(np.array([i])).drop(columns="curve")
        return Curve(
            t_s=self.t_s[i],
            h_nm=self.h_nm[i],
            P_mN=self.P_mN[i],
            segment=self.segment[i],
            truth=self.truth.iloc[i].to_dict(),
            defect_points={k: v[i] for k, v in self.defect_points.items()},
            defect_table=table,
            protocol=self.protocol,
            tip=self.tip,
        )


@dataclass
class Curve:
    """One simulated curve: 1-D arrays ``t_s``, ``h_nm``, ``P_mN``, ``segment`` and its truth."""

    t_s: np.ndarray
    h_nm: np.ndarray
    P_mN: np.ndarray
    segment: np.ndarray
    truth: dict
    defect_points: dict[str, np.ndarray]
    defect_table: pd.DataFrame
    protocol: Protocol
    tip: Tip
    extra: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The curve as a table with unit-bearing columns and segment names."""
        return pd.DataFrame(
            {
                "t_s": self.t_s,
                "h_nm": self.h_nm,
                "P_mN": self.P_mN,
                "segment": np.asarray(SEGMENT_NAMES)[self.segment],
            }
        )


def simulate_curve(**kwargs) -> Curve:
    """Simulate one curve; takes the keyword arguments of :func:`simulate_curves` but ``n``."""
    if "n" in kwargs:
        raise TypeError("simulate_curve makes one curve; use simulate_curves(n, ...) for more.")
    return simulate_curves(1, **kwargs).curve(0)


def simulate_curves(
    n: int = 1,
    *,
    E: float | np.ndarray | None = None,
    nu: float | np.ndarray | None = None,
    H: float | np.ndarray | None = None,
    material: str | None = None,
    scatter: float = 0.0,
    tip: str | Tip = "berkovich",
    tip_radius_nm: float | None = None,
    protocol: Protocol | dict | None = None,
    noise: Noise | dict | str | None = None,
    defects: Defects | dict | None = None,
    epsilon: float = 0.75,
    beta: float | None = None,
    unloading_exponent: float | np.ndarray | None = None,
    P_max_mN: float | np.ndarray | None = None,
    defects_per_curve: dict[str, np.ndarray] | None = None,
    preset_size_effect: bool = True,
    seed: int | None = 0,
) -> Curves:
    """Simulate ``n`` load-hold-unload curves and their ground truth.

    Parameters
    ----------
    n : int
        Number of curves.
    E, nu, H : float or array of shape (n,), optional
        Young's modulus [GPa], Poisson's ratio [-], hardness [GPa]. Taken from ``material``
        where not given; nu defaults to 0.3 when neither gives it.
    material : str, optional
        A key of :data:`simulator.materials.MATERIALS`.
    scatter : float
        Relative curve-to-curve scatter of E and H (log-normal, e.g. 0.05 for 5 %).
    tip : {"berkovich", "sphere"} or Tip
        Indenter. ``"berkovich"`` with no radius is the ideal sharp tip.
    tip_radius_nm : float, optional
        Rounding radius of a Berkovich, or sphere radius [nm].
    protocol : Protocol or dict, optional
        Test protocol (default :class:`Protocol`).
    noise : None, "default", dict or Noise
        Measurement noise; None gives clean curves.
    defects : None, dict or Defects
        Defects and artefacts; None gives none.
    epsilon : float
        Oliver-Pharr geometry constant used to build the curve (0.75).
    beta : float, optional
        Correction factor of S = 2 beta E_r sqrt(A/pi); default the tip's own
        (:attr:`simulator.tips.Tip.beta`: 1.034 Berkovich, King 1987 [5]; 1 sphere).
    unloading_exponent : float or array of shape (n,), optional
        Exponent m of the unloading power law under full plasticity, in [1, 2]; default the
        material's (:attr:`simulator.materials.Material.unloading_exponent`, 1.5 for custom
        E and H). A sphere or rounded tip still partly elastic unloads with m moved toward
        Hertz's 1.5 in proportion to how far it is from full plasticity
        (:func:`simulator.contact.plastic_fraction`); truth ``unloading_exponent`` is the m
        used.
    P_max_mN : float or array of shape (n,), optional
        Peak load per curve [mN], overriding ``protocol.P_max_mN`` (e.g. for a target depth).
    defects_per_curve : dict of str to array of shape (n,), optional
        Per-curve sizes overriding the same fields of ``defects``; allowed keys are
        :data:`PER_CURVE_DEFECTS` (a zero switches the defect off for that curve).
    preset_size_effect : bool
        When ``material`` is a preset whose H is a macroscopic Nix-Gao H0 (h* > 0, e.g.
        annealed copper) and no ``ise_h_star_nm`` is given, apply the preset's h*. False
        gives the macroscopic H0 at every depth.
    seed : int or None
        Seed of every random draw; same seed and settings give bit-identical curves.

    Returns
    -------
    Curves

    Notes
    -----
    Explicit defect settings are simulated on any material, as a what-if: an elbow, pop-out,
    crack or pop-in on a preset that does not show it (:attr:`Material.occurs`) is kept and
    named in the truth's ``defects_not_on_material``, so a page can say so. The datasets of
    :mod:`simulator.datasets` draw each defect only on materials that show it.
    """
    n = _check_count(n)
    E_GPa, nu_, H_GPa, names = _resolve_material(n, E, nu, H, material)
    preset = get_material(material) if material is not None else None
    proto = _as_protocol(protocol)
    noise_ = as_noise(noise)
    defects_ = as_defects(defects)
    tip_ = make_tip(tip, tip_radius_nm)
    beta = tip_.beta if beta is None else beta
    if unloading_exponent is None:
        unloading_exponent = preset.unloading_exponent if preset is not None else 1.5
    m_full = _per_curve(n, "unloading_exponent", unloading_exponent)
    if not np.all((m_full >= 1.0) & (m_full <= 2.0)):
        raise ValueError(f"unloading_exponent must lie in [1, 2]. Got {_show_values(m_full)}.")
    if not (0 < epsilon <= 1 and 0.9 <= beta <= 1.2):
        raise ValueError(
            f"epsilon must lie in (0, 1] and beta in [0.9, 1.2]. Got {epsilon}, {beta}."
        )
    P_max = _per_curve(n, "P_max_mN", proto.P_max_mN if P_max_mN is None else P_max_mN)
    if not np.all(np.isfinite(P_max)) or np.any(P_max <= 0):
        raise ValueError(f"P_max_mN must be > 0. Got {P_max.min()!r}.")
    sizes = _defect_sizes(n, defects_, defects_per_curve)
    given_h_star = defects_.ise_h_star_nm > 0 or "ise_h_star_nm" in (defects_per_curve or {})
    if preset is not None and preset.h_star_nm > 0 and preset_size_effect and not given_h_star:
        sizes["ise_h_star_nm"] = np.full(n, preset.h_star_nm)
    for name, label in (("popin_load_mN", "pop-in load"), ("crack_load_mN", "crack load")):
        late = sizes[name] >= P_max
        if np.any(late):
            i = int(np.argmax(late))
            raise ValueError(
                f"The {label} {name} ({sizes[name][i]:g} mN) must be below the peak load "
                f"P_max_mN ({P_max[i]:g} mN): it happens during loading, so the test has to "
                f"reach it. Lower the {label} or raise the peak load."
            )

    rng_material, rng_rough, rng_load, rng_depth = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    if scatter < 0 or not np.isfinite(scatter):
        raise ValueError(f"scatter must be >= 0. Got {scatter!r}.")
    z = rng_material.standard_normal((2, n))
    E_GPa = E_GPa * np.exp(scatter * z[0])
    H_GPa = H_GPa * np.exp(scatter * z[1])
    E_GPa, nu_, H_GPa = validate_material(E_GPa, nu_, H_GPa)

    tb = time_base(proto)
    model = ContactModel(
        tip=tip_,
        Er_GPa=np.asarray(reduced_modulus(E_GPa, nu_))[:, None],
        H_GPa=H_GPa[:, None],
        h_star_nm=sizes["ise_h_star_nm"][:, None],
        area_factor=1.0 + sizes["pileup_area_excess"][:, None],
        epsilon=epsilon,
        beta=beta,
    )
    if np.any(sizes["popin_shear_GPa"] > 0) or defects_.popin_from_material:
        sizes["popin_load_mN"] = popin_loads_from_shear(
            sizes, defects_, tip_, names, E_GPa, nu_, model.Er_GPa[:, 0], rng_material
        )
    physical = _physical_curve(model, proto, tb, defects_, sizes, m_full, P_max)
    h = physical.h_nm
    masks = physical.masks

    # Measurement artefacts on top of the physical curve.
    t = np.broadcast_to(tb.t_s, h.shape)
    since_contact = tb.t_s - proto.contact_time_s
    drift = sizes["drift_nm_per_s"]
    if np.any(drift != 0):
        h = h + drift[:, None] * since_contact[None, :]
        masks["drift"] = (drift != 0)[:, None] & (since_contact != 0)[None, :]
    offset = sizes["surface_offset_nm"]
    if np.any(offset != 0):
        h = h - offset[:, None]
        masks["surface_offset"] = np.broadcast_to((offset != 0)[:, None], h.shape).copy()
    rough = sizes["roughness_nm"] * rng_rough.standard_normal(n)
    if np.any(rough != 0):
        h = h - rough[:, None]
        masks["roughness"] = np.broadcast_to((rough != 0)[:, None], h.shape).copy()
    P = P_max[:, None] * tb.load_fraction[None, :]
    if physical.P_drop_mN is not None:  # pop-in load drops of a feedback instrument
        P = P - physical.P_drop_mN
    frame_nm_per_mN = defects_.frame_compliance_nm_per_mN
    if frame_nm_per_mN > 0:  # the frame deflects under the true load: h_recorded = h + C_f P
        h = h + frame_nm_per_mN * P
    if noise_.load_noise_mN > 0:
        P = P + noise_.load_noise_mN * rng_load.standard_normal(h.shape)
    if noise_.depth_noise_nm > 0:
        h = h + noise_.depth_noise_nm * rng_depth.standard_normal(h.shape)

    truth = pd.DataFrame(
        {
            "material": names,
            "tip": tip_.label,
            "E_GPa": E_GPa,
            "nu": nu_,
            "H_GPa": H_GPa,
            "Er_GPa": model.Er_GPa[:, 0],
            "P_max_mN": P_max,
            **physical.truth,
            "drift_nm_per_s": drift,
            "surface_offset_nm": offset,
            "pileup_area_excess": sizes["pileup_area_excess"],
            "ise_h_star_nm": sizes["ise_h_star_nm"],
            "roughness_offset_nm": rough,
            "frame_compliance_nm_per_mN": frame_nm_per_mN,
            "load_noise_mN": noise_.load_noise_mN,
            "depth_noise_nm": noise_.depth_noise_nm,
            "defects_not_on_material": _defects_not_on_material(preset, masks, n),
        }
    )
    if "popin_tau_max_GPa" in truth:  # the onset's shear stress against the ideal strength
        truth["popin_tau_over_G"] = truth["popin_tau_max_GPa"] / shear_modulus_GPa(E_GPa, nu_)
        truth["popin_above_ideal_strength"] = truth["popin_tau_over_G"] > IDEAL_SHEAR_FRACTION
    return Curves(
        t_s=np.array(t),
        h_nm=h,
        P_mN=P,
        segment=np.broadcast_to(tb.segment, h.shape).copy(),
        truth=truth,
        defect_points=masks,
        protocol=proto,
        tip=tip_,
        epsilon=epsilon,
        beta=beta,
    )


@dataclass
class _Physical:
    h_nm: np.ndarray
    truth: dict
    masks: dict
    P_drop_mN: np.ndarray | None = None  # feedback load drops of pop-ins, (n, n_points)


def _physical_curve(
    model: ContactModel,
    proto: Protocol,
    tb: TimeBase,
    defects: Defects,
    sizes: dict[str, np.ndarray],
    m_full: np.ndarray,
    P_max_mN: np.ndarray,
) -> _Physical:
    """Displacement of the physical curve (no drift, offsets or noise) and its truth."""
    n = model.H_GPa.shape[0]
    seg = tb.segment
    P_max_col = P_max_mN[:, None]
    h = np.zeros((n, seg.size))
    masks: dict[str, np.ndarray] = {}
    truth: dict[str, np.ndarray] = {}

    # Approach: the tip moves toward the surface, no load.
    approach = seg == SEGMENT_CODES["approach"]
    h[:, approach] = -proto.approach_speed_nm_per_s * (proto.contact_time_s - tb.t_s[approach])

    # Loading branch; the commanded P_max is appended so the unloading starts from it.
    loading = seg == _LOAD
    P_load = P_max_col * np.append(tb.load_fraction[loading], 1.0)[None, :]
    hc_load = contact_depth_at_load(model, P_load)
    h_load = displacement_nm(model, hc_load, P_load)
    hc0 = hc_load[:, -1]
    h_load = h_load[:, :-1]
    P_load = P_load[:, :-1]

    popin_size = np.zeros(n)
    popin_index = np.full(n, -1)
    popin_truth: dict[str, np.ndarray] = {}
    P_drop = None
    if np.any((sizes["popin_load_mN"] > 0) & (sizes["popin_count"] > 0)):
        h_load, popin_size, popin_index, masks["popin"], P_drop, popin_truth = popins_on_loading(
            model, P_load, h_load, defects, sizes, loading, tb.t_s[loading]
        )
    cracks = (sizes["crack_load_mN"] > 0) & (sizes["crack_size_nm"] > 0)
    crack_shift = np.where(cracks, sizes["crack_size_nm"], 0.0)
    if cracks.any():
        cracked = cracks[:, None] & (P_load >= sizes["crack_load_mN"][:, None])
        h_load = h_load + crack_shift[:, None] * cracked
        masks["crack"] = np.zeros((n, seg.size), dtype=bool)
        masks["crack"][:, loading] = cracked
        masks["crack"][:, seg > _LOAD] = cracks[:, None]
    h[:, loading] = h_load

    # Hold at P_max: creep of the contact depth, h_c(t) = h_c0 + a ln(1 + t / tau).
    hold = seg == _HOLD
    t_hold = tb.time_in_segment_s[hold]
    creep = sizes["creep_nm"]
    hc_hold = hc0[:, None] + creep[:, None] * np.log1p(t_hold / defects.creep_tau_s)[None, :]
    P_hold = np.broadcast_to(P_max_col, hc_hold.shape)
    h[:, hold] = displacement_nm(model, hc_hold, P_hold) + crack_shift[:, None]
    hc_end = hc0 + creep * np.log1p(proto.hold_s / defects.creep_tau_s)
    if np.any(creep > 0):
        after_start = (seg > _HOLD) | (hold & (tb.time_in_segment_s > 0))
        masks["creep"] = (creep > 0)[:, None] & after_start[None, :]

    # Unloading: P = alpha (h - h_f)^m with dP/dh = S at P_max (Oliver & Pharr 1992). A
    # sphere or rounded tip not yet fully plastic unloads closer to Hertz (m = 1.5).
    A_end = true_area_nm2(model, hc_end[:, None])[:, 0]
    S_end = stiffness_mN_per_nm(model, A_end[:, None])[:, 0]
    if model.tip.is_sharp:
        m = m_full
    else:
        phi = plastic_fraction(model, hc_end[:, None])[:, 0]
        m = HERTZ_UNLOADING_EXPONENT + (m_full - HERTZ_UNLOADING_EXPONENT) * phi
    h_max = hc_end + model.epsilon * P_max_mN / S_end + crack_shift
    h_f = h_max - m * P_max_mN / S_end
    if np.any(h_f - crack_shift <= 0):
        i = int(np.argmax(h_f - crack_shift <= 0))
        raise ValueError(
            "These settings give a residual depth h_f <= 0: the unloading exponent m "
            f"(now {m[i]:g}) with epsilon ({model.epsilon:g}) recovers more depth than the "
            "contact holds. Lower m or raise epsilon (a purely elastic contact unloads along "
            "Hertz, m = 1.5, to h_f = 0)."
        )
    unloading = seg >= _UNLOAD
    fraction = tb.load_fraction[unloading]
    h_unload = h_f[:, None] + (h_max - h_f)[:, None] * fraction[None, :] ** (1.0 / m[:, None])
    # Creep goes on after the hold (Feng & Ngan 2002 [3]): the rate of h_c carries on from
    # the hold's a / (tau + t_hold + t) and falls with the load as (P / P_max)^n.
    creep_after = np.zeros(n)
    if np.any(creep > 0):
        # h_c creeps by d(h_c); the displacement follows with dh/dh_c of the unloading curve
        # h = h_c + (P_max / S)(eps - m + m f^(1/m)), S = S(h_c): at f = 1 the hold's own.
        shape = _creep_after_hold_shape(tb, proto, defects.creep_tau_s, unloading)
        dS = stiffness_mN_per_nm(model, true_area_nm2(model, (hc_end * (1 + 1e-6))[:, None]))
        g = P_max_mN * (dS[:, 0] - S_end) / (1e-6 * hc_end) / S_end**2
        elastic = model.epsilon - m[:, None] + m[:, None] * fraction[None, :] ** (1.0 / m[:, None])
        k = 1.0 - g[:, None] * elastic
        step = 0.5 * (k[:, 1:] + k[:, :-1]) * np.diff(shape)[None, :]
        creep_h = creep[:, None] * np.concatenate([np.zeros((n, 1)), np.cumsum(step, 1)], 1)
        h_unload = h_unload + creep_h
        creep_after = creep_h[:, -1]
    elbow_load = defects.elbow_load_fraction * P_max_mN
    elbow = sizes["elbow_nm"]
    if np.any(elbow > 0):
        below = fraction < defects.elbow_load_fraction
        if defects.elbow_kind == "elbow":
            shape = 1.0 - fraction / defects.elbow_load_fraction
        else:
            shape = np.ones(below.shape)
        shape = np.where(below, shape, 0.0)
        h_unload = h_unload - elbow[:, None] * shape[None, :]
        masks[defects.elbow_kind] = np.zeros((n, seg.size), dtype=bool)
        masks[defects.elbow_kind][:, unloading] = (elbow > 0)[:, None] & (shape > 0)[None, :]
    h[:, unloading] = h_unload

    # Size effect and pile-up change every loaded point and all that follows the loading.
    plastic = ((seg == _LOAD) & (tb.load_fraction > 0)) | (seg > _LOAD)
    for name, field_name in (("size_effect", "ise_h_star_nm"), ("pileup", "pileup_area_excess")):
        if np.any(sizes[field_name] > 0):
            masks[name] = (sizes[field_name] > 0)[:, None] & plastic[None, :]

    hold_creep = h[:, hold][:, -1] - h[:, hold][:, 0] if hold.any() else np.zeros(n)
    first_yield, full_plastic = transition_loads_mN(model)
    truth.update(
        {
            "first_yield_load_mN": first_yield,
            "full_plasticity_load_mN": full_plastic,
            "h_max_nm": h_max,
            "hc_max_nm": hc_end,
            "S_mN_per_nm": S_end,
            "A_nm2": A_end,
            "H_at_Pmax_GPa": P_max_mN / A_end * 1e6,
            "h_f_nm": h_f,
            "creep_nm": hold_creep,
            "creep_rate_hold_end_nm_per_s": creep / (defects.creep_tau_s + proto.hold_s),
            "creep_unloading_nm": creep_after,
            "unloading_exponent": m,
            "popin_load_mN": np.where(popin_size > 0, sizes["popin_load_mN"], np.nan),
            "popin_size_nm": popin_size,
            "popin_index": popin_index,
            **popin_truth,
            "crack_load_mN": np.where(cracks, sizes["crack_load_mN"], np.nan),
            "crack_size_nm": crack_shift,
            "elbow_nm": elbow,
            "elbow_load_mN": np.where(elbow > 0, elbow_load, np.nan),
        }
    )
    return _Physical(h, truth, masks, P_drop)


def _creep_after_hold_shape(
    tb: TimeBase, proto: Protocol, tau_s: float, after: np.ndarray
) -> np.ndarray:
    """Creep of h_c after the hold per nm of creep amplitude, at the points ``after`` [-].

    d h_c / dt = a (P / P_max)^n / (tau + t_hold + t), t from the unloading start, so that the
    rate is continuous with the hold's end (Feng & Ngan 2002); integrated on a grid ten times
    finer than the data (trapezoid), then read at the data points.
    """
    t0 = proto.boundaries_s[3]
    t_pts = tb.t_s[after] - t0
    t_fine = np.linspace(0.0, max(float(t_pts[-1]), 1e-12), 10 * t_pts.size + 1)
    f_fine = np.interp(t_fine + t0, tb.t_s, tb.load_fraction)
    rate = f_fine**CREEP_STRESS_EXPONENT / (tau_s + proto.hold_s + t_fine)
    cumulative = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(t_fine))])
    return np.interp(t_pts, t_fine, cumulative)


def _defects_not_on_material(preset, masks: dict, n: int) -> np.ndarray:
    """Per curve, the material-specific defects switched on although the preset does not show
    them (e.g. an elbow on a metal), comma-separated; "" when none or a custom material."""
    out = np.full(n, "", dtype=object)
    if preset is None:
        return out
    for name in MATERIAL_SPECIFIC_DEFECTS:
        if name in masks and name not in preset.occurs:
            on = masks[name].any(axis=1)
            out[on] = np.where(out[on] == "", name, out[on] + ", " + name)
    return out


#: Defect fields that ``defects_per_curve`` may set curve by curve.
PER_CURVE_DEFECTS = (
    "drift_nm_per_s",
    "creep_nm",
    "popin_load_mN",
    "popin_count",
    "popin_shear_GPa",
    "surface_offset_nm",
    "pileup_area_excess",
    "ise_h_star_nm",
    "elbow_nm",
    "crack_load_mN",
    "crack_size_nm",
    "roughness_nm",
)


def _defect_sizes(n: int, defects: Defects, per_curve: dict | None) -> dict[str, np.ndarray]:
    """Each per-curve-capable defect size as an array of shape (n,)."""
    sizes = {name: np.full(n, float(getattr(defects, name))) for name in PER_CURVE_DEFECTS}
    for name, values in (per_curve or {}).items():
        if name not in PER_CURVE_DEFECTS:
            raise ValueError(
                f"defects_per_curve cannot set {name!r}. Allowed: {', '.join(PER_CURVE_DEFECTS)}."
            )
        arr = _per_curve(n, name, values)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"defects_per_curve[{name!r}] must be finite.")
        if name not in ("drift_nm_per_s", "surface_offset_nm") and np.any(arr < 0):
            raise ValueError(f"defects_per_curve[{name!r}] must be >= 0. Got {arr.min():g}.")
        if name == "pileup_area_excess" and np.any(arr > 1):
            raise ValueError("defects_per_curve['pileup_area_excess'] must be <= 1.")
        sizes[name] = arr
    return sizes


def _check_count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number >= 1. Got {n!r}.")
    if n > 200_000:
        raise ValueError(f"n must be at most 200000 curves. Got {n}.")
    return int(n)


def _as_protocol(protocol: Protocol | dict | None) -> Protocol:
    if protocol is None:
        return Protocol()
    if isinstance(protocol, Protocol):
        return protocol
    if isinstance(protocol, dict):
        try:
            return Protocol(**protocol)
        except TypeError as err:
            raise ValueError(f"Unknown protocol setting: {err}.") from None
    raise ValueError(f"protocol must be a Protocol, a dict or None. Got {type(protocol).__name__}.")


def _resolve_material(n, E, nu, H, material):
    """E, nu, H as arrays of shape (n,) and the material name per curve."""
    name = "custom"
    if material is not None:
        preset = get_material(material)
        name = preset.name
        E = preset.E_GPa if E is None else E
        nu = preset.nu if nu is None else nu
        H = preset.H_GPa if H is None else H
    if E is None or H is None:
        raise ValueError("Give E and H (GPa), or a material preset name via material=.")
    nu = 0.3 if nu is None else nu
    E, nu, H = (_per_curve(n, label, v) for label, v in (("E", E), ("nu", nu), ("H", H)))
    return E, nu, H, np.full(n, name, dtype=object)


def _show_values(x: np.ndarray) -> str:
    """A value or the range of an array, for error messages."""
    return repr(float(x[0])) if x.size == 1 else f"values from {x.min():g} to {x.max():g}"


def _per_curve(n: int, label: str, value) -> np.ndarray:
    """A scalar or a length-n sequence as a float array of shape (n,)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{label} must be a scalar or have shape ({n},). Got {arr.shape}.")
    return arr.copy()
