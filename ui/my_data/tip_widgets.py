"""The tip and analysis settings of "My own data" (sidebar): Poisson's ratio, the tip and its
area function (ideal or calibrated Berkovich, spherical or conospherical tip of a radius, a
saved calibration), β, ε, the frame compliance and the shared Oliver-Pharr options.

Every setting is bound to the URL (``bind="query-params"``) like the simulator pages'
settings, so a link carries the analysis (not the data); Poisson's ratio, the tip choice and
the coefficients also keep the page's session pattern (:mod:`ui.my_data.session`).
"""

from __future__ import annotations

import json

import streamlit as st

from learners import Calibration
from learners.curves.area_function import IDEAL_BERKOVICH_C0, sphere_area_coefficients
from ui.curve import widgets
from ui.my_data import session

IDEAL, CALIBRATED = "ideal Berkovich", "calibrated area function"
SPHERE, CONOSPHERE, SAVED = "spherical tip", "conospherical tip", "saved calibration (JSON)"
TIPS = (IDEAL, CALIBRATED, SPHERE, CONOSPHERE, SAVED)
SPHERES = (SPHERE, CONOSPHERE)
#: Session-state key of the calibration applied with SAVED: {"name": str, "json": str}.
APPLIED = "mydata_calibration_applied"
#: Area function coefficients: default, unit (A in nm², h_c in nm) and input step. C3-C5 are
#: the extra terms of a Hysitron (Bruker) calibration, exponents 1/4, 1/8, 1/16.
AREA_COEFFICIENTS = (
    (IDEAL_BERKOVICH_C0, "-", 1.0),
    (0.0, "nm", 10.0),
    (0.0, "nm^1.5", 10.0),
    (0.0, "nm^1.75", 10.0),
    (0.0, "nm^1.875", 10.0),
    (0.0, "nm^1.9375", 10.0),
)
AREA_TEXT = "A = C0 h_c² + C1 h_c + C2 h_c^½ + C3 h_c^¼ + C4 h_c^⅛ + C5 h_c^1/16"
OPTION_KEYS = ("mydata_nu", "mydata_tip", *(f"mydata_C{k}" for k in range(len(AREA_COEFFICIENTS))))
#: β of the stiffness equation by tip when the learner leaves it empty.
DEFAULT_BETA = {IDEAL: 1.034, CALIBRATED: 1.034, SPHERE: 1.0, CONOSPHERE: 1.0, SAVED: 1.034}


def applied_calibration() -> dict | None:
    """The saved calibration applied on this page, ``{"name", "json"}``, if any."""
    return st.session_state.get(APPLIED)


def apply_calibration(name: str, text: str) -> None:
    """Apply a saved calibration (JSON text): checked, kept in the session, tip set to it.

    Raises ValueError with a message when the text is not a calibration.
    """
    try:
        Calibration.from_json(text)
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(
            f"{name} is not a calibration saved by IndentLab ({type(err).__name__}: {err})."
        ) from None
    st.session_state[APPLIED] = {"name": name, "json": text}
    st.session_state["mydata_tip"] = SAVED
    session.keep("mydata_tip", SAVED)


