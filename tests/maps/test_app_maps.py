"""The "Property maps" and "Find the phases" pages, run headless with Streamlit's AppTest.

The pages are opened through the entry file (they link to each other, which needs the
navigation) with a small 12 x 12 grid set through URL query parameters, as a shared link
would. Every control is changed once, after the settings it depends on, and the test
asserts that the charts' data, a metric, a table or a message changed; completeness tests
keep the lists of changes in step with the widgets the pages draw. Bad input must give an
error message, never a traceback, and keep every setting.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from apptest_helpers import apply, widget
from conftest import axis_titles, chart_data, chart_specs
from streamlit.testing.v1 import AppTest

APP = "../../streamlit_app.py"  # relative to this test file
MAPS = "app_pages/property_maps.py"
PHASES = "app_pages/find_phases.py"
SMALL = {"map_nx": "12", "map_ny": "12"}
WIDGET_TYPES = (
    "slider", "select_slider", "number_input", "selectbox", "multiselect", "radio",
    "text_input", "toggle", "checkbox",
)  # fmt: skip

#: Five custom phases whose fractions add up to 1 (URL values).
FIVE_PHASES = {"map_preset": "custom", "map_n_phases": "5"} | {
    f"map_c{i}_f": "0.2" for i in range(1, 6)
}


def _custom_changes() -> list:
    # two phases with fractions 0.4 + 0.4 (an error); the third phase's 0.2 completes them
    changes = [("map_n_phases", 3, {"map_preset": "custom", "map_c1_f": "0.4", "map_c2_f": "0.4"})]
    for i in range(1, 6):
        changes += [
            (f"map_c{i}_name", f"phase {i}", FIVE_PHASES),
            (f"map_c{i}_E", 180.0 + 10 * i, FIVE_PHASES),
            (f"map_c{i}_nu", 0.2, FIVE_PHASES),
            (f"map_c{i}_H", 0.5 + i, FIVE_PHASES),
            # from fractions adding up to 0.9 (an error) to 1: the maps come back
            (f"map_c{i}_f", 0.2, FIVE_PHASES | {f"map_c{i}_f": "0.1"}),
        ]
    return changes + [("map_custom_sd", 15.0, {"map_preset": "custom"})]


# (widget key, new value, URL parameters set first so that the change matters)
MAP_CHANGES = [
    ("map_preset", "WC-Co hardmetal", {}),
    *_custom_changes(),
    ("map_size_um", 200.0, {}),
    ("map_porosity_pct", 10.0, {}),
    ("map_seed", 3, {}),
    ("map_nx", 10, {}),
    ("map_ny", 10, {}),
    ("map_spacing_um", 6.0, {}),
    ("map_jitter_um", 1.0, {}),
    ("map_offset_x_um", 5.0, {}),
    ("map_offset_y_um", -5.0, {}),
    ("map_control", "target depth", {}),
    ("map_P_max_mN", 10.0, {}),
    ("map_depth_nm", 500.0, {"map_control": "target depth"}),
    ("map_noise", 4.0, {}),
]
MAPS_CHANGES = [
    *MAP_CHANGES,
    ("map_image", "phase map (truth)", {}),
    ("map_check_depth", True, {}),
]
PHASES_CHANGES = [
    ("cluster_representation", "full curve (PCA)", {}),
    ("cluster_features", ["H (GPa)", "W_p / W_t"], {}),
    ("cluster_n_pcs", 3, {"cluster_representation": "full curve (PCA)"}),
    ("cluster_scaling", "standard", {}),
    ("cluster_method", "kmeans", {"cluster_k": "3"}),
    ("cluster_k", 3, {}),
    ("cluster_interior", False, {}),
    ("cluster_zone_radii", 3.0, {}),
]


def open_page(page: str, **params) -> AppTest:
    """The app at ``page`` with URL query parameters (12 x 12 grid unless given)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (SMALL | params).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def fingerprint(at: AppTest) -> tuple:
    """What the learner sees: chart data, metrics, tables and messages."""
    data = tuple(
        tuple(frame.round(9).to_csv() for frame in chart.values()) for chart in chart_data(at)
    )
    metrics = tuple((m.label, m.value) for m in at.metric)
    tables = tuple(t.value.round(9).to_csv() for t in at.dataframe)
    texts = tuple(e.value for kind in ("error", "warning", "info", "success") for e in at.get(kind))
    return data, metrics, tables, texts


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def to_url(value) -> str | list[str]:
    return [str(v) for v in value] if isinstance(value, list) else str(value)


# --- Property maps ------------------------------------------------------------------------


@pytest.fixture
def maps() -> AppTest:
    return open_page(MAPS)


