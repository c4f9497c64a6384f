"""Indenter tips: projected contact area and elastic contact pressure.

Three shapes are modelled as axisymmetric equivalents:

- ideal Berkovich: the cone with the same area-to-depth ratio, A = 24.5 h_c^2 [1];
- Berkovich with a rounding radius R: a sphere of radius R blending tangentially into that
  cone, so that A = 24.5 (h_c + h_b)^2 far from the apex with the blunting offset
  h_b = R (1/sin(theta) - 1) (theta = 70.3 deg, the equivalent cone half-angle);
- sphere of radius R: the spherical cap A = pi (2 R h_c - h_c^2) [2].

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
.. [2] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985), ch. 5.
.. [3] R. B. King, Int. J. Solids Struct. 23 (1987) 1657 (beta = 1.034 for a Berkovich).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Area-to-depth^2 ratio of an ideal Berkovich tip [-] (Oliver & Pharr 1992).
BERKOVICH_AREA_COEFF = 24.5
#: Correction factor of S = 2 beta E_r sqrt(A / pi) for a Berkovich (triangular punch, King
#: 1987 [3]); a sphere (axisymmetric, Hertz) needs none: beta = 1.
BERKOVICH_BETA = 1.034
SPHERE_BETA = 1.0
#: Half-angle of the cone with the Berkovich area function [rad] (about 70.3 deg).
BERKOVICH_CONE_HALF_ANGLE = float(np.arctan(np.sqrt(BERKOVICH_AREA_COEFF / np.pi)))

TIP_KINDS = ("berkovich", "sphere")


@dataclass(frozen=True)
class Tip:
    """An indenter tip.

    Parameters
    ----------
    kind : {"berkovich", "sphere"}
    radius_nm : float
        Rounding radius of a Berkovich tip (0 means the ideal sharp tip), or the radius
        of a sphere [nm].
    """

    kind: str = "berkovich"
    radius_nm: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in TIP_KINDS:
            raise ValueError(f"tip kind must be one of {TIP_KINDS}. Got {self.kind!r}.")
        if not np.isfinite(self.radius_nm) or self.radius_nm < 0:
            raise ValueError(f"radius_nm must be >= 0. Got {self.radius_nm!r}.")
        if self.kind == "sphere" and self.radius_nm <= 0:
            raise ValueError(f"A sphere needs radius_nm > 0. Got {self.radius_nm!r}.")

    @property
    def is_sharp(self) -> bool:
        """True for the ideal Berkovich tip (no rounding)."""
        return self.kind == "berkovich" and self.radius_nm == 0

    @property
    def label(self) -> str:
        """Human-readable name."""
        if self.kind == "sphere":
            return f"sphere, R = {self.radius_nm:g} nm"
        if self.is_sharp:
            return "ideal Berkovich"
        return f"Berkovich, rounded R = {self.radius_nm:g} nm"

    @property
    def beta(self) -> float:
        """The tip's own beta of S = 2 beta E_r sqrt(A/pi): 1.034 for a Berkovich, ideal or
        rounded (King 1987 [3]_), 1 for an axisymmetric sphere (Hertz, Johnson 1985 [2]_)."""
        return SPHERE_BETA if self.kind == "sphere" else BERKOVICH_BETA

    def area_nm2(self, hc_nm: np.ndarray) -> np.ndarray:
        """Projected contact area A(h_c) [nm^2] at contact depth ``hc_nm`` [nm]."""
        return contact_area_nm2(self, hc_nm)

    def max_contact_depth_nm(self) -> float:
        """Largest contact depth the shape supports [nm] (inf for Berkovich tips)."""
        return self.radius_nm if self.kind == "sphere" else np.inf


def make_tip(tip: str | Tip = "berkovich", radius_nm: float | None = None) -> Tip:
    """Build a :class:`Tip` from a name (``"berkovich"``, ``"sphere"``) or pass one through.

    ``radius_nm`` defaults to 0 (ideal) for a Berkovich and 5000 nm for a sphere.
    """
    if isinstance(tip, Tip):
        return tip
    if tip not in TIP_KINDS:
        raise ValueError(f"tip must be one of {TIP_KINDS} or a Tip. Got {tip!r}.")
    if radius_nm is None:
        radius_nm = 5000.0 if tip == "sphere" else 0.0
    return Tip(tip, float(radius_nm))


def _sphere_cone_tangent(R: float) -> tuple[float, float]:
    """Depth and radius [nm] where a sphere of radius R meets the Berkovich-equivalent cone."""
    theta = BERKOVICH_CONE_HALF_ANGLE
    return R * (1.0 - np.sin(theta)), R * np.cos(theta)


def contact_radius_nm(tip: Tip, hc_nm: np.ndarray) -> np.ndarray:
    """Radius of the projected contact circle a(h_c) [nm]; A = pi a^2."""
    hc = np.maximum(np.asarray(hc_nm, dtype=float), 0.0)
    R = tip.radius_nm
    if tip.kind == "sphere":
        return np.sqrt(2.0 * R * np.minimum(hc, R) - np.minimum(hc, R) ** 2)
    tan_theta = np.tan(BERKOVICH_CONE_HALF_ANGLE)
    if R == 0:
        return tan_theta * hc
    h_t, a_t = _sphere_cone_tangent(R)
    on_sphere = np.sqrt(np.clip(2.0 * R * hc - hc**2, 0.0, None))
    on_cone = a_t + (hc - h_t) * tan_theta
    return np.where(hc < h_t, on_sphere, on_cone)


def contact_area_nm2(tip: Tip, hc_nm: np.ndarray) -> np.ndarray:
    """Projected contact area A(h_c) [nm^2] (Oliver & Pharr 1992; Johnson 1985)."""
    if tip.is_sharp:
        hc = np.maximum(np.asarray(hc_nm, dtype=float), 0.0)
        return BERKOVICH_AREA_COEFF * hc**2
    return np.pi * contact_radius_nm(tip, hc_nm) ** 2


def elastic_mean_pressure_GPa(tip: Tip, a_nm: np.ndarray, Er_GPa: np.ndarray) -> np.ndarray:
    """Mean contact pressure of a purely elastic contact of radius ``a_nm`` [GPa].

    Sphere (Hertz): p_m = 4 E_r a / (3 pi R); cone: p_m = E_r cot(theta) / 2 (Sneddon, via
    Johnson 1985, ch. 5). A rounded Berkovich follows the sphere value up to the cone value.
    """
    a = np.asarray(a_nm, dtype=float)
    Er = np.asarray(Er_GPa, dtype=float)
    cone = 0.5 * Er / np.tan(BERKOVICH_CONE_HALF_ANGLE)
    if tip.is_sharp:
        return np.broadcast_to(cone, np.broadcast_shapes(a.shape, Er.shape)).copy()
    sphere = 4.0 * Er * a / (3.0 * np.pi * tip.radius_nm)
    if tip.kind == "sphere":
        return sphere
    return np.minimum(sphere, cone)


def blunting_offset_nm(tip: Tip) -> float:
    """Depth offset h_b [nm] with A -> 24.5 (h_c + h_b)^2 deep in a rounded Berkovich."""
    if tip.kind != "berkovich":
        raise ValueError("blunting_offset_nm applies to Berkovich tips only.")
    return tip.radius_nm * (1.0 / np.sin(BERKOVICH_CONE_HALF_ANGLE) - 1.0)