def analysis_options() -> dict:
    """ν, the tip, β, ε, frame compliance and the shared Oliver-Pharr options, as a plain
    dict (the analysis options of :mod:`ui.my_data.cached`, plus ``tip`` and ``source``)."""
    session.restore(OPTION_KEYS)
    nu = session.keep(
        "mydata_nu",
        st.number_input(
            "Poisson's ratio ν of your sample",
            min_value=0.0,
            max_value=0.49,
            value=0.3,
            step=0.01,
            key="mydata_nu",
            bind="query-params",
            help="Lateral contraction ratio of the sample, dimensionless; it enters E only, "
            "through (1 − ν²). Fused silica 0.17, ceramics 0.2-0.25, metals about 0.3, "
            "polymers 0.35-0.45.",
        ),
    )
    tip = session.keep(
        "mydata_tip",
        st.radio(
            "Indenter (area function)",
            TIPS,
            key="mydata_tip",
            bind="query-params",
            help="Ideal Berkovich: A = 24.5 h_c² (A in nm², h_c in nm). Calibrated: "
            f"{AREA_TEXT} with the coefficients of your tip's calibration (Oliver & Pharr "
            "1992). Spherical or conospherical tip of radius R: the sphere's exact area "
            "A = π (2 R h_c − h_c²), with a Hertz fit of the elastic loading. Saved "
            "calibration: the area function, β, ε and frame compliance of a calibration "
            "file (see *Calibrate your tip* on the page).",
        ),
    )
    radius_um = st.number_input(
        "Tip radius R (µm)",
        min_value=0.01,
        max_value=1000.0,
        value=5.0,
        step=0.5,
        format="%.4g",
        key="mydata_radius_um",
        bind="query-params",
        disabled=tip not in SPHERES,
        help="Radius R of the spherical or conospherical tip's apex, in µm (1 µm = 1000 nm), "
        "from its calibration; the real Hysitron sample's tip: 5.323 µm.",
    )
    calibrated = tip == CALIBRATED
    coefficients = [_coefficient(k, calibrated) for k in range(3)]
    with st.expander("More coefficients (C3-C5)"):
        st.caption("Some calibrations (Hysitron / Bruker) add up to three more terms.")
        coefficients += [_coefficient(k, calibrated) for k in range(3, len(AREA_COEFFICIENTS))]
    saved = applied_calibration() if tip == SAVED else None
    constants = _constants(tip, saved is not None)
    options = widgets.analysis_controls()
    result = {"nu": float(nu), "tip": tip, "radius_nm": None, "source": None, **constants}
    if tip in SPHERES:
        result["radius_nm"] = 1000.0 * float(radius_um)
        result["area"] = tuple(float(c) for c in sphere_area_coefficients(result["radius_nm"]))
    elif calibrated:
        result["area"] = _trimmed(coefficients)
    elif saved is not None:
        data = json.loads(saved["json"])
        result["area"] = tuple(float(c) for c in data["area_coefficients"])
        result["beta"] = float(data["beta"])
        result["epsilon"] = float(data["epsilon"])
        result["frame_compliance_nm_per_mN"] = float(data["frame_compliance_nm_per_mN"])
        result["source"] = saved["name"]
    else:
        result["area"] = (IDEAL_BERKOVICH_C0,)
    return {**result, **options}


def _constants(tip: str, from_file: bool) -> dict:
    """β, ε and the frame compliance inputs (disabled when a saved calibration sets them)."""
    beta = st.number_input(
        "β, stiffness correction (-)",
        min_value=0.9,
        max_value=1.2,
        value=None,
        step=0.001,
        format="%.3f",
        key="mydata_beta",
        bind="query-params",
        disabled=from_file,
        placeholder=f"the tip's own: {DEFAULT_BETA[tip]:g}",
        help="Dimensionless β of E_r = √π S / (2 β √A): 1.034 for a Berkovich (King 1987), "
        "1.05 as Oliver & Pharr (2004) suggest, 1 for a sphere. Empty: the tip's own.",
    )
    epsilon = st.number_input(
        "ε, contact-depth constant (-)",
        min_value=0.5,
        max_value=1.0,
        value=0.75,
        step=0.01,
        key="mydata_epsilon",
        bind="query-params",
        disabled=from_file,
        help="Dimensionless ε of h_c = h_max − ε P_max / S: 0.75 for a Berkovich or a "
        "paraboloid (sphere), 0.72 for a cone, 1 for a flat punch.",
    )
    compliance = st.number_input(
        "Frame compliance C_f (nm/mN)",
        min_value=0.0,
        max_value=5.0,
        value=0.0,
        step=0.01,
        format="%.4g",
        key="mydata_frame_compliance",
        bind="query-params",
        disabled=from_file,
        help="Compliance of the load frame in nm/mN: the analysis subtracts C_f P from the "
        "displacement. From your instrument's calibration (large indents in a stiff material, "
        "see *Calibrate your tip*); 0 when the export already removed it.",
    )
    return {
        "beta": float(DEFAULT_BETA[tip] if beta is None else beta),
        "epsilon": float(epsilon),
        "frame_compliance_nm_per_mN": float(compliance),
    }


def _trimmed(coefficients) -> tuple[float, ...]:
    """The coefficients as floats without trailing zeros (C0 always kept)."""
    C = [float(c) for c in coefficients]
    while len(C) > 3 and C[-1] == 0:
        C.pop()
    return tuple(C)


def _coefficient(k: int, calibrated: bool) -> float:
    """The number input of the area function's coefficient Ck."""
    default, unit, step = AREA_COEFFICIENTS[k]
    ideal = "C0 = 24.5, the others 0" if k else "C0 = 24.5"
    return session.keep(
        f"mydata_C{k}",
        st.number_input(
            f"C{k} ({unit})",
            value=default,
            step=step,
            format="%.6g",
            key=f"mydata_C{k}",
            bind="query-params",
            disabled=not calibrated,
            help=f"Coefficient C{k} [{unit}] of the area function {AREA_TEXT} (h_c in nm, A "
            f"in nm²), from your tip calibration on fused silica. Ideal Berkovich: {ideal}.",
        ),
    )
