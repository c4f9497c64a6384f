"""What to notice on one simulated curve: notes that quote the curve's own numbers.

Every note that names a physical effect is shown only when the simulated curve shows it
(its truth says so): the regime of the contact from the truth's first-yield and
full-plasticity loads, the creep nose from the creep rate at the end of the hold, each
defect from its true size, the size effect from the h* the simulator used.
"""

from __future__ import annotations

import math

from simulator.materials import materials_showing
from simulator.settings import as_defects

from .tables import (
    ELASTIC,
    ELASTIC_PLASTIC,
    FULLY_PLASTIC,
    contact_regime,
    percent_error,
)

#: ḣ_h / |Ṗ_u| as a share of the elastic compliance 1 / S above which the unloading shows a
#: nose (below it creep had settled); above 1 the nose is strong (Feng & Ngan 2002).
NOSE_SHARE, STRONG_NOSE_SHARE = 0.05, 1.0
#: Mean pressure at first yield of a sphere over H: 1.1 Y with Tabor's Y = H / 2.8.
FIRST_YIELD_OVER_H = 1.1 / 2.8


def _load(P_mN: float) -> str:
    """A load in mN, or words when the tip never reaches it (NaN)."""
    return f"{P_mN:.3g} mN" if math.isfinite(P_mN) else "a load this tip never reaches"


def regime_cause(truth: dict) -> str | None:
    """Why P_max / A lies below H by the contact's regime; None when it is fully plastic."""
    regime = contact_regime(truth)
    if regime == FULLY_PLASTIC:
        return None
    yield_load, full_load = truth["first_yield_load_mN"], truth["full_plasticity_load_mN"]
    not_hardness = (
        ", so the 'hardness' measured here is a mean contact pressure, not a hardness "
        "(raise the load, or use a sharper tip)"
    )
    if regime == ELASTIC and yield_load == 0:  # an ideal Berkovich under Sneddon's cap
        return (
            "the contact is still elastic: Sneddon's elastic cone pressure E_r cot(α) / 2 "
            "caps P / A below the hardness H(h_c) a fully plastic contact would show at this "
            "depth" + not_hardness
        )
    if regime == ELASTIC:
        return (
            f"the contact is still elastic (Hertz): P_max is below first yield at "
            f"{_load(yield_load)}, where p_m = 1.1 Y ≈ {FIRST_YIELD_OVER_H:.2f} H (Johnson "
            "1985)" + not_hardness
        )
    return (
        f"the contact is elastic–plastic: it yielded at {_load(yield_load)} and is fully "
        f"plastic only at {_load(full_load)}; P / A lies between "
        f"{FIRST_YIELD_OVER_H:.2f} H and H (Johnson 1985)"
    )


def hardness_note(truth: dict) -> str:
    """Which hardness the analysis should match when H at P_max differs from the input H."""
    H, H_max = truth["H_GPa"], truth["H_at_Pmax_GPa"]
    causes = []
    if truth.get("ise_h_star_nm", 0) > 0:
        causes.append("the size effect makes shallow indents harder")
    if truth.get("creep_nm", 0) > 0:
        causes.append(
            f"creep grew the contact by {truth['creep_nm']:.1f} nm during the hold"
            + (
                f" and {truth['creep_unloading_nm']:.1f} nm more during unloading (which "
                "biases S rather than H)"
                if truth.get("creep_unloading_nm", 0) > 0
                else ""
            )
        )
    regime = regime_cause(truth)
    if regime:
        causes.append(regime)
    because = f" because {' and '.join(causes)}" if causes else ""
    return (
        f"The true hardness at the start of unloading, P_max / A = {H_max:.3g} GPa, differs "
        f"from the material's input hardness H = {H:.3g} GPa{because}. Oliver-Pharr measures "
        "the contact at P_max, so a correct analysis matches **H at P_max**; the input H is "
        "what you would get from a deep indent without these effects."
    )


