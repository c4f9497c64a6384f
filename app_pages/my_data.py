"""My own data: upload or paste your own load-displacement curves and analyse them."""

import streamlit as st

from learners.reading import CurveFileError, plausibility_notes
from ui.common import attempts, path, progress
from ui.my_data import (
    cached,
    calibration_widgets,
    charts,
    exercise,
    notes,
    tables,
    tip_widgets,
    widgets,
)

NUMBER = st.column_config.NumberColumn(format="%.4g")
SAMPLE_EXERCISE_CURVE = "fused silica"
GUESS_ID = "my_data.hardness"

st.title("My own data")
st.markdown(
    "**What you will learn.** How your own instrument's curves go through the same analysis "
    "as the simulated ones: how an export (text, Hysitron, Excel workbook, zip) becomes load "
    "and displacement arrays, where contact is, what Oliver-Pharr makes of every unloading "
    "(H, E, the stiffness S, the contact depth h_c), how a lab calibrates its tip's area "
    "function and frame compliance, where the pop-ins are, and which warning signs to look "
    "for before you trust the numbers (failed fits, odd unloading exponents, pile-up, creep)."
)
st.caption(
    "**Your data:** your file is sent to this app's server and kept in memory for your "
    "session (and in a small cache of recent analyses); it is never written to disk or shown "
    "to other learners."
)

with st.sidebar:
    st.subheader("Analysis")
    options = tip_widgets.analysis_options()

st.subheader("Your curves")
source = widgets.data_source()
if source.error:
    kept = " The files loaded before are still analysed below." if source.files else ""
    st.error(f"**Cannot read this upload.** {source.error}{kept}")
st.caption(
    f"Reads {tables.SUPPORTED_TEXT}; several files at once. Text tables: one row per data "
    "point; several curves in one file need a column that names the curve of each row. "
    "Workbooks: one test per sheet (KLA / Keysight exports as they are)."
)
with st.expander("Calibrate your tip (area function and frame compliance)"):
    calibration_widgets.calibration_section(options)
if source.files is None:
    if source.kind == widgets.PASTE:
        st.warning(
            "**The text box is empty.** Copy the columns (with their header row) from your "
            "spreadsheet and paste them above, or press *Use the sample data*."
        )
    else:
        st.info(
            "**No data yet.** Upload the files your instrument exported (text, Hysitron, "
            "Excel, zip), choose *Paste columns* to paste from a spreadsheet, press *Use the "
            "sample data* to see the page at work on three simulated curves, or choose *Real "
            "curves* for real measurements."
        )
    st.stop()

columns = None
if source.one_table:
    try:
        table = cached.read(source.data)
    except CurveFileError as err:
        st.error(f"**Cannot read {source.label}.** {err}")
        st.stop()
    st.caption(notes.read_summary(table, source.label))
    with st.expander("The first rows, as read"):
        st.dataframe(table.frame.head(20), hide_index=True)
    st.subheader("Which column is what")
    columns = widgets.column_controls(table)
try:
    analysed = cached.analyse(source.files, columns, options)
except ValueError as err:  # CurveFileError, or impossible options such as C0 = 0
    st.error(f"**These columns and settings do not give curves to analyse.** {err}")
    st.stop()
curves, features = analysed.curves, analysed.features
if columns is None:
    st.caption(notes.files_summary(curves, source.label))
    if curves.skipped:
        st.warning(notes.skipped_files(curves.skipped))
    for note in curves.notes:
        st.caption(note)
st.caption(notes.contact_summary(curves.contact))
with st.expander("Contact: what was found on each curve"):
    st.dataframe(tables.contact_table(curves.names, curves.contact), hide_index=True)
if curves.dropped_rows:
    st.warning(
        f"**{curves.dropped_rows:,} rows were left out**: a chosen column had no number in "
        "them (an empty cell, text, or a missing curve id)."
    )
for note in plausibility_notes(curves, features):
    st.warning(note)
if analysed.drift_skipped:
    st.warning(
        "**Thermal drift was not corrected:** that needs a time column. Choose one above, or "
        "untick *Correct thermal drift*."
    )
