"""Controls of an indentation map (shared by "Property maps" and "Find the phases").

Every widget has a key, a ``help`` text that says what it is physically (with units),
``bind="query-params"`` (its value lives in the URL under its key, so a link opens the same
map) and ``persist_state="session"``. Both map pages draw the map controls under the same
keys, so the map a learner made on "Property maps" is the map "Find the phases" clusters,
and a change on either page carries over to the other. Keys of map settings start with
``map_``, keys of the clustering choices with ``cluster_``.

The functions draw into the active container and return plain dicts (numbers, strings,
tuples), ready to key the cached wrappers of :mod:`ui.maps.cached`.
"""

from __future__ import annotations

import streamlit as st

from simulator import MICROSTRUCTURES, get_material
from simulator.settings import DEFAULT_NOISE

CUSTOM = "custom"
DEFAULT_PRESET = "dual-phase steel"
MAX_CUSTOM_PHASES = 5
#: Largest grid side in the app (the simulator allows 300; 60 x 60 keeps a rerun short).
MAX_GRID = 60
#: Peak loads of the depth slider [mN], log-spaced so that depth moves in even steps.
PEAK_LOADS_MN = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0)
#: Target depths of the depth slider [nm].
DEPTHS_NM = (20.0, 30.0, 50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0)
CONTROL_MODES = ("peak load", "target depth")

#: Default custom phases: name, E [GPa], nu [-], H [GPa], area fraction [-]. Phases 3-5
#: appear when the learner asks for more phases (then the fractions need adjusting).
CUSTOM_DEFAULTS = (
    ("soft", 200.0, 0.30, 3.0, 0.6),
    ("hard", 220.0, 0.30, 6.0, 0.4),
    ("stiff", 400.0, 0.25, 20.0, 0.2),
    ("compliant", 70.0, 0.33, 1.0, 0.2),
    ("medium", 150.0, 0.30, 9.0, 0.1),
)

#: Curve features the clustering may use: label with unit -> column of the feature table.
FEATURE_LABELS = {
    "H (GPa)": "H_GPa",
    "E (GPa)": "E_GPa",
    "E_r (GPa)": "Er_GPa",
    "S (mN/nm)": "S_mN_per_nm",
    "h_max (nm)": "h_max_nm",
    "h_f / h_max": "hf_over_hmax",
    "W_p / W_t": "Wp_over_Wt",
    "Kick's C (GPa)": "kick_C_GPa",
}

#: Default of every map control, by key (the key is also its URL query parameter).
DEFAULTS: dict = {
    "map_preset": DEFAULT_PRESET,
    "map_n_phases": 2,
    **{
        f"map_c{i}_{field}": value
        for i, phase in enumerate(CUSTOM_DEFAULTS, start=1)
        for field, value in zip(("name", "E", "nu", "H", "f"), phase, strict=True)
    },
    "map_custom_sd": 5.0,
    "map_size_um": 130.0,
    "map_porosity_pct": 0.0,
    "map_seed": 0,
    "map_nx": 30,
    "map_ny": 30,
    "map_spacing_um": 4.0,
    "map_jitter_um": 0.0,
    "map_offset_x_um": 0.0,
    "map_offset_y_um": 0.0,
    "map_control": CONTROL_MODES[0],
    "map_P_max_mN": 1.0,
    "map_depth_nm": 100.0,
    "map_noise": 1.0,
}
#: Session-state key holding the map's URL parameters of the page the learner was on.
URL_MEMORY = "_map_url_params"


def bound(widget, *args, **kwargs):
    """Call a Streamlit widget bound to the URL and kept for the whole session."""
    return widget(*args, **kwargs, bind="query-params", persist_state="session")


def _number(key: str, label: str, lo: float, hi: float, step: float, help: str) -> float:
    """A URL-bound number input with its default from :data:`DEFAULTS`."""
    return float(bound(st.number_input, label, lo, hi, DEFAULTS[key], step, key=key, help=help))


