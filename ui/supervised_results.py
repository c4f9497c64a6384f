"""Pure functions of the supervised pages: checks of the input, tables and teaching texts.

Nothing here draws or caches: the pages call these and show the result, and the tests call
them directly. *data* and *model* are the settings dicts of :mod:`ui.supervised_widgets`;
an *evaluation* is a :class:`ui.supervised_cached.Evaluation`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from learners.supervised.baselines import PILEUP_MIN
from learners.supervised.scores import RegressionReport, regression_report
from ui.supervised_charts import PILEUP_COLOURS
from ui.supervised_widgets import MODEL_LABELS, REPRESENTATION_LABELS, SPLIT_LABELS, TASK_LABELS

#: The exercise counts only with at least this confound (the shortcut must be there).
EXERCISE_MIN_CONFOUND = 0.8
#: Random-split minus clean-test accuracy above which a model is called fooled.
FOOLED_GAP = 0.12
#: Units of the defect sizes of the quality task.
DEFECT_UNITS = {
    "popin": "mN",
    "drift": "nm/s",
    "surface_offset": "nm",
    "elbow": "nm",
    "crack": "nm",
    "pore": "(area fraction)",
}
#: Readable names of the settings, for "what changed since the last run".
SETTING_LABELS = {
    "task": "task",
    "n": "number of curves",
    "noise": "noise",
    "seed": "seed",
    "preset": "microstructure",
    "spacing_um": "indent spacing",
    "block_um": "block size",
    "materials": "materials",
    "scatter": "scatter",
    "class_weights": "class imbalance",
    "defect_types": "defect types",
    "defect_rate": "share of defective curves",
    "size_scale": "defect size",
    "label_mode": "labels",
    "signal": "hardness difference",
    "confound": "confound",
    "test_n": "clean test set size",
    "E_GPa": "E range",
    "E_over_H": "E/H range",
    "pileup": "pile-up",
    "pileup_max": "largest pile-up",
    "representation": "what the model sees",
    "features": "features",
    "branches": "parts of the curve",
    "n_components": "principal components",
    "model": "model",
    "split": "split",
    "test_size": "held-out share",
    "n_splits": "folds k",
}


# --- checks of the input -------------------------------------------------------------------


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


def setting_changes(old: tuple[dict, dict], new: tuple[dict, dict]) -> list[str]:
    """The settings that differ between two (data, model) pairs, as "name: old → new"."""
    a, b = _flatten({"data": old[0], "model": old[1]}), _flatten({"data": new[0], "model": new[1]})
    changes = []
    for key in dict.fromkeys([*a, *b]):
        if a.get(key) != b.get(key):
            name = SETTING_LABELS.get(key.split(".")[-1], key.split(".")[-1])
            changes.append(f"{name}: {_short(a.get(key))} → {_short(b.get(key))}")
    return changes


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out |= _flatten(v, f"{prefix}{k}.")
        else:
            out[f"{prefix}{k}"] = tuple(v) if isinstance(v, list) else v
    return out


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        text = ", ".join(_short(v) for v in value)
        return f"({text[:40]}…)" if len(text) > 40 else f"({text})"
    return "—" if value is None else str(value)


# --- the run shown ---------------------------------------------------------------------------


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


# --- the data -------------------------------------------------------------------------------


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


def typical_rows(made, classes: list[str]) -> dict[str, int]:
    """For each class, the row of its most typical curve.

    Typical: the class's curve whose depth h(t) lies closest (mean absolute difference) to
    the pointwise median depth of the class, a real curve rather than an average.
    """
    y = np.asarray(made.y).astype(str)
    h = np.asarray(made.h_nm, dtype=float)
    rows = {}
    for c in classes:
        members = np.flatnonzero(y == c)
        if members.size == 0:
            continue
        median = np.nanmedian(h[members], axis=0)
        distance = np.nanmean(np.abs(h[members] - median), axis=1)
        rows[c] = int(members[np.nanargmin(distance)])
    return rows


def curves_frame(made, rows: dict[str, int]) -> pd.DataFrame:
    """Long table of the curves ``rows`` (class → row): class, curve, t_s, h_nm, P_mN."""
    parts = []
    t = np.broadcast_to(np.asarray(made.t_s, dtype=float), made.h_nm.shape)
    for c, i in rows.items():
        parts.append(
            pd.DataFrame(
                {"class": c, "curve": i, "t_s": t[i], "h_nm": made.h_nm[i], "P_mN": made.P_mN[i]}
            )
        )
    return pd.concat(parts, ignore_index=True).dropna()


# --- misclassified curves ----------------------------------------------------------------------


def misclassified(predictions: pd.DataFrame, limit: int = 100) -> pd.DataFrame:
    """Wrong predictions, the most confidently wrong first: curve, true, predicted, confidence.

    ``confidence`` is the predicted probability of the (wrong) predicted class, NaN when the
    model gives no probabilities.
    """
    wrong = predictions[~predictions["correct"]].copy()
    wrong["confidence"] = [
        float(row.get(f"proba_{row['predicted']}", np.nan)) for _, row in wrong.iterrows()
    ]
    wrong = wrong.sort_values("confidence", ascending=False, na_position="last")
    return wrong[["curve", "true", "predicted", "confidence"]].head(limit).reset_index(drop=True)


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


def panel_domains(curves, x: str) -> dict[str, list[float]]:
    """Shared axis ranges for panels of several curves (x: "h_nm" or "t_s")."""
    y = "P_mN" if x == "h_nm" else "h_nm"
    out = {}
    for column in (x, y):
        values = np.concatenate([np.asarray(getattr(c, column), dtype=float) for c in curves])
        values = values[np.isfinite(values)]
        lo, hi = float(values.min()), float(values.max())
        pad = 0.04 * (hi - lo or 1.0)
        out[column] = [lo - pad, hi + pad]
    return out


# --- scores ---------------------------------------------------------------------------------


LEARNING_SPLITS = {
    "kfold": "random folds",
    "spatial": "spatially blocked folds",
    "group": "one group held out per fold",
}


def per_class_table(report) -> pd.DataFrame:
    """Precision, recall, F1 (in %) and support per class."""
    table = report.per_class.reset_index()
    for column in ("precision", "recall", "f1"):
        table[column] = 100 * table[column]
    return table.rename(
        columns={
            "precision": "precision (%)",
            "recall": "recall (%)",
            "f1": "F1 (%)",
            "support": "true curves",
        }
    )


def base_rate(predictions: pd.DataFrame, positive: str) -> float:
    """Share of the positive class among the tested curves (the chance level of PR)."""
    return float((predictions["true"] == positive).mean())


def leakage_table(model_result, control_result, model_name: str) -> pd.DataFrame:
    """Fold scores of both comparisons in one long table for :func:`leakage_chart`."""
    parts = []
    for result, inputs in (
        (model_result, f"your model ({model_name})"),
        (control_result, "positive control (stage x, y only)"),
    ):
        if result is None:
            continue
        t = result.table.copy()
        t["inputs"] = inputs
        t["split"] = t["split"].map({"random": "random k-fold", "spatial": "spatial k-fold"})
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def leakage_summary(model_result, control_result) -> pd.DataFrame:
    """Mean random and spatial score and the gap (± se) per input."""
    rows = []
    for name, r in (("your model", model_result), ("positive control: stage x, y", control_result)):
        if r is None:
            continue
        means = r.means
        rows.append(
            {
                "inputs": name,
                "random k-fold": means.get("random", np.nan),
                "spatial k-fold": means.get("spatial", np.nan),
                "gap": r.gap,
                "± se": r.gap_se,
            }
        )
    return pd.DataFrame(rows)


def leakage_note(model_result, control_result) -> str:
    """The measured gaps in words, honest about a gap that is zero."""
    gap, se = model_result.gap, model_result.gap_se
    if abs(gap) <= 2 * se:
        verdict = (
            f"**Measured: random minus spatial = {gap:+.3f} ± {se:.3f}, no gap beyond its "
            "noise.** The curves of neighbouring indents share nothing the model uses beyond "
            "their phase, so a random split does not flatter this model here."
        )
        spatial = model_result.means.get("spatial", np.nan)
        if model_result.metric == "accuracy" and np.isfinite(spatial):
            verdict += (
                f" Leakage can only turn errors into hits, so the gap can never exceed the "
                f"errors left under the spatial split: {100 * (1 - spatial):.1f} % here."
            )
    elif gap > 0:
        verdict = (
            f"**Measured: random minus spatial = {gap:+.3f} ± {se:.3f}.** Random "
            "cross-validation flatters this model: test indents had neighbours in training."
        )
    else:
        verdict = (
            f"**Measured: random minus spatial = {gap:+.3f} ± {se:.3f}:** the spatial split "
            "scores higher, which happens by chance when blocks differ in difficulty."
        )
    if control_result is not None:
        verdict += (
            f" The positive control, a 5-nearest-neighbour model that sees only where each "
            f"indent is, shows what leakage looks like: {control_result.gap:+.3f} ± "
            f"{control_result.gap_se:.3f}. Its random-split score comes from neighbours in the "
            "same grain; with the neighbours held out (spatial) it drops."
        )
    return verdict


# --- the Clever Hans exercise ---------------------------------------------------------------------


def bayes_accuracy(signal: float, scatter: float) -> float:
    """The best accuracy any model can reach from the true hardness alone [-].

    Two equally likely classes whose H differ by the factor (1 + signal), each with a
    log-normal scatter ``scatter``: the optimal threshold lies midway in log H, so the
    accuracy is Φ(ln(1 + signal) / (2 scatter)).
    """
    if scatter <= 0:
        return 1.0 if signal > 0 else 0.5
    return float(norm.cdf(math.log1p(signal) / (2 * scatter)))


def exercise_bar(options: dict) -> float:
    """Clean-test accuracy that counts as "generalises", from the task's settings [-].

    Half-way from chance (0.5) to :func:`bayes_accuracy`, and at least three standard errors
    of an accuracy measured on the clean test set above chance, so that a model that only
    guesses cannot pass by luck.
    """
    best = bayes_accuracy(options["signal"], options["scatter"])
    se = 0.5 / math.sqrt(options["test_n"])
    return max(0.5 + 0.5 * (best - 0.5), 0.5 + 3 * se)


def clever_hans_scores(extras: dict) -> pd.DataFrame | None:
    """Accuracy on the random split and on the clean test set (None if either is missing).

    ``extras``: the extras of a run (``"random"`` and ``"clean"`` outcomes).
    """
    random, clean = extras.get("random"), extras.get("clean")
    if random is None or clean is None or random.value is None or clean.value is None:
        return None
    return pd.DataFrame(
        {
            "evaluation": ["random split (same days)", "clean test set (new days)"],
            "accuracy": [random.value.score, clean.value.score],
        }
    )


def is_fooled(scores: pd.DataFrame | None) -> bool:
    """True when the random split flatters the model clearly (a Clever Hans model)."""
    if scores is None:
        return False
    random_score, clean_score = (float(v) for v in scores["accuracy"])
    return random_score - clean_score > FOOLED_GAP


def exercise_check(data: dict, scores: pd.DataFrame | None, fooled_before: bool):
    """Feedback on "make the model generalise to the clean test set".

    The exercise has two parts: first meet Clever Hans (a run of this session that the
    random split flatters, ``fooled_before``), then train a model whose clean-test accuracy
    reaches :func:`exercise_bar`. ``scores`` is :func:`clever_hans_scores` of the run shown.
    Returns (status, message): status "done" (success), "hint" (not yet) or "other" (the
    exercise does not apply).
    """
    if data["task"] != "confounded":
        return "other", (
            "Choose the task **Clever Hans: aged or as-received?** in the sidebar to try "
            "this exercise."
        )
    options = data["options"]
    if options["confound"] < EXERCISE_MIN_CONFOUND:
        return "other", (
            f"Set the confound back to at least {100 * EXERCISE_MIN_CONFOUND:.0f} %: the "
            "exercise is to beat the shortcut, not to measure without it."
        )
    best = bayes_accuracy(options["signal"], options["scatter"])
    bar = exercise_bar(options)
    if bar >= best:
        return "other", (
            f"With a {100 * options['signal']:.0f} % hardness difference against "
            f"{100 * options['scatter']:.0f} % scatter even a perfect model reaches only "
            f"{best:.2f}: raise the hardness difference."
        )
    if scores is None:
        return "other", "Train a model to check it on the clean test set."
    random_score, clean_score = (float(v) for v in scores["accuracy"])
    fooled = is_fooled(scores)
    fooled_before = fooled_before or fooled
    if fooled:
        return "hint", (
            f"**That is Clever Hans: the random split says {random_score:.3f}, the clean test "
            f"{clean_score:.3f} (bar {bar:.3f}).** The model learned the lab, not the "
            "material. Which of its inputs can thermal drift change? Depths, energies and the "
            "holds move with drift; Oliver-Pharr H and E barely do. Now make one that "
            "generalises: a clean-test accuracy at the bar, and a random split that no longer "
            "flatters it."
        )
    if clean_score >= bar and fooled_before:
        return "done", (
            f"**Right: clean-test accuracy {clean_score:.3f} ≥ {bar:.3f}.** This model "
            f"generalises to a lab where drift says nothing about the class (random split "
            f"{random_score:.3f}; the best any model can do here is {best:.3f}): it uses the "
            "hardness, the physical difference, rather than the day's drift."
        )
    if clean_score >= bar:
        return "hint", (
            f"**Half done: clean-test accuracy {clean_score:.3f} ≥ {bar:.3f}.** This model is "
            "not fooled. Now meet Clever Hans: train a model the random split flatters (try "
            "the engineered curve features or the full curve) and compare its two scores."
        )
    return "hint", (
        f"**Not yet: clean-test accuracy {clean_score:.3f} < {bar:.3f}.** The model is no "
        f"longer fooled by much, but it does not find the {100 * options['signal']:.0f} % in "
        "hardness either: give it fewer, physical inputs, or a simpler model."
    )


def fooled_in_session(runs) -> bool:
    """Whether any Clever Hans run of this session was flattered by its random split."""
    return any(
        r.data["task"] == "confounded" and is_fooled(clever_hans_scores(r.extras)) for r in runs
    )


def drift_frame(made) -> pd.DataFrame:
    """True drift rate per curve and class, for the training data and the clean test set."""
    parts = []
    for name, d in (("training data", made), ("clean test set", made.test)):
        if d is None:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "set": name,
                    "class": np.asarray(d.y).astype(str),
                    "drift_nm_per_s": d.truth["drift_nm_per_s"].to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Fewest curves of a class from which a model can be expected to learn it.
MIN_CLASS_CURVES = 5


#: The control that balances the classes, per task (the remedy the small-class warning names).
BALANCE_CONTROLS = {
    "material": "lower the *Class imbalance*",
    "quality": "change the *Share of defective curves (%)*",
}


def small_class_warning(counts: pd.DataFrame, n_splits: int, task: str = "material") -> str | None:
    """A warning when a class has fewer curves than the folds (or than
    :data:`MIN_CLASS_CURVES`): the model has too few of them to learn the class, whose recall
    is then about 0.

    ``counts`` has columns class and curves (:func:`ui.supervised_cached.class_counts`);
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


