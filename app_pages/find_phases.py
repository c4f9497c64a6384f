"""Find the phases: cluster the indents of a map, choose the number of phases, deconvolve
the populations, and score it all against the simulator's truth."""

import numpy as np
import streamlit as st

from ui.common import path, progress, score_text
from ui.maps import cached, charts, clustering_widgets, exercise, notes, tables, widgets

st.title("Find the phases")
st.markdown(
    "**What you will learn.** How unsupervised learning finds phases in a grid of indents "
    "without labels: which features and scaling to give it, how k-means, Gaussian mixtures "
    "and density-based methods differ, how BIC, silhouette and the elbow choose the number "
    "of phases (and why they disagree), and how statistical deconvolution gives each phase's "
    "properties and volume fraction. The simulator knows the true phase of every indent, so "
    "every answer is scored against the truth, and you can see *where* the errors sit."
)

widgets.carry_over()
with st.sidebar:
    st.header("Clustering")
    choice = clustering_widgets.clustering_controls()
    st.header("Map settings")
    st.caption("The same map as on Property maps: a change here changes it there too.")
    settings = widgets.map_controls(expanded=False)
widgets.remember_url()

ms, grid = settings["microstructure"], settings["grid"]
if ms["preset"] == widgets.CUSTOM:
    problems = notes.custom_phase_problems(ms["custom_phases"], ms["porosity"])
    if problems:
        st.error("**This custom microstructure cannot be made.**\n\n- " + "\n- ".join(problems))
        st.stop()
try:
    view = cached.microstructure_view(ms)
    table = cached.map_table(settings)
except ValueError as err:
    st.error(f"**These settings cannot be simulated.** {err}{notes.landing_hint(settings)}")
    st.stop()

names = list(view.phases["name"])
n_true = len(names)
colours = charts.phase_colours(names)
summary = tables.map_summary(table, view.phases, grid)
st.caption(
    f"Map: {ms['preset']}, {grid['nx']} × {grid['ny']} indents {grid['spacing_um']:g} µm "
    f"apart, {widgets.depth_label(grid)} (h_max ≈ {summary['h_nm']:.0f} nm); "
    f"{n_true} true phases: {', '.join(names)}."
)
st.page_link(
    "app_pages/property_maps.py",
    label="See this map's H and E maps on Property maps",
    icon=":material/grid_on:",
)

if note := notes.failure_note(table):
    st.warning(note)
if not choice["columns"]:
    st.error("**Choose at least one feature** (sidebar › Features) for the clustering to use.")
    st.stop()
key = {k: choice[k] for k in ("columns", "scaling", "method", "k")}
try:
    finding = cached.find_phases(settings, key)
except ValueError as err:
    st.error(f"**The clustering cannot run with these settings.** {err}")
    st.stop()
score = finding.score

clusters = tables.cluster_categories(finding.labels, score.mapping, names)
domain, domain_colours = tables.colour_domain(
    names, clusters, colours, charts.EXTRA_COLOURS, charts.NOISE_COLOUR
)
found = table.assign(
    cluster=clusters, error=tables.error_kinds(table, finding.labels, score.matched_labels)
)

headline = tables.headline_scores(table, finding.labels, score.matched_labels)
m1, m2 = st.columns(2)  # two per row: room for each interval and baseline
m3, m4 = st.columns(2)
score_text.metric(
    m1,
    "Adjusted Rand index",
    headline["ARI"],
    "Agreement of clusters and true phases: 1 perfect, about 0 for a random split "
    "(Hubert & Arabie 1985); needs no matching of cluster numbers to phases (bootstrap "
    "interval over the indents).",
    "clustering",
    digits=2,
)
score_text.metric(
    m2,
    "Accuracy",
    headline["accuracy"],
    "Share of indents whose cluster, matched to a phase by the Hungarian assignment, "
    "is their true phase (Wilson interval).",
    "majority phase",
    percent=True,
)
score_text.metric(
    m3,
    "Largest fraction error (pp)",
    tables.largest_fraction_error(score.fractions, table["phase"], score.matched_labels),
    "Largest difference, in percentage points, between the share of indents assigned "
    "to a phase and the share centred on it (bootstrap interval over the indents; lower "
    "is better).",
    "majority phase",
    digits=1,
)
m4.metric(
    "Clusters found",
    f"{finding.n_clusters}",
    delta=f"truth: {n_true}",
    delta_color="off",
    delta_arrow="off",
    help="Clusters the method returned (noise not counted), against the true number of "
    "phases (pores count as a phase).",
)

