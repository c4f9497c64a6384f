"""Property maps: a grid of indents over a microstructure, its H and E maps, and how the
indent depth mixes neighbouring phases."""

import streamlit as st

from ui.common import progress
from ui.maps import cached, charts, exercise, notes, tables, widgets

st.title("Property maps")
st.markdown(
    "**What you will learn.** How a high-throughput grid of indents turns a microstructure "
    "into hardness and modulus maps; why the indent depth matters (an indent measures "
    "everything inside its zone of influence, so deep indents near a phase boundary "
    "measure a mixture); and the two rules of thumb that keep a map trustworthy: spacing "
    "≥ 10 × depth and depth ≲ phase size / 10. The microstructure is simulated, so the true "
    "phase under every indent is known. Set the map in the sidebar; the link in your address "
    "bar keeps every setting, and **Find the phases** continues with the same map."
)

widgets.carry_over()
with st.sidebar:
    st.header("Map settings")
    sidebar_settings = widgets.map_controls(depth=False)


# The depth slider and everything it changes form one fragment: moving the slider (or the
# image choice, or the exercise's check) reruns this part only, not the sidebar's controls
# or the page above. The sidebar's settings come in as the argument of its last full run.
@st.fragment
def depth_and_maps(sidebar_settings: dict) -> None:
    """The depth slider, the map at that depth, its charts, notes and exercise."""
    depth_box = st.container(border=True)
    slider_col, metrics_col = depth_box.columns([2, 3], gap="large")
    with slider_col:
        depth = widgets.depth_controls()
    settings = {**sidebar_settings, "grid": {**sidebar_settings["grid"], **depth}}
    widgets.remember_url()

    ms = settings["microstructure"]
    if ms["preset"] == widgets.CUSTOM:
        problems = notes.custom_phase_problems(ms["custom_phases"], ms["porosity"])
        if problems:
            st.error("**This custom microstructure cannot be made.**\n\n- " + "\n- ".join(problems))
            return
    try:
        view = cached.microstructure_view(ms)
        table = cached.map_table(settings)
    except ValueError as err:
        st.error(f"**These settings cannot be simulated.** {err}{notes.landing_hint(settings)}")
        return
    draw_map(settings, view, table, metrics_col)


