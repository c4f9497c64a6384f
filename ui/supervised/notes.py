"""Classify curves and Predict properties: captions, warnings and what-to-notice texts, each
from the run's own numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from learners.supervised.baselines import PILEUP_MIN
from ui.common.score_text import BASELINE_NAMES, GUESSING, sentence
from ui.supervised.options import MODEL_LABELS, REPRESENTATION_LABELS, SPLIT_LABELS
from ui.supervised.regression_charts import PILEUP_COLOURS
from ui.supervised.tables import SUBSET_LABELS

from .regression_tables import BASELINE, paired_gap, pileup_errors
from .scoring import clean_test_scored
from .tables import (
    BALANCE_CONTROLS,
    DEFECT_UNITS,
    MIN_CLASS_CURVES,
    clever_hans_scores,
    is_fooled,
    setting_changes,
)


def input_problems(data: dict, model: dict) -> list[str]:
    """What is missing from the settings, in words (empty when all is well)."""
    problems = []
    options = data["options"]
    if data["task"] == "material" and len(options["materials"]) < 2:
        problems.append("Choose at least **two materials**: a classifier needs two classes.")
    if data["task"] == "quality" and not options["defect_types"]:
        problems.append("Choose at least **one defect type**, or there is nothing to detect.")
    if model.get("features") is not None and not model["features"]:
        problems.append("Choose at least **one feature** for the model to see.")
    if model.get("branches") is not None and not model["branches"]:
        problems.append("Choose at least **one part of the curve** for the model to see.")
    if data["task"] == "properties":
        ranges = (("E_GPa", "Young's modulus E range (GPa)"), ("E_over_H", "E/H range"))
        for key, label in ranges:
            lo, hi = options[key]
            if not lo < hi:
                problems.append(
                    f"Pull the two ends of **{label}** apart (now {lo:g} to {hi:g}): a "
                    "regression needs materials that differ."
                )
    return problems


def run_caption(run) -> str:
    """What the shown run is, in one line."""
    m = run.model
    return (
        f"Run #{run.number}: {MODEL_LABELS[m['model']]} on "
        f"{REPRESENTATION_LABELS[m['representation']]}, {SPLIT_LABELS[m['split']].lower()}; "
        f"{run.evaluation.n_fits} fit(s), trained in {run.seconds:.1f} s. The model sees "
        f"{len(run.inputs)} inputs."
    )


def stale_warning(run, data: dict, model: dict) -> str:
    """The settings moved on since the shown run: what changed, and what to do."""
    changes = "; ".join(setting_changes((run.data, run.model), (data, model)))
    return (
        f"**Settings changed since run #{run.number}** ({changes}). Press **Train** to "
        f"train on them; below are the results of run #{run.number}."
    )


def data_caption(data: dict, made) -> str:
    """What was simulated, in one sentence."""
    if data["task"] == "phase":
        side = int(round(math.sqrt(made.n)))
        blocks = len(np.unique(made.groups))
        # Not made.description: it promises leakage that this page measures instead.
        return (
            f"{made.n} indents ({side} × {side} grid, {data['options']['spacing_um']:g} µm "
            f"apart) on {data['options']['preset']}, in {blocks} spatial blocks of "
            f"{data['options']['block_um']:g} µm. The phase under each indent sets its H and "
            "E (mixed near phase boundaries); the label is that phase."
        )
    if data["task"] == "quality":
        types = ", ".join(data["options"]["defect_types"])
        materials = ", ".join(sorted(made.truth["material"].unique()))
        return (
            f"{made.n} curves on {materials}: good ones and ones with one "
            f"defect each ({types}), sizes {data['options']['size_scale']:g} × the default "
            "range. The defect makes the label; the material varies in every class."
        )
    return f"{made.n} curves. {made.description}"


def describe_wrong(row: pd.Series) -> str:
    """ "curve 17: ferrite → martensite (p = 0.82)"."""
    p = row["confidence"]
    tail = f" (p = {p:.2f})" if np.isfinite(p) else ""
    return f"curve {int(row['curve'])}: true {row['true']} → predicted {row['predicted']}{tail}"


def truth_note(task: str, truth: dict) -> str:
    """What the simulator says about one curve, in a few words."""
    if task == "phase":
        where = "on a phase boundary" if truth.get("on_interface") else "inside a grain"
        return f"truth: {truth['phase_name']}, {where}; H {truth['H_GPa']:.2f} GPa"
    if task == "material":
        return f"truth: {truth['material']}, H {truth['H_GPa']:.2f} GPa, E {truth['E_GPa']:.0f} GPa"
    if task == "quality":
        defect = truth["defect"]
        if defect == "none":
            return f"truth: good ({truth['material']})"
        size = truth["defect_size"]
        return (
            f"truth: {defect}, size {size:.3g} {DEFECT_UNITS.get(defect, '')} ({truth['material']})"
        )
    return (
        f"truth: {truth['label']}, day {int(truth['day'])}, drift "
        f"{truth['drift_nm_per_s']:+.2f} nm/s, H {truth['H_GPa']:.2f} GPa"
    )


def small_class_warning(counts: pd.DataFrame, n_splits: int, task: str = "material") -> str | None:
    """A warning when a class has fewer curves than the folds (or than
    :data:`MIN_CLASS_CURVES`): the model has too few of them to learn the class, whose recall
    is then about 0.

    ``counts`` has columns class and curves (:func:`ui.supervised.cached.class_counts`);
    ``n_splits`` is the k of the k-fold splits; ``task`` picks the balance control named in
    the advice. Returns None when every class is large enough.
    """
    limit = max(int(n_splits), MIN_CLASS_CURVES)
    few = counts[counts["curves"] < limit].sort_values("curves", kind="stable")
    if few.empty:
        return None
    parts = [
        f"{c} ({n} curve{'' if n == 1 else 's'})"
        for c, n in zip(few["class"], few["curves"], strict=True)
    ]
    named = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    rarest, others = few["class"].iloc[0], int(few["curves"].iloc[0]) - 1
    balance = BALANCE_CONTROLS.get(task, "balance the classes")
    return (
        f"**Too few curves of {named}** for {int(n_splits)} folds (at least {limit} per "
        f"class). When a {rarest} curve is held out, the model has trained on {others} other "
        f"{rarest} curve{'' if others == 1 else 's'}: no model learns a class from so few, "
        f"so expect a recall near 0 for it. Simulate more curves, {balance}, or use fewer "
        "*Folds k*."
    )


def guessing_note(scored: dict, model_name: str) -> str | None:
    """A warning when the headline score does not beat the baseline on the same split."""
    first = next(iter(scored.values()))
    if isinstance(first, dict):  # regression: {target: {score: Scored}}
        lost = [t for t, s in scored.items() if not s["R2"].beats_baseline]
        if not lost:
            return None
        return (
            f"**{model_name}: {', '.join(lost)} {GUESSING}.** Its R² interval reaches the "
            "R² of always predicting the training mean on the same split."
        )
    if first.beats_baseline:
        return None
    return (
        f"**{model_name}: {GUESSING}.** "
        + sentence("Accuracy", first, BASELINE_NAMES["classification"])
        + ". Nothing on this page credits a model that does not beat its baseline."
    )


def classify_notes(data: dict, made, evaluation, extras: dict, scored: dict) -> list[str]:
    """Short observations about this run, from the scores (with their intervals and
    baselines, ``scored`` of :func:`ui.supervised.scoring.classification_scores`) and the
    truth."""
    pred = evaluation.predictions
    notes = []
    acc, bal = scored["accuracy"], scored["balanced accuracy"]
    base = BASELINE_NAMES["classification"]
    if acc.value - bal.value > 0.05 and acc.low > bal.high:
        notes.append(
            f"**{sentence('Accuracy', acc, base, 2)}; "
            f"{sentence('balanced accuracy', bal, base, 2)}.** The common classes carry "
            "the accuracy; the balanced accuracy (mean recall over the classes) shows how the "
            "rare ones fare."
        )
    source = made.test if evaluation.on_test_set else made
    wrong = pred[~pred["correct"]]
    truth = source.truth.iloc[wrong["curve"].to_numpy()]
    task = data["task"]
    on_boundary = int(truth["on_interface"].sum()) if task == "phase" else 0
    share = 100 * source.truth["on_interface"].mean() if task == "phase" else 0.0
    # the boundary note names an effect (mistakes gather on boundaries): shown only when the
    # wrong indents sit on boundaries more often than indents do overall
    if task == "phase" and len(wrong) and 100 * on_boundary / len(wrong) > share:
        notes.append(
            f"**{on_boundary} of the {len(wrong)} wrong indents sit on a phase boundary** "
            f"(boundaries hold {share:.0f} % of all indents): their plastic zone mixes both "
            "phases, so their H and E lie between the two. The label (the phase under the "
            "indent's centre) is not all the curve measured."
        )
    if task == "quality" and len(wrong):
        defective = source.truth[source.truth["defect"] != "none"]
        missed = truth[(truth["defect"] != "none")]
        if len(missed) and len(defective):
            scale = defective.groupby("defect")["defect_size"].apply(lambda s: s.abs().median())
            rel = (missed["defect_size"].abs() / missed["defect"].map(scale)).median()
        if len(missed) and len(defective) and rel < 1:
            notes.append(
                f"**The missed defects are the small ones:** the median missed defect is "
                f"{rel:.2f} × the median size of its type. Shrink the defect size toward the "
                "noise and watch recall fall."
            )
    if task == "material" and len(wrong):
        pairs = wrong.groupby(["true", "predicted"]).size().sort_values(ascending=False)
        (a, b), count = pairs.index[0], int(pairs.iloc[0])
        notes.append(
            f"**Most confused: {a} taken for {b} ({count} curves).** Materials whose typical "
            "H and E lie close together overlap once scatter spreads them."
        )
    clean = clean_test_scored(extras)
    if task == "confounded" and clean is not None:
        r, c = clean["random"], clean["clean"]
        random_ev = extras["random"].value
        held = 100 * len(random_ev.predictions) / max(len(random_ev.split_frame), 1)
        split = (
            f"(a random {held:.0f} % hold-out, evaluated again for this check; the headline "
            "above used the split you chose"
            + (")" if evaluation.split == "random" else f", {SPLIT_LABELS[evaluation.split]})")
        )
        pair = (
            f"{sentence('random split', r, base, 2)} {split}; {sentence('clean test', c, base, 2)}"
        )
        if is_fooled(clever_hans_scores(extras)) and r.low > c.high:
            notes.append(
                f"**{pair}: Clever Hans.** A random split draws its test curves from the "
                "same two days as training, so the drift shortcut works there too; only the "
                "clean test set, measured on days unrelated to the class, shows what the "
                "model learned."
            )
        elif r.low <= c.high and c.low <= r.high:
            notes.append(
                f"**{pair}: the two agree within their intervals.** This model does not lean "
                "on the day's drift; its accuracy is what the weak hardness difference "
                "allows."
            )
        elif r.value > c.value:
            notes.append(
                f"**{pair}.** The random split flatters the model a little, by less than the "
                "gap that marks a Clever Hans model."
            )
        else:
            notes.append(
                f"**{pair}.** The clean test set scores above the random split beyond their "
                "intervals: the shortcut does not help this model, and the clean days happen "
                "to suit it."
            )
    return notes


def out_of_range_setup(check) -> str:
    """How the out-of-range test was made: the ranges and the numbers of curves."""
    (a, b), (c, d) = check.train_E_over_H, check.test_E_over_H
    return (
        f"Your model is trained again on {check.n_train} curves with **E/H from {a:g} to "
        f"{b:g}**, then tested on {check.n_test} new curves from the same range and on "
        f"{check.n_test} curves with **E/H from {c:g} to {d:g}**, outside it. Oliver-Pharr "
        "analyses the same test curves."
    )


def out_of_range_note(scores: pd.DataFrame) -> str:
    """The out-of-range result in words, each median H error with its 95 % interval and the
    baseline's (the training mean) on the same curves. ``scores``:
    :func:`ui.supervised.regression_tables.out_of_range_scores`."""
    h = scores[scores["target"] == "H_GPa"].set_index(["subset", "method"])

    def error(subset: str, method: str) -> str:
        key = (SUBSET_LABELS[subset], method)
        if key not in h.index:
            return "–"
        r = h.loc[key]
        return f"{r['error_pct']:.1f} % (95 % interval {r['lo_pct']:.1f}–{r['hi_pct']:.1f} %)"

    def value(subset: str, method: str) -> float:
        key = (SUBSET_LABELS[subset], method)
        return float(h.loc[key, "error_pct"]) if key in h.index else math.nan

    text = ""
    if math.isfinite(value("in_range_pileup", "ML model")):
        text += (
            "Inside the range, on pile-up curves, the ML model's median H error is "
            f"{error('in_range_pileup', 'ML model')} against Oliver-Pharr's "
            f"{error('in_range_pileup', 'Oliver-Pharr')} (baseline, "
            f"{BASELINE_NAMES['regression']}: {error('in_range_pileup', BASELINE)}). "
        )
    verdict = (
        "higher"
        if value("out_of_range", "ML model") > value("out_of_range", "Oliver-Pharr")
        else "lower"
    )
    return text + (
        f"Outside it the ML model's H error is **{error('out_of_range', 'ML model')}, "
        f"{verdict} than Oliver-Pharr's {error('out_of_range', 'Oliver-Pharr')}** (baseline, "
        f"{BASELINE_NAMES['regression']}: {error('out_of_range', BASELINE)})."
    )


SCENARIO_NOTES = {
    "harder": "Scenario 'harder' is the one where this lesson holds for every regressor and "
    "representation IndentLab offers (measured at the default data settings): Oliver-Pharr "
    "is exact where there is no pile-up, and every learned pile-up correction now misleads.",
    "softer": "Scenario 'softer': Oliver-Pharr is biased by pile-up in the test range too "
    "(up to the largest pile-up). Trees and k-NN cannot extrapolate their correction; "
    "smooth models such as the MLP sometimes can, so here the lesson depends on the model.",
}


OUT_OF_RANGE_WHY = (
    "Oliver-Pharr is one equation for every material: its error depends only on whether its "
    "assumptions hold (no pile-up, known tip, no drift). A learned regressor is a fit to its "
    "training curves: inside their range it can learn corrections the equation lacks (here, "
    "pile-up), but outside it the fit extrapolates, and nothing in the curve tells it that it "
    "left its range. Check the range of the training data before trusting a learned "
    "property, and keep the physics beside it."
)


#: What the simulator assumes, said on the regression page (what the lesson can and cannot show).
SIMULATOR_ASSUMES = (
    "**What the simulator assumes, and what that means here.** Every curve is made with "
    "Oliver-Pharr's own contact model (an elastic unloading after Sneddon, the contact depth "
    "h_c = h_max − ε P/S, the ideal Berkovich area function), so where it adds no pile-up, "
    "Oliver-Pharr recovers the true H and E by construction: on real curves its error is set "
    "by how well those assumptions hold. Pile-up here is a fixed function of E/H (more "
    "above E/H ≈ 40); in real metals it also depends on work hardening (Bolshakov & Pharr, "
    "J. Mater. Res. 13 (1998) 1049), so a correction learned from these curves is a "
    "correction for this simulator's pile-up, not a general one."
)


def _median_pct(table: pd.DataFrame, pileup: str, method: str) -> tuple[float, float, float]:
    row = table[(table["curves"] == pileup) & (table["method"] == method)]
    if row.empty:
        return math.nan, math.nan, math.nan
    r = row.iloc[0]
    return float(r["median |error| of H (%)"]), float(r["low (%)"]), float(r["high (%)"])


def _pct(values: tuple[float, float, float]) -> str:
    v, low, high = values
    return f"{v:.1f} % (95 % interval {low:.1f}–{high:.1f} %)"


def _baseline_pct(table: pd.DataFrame, pileup: str) -> str:
    """ "; the baseline's (always the training mean) 88.0 % (95 % interval …)" on the same
    curves, or "" when the frames hold no baseline."""
    base = _median_pct(table, pileup, BASELINE)
    if not math.isfinite(base[0]):
        return ""
    return f"; the baseline's ({BASELINE_NAMES['regression']}) {_pct(base)}"


def property_notes(frames: dict[str, pd.DataFrame], data: dict) -> list[str]:
    """What to notice on the regression results (H), each note only when the numbers show
    its effect beyond their intervals. ``frames``: method ("ML model", "Oliver-Pharr", ...)
    to its parity frame of H on the same held-out curves."""
    notes = []
    table = pileup_errors(frames)
    flat_label, piled_label = list(PILEUP_COLOURS)
    ml, op = frames["ML model"], frames["Oliver-Pharr"]
    op_piled, op_flat = (
        _median_pct(table, piled_label, "Oliver-Pharr"),
        _median_pct(table, flat_label, "Oliver-Pharr"),
    )
    ml_piled, ml_flat = (
        _median_pct(table, piled_label, "ML model"),
        _median_pct(table, flat_label, "ML model"),
    )
    if math.isfinite(op_piled[0]) and math.isfinite(op_flat[0]) and op_piled[1] > op_flat[2]:
        gap, low, high = paired_gap(ml, op, piled_label)
        if high < 0:
            learned = (
                "The ML model is more accurate on these curves beyond the noise (paired "
                f"interval of the difference {100 * low:.1f} to {100 * high:.1f} points): it "
                "learned a correction for pile-up *as this simulator makes it*, a fixed "
                "function of E/H. Real pile-up also depends on work hardening, which the "
                "simulator leaves out."
            )
        elif low > 0:
            learned = (
                "The ML model is *less* accurate than Oliver-Pharr here (paired interval of "
                f"the difference {100 * low:.1f} to {100 * high:.1f} points): it has not "
                "learned the pile-up correction. Try other inputs or a smoother model."
            )
        else:
            learned = (
                "The two errors differ by less than their noise (paired interval of the "
                f"difference {100 * low:.1f} to {100 * high:.1f} points): these numbers do "
                "not show that the ML model learned the correction."
            )
        notes.append(
            f"**On pile-up curves Oliver-Pharr's H error is {_pct(op_piled)}, against "
            f"{_pct(op_flat)} without pile-up; the ML model's is {_pct(ml_piled)}"
            f"{_baseline_pct(table, piled_label)}.** The pile-up carries load on area that "
            "h_c cannot see. " + learned
        )
    if math.isfinite(op_flat[0]):
        gap, low, high = paired_gap(op, ml, flat_label)
        if high < 0:
            notes.append(
                f"**Without pile-up Oliver-Pharr's H error is {_pct(op_flat)}, the ML "
                f"model's {_pct(ml_flat)}{_baseline_pct(table, flat_label)}.** That "
                "Oliver-Pharr is so close is by construction: the simulator makes its "
                "curves with Oliver-Pharr's own contact model. A learned model adds the "
                "noise of its fit where no correction is needed."
            )
    if not data["options"]["pileup"]:
        notes.append(
            "**Pile-up is off:** the simulator's curves follow Oliver-Pharr's own contact "
            "model everywhere, so no model can beat it by much here."
        )
    return notes


def property_caption(made) -> str:
    """What was simulated for the properties task, with the pile-up share."""
    share = 100 * float((made.truth["pileup_area_excess"] > PILEUP_MIN).mean())
    return (
        f"{made.n} curves of random materials, each with its true H and E. "
        f"{made.description} {share:.0f} % of the curves pile up by more than "
        f"{100 * PILEUP_MIN:.0f} % of the contact area."
    )
