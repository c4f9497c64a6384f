"""Pure functions that turn a map, its truth and its clustering into tables and teaching texts.

Nothing here draws or caches: the map pages call these and show the result, and the tests
call them directly. ``table`` is the per-indent table of :func:`ui.map_cached.map_table`
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

from simulator import indent_map

PORE = "pore"
#: Spacing / depth below which neighbouring indents interact (Phani & Oliver 2019).
SPACING_RULE = 10.0
#: Depth / phase size above which an indent mixes phases (Constantinides et al. 2006).
DEPTH_RULE = 0.1
#: A modulus zone counts as mixed when its own phase fills less than this share.
PURE_SHARE = 0.95
#: Radii of the hardness and modulus zones of influence, in contact radii: the defaults of
#: :func:`simulator.indent_map`, which the app uses.
ZONE_H_RADII, ZONE_E_RADII = (
    inspect.signature(indent_map).parameters[name].default
    for name in ("zone_H_radii", "zone_E_radii")
)

#: The "separate two close phases" exercise of "Find the phases".
EXERCISE_PRESET = "Ti-6Al-4V"
EXERCISE_ARI = 0.8


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


def custom_phase_problems(phases, porosity: float = 0.0) -> list[str]:
    """What is wrong with custom phases ``(name, E_GPa, nu, H_GPa, fraction)``, in words.

    Empty when they can be simulated: each phase named (uniquely, not "pore" when there are
    pores), H below E, fractions that add up to 1.
    """
    problems = []
    names = [p[0] for p in phases]
    for i, (name, E, _nu, H, _f) in enumerate(phases, start=1):
        label = f"Phase {i} ({name})" if name else f"Phase {i}"
        if not name:
            problems.append(f"{label} has no name: give every phase a name.")
        if H >= E:
            problems.append(
                f"{label}: hardness H = {H:g} GPa must be smaller than the modulus "
                f"E = {E:g} GPa (real materials have E/H of about 5 to 500)."
            )
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        problems.append(f"Two phases share a name ({', '.join(duplicates)}): rename one.")
    if porosity > 0 and PORE in names:
        problems.append("'pore' is reserved for the pores: rename that phase.")
    total = sum(p[4] for p in phases)
    if abs(total - 1) > 1e-6:
        scaled = ", ".join(f"{p[4] / total:.2f}" for p in phases) if total > 0 else ""
        hint = f" (your values scaled to 1: {scaled})" if scaled else ""
        problems.append(
            f"The phase fractions add up to {total:.2f}, not 1. Adjust them so that they "
            f"sum to 1{hint}."
        )
    return problems


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


def map_notes(summary: dict, grid: dict) -> list[str]:
    """Short Markdown paragraphs on what this map shows, with its own numbers."""
    s = summary
    spacing_ok, depth_ok = rules_hold(s)
    notes = []
    if spacing_ok:
        notes.append(
            f"**Spacing vs depth.** The deepest indents ({s['deep_phase']}) are about "
            f"{s['h_deep_nm']:.0f} nm deep and {s['spacing_um']:g} µm apart: the spacing is "
            f"{s['spacing_ratio']:.0f} × their depth, above the ~10 × that Phani & Oliver "
            "(2019) recommend for Berkovich indents, so neighbours do not interact."
        )
    else:
        notes.append(
            f"**Spacing vs depth.** The deepest indents ({s['deep_phase']}) are about "
            f"{s['h_deep_nm']:.0f} nm deep but only {s['spacing_um']:g} µm apart: "
            f"{s['spacing_ratio']:.1f} × their depth, below the "
            "~10 × of Phani & Oliver (2019). Each indent lands in material its neighbour's "
            f"plastic zone work-hardened (here by up to {s['hardening_pct']:.0f} % in H). "
            "Lower the load or widen the spacing."
        )
    if math.isfinite(s["D_um"]):
        verdict = (
            "below that limit: most of them see one phase"
            if depth_ok
            else "above that limit: their zone of influence reaches into neighbouring phases"
        )
        notes.append(
            f"**Depth vs phase size.** The smallest phase, {s['D_phase']}, has a mean "
            f"intercept (linear intercept method) of D = {s['D_um']:.2f} µm, so D / 10 = "
            f"{100 * s['D_um']:.0f} nm. At h_max ≈ {s['h_D_nm']:.0f} nm in "
            f"{s['D_phase']} the indents are {verdict} (Constantinides et al. 2006: "
            "h ≲ D / 10)."
        )
    notes.append(
        f"**Interface mixing.** Contact radius a ≈ {s['a_um']:.2f} µm. For "
        f"{s['interface_pct']:.0f} % of the indents the hardness zone (radius "
        f"{ZONE_H_RADII:g} a = {ZONE_H_RADII * s['a_um']:.2f} µm) crosses a phase boundary, and "
        f"for {s['interface_E_pct']:.0f} % the modulus zone ({ZONE_E_RADII:g} a = "
        f"{ZONE_E_RADII * s['a_um']:.2f} µm): the elastic field reaches further than the plastic "
        "zone, so E mixes more than H. These indents (crosses in the H-E scatter, pale in the "
        "histograms) fill the gap between the phase clouds: move the depth slider and watch "
        "the gap fill."
    )
    dx, dy = grid["offset_um"]
    if dx or dy or grid["jitter_um"]:
        notes.append(
            f"**Registration.** The indents landed ({dx:+g}, {dy:+g}) µm away from where the "
            f"grid says, with {grid['jitter_um']:g} µm of random stage jitter (red dots on the "
            f"micrograph). For {s['misplaced_pct']:.0f} % of the indents the phase under the "
            "reported position is not the phase indented: a property map overlaid on a "
            "micrograph is only as good as its registration."
        )
    if s["n_pore"]:
        notes.append(
            f"**Pores.** {s['n_pore']} indents are centred in a pore. Their median measured "
            f"H is {s['pore_H_GPa']:.3g} GPa, against {s['solid_H_GPa']:.3g} GPa for the "
            "others: compare the two and ask whether a pore can be told from a soft phase."
        )
    return notes


def landing_hint(settings: dict) -> str:
    """A hint after a simulator error when stage jitter or a registration offset is set: they
    move the indents too, so a grid that fits can land off the microstructure."""
    grid = settings["grid"]
    (dx, dy), jitter = grid["offset_um"], grid["jitter_um"]
    moves = []
    if jitter:
        moves.append(f"the stage jitter ({jitter:g} µm, random: some indents move 3 × that)")
    if dx or dy:
        moves.append(f"the registration offset ({dx:+g}, {dy:+g}) µm")
    if not moves:
        return ""
    return (
        f" {' and '.join(moves).capitalize()} "
        f"{'move' if len(moves) > 1 else 'moves'} the indents as well: lower "
        f"{'them' if len(moves) > 1 else 'it'}, or leave a wider margin around the grid."
    )


def failure_note(table: pd.DataFrame) -> str | None:
    """A warning when Oliver-Pharr failed on some curves (None when all were analysed)."""
    failed = ~table["ok"].astype(bool)
    if not failed.any():
        return None
    reason = table.loc[failed, "reason"].mode().iat[0]
    return (
        f"**Oliver-Pharr could not analyse {int(failed.sum())} of {len(table)} curves** "
        f"(most often: {reason}). They are blank in the maps and left out of the clustering. "
        "Shallow, noisy indents fail first: raise the load or lower the noise."
    )


def depth_exercise(summary: dict, deeper: dict | None, deeper_label: str = ""):
    """Feedback on "the deepest map that obeys both rules"; returns ``(done, message)``.

    ``deeper`` is the summary of the same map one step further along the depth slider (None
    at its end), ``deeper_label`` that step ("2 mN", "200 nm").
    """
    spacing_ok, depth_ok = rules_hold(summary)
    if not (spacing_ok and depth_ok):
        reasons = []
        if not spacing_ok:
            reasons.append(f"the spacing is only {summary['spacing_ratio']:.1f} × the depth")
        if not depth_ok:
            reasons.append(
                f"h_max ≈ {summary['h_D_nm']:.0f} nm in "
                f"{summary.get('D_phase') or 'the smallest phase'} exceeds its D / 10 = "
                f"{100 * summary['D_um']:.0f} nm"
            )
        return False, f"Too deep: {' and '.join(reasons)}. Move the depth slider left."
    if deeper is not None and all(rules_hold(deeper)):
        return False, (
            f"Both rules hold here, but they still hold at {deeper_label}: go deeper "
            "(a deeper indent averages more roughness and is less sensitive to the surface)."
        )
    return True, (
        f"Right: at h_max ≈ {summary['h_nm']:.0f} nm the spacing is "
        f"{summary['spacing_ratio']:.0f} × the depth and the depth "
        f"{100 * summary['depth_ratio']:.0f} % of D; one step deeper breaks a rule."
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


def location_scores(table: pd.DataFrame, labels: np.ndarray, matched: np.ndarray):
    """Indents, ARI and accuracy of all indents, interior, interface and pore indents.

    The matching of clusters to phases is the one made on all indents. ARI needs two true
    phases in a group; it is NaN otherwise (e.g. for pores alone).
    """
    truth = table["phase"].to_numpy()
    labels = np.asarray(labels)
    correct = np.asarray(matched) == truth
    pore = (table["phase_name"] == PORE).to_numpy()
    interface = table["on_interface"].to_numpy(bool)
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
        ari = (
            adjusted_rand_score(truth[sel], labels[sel])
            if n and np.unique(truth[sel]).size > 1
            else math.nan
        )
        rows.append(
            {
                "indents": name,
                "n": n,
                "ARI": ari,
                "accuracy (%)": 100 * correct[sel].mean() if n else math.nan,
            }
        )
    return pd.DataFrame(rows)


def fraction_table(fractions: pd.DataFrame, names: list[str], area: pd.Series) -> pd.DataFrame:
    """Phase fractions [%]: true area fraction, share of indents centred on the phase, share
    assigned to it by the clustering, and the error in percentage points (assigned minus
    indents on it)."""
    return pd.DataFrame(
        {
            "phase": [names[int(p)] for p in fractions.index],
            "area (%)": 100 * area.to_numpy(float),
            "indents on it (%)": 100 * fractions["true_fraction"].to_numpy(),
            "assigned (%)": 100 * fractions["predicted_fraction"].to_numpy(),
            "error (pp)": fractions["error_pp"].to_numpy(),
        }
    )


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


def correlative_note(
    all_indents: pd.DataFrame,
    interior: pd.DataFrame,
    zone_radii: float,
    phase_of_counted: pd.Series,
    phase_names: list[str],
    n_total: int,
) -> str:
    """What leaving out the indents near micrograph boundaries changed in BIC's pick, and
    what it cost: phases with (almost) no interior indents cannot be counted.

    ``phase_of_counted``: the true phase name of each counted (interior) indent.
    """
    k_all, k_in = all_indents.attrs["best_k"]["bic"], interior.attrs["best_k"]["bic"]
    n_in, n_true = interior.attrs["n_indents"], len(phase_names)
    counts = phase_of_counted.value_counts().reindex(phase_names, fill_value=0)
    scarce = [name for name, n in counts.items() if n < max(10, 0.05 * n_in)]
    text = (
        f"**The criteria counted {n_in} of {n_total} indents:** those with no boundary of "
        f"the micrograph within {zone_radii:g} of their own contact radii. "
    )
    if k_all == k_in:
        text += f"BIC picks {k_in} with or without the indents near boundaries."
    elif k_all > k_in and not scarce:
        text += (
            f"On every indent BIC picks {k_all}, on the interior ones {k_in}. The composite "
            "indents near boundaries were what BIC counted as extra populations."
        )
    else:
        text += f"On every indent BIC picks {k_all}, on the interior ones {k_in}."
    if scarce:
        listed = ", ".join(f"{name} ({counts[name]})" for name in scarce)
        text += (
            f" The price: too few interior indents of {listed} are left to count "
            f"{'it' if len(scarce) == 1 else 'them'} as a phase. Where a phase is thinner "
            "than about twice the zone of influence, no indent this deep lies inside it."
        )
    elif k_in == n_true:
        text += f" Every one of the {n_true} phases keeps enough interior indents."
    return text


def bridge_note(
    criteria: pd.DataFrame,
    n_true: int,
    table: pd.DataFrame,
    labels,
    mapping: dict,
    on_all_indents: bool = False,
) -> str | None:
    """The Trtik et al. (2009) lesson, with this map's numbers, when BIC asks for more
    phases than there are; else None. When the clustering itself has unmatched clusters,
    says how many of their indents sit on interfaces."""
    bic = criteria.attrs["best_k"]["bic"]
    if bic is None or bic <= n_true:
        return None
    interface = table["on_interface"].to_numpy(bool)
    labels = np.asarray(labels)
    extra = np.isin(labels, [c for c in np.unique(labels) if c >= 0 and int(c) not in mapping])
    text = (
        f"**{'On all indents, BIC' if on_all_indents else 'BIC'} asks for {bic} phases; the "
        f"microstructure has {n_true}.** "
        f"{100 * interface.mean():.0f} % of the indents sit on interfaces: their zone of "
        "influence holds two phases, so they measure a mixture and form a 'bridge' of "
        "intermediate H and E between the phase clouds. BIC rewards any population a "
        "Gaussian fits badly with an extra component, and the bridge is such a population "
        "(Trtik, Münch & Lura 2009 found the same artefact in cement paste). ICL, which "
        "penalises overlapping components, picks "
        f"{criteria.attrs['best_k']['icl']}."
    )
    if extra.any():
        text += (
            f" In your clustering, {100 * interface[extra].mean():.0f} % of the indents in "
            "the clusters that got no phase are interface indents."
        )
    else:
        text += f" Set k = {bic} and see where the extra cluster lies on the map."
    return text


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


def phase_notes(
    summary: dict, locations: pd.DataFrame, criteria: pd.DataFrame, n_true: int
) -> list[str]:
    """What to notice on "Find the phases", with this clustering's numbers."""
    loc = locations.set_index("indents")
    notes = []
    if {"interior", "interface"} <= set(loc.index) and loc.loc["interface", "n"]:
        notes.append(
            f"**Errors sit on interfaces.** Interior indents are assigned right "
            f"{loc.loc['interior', 'accuracy (%)']:.0f} % of the time, interface indents "
            f"{loc.loc['interface', 'accuracy (%)']:.0f} %. A clustering cannot do better "
            "than the measurement: an indent that averages two phases belongs to neither. "
            "Shallower indents make fewer of them."
        )
    best = criteria.attrs["best_k"]
    labels = {"bic": "BIC", "icl": "ICL", "silhouette": "the silhouette", "elbow": "the elbow"}
    agree = [labels.get(name, name) for name, k in best.items() if k == n_true]
    verb = "agree" if len(set(best.values())) == 1 else "disagree"
    notes.append(
        f"**How many phases?** The criteria {verb}: BIC {best['bic']}, ICL {best['icl']}, "
        f"silhouette {best['silhouette']}, elbow {best['elbow']}; the truth is {n_true}. "
        + (
            f"Here {' and '.join([', '.join(agree[:-1]), agree[-1]] if len(agree) > 1 else agree)}"
            " got it right. "
            if agree
            else "None of them got it right here. "
        )
        + "On real data nobody tells you the truth: use the criteria together with the "
        "micrograph and what you know of the material."
    )
    if "pore" in loc.index:
        notes.append(
            f"**Pores.** {int(loc.loc['pore', 'n'])} indents are centred in pores. No phase "
            "called 'pore' exists in your features unless pores measure differently from "
            "the solid phases: look at where these indents fall in the H-E scatter."
        )
    if summary["depth_ratio"] > DEPTH_RULE:
        notes.append(
            f"**Too deep for this microstructure.** h_max ≈ "
            f"{summary['h_D_nm']:.0f} nm in {summary['D_phase']} is "
            f"more than D / 10 = {100 * summary['D_um']:.0f} nm of the smallest phase "
            f"({summary['D_phase']}): the phase fractions the clustering returns are biased "
            "towards whatever phase wins the mixed indents."
        )
    return notes


