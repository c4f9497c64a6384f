"""Pure functions that turn a curve's truth and its analysis into tables and teaching texts.

Nothing here draws: the pages call these and show the result, and the tests call them
directly. ``truth`` is the one-row truth dict of a :class:`simulator.Curve`; ``op`` is the
dict of :func:`learners.oliver_pharr`.
"""

from __future__ import annotations

import math

import pandas as pd

#: Rows of the truth-vs-analysis table: label with unit, truth key, analysis key.
COMPARED = (
    ("H at P_max (GPa)", "H_at_Pmax_GPa", "H_GPa"),
    ("E (GPa)", "E_GPa", "E_GPa"),
    ("E_r (GPa)", "Er_GPa", "Er_GPa"),
    ("S (mN/nm)", "S_mN_per_nm", "S_mN_per_nm"),
    ("h_c (nm)", "hc_max_nm", "hc_nm"),
    ("A (nm²)", "A_nm2", "A_nm2"),
    ("h_max (nm)", "h_max_nm", "h_max_nm"),
    ("h_f (nm)", "h_f_nm", "h_f_nm"),
)

#: Relative difference above which H at P_max and the input H count as different.
H_DIFFERS = 0.005
#: Truth keys of the depth rows: their % error is left empty when the true depth is below
#: :data:`NEGLIGIBLE_DEPTH` of the true h_max (a near-zero true value makes any % meaningless).
DEPTH_KEYS = ("hc_max_nm", "h_max_nm", "h_f_nm")
#: Share of the true h_max below which a true depth counts as (near) zero [-]. 5 %, not 1 %:
#: the elastic contact of a 50 µm sphere at 0.5 mN leaves h_f = 0.14 nm, 1.7 % of h_max,
#: and an analysis 0.16 nm off shows as -120 %. A plastic indent leaves h_f / h_max far above.
NEGLIGIBLE_DEPTH = 0.05


def percent_error(analysed: float, true: float) -> float:
    """(analysed - true) / true in % (NaN when either is missing or true is 0)."""
    if true is None or analysed is None or not true or math.isnan(true):
        return math.nan
    return 100.0 * (analysed - true) / true


def comparison_table(truth: dict, op: dict) -> pd.DataFrame:
    """Truth beside Oliver-Pharr for H, E, E_r, S, h_c, A, h_max, h_f, with the % error.

    When the input hardness H differs from the true hardness at P_max (size effect, creep),
    a row compares the analysis with the input H as well. A depth row whose true value is
    below :data:`NEGLIGIBLE_DEPTH` of the true h_max (h_f of an elastic contact is almost
    0 nm) gets NaN as its % error: a fraction of a nm off a near-zero depth means nothing in %.
    """
    rows = [
        (label, truth[t], op.get(a, math.nan), _row_error(t, op.get(a, math.nan), truth))
        for label, t, a in COMPARED
    ]
    if hardness_differs(truth):
        H = truth["H_GPa"]
        rows.insert(
            1, ("H input, macroscopic (GPa)", H, op["H_GPa"], percent_error(op["H_GPa"], H))
        )
    return pd.DataFrame(rows, columns=["quantity", "true", "Oliver-Pharr", "error (%)"])


def _row_error(key: str, analysed: float, truth: dict) -> float:
    """% error of one row; NaN for a depth whose true value is negligible against h_max."""
    if key in DEPTH_KEYS and abs(truth[key]) < NEGLIGIBLE_DEPTH * abs(truth["h_max_nm"]):
        return math.nan
    return percent_error(analysed, truth[key])


def hardness_differs(truth: dict) -> bool:
    """True when the true H at P_max differs from the input H by more than 0.5 %."""
    return abs(truth["H_at_Pmax_GPa"] / truth["H_GPa"] - 1.0) > H_DIFFERS


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


def contact_is_elastic(truth: dict) -> bool:
    """True when the contact at P_max is still (partly) elastic.

    The simulator's mean pressure is min(elastic pressure, H(h_c)) (``simulator.contact``):
    below the size-effect hardness H(h_c) the contact has not become fully plastic, as under
    a sphere or a rounded apex at a low load, or under a sharp cone whose elastic pressure
    E_r cot(alpha) / 2 (Sneddon 1965; about 12.5 GPa for fused silica) is below a strong
    size effect's H(h_c). Creep lowers P_max / A as well, so a curve with creep is not
    called elastic here.
    """
    if truth.get("creep_nm", 0) > 0 or truth["hc_max_nm"] <= 0:
        return False
    H_plastic = truth["H_GPa"] * math.sqrt(
        1.0 + truth.get("ise_h_star_nm", 0.0) / truth["hc_max_nm"]
    )
    return truth["H_at_Pmax_GPa"] < (1.0 - H_DIFFERS) * H_plastic


def what_to_notice(
    active: list[str], truth: dict, op: dict, options: dict | None = None
) -> list[str]:
    """Short Markdown paragraphs on what this curve shows, with its own numbers.

    ``active`` is :meth:`simulator.settings.Defects.active`. The first paragraph gives the
    analysis error of all active effects together; then one paragraph per active defect
    says what it does to the curve and to Oliver-Pharr. With no defect on, one paragraph says
    what is left (noise, the fit) and invites switching one on. ``options`` are the analysis
    options (``drift_correction``, ``zero_point_correction``): a note on drift or on the
    surface offset then says whether the correction is on and whether it could work.
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
        "creep": (
            f"**Creep ({t['creep_nm']:.1f} nm in the hold).** The depth keeps growing at "
            "constant load (see the displacement-time chart). If the hold is too short the "
            "material still creeps when unloading starts: the top of the unloading bows "
            "outward (a 'nose') and S is overestimated. Lengthen the hold and watch the error "
            "shrink."
        ),
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


def check_guess(guess_pct: float, law_pct: float, measured_pct: float, tol_pct: float = 3.0):
    """Feedback on a guessed % error against the closed-form law and the app's measurement.

    Returns ``(correct, message)``; a guess counts as correct within ``tol_pct`` percentage
    points of the law. ``measured_pct`` may be NaN when the app could not simulate it.
    """
    correct = abs(guess_pct - law_pct) <= tol_pct
    verdict = "Right" if correct else "Not quite"
    measured = (
        f"this app's own Oliver-Pharr analysis of your curve with that pile-up measures "
        f"{measured_pct:+.1f} %."
        if math.isfinite(measured_pct)
        else "your current settings cannot be simulated with that pile-up, so there is no "
        "measured value to compare."
    )
    return (
        correct,
        f"{verdict}: you said {guess_pct:+.1f} %. The law gives {law_pct:+.1f} %; {measured}",
    )