# --- what to notice ---------------------------------------------------------------------------


def classify_notes(data: dict, made, evaluation, extras: dict) -> list[str]:
    """Short observations about this run, from the scores and the truth."""
    report, pred = evaluation.report, evaluation.predictions
    notes = []
    if report.accuracy - report.balanced_accuracy > 0.05:
        notes.append(
            f"**Accuracy {report.accuracy:.2f}, balanced accuracy "
            f"{report.balanced_accuracy:.2f}.** The common classes carry the accuracy; the "
            "balanced accuracy (mean recall over the classes) shows how the rare ones fare."
        )
    source = made.test if evaluation.on_test_set else made
    wrong = pred[~pred["correct"]]
    truth = source.truth.iloc[wrong["curve"].to_numpy()]
    task = data["task"]
    if task == "phase" and len(wrong):
        on_boundary = int(truth["on_interface"].sum())
        share = 100 * source.truth["on_interface"].mean()
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
    scores = clever_hans_scores(extras)
    if task == "confounded" and scores is not None:
        random_score, clean_score = (float(v) for v in scores["accuracy"])
        if is_fooled(scores):
            notes.append(
                f"**Random split {random_score:.2f}, clean test {clean_score:.2f}: Clever "
                "Hans.** A random split draws its test curves from the same two days as "
                "training, so the drift shortcut works there too; only the clean test set, "
                "measured on days unrelated to the class, shows what the model learned."
            )
        else:
            notes.append(
                f"**Random split {random_score:.2f}, clean test {clean_score:.2f}: the two "
                "agree.** This model does not lean on the day's drift; its accuracy is what "
                "the weak hardness difference allows."
            )
    return notes


