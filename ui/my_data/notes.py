"""What to notice on a learner's own results, and one-sentence summaries of what was read and
how it was analysed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import area_formula, value_range

#: Range of the unloading exponent m outside which a note is shown: the 1.25-1.51 a Berkovich
#: gave Oliver & Pharr (1992) with a margin for noise and fit range.
M_RANGE = (1.2, 1.6)


#: h_f / h_max above which pile-up is possible (Bolshakov & Pharr 1998).
PILEUP_HF_RATIO = 0.7


#: Creep during the hold, as a fraction of h_max, worth a note.
CREEP_FRACTION = 0.01


#: Results outside these bounds [GPa] hint at a wrong unit.
H_PLAUSIBLE = (0.001, 150.0)


E_PLAUSIBLE = (0.01, 1500.0)


def _listed(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"*{n}*" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def what_to_notice(
    names: list[str],
    features: pd.DataFrame,
    *,
    several_materials: bool = False,
    creep_option: bool = False,
) -> list[tuple[str, str]]:
    """Short Markdown notes on these results, each with its kind ("warning" or "info").

    ``several_materials``: the curves are known to come from different materials (the
    sample file), so their scatter is no measure of the method. ``creep_option``: the page
    offers Feng & Ngan's creep correction, so the creep note points to it; when it was
    applied (the features carry ``creep_rate_nm_per_s``) the note says, per creeping curve,
    whether the unloading shows a nose.
    """
    names = list(names)
    f = features.reset_index(drop=True)
    notes: list[tuple[str, str]] = []
    failed = f.index[~f["ok"]].tolist()
    if failed:
        reasons = "; ".join(f"*{names[i]}*: {f.loc[i, 'reason']}" for i in failed[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        crept = f.loc[failed, "creep_nm"] > CREEP_FRACTION * f.loc[failed, "h_max_nm"]
        nose = (
            " Creep in the hold that goes on into the unloading (a nose) can spoil the fit: "
            "try *Creep correction (Feng & Ngan)*."
            if creep_option and "creep_rate_nm_per_s" not in f and bool(crept.any())
            else ""
        )
        notes.append(
            (
                "warning",
                f"**{len(failed)} of {len(f)} curves could not be analysed.** {reasons}{more}. "
                "A curve needs a loading, a peak and an unloading branch with enough points "
                "in the fit range; try another *Unloading fit range* in the sidebar." + nose,
            )
        )
    ok = f["ok"].to_numpy(bool)
    H, E = f["H_GPa"].to_numpy(float), f["E_GPa"].to_numpy(float)
    soft = ok & ((H < H_PLAUSIBLE[0]) | (E < E_PLAUSIBLE[0]))
    hard = ok & ((H > H_PLAUSIBLE[1]) | (E > E_PLAUSIBLE[1]))
    for odd, text in (
        (
            soft,
            f"Softer than rubber (H < {H_PLAUSIBLE[0]:g} GPa or E < {E_PLAUSIBLE[0]:g} GPa): "
            "check the load and displacement units, unless this is a gel or an elastomer. "
            "A factor 1000 in the load changes H by 1000.",
        ),
        (
            hard,
            f"Harder or stiffer than diamond (H > {H_PLAUSIBLE[1]:g} GPa or E > "
            f"{E_PLAUSIBLE[1]:g} GPa), which no material is: check the load and displacement "
            "units. A factor 1000 in the load changes H by 1000.",
        ),
    ):
        if odd.any():
            notes.append(
                (
                    "warning",
                    "**Implausible values** for "
                    f"{_listed([names[i] for i in np.flatnonzero(odd)])} "
                    f"({value_range('H', H[odd], 'GPa')}, {value_range('E', E[odd], 'GPa')}). "
                    f"{text}",
                )
            )
    m = f["m"].to_numpy(float)
    off = ok & ((m < M_RANGE[0]) | (m > M_RANGE[1]))
    if off.any():
        notes.append(
            (
                "info",
                f"**Unloading exponent outside {M_RANGE[0]}-{M_RANGE[1]}** for "
                f"{_listed([f'{names[i]} (m = {m[i]:.2f})' for i in np.flatnonzero(off)])}. "
                "A Berkovich usually gives m between 1.25 and 1.51 (Oliver & Pharr 1992); this "
                f"flag leaves a margin around that range ({M_RANGE[0]}-{M_RANGE[1]}) for noise "
                "and the choice of fit range. An exponent further out hints at a poor fit (try "
                "another fit range), thermal drift, creep at the start of unloading, or a tip "
                "far from a Berkovich.",
            )
        )
    ratio = f["hf_over_hmax"].to_numpy(float)
    piled = ok & (ratio > PILEUP_HF_RATIO)
    if piled.any():
        notes.append(
            (
                "info",
                f"**Pile-up is possible** for "
                f"{_listed([f'{names[i]} (h_f/h_max = {ratio[i]:.2f})' for i in np.flatnonzero(piled)])}"  # noqa: E501
                f". When h_f / h_max > {PILEUP_HF_RATIO} and the material work-hardens little, "
                "material piles up around the indent and carries load; Oliver-Pharr "
                "underestimates the contact area and so overestimates H and E (Bolshakov & "
                "Pharr 1998). Strongly work-hardening metals (annealed ones) pile up less than "
                "the ratio suggests, so check with an image of the indent (AFM, SEM): only it "
                "tells whether and how much.",
            )
        )
    popin = f["popin_load_mN"].to_numpy(float)
    has_popin = np.isfinite(popin)
    if has_popin.any():
        sizes = f["popin_size_nm"].to_numpy(float)
        listed = _listed(
            [
                f"{names[i]} ({popin[i]:.3g} mN, {sizes[i]:.3g} nm)"
                for i in np.flatnonzero(has_popin)
            ]
        )
        notes.append(
            (
                "info",
                f"**Pop-ins** (first displacement burst during loading: load, size) in "
                f"{listed}. In a crystal with few dislocations the tip first loads elastically, "
                "then the depth bursts in when dislocations nucleate. A pop-in does not spoil "
                "Oliver-Pharr, which uses the unloading only.",
            )
        )
    creep = f["creep_nm"].to_numpy(float)
    creeping = ok & (creep > CREEP_FRACTION * f["h_max_nm"].to_numpy(float))
    if creeping.any():
        notes.append(
            (
                "info",
                f"**Creep in the hold** of "
                f"{_listed([f'{names[i]} ({creep[i]:.3g} nm)' for i in np.flatnonzero(creeping)])}"
                ". If the material still creeps when unloading starts, the top of the "
                "unloading bows outward (a nose) and S, and so E, come out too high (Feng & "
                "Ngan 2002). Hold longer at peak load or unload faster."
                + _creep_correction_note(names, f, creeping, creep_option),
            )
        )
    if ok.sum() >= 3:
        cv = np.nanstd(H[ok], ddof=1) / np.nanmean(H[ok])
        if several_materials:
            text = (
                f"**Scatter:** H varies by {100 * cv:.0f} % (standard deviation / mean) across "
                f"the {int(ok.sum())} analysed curves, because the sample holds different "
                "materials on purpose: compare the rows, not a mean over them."
            )
        else:
            text = (
                f"**Scatter:** H varies by {100 * cv:.0f} % (standard deviation / mean) across "
                f"the {int(ok.sum())} analysed curves. On a homogeneous reference such as "
                "fused silica expect a few %; a much larger spread points to several phases "
                "(see *Property maps*) or different samples in one file, surface roughness or "
                "a bad curve (see *Find bad curves*)."
            )
        notes.append(("info", text))
    if not notes:
        notes.append(
            (
                "info",
                "**Nothing stands out:** every curve was analysed, the unloading exponents lie "
                f"within {M_RANGE[0]}-{M_RANGE[1]} and h_f / h_max stays below "
                f"{PILEUP_HF_RATIO}.",
            )
        )
    return notes


def _creep_correction_note(names, f: pd.DataFrame, creeping, creep_option: bool) -> str:
    """What Feng & Ngan's correction did on the creeping curves, or that the page offers it."""
    if "creep_rate_nm_per_s" not in f:
        if not creep_option:
            return ""
        return (
            " *Creep correction (Feng & Ngan)* (sidebar) measures the creep rate ḣ_h at the "
            "end of the hold and corrects S: 1/S = 1/S_u + ḣ_h / |Ṗ_u|."
        )
    parts = []
    for i in np.flatnonzero(creeping):
        rate, P_rate = f.loc[i, "creep_rate_nm_per_s"], f.loc[i, "unloading_rate_mN_per_s"]
        S, S_u = f.loc[i, "S_mN_per_nm"], f.loc[i, "S_apparent_mN_per_nm"]
        if not all(np.isfinite(x) and x != 0 for x in (rate, P_rate, S)):
            continue
        ratio = rate / abs(P_rate)
        share = ratio * S
        verdict = "a strong nose" if share > 1.0 else "a nose" if share > 0.05 else "settled"
        parts.append(
            f"*{names[i]}*: ḣ_h / |Ṗ_u| = {ratio:.3g} nm/mN against 1/S = {1 / S:.3g} nm/mN "
            f"({verdict}; S {S_u:.3g} → {S:.3g} mN/nm)"
        )
    if not parts:
        return " *Creep correction (Feng & Ngan)* is on, but no creep rate could be measured."
    return (
        " *Creep correction (Feng & Ngan)* is on, 1/S = 1/S_u + ḣ_h / |Ṗ_u|: "
        + "; ".join(parts[:5])
        + "."
    )


