"""Find bad curves: unsupervised anomaly detectors on a campaign whose bad curves are known."""

import streamlit as st

from ui.anomalies import cached, charts, exercise, notes, tables, widgets
from ui.common import path, progress, score_text

st.title("Find bad curves")
st.markdown(
    "**What you will learn.** Real campaigns hold bad curves: surface not found, thermal "
    "drift, cracks, pore hits, pop-ins where none belong. Here a campaign is simulated with "
    "a share of such defects whose type, size and exact points are known, and an "
    "*unsupervised* detector (it never sees the truth) gives every curve an anomaly score. "
    "You will see which detectors find which defects and which they miss, how much the "
    "inputs (physical features, the whole curve, its rate) decide that, how a threshold "
    "trades caught defects against false alarms, and why *unusual* is not the same as "
    "*wrong*. Settings live in the URL: copy the address to share them."
)

with st.sidebar:
    st.header("Campaign")
    data = widgets.campaign_controls()
    st.header("Detector")
    detector = widgets.detector_controls()
    st.header("Threshold")
    rule = widgets.threshold_controls()

problems = notes.input_problems(data, detector)
if problems:
    st.error("\n\n".join(problems))
    st.stop()
try:
    detection = cached.detect(data, detector)
except ValueError as err:
    st.error(f"**These settings cannot be simulated or scored.** {err}")
    st.stop()

truth, score = detection.truth, detection.score
threshold = tables.threshold_value(score, rule)
flagged = score > threshold
summary = tables.summary(truth, score, flagged)
group = tables.groups(truth)
for message in notes.data_warnings(data, summary):
    st.warning(message)

inputs = widgets.representation_label(detector["representation"])
st.caption(
    f"Campaign: {summary['n']} indents on {notes.campaign_sample(truth)}, "
    f"{summary['n_defect']} with a "
    f"defect, {summary['n_rare']} rare but physical. Detector: "
    f"{widgets.DETECTORS[detector['method']]} on {inputs} "
    f"({len(detection.input_names)} inputs per curve); {summary['n_flagged']} curves flagged "
    f"(score > {threshold:.4g})."
)
rates = tables.scored(truth, score, flagged)
m = [*st.columns(3), *st.columns(3)[:2]]  # room for each interval and baseline
score_text.metric(
    m[0],
    "Defects caught",
    rates["recall"],
    "Recall: share of the defective curves that are flagged "
    f"({summary['caught']} of {summary['n_defect']}; Wilson interval).",
    "anomaly",
    percent=True,
)
score_text.metric(
    m[1],
    "ROC-AUC",
    rates["roc_auc"],
    "Probability that a random defective curve scores above a random non-defective one "
    "(good or rare): 1 perfect, 0.5 chance. It does not depend on the threshold (bootstrap "
    "interval over the curves).",
    "anomaly",
    digits=2,
)
score_text.metric(
    m[2],
    "False alarms",
    rates["false_alarm_rate"],
    f"False alarms: {summary['false_alarms']} of {summary['n_good']} good curves (rare but "
    "physical curves not counted) would be thrown away (Wilson interval; lower is better).",
    "anomaly",
    percent=True,
)
m[3].metric(
    "Rare flagged",
    f"{summary['rare_flagged']} of {summary['n_rare']}",
    help="Unusual but physical curves (pop-in in a clean grain, hard inclusion) the detector "
    "flags: not defects, but material behaviour.",
)
score_text.metric(
    m[4],
    "Flag precision",
    rates["precision"],
    "Share of the flagged curves that really are defective (Wilson interval).",
    "anomaly",
    percent=True,
)
if note := notes.equal_counts_note(summary):
    st.info(note)

hist, log = tables.histogram_frame(group, score)
st.altair_chart(charts.score_histogram(hist, log, threshold), width="content")
st.caption(
    "One row per truth group, each with its own count axis: a handful of defects is as "
    "visible as hundreds of good curves. A detector separates a group well when that row "
    "sits to the right of the good row. Hover a bar for its score range."
)

st.subheader("Caught and missed, by defect type")
table = None
if summary["n_defect"]:
    table = tables.type_table(truth, score, threshold, detection.peak_in_region)
    st.dataframe(
        table,
        hide_index=True,
        placeholder="–",  # no size for "all defects": a dash, not "None"
        column_config={
            "recall (%)": st.column_config.NumberColumn(format="%.0f"),
            "baseline recall (%)": st.column_config.NumberColumn(format="%.0f"),
            "ROC-AUC": st.column_config.NumberColumn(format="%.2f"),
            "baseline ROC-AUC": st.column_config.NumberColumn(format="%.2f"),
            "avg. precision": st.column_config.NumberColumn(format="%.2f"),
            "baseline avg. precision": st.column_config.NumberColumn(format="%.2f"),
            "size caught (median)": st.column_config.NumberColumn(format="%.3g"),
            "size missed (median)": st.column_config.NumberColumn(format="%.3g"),
            "residual peak in truth (%)": st.column_config.NumberColumn(format="%.0f"),
        },
    )
    st.caption(
        "ROC-AUC and average precision score each type against the non-defective curves "
        "over every threshold; recall, caught and missed are at your threshold. 95 % "
        "intervals: Wilson for recall, bootstrap over the curves for the others. Baseline: "
        "flag the same number of curves at random (recall = the share flagged, ROC-AUC "
        "0.5, average precision = the type's share of the curves compared); a score whose "
        f"interval reaches it is {score_text.GUESSING}. Sizes are the true |size| in the "
        "type's unit: missed defects are usually the small ones."
    )