def shown_effects(settings: dict, truth: dict) -> list[str]:
    """Names of the effects this simulated curve shows, in the order of ``Defects.active()``.

    An effect switched on counts only when the truth shows it (a pop-in below the elastic
    limit gives no burst; creep with no hold still creeps into the unloading); the size
    effect counts whenever the simulator used an h* (a preset's own, such as copper's).
    """
    active = as_defects(settings["defects"]).active()
    t = truth
    shows = {
        "drift": t["drift_nm_per_s"] != 0,
        "creep": t["creep_nm"] > 0 or t.get("creep_unloading_nm", 0) > 0,
        "popin": t["popin_size_nm"] > 0,
        "surface_offset": t["surface_offset_nm"] != 0,
        "pileup": t["pileup_area_excess"] > 0,
        "size_effect": t["ise_h_star_nm"] > 0,
        "elbow": t["elbow_nm"] > 0,
        "popout": t["elbow_nm"] > 0,
        "crack": t["crack_size_nm"] > 0,
        "roughness": t["roughness_offset_nm"] != 0,
    }
    shown = [name for name in active if shows.get(name)]
    if shows["size_effect"] and "size_effect" not in shown:
        shown.append("size_effect")
    return shown


def loading_text(truth: dict) -> str:
    """What the loading branch follows, by tip, size effect and contact regime."""
    yield_load, full_load = truth["first_yield_load_mN"], truth["full_plasticity_load_mN"]
    h_star = truth.get("ise_h_star_nm", 0.0)
    if yield_load == 0 and full_load == 0:  # an ideal Berkovich
        if contact_regime(truth) == ELASTIC:  # capped at P_max, so at every shallower depth
            return (
                "follows P ∝ h² with P / A capped by Sneddon's elastic cone pressure, below "
                "the hardness H(h_c)"
            )
        if h_star > 0:
            return (
                "departs from Kick's law P ∝ h²: H rises at shallow depth "
                f"(Nix–Gao size effect, h* = {h_star:.0f} nm), so the load grows more slowly "
                "than h²"
            )
        return "follows Kick's law P ∝ h²"
    hertz = "follows the elastic Hertz branch P ∝ h^1.5 of the sphere or rounded apex"
    regime = contact_regime(truth)
    if regime == ELASTIC:
        return f"{hertz} all the way: first yield would come at {_load(yield_load)}"
    if regime == ELASTIC_PLASTIC:
        return (
            f"{hertz} up to first yield at {_load(yield_load)} (p_m = 1.1 Y), then is "
            f"elastic–plastic up to P_max (fully plastic only at {_load(full_load)})"
        )
    sharpens = (
        " (a rounded Berkovich then bends towards P ∝ h²)"
        if not truth.get("tip", "").startswith("sphere")
        else ""
    )
    return (
        f"{hertz} up to first yield at {_load(yield_load)} (p_m = 1.1 Y), is elastic–plastic "
        f"up to {_load(full_load)}, then fully plastic{sharpens}"
    )


