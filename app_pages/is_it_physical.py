"""Is it physically meaningful? A checklist applied to a trained model, every item computed:
the inputs it uses, robustness to drift, noise and the tip, extrapolation, and whether its
explanation is stable."""

import streamlit as st

from ui.common import path, progress, score_text
from ui.explain import (
    cached,
    charts,
    checklist,
    exercise,
    inspection,
    models,
    notes,
    stress,
    tasks,
    widgets,
)

st.title("Is it physically meaningful?")
st.markdown(
    "**What you will learn.** A model can score well for reasons that have nothing to do "
    "with the material: a drifting instrument, a load range, a lucky seed. This page applies "
    "four checks to a model, and each one is *measured*, not asked: (1) does it use the "
    "quantities physics says carry the answer; (2) does it survive a change of drift, noise "
    "or tip; (3) does it extrapolate to curves outside its training range; (4) is its "
    "explanation stable. Every verdict shows the numbers behind it and the physics. "
    "Settings live in the URL, and the model is the one *Why did the model decide?* explains."
)
widgets.carry_over()
widgets.scenario_buttons(("phase", "popin", "clever_hans", "correlated", "instability"))

with st.sidebar:
    st.header("Model")
    classify = models.classify_choices()
    source = widgets.source_control(list(classify))
    settings = widgets.model_controls(disabled=source in classify)
    st.header("Stress tests")
    shifts = widgets.shift_controls(
        clean_test=source not in classify and settings["task"] == "clever_hans"
    )
    st.header("LIME (item 4)")
    lime = widgets.lime_controls()
widgets.remember_url()

try:
    with st.spinner("Simulating the curves and training the model…"):
        choice = classify[source] if source in classify else models.train_here(**settings)
        s = cached.summary(choice.ref, choice.pipeline)
    with st.spinner("Simulating the shifted test sets and scoring the model…"):
        importance = inspection.permutation(choice.ref, choice.pipeline)
        robust = stress.stress_table(
            choice.ref,
            choice.pipeline,
            [("drift", shifts["drift"]), ("noise", shifts["noise"]), ("tip", shifts["tip"])],
        )
        extra = "clean" if choice.ref["data"]["task"] == "confounded" else "load"
        beyond = stress.stress_table(choice.ref, choice.pipeline, [(extra, shifts["load"])])
        jaccard, spread = cached.stability_check(choice.ref, choice.pipeline, lime)
except ValueError as err:
    st.error(f"**This model cannot be checked with these settings.** {err}")
    st.stop()
data = choice.ref["data"]
# the question before every item: does the model beat its baseline on fresh curves under
# the training conditions (up to SHIFT_N of them, more than the held-out quarter)?
control = stress.scored_on(choice.ref, choice.pipeline, stress.shifted_data(data, "control", 0))
verdicts = [
    checklist.check_physics(importance, data, lime["k"], control),
    checklist.check_shifts(robust, shifts["tolerance"], control),
    checklist.check_shifts(beyond, shifts["tolerance"], control),
    checklist.check_stability(jaccard, spread, lime["k"], control),
]
passed = sum(v.status == "pass" for v in verdicts)
st.caption(f"Model: {choice.label}. {s.description}")
m = [*st.columns(2), *st.columns(2)[:1]]  # room for each interval and baseline
m[0].metric("Checks passed", f"{passed} of {len(verdicts)}")
score_text.metric(
    m[1],
    "Held-out accuracy",
    s.scored,
    "On the 25 % of the curves the model did not train on (same lab, same settings; "
    "Wilson interval).",
    "classification",
    percent=True,
)
score_text.metric(
    m[2],
    "Fresh curves, same conditions",
    control,
    f"Accuracy on up to {stress.SHIFT_N} freshly simulated curves with the training "
    "conditions: the control every shifted test set is compared with (Wilson interval).",
    "classification",
    percent=True,
)

st.caption(
    "Before every check the model must beat the baseline on the fresh curves under the "
    f"training conditions (up to {stress.SHIFT_N}; more than the held-out quarter, whose "
    "interval is wider): a model that does not is no better than guessing and is not judged."
)

