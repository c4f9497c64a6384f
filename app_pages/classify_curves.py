"""Classify curves: train a classifier on labelled simulated curves and evaluate it honestly."""

import streamlit as st

from learners.supervised.leakage_maps import summarise_over_maps
from ui.common import path, progress, score_text
from ui.supervised import (
    cached,
    cached_leakage,
    charts,
    exercise,
    instrument_widgets,
    leakage_charts,
    leakage_notes,
    leakage_tables,
    notes,
    options,
    scoring,
    session,
    tables,
    wear_log,
    widgets,
)

PAGE = "classify"

st.title("Classify curves")
st.markdown(
    "**What you will learn.** How a supervised model learns labels from curves: what it "
    "sees (Oliver-Pharr H and E, engineered features or the full curve), how to score it "
    "honestly (held-out curves, k-fold, spatially blocked folds on a map, a clean test set), "
    "what its mistakes look like, and how a model can score well for the wrong reason. The "
    "simulator knows what made every label, so every score is checked against the truth. "
    "Set the task and the model in the sidebar, then press **Train**."
)

with st.sidebar:
    st.header("Data")
    data = widgets.classify_data_controls()
    st.header("Model")
    model = widgets.classify_model_controls(data["task"])

problems = notes.input_problems(data, model)
if problems:
    st.error("**Nothing to train yet.**\n\n- " + "\n- ".join(problems))
    st.stop()
try:
    made = cached.dataset(data)
    cached.pipeline(model, "classification")  # checks the representation's options
except ValueError as err:
    st.error(f"**These settings cannot be used.** {err}")
    st.stop()

st.header("Your data")
st.caption(notes.data_caption(data, made))
rows = tables.typical_rows(made, made.classes)
# On a map the phase map and the class counts share a row and the typical curves get their
# own: three fixed-size charts in one row overlap on a 1024 px laptop screen.
columns = st.columns([3, 2] if data["task"] == "phase" else [2, 3], gap="medium")
if data["task"] == "phase":
    truth = made.truth.assign(phase=made.y)
    columns[0].altair_chart(
        charts.category_map(
            truth, "phase", made.classes, charts.class_scale(made.classes).range,
            "True phase under each indent", "Phase",
        ),
        width="content",
    )  # fmt: skip
columns[-1 if data["task"] == "phase" else 0].altair_chart(
    charts.class_counts_chart(cached.class_counts(made), made.classes), width="stretch"
)
curves_column = st.container() if data["task"] == "phase" else columns[1]
curves_column.altair_chart(
    charts.typical_curves_chart(
        tables.curves_frame(made, rows), made.classes, "A typical curve of each class"
    ),
    width="stretch",
)

small = notes.small_class_warning(cached.class_counts(made), model["n_splits"], data["task"])
if small:
    st.warning(small)

problem = cached.split_problem(data, model)
if problem:
    st.error(f"**This split cannot be made on these curves.** {problem}")
    st.stop()

run = session.train_panel(
    PAGE,
    "cls_train",
    data,
    model,
    cached.classify_extras(data, model),
    help="Fit the model on the training curves of the split and score it on the held-out "
    "ones; also draws the learning curve and, where they apply, the random-vs-spatial "
    "comparison and the clean-test check. Your trained models stay in this session.",
)
made = cached.dataset(run.data)  # the shown run's data (the settings may have moved on)
rows = tables.typical_rows(made, made.classes)
ev, report, task = run.evaluation, run.evaluation.report, run.data["task"]
st.header("Scores on held-out curves")
scored = cached.scored(run.data, cached.evaluation_key(run.model))
m = [*st.columns(2), *st.columns(2)]  # two per row: room for each interval and baseline
score_text.metric(
    m[0],
    "Accuracy",
    scored["accuracy"],
    "Share of held-out curves whose predicted class is the true class (Wilson interval).",
    "classification",
)
score_text.metric(
    m[1],
    "Balanced accuracy",
    scored["balanced accuracy"],
    "Mean recall over the classes: not flattered by a common class (bootstrap interval).",
    "classification",
)
m[2].metric("Curves tested", f"{len(ev.predictions)}", help="Held-out curves scored "
            "(pooled over the folds of a k-fold split).")  # fmt: skip