def what_to_notice(
    settings: dict,
    truth: dict,
    op: dict,
    options: dict | None = None,
    other_op: dict | None = None,
) -> list[str]:
    """Short Markdown paragraphs on what this curve shows, with its own numbers.

    ``settings`` are the curve settings (``defects``, ``protocol``); ``truth`` is the curve's
    truth and ``op`` its analysis with ``options`` (``drift_correction``,
    ``zero_point_correction``, ``creep_correction``). ``other_op`` is the same analysis with
    ``creep_correction`` the other way round: the creep note then shows E with and without
    the correction. With no defect switched on, a first paragraph says what the loading
    follows (by the contact regime) and what is left (noise, the fit); otherwise the first
    paragraph gives the analysis error of all effects together. Then one paragraph per
    effect the curve shows (:func:`shown_effects`).
    """
    options = options or {}
    active = as_defects(settings["defects"]).active()
    shown = shown_effects(settings, truth)
    H_err = percent_error(op.get("H_GPa", math.nan), truth["H_at_Pmax_GPa"])
    E_err = percent_error(op.get("E_GPa", math.nan), truth["E_GPa"])
    errors = f"H {H_err:+.1f} %, E {E_err:+.1f} %"
    if not op.get("ok", True):
        errors = f"no result, the analysis failed ({op.get('reason', '')})"
    paragraphs = []
    if not active:
        close = all(math.isfinite(e) and abs(e) <= 2.0 for e in (H_err, E_err))
        verdict = (
            f"Oliver-Pharr recovers the truth ({errors}). What is left comes from noise and "
            "from fitting a finite number of points."
            if close
            else f"Oliver-Pharr is off by {errors}, with no defect at all: noise and the fit "
            "of a short, shallow or elastic unloading are enough."
        )
        paragraphs.append(
            f"**No defect is on.** The loading {loading_text(truth)}; the unloading "
            f"follows a power law. {verdict} Open the defect groups in the sidebar and switch "
            "one on."
        )
    else:
        together = "this effect" if len(shown) == 1 else "these effects together"
        paragraphs.append(f"**Oliver-Pharr against the truth, with {together}:** {errors}.")
        if "popin" in active and "popin" not in shown:
            paragraphs.append(_no_popin(settings, truth))
    notes = _effect_notes(settings, truth, op, options, other_op)
    return paragraphs + [notes[name]() for name in shown if name in notes]


def _effect_notes(settings, truth, op, options, other_op) -> dict:
    """One note per effect, each a function so only the shown ones are built."""
    t = truth
    offset = t["surface_offset_nm"]
    return {
        "pileup": lambda: (
            f"**Pile-up (+{100 * t['pileup_area_excess']:.0f} % area).** Material pushed up "
            "around the indent carries load, so the true contact area is (1 + x) times the "
            "area Oliver-Pharr computes from h_c. Dividing P_max by too small an area makes H "
            "too high by x, and E_r = √π S / (2β√A) too high by √(1 + x) − 1. The curve looks "
            "normal; only an image of the indent shows it. " + _pileup_hint(t)
        ),
        "surface_offset": lambda: (
            f"**Surface detection error ({offset:+.0f} nm).** Every measured depth is "
            f"{abs(offset):.0f} nm too {'small' if offset > 0 else 'large'}: h_c and so the "
            f"area come out too {'small' if offset > 0 else 'large'}, H and E too "
            f"{'high' if offset > 0 else 'low'}. Shallow indents suffer most. "
            + (
                "*Correct the zero point* is ticked: the analysis found the surface from the "
                f"start of the loading curve (offset {op.get('zero_offset_nm', math.nan):+.1f} "
                "nm) and the errors above are what is left."
                if options.get("zero_point_correction")
                else "Tick *Correct the zero point* (Oliver-Pharr analysis, sidebar) to find "
                "the surface from the curve."
            )
        ),
        "drift": lambda: (
            f"**Thermal drift ({t['drift_nm_per_s']:+.2f} nm/s).** Drift adds rate × time to "
            "every depth: the drift hold at 10 % load is no longer flat, and the unloading "
            "branch is tilted, so the fitted stiffness S and h_max are wrong. Slow tests "
            "suffer most. " + _drift_advice(op, options)
        ),
        "creep": lambda: creep_note(settings, t, op, options, other_op),
        "popin": lambda: (
            f"**Pop-in at {t['popin_load_mN']:.2f} mN.** The tip first loads elastically "
            "along the Hertz branch of its apex (yellow), until dislocations nucleate in the "
            "small, nearly defect-free volume under it: the depth bursts "
            f"{t['popin_size_nm']:.1f} nm at constant load. H and E at P_max hardly change, "
            "but curve features such as the loading exponent do." + _what_if(t, "popin")
        ),
        "size_effect": lambda: size_effect_note(settings, t),
        "elbow": lambda: (
            f"**Elbow ({t['elbow_nm']:.0f} nm below {t['elbow_load_mN']:.2f} mN).** On "
            "unloading a high-pressure phase transforms back (Si), and the depth recovers "
            "faster below the elbow load (yellow). "
            + _fit_reach(t, options, "elbow")
            + _what_if(t, "elbow")
        ),
        "popout": lambda: (
            f"**Pop-out ({t['elbow_nm']:.0f} nm at {t['elbow_load_mN']:.2f} mN).** On "
            "unloading the depth jumps back at once when a high-pressure phase transforms "
            "(Si). " + _fit_reach(t, options, "pop-out") + _what_if(t, "popout")
        ),
        "crack": lambda: (
            f"**Crack at {t['crack_load_mN']:.1f} mN.** The depth bursts "
            f"{t['crack_size_nm']:.0f} nm during loading. Oliver-Pharr counts the burst as "
            "contact depth, so the area comes out too large and H too low." + _what_if(t, "crack")
        ),
        "roughness": lambda: (
            f"**Roughness.** This indent landed {abs(t['roughness_offset_nm']):.1f} nm "
            f"{'above' if t['roughness_offset_nm'] > 0 else 'below'} the mean surface, which "
            "shifts its depth zero. Change the seed to indent elsewhere on the same surface: "
            "the scatter is what roughness does to a grid of indents."
        ),
    }


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