# two maps per row: three fixed-size maps side by side collide on a laptop screen
truth_col, cluster_col = st.columns(2, gap="small")
error_col = st.columns(2, gap="small")[0]
truth_col.altair_chart(
    charts.category_map(
        found, "phase_name", names, colours, grid["spacing_um"], "True phase", "Phase"
    ),
    width="content",
)
cluster_col.altair_chart(
    charts.category_map(
        found, "cluster", domain, domain_colours, grid["spacing_um"],
        f"Clusters ({clustering_widgets.METHOD_LABELS[choice['method']]}), matched",
        "Cluster → phase",
    ),
    width="content",
)  # fmt: skip
error_col.altair_chart(
    charts.category_map(
        found, "error", list(charts.ERROR_COLOURS), list(charts.ERROR_COLOURS.values()),
        grid["spacing_um"], "Where the errors sit", "Assignment",
    ),
    width="content",
)  # fmt: skip
st.caption(
    "Clusters are numbered arbitrarily; each is matched to the phase it shares most indents "
    "with (Hungarian assignment) and drawn in that phase's colour. Clusters left without a "
    "phase get their own colour. Orange on the error map: wrong indents on an interface; "
    "red: wrong in the interior of a phase."
)

scatter_col, table_col = st.columns(2, gap="medium")
scatter_col.altair_chart(
    charts.he_scatter(
        found, "cluster", domain, domain_colours, "H against E, coloured by cluster",
        "Cluster → phase",
    ),
    width="stretch",
)  # fmt: skip
with table_col:
    st.markdown("**Scores by location**")
    st.dataframe(
        tables.location_scores(table, finding.labels, score.matched_labels),
        hide_index=True,
        column_config={
            "ARI": st.column_config.NumberColumn(format="%.2f"),
            "baseline ARI": st.column_config.NumberColumn(format="%.2f"),
            "accuracy (%)": st.column_config.NumberColumn(format="%.0f"),
            "baseline accuracy (%)": st.column_config.NumberColumn(format="%.0f"),
        },
    )
    st.caption(
        "Interior / interface: the simulator's truth, whether an indent's hardness zone "
        f"({tables.ZONE_H_RADII:g} contact radii) holds one phase or two. Not the same "
        "as the indents the micrograph shows clear of every boundary (How many phases?, "
        "below), which also keeps clear of grain boundaries within a phase. 95 % intervals: "
        "bootstrap over the indents for ARI, Wilson for accuracy. Baselines: one cluster "
        "for every indent (ARI 0) and every indent called the most common phase; a score "
        f"whose interval reaches its baseline is {score_text.GUESSING}."
    )
    st.markdown("**Phase fractions**")
    st.dataframe(
        tables.fraction_table(
            score.fractions, names, view.phases["fraction"], table["phase"], score.matched_labels
        ),
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(format="%.1f")
            for c in ("area (%)", "indents on it (%)", "assigned (%)")
        }
        | {
            c: st.column_config.NumberColumn(format="%+.1f")
            for c in ("error (pp)", "baseline error (pp)")
        },
    )
    st.caption(
        "Error: assigned minus indents on it, with its 95 % bootstrap interval over the "
        "indents; baseline: every indent called the most common phase."
    )
    st.markdown("**Confusion (indents)**")
    st.dataframe(tables.confusion_table(score.confusion, names))

st.header("How many phases?")
criteria = all_indents = None
zone = choice["zone_radii"]
columns, scaling = choice["columns"], choice["scaling"]
try:
    all_indents = cached.criteria(settings, columns, scaling, n_true)
except ValueError as err:
    st.warning(f"**The number of phases cannot be assessed on this map.** {err}")
criteria = all_indents
if all_indents is not None and zone is not None:
    try:
        criteria = cached.criteria(settings, columns, scaling, n_true, zone)
    except ValueError as err:
        st.warning(f"**Counting on interior indents is not possible here:** {err}")
        st.caption("The criteria below use all indents.")
