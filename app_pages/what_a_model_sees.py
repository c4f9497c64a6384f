"""What a model sees: a curve as a few extracted numbers (features) or as one long vector."""

import streamlit as st

from learners.supervised.separability import check_pair
from ui.common import attempts, path, progress
from ui.model_sees import cached, charts, exercise, notes, tables, widgets

st.title("What a model sees")
st.markdown(
    "**What you will learn.** A model never sees *a curve* the way you do. It sees either a "
    "few numbers extracted from each curve (**features**: Oliver-Pharr H and E, energies, "
    "Kick's C, pop-in, creep, drift ...) or the whole curve resampled into one long row of "
    "numbers (a **representation**). Here you take labelled simulated curves and see both "
    "side by side: which features separate the classes, what the full-curve matrix looks "
    "like, what its principal components keep, and how well a model does on each. Set the "
    "task in the sidebar; the link in your address bar keeps the settings."
)

with st.sidebar:
    st.header("Curves")
    data = widgets.data_controls()
    st.header("Full-curve representation")
    curve = widgets.curve_controls()

try:
    made = cached.dataset(data)
except ValueError as err:
    st.error(f"**These curves cannot be simulated.** {err}")
    st.stop()
counts = cached.class_counts(data)
problems = tables.input_problems(counts, cached.FOLDS)
if problems:
    st.error("**Nothing to compare on these curves.**\n\n- " + "\n- ".join(problems))
    st.stop()
classes = list(made.classes)
st.info(notes.truth_text(made))

st.header("1. Features: a few numbers per curve")
table = cached.feature_table(data)
singles, pairs = cached.separability(data)
x, y = widgets.feature_pair_controls()
left, right = st.columns([3, 2], gap="medium")
if x == y:
    left.warning(
        "**Pick two different features** for the scatter: one feature against itself is a "
        "line and tells nothing about how two numbers together separate the classes."
    )
else:
    left.altair_chart(
        charts.feature_scatter(
            table, x, y, widgets.FEATURE_LABELS[x], widgets.FEATURE_LABELS[y], classes
        ),
        width="stretch",
    )
    note = notes.missing_note(table, x, y)
    if note:
        left.caption(note)
with right:
    st.markdown("**Every feature: what it measures, where it comes from, how well it "
                "separates the classes alone**")  # fmt: skip
    st.dataframe(
        tables.feature_guide(singles, int(counts.sum()), tables.chance_level(counts)),
        hide_index=True,
        height=360,
        column_order=("feature", "accuracy alone", "95 % interval", "baseline",
                      "against the baseline", "comes from", "what it measures"),
        column_config={
            "accuracy alone": st.column_config.ProgressColumn(
                "accuracy alone", format="%.2f", min_value=0.0, max_value=1.0,
                help="Cross-validated accuracy (fraction) of a linear discriminant that sees "
                "only this feature (and whether it is missing), 5-fold.",
            ),
            "95 % interval": st.column_config.TextColumn(
                help="Wilson interval of the accuracy over the curves scored."
            ),
            "baseline": st.column_config.NumberColumn(
                format="%.2f", help="Accuracy of always answering the most common class."
            ),
        },
    )  # fmt: skip
with st.expander(f"The feature table a feature model receives ({len(table)} curves)"):
    st.dataframe(
        tables.features_frame(table),
        height=300,
        column_config={c: st.column_config.NumberColumn(format="%.4g")
                       for c in widgets.FEATURE_LABELS.values()},
    )  # fmt: skip
    st.caption("Empty cells: the feature does not exist on that curve (no pop-in found, no "
               "hold) or the analysis failed there.")  # fmt: skip

st.header("2. The full curve: one long row of numbers per curve")
if not curve["branches"]:
    st.warning("**Choose at least one part of the curve** in the sidebar (loading, hold, "
               "unloading, drift hold): a representation of no part is empty.")  # fmt: skip
    st.stop()
r = cached.resampled(data, curve)
st.markdown(notes.shape_text(r, curve))
colour = widgets.heatmap_control()
left, right = st.columns(2, gap="medium")
heat, colour_title = tables.heatmap_frame(r, classes, colour, curve["on"])
if heat.empty:
    left.info("The measured view shows the loading and unloading branches: choose one of "
              "them in the sidebar, or switch to the standardised colour.")  # fmt: skip
else:
    left.altair_chart(
        charts.matrix_heatmap(heat, classes, colour_title, colour == "standardised"),
        width="stretch",
    )