def runs_table(runs, shown: int) -> pd.DataFrame:
    """One row per run of this session, the shown one marked."""
    rows = []
    for r in reversed(runs):
        clean = r.extras.get("clean")
        rows.append(
            {
                "run": f"#{r.number}" + (" (shown)" if r.number == shown else ""),
                "task": TASK_LABELS.get(r.data["task"], r.data["task"]),
                "curves": r.data["n"],
                "model sees": REPRESENTATION_LABELS[r.model["representation"]],
                "model": MODEL_LABELS[r.model["model"]],
                "split": SPLIT_LABELS[r.model["split"]],
                "score": r.evaluation.score,
                "clean test": clean.value.score if clean and clean.value is not None else None,
                "trained in (s)": r.seconds,
            }
        )
    table = pd.DataFrame(rows)
    return table.drop(columns="clean test") if table["clean test"].isna().all() else table


# --- Predict properties -------------------------------------------------------------------------


def op_on_curves(op_report: RegressionReport, made, curves) -> RegressionReport:
    """Oliver-Pharr's report restricted to the curves the ML model was tested on."""
    curves = np.asarray(curves, dtype=int)
    parity = op_report.parity
    targets = list(op_report.targets)
    predicted = np.column_stack(
        [
            parity[parity["target"] == t].set_index("curve")["predicted"].reindex(curves)
            for t in targets
        ]
    )
    depth = parity[parity["target"] == targets[0]].set_index("curve")["depth_nm"].reindex(curves)
    y = made.y[targets].reset_index(drop=True).iloc[curves].reset_index(drop=True)
    return regression_report(y, predicted, depth.to_numpy(), curve=curves)