def _slider(key: str, label: str, lo, hi, step, help: str, **kwargs):
    """A URL-bound slider with its default from :data:`DEFAULTS`."""
    return bound(st.slider, label, lo, hi, DEFAULTS[key], step, key=key, help=help, **kwargs)


def preset_caption(preset: str) -> str:
    """Phases with their typical E, H and fraction, and the preset's source."""
    spec = MICROSTRUCTURES[preset]
    phases = "; ".join(
        f"{name} (E {get_material(name).E_GPa:g} GPa, H {get_material(name).H_GPa:g} GPa, "
        f"{100 * fraction:.0f} %)"
        for name, fraction in zip(spec.phases, spec.fractions, strict=True)
    )
    return f"Typical values: {phases}. Geometry: {spec.kind}. Source: {spec.source}."


def custom_phase_controls() -> tuple[tuple, float]:
    """2-5 phases with name, E, nu, H and fraction; and the scatter within a phase [-]."""
    n = int(
        bound(
            st.number_input,
            "Number of phases",
            min_value=2,
            max_value=MAX_CUSTOM_PHASES,
            value=DEFAULTS["map_n_phases"],
            step=1,
            key="map_n_phases",
            help="How many phases your custom microstructure has (2 to 5); each grain is "
            "one phase.",
        )
    )
    phases = []
    for i in range(1, n + 1):
        name = bound(
            st.text_input,
            f"Phase {i}: name",
            value=DEFAULTS[f"map_c{i}_name"],
            max_chars=30,
            key=f"map_c{i}_name",
            help="A name for this phase (shown in legends and tables).",
        )
        E_col, nu_col = st.columns(2)
        H_col, f_col = st.columns(2)
        with E_col:
            E = _number(f"map_c{i}_E", "E (GPa)", 1.0, 1500.0, 5.0,
                        "Young's modulus of this phase, in GPa.")  # fmt: skip
        with nu_col:
            nu = _number(f"map_c{i}_nu", "ν", 0.0, 0.49, 0.01,
                         "Poisson's ratio of this phase (dimensionless).")  # fmt: skip
        with H_col:
            H = _number(f"map_c{i}_H", "H (GPa)", 0.01, 100.0, 0.1,
                        "Hardness of this phase, in GPa; must be well below E "
                        "(E/H about 5-500).")  # fmt: skip
        with f_col:
            fraction = _number(f"map_c{i}_f", "Fraction", 0.0, 1.0, 0.05,
                               "Area (volume) fraction of this phase; the fractions must "
                               "add up to 1.")  # fmt: skip
        phases.append((name.strip(), float(E), float(nu), float(H), float(fraction)))
    scatter_pct = bound(
        st.slider,
        "Scatter within a phase (%)",
        0.0,
        20.0,
        DEFAULTS["map_custom_sd"],
        0.5,
        key="map_custom_sd",
        help="Relative spread (log-normal sd, in %) of E and H from grain to grain within a "
        "phase (orientation, composition).",
    )
    return tuple(phases), scatter_pct / 100.0


