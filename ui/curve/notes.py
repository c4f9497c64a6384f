"""What to notice on one simulated curve: notes that quote the curve's own numbers."""

from __future__ import annotations

import math

from .tables import NOSE_MIN_NM, contact_is_elastic, percent_error


def hardness_note(truth: dict) -> str:
    """Which hardness the analysis should match when H at P_max differs from the input H."""
    H, H_max = truth["H_GPa"], truth["H_at_Pmax_GPa"]
    causes = []
    if truth.get("ise_h_star_nm", 0) > 0:
        causes.append("the size effect makes shallow indents harder")
    if truth.get("creep_nm", 0) > 0:
        causes.append("creep grew the contact during the hold")
    if contact_is_elastic(truth):
        causes.append(
            "the contact is still elastic: the tip's mean pressure P / A is below the "
            "hardness a fully plastic contact would show at this depth, "
            "so the 'hardness' measured here is a mean contact pressure, not a hardness "
            "(raise the load, or use a sharper tip)"
        )
    because = f" because {' and '.join(causes)}" if causes else ""
    return (
        f"The true hardness at the start of unloading, P_max / A = {H_max:.3g} GPa, differs "
        f"from the material's input hardness H = {H:.3g} GPa{because}. Oliver-Pharr measures "
        "the contact at P_max, so a correct analysis matches **H at P_max**; the input H is "
        "what you would get from a deep indent without these effects."
    )