def pileup_label(excess) -> np.ndarray:
    """Category of the true pile-up (area excess, fraction) for the parity colours."""
    labels = list(PILEUP_COLOURS)
    return np.where(np.asarray(excess, dtype=float) > PILEUP_MIN, labels[1], labels[0])


def parity_frame(report: RegressionReport, truth: pd.DataFrame, target: str) -> pd.DataFrame:
    """One target's parity table with the truth that explains it (pile-up, E/H)."""
    p = report.parity[report.parity["target"] == target].copy()
    rows = truth.iloc[p["curve"].to_numpy()]
    p["pileup_pct"] = 100 * rows["pileup_area_excess"].to_numpy(dtype=float)
    p["pileup"] = pileup_label(rows["pileup_area_excess"])
    p["E_over_H"] = rows["E_over_H"].to_numpy(dtype=float)
    return p[np.isfinite(p["true"]) & np.isfinite(p["predicted"]) & (p["predicted"] > 0)]


def parity_domain(frames) -> tuple[float, float]:
    """A common log-axis range [GPa] for parity plots of one target."""
    values = np.concatenate([np.r_[f["true"], f["predicted"]] for f in frames])
    values = values[np.isfinite(values) & (values > 0)]
    return float(values.min() / 1.15), float(values.max() * 1.15)


