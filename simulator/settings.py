"""Noise and defect settings a learner can tweak; each one is off (zero) by default.

Each field's docstring entry says what it does and what physics it follows; the curve
simulator (:mod:`simulator.curves`) applies them and records their ground truth.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

ELBOW_KINDS = ("elbow", "popout")
POPIN_CONTROLS = ("open_loop", "feedback")


def _check_non_negative(obj, skip: tuple[str, ...] = ()) -> None:
    for f in fields(obj):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if not (np.isfinite(value) and value >= 0):
            raise ValueError(f"{f.name} must be a finite number >= 0. Got {value!r}.")


@dataclass(frozen=True)
class Noise:
    """Measurement noise: white Gaussian noise on the load and displacement signals.

    Parameters
    ----------
    load_noise_mN : float
        Standard deviation of the load noise [mN].
    depth_noise_nm : float
        Standard deviation of the displacement noise [nm].
    """

    load_noise_mN: float = 0.0
    depth_noise_nm: float = 0.0

    def __post_init__(self) -> None:
        _check_non_negative(self)

    def as_dict(self) -> dict:
        """The settings as a plain dict."""
        return asdict(self)


#: Typical noise of a lab nanoindenter at a 10 mN scale (used as "default noise").
DEFAULT_NOISE = Noise(load_noise_mN=0.0005, depth_noise_nm=0.2)


@dataclass(frozen=True)
class Defects:
    """Physical artefacts and defects; zero means off.

    Parameters
    ----------
    drift_nm_per_s : float
        Thermal drift rate [nm/s], added to the displacement as rate * (t - t_contact) over
        the whole test (typically 0.01-0.1 nm/s).
    creep_nm : float
        Creep amplitude a [nm] of h_c(t) = h_c0 + a ln(1 + t / tau) during the hold at P_max.
        Creep goes on into the unloading at the hold's rate a / (tau + t), falling with the
        load as (P / P_max)^3: after a short hold the top of the unloading bows out (the
        "nose") and S is overestimated (Feng & Ngan, J. Mater. Res. 17 (2002) 660).
    creep_tau_s : float
        Creep time constant tau [s].
    popin_load_mN : float
        Load of a pop-in [mN]: the loading follows the elastic (Hertz) branch of the tip apex
        up to this load, then bursts at constant load onto the elastic-plastic branch.
    popin_apex_radius_nm : float
        Apex radius [nm] of the elastic pre-burst branch when the tip itself is ideally sharp.
    popin_shear_GPa : float
        Shear strength [GPa] at which the first pop-in starts, when ``popin_load_mN`` is 0:
        the onset load is where the Hertz tau_max = 0.31 p_0 under the apex reaches it
        (Johnson 1985). Refused above the ideal strength G / 2 pi; measured pop-ins start at
        G/30 to G/10 (Schuh 2006). Presets per material in
        :data:`simulator.popins.POPIN_SHEAR_FRACTION` with ``popin_from_material``.
    popin_shear_scatter : float
        Relative (log-normal) curve-to-curve scatter of that strength (0: the material's).
    popin_from_material : bool
        Take the strength of a material preset (tau/G and scatter of
        :data:`simulator.popins.POPIN_SHEAR_FRACTION`) when neither load nor strength is
        given.
    popin_count : int
        Pop-ins per curve, 0 to 3 (1 by default: a pop-in load alone gives one).
    popin_load_ratio : float
        Onset load of each later pop-in over the previous one (> 1).
    popin_next_size_fraction : float
        Size of each later burst as a fraction of the first.
    popin_control : {"open_loop", "feedback"}
        "open_loop": the burst runs at constant load; "feedback": a load-controlled
        instrument's feedback lags, the load drops by popin_feedback_mN_per_nm x the burst
        size (at most 10 % of the onset load) and recovers with time constant
        ``popin_recovery_s`` while the tip runs ahead.
    popin_feedback_mN_per_nm : float
        Load drop per nm of burst [mN/nm] (about 0.09 on the real Hysitron curves).
    popin_recovery_s : float
        Time constant of the load's recovery after a burst [s] (about 0.1 s there).
    surface_offset_nm : float
        Surface-detection (zero-point) error [nm]: the instrument's zero lies this far below
        the true surface, so every measured depth is this much too small.
    pileup_area_excess : float
        Pile-up: the true contact area is (1 + this) times the Oliver-Pharr area (0 to 0.6,
        Bolshakov & Pharr 1998).
    ise_h_star_nm : float
        Indentation size effect, Nix-Gao characteristic depth h* [nm]:
        H(h_c) = H sqrt(1 + h*/h_c).
    elbow_nm : float
        Size of an unloading elbow or pop-out [nm] (phase transformation of Si and Ge; other
        presets record it in the truth's ``defects_not_on_material``).
    elbow_load_fraction : float
        Load, as a fraction of P_max, at which the elbow or pop-out starts on unloading.
    elbow_kind : {"elbow", "popout"}
        "elbow": the displacement recovers gradually faster below the elbow load;
        "popout": it jumps back by ``elbow_nm`` at the elbow load.
    crack_load_mN : float
        Load of a cracking burst during loading [mN] (0: no crack); brittle solids (fused
        silica, sapphire, WC, SiC, Si) crack, other presets record it in
        ``defects_not_on_material``.
    crack_size_nm : float
        Displacement burst of the crack [nm].
    roughness_nm : float
        RMS surface roughness Rq [nm]: each curve's local surface height is drawn from
        N(0, Rq), shifting its depth zero.
    frame_compliance_nm_per_mN : float
        Load-frame compliance C_f [nm/mN]: the instrument records h + C_f P, the frame's
        own deflection added to the sample's (Oliver & Pharr 1992; typically 0.1-1 nm/mN).
    """

    drift_nm_per_s: float = 0.0
    creep_nm: float = 0.0
    creep_tau_s: float = 1.0
    popin_load_mN: float = 0.0
    popin_apex_radius_nm: float = 150.0
    popin_shear_GPa: float = 0.0
    popin_shear_scatter: float = 0.0
    popin_from_material: bool = False
    popin_count: int = 1
    popin_load_ratio: float = 1.6
    popin_next_size_fraction: float = 0.6
    popin_control: str = "open_loop"
    popin_feedback_mN_per_nm: float = 0.09
    popin_recovery_s: float = 0.1
    surface_offset_nm: float = 0.0
    pileup_area_excess: float = 0.0
    ise_h_star_nm: float = 0.0
    elbow_nm: float = 0.0
    elbow_load_fraction: float = 0.3
    elbow_kind: str = "elbow"
    crack_load_mN: float = 0.0
    crack_size_nm: float = 0.0
    roughness_nm: float = 0.0
    frame_compliance_nm_per_mN: float = 0.0

    def __post_init__(self) -> None:
        if self.elbow_kind not in ELBOW_KINDS:
            raise ValueError(f"elbow_kind must be one of {ELBOW_KINDS}. Got {self.elbow_kind!r}.")
        for name in ("drift_nm_per_s", "surface_offset_nm"):
            if not np.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number. Got {getattr(self, name)!r}.")
        if self.popin_control not in POPIN_CONTROLS:
            raise ValueError(
                f"popin_control must be one of {POPIN_CONTROLS}. Got {self.popin_control!r}."
            )
        _check_non_negative(
            self,
            skip=("drift_nm_per_s", "surface_offset_nm", "elbow_kind", "popin_control"),
        )
        if self.popin_count not in (0, 1, 2, 3):
            raise ValueError(f"popin_count must be 0, 1, 2 or 3. Got {self.popin_count!r}.")
        if not self.popin_load_ratio > 1:
            raise ValueError(f"popin_load_ratio must be > 1. Got {self.popin_load_ratio!r}.")
        if self.popin_recovery_s <= 0:
            raise ValueError(f"popin_recovery_s must be > 0. Got {self.popin_recovery_s!r}.")
        if self.creep_tau_s <= 0:
            raise ValueError(f"creep_tau_s must be > 0. Got {self.creep_tau_s!r}.")
        if self.popin_apex_radius_nm <= 0:
            raise ValueError(
                f"popin_apex_radius_nm must be > 0. Got {self.popin_apex_radius_nm!r}."
            )
        if self.pileup_area_excess > 1.0:
            raise ValueError(
                "pileup_area_excess must lie in [0, 1] (pile-up adds up to about 60 % area). "
                f"Got {self.pileup_area_excess!r}."
            )
        if not 0 < self.elbow_load_fraction < 1:
            raise ValueError(
                f"elbow_load_fraction must lie in (0, 1). Got {self.elbow_load_fraction!r}."
            )

    def active(self) -> list[str]:
        """Names of the defects that are switched on."""
        on = []
        if self.drift_nm_per_s != 0:
            on.append("drift")
        if self.creep_nm > 0:
            on.append("creep")
        if self.popin_count > 0 and (
            self.popin_load_mN > 0 or self.popin_shear_GPa > 0 or self.popin_from_material
        ):
            on.append("popin")
        if self.surface_offset_nm != 0:
            on.append("surface_offset")
        if self.pileup_area_excess > 0:
            on.append("pileup")
        if self.ise_h_star_nm > 0:
            on.append("size_effect")
        if self.elbow_nm > 0:
            on.append(self.elbow_kind)
        if self.crack_load_mN > 0 and self.crack_size_nm > 0:
            on.append("crack")
        if self.roughness_nm > 0:
            on.append("roughness")
        return on

    def as_dict(self) -> dict:
        """The settings as a plain dict."""
        return asdict(self)


def as_noise(noise: Noise | dict | str | None) -> Noise:
    """Noise from None (clean), ``"default"``, a dict of fields, or a :class:`Noise`."""
    if noise is None:
        return Noise()
    if isinstance(noise, str):
        if noise == "default":
            return DEFAULT_NOISE
        raise ValueError(f"noise must be None, 'default', a dict or a Noise. Got {noise!r}.")
    return noise if isinstance(noise, Noise) else _from_dict(Noise, noise)


def as_defects(defects: Defects | dict | None) -> Defects:
    """Defects from None (none), a dict of fields, or a :class:`Defects`."""
    if defects is None:
        return Defects()
    return defects if isinstance(defects, Defects) else _from_dict(Defects, defects)


def _from_dict(cls, values: dict):
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(
            f"Unknown {cls.__name__} setting(s) {sorted(unknown)}. Allowed: {sorted(known)}."
        )
    return cls(**values)
