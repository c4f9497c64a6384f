"""Per-effect notes of one simulated curve, each built from the curve's truth and analysis:
the creep nose (Feng & Ngan 2002), the size effect (Nix & Gao 1998), the pop-in's shear
stress, the fit range against an elbow, the pile-up hint and the what-if remark for a defect
the material does not show. :mod:`ui.curve.notes` decides which of them a curve gets.
"""

from __future__ import annotations

import math

from simulator.materials import materials_showing
from simulator.settings import as_defects

from .tables import percent_error, popin_shear_over_G

#: ḣ_h / |Ṗ_u| as a share of the elastic compliance 1 / S above which the unloading shows a
#: nose (below it creep had settled); above 1 the nose is strong (Feng & Ngan 2002).
NOSE_SHARE, STRONG_NOSE_SHARE = 0.05, 1.0


def load_text(P_mN: float) -> str:
    """A load in mN, or words when the tip never reaches it (NaN)."""
    return f"{P_mN:.3g} mN" if math.isfinite(P_mN) else "a load this tip never reaches"


def creep_note(settings: dict, t: dict, op: dict, options: dict, other_op: dict | None) -> str:
    """Creep in the hold and into the unloading; the nose by Feng & Ngan's ratio.

    ḣ_h / |Ṗ_u| = creep rate at the hold's end × unloading time / P_max [nm/mN], against the
    elastic compliance 1 / S: a nose above :data:`NOSE_SHARE` of it, a strong nose above
    :data:`STRONG_NOSE_SHARE`; below, creep had settled and the unloading is clean.
    """
    rate = t.get("creep_rate_hold_end_nm_per_s", 0.0)
    unloading_s = settings["protocol"].get("unloading_s", math.nan)
    P_rate = t["P_max_mN"] / unloading_s
    ratio = rate / P_rate  # nm/mN
    compliance = 1.0 / t["S_mN_per_nm"]
    share = ratio / compliance
    numbers = (
        f"At the end of the hold the depth still grows at ḣ_h = {rate:.2f} nm/s while the "
        f"load falls at |Ṗ_u| = {P_rate:.2f} mN/s: ḣ_h / |Ṗ_u| = {ratio:.2f} nm/mN against "
        f"the elastic compliance 1/S = {compliance:.2f} nm/mN."
    )
    text = (
        f"**Creep ({t['creep_nm']:.1f} nm in the hold, "
        f"{t.get('creep_unloading_nm', 0.0):.1f} nm more during unloading).** The depth keeps "
        "growing at constant load (see the displacement-time chart), and what has not "
        f"settled goes on into the unloading. {numbers} "
    )
    if share > STRONG_NOSE_SHARE:
        text += (
            "**A strong nose:** at the top of the unloading the depth still grows while the "
            "load falls, so the unloading bows outward and the fitted S is far too high (or "
            "the fit fails). "
        )
    elif share > NOSE_SHARE:
        text += (
            "The top of the unloading bows outward (a nose): S, and so E, come out too high. "
            "Lengthen the hold or unload faster and watch the error shrink. "
        )
    else:
        text += "Creep had settled: the unloading is clean, and S is not biased. "
    return text + _creep_correction_text(op, options, other_op, t, nose=share > NOSE_SHARE)


def _creep_correction_text(op, options, other_op, t, *, nose: bool) -> str:
    """E with and without Feng & Ngan's correction, 1/S_e = 1/S_u + ḣ_h / |Ṗ_u|."""
    ticked = bool(options.get("creep_correction"))
    on, off = (op, other_op) if ticked else (other_op, op)

    def E_text(result: dict | None) -> str:
        if not result or not result.get("ok"):
            return "no result (the analysis failed)"
        E = result["E_GPa"]
        return f"E = {E:.3g} GPa ({percent_error(E, t['E_GPa']):+.1f} %)"

    law = "Feng & Ngan (2002): 1/S_e = 1/S_u + ḣ_h / |Ṗ_u|"
    if ticked:
        measured = ""
        if op.get("ok"):
            measured = (
                f" The analysis measured ḣ_h = {op['creep_rate_nm_per_s']:.2f} nm/s, "
                f"|Ṗ_u| = {abs(op['unloading_rate_mN_per_s']):.2f} mN/s and S_u = "
                f"{op['S_apparent_mN_per_nm']:.3g} mN/nm, and took S = "
                f"{op['S_mN_per_nm']:.3g} mN/nm."
            )
        compare = f" With it {E_text(on)}; without it {E_text(off)}." if other_op else ""
        return f"*Creep correction (Feng & Ngan)* is ticked: {law}.{measured}{compare}"
    if other_op is None:
        return f"Tick *Creep correction (Feng & Ngan)* to apply {law}."
    advice = "Tick" if nose else "There is little to correct here; ticking"
    return (
        f"{advice} *Creep correction (Feng & Ngan)* (Oliver-Pharr analysis, sidebar) "
        f"{'to apply' if nose else 'applies'} {law}: it gives {E_text(on)} instead of "
        f"{E_text(off)}."
    )