def regression_scores(ml: RegressionReport, op: RegressionReport) -> pd.DataFrame:
    """MAE, RMSE (GPa), R² and median |error| (%) per target for both methods."""
    rows = []
    for method, report in (("ML model", ml), ("Oliver-Pharr", op)):
        for target, s in report.scores.iterrows():
            rows.append(
                {
                    "quantity": f"{target.split('_')[0]} (GPa)",
                    "method": method,
                    "median |error| (%)": 100 * s["median_abs_rel_error"],
                    "MAE (GPa)": s["MAE"],
                    "RMSE (GPa)": s["RMSE"],
                    "R²": s["R2"],
                    "curves": int(s["n"]),
                }
            )
    return pd.DataFrame(rows).sort_values(["quantity", "method"], ascending=[False, True])


def pileup_errors(ml_frame: pd.DataFrame, op_frame: pd.DataFrame, name: str = "H") -> pd.DataFrame:
    """Median |error| (%) of both methods on curves with and without pile-up (one target)."""
    rows = []
    for method, f in (("ML model", ml_frame), ("Oliver-Pharr", op_frame)):
        err = (100 * (f["predicted"] / f["true"] - 1)).abs()
        for label, group in err.groupby(f["pileup"]):
            rows.append(
                {"curves": label, "method": method, f"median |error| of {name} (%)": group.median(),
                 "n": len(group)}
            )  # fmt: skip
    return pd.DataFrame(rows)