def draw_map(settings: dict, view, table, metrics_col) -> None:
    """Metrics, maps, charts, the truth table, notes and the exercise of one map."""
    grid = settings["grid"]
    summary = tables.map_summary(table, view.phases, grid)
    spacing_ok, depth_ok = tables.rules_hold(summary)
    with metrics_col:
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(
            "Depth h_max",
            f"{summary['h_nm']:.0f} nm",
            help="Median of the true maximum depths of the indents (nm).",
        )
        m2.metric(
            "Spacing / depth",
            f"{summary['spacing_ratio']:.1f} ×",
            delta="ok: ≥ 10 ×" if spacing_ok else "< 10 ×",
            delta_color="normal" if spacing_ok else "inverse",
            delta_arrow="off",
            help="Grid spacing over the median depth of the deepest phase "
            f"({summary['deep_phase']}, {summary['h_deep_nm']:.0f} nm); below 10 × "
            "neighbouring indents interact (Phani & Oliver 2019).",
        )
        m3.metric(
            "Depth / D",
            f"{100 * summary['depth_ratio']:.1f} %",
            delta="ok: ≤ 10 %" if depth_ok else "> 10 %",
            delta_color="normal" if depth_ok else "inverse",
            delta_arrow="off",
            help=f"Median depth of the indents in the smallest phase ({summary['D_phase']}, "
            f"{summary['h_D_nm']:.0f} nm) over its mean intercept D (phase size); above 10 % "
            "indents mix phases (Constantinides et al. 2006).",
        )
        m4.metric(
            "Interface indents",
            f"{summary['interface_pct']:.0f} %",
            help="Share of indents whose hardness zone of influence crosses a phase boundary "
            "(the simulator's truth).",
        )

    if note := notes.failure_note(table):
        st.warning(note)
    names = list(view.phases["name"])
    colours = charts.phase_colours(names)
    landing = bool(grid["jitter_um"] or any(grid["offset_um"]))
    which = st.radio(
        "Image under the grid",
        ("SEM-like micrograph", "phase map (truth)"),
        horizontal=True,
        key="map_image",
        bind="query-params",
        help="The correlative micrograph (phase contrast, grain shading, noise) the grid is "
        "registered to, or the simulator's true phase map in the phase colours.",
    )
    # two maps per row: three fixed-size maps side by side collide on a laptop screen
    image_col, H_col = st.columns(2, gap="small")
    E_col = st.columns(2, gap="small")[0]
    with image_col:
        url = view.micrograph if which == "SEM-like micrograph" else view.phase_map
        st.altair_chart(
            charts.micrograph_chart(
                url, view.size_um, table, grid["spacing_um"], "Microstructure and grid", landing
            ),
            width="content",
        )
    H_col.altair_chart(
        charts.property_map(table, "H_GPa", grid["spacing_um"], "Hardness map", "H (GPa)"),
        width="content",
    )
    E_col.altair_chart(
        charts.property_map(table, "E_GPa", grid["spacing_um"], "Modulus map", "E (GPa)"),
        width="content",
    )
    st.caption(
        "Each cell of the maps is one indent, analysed with Oliver-Pharr (ν = 0.3 assumed for "
        "every indent, as before the phases are known). "
        + "White rings: where the grid says each indent is"
        + ("; red dots: where it really landed. " if landing else ". ")
        + f"Phase colours: {', '.join(names)}. Hover for values."
    )

    scatter_col, hist_col = st.columns([3, 2], gap="medium")
    scatter_col.altair_chart(
        charts.he_scatter(
            table, "phase_name", names, colours, "H against E, coloured by true phase", "True phase"
        ),
        width="stretch",
    )
    with hist_col:
        st.altair_chart(
            charts.histogram(table, "H_GPa", "H (GPa)", names, colours), width="stretch"
        )
        st.altair_chart(
            charts.histogram(table, "E_GPa", "E (GPa)", names, colours), width="stretch"
        )

    with st.expander("The phases of this microstructure (truth)"):
        st.caption(f"Source: {view.source}.")
        st.dataframe(
            view.phases[["name", "E_GPa", "nu", "H_GPa", "target_fraction", "fraction",
                         "intercept_um"]].rename(
                columns={
                    "E_GPa": "E (GPa)",
                    "H_GPa": "H (GPa)",
                    "nu": "ν",
                    "target_fraction": "target fraction",
                    "fraction": "area fraction",
                    "intercept_um": "mean intercept D (µm)",
                }
            ),
            hide_index=True,
            column_config={
                "target fraction": st.column_config.NumberColumn(format="%.3f"),
                "area fraction": st.column_config.NumberColumn(format="%.3f"),
                "mean intercept D (µm)": st.column_config.NumberColumn(format="%.2f"),
            },
        )  # fmt: skip
    st.download_button(
        "Download the map (CSV)",
        tables.map_csv(table).to_csv(index=False),
        file_name="indentlab_map.csv",
        mime="text/csv",
        on_click="ignore",
        help="One row per indent: reported and true position (µm), measured H and E (GPa), "
        "h_max (nm), whether the analysis worked, and the truth (phase, interface, true H, E).",
    )

    st.subheader("What to notice")
    for note in notes.map_notes(summary, grid):
        st.info(note)

    st.subheader("Exercise: how deep can the map go?")
    st.markdown(
        "Deeper indents average more surface roughness and noise, so you want them as deep as "
        "the rules allow. Move the depth slider to the **deepest** setting at which both rules "
        "hold: spacing ≥ 10 × depth *and* depth ≤ D / 10 of the smallest phase. Try it on "
        "dual-phase steel with 4 µm spacing, then on WC-Co, whose binder films are thin."
    )
    if st.toggle(
        "Check my map",
        key="map_check_depth",
        help="Checks both rules at your current depth and one step deeper on the slider.",
    ):
        step = widgets.next_depth(grid)
        deeper = None
        if step is not None:
            try:
                deeper_table = cached.map_table({**settings, "grid": step[0]})
                deeper = tables.map_summary(deeper_table, view.phases, step[0])
            except ValueError:
                deeper = None  # one step deeper cannot be simulated: the current step is deepest
        done, message = exercise.depth_exercise(summary, deeper, step[1] if step else "")
        (st.success if done else st.warning)(message)
        progress.record("maps.depth_rules", done, f"h_max {summary['h_nm']:.0f} nm")

    st.page_link(
        "app_pages/find_phases.py",
        label="Next: find the phases of this map by clustering",
        icon=":material/scatter_plot:",
    )


depth_and_maps(sidebar_settings)
