"""Pure functions that turn a map, its truth and its clustering into tables and teaching texts.

Nothing here draws or caches: the map pages call these and show the result, and the tests
call them directly. ``table`` is the per-indent table of :func:`ui.maps.cached.map_table`
(truth and measured features), ``phases`` a microstructure phase table with
``intercept_um`` (see :func:`mean_intercepts_um`).

References
----------
.. [1] G. Constantinides, K. S. Ravi Chandran, F.-J. Ulm, K. J. Van Vliet, Mater. Sci. Eng.
   A 430 (2006) 189: grid indentation valid for h <~ D / 10.
.. [2] P. S. Phani, W. C. Oliver, Mater. Des. 164 (2019) 107563: spacing >= ~10 x depth.
.. [3] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705: indents on
   interfaces form spurious intermediate populations.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from learners.supervised.uncertainty import (
    Scored,
    adjusted_rand,
    adjusted_rand_batched,
    bootstrap_ci,
    wilson_interval,
    with_batched,
)
from simulator import indent_map

from .rules import DEPTH_RULE, SPACING_RULE

PORE = "pore"
#: A modulus zone counts as mixed when its own phase fills less than this share.
PURE_SHARE = 0.95
#: Radii of the hardness and modulus zones of influence, in contact radii: the defaults of
#: :func:`simulator.indent_map`, which the app uses.
ZONE_H_RADII, ZONE_E_RADII = (
    inspect.signature(indent_map).parameters[name].default
    for name in ("zone_H_radii", "zone_E_radii")
)


# --- custom microstructures ------------------------------------------------------------


def custom_phase_table(phases, scatter: float) -> list[dict]:
    """Custom phases ``(name, E_GPa, nu, H_GPa, fraction)`` as simulator rows.

    ``scatter`` is the relative sd of E and H within each phase [-].
    """
    return [
        {"name": n, "E_GPa": E, "nu": nu, "H_GPa": H, "fraction": f, "E_sd": scatter,
         "H_sd": scatter}
        for n, E, nu, H, f in phases
    ]  # fmt: skip


# --- sizes and depths ------------------------------------------------------------------


def mean_intercepts_um(labels: np.ndarray, pixel_um: float, n_phases: int) -> np.ndarray:
    """Mean linear intercept length of each phase [um], along rows and columns.

    The linear intercept method: the mean length of the runs of each phase along the
    raster's rows and columns (runs cut by the image edge included). For equiaxed grains it
    is about the grain size; for lamellae about pi/2 x their thickness.

    Parameters
    ----------
    labels : ndarray of int, shape (ny, nx)
        Phase code per pixel.
    pixel_um : float
        Pixel size [um].
    n_phases : int

    Returns
    -------
    ndarray, shape (n_phases,)
        NaN for a phase absent from the raster.
    """
    total = np.zeros(n_phases)
    runs = np.zeros(n_phases)
    for image in (np.asarray(labels), np.asarray(labels).T):
        flat = np.pad(image, ((0, 0), (0, 1)), constant_values=-1).ravel()
        starts = np.r_[0, np.flatnonzero(np.diff(flat)) + 1]
        lengths = np.diff(np.r_[starts, flat.size])
        values = flat[starts]
        keep = values >= 0
        total += np.bincount(values[keep], weights=lengths[keep], minlength=n_phases)
        runs += np.bincount(values[keep], minlength=n_phases)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(runs > 0, total / runs * pixel_um, np.nan)


def map_summary(table: pd.DataFrame, phases: pd.DataFrame, grid: dict) -> dict:
    """The numbers the "what to notice" texts and the exercises use.

    Keys: ``n``, ``h_nm`` (median true h_max [nm]), ``deep_phase`` and ``h_deep_nm`` (the
    solid phase whose indents go deepest, and their median true h_max [nm]: under load
    control soft phases go deeper), ``spacing_ratio`` (spacing / h_deep),
    ``hardening_pct`` (largest neighbour hardening [%]), ``D_um`` and ``D_phase`` (the
    smallest solid phase's mean intercept [um] and name), ``h_D_nm`` (median true h_max of
    the indents centred on that phase [nm]: under load control a soft phase goes deeper than
    the map's median), ``depth_ratio`` (h_D / D),
    ``interface_pct`` and ``interface_E_pct`` (indents whose hardness / modulus zone mixes
    phases [%]), ``a_um`` (median contact radius [um]), ``misplaced_pct`` (indents whose
    reported position lies on another phase [%]), ``n_pore``, ``pore_H_GPa``,
    ``solid_H_GPa`` (median measured H in pores / elsewhere), ``n_failed`` (analyses that
    failed), ``spacing_um``.
    """
    h_nm = float(table["h_max_true_nm"].median())
    solid = phases[phases["name"] != PORE]
    smallest = solid["intercept_um"].idxmin() if solid["intercept_um"].notna().any() else None
    D_um = float(solid.loc[smallest, "intercept_um"]) if smallest is not None else math.nan
    names = list(phases["name"])
    own_E = table[[f"fracE_{n}" for n in names]].to_numpy()[
        np.arange(len(table)), table["phase"].to_numpy()
    ]
    pore = (table["phase_name"] == PORE).to_numpy()
    H = table["H_GPa"].to_numpy(float)
    D_phase = str(solid.loc[smallest, "name"]) if smallest is not None else ""
    h_by_phase = table[~pore].groupby("phase_name")["h_max_true_nm"].median()
    h_D_nm = float(h_by_phase.get(D_phase, h_nm))
    deep_phase = str(h_by_phase.idxmax()) if len(h_by_phase) else ""
    h_deep_nm = float(h_by_phase.max()) if len(h_by_phase) else h_nm
    return {
        "n": len(table),
        "spacing_um": float(grid["spacing_um"]),
        "h_nm": h_nm,
        "deep_phase": deep_phase,
        "h_deep_nm": h_deep_nm,
        "spacing_ratio": grid["spacing_um"] * 1000 / h_deep_nm,
        "hardening_pct": 100 * (float(table["neighbour_hardening"].max()) - 1),
        "D_um": D_um,
        "D_phase": D_phase,
        "h_D_nm": h_D_nm,
        "depth_ratio": h_D_nm / (1000 * D_um) if D_um > 0 else math.nan,
        "interface_pct": 100 * float(table["on_interface"].mean()),
        "interface_E_pct": 100 * float((own_E < PURE_SHARE).mean()),
        "a_um": float(table["contact_radius_nm"].median()) / 1000,
        "misplaced_pct": 100 * float((table["phase_at_reported"] != table["phase_name"]).mean()),
        "n_pore": int(pore.sum()),
        "pore_H_GPa": float(np.nanmedian(H[pore])) if pore.any() else math.nan,
        "solid_H_GPa": float(np.nanmedian(H[~pore])) if (~pore).any() else math.nan,
        "n_failed": int((~table["ok"].astype(bool)).sum()),
    }


def rules_hold(summary: dict) -> tuple[bool, bool]:
    """(spacing >= 10 x depth, depth <= D / 10) for a map summary."""
    return (
        summary["spacing_ratio"] >= SPACING_RULE,
        bool(summary["depth_ratio"] <= DEPTH_RULE),
    )


def map_csv(table: pd.DataFrame) -> pd.DataFrame:
    """The map table a learner downloads: positions [um], measured H and E, the truth."""
    columns = {
        "x_um": "x_um",
        "y_um": "y_um",
        "x_true_um": "x_true_um",
        "y_true_um": "y_true_um",
        "H_GPa": "H_GPa",
        "E_GPa": "E_GPa",
        "h_max_nm": "h_max_nm",
        "ok": "analysis_ok",
        "phase_name": "true_phase",
        "on_interface": "true_on_interface",
        "H_true_GPa": "true_H_GPa",
        "E_true_GPa": "true_E_GPa",
    }
    return table[list(columns)].rename(columns=columns)


# --- clusters against the truth --------------------------------------------------------


def cluster_categories(labels: np.ndarray, mapping: dict, names: list[str]) -> np.ndarray:
    """Name of each indent's cluster after matching: its phase, "cluster j (no phase)" for
    a cluster left unmatched, or "noise / not clustered" for label -1."""
    labels = np.asarray(labels)
    out = np.empty(labels.size, dtype=object)
    for cluster in np.unique(labels):
        if cluster < 0:
            text = "noise / not clustered"
        elif int(cluster) in mapping:
            text = names[mapping[int(cluster)]]
        else:
            text = f"cluster {int(cluster) + 1} (no phase)"
        out[labels == cluster] = text
    return out


def colour_domain(names: list[str], categories, phase_colours: list[str], extra, noise):
    """Domain and colours of a legend: the phases in order, then extra categories."""
    extras = sorted({c for c in categories if c not in names and c != "noise / not clustered"})
    domain = [*names, *extras]
    colours = [*phase_colours, *[extra[i % len(extra)] for i in range(len(extras))]]
    if "noise / not clustered" in set(categories):
        domain.append("noise / not clustered")
        colours.append(noise)
    return domain, colours


def error_kinds(table: pd.DataFrame, labels: np.ndarray, matched: np.ndarray) -> np.ndarray:
    """Where each indent's assignment went wrong: correct, wrong (interior, interface, pore),
    or not clustered (label -1)."""
    truth = table["phase"].to_numpy()
    pore = (table["phase_name"] == PORE).to_numpy()
    interface = table["on_interface"].to_numpy(bool)
    correct = np.asarray(matched) == truth
    return np.select(
        [np.asarray(labels) < 0, correct, pore, interface],
        ["not clustered", "correct", "wrong, pore", "wrong, interface"],
        default="wrong, interior",
    ).astype(object)


#: Bootstrap resamples of the ARI (each one an ARI on every indent).
ARI_BOOT = 150


def headline_scores(table: pd.DataFrame, labels: np.ndarray, matched: np.ndarray) -> dict:
    """ARI and accuracy on all indents with their 95 % intervals and baselines.

    ``{"ARI": Scored, "accuracy": Scored}``. Accuracy: Wilson interval; baseline, calling
    every indent the most common phase. ARI: bootstrap over the indents; baseline 0, the ARI
    of one cluster for all indents (or of a random split).
    """
    truth = table["phase"].to_numpy()
    labels = np.asarray(labels)
    correct = int((np.asarray(matched) == truth).sum())
    n = truth.size
    low, high = wilson_interval(correct, n)
    majority = float(np.unique(truth, return_counts=True)[1].max() / n) if n else math.nan
    ari = adjusted_rand_score(truth, labels) if n else math.nan
    a_low, a_high = bootstrap_ci(adjusted_rand, truth, labels, n_boot=ARI_BOOT)
    return {
        "ARI": Scored(float(ari), a_low, a_high, 0.0),
        "accuracy": Scored(correct / n if n else math.nan, low, high, majority),
    }


def _range(low: float, high: float, scale: float = 1.0, digits: int = 2) -> str:
    """ "0.81–0.97", "–" without an interval."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    return f"{scale * low:.{digits}f}–{scale * high:.{digits}f}"


def _ari_batched(truth: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """:func:`_ari` of each resample (rows)."""
    one_phase = (truth == truth[:, :1]).all(axis=1)
    return np.where(one_phase, np.nan, adjusted_rand_batched(truth, labels))


@with_batched(_ari_batched)
def _ari(truth: np.ndarray, labels: np.ndarray) -> float:
    """The ARI, NaN on indents of one phase only (nothing to partition)."""
    return adjusted_rand(truth, labels) if np.unique(truth).size > 1 else math.nan


def location_scores(table: pd.DataFrame, labels: np.ndarray, matched: np.ndarray):
    """Indents, ARI and accuracy of all indents, interior, interface and pore indents, each
    with its 95 % interval and the baseline's score on the same indents.

    The matching of clusters to phases is the one made on all indents. ARI needs two true
    phases in a group; it is NaN otherwise (e.g. for pores alone); its interval is a
    bootstrap over the group's indents and its baseline 0 (one cluster for every indent).
    Accuracy: Wilson interval; baseline, every indent called the most common phase of the
    map (its share in the group).
    """
    truth = table["phase"].to_numpy()
    labels = np.asarray(labels)
    correct = np.asarray(matched) == truth
    pore = (table["phase_name"] == PORE).to_numpy()
    interface = table["on_interface"].to_numpy(bool)
    values, counts = np.unique(truth, return_counts=True)
    majority = values[np.argmax(counts)] if values.size else None
    groups = {
        "all indents": np.ones(truth.size, bool),
        "interior": ~interface,
        "interface": interface,
    }
    if pore.any():
        groups["pore"] = pore
    rows = []
    for name, sel in groups.items():
        n = int(sel.sum())
        ari = _ari(truth[sel], labels[sel]) if n else math.nan
        a_low, a_high = (
            bootstrap_ci(_ari, truth[sel], labels[sel], n_boot=ARI_BOOT)
            if math.isfinite(ari)
            else (math.nan, math.nan)
        )
        hits = int(correct[sel].sum())
        low, high = wilson_interval(hits, n)
        rows.append(
            {
                "indents": name,
                "n": n,
                "ARI": ari,
                "ARI 95 % interval": _range(a_low, a_high),
                "baseline ARI": 0.0,
                "accuracy (%)": 100 * hits / n if n else math.nan,
                "accuracy 95 % interval (%)": _range(low, high, 100, 0),
                "baseline accuracy (%)": 100 * float(np.mean(truth[sel] == majority))
                if n
                else math.nan,
            }
        )
    return pd.DataFrame(rows)


def fraction_table(
    fractions: pd.DataFrame,
    names: list[str],
    area: pd.Series,
    truth: np.ndarray | None = None,
    matched: np.ndarray | None = None,
) -> pd.DataFrame:
    """Phase fractions [%]: true area fraction, share of indents centred on the phase, share
    assigned to it by the clustering, and the error in percentage points (assigned minus
    indents on it); with the indents' ``truth`` and ``matched`` phases also the error's 95 %
    bootstrap interval over the indents and the baseline's error (every indent called the
    most common phase: 100 % assigned to it, 0 % to the others)."""
    phases = [int(p) for p in fractions.index]
    out = pd.DataFrame(
        {
            "phase": [names[p] for p in phases],
            "area (%)": 100 * area.to_numpy(float),
            "indents on it (%)": 100 * fractions["true_fraction"].to_numpy(),
            "assigned (%)": 100 * fractions["predicted_fraction"].to_numpy(),
            "error (pp)": fractions["error_pp"].to_numpy(),
        }
    )
    if truth is None or matched is None:
        return out
    truth, matched = np.asarray(truth), np.asarray(matched)
    true_share = fractions["true_fraction"].to_numpy()
    majority = int(np.argmax(true_share))
    intervals = []
    for p in phases:

        def error(t: np.ndarray, m: np.ndarray, p: int = p) -> float:
            return 100 * float(np.mean(m == p) - np.mean(t == p))

        intervals.append(_range(*bootstrap_ci(error, truth, matched), digits=1))
    out["error 95 % interval (pp)"] = intervals
    out["baseline error (pp)"] = 100 * (np.arange(len(phases)) == majority) - 100 * true_share
    return out


def largest_fraction_error(fractions: pd.DataFrame, truth, matched) -> Scored:
    """The largest |assigned − indents on it| over the phases [pp] with its 95 % bootstrap
    interval over the indents, beside the baseline's (every indent called the most common
    phase: 100 minus that phase's share); lower is better."""
    phases = np.asarray([int(p) for p in fractions.index])
    truth, matched = np.asarray(truth), np.asarray(matched)

    def largest(t: np.ndarray, m: np.ndarray) -> float:
        assigned = (m[:, None] == phases).mean(axis=0)
        centred = (t[:, None] == phases).mean(axis=0)
        return 100 * float(np.max(np.abs(assigned - centred)))

    low, high = bootstrap_ci(largest, truth, matched)
    base = 100 * (1 - float(fractions["true_fraction"].max()))
    return Scored(largest(truth, matched), low, high, base, higher_is_better=False)


def confusion_table(confusion: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Confusion counts with phase names: rows the true phase, columns the assigned one."""

    def name(code) -> str:
        return names[int(code)] if int(code) >= 0 else "no phase / noise"

    out = confusion.rename(index=name, columns=name)
    out.index.name = "true phase ↓ / assigned →"
    out.columns.name = None
    return out


def criteria_picks(
    criteria: pd.DataFrame, n_true: int, all_indents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each criterion's number of phases beside the truth; with ``all_indents`` (the
    criteria on every indent, when ``criteria`` counted interior indents only) also BIC's
    pick on all indents."""
    best = criteria.attrs["best_k"]
    rows = [
        ("BIC (Gaussian mixture)", best["bic"], "lowest −2 ln L + p ln n"),
        ("ICL (BIC + entropy)", best["icl"], "lowest; overlap costs"),
        ("silhouette (k-means)", best["silhouette"], "highest"),
        ("elbow (k-means inertia)", best["elbow"], "knee of the curve"),
    ]
    if all_indents is not None:
        rows.append(
            ("BIC on all indents", all_indents.attrs["best_k"]["bic"], "boundary indents too")
        )
    rows.append(("truth (simulator)", n_true, "phases simulated"))
    return pd.DataFrame(rows, columns=["criterion", "k", "rule"])


def population_names(errors: pd.DataFrame, n_populations: int) -> list[str]:
    """Label of each deconvolved population: its matched phase, or "population j (no
    phase)"."""
    names = [f"population {j + 1} (no phase)" for j in range(n_populations)]
    for row in errors.itertuples():
        if row.matched >= 0:
            names[int(row.matched)] = str(row.name)
    return names


def populations_table(found: pd.DataFrame, errors: pd.DataFrame, names: list[str]):
    """Each deconvolved population (mean ± sd of H and E, fraction) beside its true phase."""
    by_population = errors.set_index("matched")

    def text(value, fmt: str = ".3g") -> str:
        return "–" if value is None or not math.isfinite(value) else f"{value:{fmt}}"

    rows = []
    for j, row in enumerate(found.itertuples()):
        true = by_population.loc[j] if j in by_population.index else None
        rows.append(
            {
                "population": names[j],
                "H (GPa)": f"{row.H_mean_GPa:.3g} ± {row.H_sd_GPa:.2g}",
                "true H (GPa)": text(true["H_true_GPa"] if true is not None else None),
                "E (GPa)": f"{row.E_mean_GPa:.3g} ± {row.E_sd_GPa:.2g}",
                "true E (GPa)": text(true["E_true_GPa"] if true is not None else None),
                "fraction (%)": f"{100 * row.fraction:.1f}",
                "true fraction (%)": text(
                    100 * true["fraction_true"] if true is not None else None, ".1f"
                ),
            }
        )
    for row in errors[errors["matched"] < 0].itertuples():
        rows.append(
            {
                "population": f"{row.name}: no population",
                "H (GPa)": "–",
                "true H (GPa)": text(row.H_true_GPa),
                "E (GPa)": "–",
                "true E (GPa)": text(row.E_true_GPa),
                "fraction (%)": "0.0",
                "true fraction (%)": text(100 * row.fraction_true, ".1f"),
            }
        )
    return pd.DataFrame(rows)
