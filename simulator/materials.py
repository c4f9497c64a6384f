"""Materials: elastic and plastic properties, the reduced modulus, and literature presets.

All moduli and hardnesses are in GPa. Values in :data:`MATERIALS` are *typical* teaching
values, not certified reference data; each preset names where its numbers come from.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, "An improved technique for determining hardness and
   elastic modulus using load and displacement sensing indentation experiments",
   J. Mater. Res. 7 (1992) 1564-1583. doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, "Measurement of hardness and elastic modulus by
   instrumented indentation: advances in understanding and refinements to methodology",
   J. Mater. Res. 19 (2004) 3-20. doi:10.1557/jmr.2004.19.1.3
.. [3] W. D. Nix, H. Gao, J. Mech. Phys. Solids 46 (1998) 411 (H = H0 sqrt(1 + h*/h); annealed
   Cu (111) of McElhaney, Vlassak & Nix 1998: H0 = 0.58 GPa, h* = 1.6 um).
.. [4] V. Domnich, Y. Gogotsi, S. Dub, Appl. Phys. Lett. 76 (2000) 2214 (pop-out / elbow of
   silicon from its pressure-induced phase transformation).
.. [5] J. Velez, F. Maximilien, D. Damidot, G. Fantozzi, F. Sorrentino, Cem. Concr. Res. 31
   (2001) 555 (clinker phases: E = 125-145 GPa, H = 8-11 GPa).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

#: Young's modulus of a diamond indenter [GPa] (Oliver & Pharr 1992 [1]).
DIAMOND_E_GPA = 1141.0
#: Poisson's ratio of a diamond indenter [-] (Oliver & Pharr 1992 [1]).
DIAMOND_NU = 0.07


@dataclass(frozen=True)
class Material:
    """A homogeneous material for indentation.

    Parameters
    ----------
    name : str
    E_GPa : float
        Young's modulus [GPa].
    nu : float
        Poisson's ratio [-].
    H_GPa : float
        Hardness (mean contact pressure under full plasticity) [GPa].
    source : str
        Where the typical values come from.
    note : str
        What this material is known for in indentation (pile-up, pop-in, creep ...).
    unloading_exponent : float
        Exponent m of the unloading P = alpha (h - h_f)^m under full plasticity [-]
        (Oliver & Pharr 1992 [1]_, Table: 1.25 fused silica ... 1.51 W; 1.2-1.6 in the 2004
        review [2]_; 1.5 where no measurement is cited).
    h_star_nm : float
        Nix-Gao characteristic depth h* [nm] when ``H_GPa`` is the macroscopic H0 of
        H = H0 sqrt(1 + h*/h_c) [3]_; 0 when the preset has no size effect.
    H_depth_nm : float
        Contact depth [nm] at which ``H_GPa`` was measured, when it is a value at a stated
        depth rather than a depth-independent or macroscopic hardness (0: not a depth value).
    occurs : tuple of str
        Defects of :mod:`simulator.settings` that this material shows in indentation beyond
        the universal ones: ``"elbow"`` and ``"popout"`` (pressure-induced phase
        transformation, Si and Ge [4]_), ``"crack"`` (radial cracks of brittle solids).
    """

    name: str
    E_GPa: float
    nu: float
    H_GPa: float
    source: str
    note: str = ""
    unloading_exponent: float = 1.5
    h_star_nm: float = 0.0
    H_depth_nm: float = 0.0
    occurs: tuple[str, ...] = ()

    @property
    def H_basis(self) -> str:
        """What ``H_GPa`` is: a macroscopic H0 with its h*, a value at a depth, or constant."""
        if self.h_star_nm > 0:
            return f"macroscopic H0 of Nix-Gao H = H0 sqrt(1 + h*/h_c), h* = {self.h_star_nm:g} nm"
        if self.H_depth_nm > 0:
            return f"hardness at a contact depth of about {self.H_depth_nm:g} nm"
        return "depth-independent hardness (no size effect modelled)"

    def as_dict(self) -> dict:
        """The material as a plain dict."""
        return asdict(self)


_OP1992 = "Oliver & Pharr, J. Mater. Res. 7 (1992) 1564"
_CU2007 = "Constantinides & Ulm, J. Mech. Phys. Solids 55 (2007) 64 (E from M = E/(1-nu^2))"
_GA2014 = "Ghassemi-Armaki et al., Acta Mater. 62 (2014) 197"
_TYPICAL = "typical literature value (IndentLab physics notes)"
_DDG2000 = "Domnich, Gogotsi & Dub, Appl. Phys. Lett. 76 (2000) 2214"
#: Defects beyond the universal ones (drift, offset, pop-in, pile-up ...) that a material shows.
#: Pop-ins: dislocation nucleation under the tip in a crystal with few dislocations (Schuh,
#: Mater. Today 9 (2006) 32); none in glasses, polymers or nanogranular C-S-H.
CRYSTAL = ("popin",)
#: Radial cracks of brittle solids (fused silica, sapphire, WC, SiC, Si).
BRITTLE_GLASS = ("crack",)
BRITTLE_CRYSTAL = ("popin", "crack")
#: Si (and Ge): pressure-induced phase transformation, pop-out / elbow on unloading [4]; a
#: brittle crystal as well.
PHASE_TRANSFORMING = ("popin", "elbow", "popout", "crack")


def _m_to_e(M_GPa: float, nu: float) -> float:
    """Young's modulus from the indentation modulus M = E / (1 - nu^2)."""
    return round(M_GPa * (1.0 - nu**2), 1)