def microstructure_controls() -> dict:
    """Preset (its source shown) or custom phases, field of view, porosity, seed."""
    names = [*MICROSTRUCTURES, CUSTOM]
    preset = bound(
        st.selectbox,
        "Microstructure",
        names,
        index=names.index(DEFAULTS["map_preset"]),
        key="map_preset",
        help="A literature-based preset (typical phase properties and geometry) or "
        "'custom' to set 2-5 phases yourself.",
    )
    settings = {"preset": preset, "custom_phases": None, "custom_sd": None}
    if preset == CUSTOM:
        st.caption("Custom: Voronoi grains (mean size 8 µm), each given one of your phases.")
        settings["custom_phases"], settings["custom_sd"] = custom_phase_controls()
    else:
        st.caption(preset_caption(preset))
    settings["size_um"] = float(
        bound(
            st.slider,
            "Field of view (µm)",
            40.0,
            400.0,
            DEFAULTS["map_size_um"],
            10.0,
            key="map_size_um",
            help="Side of the square area of microstructure imaged and indented, in µm; "
            "the indent grid must fit inside it.",
        )
    )
    settings["porosity"] = (
        bound(
            st.slider,
            "Porosity (%)",
            0.0,
            30.0,
            DEFAULTS["map_porosity_pct"],
            1.0,
            key="map_porosity_pct",
            help="Area fraction of pores (discs of 2 µm diameter), in %: an indent into a "
            "pore meets little resistance.",
        )
        / 100.0
    )
    settings["seed"] = int(
        bound(
            st.number_input,
            "Random seed",
            min_value=0,
            max_value=2**31 - 1,
            value=DEFAULTS["map_seed"],
            step=1,
            key="map_seed",
            help="Seed of the microstructure, the stage errors and the noise: the same seed "
            "and settings give the same map for everyone who opens the link.",
        )
    )
    return settings


def grid_controls() -> dict:
    """Grid size, spacing [um], stage jitter [um] and image-to-stage offset [um]."""
    nx_col, ny_col = st.columns(2)
    with nx_col:
        nx = _slider("map_nx", "Indents along x", 2, MAX_GRID, 1,
                     "Number of indents per row (2 to 60).")  # fmt: skip
    with ny_col:
        ny = _slider("map_ny", "Indents along y", 2, MAX_GRID, 1,
                     "Number of rows of indents (2 to 60).")  # fmt: skip
    spacing = bound(
        st.slider,
        "Grid spacing (µm)",
        0.5,
        20.0,
        DEFAULTS["map_spacing_um"],
        0.5,
        key="map_spacing_um",
        help="Distance between neighbouring indents, in µm. Rule of thumb: at least 10 × "
        "the indent depth, or indents interact (Phani & Oliver 2019).",
    )
    jitter = bound(
        st.slider,
        "Stage jitter (µm)",
        0.0,
        5.0,
        DEFAULTS["map_jitter_um"],
        0.1,
        key="map_jitter_um",
        help="Standard deviation of the random positioning error of the stage, in µm: each "
        "indent lands this far (typically) from where the grid says.",
    )
    dx_col, dy_col = st.columns(2)
    with dx_col:
        dx = _slider("map_offset_x_um", "Offset x (µm)", -20.0, 20.0, 0.5,
                     "Registration error between the micrograph and the stage along x, in "
                     "µm: the indents really land this far from where the image says.")  # fmt: skip
    with dy_col:
        dy = _slider("map_offset_y_um", "Offset y (µm)", -20.0, 20.0, 0.5,
                     "Registration error along y, in µm.")  # fmt: skip
    return {
        "nx": int(nx),
        "ny": int(ny),
        "spacing_um": float(spacing),
        "jitter_um": float(jitter),
        "offset_um": (float(dx), float(dy)),
    }


def depth_controls() -> dict:
    """Load- or depth-controlled indents and the depth slider: ``P_max_mN``, ``depth_nm``."""
    mode = bound(
        st.radio,
        "Indents controlled by",
        CONTROL_MODES,
        horizontal=True,
        key="map_control",
        help="Peak load: every indent gets the same P_max (soft phases go deeper). Target "
        "depth: the instrument raises the load until each indent reaches the same depth.",
    )
    if mode == "target depth":
        depth = bound(
            st.select_slider,
            "Indent depth: target depth (nm)",
            DEPTHS_NM,
            value=DEFAULTS["map_depth_nm"],
            format_func=lambda v: f"{v:g}",
            key="map_depth_nm",
            help="Maximum depth h_max of every indent, in nm. Deeper indents probe a larger "
            "volume: their zone of influence mixes neighbouring phases.",
        )
        return {"P_max_mN": None, "depth_nm": float(depth)}
    load = bound(
        st.select_slider,
        "Indent depth: peak load (mN)",
        PEAK_LOADS_MN,
        value=DEFAULTS["map_P_max_mN"],
        format_func=lambda v: f"{v:g}",
        key="map_P_max_mN",
        help="Peak load P_max of every indent, in mN; the depth grows as √P_max (Kick's "
        "law). Deeper indents mix neighbouring phases.",
    )
    return {"P_max_mN": float(load), "depth_nm": None}


