"""Labelled datasets for supervised learning and anomaly detection, with what caused each label.

Every task states its truth: which inputs the simulator made informative, and the nuisance it
added on purpose. Tasks:

- ``"phase"``: curves from an indent map over a multiphase microstructure; label = the phase
  under the indent; ``groups`` are spatial blocks for honest cross-validation.
- ``"material"``: curves of several presets with realistic scatter; label = material.
- ``"quality"``: good curves and curves with one defect each (pop-in, drift, surface offset,
  elbow, crack, pore hit); label = "good" or the defect type ("defect" in binary mode).
  Each defect sits on a material that shows it (:data:`DEFECT_HOSTS`): elbows on silicon
  (phase transformation, Domnich, Gogotsi & Dub 2000), cracks on brittle solids.
- ``"properties"``: random materials, targets H and E; pile-up grows with E/H as in soft
  metals (Bolshakov & Pharr 1998), so Oliver-Pharr is biased where it matters
  (cf. Lu et al., PNAS 117 (2020) 7052 for learning properties from curves).
- ``"confounded"``: two classes that differ weakly in hardness, measured on two days whose
  thermal drift differs; in training the day goes with the class (a "Clever Hans" shortcut),
  in ``.test`` it does not.
- ``"anomalies"``: a campaign with a chosen contamination of defective curves (and, as an
  option, rare but physical curves), with per-curve and per-point truth.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .curves import Curves, simulate_curves
from .grid import indent_map
from .materials import get_material, materials_showing
from .microstructure import make_microstructure

TASKS = ("phase", "material", "quality", "properties", "confounded", "anomalies")
#: Defect types of the quality and anomaly tasks, and what their size means.
DEFECT_TYPES: dict[str, str] = {
    "popin": "pop-in load (mN); the burst grows with it",
    "drift": "thermal drift rate (nm/s)",
    "surface_offset": "zero-point error (nm)",
    "elbow": "elbow recovery on unloading (nm)",
    "crack": "crack burst during loading (nm)",
    "pore": "fraction of the zone that is pore (-); with a burst where the wall breaks",
}
#: Default size range of each defect type at size_scale = 1 (drawn uniformly per curve).
DEFECT_SIZE_RANGES: dict[str, tuple[float, float]] = {
    "popin": (0.2, 0.6),
    "drift": (0.15, 0.4),
    "surface_offset": (15.0, 40.0),
    "elbow": (15.0, 40.0),
    "crack": (15.0, 40.0),
    "pore": (0.3, 0.6),
}
DEFAULT_MATERIALS = ("aluminium", "copper (annealed)", "nickel", "ferrite", "tungsten")
#: Defect types that occur on some materials only, and the presets that show them
#: (:attr:`simulator.materials.Material.occurs`): elbows and pop-outs come from the
#: pressure-induced phase transformation of Si and Ge (Domnich, Gogotsi & Dub, Appl. Phys.
#: Lett. 76 (2000) 2214); radial cracks from brittle solids (glass, sapphire, WC, Si); pop-ins
#: from dislocation nucleation in crystals (Schuh, Mater. Today 9 (2006) 32), not glasses. A
#: campaign draws such a defect on its base materials that show it, or, when none does, on
#: these presets (the truth's ``material`` says which).
DEFECT_HOSTS: dict[str, tuple[str, ...]] = {
    "popin": materials_showing("popin"),
    "elbow": materials_showing("elbow"),
    "crack": materials_showing("crack"),
}


@dataclass
class Dataset:
    """Labelled curves with their truth.

    Attributes
    ----------
    task : str
    curves : Curves
        The curves (arrays of shape (n, n_points)) and the simulator's per-curve truth.
    y : ndarray of str, shape (n,), or DataFrame
        Labels; for ``"properties"`` a DataFrame with the targets ``H_GPa``, ``E_GPa``.
    truth : DataFrame, one row per curve
        What generated each curve (material, phase, defect and its size, day, drift ...).
    classes : list of str or None
    groups : ndarray or None
        Group per curve for grouped cross-validation (spatial block, or measurement day).
    informative : list of str
        Truth columns the simulator made carry the label.
    nuisance : list of str
        Truth columns that vary but carry no physical information about the label.
    description : str
        The task's truth in words.
    test : Dataset or None
        A clean test set (``"confounded"`` only).
    """

    task: str
    curves: Curves
    y: np.ndarray | pd.DataFrame
    truth: pd.DataFrame
    classes: list[str] | None
    groups: np.ndarray | None
    informative: list[str]
    nuisance: list[str]
    description: str
    test: Dataset | None = None
    extra: dict = field(default_factory=dict)

    t_s = property(lambda self: self.curves.t_s, doc="Time [s], (n, n_points).")
    h_nm = property(lambda self: self.curves.h_nm, doc="Displacement [nm], (n, n_points).")
    P_mN = property(lambda self: self.curves.P_mN, doc="Load [mN], (n, n_points).")
    segment = property(lambda self: self.curves.segment, doc="Segment codes, (n, n_points).")
    defect_points = property(
        lambda self: self.curves.defect_points, doc="Per-point truth of each defect."
    )

    @property
    def n(self) -> int:
        """Number of curves."""
        return self.curves.n_curves

    @property
    def defect_region(self) -> np.ndarray:
        """Bool array (n, n_points): the points each curve's own defect changed (all False
        for good curves). For a pore hit it is the burst where the pore wall gives way."""
        region = np.zeros(self.h_nm.shape, dtype=bool)
        for mask in self.curves.defect_points.values():
            region |= mask
        return region


def make_dataset(task: str, n: int = 400, *, seed: int | None = 0, **options) -> Dataset:
    """Make a labelled dataset for ``task`` (one of :data:`TASKS`).

    Common options: ``noise`` (default ``"default"``), ``protocol``, ``tip`` and
    ``tip_radius_nm`` (as in :func:`simulator.simulate_curves`; e.g. ``tip_radius_nm=150``
    for a worn, rounded Berkovich). Task options are documented in the ``_make_<task>``
    functions of this module.
    """
    if task not in TASKS:
        raise ValueError(f"Unknown task {task!r}. Allowed: {', '.join(TASKS)}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 4 <= n <= 50_000:
        raise ValueError(f"n must be a whole number from 4 to 50000. Got {n!r}.")
    maker = globals()[f"_make_{task}"]
    allowed = [p for p in inspect.signature(maker).parameters if p not in ("n", "seed")]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(
            f"Unknown option(s) {unknown} for task {task!r}. Allowed: {', '.join(allowed)}."
        )
    return maker(int(n), seed, **options)


def _seeds(seed, k: int) -> list[int]:
    """k independent integer seeds derived from ``seed`` (random when seed is None)."""
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(k)]


def _class_counts(n: int, n_classes: int, weights) -> np.ndarray:
    """Curves per class for a total of n, following ``weights`` (equal when None)."""
    w = np.ones(n_classes) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n_classes,) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"class_weights must be {n_classes} numbers >= 0. Got {weights!r}.")
    counts = np.floor(n * w / w.sum()).astype(int)
    counts[np.argmax(w)] += n - counts.sum()
    return counts


def _make_phase(
    n,
    seed,
    *,
    preset: str = "dual-phase steel",
    spacing_um: float = 4.0,
    P_max_mN: float = 1.0,
    block_um: float = 20.0,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
    defects=None,
    session=None,
) -> Dataset:
    """Phase from curve: an indent map of about n indents; groups are spatial blocks.

    ``session``: the instrument over the map (tip wear, drift wander, days), see
    :func:`simulator.grid.indent_map`.
    """
    side = int(np.ceil(np.sqrt(n)))
    extent = (side - 1) * spacing_um + 4 * spacing_um
    ms = make_microstructure(preset, size_um=(extent, extent), seed=seed)
    m = indent_map(
        ms,
        nx=side,
        ny=side,
        spacing_um=spacing_um,
        P_max_mN=P_max_mN,
        noise=noise,
        protocol=protocol,
        defects=defects,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
        session=session,
        seed=seed,
    )
    if not block_um > 0:
        raise ValueError(f"block_um must be > 0. Got {block_um!r}.")
    bx = np.floor(m.x_um / block_um).astype(int)
    by = np.floor(m.y_um / block_um).astype(int)
    groups = bx + (bx.max() + 1) * by
    truth = m.truth.copy()
    truth["block"] = groups
    return Dataset(
        task="phase",
        curves=m.curves,
        y=truth["phase_name"].to_numpy(dtype=str),
        truth=truth,
        classes=list(ms.phase_names),
        groups=groups,
        informative=["H_GPa", "E_GPa"],
        nuisance=["x_um", "y_um"],
        description=(
            f"{preset}: the phase under each indent sets its H and E (mixed near interfaces); "
            "neighbouring indents share a phase and a grain, so a random split may leak: "
            "compare it with a spatially blocked split."
        ),
        extra={"indent_map": m, "microstructure": ms},
    )


def _make_material(
    n,
    seed,
    *,
    materials=DEFAULT_MATERIALS,
    scatter: float = 0.08,
    class_weights=None,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
) -> Dataset:
    """Material class: curves of several presets, label = material."""
    materials = list(materials)
    if len(materials) < 2:
        raise ValueError(f"materials needs at least 2 presets. Got {materials!r}.")
    counts = _class_counts(n, len(materials), class_weights)
    (seed_order,) = _seeds(seed, 1)
    which = np.repeat(np.arange(len(materials)), counts)
    which = which[np.random.default_rng(seed_order).permutation(n)]  # not class by class
    label = np.asarray(materials, dtype=str)[which]
    props = [get_material(m) for m in materials]
    rep = lambda attr: np.array([getattr(p, attr) for p in props])[which]  # noqa: E731
    curves = simulate_curves(
        n,
        E=rep("E_GPa"),
        nu=rep("nu"),
        H=rep("H_GPa"),
        unloading_exponent=rep("unloading_exponent"),
        scatter=scatter,
        noise=noise,
        protocol=protocol,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
        defects_per_curve=_size_effect(rep("h_star_nm")),
        seed=seed,
    )
    curves.truth["material"] = label
    return Dataset(
        task="material",
        curves=curves,
        y=label,
        truth=curves.truth.copy(),
        classes=materials,
        groups=None,
        informative=["H_GPa", "E_GPa"],
        nuisance=[],
        description="Each material's typical H and E (with scatter) set its curves.",
    )


def _defect_campaign(
    n_by_type: dict[str, int],
    seed,
    *,
    size_scale: float,
    base_materials,
    scatter: float,
    noise,
    protocol,
    P_max_mN: float,
    rare: dict[str, int] | None = None,
    tip="berkovich",
    tip_radius_nm=None,
) -> tuple[Curves, pd.DataFrame]:
    """Curves with one defect type each (``"none"`` for good), sizes drawn per curve."""
    if not size_scale >= 0:
        raise ValueError(f"size_scale must be >= 0. Got {size_scale!r}.")
    unknown = set(n_by_type) - set(DEFECT_TYPES) - {"none"}
    if unknown:
        raise ValueError(
            f"Unknown defect type(s) {sorted(unknown)}. Allowed: {', '.join(DEFECT_TYPES)}."
        )
    rare = rare or {}
    kinds = list(n_by_type) + [f"rare:{k}" for k in rare]
    counts = list(n_by_type.values()) + list(rare.values())
    kind = np.repeat(np.asarray(kinds, dtype=object), counts)
    n = kind.size
    seed_sizes, seed_curves, seed_order, seed_hosts = _seeds(seed, 4)
    # A campaign is not measured class by class: the kinds come in a random order, so that
    # slicing, plotting or splitting by position never sees one class only.
    kind = kind[np.random.default_rng(seed_order).permutation(n)]
    rng = np.random.default_rng(seed_sizes)
    materials = list(base_materials)
    which = rng.integers(len(materials), size=n)
    which = _on_host_materials(kind, which, materials, np.random.default_rng(seed_hosts))
    props = [get_material(m) for m in materials]
    E = np.array([p.E_GPa for p in props])[which]
    nu = np.array([p.nu for p in props])[which]
    H = np.array([p.H_GPa for p in props])[which]
    m_unload = np.array([p.unloading_exponent for p in props])[which]
    h_star = np.array([p.h_star_nm for p in props])[which]
    u = rng.uniform(size=n)
    sign = np.where(rng.uniform(size=n) < 0.5, -1.0, 1.0)
    size = np.zeros(n)
    per_curve = {k: np.zeros(n) for k in ("popin_load_mN", "drift_nm_per_s", "elbow_nm")}
    per_curve.update({k: np.zeros(n) for k in ("surface_offset_nm", "crack_load_mN")})
    per_curve["crack_size_nm"] = np.zeros(n)
    for name, (lo, hi) in DEFECT_SIZE_RANGES.items():
        rows = kind == name
        size[rows] = size_scale * (lo + (hi - lo) * u[rows])
    rows = kind == "popin"
    per_curve["popin_load_mN"][rows] = np.minimum(size[rows], 0.9 * P_max_mN)
    rows = kind == "drift"
    size[rows] *= sign[rows]
    per_curve["drift_nm_per_s"][rows] = size[rows]
    rows = kind == "surface_offset"
    size[rows] *= sign[rows]
    per_curve["surface_offset_nm"][rows] = size[rows]
    rows = kind == "elbow"
    per_curve["elbow_nm"][rows] = size[rows]
    rows = kind == "crack"
    per_curve["crack_load_mN"][rows] = P_max_mN * (0.4 + 0.4 * u[rows])
    per_curve["crack_size_nm"][rows] = size[rows]
    rows = kind == "pore"
    pore_fraction = np.clip(size, 0, 0.9)
    E = np.where(rows, E * (1 - pore_fraction), E)
    H = np.where(rows, H * (1 - pore_fraction), H)
    per_curve["crack_load_mN"][rows] = 0.08 * P_max_mN
    per_curve["crack_size_nm"][rows] = 60.0 * pore_fraction[rows]
    # Rare but physical: a pop-in in a defect-free single crystal, a hard inclusion.
    rows = kind == "rare:popin"
    lo, hi = DEFECT_SIZE_RANGES["popin"]
    per_curve["popin_load_mN"][rows] = np.minimum(lo + (hi - lo) * u[rows], 0.9 * P_max_mN)
    rows = kind == "rare:inclusion"
    H = np.where(rows, H * 2.5, H)
    E = np.where(rows, E * 1.6, E)
    curves = simulate_curves(
        n,
        E=E,
        nu=nu,
        H=np.minimum(H, 0.3 * E),
        unloading_exponent=m_unload,
        scatter=scatter,
        noise=noise,
        protocol=protocol,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
        P_max_mN=P_max_mN,
        defects_per_curve={**per_curve, **_size_effect(h_star)},
        seed=seed_curves,
    )
    truth = curves.truth.copy()
    truth["material"] = np.asarray(materials, dtype=object)[which]
    kind = kind.astype(str)
    is_rare = np.char.startswith(kind, "rare:")
    truth.insert(1, "defect", np.where(is_rare, "none", kind).astype(object))
    truth.insert(2, "defect_size", np.where(is_rare, 0.0, size))
    rare_kind = np.where(is_rare, np.char.replace(kind, "rare:", ""), "")
    truth.insert(3, "rare", rare_kind.astype(object))
    return curves, truth


def _on_host_materials(kind, which, materials: list[str], rng) -> np.ndarray:
    """Material index per curve, redrawn for the defects of :data:`DEFECT_HOSTS` among the
    materials that show them; appends the defect's host presets to ``materials`` (in place)
    when no base material does."""
    which = which.copy()
    for defect, hosts in DEFECT_HOSTS.items():
        rows = np.flatnonzero(kind == defect)
        if rows.size == 0:
            continue
        on = [i for i, name in enumerate(materials) if defect in get_material(name).occurs]
        if not on:
            on = [len(materials) + j for j in range(len(hosts))]
            materials.extend(hosts)
        which[rows] = np.asarray(on)[rng.integers(len(on), size=rows.size)]
    return which


def _size_effect(h_star_nm: np.ndarray) -> dict[str, np.ndarray]:
    """defects_per_curve entry with each preset's Nix-Gao h* (empty when none has one)."""
    return {"ise_h_star_nm": h_star_nm} if np.any(h_star_nm > 0) else {}