if "ROC AUC" in scored:
    score_text.metric(m[3], "ROC AUC", scored["ROC AUC"], "Chance that a random "
                      f"{report.positive_class} curve scores above a random other one "
                      "(bootstrap interval).", "classification")  # fmt: skip
else:
    m[3].metric("Classes", f"{len(report.classes)}", help="Number of classes of the task.")
if note := notes.guessing_note(scored, options.MODEL_LABELS[run.model["model"]]):
    st.warning(note)
# the confusion matrix and the table each get the page's width: side by side, the matrix's
# legend runs into the table on a 1024 px screen
left = right = st.container()
left.altair_chart(charts.confusion_chart(report.confusion), width="content")
right.markdown("**Per class**")
right.dataframe(
    scoring.per_class_table(ev),
    hide_index=True,
    column_config={
        c: st.column_config.NumberColumn(format="%.1f") for c in scoring.PER_CLASS_NUMBERS
    },
)
right.caption(
    "Precision: of the curves predicted as the class, the share that are. Recall: of the "
    "curves that are the class, the share found. 95 % intervals: Wilson for recall and "
    "precision, bootstrap over the curves for F1. Baseline: always the most frequent class "
    "on the same curves (its precision is empty for a class it never predicts); a class "
    f"whose F1 interval reaches the baseline's F1 is {score_text.GUESSING}."
)
if report.roc is not None:
    # two per row: three side by side cut their titles on a laptop screen
    roc, pr = st.columns(2)
    cal = st.columns(2)[0]
    positive = report.positive_class
    roc.altair_chart(charts.roc_chart(report.roc, scored["ROC AUC"], positive), width="stretch")
    pr.altair_chart(
        charts.pr_chart(report.pr, scored["average precision"], positive), width="stretch"
    )
    cal.altair_chart(
        charts.calibration_chart(report.calibration, scored["Brier score"], positive),
        width="stretch",
    )

st.header("Learning curve")
curve = run.extra("learning_curve")
if curve.value is None:
    st.warning(f"**No learning curve for these settings.** {curve.message}")
else:
    st.altair_chart(
        charts.learning_curve_chart(
            scoring.learning_summary(curve.value), "accuracy", scored["accuracy"].baseline
        ),
        width="stretch",
    )
    split = tables.LEARNING_SPLITS[cached.learning_split(run.model)]
    st.caption(
        f"Accuracy against the number of training curves ({cached.LEARNING_FOLDS}-fold "
        f"cross-validation, {split}; random subsets of each training fold; band: the 95 % "
        f"interval of the mean over the {cached.LEARNING_FOLDS} folds, t-distribution). "
        "Dashed red: the baseline (always the most frequent class) on the held-out curves of "
        "the split above. A gap between the lines that stays open means the model memorises "
        "its training curves; a held-out line still rising means more curves would help; a "
        f"held-out band that reaches the baseline is {score_text.GUESSING}."
    )

st.header("Misclassified curves")
wrong = tables.misclassified(ev.predictions)
source = made.test if ev.on_test_set else made
if wrong.empty:
    st.success("**No held-out curve was misclassified.** Try more noise or smaller defects.")