elif analysed.drift_unmeasured:
    n = analysed.drift_unmeasured
    st.warning(
        f"**Thermal drift could not be measured on {n} curve{'s' * (n != 1)}:** no hold at "
        "low load (a pause of some seconds near the end of the unloading, where the "
        "displacement the instrument still records is drift). "
        f"{'These curves are' if n != 1 else 'This curve is'} analysed without the correction."
    )

if analysed.creep_skipped:
    st.warning(
        "**Creep was not corrected:** Feng & Ngan's correction needs the creep rate at the end "
        "of the hold, so a time column. Choose one above, or untick *Creep correction*."
    )

st.caption(notes.settings_summary(options, curves, analysed.drift_unmeasured))
popins = cached.popins(source.files, columns)
result_table = tables.results_table(curves.names, features, curves.n_points, popins)
stats = tables.summary(features)
st.subheader("Load-displacement curves")
index = widgets.curve_choice(curves.names)
op = features.iloc[index].to_dict()
frame = charts.curve_frame(
    curves.h_nm[index], curves.P_mN[index], None if curves.t_s is None else curves.t_s[index]
)
chart = charts.curve_chart(
    frame,
    curves.names[index],
    op,
    options,
    has_time=curves.t_s is not None,
    popins=popins[popins["curve"] == index],
)
if curves.n_curves > 1 and stats["n_ok"]:
    left, right = st.columns([7, 5], gap="medium")
    left.altair_chart(chart, width="stretch")
    right.altair_chart(charts.he_scatter(result_table, curves.names[index]), width="stretch")
else:
    st.altair_chart(chart, width="stretch")
st.caption(
    "Colours: loading up to the peak load, then unloading. Black: the Oliver-Pharr power-law "
    "fit over its fit range, extended to h_f, and the tangent whose slope is S. Red "
    "triangles: the onsets of the pop-ins found. Drag to pan, scroll to zoom, double-click "
    "to reset."
)
if not op["ok"]:
    st.warning(f"**Oliver-Pharr failed on {curves.names[index]}:** {op['reason']}")

st.subheader("Oliver-Pharr results")
# the sample (chosen, or its file uploaded or pasted back) holds three materials on purpose
is_sample = source.kind == widgets.SAMPLE or source.data == widgets.sample_bytes()
several_materials = is_sample
metrics = st.columns([1, 1, 2] if several_materials else 4)
metrics[0].metric("Curves", stats["n"])
metrics[1].metric("Analysed", stats["n_ok"])
if several_materials:
    metrics[2].info(
        "The sample holds **three different materials** (fused silica, copper, tungsten): "
        "a mean H or E over them would mean nothing, so compare the rows. One Poisson's "
        f"ratio ν (now {options['nu']:.2f}) is used for all curves, but fused silica's is "
        "0.17: set ν to 0.17 to see its E ≈ 72 GPa (the metals' E then rises by about 7 %)."
    )
else:
    for column, quantity in zip(metrics[2:], ("H", "E"), strict=True):
        column.metric(
            f"Mean {quantity} ± sd (GPa)",
            tables.plus_minus(stats[f"{quantity}_mean"], stats[f"{quantity}_sd"]),
            help=f"Mean and standard deviation of {quantity} over the analysed curves; "
            "meaningful only when they were all made on one material.",
        )
st.dataframe(
    result_table,
    hide_index=True,
    column_config={label: NUMBER for label in tables.RESULT_COLUMNS},
)
st.download_button(
    "Download the results (CSV)",
    result_table.to_csv(index=False),
    file_name="indentlab_my_results.csv",
    mime="text/csv",
    on_click="ignore",
    key="mydata_results_download",
    help="One row per curve: H and E (GPa), E_r (GPa), S (mN/nm), depths (nm), P_max (mN), "
    "the unloading exponent m, h_f/h_max, pop-in load (mN) and size (nm), creep (nm), ok "
    "and the reason a curve failed.",
)