lines = tables.lines_frame(r, curve["on"])
if lines.empty:
    right.info("No loading or unloading branch chosen: the line chart draws those two.")
else:
    right.altair_chart(charts.branch_lines(lines, curve["on"], classes), width="stretch")
st.caption(
    "Left: the matrix, one row per curve (sorted by class, colour strip), one column per "
    "value. Right: the same loading (solid) and unloading (dashed) values drawn as curves. "
    "Where the colours of the classes differ in a column, that value carries the label."
)

st.header("3. Principal components of the full curve")
n_components = widgets.pca_control(r.shape[1])
pca = cached.curve_pca(data, curve)
left, right = st.columns(2, gap="medium")
left.altair_chart(charts.variance_chart(pca.explained, n_components), width="stretch")
right.altair_chart(charts.pc_scatter(pca.scores, pca.explained, classes), width="stretch")
st.caption(
    f"PCA of the {r.shape[1]} standardised values: each component is a fixed pattern of "
    "changes along the curve; a curve becomes its scores on the first few. The PCA model "
    f"below keeps {n_components}. A class that differs in a small part of the curve (a "
    "pop-in) can hide in a component that explains little variance."
)

st.header("4. What each representation lets a model do")
model = widgets.model_control()
try:
    with st.spinner("Cross-validating four models ..."):
        comparison = cached.comparison(data, curve, n_components, model)
except ValueError as err:
    st.error(
        f"**These settings cannot be scored.** {err} Each training fold holds 4/5 of the "
        "curves: keep fewer principal components than that, or simulate more curves."
    )
    st.stop()
chance = tables.chance_level(counts)
left, right = st.columns([3, 2], gap="medium")
left.altair_chart(charts.comparison_chart(comparison, chance), width="stretch")
right.dataframe(
    tables.comparison_table(comparison),
    hide_index=True,
    column_config={
        "representation": st.column_config.TextColumn(width="medium"),
        "CV accuracy": st.column_config.NumberColumn(format="%.3f"),
        "95 % interval": st.column_config.TextColumn(
            help="Wilson interval of the accuracy over the curves tested."
        ),
        "baseline": st.column_config.NumberColumn(
            format="%.3f",
            help="Accuracy of always answering the training folds' most common class, "
            "on the same folds.",
        ),
        "± sd": st.column_config.NumberColumn(
            format="%.3f", help="Standard deviation of the accuracy over the folds."
        ),
    },
)
right.caption(
    f"{widgets.MODELS[model]}, stratified {cached.FOLDS}-fold cross-validation: every step "
    "(imputer, scaler, PCA, model) is fitted on the training folds only and scored on the "
    f"curves it never saw. Baseline (always the most common class, red line): {chance:.2f}; "
    "a score whose 95 % interval reaches it is no better than guessing. Values: numbers per "
    "curve the model gets, missing-value flags included; bars: the 95 % Wilson interval."
)

st.subheader("What to notice")
for text in notes.notes(data["task"], singles, comparison, chance, widgets.MODELS[model]):
    st.info(text)

st.subheader("Exercise: which two features separate the classes best?")
st.markdown(
    f"A model that gets only two numbers per curve: which two would you give it for the "
    f"task *{widgets.TASKS[data['task']][2]}*? Use the scatter and the table above, then "
    f"pick your pair. The page checks it against all {len(pairs)} pairs, each scored by a "
    "linear discriminant in 5-fold cross-validation on these curves. (The best of so many "
    "cross-validated scores flatters its pair a little: fine for ranking pairs, not as a "
    "promise for new curves.)"
)
a, b = widgets.exercise_controls()
check = check_pair(pairs, (a, b)) if a is not None and b is not None and a != b else None
exercise_id = f"sees_pair:{data['task']}:{data['n']}:{data['seed']}"
tries = (
    attempts.record(exercise_id, tuple(sorted((a, b)))) if check else attempts.tries(exercise_id)
)
shown = attempts.answer_button(exercise_id, "sees_ex_show")
kind, message = exercise.exercise_feedback(
    check,
    a,
    b,
    data["task"],
    pairs,
    tries=tries,
    shown=shown,
    chance=chance,
    n_curves=int(counts.sum()),
)
{"info": st.info, "warning": st.warning, "success": st.success}[kind](message)
if kind != "info":
    progress.record("model_sees.feature_pair", kind == "success", f"{a} + {b}")

path.next_link("app_pages/what_a_model_sees.py")
