"""Indentation curve: simulate one test, analyse it with Oliver-Pharr, compare with the truth."""

import math

import pandas as pd
import streamlit as st

from ui.common import attempts, path, progress
from ui.curve import cached, charts, exercise, notes, tables, widgets

#: Pile-up of the exercise: true area / Oliver-Pharr area - 1.
EXERCISE_PILEUP = exercise.EXERCISE_PILEUP

st.title("Indentation curve")
st.markdown(
    "**What you will learn.** What each part of a load-displacement curve means, how the "
    "Oliver-Pharr analysis turns it into hardness H and modulus E, and how each experimental "
    "artefact or material effect moves that answer away from the truth. Every curve here is "
    "simulated, so the true H and E are known. Set the sample, tip, protocol and defects in "
    "the sidebar; the link in your address bar keeps all settings, so you can share it."
)

with st.sidebar:
    settings = widgets.curve_controls()
    options = widgets.analysis_controls()

try:
    curve = cached.simulate(settings)
    op = cached.analyse(settings, options)
    other_op = None  # with creep: the analysis with the creep correction the other way round
    if curve.truth["creep_nm"] > 0 or curve.truth["creep_unloading_nm"] > 0:
        flipped = {**options, "creep_correction": not options["creep_correction"]}
        other_op = cached.analyse(settings, flipped)
except ValueError as err:
    st.error(f"**These settings cannot be simulated or analysed.** {err}")
    st.stop()
if not op["ok"]:
    st.warning(f"**The Oliver-Pharr analysis failed on this curve:** {op['reason']}")

# one under the other: side by side on a 1024 px laptop the P-h legends squeezed the plot
# and the h-t title was cut (tests/test_browser_layout.py)
st.altair_chart(charts.load_displacement_chart(curve, op, options), width="stretch")
st.altair_chart(charts.depth_time_chart(curve), width="stretch")
st.caption(
    "Colours: test segments. Black: the Oliver-Pharr fit over its fit range, extended to h_f, "
    "and the tangent whose slope is S. Open symbols: where each defect starts, named with its "
    "true size in the legend; yellow: the points a pop-in or elbow changed. Drag to pan, "
    "scroll to zoom, double-click to reset."
)

st.subheader("Oliver-Pharr against the truth")
st.dataframe(
    # "–" where a % error means nothing (a near-zero true depth); the column stays numeric
    tables.comparison_table(curve.truth, op, other_op, options["creep_correction"]).style.format(
        {"true": "{:.4g}", "Oliver-Pharr": "{:.4g}", "error (%)": "{:+.2f}"}, na_rep="–"
    ),
    hide_index=True,
    column_config={
        "error (%)": st.column_config.NumberColumn(
            help="(Oliver-Pharr − true) / true in %. '–' for a depth whose true value is "
            "below 5 % of the true h_max (such as h_f of an elastic contact): a fraction of "
            "a nm off almost 0 nm is no meaningful %."
        ),
    },
)
if tables.hardness_differs(curve.truth):
    st.info(notes.hardness_note(curve.truth))
downloads = st.container(horizontal=True)  # each button as wide as its label: none cut
downloads.download_button(
    "Download the curve (CSV)",
    curve.to_frame().to_csv(index=False),
    file_name="indentlab_curve.csv",
    mime="text/csv",
    on_click="ignore",
    help="Columns t_s (s), h_nm (nm), P_mN (mN), segment.",
)
downloads.download_button(
    "Download the truth (CSV)",
    pd.DataFrame([curve.truth]).to_csv(index=False),
    file_name="indentlab_truth.csv",
    mime="text/csv",
    on_click="ignore",
    help="One row: material, tip, true contact at P_max and each defect's size, with units.",
)

st.subheader("What to notice")
for note in notes.what_to_notice(settings, curve.truth, op, options, other_op):
    st.info(note)

st.subheader("Exercise: how far does pile-up fool Oliver-Pharr?")
st.markdown(
    f"Soft metals such as annealed copper pile up around the indent: the true contact area "
    f"is larger than the one Oliver-Pharr computes from h_c. Suppose the true area is "
    f"**{100 * EXERCISE_PILEUP:.0f} % larger**. Before you set *Pile-up* to "
    f"{100 * EXERCISE_PILEUP:.0f} % in the sidebar, guess: by how many % will Oliver-Pharr "
    "overestimate H, and the reduced modulus E_r?"
)
laws = exercise.pileup_laws(EXERCISE_PILEUP)
measured = dict.fromkeys(laws, math.nan)  # the app's own analysis of this curve piled up
piled = cached.with_defects(settings, pileup_area_excess=EXERCISE_PILEUP)
try:
    piled_op, piled_truth = cached.analyse(piled, options), cached.simulate(piled).truth
    measured["H"] = tables.percent_error(piled_op["H_GPa"], piled_truth["H_at_Pmax_GPa"])
    measured["E_r"] = tables.percent_error(piled_op["Er_GPa"], piled_truth["Er_GPa"])
except ValueError:
    pass  # these settings cannot be piled up (e.g. an elastic sphere contact): law only
answer_shown = attempts.answer_button("curve_pileup", "curve_ex_show")
for column, quantity in zip(st.columns(2), laws, strict=True):
    guess = column.number_input(
        f"{quantity} too high by (%)",
        value=None,
        step=1.0,
        key=f"guess_{quantity}_pct",
        placeholder="your guess in %",
        help=f"How many % above the true {quantity} will the Oliver-Pharr value be?",
    )
    exercise_id = f"curve_pileup_{quantity}"
    tries = attempts.record(exercise_id, guess) if guess is not None else 0
    shown = answer_shown or tries >= exercise.TRIES_BEFORE_ANSWER
    if guess is not None:
        correct, message = exercise.check_guess(
            guess, laws[quantity], measured[quantity], quantity=quantity, tries=tries, shown=shown
        )
        (column.success if correct else column.warning)(message)
        progress.record(f"curve.pileup_{quantity}", correct, f"{guess:+g} %")
with st.expander("Why? (open after guessing)"):
    st.markdown(
        "Oliver-Pharr computes A from h_c, but the load is carried by (1 + x) A. So "
        "H = P_max / A comes out (1 + x) times too high, and since E_r ∝ S / √A, the "
        "reduced modulus √(1 + x) times too high: for x = 0.30 that is +30 % and +14 %. The "
        "sample's E is further off still, the more so the stiffer the sample, because the "
        "diamond's own compliance is subtracted from 1 / E_r."
    )

path.next_link("app_pages/indentation_curve.py")
