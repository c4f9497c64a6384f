"""Predict properties: learn H and E from curves, beside Oliver-Pharr, inside and outside
the training range."""

import streamlit as st

from ui.common import attempts, path, progress, score_text
from ui.supervised import (
    cached,
    exercise,
    notes,
    options,
    property_widgets,
    regression_charts,
    regression_tables,
    session,
    tables,
)

PAGE = "properties"
TARGETS = ("H_GPa", "E_GPa")
GUESS_ID = "supervised.out_of_range"

st.title("Predict properties")
st.markdown(
    "**What you will learn.** How a regression model learns hardness H and modulus E from "
    "whole curves (an inverse problem, cf. Lu et al., PNAS 117 (2020) 7052), how it compares "
    "with the Oliver-Pharr analysis on the same curves, why it can beat Oliver-Pharr where "
    "pile-up hides contact area, and why it fails outside the range of materials it was "
    "trained on while the physics does not. Set the data and the model in the sidebar, then "
    "press **Train**."
)

with st.sidebar:
    st.header("Data")
    data = property_widgets.properties_data_controls()
    st.header("Model")
    model = property_widgets.properties_model_controls()
    st.header("Out-of-range test")
    model["scenario"] = property_widgets.scenario_control()

problems = notes.input_problems(data, model)
if problems:
    st.error("**These settings cannot be simulated.**\n\n- " + "\n- ".join(problems))
    st.stop()
try:
    made = cached.dataset(data)
except ValueError as err:
    st.error(f"**These settings cannot be simulated.** {err}")
    st.stop()

st.header("Your data")
left, right = st.columns([3, 2], gap="large")
left.altair_chart(regression_charts.property_scatter(tables.property_frame(made)), width="stretch")
right.markdown(notes.property_caption(made))
right.markdown(
    "Every curve is a load-controlled test to the same peak load, with noise. The labels are "
    "the simulator's true H and E; Oliver-Pharr gets the true Poisson's ratio of each curve "
    "(its best case), the ML model gets only the curve."
)

run = session.train_panel(
    PAGE,
    "prop_train",
    data,
    model,
    cached.property_extras(data, model),
    help="Fit the regressor on the training curves and predict H and E of the held-out "
    "ones; run Oliver-Pharr on the same curves; train once more on one E/H range for the "
    "out-of-range test. Your trained models stay in this session.",
)
made = cached.dataset(run.data)
ml = run.evaluation.report
op_all = run.extra("op").value
op = tables.op_on_curves(op_all, made, run.evaluation.predictions["curve"].unique())
base = regression_tables.baseline_report(run.evaluation, made)
reports = {"ML model": ml, "Oliver-Pharr": op, regression_tables.BASELINE: base}
frames = {
    (t, m): tables.parity_frame(r, made.truth, t) for t in TARGETS for m, r in reports.items()
}

st.header("Predicted against true")
st.dataframe(
    regression_tables.regression_scores(reports),
    hide_index=True,
    column_config={
        "median |error| (%)": st.column_config.NumberColumn(format="%.2f"),
        "MAE (GPa)": st.column_config.NumberColumn(format="%.3g"),
        "RMSE (GPa)": st.column_config.NumberColumn(format="%.3g"),
        "R²": st.column_config.NumberColumn(format="%.4f"),
    },
)
st.caption(
    "All three on the same held-out curves. Intervals: 95 % bootstrap over the curves. The "
    "baseline ignores the curve and predicts the mean H and E of its training fold; a "
    "method whose error interval reaches the baseline's error is "
    f"{score_text.GUESSING}."
)
scored = cached.scored(run.data, cached.evaluation_key(run.model))
if note := notes.guessing_note(scored, options.MODEL_LABELS[run.model["model"]]):
    st.warning(note)
for target in TARGETS:
    domain = tables.parity_domain([frames[(target, "ML model")], frames[(target, "Oliver-Pharr")]])
    for column, method in zip(st.columns(2), ("ML model", "Oliver-Pharr"), strict=True):
        column.altair_chart(
            regression_charts.parity_chart(frames[(target, method)], target, method, domain),
            width="stretch",
        )
