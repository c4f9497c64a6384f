"""Controls of one simulated curve and of its Oliver-Pharr analysis.

Every widget has a key, a ``help`` text that says what it is physically (with units), and
``bind="query-params"``: its value lives in the URL under its key, so a learner or an
instructor can share a link that opens the same curve. Widgets draw into the container that
is active when they are called (``with st.sidebar: ...``). The functions return plain dicts,
ready to key the cached wrappers of :mod:`ui.curve.cached`.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from simulator.materials import MATERIALS, materials_showing
from simulator.settings import DEFAULT_NOISE, ELBOW_KINDS

CUSTOM = "custom"
DEFAULT_MATERIAL = "fused silica"
TIPS = ("ideal Berkovich", "rounded Berkovich", "sphere")
DEFAULT_FIT_RANGE = (0.2, 0.95)
#: How the material caption names each material-specific defect of ``Material.occurs``.
SHOWN_DEFECTS = {
    "popin": "pop-ins",
    "elbow": "elbows",
    "popout": "pop-outs",
    "crack": "cracks",
}


class Slider(NamedTuple):
    """What one URL-bound slider shows: label with unit, range, default, step, help text."""

    label: str
    lo: float
    hi: float
    value: float
    step: float
    help: str
    fmt: str | None = None
    needs: str | None = None  # key of the slider that switches this setting on


PROTOCOL_SLIDERS = {
    "P_max_mN": Slider(
        "Peak load (mN)", 0.5, 50.0, 10.0, 0.5,
        "Largest load P_max of the test, in mN (nanoindentation: about 0.1 to 500 mN).",
    ),
    "loading_s": Slider(
        "Loading time (s)", 1.0, 60.0, 10.0, 1.0,
        "Time in s to ramp the load linearly from 0 to P_max.",
    ),
    "hold_s": Slider(
        "Hold at peak load (s)", 0.0, 60.0, 5.0, 1.0,
        "Time in s the load stays at P_max: creep shows here and slows down; what has not "
        "settled goes on into the unloading (the nose).",
    ),
    "unloading_s": Slider(
        "Unloading time (s)", 1.0, 60.0, 5.0, 1.0,
        "Time in s a full unloading from P_max to 0 would take (sets the unloading rate).",
    ),
    "drift_hold_s": Slider(
        "Drift hold at 10 % load (s)", 0.0, 60.0, 10.0, 1.0,
        "Time in s the load is held at 10 % of P_max during unloading, to measure thermal "
        "drift (0: no drift hold).",
    ),
    "data_rate_hz": Slider(
        "Data rate (Hz)", 5.0, 100.0, 20.0, 5.0,
        "Samples recorded per second, in Hz. Loading and unloading need 20 points each.",
    ),
}  # fmt: skip

NOISE_SLIDERS = {
    "load_noise_mN": Slider(
        "Load noise (mN)", 0.0, 0.05, DEFAULT_NOISE.load_noise_mN, 0.0005,
        "Standard deviation of the load signal's white noise, in mN (lab instrument: ~0.0005).",
        fmt="%.4f",
    ),
    "depth_noise_nm": Slider(
        "Depth noise (nm)", 0.0, 5.0, DEFAULT_NOISE.depth_noise_nm, 0.05,
        "Standard deviation of the displacement signal's white noise, in nm (typical 0.1-0.5).",
    ),
}  # fmt: skip

INSTRUMENT_SLIDERS = {
    "drift_nm_per_s": Slider(
        "Thermal drift (nm/s)", -0.5, 0.5, 0.0, 0.01,
        "Rate in nm/s at which thermal expansion of the frame adds displacement over the whole "
        "test (typical 0.01-0.1 nm/s).",
    ),
    "surface_offset_nm": Slider(
        "Surface detection error (nm)", -50.0, 50.0, 0.0, 1.0,
        "How far in nm the instrument's zero lies below the true surface: every measured "
        "depth is this much too small.",
    ),
    "roughness_nm": Slider(
        "Surface roughness Rq (nm)", 0.0, 30.0, 0.0, 0.5,
        "RMS roughness in nm: this indent's local surface height, drawn from N(0, Rq) with "
        "the seed, shifts its depth zero.",
    ),
}  # fmt: skip

MATERIAL_SLIDERS = {
    "pileup_pct": Slider(
        "Pile-up: extra contact area (%)", 0, 60, 0, 1,
        "Material piled up around the indent carries load: the true contact area is this many "
        "% larger than the Oliver-Pharr area (soft metals: up to ~60 %). "
        "See the [Glossary](/glossary?glossary_search=pile-up).",
    ),
    "ise_h_star_nm": Slider(
        "Size effect depth h* (nm)", 0.0, 3000.0, 0.0, 50.0,
        "Nix-Gao characteristic depth in nm: H(h_c) = H √(1 + h*/h_c). Annealed fcc metals: "
        "hundreds of nm to a few µm. 0: the preset's own h* (annealed copper: 1600 nm, "
        "Nix & Gao 1998), none for other presets.",
    ),
    "creep_nm": Slider(
        "Creep in the hold (nm)", 0.0, 50.0, 0.0, 1.0,
        "Amplitude a in nm of logarithmic creep at P_max: h_c(t) = h_c0 + a ln(1 + t/τ). "
        "Creep goes on into the unloading at the rate reached at the end of the hold "
        "(a/(τ + hold) nm/s), slowing as the load falls: the nose of Feng & Ngan (2002).",
    ),
    "creep_tau_s": Slider(
        "Creep time constant τ (s)", 0.1, 10.0, 1.0, 0.1,
        "Time constant τ of the logarithmic creep, in s.", needs="creep_nm",
    ),
    "popin_load_mN": Slider(
        "Pop-in load (mN)", 0.0, 5.0, 0.0, 0.05,
        "Load in mN at which a defect-poor crystal yields suddenly: the tip follows the "
        "elastic (Hertz) branch up to here, then bursts in at constant load (crystals only; "
        "0: off).",
    ),
    "popin_apex_radius_nm": Slider(
        "Apex radius before pop-in (nm)", 20.0, 1000.0, 150.0, 10.0,
        "Radius in nm of the tip apex that carries the elastic branch before the pop-in "
        "(used for an ideal Berkovich; a rounded tip or sphere uses its own radius).",
        needs="popin_load_mN",
    ),
}  # fmt: skip

TRANSFORMATION_SLIDERS = {
    "elbow_nm": Slider(
        "Elbow / pop-out size (nm)", 0.0, 50.0, 0.0, 1.0,
        "Displacement in nm recovered on unloading when a high-pressure phase transforms "
        "back (Si/Ge; on other materials a what-if), 0: off.",
    ),
    "elbow_load_fraction": Slider(
        "Elbow load (fraction of P_max)", 0.05, 0.95, 0.3, 0.05,
        "Load, as a fraction of P_max, at which the elbow or pop-out starts on unloading.",
        needs="elbow_nm",
    ),
    "crack_load_mN": Slider(
        "Crack load (mN)", 0.0, 50.0, 0.0, 0.5,
        "Load in mN at which a crack opens in a brittle sample during loading "
        f"({', '.join(materials_showing('crack'))}; on other materials a what-if; 0: off).",
    ),
    "crack_size_nm": Slider(
        "Crack burst (nm)", 0.0, 100.0, 20.0, 1.0,
        "Displacement burst in nm when the crack opens.", needs="crack_load_mN",
    ),
}  # fmt: skip


def _sliders(specs: dict[str, Slider]) -> dict[str, float]:
    """Draw ``specs`` in order, each under its key; one whose ``needs`` is 0 is disabled."""
    values: dict[str, float] = {}
    for key, s in specs.items():
        values[key] = st.slider(
            s.label,
            s.lo,
            s.hi,
            s.value,
            s.step,
            format=s.fmt,
            help=s.help,
            key=key,
            disabled=s.needs is not None and not values[s.needs],
            bind="query-params",
        )
    return values


def _number(label: str, key: str, lo: float, hi: float, value: float, step: float, help: str):
    """A URL-bound number input."""
    return st.number_input(label, lo, hi, value, step, help=help, key=key, bind="query-params")


def material_controls() -> dict:
    """Material preset (showing its source) or custom E, nu, H, as simulator kwargs."""
    names = [*MATERIALS, CUSTOM]
    name = st.selectbox(
        "Material",
        names,
        index=names.index(DEFAULT_MATERIAL),
        key="material",
        bind="query-params",
        help="A preset with typical literature values of Young's modulus E (GPa), Poisson's "
        "ratio ν and hardness H (GPa), or 'custom' to type your own.",
    )
    if name != CUSTOM:
        st.caption(material_caption(name))
        return {"material": name, "E": None, "nu": None, "H": None}
    E = _number(
        "Young's modulus E (GPa)", "E_GPa", 0.5, 1500.0, 72.0, 1.0,
        "Elastic stiffness of the sample in GPa (fused silica 72, copper 125, steel 210).",
    )  # fmt: skip
    nu = _number(
        "Poisson's ratio ν", "nu", 0.0, 0.49, 0.17, 0.01,
        "Lateral contraction ratio of the sample, dimensionless (metals about 0.3).",
    )  # fmt: skip
    H = _number(
        "Hardness H (GPa)", "H_GPa", 0.01, 2000.0, 9.0, 0.1,
        "Mean contact pressure under fully plastic contact, in GPa; real materials have "
        "E/H between about 5 and 500.",
    )  # fmt: skip
    return {"material": None, "E": E, "nu": nu, "H": H}


def material_caption(name: str) -> str:
    """What a preset is: E, ν, H and what H means (H_basis), m, the defects it shows."""
    m = MATERIALS[name]
    shows = [SHOWN_DEFECTS[d] for d in m.occurs if d in SHOWN_DEFECTS]
    return (
        f"Typical values: E = {m.E_GPa:g} GPa, ν = {m.nu:g}, H = {m.H_GPa:g} GPa "
        f"({m.H_basis}); unloading exponent m = {m.unloading_exponent:g}; shows "
        f"{', '.join(shows) if shows else 'no pop-ins, elbows or cracks'}; {m.note}. "
        f"Source: {m.source}."
    )


def tip_controls() -> dict:
    """Indenter shape and radius, as simulator kwargs ``tip`` and ``tip_radius_nm``."""
    tip = st.selectbox(
        "Indenter tip",
        TIPS,
        key="tip",
        bind="query-params",
        help="Ideal Berkovich: sharp three-sided pyramid, area A = 24.5 h_c² (h_c in nm). "
        "A used Berkovich is rounded at its apex. A sphere (or a rounded apex) starts "
        "elastic (Hertz), first yields at p_m ≈ 1.1 Y ≈ 0.39 H and is fully plastic only "
        "at p_m = H (Johnson 1985).",
    )
    if tip == "rounded Berkovich":
        radius_nm = st.slider(
            "Tip rounding radius (nm)", 10.0, 2000.0, 200.0, 10.0, key="tip_radius_nm",
            bind="query-params",
            help="Radius in nm of the rounded apex of a Berkovich tip (new: 20-100, worn: more).",
        )  # fmt: skip
        return {"tip": "berkovich", "tip_radius_nm": radius_nm}
    if tip == "sphere":
        radius_um = st.slider(
            "Sphere radius (µm)", 0.5, 50.0, 2.0, 0.5, key="sphere_radius_um",
            bind="query-params",
            help="Radius of the spherical indenter in µm; too small a sphere cannot carry "
            "the load.",
        )  # fmt: skip
        return {"tip": "sphere", "tip_radius_nm": radius_um * 1000.0}
    return {"tip": "berkovich", "tip_radius_nm": 0.0}


def defect_controls() -> dict:
    """Every field of :class:`simulator.settings.Defects`, grouped by where it comes from."""
    with st.expander("Instrument artefacts"):
        defects = _sliders(INSTRUMENT_SLIDERS)
    with st.expander("Material behaviour"):
        defects |= _sliders(MATERIAL_SLIDERS)
    with st.expander("Phase transformation and cracking"):
        defects |= _sliders(TRANSFORMATION_SLIDERS)
        defects["elbow_kind"] = st.selectbox(
            "Elbow kind",
            ELBOW_KINDS,
            key="elbow_kind",
            bind="query-params",
            disabled=not defects["elbow_nm"],
            help="'elbow': the depth recovers gradually faster below the elbow load; "
            "'popout': it jumps back at once (Si, Domnich & Gogotsi 2000).",
        )
    defects["pileup_area_excess"] = defects.pop("pileup_pct") / 100.0
    return defects


def curve_controls() -> dict:
    """All settings of one simulated curve: the keyword arguments of ``simulate_curve``."""
    st.subheader("Sample and tip")
    settings = material_controls() | tip_controls()
    st.subheader("Test protocol")
    settings["protocol"] = _sliders(PROTOCOL_SLIDERS)
    st.subheader("Noise and defects")
    settings["noise"] = _sliders(NOISE_SLIDERS)
    settings["defects"] = defect_controls()
    settings["seed"] = int(
        st.number_input(
            "Random seed",
            min_value=0,
            max_value=2**31 - 1,
            value=0,
            step=1,
            key="seed",
            bind="query-params",
            help="Seed of the noise and roughness draws: the same seed and settings give "
            "exactly the same curve for everyone who opens the link.",
        )
    )
    return settings


def analysis_controls() -> dict:
    """Options of the Oliver-Pharr analysis, as keyword arguments of ``oliver_pharr``."""
    with st.expander("Oliver-Pharr analysis"):
        fit_range = st.slider(
            "Unloading fit range (fraction of P_max)",
            0.05,
            1.0,
            DEFAULT_FIT_RANGE,
            0.05,
            key="fit_range",
            bind="query-params",
            help="The power law P = α (h − h_f)^m is fitted to the unloading points between "
            "these loads, as fractions of P_max (common: 0.2-0.95, or the upper half).",
        )
        drift = st.checkbox(
            "Correct thermal drift",
            key="drift_correction",
            bind="query-params",
            help="Measure the displacement rate (nm/s) in the low-load drift hold and "
            "subtract it, linearly in time, before the analysis.",
        )
        zero = st.checkbox(
            "Correct the zero point",
            key="zero_point_correction",
            bind="query-params",
            help="Find the surface (depth zero, nm) again from the start of the loading "
            "curve instead of trusting the instrument's surface detection.",
        )
        creep = st.checkbox(
            "Creep correction (Feng & Ngan)",
            key="creep_correction",
            bind="query-params",
            help="Correct the unloading stiffness S (mN/nm) for creep that goes on into the "
            "unloading: 1/S = 1/S_u + ḣ_h / |Ṗ_u|, with S_u the apparent stiffness at the "
            "unloading start, ḣ_h the creep rate at the end of the hold (nm/s) and Ṗ_u the "
            "unloading rate (mN/s) (Feng & Ngan, J. Mater. Res. 17 (2002) 660).",
        )
    return {
        "fit_range": tuple(float(f) for f in fit_range),
        "drift_correction": drift,
        "zero_point_correction": zero,
        "creep_correction": creep,
    }
