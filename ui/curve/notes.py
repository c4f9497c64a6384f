"""What to notice on one simulated curve: notes that quote the curve's own numbers.

Every note that names a physical effect is shown only when the simulated curve shows it
(its truth says so): the regime of the contact from the truth's first-yield and
full-plasticity loads, the creep nose from the creep rate at the end of the hold, each
defect from its true size, the size effect from the h* the simulator used.
"""

from __future__ import annotations

import math

from simulator.settings import as_defects

from .effect_notes import (
    creep_note,
    fit_reach,
    load_text,
    no_popin,
    pileup_hint,
    popin_strength,
    size_effect_note,
    what_if,
)
from .tables import (
    ELASTIC,
    ELASTIC_PLASTIC,
    FULLY_PLASTIC,
    contact_regime,
    percent_error,
)

#: Mean pressure at first yield of a sphere over H: 1.1 Y with Tabor's Y = H / 2.8.
FIRST_YIELD_OVER_H = 1.1 / 2.8


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
    if regime == ELASTIC and not math.isfinite(yield_load):
        return (
            "the contact is still elastic: the cone of the rounded tip caps its elastic "
            f"pressure below first yield, p_m = 1.1 Y ≈ {FIRST_YIELD_OVER_H:.2f} H (Johnson "
            "1985), at any load: E/H is too low for this tip to yield the sample, so the "
            "'hardness' measured here is a mean contact pressure, not a hardness"
        )
    if regime == ELASTIC:
        return (
            f"the contact is still elastic (Hertz): P_max is below first yield at "
            f"{load_text(yield_load)}, where p_m = 1.1 Y ≈ {FIRST_YIELD_OVER_H:.2f} H (Johnson "
            "1985)" + not_hardness
        )
    return (
        f"the contact is elastic–plastic: it yielded at {load_text(yield_load)} and is fully "
        f"plastic only at {load_text(full_load)}; P / A lies between "
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
        return f"{hertz} all the way: first yield would come at {load_text(yield_load)}"
    if regime == ELASTIC_PLASTIC:
        return (
            f"{hertz} up to first yield at {load_text(yield_load)} (p_m = 1.1 Y), then is "
            f"elastic–plastic up to P_max (fully plastic only at {load_text(full_load)})"
        )
    sharpens = (
        " (a rounded Berkovich then bends towards P ∝ h²)"
        if not truth.get("tip", "").startswith("sphere")
        else ""
    )
    return (
        f"{hertz} up to first yield at {load_text(yield_load)} (p_m = 1.1 Y), is elastic–plastic "
        f"up to {load_text(full_load)}, then fully plastic{sharpens}"
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
            paragraphs.append(no_popin(settings, truth))
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
            "normal; only an image of the indent shows it. " + pileup_hint(t)
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
            "but curve features such as the loading exponent do. "
            + popin_strength(settings, t)
            + what_if(t, "popin")
        ),
        "size_effect": lambda: size_effect_note(settings, t),
        "elbow": lambda: (
            f"**Elbow ({t['elbow_nm']:.0f} nm below {t['elbow_load_mN']:.2f} mN).** On "
            "unloading a high-pressure phase transforms back (Si), and the depth recovers "
            "faster below the elbow load (yellow). "
            + fit_reach(t, options, "elbow")
            + what_if(t, "elbow")
        ),
        "popout": lambda: (
            f"**Pop-out ({t['elbow_nm']:.0f} nm at {t['elbow_load_mN']:.2f} mN).** On "
            "unloading the depth jumps back at once when a high-pressure phase transforms "
            "(Si). " + fit_reach(t, options, "pop-out") + what_if(t, "popout")
        ),
        "crack": lambda: (
            f"**Crack at {t['crack_load_mN']:.1f} mN.** The depth bursts "
            f"{t['crack_size_nm']:.0f} nm during loading. Oliver-Pharr counts the burst as "
            "contact depth, so the area comes out too large and H too low." + what_if(t, "crack")
        ),
        "roughness": lambda: (
            f"**Roughness.** This indent landed {abs(t['roughness_offset_nm']):.1f} nm "
            f"{'above' if t['roughness_offset_nm'] > 0 else 'below'} the mean surface, which "
            "shifts its depth zero. Change the seed to indent elsewhere on the same surface: "
            "the scatter is what roughness does to a grid of indents."
        ),
    }


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