def size_effect_note(settings: dict, t: dict) -> str:
    """The Nix-Gao size effect the simulator used; says when h* came from the preset."""
    h_star, hc = t["ise_h_star_nm"], t["hc_max_nm"]
    from_preset = settings["defects"].get("ise_h_star_nm", 0) <= 0
    source = ", from the preset (Nix & Gao 1998)" if from_preset else ""
    H_hc = t["H_GPa"] * math.sqrt(1.0 + h_star / hc) if hc > 0 else math.nan
    preset = (
        f" The preset's H = {t['H_GPa']:.3g} GPa is the macroscopic H0 of Nix & Gao; set "
        "*Size effect depth h** to try another h*."
        if from_preset
        else ""
    )
    return (
        f"**Size effect (h\\* = {h_star:.0f} nm{source}).** Hardness rises at shallow depth, "
        f"H(h_c) = H √(1 + h\\*/h_c): at h_c = {hc:.0f} nm that is {H_hc:.3g} GPa against "
        f"H = {t['H_GPa']:.3g} GPa, and the true hardness at P_max is "
        f"{t['H_at_Pmax_GPa']:.3g} GPa. Oliver-Pharr measures it correctly: a physical "
        "effect, not an analysis error. Raise the peak load and watch H at P_max approach "
        f"the input H.{preset}"
    )


#: What a material does not do, per material-specific defect, for the what-if remark.
DOES_NOT = {
    "popin": "is not a crystal that yields in bursts",
    "elbow": "does not transform under pressure",
    "popout": "does not transform under pressure",
    "crack": "does not crack under the tip",
}


def what_if(t: dict, defect: str) -> str:
    """ " (A what-if: ...)" when the truth says the material does not show ``defect``."""
    names = [n.strip() for n in str(t.get("defects_not_on_material", "")).split(",")]
    if defect not in names:
        return ""
    brittle = ", ".join(materials_showing("crack"))
    return (
        f" (A what-if: {t['material']} {DOES_NOT[defect]}; elbows and pop-outs belong to Si "
        f"and Ge, cracks to brittle solids ({brittle}), pop-ins to crystals.)"
    )


def fit_reach(t: dict, options: dict, kind: str) -> str:
    """Whether the unloading fit range reaches below the elbow or pop-out load."""
    lower = options.get("fit_range", (0.2, 0.95))[0]
    fit_from = lower * t["P_max_mN"]
    if fit_from < t["elbow_load_mN"]:
        return (
            f"The unloading fit starts at {fit_from:.2f} mN ({lower:g} P_max), below the "
            f"{kind} load, so the fit bends with it and S, H and E move: raise the lower end "
            f"of the fit range above {t['elbow_load_mN'] / t['P_max_mN']:.2f} and compare."
        )
    return (
        f"The unloading fit starts at {fit_from:.2f} mN ({lower:g} P_max), above the {kind} "
        f"load, so the fit is unaffected: lower the fit range below it and see the {kind} "
        "spoil the fit."
    )


def pileup_hint(t: dict) -> str:
    """The h_f / h_max hint of pile-up (Bolshakov & Pharr 1998), with this curve's ratio."""
    ratio = t["h_f_nm"] / t["h_max_nm"]
    if ratio > 0.7:
        return f"A hint: h_f / h_max = {ratio:.2f} > 0.7 here, where pile-up is possible."
    return (
        f"Here h_f / h_max = {ratio:.2f}: below the usual hint of pile-up (> 0.7, Bolshakov "
        "& Pharr 1998), so the curve does not even hint at it."
    )


#: Shear stress at pop-in over G: the ideal strength (Frenkel) and the measured band (Schuh
#: 2006; Gouldstone et al. 2007).
IDEAL_SHEAR, MEASURED_SHEAR = 1.0 / (2.0 * math.pi), (1.0 / 30.0, 1.0 / 10.0)


def popin_strength(settings: dict, t: dict) -> str:
    """The Hertz shear stress under the apex at the pop-in load, against G/2π and G/30-G/10."""
    radius = settings.get("tip_radius_nm") or as_defects(settings["defects"]).popin_apex_radius_nm
    x = popin_shear_over_G(t, radius)
    stress = (
        f"By Hertz the largest shear stress under the apex (R = {radius:.0f} nm) reaches "
        f"{x:.2f} G at the pop-in load"
    )
    if x > IDEAL_SHEAR:
        return (
            f"{stress}, above the ideal shear strength G/2π ≈ {IDEAL_SHEAR:.2f} G (Frenkel): "
            "no crystal holds that, so a real one would have popped in at a lower load. "
            "Lower the pop-in load or blunt the apex."
        )
    lo, hi = MEASURED_SHEAR
    if x > hi:
        return (
            f"{stress}: above the G/30-G/10 at which pop-ins are usually measured (Schuh "
            f"2006) but below the ideal strength G/2π ≈ {IDEAL_SHEAR:.2f} G, as in a nearly "
            "perfect crystal."
        )
    if x >= lo:
        return f"{stress}: within the G/30-G/10 at which pop-ins are measured (Schuh 2006)."
    return (
        f"{stress}, below the G/30-G/10 at which pop-ins are measured (Schuh 2006): so "
        "early a burst needs a defect under the tip."
    )


def no_popin(settings: dict, t: dict) -> str:
    """Why a pop-in switched on left no burst."""
    load = settings["defects"]["popin_load_mN"]
    yield_load = t["first_yield_load_mN"]
    below = (
        f" (first yield at {load_text(yield_load)})"
        if yield_load > 0 and math.isfinite(yield_load)
        else ""
    )
    return (
        f"**No pop-in burst.** At the pop-in load {load:.2f} mN the tip's elastic branch is "
        f"not yet shallower than its regular loading branch{below}: there is nothing to "
        "burst onto, so the curve shows no pop-in. Raise the pop-in load."
    )
