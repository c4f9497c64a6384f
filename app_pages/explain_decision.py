"""Why did the model decide? LIME on one curve, checked against the exact attribution, the
simulator's truth and LIME's own stability; permutation importance and partial dependence."""

import streamlit as st

from ui.common import path, progress, score_text
from ui.explain import (
    cached,
    charts,
    exercise,
    inspection,
    models,
    notes,
    stress,
    tables,
    tasks,
    widgets,
)

st.title("Why did the model decide?")
st.markdown(
    "**What you will learn.** How LIME explains one decision of a trained model, and how "
    "far to trust that explanation. Because the curves are simulated, the truth is known: "
    "which quantities the simulator made carry the label, and where in the curve a pop-in "
    "sits. You will compare LIME with the model's exact attribution (for logistic "
    "regression), with what the model uses over all curves (permutation importance), and "
    "with itself under another random seed; and you will meet a model that is right for the "
    "wrong reason. Settings live in the URL: copy the address to share them."
)
widgets.carry_over()
widgets.scenario_buttons()

with st.sidebar:
    st.header("Model")
    classify = models.classify_choices()
    source = widgets.source_control(list(classify))
    settings = widgets.model_controls(disabled=source in classify)
    st.header("LIME")
    lime = widgets.lime_controls()
    st.header("Curve segments")
    segments = widgets.segment_controls()
widgets.remember_url()

try:
    with st.spinner("Simulating the curves and training the model…"):
        choice = classify[source] if source in classify else models.train_here(**settings)
        s = cached.summary(choice.ref, choice.pipeline)
except ValueError as err:
    st.error(f"**This model cannot be trained or used here.** {err}")
    st.stop()
data = choice.ref["pool_data"]
trained = f", trained in {choice.seconds:.2f} s" if choice.seconds else ""
st.caption(
    f"Model: {choice.label}{trained}. It sees {len(s.names)} inputs; "
    + score_text.sentence(
        f"accuracy on its {len(s.y)} held-out curves",
        s.scored,
        score_text.BASELINE_NAMES["classification"],
        percent=True,
    )
    + f". {s.description}"
)
if not s.scored.beats_baseline:
    st.warning(notes.guessing_warning(s.scored))

instance = widgets.instance_controls()
pick = tables.pick_instance(
    instance["pick"], data, s.truth, s.y, s.predicted, s.confidence, instance["number"]
)
if pick.position is None and instance["pick"] == "by number":
    st.error(f"**No such curve.** {pick.reason}")
    st.stop()
if pick.position is None:
    st.info(f"{pick.reason} Showing a typical curve instead.")
    pick = tables.pick_instance("typical", data, s.truth, s.y, s.predicted, s.confidence)
i = pick.position
try:
    with st.spinner("Explaining…"):
        ex = cached.explain_instance(choice.ref, choice.pipeline, i, lime)
        curve = cached.explain_curve(
            choice.ref, choice.pipeline, i, segments, lime["seed"], lime["num_samples"]
        )
        importance = inspection.permutation(choice.ref, choice.pipeline)
        lipschitz = cached.lipschitz(choice.ref, choice.pipeline, i, lime)
except ValueError as err:
    st.error(f"**This curve cannot be explained with these settings.** {err}")
    st.stop()
verdict = "right" if s.predicted[i] == s.y[i] else "wrong"
st.markdown(
    f"**Curve {i}:** {pick.reason}. True class **{s.y[i]}**, the model says **{s.predicted[i]}** "
    f"(p = {ex.probability:.2f}, {verdict}). Simulator: "
    f"{tables.instance_facts(data, s.truth.iloc[i])}."
)

st.subheader("The explanation beside the truth")
st.altair_chart(
    charts.attribution_chart(ex.lime, ex.exact, importance, ex.label, lime["discretize"]),
    width="content",
)
st.caption(
    f"LIME explains p({ex.label}) near this curve with {lime['num_samples']} samples and "
    f"kernel width {ex.kernel_width:.2f} (standardised units); local fit R² "
    f"{ex.card['lime_r2']:.2f}. "
    + (
        "In continuous mode a LIME weight is a slope per standard deviation, so the bars "
        "show weight × standardised value, which compares with the exact attribution."
        if not lime["discretize"]
        else "In discretised mode a weight is the effect of the input's quartile."
    )
    + (f" {ex.exact_message}" if ex.exact is None else "")
)
truth_text, use_text = st.columns(2, gap="large")
truth_text.markdown(f"**The truth, as the simulator made it.** {notes.truth_statement(data)}")
use_text.markdown(
    notes.truth_vs_use(s.informative, s.nuisance, s.names, s.roles, importance, ex.exact)
)
order = list(ex.lime["feature"])
weights = ex.lime.set_index("feature").loc[s.names, "weight"].to_numpy()
if note := notes.correlated_note(s.F_train, s.names, weights):
    st.info(note)