def what_to_notice(
    active: list[str],
    truth: dict,
    op: dict,
    options: dict | None = None,
    nose_nm: float = math.nan,
) -> list[str]:
    """Short Markdown paragraphs on what this curve shows, with its own numbers.

    ``active`` is :meth:`simulator.settings.Defects.active`. The first paragraph gives the
    analysis error of all active effects together; then one paragraph per active defect
    says what it does to the curve and to Oliver-Pharr. With no defect on, one paragraph says
    what is left (noise, the fit) and invites switching one on. ``options`` are the analysis
    options (``drift_correction``, ``zero_point_correction``): a note on drift or on the
    surface offset then says whether the correction is on and whether it could work.
    ``nose_nm`` (:func:`ui.curve.tables.unloading_nose_nm`): how far the depth still rises
    after unloading starts; the creep note names a "nose" only when this curve has one.
    """
    options = options or {}
    H_err = percent_error(op.get("H_GPa", math.nan), truth["H_at_Pmax_GPa"])
    E_err = percent_error(op.get("E_GPa", math.nan), truth["E_GPa"])
    errors = f"H {H_err:+.1f} %, E {E_err:+.1f} %"
    if not active:
        sharp = truth.get("tip") == "ideal Berkovich"
        loading = (
            "follows Kick's law P ∝ h² on loading"
            if sharp
            else "starts on the elastic Hertz branch P ∝ h^1.5 of the sphere or rounded apex "
            "on loading (a rounded Berkovich bends towards P ∝ h² once the contact is plastic)"
        )
        close = all(math.isfinite(e) and abs(e) <= 2.0 for e in (H_err, E_err))
        verdict = (
            f"Oliver-Pharr recovers the truth ({errors}). What is left comes from noise and "
            "from fitting a finite number of points."
            if close
            else f"Oliver-Pharr is off by {errors}, with no defect at all: noise and the fit "
            "of a short, shallow or elastic unloading are enough."
        )
        return [
            f"**No defect is on.** The curve {loading} and the power law on unloading, and "
            f"{verdict} Open the defect groups in the sidebar and switch one on."
        ]
    t = truth
    offset = t["surface_offset_nm"]
    notes = {
        "pileup": (
            f"**Pile-up (+{100 * t['pileup_area_excess']:.0f} % area).** Material pushed up "
            "around the indent carries load, so the true contact area is (1 + x) times the "
            "area Oliver-Pharr computes from h_c. Dividing P_max by too small an area makes H "
            "too high by x, and E_r = √π S / (2β√A) too high by √(1 + x) − 1. The curve looks "
            "normal (a hint: h_f / h_max > 0.7); only an image of the indent shows it."
        ),
        "surface_offset": (
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
        "drift": (
            f"**Thermal drift ({t['drift_nm_per_s']:+.2f} nm/s).** Drift adds rate × time to "
            "every depth: the drift hold at 10 % load is no longer flat, and the unloading "
            "branch is tilted, so the fitted stiffness S and h_max are wrong. Slow tests "
            "suffer most. " + _drift_advice(op, options)
        ),
        "creep": _creep_note(t, nose_nm, E_err),
        "popin": (
            f"**Pop-in at {t['popin_load_mN']:.2f} mN.** The tip first loads elastically "
            "along the Hertz branch of its apex (yellow), until the shear stress under it "
            "reaches the theoretical strength and dislocations nucleate: the depth bursts "
            f"{t['popin_size_nm']:.1f} nm at constant load. H and E at P_max hardly change, "
            "but curve features such as the loading exponent do."
        ),
        "size_effect": (
            f"**Size effect (h\\* = {t['ise_h_star_nm']:.0f} nm).** Hardness rises at shallow "
            "depth, H(h_c) = H √(1 + h\\*/h_c), so at this depth the true hardness at P_max is "
            f"{t['H_at_Pmax_GPa']:.3g} GPa instead of {t['H_GPa']:.3g} GPa. Oliver-Pharr "
            "measures it correctly: a physical effect, not an analysis error. Raise the peak "
            "load and watch H at P_max approach the input H."
        ),
        "elbow": (
            f"**Elbow ({t['elbow_nm']:.0f} nm below {t['elbow_load_mN']:.2f} mN).** On "
            "unloading a high-pressure phase transforms back (Si), and the depth recovers "
            "faster below the elbow load (yellow). The Oliver-Pharr fit uses the upper "
            "unloading and is unaffected unless the fit range reaches below the elbow load: "
            "try it."
        ),
        "popout": (
            f"**Pop-out ({t['elbow_nm']:.0f} nm at {t['elbow_load_mN']:.2f} mN).** On "
            "unloading the depth jumps back at once when a high-pressure phase transforms "
            "(Si). A fit range reaching below the pop-out load spoils the fit: try it."
        ),
        "crack": (
            f"**Crack at {t['crack_load_mN']:.1f} mN.** The depth bursts "
            f"{t['crack_size_nm']:.0f} nm during loading. Oliver-Pharr counts the burst as "
            "contact depth, so the area comes out too large and H too low."
        ),
        "roughness": (
            f"**Roughness.** This indent landed {abs(t['roughness_offset_nm']):.1f} nm "
            f"{'above' if t['roughness_offset_nm'] > 0 else 'below'} the mean surface, which "
            "shifts its depth zero. Change the seed to indent elsewhere on the same surface: "
            "the scatter is what roughness does to a grid of indents."
        ),
    }
    together = "this effect" if len(active) == 1 else "these effects together"
    summary = f"**Oliver-Pharr against the truth, with {together}:** {errors}."
    return [summary] + [notes[name] for name in active if name in notes]


def _creep_note(t: dict, nose_nm: float, E_err: float) -> str:
    """The creep note, naming a 'nose' only when this curve's unloading shows one."""
    head = (
        f"**Creep ({t['creep_nm']:.1f} nm in the hold).** The depth keeps growing at "
        "constant load (see the displacement-time chart). "
    )
    if math.isfinite(nose_nm) and nose_nm > NOSE_MIN_NM:
        return head + (
            f"The material still creeps when unloading starts: the depth rises another "
            f"{nose_nm:.1f} nm at the top of the unloading (a 'nose'), which steepens the "
            f"fitted slope, so S and E come out too high (E {E_err:+.1f} % here). Lengthen "
            "the hold and watch the error shrink."
        )
    return head + (
        f"Here the depth stops growing when unloading starts (no 'nose': it rises "
        f"{0.0 if not math.isfinite(nose_nm) else nose_nm:.1f} nm at the top of the "
        f"unloading), so the unloading fit is hardly affected (E {E_err:+.1f} %). On real "
        "instruments creep can continue into the unloading after a short hold, bowing its "
        "top outward and making S too high (Feng & Ngan, J. Mater. Res. 17 (2002) 660); "
        "on this curve it does not."
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