def test_property_maps_loads_with_the_default_map(maps):
    assert maps.title[0].value == "Property maps"
    assert not maps.error
    assert len(maps.get("vega_lite_chart")) == 6
    assert metric(maps, "Depth h_max").endswith("nm")
    assert len(maps.info) >= 3  # what to notice: spacing, phase size, interface mixing
    (download,) = maps.get("download_button")
    assert "CSV" in download.proto.label
    table = pd.concat(chart_data(maps)[1].values())  # the hardness map
    assert len(table) == 144 and {"x_um", "y_um", "H_GPa"} <= set(table.columns)


def test_property_map_charts_have_unit_bearing_titles(maps):
    image, H_map, E_map, scatter, H_hist, E_hist = chart_specs(maps)
    for spec in (image, H_map, E_map):
        assert {"x (µm)", "y (µm)"} <= axis_titles(spec)
    assert H_map["encoding"]["color"]["title"] == "H (GPa)"
    assert E_map["encoding"]["color"]["title"] == "E (GPa)"
    assert {"E (GPa)", "H (GPa)"} <= axis_titles(scatter)
    assert "H (GPa)" in axis_titles(H_hist) and "E (GPa)" in axis_titles(E_hist)
    urls = pd.concat(chart_data(maps)[0].values())["url"].dropna()
    assert urls.str.startswith("data:image/png;base64,").any()  # the micrograph


def test_every_property_maps_control_has_a_help_text_and_a_test():
    keys = set()
    for params in (FIVE_PHASES | {"map_control": "target depth"}, {}):
        at = apply(open_page(MAPS, **params), {"map_check_depth": True})
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    assert keys == {key for key, _, _ in MAPS_CHANGES}


@pytest.mark.parametrize(("key", "value", "before"), MAPS_CHANGES, ids=[c[0] for c in MAPS_CHANGES])
def test_each_property_maps_control_changes_the_result(key, value, before):
    at = open_page(MAPS, **before)
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, [e.value for e in at.error]
    assert at.get("vega_lite_chart"), "the maps are gone"
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_deeper_indents_mix_more_phases(maps):
    apply(maps, {"map_P_max_mN": 0.1})
    shallow = float(metric(maps, "Interface indents").rstrip(" %"))
    shallow_scatter = pd.concat(chart_data(maps)[3].values())
    apply(maps, {"map_P_max_mN": 50.0})
    deep = float(metric(maps, "Interface indents").rstrip(" %"))
    deep_scatter = pd.concat(chart_data(maps)[3].values())
    assert deep > 2 * shallow
    assert (deep_scatter["location"] == "interface").sum() > (
        shallow_scatter["location"] == "interface"
    ).sum()
    # the notes follow the depth: at 50 mN the spacing is below 10 x depth
    assert any("below the ~10 ×" in info.value for info in maps.info)


def test_depth_exercise_checks_the_current_map(maps):
    """Walking the depth slider up: "go deeper", then one "Right", then "Too deep"."""
    from ui.maps.widgets import PEAK_LOADS_MN

    verdicts = []
    apply(maps, {"map_check_depth": True})
    for load in PEAK_LOADS_MN:
        apply(maps, {"map_P_max_mN": load})
        message = (maps.success or maps.warning)[0].value
        verdicts.append(message.split(":")[0].split(" ")[0])
        if message.startswith("Too deep"):
            break
    first_deep = verdicts.index("Too")
    assert verdicts[first_deep - 1] == "Right"
    assert set(verdicts[: first_deep - 1]) == {"Both"}  # "Both rules hold here, but ..."


def test_registration_offset_is_drawn_and_explained():
    at = open_page(MAPS, map_offset_x_um="5")
    layers = chart_specs(at)[0]["layer"]
    assert len(layers) == 3  # image, reported positions, true landing spots
    assert any(info.value.startswith("**Registration.**") for info in at.info)


# --- Find the phases ----------------------------------------------------------------------


@pytest.fixture
def phases() -> AppTest:
    return open_page(PHASES)


def test_find_the_phases_loads_and_scores_against_the_truth(phases):
    assert phases.title[0].value == "Find the phases"
    assert not phases.error
    assert float(metric(phases, "Adjusted Rand index")) > 0.5
    specs = chart_specs(phases)
    titles = [json.dumps(spec.get("title", "")) for spec in specs]
    assert any("True phase" in t for t in titles) and any("Clusters" in t for t in titles)
    assert any("Where the errors sit" in t for t in titles)
    tables = [t.value for t in phases.dataframe]
    locations = next(t for t in tables if "accuracy (%)" in t.columns)
    assert list(locations["indents"]) == ["all indents", "interior", "interface"]
    picks = next(t for t in tables if "criterion" in t.columns).set_index("criterion")
    assert picks.loc["truth (simulator)", "k"] == 2