labels = {int(r["curve"]): notes.describe_wrong(r) for _, r in wrong.iterrows()}
chosen, axes = widgets.misclassified_controls(list(labels), labels.get)
if chosen is not None:
    row = wrong.set_index("curve").loc[chosen]
    x = "h_nm" if axes == options.MISCLASSIFIED_AXES[0] else "t_s"
    panels = [
        (made, rows.get(row["true"]), f"Typical {row['true']} (its true class)"),
        (source, int(chosen), f"Curve {int(chosen)}: predicted {row['predicted']}"),
        (made, rows.get(row["predicted"]), f"Typical {row['predicted']} (predicted class)"),
    ]
    curves = [
        (d.curves.curve(i), d.truth.iloc[i].to_dict(), t) for d, i, t in panels if i is not None
    ]
    domains = tables.panel_domains([c for c, _, _ in curves], x)
    for column, (c, truth_row, title) in zip(st.columns(3), curves, strict=False):
        note = notes.truth_note(task, truth_row)
        column.altair_chart(charts.curve_panel(c, title, note, x, domains), width="stretch")
    st.caption(
        "Left and right: the most typical training curve of the true and of the predicted "
        "class; middle: the curve the model got wrong, with what the simulator knows about "
        "it. Colours are the test segments (as on the Indentation curve page); yellow marks "
        "the points a pop-in or elbow changed."
    )

st.header("Random against spatially blocked cross-validation")
if task != "phase":
    st.info(
        "This comparison needs an indent map, whose neighbouring indents can sit on both "
        "sides of a random split: choose the task **Phase from curve** in the sidebar."
    )
else:
    leak = run.extra("leakage")
    if leak.value is None:
        st.warning(f"**No comparison on this map.** {leak.message}")
    else:
        result = leak.value
        maps = st.columns(2, gap="medium")
        maps[0].altair_chart(charts.fold_map(result.random_frame, "Random k-fold"), width="content")
        maps[1].altair_chart(
            charts.category_map(
                result.buffered_frame, "role", list(leakage_charts.ROLE_COLOURS),
                list(leakage_charts.ROLE_COLOURS.values()), "Buffered spatial split, fold 1",
                "Fold 1", charts.FOLD_MAP_PX, legend_columns=1,
            ),
            width="content",
        )  # fmt: skip
        left, right = st.columns(2, gap="large")
        rows = leakage_tables.leakage_rows(result.model)
        left.altair_chart(leakage_charts.gap_chart(rows), width="stretch")
        right.altair_chart(
            leakage_charts.variogram_chart(leakage_tables.variogram_frame(result.blocks)),
            width="stretch",
        )
        st.caption(leakage_notes.blocks_caption(result))
        if "day" in made.truth:
            st.altair_chart(leakage_charts.instrument_chart(made.truth), width="stretch")
            st.caption(leakage_notes.instrument_caption(made.truth))
        st.dataframe(
            rows,
            hide_index=True,
            column_config={
                c: st.column_config.NumberColumn(
                    format="%+.3f" if "gap" in c or c == "leakage" else "%.3f"
                )
                for c in rows.columns
                if c != "split"
            },
        )
        st.caption(
            "Each score ± its interval: 2 standard errors by the corrected resampled variance "
            "of Nadeau & Bengio (2003), which counts the overlap of the folds' training sets "
            f"({cached_leakage.REPEATS} repeats). The null shuffles the curves among the "
            "indents of the same class: it keeps where each class is and removes anything "
            "neighbours share beyond their label. Leakage is the gap minus the null's gap."
        )
        instrument = leakage_notes.instrument_changes(run.data["options"].get("session"))
        for note in leakage_notes.leakage_notes(result, instrument):
            st.info(note)

        st.subheader("The same measurement on independent maps")
        st.markdown(
            "One map has few blocked folds (a three-day map has three per-day folds), so its "
            "interval can be wider than the leakage. Measure the same settings on several "
            "independent maps: the spread over maps gives a valid interval (Nadeau & Bengio "
            "2003). To see tip wear at work: cement paste (its LD and HD C-S-H overlap), three "
            "days, engineered curve features and k-nearest neighbours; measure with the wear "
            "off, then at a few rates up to the largest."
        )
        n_maps, asked = instrument_widgets.more_maps_controls(cached_leakage.MORE_MAPS)
        request = cached_leakage.over_maps_request(run.data, run.model, n_maps, result.blocks)
        if asked:
            st.session_state["cls_more_maps"] = request
        if st.session_state.get("cls_more_maps") == request:
            try:
                with st.spinner(f"Measuring on {n_maps} maps, one comparison per map..."):
                    per_map = cached_leakage.leakage_over_maps(**request)
            except ValueError as error:
                st.warning(f"**No measurement on more maps.** {error}")
            else:
                summary = summarise_over_maps(per_map)
                st.altair_chart(leakage_charts.over_maps_chart(per_map, summary), width="stretch")
                st.dataframe(
                    leakage_tables.over_maps_rows(summary),
                    hide_index=True,
                    column_config={
                        "leakage": st.column_config.NumberColumn(format="%+.3f"),
                        **{
                            c: st.column_config.NumberColumn(format="%.3f")
                            for c in ("random k-fold", "± random", "blocked", "± blocked",
                                      "± leakage", "most frequent class")
                        },
                    },
                )  # fmt: skip
                for note in leakage_notes.over_maps_notes(summary, result.model, instrument):
                    st.info(note)
                if asked:
                    log = st.session_state.get("cls_wear_log", {})
                    st.session_state["cls_wear_log"] = wear_log.record(log, request, summary)
        else:
            st.caption("Not measured yet for these settings: press the button.")
        measured = wear_log.log_frame(st.session_state.get("cls_wear_log", {}), request)
        if measured["wear"].nunique() >= 2:
            st.altair_chart(leakage_charts.wear_log_chart(measured), width="stretch")
        elif not measured.empty:
            st.caption(
                "Measure again at another tip-wear rate, every other setting unchanged: each "
                "measurement joins a chart of the leakage against the wear."
            )

