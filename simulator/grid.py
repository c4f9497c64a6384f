"""High-throughput indentation grids over a microstructure, with interface mixing.

Each indent measures the material inside its zone of influence, not just the phase under
its centre (Constantinides et al. 2006 [1]; Trtik, Muench & Lura 2009 [2]). With the contact
radius a = sqrt(24.5 / pi) h_c of a Berkovich indent, the hardness averages the phases over
a Gaussian zone of radius ``zone_H_radii`` * a (the plastic zone, 2-5 a) and the modulus over
a larger zone of ``zone_E_radii`` * a (the elastic field). Shallow indents resolve the
phases; deep ones average them. Indents closer than about 10 depths apart interact
(Phani & Oliver 2019 [3]): each later indent lands in material its neighbour work-hardened.
The zones have a finite radius (biweight weights), so a phase beyond the plastic zone does
not change the hardness.

References
----------
.. [1] G. Constantinides, K. S. Ravi Chandran, F.-J. Ulm, K. J. Van Vliet,
   Mater. Sci. Eng. A 430 (2006) 189.
.. [2] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705.
.. [3] P. S. Phani, W. C. Oliver, Mater. Des. 164 (2019) 107563.
.. [4] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985), ch. 6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .curves import Curves, simulate_curves
from .instrument import Session, as_session, radius_levels, session_state
from .materials import reduced_modulus
from .microstructure import PORE, Microstructure
from .protocol import Protocol
from .settings import Defects, Noise, as_defects
from .tips import BERKOVICH_AREA_COEFF, Tip

_ZONE_SAMPLES = 128
#: Largest hardening of an indent made right next to its neighbour (teaching model).
_MAX_NEIGHBOUR_HARDENING = 0.2


@dataclass
class IndentMap:
    """An indent grid: the curves of the batch API, positions, and per-indent truth.

    Attributes
    ----------
    curves : Curves
        All curves, indent k at row k (raster order: x fastest).
    x_um, y_um : ndarray, shape (n,)
        Nominal indent positions in the image frame [um] (what the instrument reports).
    nx, ny : grid size; spacing_um : grid spacing [um]
    truth : DataFrame, one row per indent
        ix, iy, x_um, y_um, x_true_um, y_true_um, phase (code), phase_name, on_interface,
        frac_<phase> (hardness zone), fracE_<phase> (modulus zone), E_GPa, nu, H_GPa,
        contact_radius_nm, neighbour_hardening and the curve truth (h_max_nm, ...).
    microstructure : Microstructure
    """

    curves: Curves
    x_um: np.ndarray
    y_um: np.ndarray
    nx: int
    ny: int
    spacing_um: float
    truth: pd.DataFrame
    microstructure: Microstructure

    t_s = property(lambda self: self.curves.t_s, doc="Time [s], (n, n_points).")
    h_nm = property(lambda self: self.curves.h_nm, doc="Displacement [nm], (n, n_points).")
    P_mN = property(lambda self: self.curves.P_mN, doc="Load [mN], (n, n_points).")
    segment = property(lambda self: self.curves.segment, doc="Segment codes, (n, n_points).")

    @property
    def n_indents(self) -> int:
        """Number of indents."""
        return self.nx * self.ny

    def to_grid(self, values) -> np.ndarray:
        """Per-indent values as an (ny, nx) array (row iy, column ix)."""
        return np.asarray(values).reshape(self.ny, self.nx)


def indent_map(
    microstructure: Microstructure,
    *,
    nx: int = 30,
    ny: int = 30,
    spacing_um: float = 4.0,
    P_max_mN: float | None = 1.0,
    depth_nm: float | None = None,
    origin_um: tuple[float, float] | None = None,
    jitter_um: float = 0.0,
    offset_um: tuple[float, float] = (0.0, 0.0),
    zone_H_radii: float = 2.7,
    zone_E_radii: float = 4.0,
    interaction: bool = True,
    zone_kernel: str = "biweight",
    mixing: str = "arithmetic",
    grain_share: float = 0.6,
    tip: str | Tip = "berkovich",
    tip_radius_nm: float | None = None,
    protocol: Protocol | dict | None = None,
    noise: Noise | dict | str | None = "default",
    defects: Defects | dict | None = None,
    session: Session | dict | None = None,
    seed: int | None = 0,
) -> IndentMap:
    """Indent a grid over ``microstructure``.

    Parameters
    ----------
    nx, ny : int
        Number of indents along x and y.
    spacing_um : float
        Grid spacing [um].
    P_max_mN : float
        Peak load of every indent [mN] (load-controlled map), unless ``depth_nm`` is given.
    depth_nm : float, optional
        Target maximum depth [nm]: each indent's peak load is set so that it reaches this
        depth (depth-controlled map).
    origin_um : (x, y), optional
        Position of the first indent [um]; default centres the grid on the microstructure.
    jitter_um : float
        Standard deviation of random stage positioning error [um].
    offset_um : (dx, dy)
        Registration offset between the image and the stage [um]: indents really land at
        nominal + offset.
    zone_H_radii, zone_E_radii : float
        Radii of the hardness and modulus zones of influence, in contact radii. The default
        hardness zone is the plastic zone of a Berkovich indent in a metal, c/a = 2.7 from
        Johnson's expanding-cavity model (E/sigma_y ~ 200, Johnson 1985 [4]); the modulus
        zone is larger (4 a): the elastic field reaches further than the plastic zone.
    zone_kernel : {"biweight", "gaussian"}
        Weight over the zone: "biweight" (1 - r^2/R^2)^2 inside R and none outside (a finite
        plastic zone); "gaussian" with R = 2 sd (long tails).
    mixing : {"arithmetic", "harmonic"}
        Rule of mixtures over the zone: area-weighted mean of H and E (iso-depth, the phases
        carry load side by side), or the harmonic mean (soft phase dominates).
    interaction : bool
        Let indents closer than 10 depths harden their neighbours.
    grain_share : float
        Share of each phase's property variance that is grain-to-grain (crystal orientation:
        indentation modulus and hardness depend on the grain's orientation, e.g. Vlassak &
        Nix, J. Mech. Phys. Solids 42 (1994) 1223); the rest varies from indent to indent.
        Indents in one grain share it, so neighbours are alike beyond their phase.
    tip, tip_radius_nm : passed to :func:`simulator.simulate_curves` (e.g. a worn,
        rounded Berkovich). The zones of influence keep the Berkovich contact radius.
    protocol, noise, defects : passed to :func:`simulator.simulate_curves`.
    session : Session or dict, optional
        The instrument over the session (:mod:`simulator.instrument`): time per indent, tip
        wear or a chip, a wandering drift, the days. Off by default (the map is then the same
        bit for bit as without it). Its state per indent joins the truth (day, time_s,
        session_s, tip_radius_nm, tip_state, drift_wander_nm_per_s) and changes the curves:
        the rounded tip's contact, the drift's displacement.
    seed : int or None

    Returns
    -------
    IndentMap
    """
    ms = microstructure
    nx, ny = _check_grid(nx, ny, spacing_um)
    if depth_nm is None and (P_max_mN is None or not P_max_mN > 0):
        raise ValueError(f"P_max_mN must be > 0 (or give depth_nm). Got {P_max_mN!r}.")
    if depth_nm is not None and not (np.isfinite(depth_nm) and 5 <= depth_nm <= 20_000):
        raise ValueError(f"depth_nm must lie in [5, 20000] nm. Got {depth_nm!r}.")
    if zone_kernel not in ("biweight", "gaussian") or mixing not in ("arithmetic", "harmonic"):
        raise ValueError(
            "zone_kernel must be 'biweight' or 'gaussian' and mixing 'arithmetic' or "
            f"'harmonic'. Got {zone_kernel!r}, {mixing!r}."
        )
    if not (zone_E_radii >= zone_H_radii > 0):
        raise ValueError(
            "zone radii must satisfy zone_E_radii >= zone_H_radii > 0. "
            f"Got {zone_H_radii!r}, {zone_E_radii!r}."
        )
    if jitter_um < 0:
        raise ValueError(f"jitter_um must be >= 0. Got {jitter_um!r}.")
    if not 0 <= grain_share <= 1:
        raise ValueError(f"grain_share must lie in [0, 1]. Got {grain_share!r}.")
    rng_pos, rng_prop, rng_curves = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
    ix, iy = ix.ravel(), iy.ravel()
    w, h = ms.size_um
    if origin_um is None:
        origin_um = ((w - (nx - 1) * spacing_um) / 2, (h - (ny - 1) * spacing_um) / 2)
    x = origin_um[0] + ix * spacing_um
    y = origin_um[1] + iy * spacing_um
    x_true = x + offset_um[0] + jitter_um * rng_pos.standard_normal(x.size)
    y_true = y + offset_um[1] + jitter_um * rng_pos.standard_normal(y.size)
    if x_true.min() < 0 or y_true.min() < 0 or x_true.max() > w or y_true.max() > h:
        raise ValueError(
            f"The grid ({nx} x {ny} at {spacing_um:g} um) does not fit on the "
            f"{w:g} x {h:g} um microstructure: reduce the grid or the spacing, or make a "
            "larger microstructure."
        )

    phases = ms.phases
    E_p, nu_p, H_p = (phases[c].to_numpy(float) for c in ("E_GPa", "nu", "H_GPa"))
    centre, grain = ms.phase_at(x_true, y_true, with_grains=True)
    # Contact depth at P_max (Kick's law with the centre phase) or from the target depth.
    # Over a pore the tip is carried by the solid around it: its contact size comes from the
    # solid phases' mean hardness, so that the zone is mostly pore (low H and E), not a zone
    # of several um that averages the pore away.
    solid = (phases["name"] != PORE).to_numpy()
    weights = phases["fraction"].to_numpy(float) * solid
    H_solid = float(weights @ H_p / weights.sum())
    E_solid = float(weights @ E_p / weights.sum())
    is_pore = ~solid[centre]
    H_c = np.where(is_pore, H_solid, H_p[centre])
    E_c = np.where(is_pore, E_solid, E_p[centre])
    Er_centre = np.asarray(reduced_modulus(E_c, nu_p[centre]))
    k = H_c * np.sqrt(BERKOVICH_AREA_COEFF * np.pi) / (2 * 1.034 * Er_centre)
    if depth_nm is None:
        hc = np.sqrt(P_max_mN / (BERKOVICH_AREA_COEFF * H_c * 1e-6))
    else:
        hc = depth_nm / (1 + 0.75 * k)
    a_nm = np.sqrt(BERKOVICH_AREA_COEFF / np.pi) * hc
    frac_H = _zone_fractions(
        ms, x_true, y_true, zone_H_radii * a_nm / 1000, len(phases), zone_kernel
    )
    frac_E = _zone_fractions(
        ms, x_true, y_true, zone_E_radii * a_nm / 1000, len(phases), zone_kernel
    )

    # Each phase's scatter splits into a part shared by all indents of a grain (crystal
    # orientation) and a part of each indent's own.
    z = np.sqrt(grain_share) * ms.grain_variation(grain) + np.sqrt(
        1 - grain_share
    ) * rng_prop.standard_normal((2, x.size))
    if mixing == "harmonic":
        H = 1 / (frac_H @ (1 / H_p)) * np.exp(frac_H @ phases["H_sd"].to_numpy(float) * z[0])
        E = 1 / (frac_E @ (1 / E_p)) * np.exp(frac_E @ phases["E_sd"].to_numpy(float) * z[1])
    else:
        H = frac_H @ H_p * np.exp(frac_H @ phases["H_sd"].to_numpy(float) * z[0])
        E = frac_E @ E_p * np.exp(frac_E @ phases["E_sd"].to_numpy(float) * z[1])
    nu = frac_E @ nu_p
    h_max_est = hc * (1 + 0.75 * k)
    ratio = spacing_um * 1000 / h_max_est
    hardening = np.ones(x.size)
    if interaction:
        hardening = 1 + _MAX_NEIGHBOUR_HARDENING * np.clip(1 - ratio / 10, 0, 1)
        hardening[0] = 1.0  # the first indent has no earlier neighbour
    H = np.minimum(H * hardening, 0.5 * E)
    if depth_nm is not None:
        Er = np.asarray(reduced_modulus(E, nu))
        k_mix = H * np.sqrt(BERKOVICH_AREA_COEFF * np.pi) / (2 * 1.034 * Er)
        P = BERKOVICH_AREA_COEFF * H * 1e-6 * (depth_nm / (1 + 0.75 * k_mix)) ** 2
    else:
        P = np.full(x.size, float(P_max_mN))
    curve_seed = int(rng_curves.integers(2**63 - 1))
    options = {"protocol": protocol, "noise": noise, "defects": defects, "seed": curve_seed}
    the_session = as_session(session)
    state = None
    if the_session == Session():
        curves = simulate_curves(
            x.size, E=E, nu=nu, H=H, tip=tip, tip_radius_nm=tip_radius_nm, P_max_mN=P, **options
        )
    else:
        state = session_state(
            x.size,
            the_session,
            tip_radius_nm=float(tip_radius_nm or 0.0),
            rng=np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[3]),
        )
        curves = _session_curves(E, nu, H, P, tip, tip_radius_nm, state, the_session, options)
    names = phases["name"].tolist()
    centre_fraction = frac_H[np.arange(x.size), centre]
    table = pd.DataFrame(
        {
            "ix": ix,
            "iy": iy,
            "x_um": x,
            "y_um": y,
            "x_true_um": x_true,
            "y_true_um": y_true,
            "phase": centre,
            "phase_name": np.asarray(names, dtype=object)[centre],
            "on_interface": centre_fraction < 0.95,
            "grain": grain,
            **{f"frac_{n}": frac_H[:, i] for i, n in enumerate(names)},
            **{f"fracE_{n}": frac_E[:, i] for i, n in enumerate(names)},
            "contact_radius_nm": a_nm,
            "neighbour_hardening": hardening,
        }
    )
    parts = [table, curves.truth.drop(columns=["material"])]
    if state is not None:  # the radius each curve was simulated with stays in the truth
        parts.append(state.drop(columns=["order", "tip_radius_nm"]))
    truth = pd.concat(parts, axis=1)
    return IndentMap(curves, x, y, nx, ny, float(spacing_um), truth, ms)


def _session_curves(E, nu, H, P, tip, tip_radius_nm, state, session, options) -> Curves:
    """Curves of indents measured with a tip that wears and a drift that wanders.

    The drift rate of each indent is the chosen ``defects`` drift plus the session's
    wandering part. With a changing tip, indents are simulated in batches of one tip radius
    (rounded to 2 % steps, :func:`simulator.instrument.radius_levels`); the truth's
    ``tip_radius_nm`` is the radius each curve was simulated with.
    """
    defects = options["defects"]
    base = as_defects(defects).drift_nm_per_s
    drift = base + state["drift_wander_nm_per_s"].to_numpy()
    per_curve = {"drift_nm_per_s": drift}
    if not session.changes_tip or (isinstance(tip, Tip) and tip.kind != "berkovich"):
        curves = simulate_curves(
            E.size,
            E=E, nu=nu, H=H, tip=tip, tip_radius_nm=tip_radius_nm, P_max_mN=P,
            defects_per_curve=per_curve, **options,
        )  # fmt: skip
        curves.truth["tip_radius_nm"] = float(curves.tip.radius_nm)
        return curves
    if tip not in ("berkovich", None) and not isinstance(tip, Tip):
        raise ValueError(f"Tip wear needs a Berkovich tip. Got tip={tip!r}.")
    radius = radius_levels(state["tip_radius_nm"].to_numpy())
    batches = []
    seeds = np.random.SeedSequence(options["seed"]).spawn(np.unique(radius).size)
    for level, child in zip(np.unique(radius), seeds, strict=True):
        rows = np.flatnonzero(radius == level)
        batch = simulate_curves(
            rows.size,
            E=E[rows], nu=nu[rows], H=H[rows], tip="berkovich", tip_radius_nm=float(level),
            P_max_mN=P[rows], defects_per_curve={"drift_nm_per_s": drift[rows]},
            protocol=options["protocol"], noise=options["noise"], defects=defects,
            seed=int(child.generate_state(1)[0]),
        )  # fmt: skip
        batches.append((rows, batch))
    return _merge(batches, E.size, radius)


def _merge(batches, n: int, radius: np.ndarray) -> Curves:
    """One :class:`Curves` of n rows from batches of (rows, Curves)."""
    first = batches[0][1]
    arrays = {}
    for name in ("t_s", "h_nm", "P_mN", "segment"):
        out = np.empty((n, first.n_points), dtype=getattr(first, name).dtype)
        for rows, batch in batches:
            out[rows] = getattr(batch, name)
        arrays[name] = out
    order = np.concatenate([rows for rows, _ in batches])
    truth = pd.concat([b.truth for _, b in batches], ignore_index=True)
    truth = truth.iloc[np.argsort(order)].reset_index(drop=True)
    truth["tip_radius_nm"] = radius
    points = {}
    for name in {k for _, b in batches for k in b.defect_points}:
        mask = np.zeros((n, first.n_points), dtype=bool)
        for rows, batch in batches:
            if name in batch.defect_points:
                mask[rows] = batch.defect_points[name]
        points[name] = mask
    return Curves(
        **arrays,
        truth=truth,
        defect_points=points,
        protocol=first.protocol,
        tip=first.tip,
        epsilon=first.epsilon,
        beta=first.beta,
    )


def _zone_fractions(ms, x_um, y_um, radius_um, n_phases, kernel="gaussian") -> np.ndarray:
    """Weighted phase fractions around each point.

    kernel "gaussian": weight exp(-r^2 / 2 sd^2) with the zone radius = 2 sd;
    kernel "biweight": weight (1 - r^2/R^2)^2 inside the zone radius R, none outside.
    The same deterministic quadrature (a golden-angle spiral of points at the kernel's radial
    quantiles) is scaled to each indent's zone, so the fractions carry no sampling noise
    between indents.
    """
    j = np.arange(_ZONE_SAMPLES) + 0.5
    q = j / _ZONE_SAMPLES
    if kernel == "gaussian":
        r = np.sqrt(-2 * np.log(1 - q)) / 2  # unit 2-D Gaussian radii, in zone radii
    else:
        r = np.sqrt(1 - (1 - q) ** (1 / 3))  # radial quantiles of the biweight disc
    angle = j * np.pi * (3 - np.sqrt(5))
    pattern = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    sd = radius_um[:, None]
    px = x_um[:, None] + sd * pattern[None, :, 0]
    py = y_um[:, None] + sd * pattern[None, :, 1]
    phase = ms.phase_at(px, py).reshape(px.shape)
    counts = np.stack([(phase == p).sum(axis=1) for p in range(n_phases)], axis=1)
    return counts / _ZONE_SAMPLES


def _check_grid(nx, ny, spacing_um) -> tuple[int, int]:
    for name, v in (("nx", nx), ("ny", ny)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 1 <= v <= 300:
            raise ValueError(f"{name} must be a whole number from 1 to 300. Got {v!r}.")
    if not (np.isfinite(spacing_um) and spacing_um > 0):
        raise ValueError(f"spacing_um must be > 0. Got {spacing_um!r}.")
    return int(nx), int(ny)