def _make_quality(
    n,
    seed,
    *,
    defect_types=("popin", "drift", "surface_offset", "elbow", "crack", "pore"),
    defect_rate: float = 0.5,
    size_scale: float = 1.0,
    label_mode: str = "type",
    base_materials=("ferrite", "nickel", "tungsten", "silicon (100)", "fused silica"),
    scatter: float = 0.05,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
    P_max_mN: float = 5.0,
) -> Dataset:
    """Curve quality: good curves and curves with one defect each; sizes scale together.

    Elbows are drawn on the base materials that show them (silicon), cracks on the brittle
    ones (silicon, fused silica); see :data:`DEFECT_HOSTS`.
    """
    if label_mode not in ("type", "binary"):
        raise ValueError(f"label_mode must be 'type' or 'binary'. Got {label_mode!r}.")
    if not 0 < defect_rate < 1:
        raise ValueError(f"defect_rate must lie in (0, 1). Got {defect_rate!r}.")
    types = list(defect_types)
    if not types:
        raise ValueError("defect_types needs at least one defect type.")
    n_bad = int(round(n * defect_rate))
    per_type = _class_counts(n_bad, len(types), None)
    n_by_type = {"none": n - n_bad, **dict(zip(types, per_type, strict=True))}
    curves, truth = _defect_campaign(
        n_by_type,
        seed,
        size_scale=size_scale,
        base_materials=base_materials,
        scatter=scatter,
        noise=noise,
        protocol=protocol,
        P_max_mN=P_max_mN,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
    )
    good = truth["defect"] == "none"
    if label_mode == "binary":
        y = np.where(good, "good", "defect")
        classes = ["good", "defect"]
    else:
        y = np.where(good, "good", truth["defect"]).astype(str)
        classes = ["good", *types]
    return Dataset(
        task="quality",
        curves=curves,
        y=y,
        truth=truth,
        classes=classes,
        groups=None,
        informative=["defect", "defect_size"],
        nuisance=["material", "E_GPa", "H_GPa"],
        description=(
            "The defect (type and size) makes the label; the material is a nuisance that "
            "varies in both classes. The truth also says where in each curve the defect is."
        ),
    )