def _what_if(t: dict, defect: str) -> str:
    """ " (A what-if: ...)" when the truth says the material does not show ``defect``."""
    names = [n.strip() for n in str(t.get("defects_not_on_material", "")).split(",")]
    if defect not in names:
        return ""
    brittle = ", ".join(materials_showing("crack"))
    return (
        f" (A what-if: {t['material']} {DOES_NOT[defect]}; elbows and pop-outs belong to Si "
        f"and Ge, cracks to brittle solids ({brittle}), pop-ins to crystals.)"
    )


def _fit_reach(t: dict, options: dict, kind: str) -> str:
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


def _pileup_hint(t: dict) -> str:
    """The h_f / h_max hint of pile-up (Bolshakov & Pharr 1998), with this curve's ratio."""
    ratio = t["h_f_nm"] / t["h_max_nm"]
    if ratio > 0.7:
        return f"A hint: h_f / h_max = {ratio:.2f} > 0.7 here, where pile-up is possible."
    return (
        f"Here h_f / h_max = {ratio:.2f}: below the usual hint of pile-up (> 0.7, Bolshakov "
        "& Pharr 1998), so the curve does not even hint at it."
    )


def _no_popin(settings: dict, t: dict) -> str:
    """Why a pop-in switched on left no burst."""
    load = settings["defects"]["popin_load_mN"]
    yield_load = t["first_yield_load_mN"]
    below = (
        f" (first yield at {_load(yield_load)})"
        if yield_load > 0 and math.isfinite(yield_load)
        else ""
    )
    return (
        f"**No pop-in burst.** At the pop-in load {load:.2f} mN the tip's elastic branch is "
        f"not yet shallower than its regular loading branch{below}: there is nothing to "
        "burst onto, so the curve shows no pop-in. Raise the pop-in load."
    )


def _drift_advice(op: dict, options: dict) -> str:
    """What to do about drift, given whether the correction is on and could measure it."""
    if not options.get("drift_correction"):
        return "Tick *Correct thermal drift* to measure the rate in the drift hold and subtract it."
    rate = op.get("drift_rate_nm_per_s", math.nan)
    if rate is None or not math.isfinite(rate):
        return (
            "*Correct thermal drift* is ticked, but this test has no drift hold to measure the "
            "rate in, so nothing was corrected: give the *Drift hold at 10 % load* some "
            "seconds."
        )
    return (
        f"*Correct thermal drift* is ticked: the analysis measured {rate:+.2f} nm/s in the "
        "drift hold and subtracted it; the errors above are what is left."
    )