def test_cluster_map_uses_the_true_phase_colours(phases):
    truth_map, cluster_map = chart_specs(phases)[:2]
    truth_scale = truth_map["encoding"]["color"]["scale"]
    cluster_scale = cluster_map["encoding"]["color"]["scale"]
    assert cluster_scale["domain"][:2] == truth_scale["domain"] == ["ferrite", "martensite"]
    assert cluster_scale["range"][:2] == truth_scale["range"]


def test_find_phases_charts_have_unit_bearing_titles(phases):
    specs = chart_specs(phases)
    titles = [axis_titles(spec) for spec in specs]
    assert all({"x (µm)", "y (µm)"} <= t for t in titles[:3])  # the three maps
    assert {"E (GPa)", "H (GPa)"} <= titles[3]  # the scatter
    assert any("Phases k" in t for t in titles)
    assert any("H (GPa)" in t and "Density (1/GPa)" in t for t in titles)
    assert any("E (GPa)" in t and "Density (1/GPa)" in t for t in titles)


def test_every_find_phases_control_has_a_help_text_and_a_test():
    keys = set()
    for params in (
        FIVE_PHASES | {"map_control": "target depth", "cluster_representation": "full curve (PCA)"},
        {},
    ):
        at = open_page(PHASES, **params)
        for kind in WIDGET_TYPES:
            for w in getattr(at, kind):
                assert w.help, f"{w.key} has no help text"
                keys.add(w.key)
    assert keys == {key for key, _, _ in PHASES_CHANGES + MAP_CHANGES}


@pytest.mark.parametrize(
    ("key", "value", "before"), PHASES_CHANGES, ids=[c[0] for c in PHASES_CHANGES]
)
def test_each_clustering_control_changes_the_result(key, value, before):
    at = open_page(PHASES, **before)
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, [e.value for e in at.error]
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_k_moves_the_deconvolution_when_dbscan_finds_its_own_clusters():
    at = open_page(PHASES, cluster_method="DBSCAN")
    tables = [t.value for t in at.dataframe]
    apply(at, {"cluster_k": 3})
    assert len(at.dataframe[-1].value) == 3 and len(tables[-1]) == 2  # populations


#: One map control of each kind, moved on "Find the phases" too. The map controls are the
#: same widgets on both pages (same code, keys and URL parameters): every one of them is
#: moved on "Property maps" above, and the completeness test checks that "Find the phases"
#: draws exactly these.
SHARED_SAMPLE = [
    c
    for c in MAP_CHANGES
    if not c[0].startswith(("map_c", "map_ny", "map_offset_y")) or c[0] == "map_c1_H"
]


@pytest.mark.parametrize(
    ("key", "value", "before"), SHARED_SAMPLE, ids=[c[0] for c in SHARED_SAMPLE]
)
def test_find_the_phases_follows_the_map_settings(key, value, before):
    at = open_page(PHASES, **{"map_nx": "8", "map_ny": "8", **before})
    old = fingerprint(at)
    apply(at, {key: value})
    assert not at.error, [e.value for e in at.error]
    assert fingerprint(at) != old, f"changing {key} to {value!r} changed nothing"


def test_bic_extra_phase_is_shown_not_hidden():
    """When BIC on all indents asks for more phases than the truth (interface indents form a
    bridge population), the page says so beside the criteria; otherwise it invites a
    deeper map."""
    at = open_page(PHASES, map_nx="30", map_ny="30", cluster_interior="False")
    picks = next(t.value for t in at.dataframe if "criterion" in t.value.columns)
    picks = picks.set_index("criterion")["k"]
    assert "BIC on all indents" not in picks.index
    if picks["BIC (Gaussian mixture)"] > picks["truth (simulator)"]:
        assert any("bridge" in w.value and "Trtik" in w.value for w in at.warning)
        apply(at, {"cluster_k": int(picks["BIC (Gaussian mixture)"])})
        assert any("clusters that got no phase" in w.value for w in at.warning)
    else:
        assert any("bridge population" in i.value for i in at.info)