#: The anomaly campaign's default sample and peak load: silicon (100) shows every defect
#: type (pop-ins, the elbow of its phase transformation, cracks). Pages quote these.
ANOMALY_BASE_MATERIALS = ("silicon (100)",)
ANOMALY_P_MAX_MN = 5.0
#: Relative indent-to-indent scatter of E and H in the anomaly campaign [-].
ANOMALY_SCATTER = 0.05


def _make_anomalies(
    n,
    seed,
    *,
    contamination: float = 0.1,
    defect_types=("popin", "drift", "surface_offset", "elbow", "crack", "pore"),
    size_scale: float = 1.0,
    rare_fraction: float = 0.0,
    base_materials=ANOMALY_BASE_MATERIALS,
    scatter: float = ANOMALY_SCATTER,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
    P_max_mN: float = ANOMALY_P_MAX_MN,
) -> Dataset:
    """A campaign with ``contamination`` defective curves; y = "anomaly" / "normal".

    The default campaign is on silicon (100), which shows every defect type (pop-ins, the
    elbow of its phase transformation, cracks): a detector is judged on the defects, not on
    a material change. On other base materials a defect they do not show is drawn on the
    presets that do (:data:`DEFECT_HOSTS`), as indents on a second sample would be.
    """
    if not 0 <= contamination < 1 or not 0 <= rare_fraction < 1:
        raise ValueError(
            f"contamination and rare_fraction must lie in [0, 1). Got {contamination!r}, "
            f"{rare_fraction!r}."
        )
    types = list(defect_types)
    n_bad = int(round(n * contamination)) if types else 0
    n_rare = int(round(n * rare_fraction))
    per_type = _class_counts(n_bad, len(types), None) if n_bad else np.zeros(len(types), int)
    rare = dict(zip(("popin", "inclusion"), _class_counts(n_rare, 2, None), strict=True))
    n_by_type = {"none": n - n_bad - n_rare, **dict(zip(types, per_type, strict=True))}
    curves, truth = _defect_campaign(
        n_by_type,
        seed,
        size_scale=size_scale,
        base_materials=base_materials,
        scatter=scatter,
        noise=noise,
        protocol=protocol,
        P_max_mN=P_max_mN,
        rare=rare if n_rare else None,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
    )
    y = np.where(truth["defect"] == "none", "normal", "anomaly")
    return Dataset(
        task="anomalies",
        curves=curves,
        y=y,
        truth=truth,
        classes=["normal", "anomaly"],
        groups=None,
        informative=["defect", "defect_size"],
        nuisance=["material", "E_GPa", "H_GPa", "rare"],
        description=(
            f"{contamination:.0%} of the curves carry one defect each; "
            + (f"{rare_fraction:.0%} are rare but physical (not defects). " if n_rare else "")
            + "defect_points says where in each curve the defect is."
        ),
    )