if criteria is not None:
    best = criteria.attrs["best_k"]
    panels = (
        ("bic", ("BIC", "lower is better"), "BIC", best["bic"]),
        ("silhouette", ("Silhouette", "higher is better"), "Silhouette", best["silhouette"]),
        ("inertia", ("k-means inertia", "pick: the elbow"), "Inertia", best["elbow"]),
    )
    on_which = "interior indents" if criteria is not all_indents else "all indents"
    for column, (field, title, axis, pick) in zip(st.columns(3), panels, strict=True):
        column.altair_chart(
            charts.criterion_chart(criteria, field, title, axis, pick, n_true, on_which),
            width="stretch",
        )
    counted_interior = criteria is not all_indents
    picks_col, note_col = st.columns(2, gap="medium")
    with picks_col:
        st.dataframe(
            tables.criteria_picks(criteria, n_true, all_indents if counted_interior else None),
            hide_index=True,
        )
        if counted_interior:
            interior = cached.interior_mask(table, zone)
            used = table.assign(counted=np.where(interior, "interior", "near a boundary"))
            st.altair_chart(
                charts.category_map(
                    used, "counted", list(charts.COUNTED_COLOURS),
                    list(charts.COUNTED_COLOURS.values()), grid["spacing_um"],
                    "Indents the criteria counted", "Micrograph says",
                ),
                width="content",
            )  # fmt: skip
            st.caption(
                "The simulated micrograph shows every phase and grain boundary (grey level by "
                "hardness, shading by grain). A real SEM or EBSD image may not tell every pair "
                "of phases apart, and a registration error shifts every distance: try *Offset "
                "x (µm)* under Map settings › Indent grid."
            )
    with note_col:
        if counted_interior:
            st.info(
                notes.correlative_note(
                    all_indents, criteria, zone, table.loc[interior, "phase_name"], names,
                    len(table),
                )
            )  # fmt: skip
            st.info(
                notes.preset_note(ms["preset"], criteria, table.loc[interior, "phase_name"], names)
            )
        note = notes.bridge_note(
            all_indents, n_true, table, finding.labels, score.mapping, counted_interior
        )
        if note:
            st.warning(note)
        elif not counted_interior:
            st.info(
                f"BIC picks {best['bic']} for {n_true} true phases. Make the indents deeper "
                "on the depth slider and watch BIC ask for an extra phase as the interface "
                "indents form a bridge population (Trtik, Münch & Lura 2009)."
            )

st.header("Deconvolved populations")
st.markdown(
    f"Statistical deconvolution (Constantinides et al. 2006) fits k = {choice['k']} Gaussian "
    "populations to the joint (H, E) cloud: each population's mean ± sd is a phase's "
    "properties, its weight the phase's volume fraction. Valid when the indents are much "
    "smaller than the phases (h ≲ D / 10)."
)
try:
    populations, errors = cached.populations(settings, choice["k"])
except ValueError as err:
    st.warning(f"**No deconvolution into {choice['k']} populations.** {err}")
else:
    labels = tables.population_names(errors, len(populations))
    pop_domain, pop_colours = tables.colour_domain(
        names, labels, colours, charts.EXTRA_COLOURS, charts.NOISE_COLOUR
    )
    H_col, E_col = st.columns(2)
    for column, quantity in ((H_col, "H"), (E_col, "E")):
        column.altair_chart(
            charts.population_chart(table, populations, quantity, labels, pop_domain, pop_colours),
            width="stretch",
        )
    st.dataframe(tables.populations_table(populations, errors, labels), hide_index=True)

st.subheader("What to notice")
locations = tables.location_scores(table, finding.labels, score.matched_labels)
if criteria is not None:
    for text in notes.phase_notes(summary, locations, criteria, n_true):
        st.info(text)

st.subheader("Exercise: separate two close phases")
st.markdown(
    f"In **{exercise.EXERCISE_PRESET}** the β lamellae are only about 20 % softer and "
    "more compliant than the α matrix, and thin. At the default map settings the clustering "
    f"barely separates them. Find map and clustering settings that reach an **ARI ≥ "
    f"{exercise.EXERCISE_ARI:g}**. For a second challenge, build a custom pair with H "
    "3.0 and 3.5 GPa and try again."
)
status, message = exercise.phase_exercise(ms["preset"], summary, choice, score.ari)
{"done": st.success, "hint": st.warning, "other": st.info}[status](message)
if status != "other":
    progress.record("maps.close_phases", status == "done", progress.describe(choice))

path.next_link("app_pages/find_phases.py")