#: Named material presets. Keys are what the app and ``material=`` accept.
MATERIALS: dict[str, Material] = {
    m.name: m
    for m in [
        Material(
            "fused silica",
            72.0,
            0.17,
            9.0,
            _OP1992,
            "standard calibration reference; brittle",
            unloading_exponent=1.25,
            occurs=BRITTLE_GLASS,
        ),
        Material(
            "sapphire (0001)",
            420.0,
            0.23,
            27.0,
            _OP1992,
            "very hard and stiff; brittle",
            unloading_exponent=1.43,
            occurs=BRITTLE_CRYSTAL,
        ),
        Material(
            "silicon (100)",
            165.0,
            0.22,
            11.5,
            _DDG2000,
            "phase transformation: pop-out / elbow on unloading; cracks",
            occurs=PHASE_TRANSFORMING,
        ),
        Material(
            "tungsten",
            410.0,
            0.28,
            5.0,
            _OP1992,
            "pop-ins and a strong size effect",
            unloading_exponent=1.51,
            occurs=CRYSTAL,
        ),
        Material(
            "copper (annealed)",
            125.0,
            0.34,
            0.58,
            "Nix & Gao, J. Mech. Phys. Solids 46 (1998) 411 (McElhaney, Vlassak & Nix, "
            "J. Mater. Res. 13 (1998) 1300): H0 = 0.58 GPa, h* = 1.6 um",
            "pile-up and a strong size effect",
            h_star_nm=1600.0,
            occurs=CRYSTAL,
        ),
        Material(
            "aluminium",
            70.0,
            0.35,
            0.45,
            _OP1992,
            "soft: pile-up",
            unloading_exponent=1.38,
            occurs=CRYSTAL,
        ),
        Material("nickel", 205.0, 0.31, 2.0, _TYPICAL, "size effect", occurs=CRYSTAL),
        Material(
            "ferrite", 210.0, 0.29, 2.7, _GA2014, "soft phase of dual-phase steel", occurs=CRYSTAL
        ),
        Material(
            "martensite",
            210.0,
            0.30,
            7.5,
            _GA2014,
            "hard phase of dual-phase steel",
            occurs=CRYSTAL,
        ),
        Material(
            "cementite",
            200.0,
            0.30,
            11.0,
            _TYPICAL,
            "wide scatter in the literature",
            occurs=CRYSTAL,
        ),
        Material(
            "Al alloy matrix",
            72.0,
            0.33,
            1.2,
            _TYPICAL,
            "matrix of Al-SiC composites",
            occurs=CRYSTAL,
        ),
        Material(
            "SiC", 430.0, 0.17, 32.0, _TYPICAL, "reinforcing particle", occurs=BRITTLE_CRYSTAL
        ),
        Material(
            "WC",
            650.0,
            0.22,
            30.0,
            _TYPICAL,
            "hard phase of WC-Co hardmetal",
            occurs=BRITTLE_CRYSTAL,
        ),
        Material(
            "Co binder", 210.0, 0.31, 7.0, _TYPICAL, "binder of WC-Co hardmetal", occurs=CRYSTAL
        ),
        Material("Ti-6Al-4V alpha", 128.0, 0.32, 5.0, _TYPICAL, "hcp alpha phase", occurs=CRYSTAL),
        Material("Ti-6Al-4V beta", 100.0, 0.33, 4.0, _TYPICAL, "bcc beta phase", occurs=CRYSTAL),
        Material(
            "bone (osteon, dry)",
            22.5,
            0.30,
            0.6,
            "Rho, Tsui & Pharr, Biomaterials 18 (1997) 1325",
            "lamellar, anisotropic",
        ),
        Material("LD C-S-H", _m_to_e(18.2, 0.24), 0.24, 0.45, _CU2007, "low-density C-S-H"),
        Material("HD C-S-H", _m_to_e(29.1, 0.24), 0.24, 0.83, _CU2007, "high-density C-S-H"),
        Material(
            "portlandite",
            _m_to_e(38.0, 0.30),
            0.30,
            1.3,
            "Constantinides & Ulm, Cem. Concr. Res. 34 (2004) 67",
            "calcium hydroxide",
        ),
        Material(
            "clinker",
            135.0,
            0.30,
            8.7,
            "Velez et al., Cem. Concr. Res. 31 (2001) 555 (alite C3S: E 135 +- 7 GPa, "
            "H 8.7 +- 0.5 GPa; the clinker phases span E 125-145 GPa)",
            "unhydrated cement grains",
        ),
        Material("PMMA", 4.0, 0.37, 0.25, _TYPICAL, "viscoelastic: creep in the hold"),
    ]
}