st.subheader("Where in the curve")
left, right = st.columns(2, gap="medium")
left.altair_chart(
    charts.segment_time_chart(curve.points, curve.segments, ex.label, curve.truth_label),
    width="stretch",
)
right.altair_chart(charts.segment_load_chart(curve.points, ex.label), width="stretch")
st.caption(
    "LIME over curve segments: each segment is switched off (replaced by "
    f"{'the mean training curve' if segments['reference'] == 'mean' else 'a smoothed copy'}) "
    f"in {min(max(lime['num_samples'], 50), cached.MAX_SEGMENT_SAMPLES)} random patterns, and a "
    "weighted linear model tells how much keeping each segment raises p("
    f"{ex.label}). Truth region: {curve.truth_label}"
    + ("" if curve.points["truth"].any() else " (empty for this curve)")
    + "."
)

st.subheader("Scorecard")
card = ex.card | curve.card | {"lipschitz": lipschitz}
st.table(tables.scorecard_table(card, lime["k"], not s.scored.beats_baseline).set_index("score"))

st.subheader("Stable across seeds?")
m = st.columns(4)
m[0].metric(
    f"Jaccard of top {lime['k']}",
    f"{card['jaccard']:.2f}",
    help="Mean overlap of the top-k sets over five LIME seeds (1: always the same inputs).",
)
m[1].metric(
    "Weight spread",
    f"{card['spread']:.2f}",
    help="Mean standard deviation of a weight across the seeds / mean |weight| (0: same).",
)
m[2].metric(
    "Local Lipschitz",
    f"{lipschitz:.3g}",
    help="Largest change of the weights per unit change of the standardised inputs over "
    "the nearest held-out curves.",
)
m[3].metric("LIME local R²", f"{card['lime_r2']:.2f}", help="Fit of LIME's local linear model.")
roles = dict(zip(s.names, s.roles, strict=True))
st.altair_chart(charts.stability_chart(ex.seeds, order[: charts.N_TOP], roles), width="stretch")

st.subheader("Global view: what the model uses over all held-out curves")
left, right = st.columns(2, gap="medium")
left.altair_chart(charts.importance_chart(importance), width="stretch")
with right:
    feature = widgets.dependence_control(list(importance["feature"]))
    average, ice = inspection.dependence(choice.ref, choice.pipeline, feature, ex.label)
    value = float(s.F_pool[i, s.names.index(feature)])
    st.altair_chart(
        charts.dependence_chart(average, ice, feature, ex.label, value), width="stretch"
    )
st.caption(
    "Permutation importance (scikit-learn): how much the held-out accuracy falls when one "
    f"input is shuffled, mean and its 95 % interval over {inspection.PERMUTATION_REPEATS} "
    "shuffles; an input whose interval reaches zero is indistinguishable from zero. Partial "
    "dependence (scikit-learn): how the model's probability moves when one input is swept "
    "and the others stay as measured."
)

st.subheader("What to notice")
for note in notes.decision_notes(data, ex.lime, card, importance, lime):
    st.info(note)

st.subheader("Exercise: a Clever Hans model that is right for the right reason")
st.markdown(
    "On the task *Aged or as-received steel (Clever Hans)*, the press of the **Clever Hans** "
    "scenario gives a model that scores about 90 % in the lab. Find a model (inputs and "
    "model type) whose explanation does **not** point at drift, for this curve and overall, "
    "and check that it **generalises to the clean test set**, where the days are random. "
    "A 4 % hardness difference needs many curves to be told from guessing: keep 800. "
    "The check below reads your current settings."
)
clean = None
if tasks.task_kind(data) == "clever_hans":
    try:
        clean = stress.scored_on(choice.ref, choice.pipeline, data, "test")
    except ValueError as err:
        st.warning(str(err))
status, message = exercise.clever_hans_exercise(data, ex.lime, importance, s.scored, clean)
{"done": st.success, "hint": st.warning, "setup": st.info}[status](message)
if status != "setup":
    progress.record("explain.clever_hans", status == "done", choice.label)
with st.expander("Why? (open after trying)"):
    st.markdown(
        "The drift rate is measured in the drift hold, and drift also bends the unloading "
        "branch (so E and S from Oliver-Pharr carry the day too). A model given those inputs "
        "takes the shortcut because in training it pays: 90 % of 'aged' curves drift at "
        "+0.12 nm/s. LIME faithfully reports the shortcut: a *faithful* explanation of a "
        "*wrong* model. Given only H (or H and E), the model has nothing but the 4 % hardness "
        "difference, scores about 60-65 % (on 800 curves; on fewer, its held-out score cannot "
        "be told from guessing), and keeps that score on the clean test set."
    )

path.next_link("app_pages/explain_decision.py")