def phase_exercise(preset: str, summary: dict, choice: dict, ari: float) -> tuple[str, str]:
    """Self-check of "separate two close phases" from the current settings.

    Returns ``(status, message)``, status one of ``"other"`` (not on the exercise's
    microstructure), ``"done"`` (ARI >= 0.8) or ``"hint"``.
    """
    if preset != EXERCISE_PRESET:
        return "other", (
            f"This exercise uses the **{EXERCISE_PRESET}** microstructure: choose it under "
            "Map settings › Microstructure (the map is shared with Property maps)."
        )
    if ari >= EXERCISE_ARI:
        return "done", (
            f"Done: ARI = {ari:.2f} ≥ {EXERCISE_ARI:g}. At h_max ≈ {summary['h_nm']:.0f} nm "
            f"the indents are shallow against the β lamellae (D ≈ {summary['D_um']:.2f} µm), "
            "so most of them measure one phase, and the clustering can separate phases only "
            "0.8 × apart in E and H."
        )
    if summary["depth_ratio"] > DEPTH_RULE:
        hint = (
            f"your indents (h_max ≈ {summary['h_D_nm']:.0f} nm in "
            f"{summary['D_phase']}) are deep compared with the "
            f"{summary['D_phase']} lamellae (D ≈ {summary['D_um']:.2f} µm, D / 10 ≈ "
            f"{100 * summary['D_um']:.0f} nm): {summary['interface_pct']:.0f} % of them mix α "
            "and β. Make the indents shallower."
        )
    elif choice["k"] != 2 and choice["method"] not in ("dbscan", "hdbscan"):
        hint = "there are two phases: set k = 2."
    elif choice["method"] != "gmm":
        hint = (
            "β is a small population (15 %) close to α; k-means cuts the cloud into "
            "round pieces of similar size. A Gaussian mixture lets each phase have its own "
            "size and shape."
        )
    elif not {"H_GPa", "E_GPa"} <= set(choice["columns"]):
        hint = "use both H and E: β is softer *and* more compliant than α."
    elif choice["scaling"] != "log":
        hint = "H and E scatter by ratios: try the log scaling."
    else:
        hint = "shallower still, or less instrument noise: shallow indents are noisy."
    return "hint", f"ARI = {ari:.2f}, not yet {EXERCISE_ARI:g}. Hint: {hint}"