def test_phases_are_counted_on_the_interior_indents_of_the_micrograph():
    """The default: the criteria count only indents clear of micrograph boundaries, and
    the page shows both picks, which indents were counted, and why the picks differ."""
    at = open_page(PHASES, map_nx="30", map_ny="30")
    picks = next(t.value for t in at.dataframe if "criterion" in t.value.columns)
    picks = picks.set_index("criterion")["k"]
    # Dual-phase steel at the defaults: the composite indents make BIC over-count on all
    # indents; on the interior ones it finds the two phases (tests/test_correlative.py).
    assert picks["BIC on all indents"] > picks["truth (simulator)"]
    assert picks["BIC (Gaussian mixture)"] == picks["truth (simulator)"]
    note = next(i.value for i in at.info if i.value.startswith("**The criteria counted"))
    assert "of 900 indents" in note and "composite indents" in note
    frames = [pd.concat(c.values()) for c in chart_data(at) if c]
    counted = next(f for f in frames if "counted" in f.columns)
    assert set(counted["counted"]) == {"interior", "near a boundary"}
    assert (counted["counted"] == "interior").sum() == int(note.split(" of 900")[0].split()[-1])


def test_too_few_interior_indents_fall_back_to_all_indents():
    at = open_page(PHASES, map_preset="Ti-6Al-4V", map_P_max_mN="10.0")
    assert any("Counting on interior indents is not possible" in w.value for w in at.warning)
    assert any(c.value == "The criteria below use all indents." for c in at.caption)
    assert not at.error


def test_map_settings_travel_between_the_pages():
    at = open_page(MAPS)
    apply(at, {"map_preset": "Ti-6Al-4V", "map_P_max_mN": 0.5})
    at.switch_page(PHASES).run()
    assert widget(at, "map_preset").value == "Ti-6Al-4V"
    assert any(c.value.startswith("Map: Ti-6Al-4V, 12 × 12") for c in at.caption)
    assert any("P_max 0.5 mN" in c.value for c in at.caption)


def test_separate_two_close_phases_exercise():
    at = open_page(PHASES)
    assert at.info[-1].value.startswith("This exercise uses the **Ti-6Al-4V**")
    apply(at, {"map_preset": "Ti-6Al-4V"})
    assert at.warning[-1].value.startswith("ARI =") and "Hint" in at.warning[-1].value
    # The lesson: shallow indents on a full-size map resolve the thin beta lamellae.
    at = open_page(PHASES, map_preset="Ti-6Al-4V", map_nx="30", map_ny="30")
    for load in (0.5, 0.2, 0.1, 0.05, 0.02):
        apply(at, {"map_P_max_mN": load})
        if at.success:
            break
    assert at.success and at.success[0].value.startswith("Done: ARI =")


# --- bad input: a clear message, never a traceback, and every setting kept --------------


BAD_MAPS = [
    ({"map_preset": "custom", "map_c1_f": 0.5}, "add up to 0.90"),
    ({"map_preset": "custom", "map_c1_E": 2.0}, "must be smaller than the modulus"),
    ({"map_preset": "custom", "map_c2_name": "soft"}, "share a name"),
    ({"map_nx": 60, "map_ny": 60}, "does not fit"),
]


@pytest.mark.parametrize("page", [MAPS, PHASES], ids=["maps", "phases"])
@pytest.mark.parametrize(
    ("settings", "words"), BAD_MAPS, ids=["fractions", "H>E", "names", "grid-too-big"]
)
def test_bad_map_settings_show_an_error_and_keep_the_settings(page, settings, words):
    at = apply(open_page(page), settings)
    assert not at.exception
    assert at.error and words in at.error[0].value
    at.run()  # and again: nothing the learner set is lost
    assert not at.exception and at.error
    for key, value in settings.items():
        assert widget(at, key).value == value


@pytest.mark.parametrize(
    ("params", "settings", "words"),
    [
        ({}, {"cluster_features": []}, "Choose at least one feature"),
        ({"map_nx": "2", "map_ny": "2"}, {"cluster_k": 5}, "n_phases must hold"),
    ],
    ids=["no-features", "k-too-large"],
)
def test_bad_clustering_choices_show_an_error_and_keep_the_settings(params, settings, words):
    at = apply(open_page(PHASES, **params), settings)
    assert not at.exception
    assert at.error and words in at.error[0].value
    for key, value in settings.items():
        assert widget(at, key).value == value


def test_find_the_phases_tells_the_teaching_preset_from_the_literature_ones():
    at = open_page(
        PHASES, map_preset="coarse dual-phase steel (teaching)", map_nx="20", map_ny="20"
    )
    infos = [i.value for i in at.info]
    assert any("is a teaching preset" in t for t in infos), infos
    at = open_page(PHASES, map_preset="WC-Co hardmetal", map_nx="20", map_ny="20")
    note = next(i.value for i in at.info if "literature preset" in i.value)
    assert "cannot count every phase" in note and "coarse dual-phase steel" in note
