"""Cached wrappers of the map simulator and of the unsupervised phase identification.

Every function is pure and keyed by plain settings (dicts of numbers, strings and tuples, as
:func:`ui.maps.widgets.map_controls` returns them), so thirty learners on the same map share
one result. What is cached is compact: a feature table with the truth (one row per indent),
PNG images of the microstructure, scores and small tables. The curves of a map (a 60 x 60
map holds ~50 MB of them) are never cached: they are analysed inside :func:`map_table` and
dropped. Each cache keeps a bounded number of entries.

*Map settings*: ``{"microstructure": {preset, custom_phases, custom_sd, size_um, porosity,
seed}, "grid": {nx, ny, spacing_um, jitter_um, offset_um, P_max_mN, depth_nm, noise,
seed}}``. A *clustering choice*: ``{"columns": tuple of feature columns, "scaling",
"method", "k"}``.

Scikit-learn and the simulator run with one BLAS/OpenMP thread here: the app serves many
sessions at once, and on a small shared machine a Gaussian-mixture fit of a 900-indent map
took 1.4 s with the default threads against 0.05 s with one (bench/bench_map_pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from learners import (
    boundary_distance_um,
    choose_n_phases,
    cluster_phases,
    curve_pca,
    deconvolve,
    interior_indents,
    map_feature_table,
    micrograph_boundaries,
    property_errors,
    resample_curves,
    score_clustering,
)
from learners.unsupervised.cluster_scores import ClusteringScore
from simulator import correlative_image, indent_map, make_microstructure
from ui.maps import charts, tables

#: Curve features computed for every map (columns of :func:`learners.map_feature_table`).
MAP_FEATURES = (
    "H_GPa",
    "E_GPa",
    "Er_GPa",
    "S_mN_per_nm",
    "h_max_nm",
    "hf_over_hmax",
    "Wp_over_Wt",
    "kick_C_GPa",
)
#: Fewest interior indents (clear of every micrograph boundary) to count phases on.
MIN_INTERIOR = 30
#: Principal components of the resampled loading curves kept per indent.
N_PCS = 5
#: Points of the resampled loading curve.
N_RESAMPLE = 64
#: Raster of the microstructure: pixels per side (labels for fractions and sizes).
RASTER_PX = 600
#: Pixels per side of the images sent to the browser.
IMAGE_PX = 300
#: Truth columns renamed so they never clash with the measured features.
TRUTH_RENAMES = {
    "H_GPa": "H_true_GPa",
    "E_GPa": "E_true_GPa",
    "nu": "nu_true",
    "h_max_nm": "h_max_true_nm",
    "P_max_mN": "P_max_mN",
}
#: Truth columns kept in the map table (besides ``frac_*`` and ``fracE_*``).
TRUTH_COLUMNS = (
    "ix",
    "iy",
    "x_um",
    "y_um",
    "x_true_um",
    "y_true_um",
    "phase",
    "phase_name",
    "on_interface",
    "contact_radius_nm",
    "neighbour_hardening",
    "H_true_GPa",
    "E_true_GPa",
    "h_max_true_nm",
    "P_max_mN",
)


@dataclass(frozen=True)
class MicrostructureView:
    """What the pages show of a microstructure (no raster, no geometry).

    Attributes
    ----------
    phases : DataFrame
        One row per phase (pores last, if any): name, E_GPa, nu, H_GPa, E_sd, H_sd,
        target_fraction, fraction (area fraction of the raster), intercept_um (mean linear
        intercept length [um]).
    micrograph, phase_map : str
        PNG data URLs (``IMAGE_PX`` a side) of the SEM-like image and of the phase map.
    size_um : (width, height) [um]
    source : str
    """

    phases: pd.DataFrame
    micrograph: str
    phase_map: str
    size_um: tuple[float, float]
    source: str


@dataclass(frozen=True)
class PhaseFinding:
    """A clustering of a map and its scores against the truth.

    Attributes
    ----------
    labels : ndarray of int, shape (n,)
        Cluster per indent (-1: noise or not clustered).
    score : learners.unsupervised.cluster_scores.ClusteringScore
        Against the true phase codes, with the interface / interior split.
    n_clusters : int
    n_used : int
        Indents clustered (the others had a failed analysis).
    """

    labels: np.ndarray
    score: ClusteringScore
    n_clusters: int
    n_used: int


def _microstructure_kwargs(ms: dict) -> dict:
    """Keyword arguments of :func:`simulator.make_microstructure` from its settings."""
    kwargs = {
        "size_um": (ms["size_um"], ms["size_um"]),
        "pixel_um": ms["size_um"] / RASTER_PX,
        "porosity": ms["porosity"],
        "seed": ms["seed"],
    }
    if ms["preset"] == "custom":
        kwargs["custom_phases"] = tables.custom_phase_table(ms["custom_phases"], ms["custom_sd"])
    return kwargs


@st.cache_data(max_entries=8, show_spinner=False)
def microstructure(ms: dict):
    """The :class:`simulator.Microstructure` of microstructure settings ``ms`` (~6 MB).

    Raises
    ------
    ValueError
        From the simulator (impossible phases, fractions that do not sum to 1 ...).
    """
    return make_microstructure(ms["preset"], **_microstructure_kwargs(ms))


@st.cache_data(max_entries=32, show_spinner=False)
def microstructure_view(ms: dict) -> MicrostructureView:
    """Phase table with sizes, and the two images, of microstructure settings ``ms``."""
    structure = microstructure(ms)
    phases = structure.phases.copy()
    phases["intercept_um"] = tables.mean_intercepts_um(
        structure.labels, structure.pixel_um, len(phases)
    )
    step = max(1, structure.labels.shape[0] // IMAGE_PX)
    grey = correlative_image(structure, seed=ms["seed"])[::step, ::step]
    colours = charts.phase_colours(phases["name"])
    return MicrostructureView(
        phases=phases,
        micrograph=charts.png_data_url(grey),
        phase_map=charts.png_data_url(structure.labels[::step, ::step], palette=colours),
        size_um=structure.size_um,
        source=structure.source,
    )


@st.cache_data(max_entries=64, show_spinner=False)
def map_table(settings: dict) -> pd.DataFrame:
    """Indent the map of ``settings`` and analyse every curve; one row per indent.

    Columns: the truth (:data:`TRUTH_COLUMNS`, ``frac_<phase>`` and ``fracE_<phase>``
    mixing fractions of the hardness and modulus zones, ``phase_at_reported``: the true
    phase at the position the grid reports), the measured features :data:`MAP_FEATURES`,
    ``A_nm2`` (the contact area of each indent's Oliver-Pharr analysis), ``ok`` and
    ``reason`` of the analysis, ``boundary_distance_um`` (from the reported position to the
    nearest boundary seen in the micrograph), and ``PC1``..``PC5`` of the loading curves
    resampled at fractions of P_max (at fractions of h_max for a depth-controlled map).
    ``attrs["pca_variance"]``: explained variance ratio of each component.

    Raises
    ------
    ValueError
        From the simulator: a grid that does not fit, impossible phases ...
    """
    structure = microstructure(settings["microstructure"])
    grid = settings["grid"]
    with threadpool_limits(limits=1):
        m = indent_map(
            structure,
            nx=grid["nx"],
            ny=grid["ny"],
            spacing_um=grid["spacing_um"],
            P_max_mN=grid["P_max_mN"],
            depth_nm=grid["depth_nm"],
            jitter_um=grid["jitter_um"],
            offset_um=grid["offset_um"],
            noise=grid["noise"],
            seed=grid["seed"],
        )
        features = map_feature_table(m, features=(*MAP_FEATURES, "A_nm2"))
        on = "load" if grid["depth_nm"] is None else "depth"
        resampled = resample_curves(m.h_nm, m.P_mN, m.segment, n=N_RESAMPLE, on=on)
        n_pcs = min(N_PCS, int(np.isfinite(resampled).all(axis=1).sum()), N_RESAMPLE)
        pca = curve_pca(resampled, n_pcs, seed=0)
    truth = m.truth.rename(columns=TRUTH_RENAMES)
    mixing = [c for c in truth.columns if c.startswith(("frac_", "fracE_"))]
    table = truth[[*TRUTH_COLUMNS, *mixing]].copy()
    names = np.asarray(structure.phase_names, dtype=object)
    table["phase_at_reported"] = names[structure.phase_at(m.x_um, m.y_um)]
    # What a user knows: the micrograph and the positions the grid reports.
    boundaries = micrograph_boundaries(
        correlative_image(structure, seed=settings["microstructure"]["seed"])
    )
    table["boundary_distance_um"] = boundary_distance_um(
        boundaries, structure.pixel_um, m.x_um, m.y_um
    )
    table = pd.concat([table, features, pca.as_frame()], axis=1)
    for i in range(n_pcs + 1, N_PCS + 1):
        table[f"PC{i}"] = np.nan
    table.attrs["pca_variance"] = tuple(float(v) for v in pca.explained_variance_ratio)
    return table


@st.cache_data(max_entries=128, show_spinner=False)
def find_phases(settings: dict, choice: dict) -> PhaseFinding:
    """Cluster the map of ``settings`` as ``choice`` says and score it against the truth.

    Indents whose analysis failed are left out (label -1).

    Raises
    ------
    ValueError
        From :func:`learners.cluster_phases`: k larger than the data allow, a scaling
        that gives non-finite values ...
    """
    table = map_table(settings)
    features = table[[*choice["columns"], "ok"]]
    with threadpool_limits(limits=1):
        result = cluster_phases(
            features,
            choice["method"],
            choice["k"],
            seed=0,
            scaling=choice["scaling"],
            nan_policy="omit",
        )
    score = score_clustering(
        result.labels, table["phase"].to_numpy(), on_interface=table["on_interface"]
    )
    return PhaseFinding(result.labels, score, result.n_clusters, int(result.usable.sum()))


def k_range(n_usable: int, n_true: int) -> range:
    """Numbers of phases the criteria try: 1 to max(6, true + 2), below the usable indents."""
    return range(1, max(1, min(max(6, n_true + 2), n_usable - 1)) + 1)


@st.cache_data(max_entries=64, show_spinner=False)
def criteria(
    settings: dict,
    columns: tuple[str, ...],
    scaling: str,
    n_true: int,
    zone_radii: float | None = None,
):
    """BIC, ICL, silhouette and inertia for k = 1 .. (see :func:`k_range`).

    With ``zone_radii``, only the indents whose zone of influence (that many contact
    radii) holds no boundary of the micrograph count (:func:`interior_mask`).

    Returns the table of :func:`learners.choose_n_phases` (``attrs["best_k"]``: each
    criterion's pick; ``attrs["n_indents"]``: indents used). Raises ValueError as
    :func:`learners.choose_n_phases` does, or when fewer than :data:`MIN_INTERIOR`
    interior indents are left.
    """
    table = map_table(settings)
    if zone_radii is not None:
        table = table[interior_mask(table, zone_radii)]
        if len(table) < MIN_INTERIOR:
            raise ValueError(
                f"only {len(table)} indents have no boundary of the micrograph within "
                f"{zone_radii:g} contact radii (at least {MIN_INTERIOR} are needed). The "
                "phases are too fine for indents this deep: make them shallower, or count "
                "on all indents."
            )
    features = table[[*columns, "ok"]]
    n_usable = int((features.notna().all(axis=1) & features["ok"]).sum())
    with threadpool_limits(limits=1):
        result = choose_n_phases(
            features, k_range(n_usable, n_true), seed=0, scaling=scaling, nan_policy="omit"
        )
    result.attrs["n_indents"] = n_usable
    return result


def interior_mask(table: pd.DataFrame, zone_radii: float) -> np.ndarray:
    """Indents of a map table whose zone of influence holds no boundary of the micrograph
    (their own contact radius from the Oliver-Pharr area, times ``zone_radii``)."""
    return interior_indents(
        table["boundary_distance_um"].to_numpy(float), table["A_nm2"].to_numpy(float), zone_radii
    ) & table["ok"].to_numpy(bool)


@st.cache_data(max_entries=64, show_spinner=False)
def populations(settings: dict, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deconvolution of the (H, E) cloud into ``k`` populations, and its property errors.

    Returns the table of :func:`learners.deconvolve` (softest first) and that of
    :func:`learners.property_errors` against the true phases (area fractions of the
    microstructure). Raises ValueError as :func:`learners.deconvolve` does.
    """
    table = map_table(settings)
    phases = microstructure_view(settings["microstructure"]).phases
    with threadpool_limits(limits=1):
        found = deconvolve(table[["H_GPa", "E_GPa", "ok"]], k, seed=0)
    return found, property_errors(found, phases[["name", "H_GPa", "E_GPa", "fraction"]])