def error_vs_depth(ml: RegressionReport, op: RegressionReport, target: str) -> pd.DataFrame:
    """The error-vs-depth tables of both methods for one target, with a method column."""
    parts = [
        r.error_vs_depth[r.error_vs_depth["target"] == target].assign(method=m)
        for m, r in (("ML model", ml), ("Oliver-Pharr", op))
    ]
    return pd.concat(parts, ignore_index=True)


def error_vs_ratio(ml_frame: pd.DataFrame, op_frame: pd.DataFrame) -> pd.DataFrame:
    """Signed relative error (%) of every curve against its E/H, both methods."""
    parts = [
        f.assign(method=m, error_pct=100 * (f["predicted"] / f["true"] - 1))[
            ["curve", "method", "E_over_H", "error_pct"]
        ]
        for m, f in (("ML model", ml_frame), ("Oliver-Pharr", op_frame))
    ]
    return pd.concat(parts, ignore_index=True)


SUBSET_LABELS = {
    "in_range": "inside the range",
    "in_range_pileup": "inside, pile-up curves",
    "out_of_range": "outside the range",
}


def out_of_range_table(check) -> pd.DataFrame:
    """The out-of-range errors as a readable table: subset, method, target, error (%), n."""
    t = check.table.copy()
    t["subset"] = t["subset"].map(SUBSET_LABELS)
    t["method"] = t["method"].replace({"ML": "ML model"})
    t["error_pct"] = 100 * t["median_abs_rel_error"]
    return t[["subset", "method", "target", "error_pct", "n"]]


def out_of_range_setup(check) -> str:
    """How the out-of-range test was made: the ranges and the numbers of curves."""
    (a, b), (c, d) = check.train_E_over_H, check.test_E_over_H
    return (
        f"Your model is trained again on {check.n_train} curves with **E/H from {a:g} to "
        f"{b:g}**, then tested on {check.n_test} new curves from the same range and on "
        f"{check.n_test} curves with **E/H from {c:g} to {d:g}**, outside it. Oliver-Pharr "
        "analyses the same test curves."
    )