def _make_properties(
    n,
    seed,
    *,
    E_GPa=(50.0, 450.0),
    E_over_H=(10.0, 100.0),
    pileup: bool = True,
    pileup_max: float = 0.4,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
) -> Dataset:
    """Property regression: targets H and E; pile-up grows with E/H beyond 40 (soft metals)."""
    lo, hi = (float(v) for v in E_GPa)
    r_lo, r_hi = (float(v) for v in E_over_H)
    if not (0 < lo < hi and 2 < r_lo < r_hi):
        raise ValueError(f"E_GPa and E_over_H must be increasing ranges. Got {E_GPa}, {E_over_H}.")
    seed_draws, seed_curves = _seeds(seed, 2)
    rng = np.random.default_rng(seed_draws)
    E = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    ratio = np.exp(rng.uniform(np.log(r_lo), np.log(r_hi), n))
    nu = rng.uniform(0.2, 0.35, n)
    H = E / ratio
    excess = pileup_max * np.clip(np.log(ratio / 40.0) / np.log(150.0 / 40.0), 0, 1)
    if not pileup:
        excess = np.zeros(n)
    curves = simulate_curves(
        n,
        E=E,
        nu=nu,
        H=H,
        noise=noise,
        protocol=protocol,
        tip=tip,
        tip_radius_nm=tip_radius_nm,
        defects_per_curve={"pileup_area_excess": excess},
        seed=seed_curves,
    )
    truth = curves.truth.copy()
    truth["E_over_H"] = ratio
    return Dataset(
        task="properties",
        curves=curves,
        y=truth[["H_GPa", "E_GPa"]].copy(),
        truth=truth,
        classes=None,
        groups=None,
        informative=["H_GPa", "E_GPa", "pileup_area_excess"],
        nuisance=["nu"],
        description=(
            f"E from {lo:g} to {hi:g} GPa and E/H from {r_lo:g} to {r_hi:g}; pile-up "
            f"(up to {pileup_max:.0%} more area) grows with E/H above 40, hiding area from "
            "Oliver-Pharr."
        ),
    )


