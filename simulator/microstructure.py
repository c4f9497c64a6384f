"""Synthetic multiphase microstructures with a known phase at every point.

A microstructure is defined analytically (Voronoi grains, particles in a matrix, lamellar
colonies, binder films between grains, pores), so the phase can be looked up at any point
without a resolution limit; :attr:`Microstructure.labels` is a raster of it for display and
for volume fractions.

Kinds:

- ``"voronoi"``: grains (Voronoi cells of uniform random seeds), each given a phase so
  that the area fractions match the targets;
- ``"particles"``: a Boolean model of discs with log-normal diameters in a matrix
  (fraction f needs a disc density -ln(1 - f) / <pi r^2>);
- ``"binder"``: Voronoi grains of the first phase with films of the second along the
  boundaries (points whose two nearest seeds are almost equidistant), e.g. WC-Co;
- ``"lamellae"``: Voronoi colonies, each with parallel lamellae of the second phase at a
  random orientation, e.g. alpha + beta Ti-6Al-4V;
- ``"cement"``: Voronoi domains of the matrix phases with particles of the last phase.

Preset phase properties come from :data:`simulator.materials.MATERIALS` (with their
sources); each preset names the paper its microstructure follows.

Grains: every Voronoi cell, every particle (disc) and every matrix grain of a particle
microstructure has its own id, so the grain-to-grain share of a phase's scatter (crystal
orientation) is drawn once per grain or particle, never once for a whole phase.

References
----------
.. [1] G. Constantinides, F.-J. Ulm, J. Mech. Phys. Solids 55 (2007) 64: C-S-H phases by
   grid indentation, M (cv about 22 % LD, 14 % HD) and H (cv about 31 % LD, 22 % HD).
.. [2] J. Velez et al., Cem. Concr. Res. 31 (2001) 555: clinker phases E 125-145 GPa.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .materials import get_material, validate_material

KINDS = ("voronoi", "particles", "binder", "lamellae", "cement")
PORE = "pore"
#: Properties given to pores: an indent centred on one meets almost no resistance.
PORE_E_GPA, PORE_NU, PORE_H_GPA = 1.0, 0.2, 0.01


@dataclass(frozen=True)
class MicrostructurePreset:
    """A named microstructure: phases (material presets), target fractions, geometry."""

    kind: str
    phases: tuple[str, ...]
    fractions: tuple[float, ...]
    grain_um: float
    scatter: tuple[float, ...]
    source: str
    feature_um: float = 1.0  # particle diameter, lamella spacing or binder film thickness
    H_scatter: tuple[float, ...] | None = None  # log-sd of H when it differs from E's


def _log_sd(cv: float) -> float:
    """Log-normal sigma with coefficient of variation ``cv``: sqrt(ln(1 + cv^2))."""
    return float(np.sqrt(np.log1p(cv**2)))


#: Named microstructures; keys are what ``make_microstructure`` accepts.
MICROSTRUCTURES: dict[str, MicrostructurePreset] = {
    "dual-phase steel": MicrostructurePreset(
        "voronoi",
        ("ferrite", "martensite"),
        (0.7, 0.3),
        grain_um=6.0,
        scatter=(0.08, 0.10),
        source="Ghassemi-Armaki et al., Acta Mater. 62 (2014) 197",
    ),
    "Al-SiC composite": MicrostructurePreset(
        "particles",
        ("Al alloy matrix", "SiC"),
        (0.8, 0.2),
        grain_um=10.0,
        scatter=(0.06, 0.08),
        source="typical particle-reinforced Al (IndentLab physics notes)",
        feature_um=8.0,
    ),
    "WC-Co hardmetal": MicrostructurePreset(
        "binder",
        ("WC", "Co binder"),
        (0.85, 0.15),
        grain_um=4.0,
        scatter=(0.08, 0.10),
        source="typical WC-Co hardmetal (IndentLab physics notes)",
    ),
    "cement paste": MicrostructurePreset(
        "cement",
        ("LD C-S-H", "HD C-S-H", "portlandite", "clinker"),
        (0.45, 0.30, 0.15, 0.10),
        grain_um=8.0,
        # M: LD 18.2 +- 4.2, HD 29.1 +- 4.0 GPa; H: LD 0.45 +- 0.14, HD 0.83 +- 0.18 GPa [1];
        # portlandite M 38 +- 5, H 1.31 +- 0.23 GPa (Constantinides & Ulm 2004); clinker
        # E 135 +- 7 GPa, H 8.7 +- 0.5 GPa (Velez et al. 2001 [2], alite).
        scatter=(_log_sd(4.2 / 18.2), _log_sd(4.0 / 29.1), _log_sd(5.0 / 38.0), 0.10),
        H_scatter=(_log_sd(0.14 / 0.45), _log_sd(0.18 / 0.83), _log_sd(0.23 / 1.31), 0.10),
        source="Constantinides & Ulm, J. Mech. Phys. Solids 55 (2007) 64",
        feature_um=10.0,
    ),
    "Ti-6Al-4V": MicrostructurePreset(
        "lamellae",
        ("Ti-6Al-4V alpha", "Ti-6Al-4V beta"),
        (0.85, 0.15),
        grain_um=30.0,
        scatter=(0.06, 0.08),
        source="typical lamellar alpha + beta Ti-6Al-4V (IndentLab physics notes)",
        feature_um=4.0,
    ),
    # A teaching preset, not a literature microstructure: ferrite and martensite grains of
    # 25 um, twice the coarse-grained dual-phase steel of Calcagnotto, Ponge & Raabe, Mater.
    # Sci. Eng. A 527 (2010) 7832 (ferrite ~12 um), so that every phase is far larger than
    # the zone of influence (about 1.5 um at 1 mN) and most indents are clear of boundaries.
    "coarse dual-phase steel (teaching)": MicrostructurePreset(
        "voronoi",
        ("ferrite", "martensite"),
        (0.6, 0.4),
        grain_um=25.0,
        scatter=(0.08, 0.10),
        source=(
            "teaching preset: grains twice those of the coarse-grained dual-phase steel of "
            "Calcagnotto, Ponge & Raabe, Mater. Sci. Eng. A 527 (2010) 7832"
        ),
    ),
}
#: Presets that follow a paper or typical literature values (the others are for teaching).
LITERATURE_MICROSTRUCTURES = (
    "dual-phase steel",
    "Al-SiC composite",
    "WC-Co hardmetal",
    "cement paste",
    "Ti-6Al-4V",
)


@dataclass
class Microstructure:
    """A 2-D microstructure with its phase table.

    Attributes
    ----------
    phases : DataFrame
        One row per phase (index = phase code): name, E_GPa, nu, H_GPa, E_sd, H_sd (relative
        scatter within the phase), target_fraction, fraction (area fraction of the raster).
    size_um : (width, height) [um]
    pixel_um : raster pixel size [um]
    labels : ndarray of int, shape (ny, nx)
        Phase code per pixel; row 0 is y = 0 (the image's origin is the lower-left corner).
    grains : ndarray of int, shape (ny, nx)
        Grain (cell) id per pixel, for orientation shading.
    """

    name: str
    kind: str
    phases: pd.DataFrame
    size_um: tuple[float, float]
    pixel_um: float
    source: str
    _geometry: dict = field(repr=False)
    labels: np.ndarray = field(init=False, repr=False)
    grains: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        w, h = self.size_um
        nx, ny = int(round(w / self.pixel_um)), int(round(h / self.pixel_um))
        x = (np.arange(nx) + 0.5) * self.pixel_um
        y = (np.arange(ny) + 0.5) * self.pixel_um
        X, Y = np.meshgrid(x, y)
        labels, grains = self.phase_at(X.ravel(), Y.ravel(), with_grains=True)
        self.labels = labels.reshape(ny, nx)
        self.grains = grains.reshape(ny, nx)
        counts = np.bincount(self.labels.ravel(), minlength=len(self.phases))
        self.phases["fraction"] = counts / counts.sum()

    def grain_variation(self, grain_ids: np.ndarray) -> np.ndarray:
        """Standard normal (z_H, z_E) of each grain id, shape (2, n): the same for every
        indent in one grain, so neighbours share it."""
        ids = np.asarray(grain_ids, dtype=int) + 1
        return self._geometry["grain_z"][:, np.clip(ids, 0, self._geometry["grain_z"].shape[1] - 1)]

    @property
    def phase_names(self) -> list[str]:
        """Phase names in code order."""
        return list(self.phases["name"])

    def phase_at(self, x_um, y_um, *, with_grains: bool = False):
        """Phase code (and grain id) at points ``x_um``, ``y_um`` [um]; exact, no raster."""
        x = np.asarray(x_um, dtype=float).ravel()
        y = np.asarray(y_um, dtype=float).ravel()
        phase, grain = _PHASE_FUNCTIONS[self.kind](self._geometry, np.column_stack([x, y]))
        pores = self._geometry.get("pores")
        if pores is not None:
            in_pore = _in_discs(pores, np.column_stack([x, y]))
            phase = np.where(in_pore, len(self.phases) - 1, phase)
        return (phase, grain) if with_grains else phase


def make_microstructure(
    preset: str = "dual-phase steel",
    *,
    size_um: tuple[float, float] = (150.0, 150.0),
    pixel_um: float | None = None,
    grain_um: float | None = None,
    fractions: tuple[float, ...] | None = None,
    porosity: float = 0.0,
    pore_um: float = 2.0,
    custom_phases: pd.DataFrame | list[dict] | None = None,
    seed: int | None = 0,
) -> Microstructure:
    """Make a synthetic microstructure.

    Parameters
    ----------
    preset : str
        A key of :data:`MICROSTRUCTURES`, or ``"custom"`` (Voronoi grains of
        ``custom_phases``: 2 to 5 rows with name, E_GPa, nu, H_GPa, E_sd, H_sd, fraction).
    size_um : (width, height)
        Size of the area [um].
    pixel_um : float, optional
        Raster pixel for display and fractions [um]; default: longest side / 600.
    grain_um : float, optional
        Mean grain (cell) size [um]; default from the preset.
    fractions : tuple of float, optional
        Target area fractions of the phases (sum 1); default from the preset.
    porosity : float
        Area fraction of pores (discs of diameter ``pore_um``), in [0, 0.3].
    seed : int or None

    Returns
    -------
    Microstructure
    """
    w, h = (float(v) for v in size_um)
    if not (np.isfinite(w) and np.isfinite(h) and w > 0 and h > 0):
        raise ValueError(f"size_um must be two numbers > 0. Got {size_um!r}.")
    if w * h > 4e6:
        raise ValueError(f"size_um may cover at most 4e6 um^2 (2 x 2 mm). Got {w * h:g}.")
    if not 0 <= porosity <= 0.3:
        raise ValueError(f"porosity must lie in [0, 0.3]. Got {porosity!r}.")
    table, spec = _phase_table(preset, custom_phases)
    if fractions is not None:
        fractions = tuple(float(f) for f in fractions)
        if len(fractions) != len(table) or min(fractions) < 0 or abs(sum(fractions) - 1) > 1e-6:
            raise ValueError(
                f"fractions must be {len(table)} numbers >= 0 that sum to 1. Got {fractions!r}."
            )
        table["target_fraction"] = fractions
    grain = float(grain_um if grain_um is not None else spec.grain_um)
    if not grain > 0:
        raise ValueError(f"grain_um must be > 0. Got {grain_um!r}.")
    n_cells = int(np.ceil(w * h / grain**2))
    if n_cells > 200_000:
        raise ValueError(f"grain_um {grain:g} is too small for this area ({n_cells} grains).")
    rng = np.random.default_rng(seed)
    geometry = _GEOMETRY_BUILDERS[spec.kind](
        rng, (w, h), grain, np.asarray(table["target_fraction"]), spec.feature_um
    )
    if porosity > 0:
        geometry["pores"] = _boolean_discs(rng, (w, h), porosity, pore_um, 0.0)
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    [
                        {
                            "name": PORE,
                            "E_GPa": PORE_E_GPA,
                            "nu": PORE_NU,
                            "H_GPa": PORE_H_GPA,
                            "E_sd": 0.0,
                            "H_sd": 0.0,
                            "target_fraction": porosity,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    # Grain-to-grain variation (crystal orientation changes H and E from grain to grain):
    # two standard normal numbers per grain id (+1 so that id -1, "no grain", has a slot).
    n_slots = geometry["n_grains"] + 2
    geometry["grain_z"] = rng.standard_normal((2, n_slots))
    pixel = float(pixel_um) if pixel_um is not None else max(w, h) / 600.0
    if not pixel > 0 or max(w, h) / pixel > 4000:
        raise ValueError(
            f"pixel_um must be > 0 and give at most 4000 pixels a side. Got {pixel_um!r}."
        )
    return Microstructure(
        name=preset,
        kind=spec.kind,
        phases=table,
        size_um=(w, h),
        pixel_um=pixel,
        source=spec.source,
        _geometry=geometry,
    )


def _phase_table(preset: str, custom_phases) -> tuple[pd.DataFrame, MicrostructurePreset]:
    if preset == "custom":
        if custom_phases is None:
            raise ValueError("preset='custom' needs custom_phases (2 to 5 phases).")
        table = pd.DataFrame(custom_phases).reset_index(drop=True)
        needed = {"name", "E_GPa", "nu", "H_GPa", "fraction"}
        if not needed <= set(table.columns) or not 2 <= len(table) <= 5:
            raise ValueError(
                f"custom_phases must have 2 to 5 rows with columns {sorted(needed)} "
                "(optional: E_sd, H_sd)."
            )
        validate_material(table["E_GPa"], table["nu"], table["H_GPa"])
        fractions = table["fraction"].to_numpy(dtype=float)
        if fractions.min() < 0 or abs(fractions.sum() - 1) > 1e-6:
            raise ValueError(f"custom phase fractions must be >= 0 and sum to 1. Got {fractions}.")
        table = table.rename(columns={"fraction": "target_fraction"})
        for col in ("E_sd", "H_sd"):
            table[col] = table[col].astype(float) if col in table else 0.05
        spec = MicrostructurePreset(
            "voronoi",
            tuple(table["name"]),
            tuple(fractions),
            grain_um=8.0,
            scatter=tuple(table["H_sd"]),
            source="custom",
        )
        cols = ["name", "E_GPa", "nu", "H_GPa", "E_sd", "H_sd", "target_fraction"]
        return table[cols].copy(), spec
    try:
        spec = MICROSTRUCTURES[preset]
    except (KeyError, TypeError):
        allowed = ", ".join([*MICROSTRUCTURES, "custom"])
        raise ValueError(f"Unknown microstructure preset {preset!r}. Allowed: {allowed}.") from None
    rows = []
    H_scatter = spec.H_scatter if spec.H_scatter is not None else spec.scatter
    for name, fraction, sd, sd_H in zip(
        spec.phases, spec.fractions, spec.scatter, H_scatter, strict=True
    ):
        m = get_material(name)
        rows.append(
            {
                "name": name,
                "E_GPa": m.E_GPa,
                "nu": m.nu,
                "H_GPa": m.H_GPa,
                "E_sd": sd,
                "H_sd": sd_H,
                "target_fraction": fraction,
            }
        )
    return pd.DataFrame(rows), spec


# --- geometry builders: (rng, size, grain_um, fractions, feature_um) -> dict --------------


def _voronoi_cells(rng, size, grain_um):
    w, h = size
    n = int(np.ceil(w * h / grain_um**2))
    seeds = rng.uniform((0.0, 0.0), (w, h), size=(n, 2))
    return seeds, cKDTree(seeds)


def _assign_by_area(rng, areas: np.ndarray, fractions: np.ndarray) -> np.ndarray:
    """Give cells phases in random order so cumulative area follows the target fractions."""
    order = rng.permutation(areas.size)
    cumulative = np.cumsum(areas[order]) / areas.sum()
    # A cell takes the phase whose cumulative-fraction band holds the cell's midpoint.
    midpoint = cumulative - areas[order] / areas.sum() / 2
    phase_of_order = np.searchsorted(np.cumsum(fractions)[:-1], midpoint, side="right")
    phase = np.empty(areas.size, dtype=int)
    phase[order] = phase_of_order
    return phase


def _cell_areas(rng, tree, size, n_cells) -> np.ndarray:
    """Monte-Carlo area of each Voronoi cell (fractions of the total)."""
    w, h = size
    samples = rng.uniform((0.0, 0.0), (w, h), size=(max(200_000, 20 * n_cells), 2))
    cell = tree.query(samples)[1]
    return np.bincount(cell, minlength=n_cells).astype(float) + 1e-9


def _build_voronoi(rng, size, grain_um, fractions, feature_um):
    seeds, tree = _voronoi_cells(rng, size, grain_um)
    areas = _cell_areas(rng, tree, size, len(seeds))
    return {
        "tree": tree,
        "cell_phase": _assign_by_area(rng, areas, fractions),
        "n_grains": len(seeds),
    }


def _build_binder(rng, size, grain_um, fractions, feature_um):
    seeds, tree = _voronoi_cells(rng, size, grain_um)
    w, h = size
    probe = rng.uniform((0.0, 0.0), (w, h), size=(200_000, 2))
    d = tree.query(probe, k=2)[0]
    # Binder where the two nearest seeds are nearly equidistant; threshold set by the
    # target binder fraction.
    threshold = float(np.quantile(d[:, 1] - d[:, 0], fractions[1]))
    return {"tree": tree, "threshold": threshold, "n_grains": len(seeds)}


def _build_lamellae(rng, size, grain_um, fractions, feature_um):
    seeds, tree = _voronoi_cells(rng, size, grain_um)
    n = len(seeds)
    return {
        "tree": tree,
        "angle": rng.uniform(0, np.pi, n),
        "offset": rng.uniform(0, 1, n),
        "spacing_um": float(feature_um),
        "second_fraction": float(fractions[1]),
        "n_grains": n,
    }


def _build_particles(rng, size, grain_um, fractions, feature_um):
    # Matrix = phase 0 with Voronoi grains of grain_um (ids 0 ..); particles of the other
    # phases, drawn in turn, each disc with its own id after the matrix grains.
    layers = []
    remaining = 1.0
    for code in range(len(fractions) - 1, 0, -1):
        f = fractions[code] / remaining if remaining > 0 else 0.0
        layers.append((code, _boolean_discs(rng, size, min(f, 0.95), feature_um, 0.3)))
        remaining -= fractions[code]
    seeds, tree = _voronoi_cells(rng, size, grain_um)
    first_id, offsets = len(seeds), []
    for _, discs in layers:
        offsets.append(first_id)
        first_id += 0 if discs is None else len(discs["radius"])
    return {
        "layers": layers,
        "layer_first_id": offsets,
        "matrix": 0,
        "tree": tree,
        "n_grains": first_id,
    }


def _build_cement(rng, size, grain_um, fractions, feature_um):
    matrix_fractions = fractions[:-1] / fractions[:-1].sum()
    voronoi = _build_voronoi(rng, size, grain_um, matrix_fractions, feature_um)
    discs = _boolean_discs(rng, size, float(fractions[-1]), feature_um, 0.4)
    n_discs = 0 if discs is None else len(discs["radius"])
    return {
        **voronoi,
        "particles": discs,
        "particle_phase": len(fractions) - 1,
        "n_grains": voronoi["n_grains"] + n_discs,
    }


def _boolean_discs(rng, size, fraction, diameter_um, log_sd):
    """Discs whose union covers ``fraction`` of the area on average (Boolean model)."""
    w, h = size
    if fraction <= 0:
        return None
    radius = 0.5 * diameter_um * np.exp(log_sd * rng.standard_normal(1_000_000))
    mean_area = np.pi * np.mean(radius**2)
    n = int(np.ceil(-np.log(1 - fraction) * w * h / mean_area))
    radius = radius[:n] if n <= radius.size else 0.5 * diameter_um * np.ones(n)
    centres = rng.uniform((0.0, 0.0), (w, h), size=(n, 2))
    return {"tree": cKDTree(centres), "radius": radius, "r_max": float(radius.max())}


# --- phase look-up at points: (geometry, points (k, 2)) -> (phase, grain) -----------------


def _in_discs(discs, points) -> np.ndarray:
    return _disc_at(discs, points) >= 0


def _disc_at(discs, points) -> np.ndarray:
    """Index of the disc holding each point (the one with the nearest centre), -1 if none."""
    if discs is None:
        return np.full(len(points), -1)
    k = min(16, len(discs["radius"]))
    dist, idx = discs["tree"].query(points, k=k, distance_upper_bound=discs["r_max"])
    dist = dist.reshape(len(points), k)
    idx = idx.reshape(len(points), k)
    valid = idx < len(discs["radius"])
    r = np.where(valid, discs["radius"][np.minimum(idx, len(discs["radius"]) - 1)], 0.0)
    inside = valid & (dist < r)
    # Neighbours come sorted by distance: the first inside is the nearest centre.
    return np.where(inside.any(axis=1), idx[np.arange(len(points)), inside.argmax(axis=1)], -1)


def _phase_voronoi(g, points):
    cell = g["tree"].query(points)[1]
    return g["cell_phase"][cell], cell


def _phase_binder(g, points):
    d, idx = g["tree"].query(points, k=2)
    phase = (d[:, 1] - d[:, 0] < g["threshold"]).astype(int)
    return phase, idx[:, 0]


def _phase_lamellae(g, points):
    cell = g["tree"].query(points)[1]
    theta = g["angle"][cell]
    across = points[:, 0] * np.cos(theta) + points[:, 1] * np.sin(theta)
    position = np.mod(across / g["spacing_um"] + g["offset"][cell], 1.0)
    return (position < g["second_fraction"]).astype(int), cell


def _phase_particles(g, points):
    phase = np.full(len(points), g["matrix"])
    grain = g["tree"].query(points)[1]
    for (code, discs), first_id in zip(g["layers"], g["layer_first_id"], strict=True):
        disc = _disc_at(discs, points)
        take = (disc >= 0) & (phase == g["matrix"])
        phase = np.where(take, code, phase)
        grain = np.where(take, first_id + disc, grain)
    return phase, grain


def _phase_cement(g, points):
    phase, cell = _phase_voronoi(g, points)
    disc = _disc_at(g["particles"], points)
    inside = disc >= 0
    particle_id = g["n_grains"] - (0 if g["particles"] is None else len(g["particles"]["radius"]))
    return np.where(inside, g["particle_phase"], phase), np.where(inside, particle_id + disc, cell)


_GEOMETRY_BUILDERS = {
    "voronoi": _build_voronoi,
    "binder": _build_binder,
    "lamellae": _build_lamellae,
    "particles": _build_particles,
    "cement": _build_cement,
}
_PHASE_FUNCTIONS = {
    "voronoi": _phase_voronoi,
    "binder": _phase_binder,
    "lamellae": _phase_lamellae,
    "particles": _phase_particles,
    "cement": _phase_cement,
}