st.caption(
    "Held-out curves only (both methods on the same curves). Dashed: predicted = true. Red: "
    "curves whose true contact area exceeds the Oliver-Pharr area by 5 % or more (pile-up)."
)
st.dataframe(
    regression_tables.pileup_table(
        regression_tables.pileup_errors({m: frames[("H_GPa", m)] for m in reports})
    ),
    hide_index=True,
    column_config={"median |error| of H (%)": st.column_config.NumberColumn(format="%.2f")},
)
st.caption(
    "95 % interval: bootstrap over the curves of each group. The baseline's rows: always the "
    "training mean, on the same curves."
)

st.header("Where the errors are")
depth = st.columns(2)
ratio = st.columns(2)
for i, target in enumerate(TARGETS):
    depth[i].altair_chart(
        regression_charts.error_vs_depth_chart(
            regression_tables.error_vs_depth(reports, target), target
        ),
        width="stretch",
    )
    ratio[i].altair_chart(
        regression_charts.error_vs_ratio_chart(
            tables.error_vs_ratio(frames[(target, "ML model")], frames[(target, "Oliver-Pharr")]),
            target,
        ),
        width="stretch",
    )
st.caption(
    "Top: median |relative error| in bins of the largest depth h_max (quantiles), with its "
    "95 % bootstrap interval (bars); dashed grey: the baseline (always the training mean). "
    "Bottom: "
    "every held-out curve's signed error against its true E/H; soft metals (high E/H) pile "
    "up and go deeper."
)

st.subheader("What to notice")
for note in notes.property_notes({m: frames[("H_GPa", m)] for m in reports}, run.data):
    st.info(note)
st.markdown(notes.SIMULATOR_ASSUMES)

st.header("Outside the training range")
check = run.extra("out_of_range")
if check.value is None:
    st.warning(f"**No out-of-range test with these settings.** {check.message}")
else:
    st.markdown(notes.out_of_range_setup(check.value))
    st.subheader("Exercise: trust the physics or the model?")
    guess = st.radio(
        "Guess first: outside the training range, which gives the more accurate hardness?",
        exercise.GUESSES,
        index=None,
        horizontal=True,
        key="prop_guess",
        persist_state="session",
        help="Which method has the smaller median |error| of H on the test curves outside "
        "the E/H range the model was trained on? A wrong guess gets a hint; the result "
        "shows after a right guess, after two tries, or on request.",
    )
    beats = all(sc["R2"].beats_baseline for sc in scored.values())
    tries = attempts.record(GUESS_ID, guess) if guess is not None else attempts.tries(GUESS_ID)
    shown = attempts.answer_button(
        GUESS_ID, "prop_guess_show", after=exercise.GUESS_TRIES_BEFORE_ANSWER
    )
    right_answer = False
    if guess is None and not shown:
        st.info("Make your guess to see the result.")
    elif guess is not None:
        right_answer, message = exercise.guess_feedback(
            guess, check.value, beats, tries=tries, shown=shown
        )
        (st.success if right_answer else st.warning)(message)
        progress.record("supervised.out_of_range", right_answer, guess)
    if exercise.reveals(right_answer, tries, shown, beats) and (guess is not None or shown):
        if guess is None:
            st.info(f"The answer: **{exercise.guess_answer(check.value)}** (you asked for it).")
        table = regression_tables.out_of_range_scores(check.value)
        st.markdown(notes.out_of_range_note(table))
        for column, target in zip(st.columns(2), TARGETS, strict=True):
            column.altair_chart(
                regression_charts.out_of_range_chart(table[table["target"] == target], target),
                width="stretch",
            )
        st.caption(notes.SCENARIO_NOTES[run.model["scenario"]])
        with st.expander("Why?"):
            st.markdown(notes.OUT_OF_RANGE_WHY)

with st.expander(f"Your trained models in this session ({len(session.runs(PAGE))})"):
    st.dataframe(
        tables.runs_table(
            session.runs(PAGE),
            run.number,
            lambda r: cached.scored(r.data, cached.evaluation_key(r.model)),
        ),
        hide_index=True,
        column_config={
            "mean R² of H, E": st.column_config.NumberColumn(format="%.4f"),
            "± (95 %)": st.column_config.NumberColumn(format="%.4f"),
            "baseline": st.column_config.NumberColumn(format="%.4f"),
            "trained in (s)": st.column_config.NumberColumn(format="%.1f"),
        },
    )

path.next_link("app_pages/predict_properties.py")