else:
    st.info("No defective curves: nothing to tabulate. Raise *Defective curves (%)*.")

with st.expander("Pop-ins found by the pop-in finder, against the truth"):
    found, popin_truth = cached.popins_found(data)
    counts, popin_table = tables.popin_check(found, popin_truth)
    p = st.columns(4)
    p[0].metric("True pop-ins", counts["true"], help="Pop-ins the simulator put in (truth).")
    p[1].metric(
        "Found",
        f"{counts['matched']} of {counts['true']}",
        help="True pop-ins found with the onset load within 5 % (or 0.03 mN, about one "
        "data point) of the truth.",
    )
    p[2].metric("Missed", counts["missed"], help="True pop-ins the finder did not report.")
    p[3].metric(
        "Other bursts",
        counts["extra"],
        help="Bursts reported where the truth has no pop-in (pores, cracks).",
    )
    if len(popin_table):  # a small static table (the page's one dataframe is the type table)
        st.table(popin_table.head(tables.POPIN_ROWS_SHOWN).set_index("curve"))
    st.caption(notes.popin_note(counts, len(popin_table)))

st.subheader("The curves behind the scores")
choice = widgets.view_controls()
shown = tables.pick_shown(truth, score, flagged, choice["inspect"])
background = tables.pick_background(truth, flagged, data["seed"])
curves, residuals = cached.inspect_frames(data, detector, shown, background)
info = tables.curve_info(truth, score, flagged, shown)
if not shown:
    st.info(f"No curves of the kind *{choice['inspect']}* at these settings.")
st.altair_chart(charts.flagged_curves_chart(curves, info, choice["view"]), width="stretch")
if residuals is not None and detector["representation"] == "features":
    st.altair_chart(charts.feature_residual_chart(residuals, info), width="content")
    st.caption(
        "Red: the feature the PCA rebuilds worst, in standard deviations of that feature "
        "over the campaign: the physical reason the curve stands out."
    )
elif residuals is not None:
    what = (
        "h / h_top"
        if detector["representation"] == "curve"
        else "the step of h / h_top from sample to sample"
    )
    st.altair_chart(charts.residual_chart(residuals, info, what), width="content")
    st.caption(
        "The robust per-point residual of the PCA: where in time the curve differs from "
        "what the good curves' components can rebuild. Yellow: the truth's region; red dot: "
        "the largest residual. Drift and a zero-point error change every point."
    )
else:
    st.caption(
        "Choose the *PCA reconstruction error* detector to see *where* in each curve (or "
        "which feature) makes it anomalous."
    )

st.subheader("Flagged indents on a map")
cells = tables.map_cells(truth, score, flagged, data["seed"])
# the map, then its explanation: side by side the map overflows a 1024 px screen
map_col = text_col = st.container()
map_col.altair_chart(
    charts.campaign_map(cells, int(cells["column"].max()), int(cells["row"].max())),
    width="content",
)
text_col.markdown(
    "**A map of this campaign.** The simulated campaign has no positions, so its curves are "
    "laid out on a grid in a random order, as if indented row by row. Each cell is one "
    "indent, coloured by what the threshold did to it. Black cells are the dangerous ones: "
    "defective curves that would stay in your H and E maps. Blue cells are good indents you "
    "would throw away; purple ones are real but rare material behaviour.\n\n"
    "In a real map, defects are rarely random: a contaminated tip spoils a run of "
    "consecutive indents, drift grows as the lab warms up, pores sit where the "
    "microstructure has them. A cluster of flags is a clue to the cause; here any cluster "
    "is chance."
)

st.subheader("What to notice")
auc_k1 = None
if detector["method"] == "pca_residual" and detector["n_components"] >= 3 and summary["n_defect"]:
    one = cached.detect(data, {**detector, "n_components": 1})
    auc_k1 = tables.summary(truth, one.score, one.score > threshold)["roc_auc"]
for note in notes.notes(data, detector, rule, summary, table, auc_k1):
    st.info(note)

st.subheader("Exercise: catch the small pop-ins, keep the good curves")
st.markdown(
    f"Set *Defect size* to **{exercise.EXERCISE_SIZE:g} × typical** (small pop-ins, at "
    f"{exercise.EXERCISE_POPIN_MN[0]:.2g}-{exercise.EXERCISE_POPIN_MN[1]:.2g} mN). "
    "Find a detector, "
    "inputs and threshold that catch **at least "
    f"{exercise.EXERCISE_RECALL:.0%} of the pop-ins** while flagging **at most "
    f"{exercise.EXERCISE_FALSE_ALARMS:.0%} of the good curves**. "
    "The check below reads your current "
    "settings."
)
status, message = exercise.exercise(data, detector, table, summary)
{"done": st.success, "hint": st.warning, "setup": st.info}[status](message)
if status != "setup":
    progress.record("anomalies.small_popins", status == "done", progress.describe(detector))
with st.expander("Why? (open after trying)"):
    st.markdown(
        "The physical features see a pop-in only through the analysis's pop-in detector "
        "(the largest burst in the loading curve) and its side effects on H and E; a burst "
        "of a few nm hides in their noise. On the whole curve, and even more on its rate, a "
        "burst is a step at a few time points that the good curves never have, so every "
        "detector sees it. The price of any threshold is paid in false alarms: the scores "
        "of good curves have a tail, and the lower the threshold the more of it you flag. "
        "Then add rare but physical curves: a pop-in in a clean grain is *the same shape* "
        "as a defect pop-in, so no detector on these inputs can keep one and flag the "
        "other. That decision needs physics (the pop-in load, the grain), not a score."
    )

path.next_link("app_pages/find_bad_curves.py")
