"""Property maps and Find the phases: what to notice and the messages on settings, each quoting
this map's numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulator import MICROSTRUCTURES
from simulator.microstructure import LITERATURE_MICROSTRUCTURES
from ui.common.score_text import GUESSING

from .tables import DEPTH_RULE, PORE, ZONE_E_RADII, ZONE_H_RADII, rules_hold


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
    if not s["interface_E_pct"]:
        notes.append(
            f"**Interface mixing.** Contact radius a ≈ {s['a_um']:.2f} µm: no indent's "
            f"modulus zone ({ZONE_E_RADII:g} a = {ZONE_E_RADII * s['a_um']:.2f} µm) crosses a "
            "phase boundary, so every indent measures one phase. Move the depth slider right "
            "and watch mixed indents appear between the phase clouds."
        )
        return _registration_and_pores(notes, s, grid)
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
    return _registration_and_pores(notes, s, grid)


def _registration_and_pores(notes: list[str], s: dict, grid: dict) -> list[str]:
    """The registration and pore notes of :func:`map_notes`, appended to ``notes``."""
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


#: The preset made for BIC to work (phases far coarser than the zone of influence).
COARSE_PRESET = "coarse dual-phase steel (teaching)"


def preset_note(
    preset: str, interior: pd.DataFrame, phase_of_counted: pd.Series, phase_names: list[str]
) -> str:
    """Whether this preset's phases are coarse enough for BIC to count them, on this map's
    numbers: the interior indents each phase keeps, and BIC's pick on them."""
    k_in, n_in, n_true = (
        interior.attrs["best_k"]["bic"],
        interior.attrs["n_indents"],
        len(phase_names),
    )
    counts = phase_of_counted.value_counts().reindex(phase_names, fill_value=0)
    scarce = [name for name, n in counts.items() if n < max(10, 0.05 * n_in)]
    source = MICROSTRUCTURES[preset].source if preset in MICROSTRUCTURES else ""
    if preset in LITERATURE_MICROSTRUCTURES:
        kind = f"**{preset} is a literature preset** ({source})."
    elif preset in MICROSTRUCTURES:
        kind = f"**{preset} is a teaching preset**, not a real material: {source}."
    else:
        kind = "**Your own phases.**"
    if scarce:
        verdict = (
            f" Here BIC cannot count every phase: {', '.join(scarce)} keep too few indents "
            "clear of boundaries (the phase is thinner than about twice the zone of influence)."
        )
    elif k_in != n_true:
        verdict = (
            f" Every phase keeps interior indents, yet BIC picks {k_in} for {n_true}: the "
            "phases overlap in H and E, a limit of the data, not of the boundaries."
        )
    else:
        verdict = (
            f" Here BIC counts the {n_true} phases right: every phase keeps at least "
            f"{int(counts.min())} indents clear of boundaries."
        )
    if preset != COARSE_PRESET and (scarce or k_in != n_true):
        verdict += (
            f" Compare the {COARSE_PRESET}: its 25 µm grains leave most indents clear of "
            "boundaries."
        )
    return kind + verdict


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


def _accuracy(loc: pd.DataFrame, group: str) -> str:
    """ "100 % (95 % interval 97–100 %; baseline, every indent called the most common
    phase: 86 %)" for one row of :func:`ui.maps.tables.location_scores`."""
    r = loc.loc[group]
    text = (
        f"{r['accuracy (%)']:.0f} % (95 % interval {r['accuracy 95 % interval (%)']} %; "
        f"baseline, every indent called the most common phase: "
        f"{r['baseline accuracy (%)']:.0f} %)"
    )
    low = _interval(r)[0]
    return text if low > r["baseline accuracy (%)"] else f"{text}: {GUESSING}"


def _interval(row: pd.Series) -> tuple[float, float]:
    """The (low, high) of a location row's accuracy interval "97–100" in %; NaN when none."""
    parts = str(row.get("accuracy 95 % interval (%)", "")).split("–")
    return (float(parts[0]), float(parts[1])) if len(parts) == 2 else (math.nan, math.nan)


def phase_notes(
    summary: dict, locations: pd.DataFrame, criteria: pd.DataFrame, n_true: int
) -> list[str]:
    """What to notice on "Find the phases", with this clustering's numbers."""
    loc = locations.set_index("indents")
    notes = []
    if (
        {"interior", "interface"} <= set(loc.index)
        and loc.loc["interface", "n"]
        and _interval(loc.loc["interface"])[1] < loc.loc["interior", "accuracy (%)"]
    ):
        notes.append(
            f"**Errors sit on interfaces.** Interior indents are assigned right "
            f"{_accuracy(loc, 'interior')} of the time, interface indents "
            f"{_accuracy(loc, 'interface')}. A clustering cannot do better "
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