def materials_showing(defect: str) -> tuple[str, ...]:
    """Names of the presets that show ``defect`` (a kind in :attr:`Material.occurs`)."""
    return tuple(name for name, m in MATERIALS.items() if defect in m.occurs)


def get_material(name: str) -> Material:
    """Return the preset called ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not a key of :data:`MATERIALS`; the message lists the keys.
    """
    try:
        return MATERIALS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown material preset {name!r}. Allowed: {', '.join(sorted(MATERIALS))}."
        ) from None


def reduced_modulus(
    E_GPa: float | np.ndarray,
    nu: float | np.ndarray,
    E_i_GPa: float = DIAMOND_E_GPA,
    nu_i: float = DIAMOND_NU,
) -> float | np.ndarray:
    """Reduced modulus of a sample-indenter contact [GPa].

    Notes
    -----
    1/E_r = (1 - nu^2)/E + (1 - nu_i^2)/E_i  (Oliver & Pharr 1992 [1], eq. 2).
    """
    E_GPa = np.asarray(E_GPa, dtype=float)
    nu = np.asarray(nu, dtype=float)
    Er = 1.0 / ((1.0 - nu**2) / E_GPa + (1.0 - nu_i**2) / E_i_GPa)
    return Er if Er.ndim else float(Er)


def sample_modulus(
    Er_GPa: float | np.ndarray,
    nu: float | np.ndarray,
    E_i_GPa: float = DIAMOND_E_GPA,
    nu_i: float = DIAMOND_NU,
) -> float | np.ndarray:
    """Young's modulus of the sample from the reduced modulus [GPa]; NaN where undefined.

    Inverts :func:`reduced_modulus`. Where 1/E_r <= (1 - nu_i^2)/E_i (a reduced modulus at or
    above the indenter's own), no sample modulus exists and NaN is returned.
    """
    Er_GPa = np.asarray(Er_GPa, dtype=float)
    nu = np.asarray(nu, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        compliance = 1.0 / Er_GPa - (1.0 - nu_i**2) / E_i_GPa
        E = np.where(compliance > 0, (1.0 - nu**2) / compliance, np.nan)
    return E if E.ndim else float(E)


def validate_material(E_GPa, nu, H_GPa) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check E, nu and H and return them as float arrays.

    Raises
    ------
    ValueError
        If E <= 0, nu outside (-1, 0.5), H <= 0, or H >= E; the message names the rule
        and the value received.
    """
    E = np.asarray(E_GPa, dtype=float)
    nu_a = np.asarray(nu, dtype=float)
    H = np.asarray(H_GPa, dtype=float)
    if not np.all(np.isfinite(E)) or np.any(E <= 0):
        raise ValueError(f"E_GPa must be a finite number > 0. Got {_show(E)}.")
    if not np.all(np.isfinite(nu_a)) or np.any(nu_a <= -1) or np.any(nu_a >= 0.5):
        raise ValueError(f"nu must lie in (-1, 0.5). Got {_show(nu_a)}.")
    if not np.all(np.isfinite(H)) or np.any(H <= 0):
        raise ValueError(f"H_GPa must be a finite number > 0. Got {_show(H)}.")
    if np.any(H >= E):
        raise ValueError(
            f"H_GPa must be smaller than E_GPa (real materials have E/H of about 5 to 500). "
            f"Got H_GPa={_show(H)} with E_GPa={_show(E)}."
        )
    return E, nu_a, H


def _show(x: np.ndarray) -> str:
    """Short text of a value for error messages."""
    x = np.asarray(x)
    if x.size == 1:
        return repr(float(x.reshape(-1)[0]))
    return f"an array with min {np.nanmin(x):g} and max {np.nanmax(x):g}"