QUESTIONS = (
    "Does it use the quantities physics says carry the answer?",
    "Does it survive a change of drift, noise or tip?",
    "Does it extrapolate beyond its training range?",
    "Is its explanation stable?",
)
verdict_charts = (  # drawn only for a judged verdict
    lambda: charts.share_chart(verdicts[0].table),
    lambda: charts.accuracy_chart(robust, shifts["tolerance"]),
    lambda: charts.accuracy_chart(beyond, shifts["tolerance"]),
    lambda: charts.stability_bars(verdicts[3].table, lime["k"]),
)
for number, (question, verdict, chart) in enumerate(
    zip(QUESTIONS, verdicts, verdict_charts, strict=True), 1
):
    with st.container(border=True):
        st.markdown(f"#### {number}. {question}")
        show = {"pass": st.success, "warn": st.warning}.get(verdict.status, st.info)
        show(f"**{verdict.status.upper()}.** {verdict.headline}")
        if verdict.physics:
            st.markdown(f"*The physics:* {verdict.physics}")
        if verdict.status != "n/a" and verdict.judged:
            # the stacked stability bars keep their own width (stretched, they overflow)
            st.altair_chart(chart(), width="content" if number == 4 else "stretch")
        if number in (2, 3):  # what the simulator cannot make, judged or not
            shifted = robust if number == 2 else beyond
            missing = shifted[shifted["note"] != ""]
            for note in missing["test set"] + ": " + missing["note"]:
                st.caption(note)

st.subheader("What to notice")
for note in notes.physical_notes(verdicts, data):
    st.info(note)
with st.expander("How each check is computed"):
    st.markdown(
        "0. **Before every check**: the model's accuracy on the fresh curves under the "
        "training conditions (the control of check 2) must beat the baseline's (always the "
        "most frequent training class): the lower end of its 95 % Wilson interval above "
        "the baseline's accuracy. A model that does not is no better than "
        "guessing, and no item passes it.\n"
        f"1. **Physics**: scikit-learn permutation importance on the held-out curves (the "
        f"accuracy drop when one input is shuffled, {inspection.PERMUTATION_REPEATS} shuffles); "
        f"each input is labelled truth, indirect, nuisance or mixed from the task's truth. "
        f"Pass: a truth input in the top {lime['k']} and at most "
        f"{tasks.NUISANCE_LIMIT:.0%} of the importance on nuisance inputs, counting only "
        "importances whose 95 % interval over the shuffles excludes zero (the others are "
        "indistinguishable from zero and take no share; if all are, the check refuses to "
        "judge).\n"
        f"2. **Robustness**: fresh curves (next seed, up to {stress.SHIFT_N}) simulated with "
        "`simulator.make_dataset` under the training conditions (control) and with one "
        "condition changed; pass when no accuracy falls by more than the tolerance. A worn "
        "tip is a Berkovich rounded to the chosen apex radius, analysed with the ideal "
        "area function.\n"
        "3. **Extrapolation**: the same on another peak load (phase, pop-in) or on the clean "
        "test set whose days are random (Clever Hans).\n"
        f"4. **Stability**: LIME with {tasks.N_STABILITY_SEEDS} seeds on "
        f"{cached.N_STABILITY_CURVES} held-out curves; pass when the mean Jaccard of the top "
        f"{lime['k']} is at least {tasks.JACCARD_LIMIT:g} and the weight spread at most "
        f"{tasks.SPREAD_LIMIT:g}."
    )

st.subheader("Exercise: physically related is not physically meaningful")
st.markdown(
    "On the task *Phase under the indent (WC-Co map)*, find a model that rests on H, E and "
    "quantities made from them (at most "
    f"{tasks.NUISANCE_LIMIT:.0%} of its importance on nuisance inputs in check 1) and "
    "still **fails check 3** at another peak load. Then explain why, before opening the "
    "answer. The check below reads your current settings."
)
status, message = exercise.physical_exercise(data, verdicts, choice.inputs)
{"done": st.success, "hint": st.warning, "setup": st.info}[status](message)
if status != "setup":
    progress.record("explain.physical", status == "done", choice.label)
with st.expander("Why? (open after trying)"):
    st.markdown(
        "Hardness and modulus are *intensive*: the same at 1 mN and at 3 mN. Depths, "
        "stiffness and the work of indentation are *extensive*: for a Berkovich tip h grows "
        "as √P, S as h and W as P^1.5. A model that separates WC from Co binder by h_max or "
        "S learns a boundary at the training load; at another load every curve lands on one "
        "side of it. Oliver-Pharr turns the extensive measurements into H and E, which is "
        "why a model on H and E carries over, and why an explanation naming h_max can be "
        "about physics and still not be physically meaningful."
    )

path.next_link("app_pages/is_it_physical.py")