def out_of_range_note(check) -> str:
    """The out-of-range result in words."""
    ml_in = check.error("in_range_pileup", "ML")
    op_in = check.error("in_range_pileup", "Oliver-Pharr")
    ml_out = check.error("out_of_range", "ML")
    op_out = check.error("out_of_range", "Oliver-Pharr")
    text = ""
    if np.isfinite(ml_in):
        text += (
            f"Inside the range, on pile-up curves, the ML model's median H error is "
            f"{100 * ml_in:.1f} % against Oliver-Pharr's {100 * op_in:.1f} %. "
        )
    verdict = "higher" if ml_out > op_out else "lower"
    return text + (
        f"Outside it the ML model's H error is **{100 * ml_out:.1f} %, {verdict} than "
        f"Oliver-Pharr's {100 * op_out:.1f} %**."
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
GUESSES = ("the ML model", "Oliver-Pharr", "about the same")


def guess_feedback(guess: str, check) -> tuple[bool, str]:
    """Feedback on the guess "which is more accurate outside the training range?"."""
    ml, op = check.error("out_of_range", "ML"), check.error("out_of_range", "Oliver-Pharr")
    ratio = max(ml, op) / max(min(ml, op), 1e-9)
    truth = "about the same" if ratio < 1.25 else ("the ML model" if ml < op else "Oliver-Pharr")
    measured = f"measured median H error: ML {100 * ml:.1f} %, Oliver-Pharr {100 * op:.1f} %"
    if guess == truth:
        return True, f"Right: {truth} ({measured})."
    return False, f"Not this time: {truth} ({measured}). Open the explanation below."


def property_notes(ml_frame: pd.DataFrame, op_frame: pd.DataFrame, data: dict) -> list[str]:
    """What to notice on the regression results (H)."""
    notes = []
    table = pileup_errors(ml_frame, op_frame).rename(
        columns={"median |error| of H (%)": "median |error| (%)"}
    )
    piled = table[table["curves"] == list(PILEUP_COLOURS)[1]].set_index("method")
    flat = table[table["curves"] == list(PILEUP_COLOURS)[0]].set_index("method")
    if len(piled) == 2:
        notes.append(
            f"**On pile-up curves Oliver-Pharr overestimates H** (median error "
            f"{piled.loc['Oliver-Pharr', 'median |error| (%)']:.1f} % against "
            f"{piled.loc['ML model', 'median |error| (%)']:.1f} % for the ML model): the "
            "pile-up carries load on area that h_c cannot see. The ML model learned that "
            "correction from its training curves."
        )
    if len(flat) == 2:
        notes.append(
            f"**Without pile-up Oliver-Pharr is the physics, nearly exact** "
            f"({flat.loc['Oliver-Pharr', 'median |error| (%)']:.2f} % against "
            f"{flat.loc['ML model', 'median |error| (%)']:.2f} % for the ML model): a "
            "learned model adds the noise of its fit where no correction is needed."
        )
    if not data["options"]["pileup"]:
        notes.append(
            "**Pile-up is off:** Oliver-Pharr's assumptions hold for every curve, and no "
            "model can beat the physics by much."
        )
    return notes


def property_frame(made) -> pd.DataFrame:
    """True E, H, E/H and pile-up of every curve of a properties dataset."""
    t = made.truth
    return pd.DataFrame(
        {
            "E_GPa": t["E_GPa"].to_numpy(dtype=float),
            "H_GPa": t["H_GPa"].to_numpy(dtype=float),
            "E_over_H": t["E_over_H"].to_numpy(dtype=float),
            "pileup": pileup_label(t["pileup_area_excess"]),
            "pileup_pct": 100 * t["pileup_area_excess"].to_numpy(dtype=float),
        }
    )


def property_caption(made) -> str:
    """What was simulated for the properties task, with the pile-up share."""
    share = 100 * float((made.truth["pileup_area_excess"] > PILEUP_MIN).mean())
    return (
        f"{made.n} curves of random materials, each with its true H and E. "
        f"{made.description} {share:.0f} % of the curves pile up by more than "
        f"{100 * PILEUP_MIN:.0f} % of the contact area."
    )