def noise_control() -> dict:
    """Instrument noise as a multiple of the typical lab noise, as a simulator noise dict."""
    level = bound(
        st.slider,
        "Instrument noise (× typical)",
        0.0,
        5.0,
        DEFAULTS["map_noise"],
        0.5,
        key="map_noise",
        help=f"Load and depth noise as a multiple of a typical instrument's "
        f"({DEFAULT_NOISE.load_noise_mN:g} mN and {DEFAULT_NOISE.depth_noise_nm:g} nm "
        "standard deviation). Shallow indents suffer most.",
    )
    return {
        "load_noise_mN": level * DEFAULT_NOISE.load_noise_mN,
        "depth_noise_nm": level * DEFAULT_NOISE.depth_noise_nm,
    }


def map_controls(*, depth: bool = True, expanded: bool = True) -> dict:
    """All settings of a map: ``{"microstructure": {...}, "grid": {...}}``.

    ``depth=False`` leaves the depth slider out (the page draws :func:`depth_controls`
    elsewhere and adds its result to ``settings["grid"]``); ``expanded`` opens the three
    groups of controls.
    """
    with st.expander("Microstructure", expanded=expanded):
        microstructure = microstructure_controls()
    with st.expander("Indent grid", expanded=expanded):
        grid = grid_controls()
    with st.expander("Indentation and noise", expanded=expanded):
        if depth:
            grid |= depth_controls()
        grid["noise"] = noise_control()
    grid["seed"] = microstructure["seed"]
    return {"microstructure": microstructure, "grid": grid}


def depth_label(grid: dict) -> str:
    """How deep the indents of grid settings go, in words ("P_max 1 mN")."""
    if grid["depth_nm"] is None:
        return f"P_max {grid['P_max_mN']:g} mN"
    return f"target depth {grid['depth_nm']:g} nm"


def next_depth(grid: dict) -> tuple[dict, str] | None:
    """Grid settings one step further right on the depth slider, and that step's label.

    None at the end of the slider.
    """
    if grid["depth_nm"] is None:
        ladder, key, unit = PEAK_LOADS_MN, "P_max_mN", "mN"
    else:
        ladder, key, unit = DEPTHS_NM, "depth_nm", "nm"
    i = ladder.index(grid[key])
    if i + 1 == len(ladder):
        return None
    return {**grid, key: ladder[i + 1]}, f"{ladder[i + 1]:g} {unit}"


def carry_over() -> None:
    """Bring this session's map settings onto the page after a page switch.

    Call it before the map controls are drawn. Streamlit 1.67 keeps the values of
    URL-bound widgets across a page switch once the learner has moved one of them, but not
    values that only came from the link the learner opened: those are still in session
    state, yet the new page's widgets start at their defaults and the URL loses them.
    Re-assigning each such value, and its URL parameter as the last page had it
    (:func:`remember_url`), keeps the map and a shareable address.
    """
    saved = st.session_state.get(URL_MEMORY, {})
    for key, default in DEFAULTS.items():
        if key in st.query_params or key not in st.session_state:
            continue
        if st.session_state[key] != default:
            st.session_state[key] = st.session_state[key]
            if key in saved:
                st.query_params[key] = saved[key]


def remember_url() -> None:
    """Keep the map's URL parameters of this run for :func:`carry_over` on the next page."""
    st.session_state[URL_MEMORY] = {
        key: st.query_params.get_all(key) for key in DEFAULTS if key in st.query_params
    }