st.subheader("Pop-ins found")
if len(popins):
    st.dataframe(
        tables.popin_table(curves.names, popins),
        hide_index=True,
        column_config={label: NUMBER for label in tables.POPIN_COLUMNS},
    )
st.caption(notes.popin_caption(popins, curves.n_curves))

if options["radius_nm"] is not None:
    st.subheader("Hertz fit of the elastic loading, beside Oliver-Pharr")
    hertz = cached.hertz(source.files, columns, options["radius_nm"], options["nu"])
    hertz_table = tables.hertz_table(curves.names, features, hertz)
    st.dataframe(hertz_table, hide_index=True, column_config=dict.fromkeys(hertz_table, NUMBER))
    st.caption(notes.HERTZ_CAPTION)
    cone = notes.conosphere_warning(options, features)
    if cone:
        st.warning(cone)
else:
    hertz = None

st.subheader("Every unloading: H and E against depth")
cycle_rows = tables.cycle_table(curves.names, cached.cycles(source.files, columns, options))
chosen = widgets.cycle_choice(sorted(set(cycle_rows["cycle"])))
shown = cycle_rows[cycle_rows["cycle"].isin(chosen) & cycle_rows["used"]]
left, right = st.columns(2)
left.altair_chart(charts.cycle_chart(shown, "H (GPa)"), width="stretch")
right.altair_chart(charts.cycle_chart(shown, "E (GPa)"), width="stretch")
st.caption(notes.cycles_caption(cycle_rows))
left_out = cycle_rows[~cycle_rows["used"]]
if len(left_out):
    st.warning(notes.left_out(left_out))

if source.kind == widgets.REAL:
    st.subheader("No truth for real data")
    st.info(notes.no_truth(source.real, features, popins, hertz))
    if curves.vendor is not None:
        st.caption("The vendor's own results, from the workbook's Results sheet:")
        st.dataframe(curves.vendor, hide_index=True)

st.subheader("What to notice")
for kind, note in notes.what_to_notice(
    curves.names,
    features,
    several_materials=several_materials,
    creep_option=True,
    popins=popins,
):
    getattr(st, kind)(note)

st.subheader("Exercise: hardness by hand")
if not is_sample or SAMPLE_EXERCISE_CURVE not in curves.names:
    st.markdown(
        "Press *Use the sample data* above: the exercise works on the sample's fused-silica curve."
    )
else:
    target = result_table.set_index("curve").loc[SAMPLE_EXERCISE_CURVE]
    answer = exercise.exercise_hardness(float(target["P_max (mN)"]), float(target["h_c (nm)"]))
    st.markdown(
        "Take the **fused silica** row of the table and work out its hardness yourself from "
        f"P_max = {target['P_max (mN)']:.4g} mN and h_c = {target['h_c (nm)']:.4g} nm, with "
        "the area of an ideal Berkovich, A = 24.5 h_c². Mind the units: 1 mN/nm² = 10⁶ GPa."
    )
    if len(options["area"]) > 1:
        st.caption(
            "Your calibrated area function is on, so the table's H uses it; the exercise "
            "still asks for the ideal Berkovich's A = 24.5 h_c² and checks against that."
        )
    guess = st.number_input(
        "Hardness H of fused silica (GPa)",
        value=None,
        step=0.1,
        key="mydata_guess_H",
        placeholder="your value in GPa",
        help="H = P_max / A in GPa, from the fused-silica row, with A = 24.5 h_c² (nm²); "
        "within 10 % of P_max / (24.5 h_c²) counts as right.",
    )
    tries = attempts.record(GUESS_ID, guess) if guess is not None else 0
    shown = attempts.answer_button(GUESS_ID, "mydata_ex_show")
    if guess is not None:
        correct, message = exercise.check_hardness(guess, answer, tries=tries, shown=shown)
        (st.success if correct else st.warning)(message)
        progress.record("my_data.hardness", correct, f"{guess:g} GPa")
    elif shown:
        st.info(f"The answer: P_max / (24.5 h_c²) = {answer:.3g} GPa (you asked for it).")

path.next_link("app_pages/my_data.py")
