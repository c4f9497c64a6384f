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
    popins: pd.DataFrame | None = None,
) -> list[tuple[str, str]]:
    """Short Markdown notes on these results, each with its kind ("warning" or "info").

    ``several_materials``: the curves are known to come from different materials (the
    sample file), so their scatter is no measure of the method. ``creep_option``: the page
    offers Feng & Ngan's creep correction, so the creep note points to it; when it was
    applied (the features carry ``creep_rate_nm_per_s``) the note says, per creeping curve,
    whether the unloading shows a nose. ``popins``: every pop-in
    found (``learners.find_popins``); without it the first pop-in of ``features`` is used.
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
    sizes = f["popin_size_nm"].to_numpy(float)
    if popins is not None:
        first = popins.groupby("curve").first()
        popin = np.full(len(f), np.nan)
        sizes = np.full(len(f), np.nan)
        popin[first.index.to_numpy(int)] = first["load_mN"].to_numpy(float)
        sizes[first.index.to_numpy(int)] = first["size_nm"].to_numpy(float)
    has_popin = np.isfinite(popin)
    if has_popin.any():
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
                "Oliver-Pharr, which uses the unloading only. Every pop-in found is listed "
                "under *Pop-ins found*.",
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
    kind = _tip_kind(options)
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
    constants = ""
    if "beta" in options:
        constants = f", β = {options['beta']:.4g}, ε = {options['epsilon']:.3g}"
        if options.get("frame_compliance_nm_per_mN"):
            constants += f", frame compliance {options['frame_compliance_nm_per_mN']:.4g} nm/mN"
    return (
        f"{n} curve{'s' * (n != 1)} analysed with ν = {options['nu']:.2f}, "
        f"A = {area_formula(options['area'])} (nm², {kind}){constants}, unloading fit from "
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


def _tip_kind(options: dict) -> str:
    """The tip in words: ideal Berkovich, your calibration, a sphere of R, a saved file."""
    tip = options.get("tip")
    if tip in ("spherical tip", "conospherical tip"):
        return f"{tip.split()[0]} tip, R = {options['radius_nm'] / 1000:.4g} µm"
    if tip == "saved calibration (JSON)" and options.get("source"):
        return f"saved calibration {options['source']}"
    return "ideal Berkovich" if len(options["area"]) == 1 else "your calibration"


def files_summary(curves, label: str) -> str:
    """One sentence on what was read from files read by ``learners.read_curves``."""
    n = curves.n_curves
    time = "with time" if curves.t_s is not None else "without a time column"
    return (
        f"Read {label}: {n} curve{'s' * (n != 1)} ({time}); columns and units found from "
        "their names (load in mN, displacement in nm after conversion)."
    )


def skipped_files(skipped: list[tuple[str, str]]) -> str:
    """The files of an upload left out, each with why (the others were read)."""
    n = len(skipped)
    listed = "\n".join(f"- **{name}**: {message}" for name, message in skipped[:20])
    more = f"\n- and {n - 20} more" if n > 20 else ""
    files = f"{n} files could not be read and were" if n > 1 else "1 file could not be read and was"
    return (
        f"**{files} left out**; the other files are analysed below. Fix or re-export "
        f"{'them' if n > 1 else 'it'} and upload again:\n{listed}{more}"
    )


def contact_summary(contact) -> str:
    """One sentence on contact detection over all curves."""
    n = len(contact)
    moved = contact["h_contact_nm"].abs()
    preload = int(contact["preload"].sum())
    text = (
        f"Contact found from the load signal on {n} curve{'s' * (n != 1)}: the depth zero "
        f"moved by up to {moved.max():.3g} nm, the points before contact (approach"
        f"{', retract' if preload else ''}) left out of the analysis"
    )
    if preload:
        text += f"; {preload} record{'s' * (preload != 1)} start under a preload"
    return text + ". Each curve's note is in the table below."


def no_truth(which: str, features, popins, hertz=None) -> str:
    """What the "Real curves" sample can and cannot tell: no truth, what the analysis and
    the detectors say instead (numbers quoted from the results)."""
    ok = features[features["ok"]]
    said = [
        f"Oliver-Pharr analysed {len(ok)} of {len(features)} curves"
        + (
            f" ({value_range('H', ok['H_GPa'].to_numpy(), 'GPa')}, "
            f"{value_range('E', ok['E_GPa'].to_numpy(), 'GPa')})"
            if len(ok)
            else ""
        )
    ]
    curves_with = popins["curve"].nunique() if len(popins) else 0
    said.append(
        f"the pop-in detector found {len(popins)} pop-in{'s' * (len(popins) != 1)} on "
        f"{curves_with} of {len(features)} curves"
    )
    if hertz is not None and np.isfinite(hertz["E_GPa"]).any():
        said.append(
            "the Hertz fit of the elastic loading gives "
            + value_range("E", hertz["E_GPa"].to_numpy(float), "GPa")
        )
    return (
        "**No truth exists for real data.** These curves were measured, not simulated: nobody "
        "knows their true H, E or where every pop-in really was, so no % error can be "
        "computed and no detector can be scored here. What the analysis and the detectors "
        f"say instead: {'; '.join(said)}. Judge them by physics and consistency: do the "
        "tests agree with each other, do H and E stay steady with depth, does the Hertz E "
        "agree with Oliver-Pharr's, does each pop-in look like a burst on the curve?"
        + (
            " These were made with a conospherical tip (R = 5.323 µm): choose *conospherical "
            "tip* with that radius in the sidebar, or a Berkovich's area makes H and E far "
            "too high, with no warning from the numbers themselves."
            if which == "hysitron"
            else " The vendor's own results are shown below for comparison."
        )
    )


HERTZ_CAPTION = (
    "Hertz: under a sphere of radius R the elastic loading follows P = 4/3 E_r √R h^1.5 "
    "(Johnson 1985), fitted from contact up to the first pop-in (where the contact yields) "
    "or half the peak load. Oliver-Pharr uses the unloading with the sphere's exact area "
    "A = π (2 R h_c − h_c²). Two independent routes to E: when they disagree, suspect the "
    "radius, the depth zero or a conical flank already in contact."
)


def popin_caption(popins, n_curves: int) -> str:
    """What the pop-in table shows, with the count."""
    if not len(popins):
        return (
            f"No pop-in found on the {n_curves} curve{'s' * (n_curves != 1)}: no burst of "
            "5 nm or more during a loading. Pop-ins show in crystals with few dislocations "
            "under a small or blunt tip."
        )
    n = popins["curve"].nunique()
    return (
        f"{len(popins)} pop-in{'s' * (len(popins) != 1)} on {n} of {n_curves} curves "
        "(learners.find_popins): a burst of depth during a loading, at the onset load; its "
        "size is the depth gained at that load, the load drop how far the instrument's "
        "feedback let the load fall while the tip ran ahead."
    )


def cycles_caption(cycles) -> str:
    """How many unloadings were analysed, in how many tests."""
    n_tests = cycles["test"].nunique()
    most = int(cycles["cycle"].max()) if len(cycles) else 0
    return (
        f"{len(cycles)} unloading{'s' * (len(cycles) != 1)} in {n_tests} "
        f"test{'s' * (n_tests != 1)} (up to {most} cycle{'s' * (most != 1)} per test), each "
        "analysed with Oliver-Pharr; one line per test. On a homogeneous material H and E "
        "should stay steady with depth: a trend at shallow depth points to the tip's area "
        "function (calibrate it), at large depth to the frame compliance or the substrate."
    )


def left_out(rows) -> str:
    """The unloadings left out of the charts, with their reasons."""
    listed = "; ".join(
        f"*{r.test}* cycle {r.cycle}: {r.reason or 'not analysed'}"
        for r in rows.head(5).itertuples()
    )
    more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
    return f"**{len(rows)} unloading{'s' * (len(rows) != 1)} left out.** {listed}{more}."


CALIBRATION_INTRO = (
    "As a lab does it (Oliver & Pharr 1992; ISO 14577-2): indent a reference of known "
    "modulus (fused silica) at many depths; each unloading's stiffness S (from a fit of the "
    "depth against the load, which the depth noise does not bias) gives the contact area "
    "A = π/4 (S / (β E_r))² at its contact depth, and A(h_c) = C0 h_c² + C1 h_c + C2 h_c^½ "
    "+ C3 h_c^¼ is fitted, each indent weighted by h_c² (a single indent's area scatters as "
    "1/h_c: repeat the shallowest depths most, e.g. 50 indents at the shallowest, 25 at the "
    "next, 3 at the deep ones). The frame compliance comes from large indents in a stiff "
    "material (the intercept of 1/S against 1/√P), or from the reference's largest indents. "
    "Broken "
    "records, failed fits and creep-dominated unloadings are left out, with the reason."
)
NO_STIFF = (
    "No stiff series: the frame compliance comes from the reference's largest indents, "
    "taking the tip as ideal there. Upload large indents in tungsten to measure it without "
    "that assumption."
)


def calibration_summary(result) -> str:
    """The calibration in one sentence: coefficients, frame compliance, depth range."""
    lo, hi = result.hc_range_nm
    used = int(result.reference["used"].sum())
    return (
        f"**Calibrated** on {used} of {len(result.reference)} reference unloadings: "
        f"A = {area_formula(result.area_coefficients)} (nm², h_c in nm), frame compliance "
        f"{result.frame_compliance_nm_per_mN:.4g} nm/mN, valid for h_c from {lo:.3g} to "
        f"{hi:.3g} nm (β = {result.beta:.4g}, ε = {result.epsilon:.3g})."
    )


#: Contact depth, as a fraction of R, where a conospherical tip's sphere meets a 90° cone:
#: h = R (1 − sin 45°).
CONE_TRANSITION = 1.0 - 2.0**-0.5


def conosphere_warning(options: dict, features) -> str | None:
    """A warning when contact depths reach the cone of a conospherical tip."""
    if options.get("tip") != "conospherical tip" or options.get("radius_nm") is None:
        return None
    limit = CONE_TRANSITION * options["radius_nm"]
    deep = int((features["hc_nm"] > limit).sum())
    if not deep:
        return None
    return (
        f"**{deep} curve{'s' * (deep != 1)} reach{'es' * (deep == 1)} beyond the sphere:** "
        f"h_c above {limit:.4g} nm, where the sphere of a conospherical tip with a 90° cone "
        "meets the cone (h = R (1 − sin 45°)). There the sphere's area is too small: "
        "calibrate the area function instead (*Calibrate your tip*)."
    )