def settings_summary(options: dict, curves, drift_unmeasured: int = 0) -> str:
    """One sentence on how the curves were analysed: ν, area function, fit range, curves.

    ``drift_unmeasured`` curves (all of them when there is no time column) had no drift
    rate, so the thermal drift is said to be corrected only on the others.
    """
    kind = "ideal Berkovich" if len(options["area"]) == 1 else "your calibration"
    lo, hi = options["fit_range"]
    n = curves.n_curves
    drift = None
    if options.get("drift_correction"):
        missing = n if curves.t_s is None else min(int(drift_unmeasured), n)
        if missing == 0:
            drift = "thermal drift"
        elif missing < n:
            drift = f"thermal drift (on {n - missing} of {n} curves)"
    corrections = [
        name
        for name, on in (
            (drift, drift),
            ("zero point", options.get("zero_point_correction")),
            ("creep (Feng & Ngan)", options.get("creep_correction") and curves.t_s is not None),
        )
        if on
    ]
    corrected = f"; corrected: {', '.join(corrections)}" if corrections else ""
    return (
        f"{n} curve{'s' * (n != 1)} analysed with ν = {options['nu']:.2f}, "
        f"A = {area_formula(options['area'])} (nm², {kind}), unloading fit from "
        f"{100 * lo:.0f} % to {100 * hi:.0f} % of P_max{corrected} (Oliver & Pharr 1992)."
    )


def read_summary(table, label: str) -> str:
    """One sentence on what was read: rows, columns, delimiter, decimal comma, header lines."""
    decimal = ", decimal comma" if table.decimal_comma else ""
    skipped = (
        f"; skipped {table.skipped_lines} line{'s' * (table.skipped_lines != 1)} above the numbers"
        if table.skipped_lines
        else ""
    )
    return (
        f"Read {label}: {len(table.frame):,} rows × {table.frame.shape[1]} columns, "
        f"separated by {table.delimiter}{decimal}{skipped}."
    )