def _make_confounded(
    n,
    seed,
    *,
    material: str = "ferrite",
    signal: float = 0.04,
    scatter: float = 0.06,
    confound: float = 0.9,
    drift_by_day_nm_per_s=(0.12, -0.04),
    drift_sd_nm_per_s: float = 0.02,
    test_n: int | None = None,
    noise="default",
    protocol=None,
    tip="berkovich",
    tip_radius_nm=None,
) -> Dataset:
    """Clever Hans: classes differ by ``signal`` in H; day (drift) goes with the class.

    In training a fraction ``confound`` of class "aged" was measured on day 1 and the same
    fraction of "as-received" on day 2; ``.test`` has the days at random.
    """
    if not 0.5 <= confound <= 1:
        raise ValueError(f"confound must lie in [0.5, 1]. Got {confound!r}.")
    classes = ["as-received", "aged"]

    def build(size, seed_, linked: bool) -> Dataset:
        seed_draws, seed_curves = _seeds(seed_, 2)
        rng = np.random.default_rng(seed_draws)
        label = np.repeat([0, 1], _class_counts(size, 2, None))
        rng.shuffle(label)
        p_day1 = np.where(label == 1, confound, 1 - confound) if linked else np.full(size, 0.5)
        day = np.where(rng.uniform(size=size) < p_day1, 1, 2)
        drift = np.asarray(drift_by_day_nm_per_s, dtype=float)[day - 1]
        drift = drift + drift_sd_nm_per_s * rng.standard_normal(size)
        base = get_material(material)
        curves = simulate_curves(
            size,
            E=base.E_GPa,
            nu=base.nu,
            H=base.H_GPa * (1 + signal * label),
            scatter=scatter,
            noise=noise,
            protocol=protocol,
            tip=tip,
            tip_radius_nm=tip_radius_nm,
            defects_per_curve={"drift_nm_per_s": drift},
            seed=seed_curves,
        )
        truth = curves.truth.copy()
        truth["label"] = np.asarray(classes)[label]
        truth["day"] = day
        truth["confounded"] = linked
        return Dataset(
            task="confounded",
            curves=curves,
            y=truth["label"].to_numpy(dtype=str),
            truth=truth,
            classes=classes,
            groups=day,
            informative=["H_GPa"],
            nuisance=["drift_nm_per_s", "day"],
            description=(
                f"'aged' is {signal:.0%} harder than 'as-received' (scatter {scatter:.0%}): a "
                f"weak signal. In training {confound:.0%} of 'aged' curves were measured on "
                f"day 1 (drift {drift_by_day_nm_per_s[0]:+g} nm/s) and {confound:.0%} of "
                f"'as-received' on day 2 ({drift_by_day_nm_per_s[1]:+g} nm/s): drift is a "
                "shortcut that works only in the training lab."
            ),
        )

    seed_train, seed_test = _seeds(seed, 2)
    train = build(n, seed_train, linked=True)
    train.test = build(test_n or n, seed_test, linked=False)
    return train