if task == "confounded":
    st.header("Clever Hans check: a new lab")
    scores = tables.clever_hans_scores(run.extras)
    left, right = st.columns(2, gap="large")
    if scores is not None:
        bar = exercise.exercise_bar(run.data["options"])
        left.altair_chart(charts.clever_hans_chart(scores, bar), width="stretch")
    else:
        left.warning(f"**No clean-test check.** {run.extra('clean').message}")
    right.altair_chart(charts.drift_by_class_chart(tables.drift_frame(made), made.classes))
    right.caption(
        "The truth of the confound: in training the class goes with the day, and the day "
        "with its drift rate; in the clean test set it does not."
    )

st.subheader("What to notice")
for note in notes.classify_notes(run.data, made, ev, run.extras, scored):
    st.info(note)

st.subheader("Exercise: make the model generalise to the clean test set")
st.markdown(
    "On the **Clever Hans** task the aged material is only slightly harder than the "
    "as-received one, but in the training lab most aged curves were measured on a day with "
    "strong thermal drift. **1.** Train a model that a random split flatters: high accuracy "
    "on held-out curves of the same days, much lower on the **clean test set** (new days, "
    "drift unrelated to the class). **2.** Find a representation and a model whose "
    "clean-test accuracy reaches the bar: half-way from chance to the best any model can do, "
    "given the hardness difference and its scatter."
)
status, message = exercise.exercise_check(
    run.data,
    tables.clever_hans_scores(run.extras),
    exercise.fooled_in_session(session.runs(PAGE)),
    scoring.clean_test_scored(run.extras),
    sum(r.data["task"] == "confounded" for r in session.runs(PAGE)),
)
{"done": st.success, "hint": st.warning, "other": st.info}[status](message)
if status != "other":
    progress.record("supervised.clever_hans", status == "done", progress.describe(run.model))

with st.expander(f"Your trained models in this session ({len(session.runs(PAGE))})"):
    st.dataframe(
        tables.runs_table(
            session.runs(PAGE),
            run.number,
            lambda r: cached.scored(r.data, cached.evaluation_key(r.model)),
        ),
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(format="%.3f")
            for c in (
                "accuracy",
                "± (95 %)",
                "baseline",
                "clean-test accuracy",
                "clean-test ± (95 %)",
                "clean-test baseline",
            )
        }
        | {
            "trained in (s)": st.column_config.NumberColumn(format="%.1f"),
        },
    )
    st.caption(
        "Each run keeps its fitted model in your session only (other learners never see it); "
        "scores are shared: the same settings give the same scores for everyone."
    )

path.next_link("app_pages/classify_curves.py")
