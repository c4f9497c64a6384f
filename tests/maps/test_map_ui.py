"""The pure helpers of the map pages: sizes, texts, scores by location, images, widgets."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from ui.maps import charts, exercise, notes, tables, widgets


def test_mean_intercepts_of_stripes_and_squares():
    # Vertical stripes 3 px wide of phase 0 and 1 px of phase 1, 12 rows: along rows the
    # runs are 3 and 1 px; along columns each run is the full 12 px.
    labels = np.tile(np.array([0, 0, 0, 1]), (12, 5))
    D = tables.mean_intercepts_um(labels, pixel_um=0.5, n_phases=3)
    # phase 0: 60 runs of 3 px (rows) and 15 columns of 12 px -> (180 + 180) / 75 px
    assert D[0] == pytest.approx((180 + 180) / 75 * 0.5)
    assert D[1] == pytest.approx((60 + 60) / 65 * 0.5)
    assert math.isnan(D[2])  # absent phase


def test_custom_phase_problems_name_the_rule():
    good = (("a", 200.0, 0.3, 3.0, 0.6), ("b", 220.0, 0.3, 6.0, 0.4))
    assert notes.custom_phase_problems(good) == []
    (message,) = notes.custom_phase_problems((good[0], ("b", 220.0, 0.3, 6.0, 0.3)))
    assert "add up to 0.90" in message and "0.67, 0.33" in message
    (message,) = notes.custom_phase_problems((("a", 100.0, 0.3, 150.0, 0.6), good[1]))
    assert "H = 150 GPa must be smaller" in message
    assert "share a name" in notes.custom_phase_problems((good[0], ("a", *good[1][1:])))[0]
    assert "no name" in notes.custom_phase_problems((("", *good[0][1:]), good[1]))[0]
    assert (
        "reserved"
        in notes.custom_phase_problems((good[0], ("pore", *good[1][1:])), porosity=0.05)[0]
    )


def _toy_table() -> pd.DataFrame:
    """Six indents: two phases and a pore, two of them on interfaces."""
    return pd.DataFrame(
        {
            "phase": [0, 0, 0, 1, 1, 2],
            "phase_name": ["a", "a", "a", "b", "b", "pore"],
            "on_interface": [False, False, True, False, True, False],
        }
    )


def test_error_kinds_and_location_scores():
    table = _toy_table()
    labels = np.array([0, 0, 1, 1, 0, -1])
    matched = np.array([0, 0, 1, 1, 0, -1])
    kinds = tables.error_kinds(table, labels, matched)
    assert list(kinds) == [
        "correct", "correct", "wrong, interface", "correct", "wrong, interface", "not clustered"
    ]  # fmt: skip
    scores = tables.location_scores(table, labels, matched).set_index("indents")
    assert list(scores.index) == ["all indents", "interior", "interface", "pore"]
    assert scores.loc["interior", "accuracy (%)"] == pytest.approx(100 * 3 / 4)
    assert scores.loc["interface", "accuracy (%)"] == 0
    assert math.isnan(scores.loc["pore", "ARI"])  # one true phase: no ARI


def test_cluster_categories_and_colours():
    names = ["a", "b"]
    categories = tables.cluster_categories(np.array([1, 0, 2, -1]), {1: 0, 0: 1}, names)
    assert list(categories) == ["a", "b", "cluster 3 (no phase)", "noise / not clustered"]
    domain, colours = tables.colour_domain(
        names, categories, ["#111111", "#222222"], ["#333333"], "#999999"
    )
    assert domain == ["a", "b", "cluster 3 (no phase)", "noise / not clustered"]
    assert colours == ["#111111", "#222222", "#333333", "#999999"]


def test_population_names_and_table():
    found = pd.DataFrame(
        {"H_mean_GPa": [2.7, 5.0, 7.5], "H_sd_GPa": [0.2, 1.0, 0.6],
         "E_mean_GPa": [210.0, 210.0, 210.0], "E_sd_GPa": [10.0, 10.0, 10.0],
         "fraction": [0.6, 0.1, 0.3]}
    )  # fmt: skip
    errors = pd.DataFrame(
        {"name": ["ferrite", "martensite"], "matched": [0, 2], "H_true_GPa": [2.7, 7.5],
         "E_true_GPa": [210.0, 210.0], "fraction_true": [0.7, 0.3]}
    )  # fmt: skip
    names = tables.population_names(errors, 3)
    assert names == ["ferrite", "population 2 (no phase)", "martensite"]
    table = tables.populations_table(found, errors, names)
    assert list(table["population"]) == names
    assert table.loc[0, "H (GPa)"] == "2.7 ± 0.2"
    assert table.loc[1, "true H (GPa)"] == "–" and table.loc[2, "true H (GPa)"] == "7.5"


def test_rules_and_depth_exercise():
    ok = {"spacing_ratio": 12.0, "depth_ratio": 0.05, "h_nm": 300.0, "h_D_nm": 300.0, "D_um": 6.0}
    deep = {**ok, "spacing_ratio": 8.0}
    assert tables.rules_hold(ok) == (True, True)
    done, message = exercise.depth_exercise(ok, deep, "10 mN")
    assert done and message.startswith("Right")
    done, message = exercise.depth_exercise(ok, ok, "10 mN")
    assert not done and "go deeper" in message
    done, message = exercise.depth_exercise(deep, None)
    assert not done and message.startswith("Too deep")


def test_phase_exercise_feedback():
    summary = {"depth_ratio": 0.2, "h_nm": 100.0, "h_D_nm": 100.0, "D_um": 0.5, "D_phase": "beta",
               "interface_pct": 30.0}  # fmt: skip
    choice = {"k": 2, "method": "gmm", "columns": ("H_GPa", "E_GPa"), "scaling": "log"}
    assert exercise.phase_exercise("dual-phase steel", summary, choice, 0.9)[0] == "other"
    status, message = exercise.phase_exercise("Ti-6Al-4V", summary, choice, 0.3)
    assert status == "hint" and "shallower" in message
    shallow = {**summary, "depth_ratio": 0.05}
    status, message = exercise.phase_exercise("Ti-6Al-4V", shallow, choice, 0.5)
    assert status == "hint" and "noise" in message
    status, message = exercise.phase_exercise(
        "Ti-6Al-4V", shallow, {**choice, "method": "kmeans"}, 0.5
    )
    assert "Gaussian mixture" in message
    assert exercise.phase_exercise("Ti-6Al-4V", shallow, choice, 0.85)[0] == "done"


def test_png_data_url_keeps_size_orientation_and_colours():
    labels = np.zeros((4, 6), dtype=int)
    labels[0] = 1  # row 0 is y = 0: it must come out as the bottom row of the picture
    url = charts.png_data_url(labels, palette=["#000000", "#ff0000"])
    assert url.startswith("data:image/png;base64,")
    picture = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert picture.size == (6, 4)
    assert picture.getpixel((0, 3)) == (255, 0, 0)
    assert picture.getpixel((0, 0)) == (0, 0, 0)
    grey = Image.open(
        io.BytesIO(base64.b64decode(charts.png_data_url(np.full((2, 2), 0.5)).split(",")[1]))
    )
    assert grey.mode == "L" and grey.getpixel((0, 0)) == 128


def test_phase_colours_are_stable_and_pores_dark():
    colours = charts.phase_colours(["a", "b", "pore"])
    assert colours[:2] == list(charts.PHASE_COLOURS[:2])
    assert colours[2] == charts.PORE_COLOUR


def test_next_depth_walks_the_slider():
    grid = {"P_max_mN": 1.0, "depth_nm": None}
    assert widgets.next_depth(grid) == ({"P_max_mN": 2.0, "depth_nm": None}, "2 mN")
    assert widgets.next_depth({"P_max_mN": None, "depth_nm": 5000.0}) is None
    assert widgets.depth_label({"P_max_mN": None, "depth_nm": 100.0}) == ("target depth 100 nm")


def test_failure_note_counts_failed_analyses():
    table = pd.DataFrame({"ok": [True, False, False], "reason": ["", "too few points", "x"]})
    note = notes.failure_note(table)
    assert "2 of 3 curves" in note
    assert notes.failure_note(table.assign(ok=True)) is None


def _criteria(bic: int, n: int) -> pd.DataFrame:
    table = pd.DataFrame({"k": [1, 2, 3]})
    table.attrs.update(best_k={"bic": bic}, n_indents=n)
    return table


def test_correlative_note_says_what_leaving_out_boundary_indents_did_and_cost():
    names = ["ferrite", "martensite"]
    interior = pd.Series(["ferrite"] * 240 + ["martensite"] * 110)
    fixed = notes.correlative_note(_criteria(3, 900), _criteria(2, 350), 4.0, interior, names, 900)
    assert "counted 350 of 900" in fixed and "picks 3, on the interior ones 2" in fixed
    assert "composite indents" in fixed and "Every one of the 2 phases" in fixed
    thin = pd.Series(["alpha"] * 68 + ["beta"] * 2)
    lost = notes.correlative_note(
        _criteria(2, 900), _criteria(1, 70), 4.0, thin, ["alpha", "beta"], 900
    )
    assert "The price" in lost and "beta (2)" in lost and "composite" not in lost
    same = notes.correlative_note(_criteria(2, 900), _criteria(2, 350), 4.0, interior, names, 900)
    assert "with or without" in same


def test_map_summary_takes_the_depths_of_the_phases_the_rules_are_about():
    # Under load control the soft binder goes deeper than the map's median: the depth rule
    # (h <~ D / 10) uses the smallest phase's depth, the spacing rule the deepest phase's.
    names = ["WC", "Co binder"]
    phase = np.array([0] * 8 + [1] * 2)
    table = pd.DataFrame(
        {
            "phase": phase,
            "phase_name": np.array(names)[phase],
            "phase_at_reported": np.array(names)[phase],
            "h_max_true_nm": np.where(phase == 0, 50.0, 70.0),
            "H_GPa": np.where(phase == 0, 20.0, 4.0),
            "fracE_WC": (phase == 0).astype(float),
            "fracE_Co binder": (phase == 1).astype(float),
            "neighbour_hardening": 1.0,
            "on_interface": False,
            "contact_radius_nm": 150.0,
            "ok": True,
        }
    )
    phases = pd.DataFrame({"name": names, "intercept_um": [3.0, 0.6]})
    s = tables.map_summary(table, phases, {"spacing_um": 0.8})
    assert s["h_nm"] == 50.0 and s["D_phase"] == "Co binder" and s["h_D_nm"] == 70.0
    assert s["depth_ratio"] == pytest.approx(70.0 / 600.0)  # above D / 10, unlike 50 / 600
    assert s["deep_phase"] == "Co binder" and s["spacing_ratio"] == pytest.approx(800 / 70)
    assert "Co binder" in notes.map_notes(s, {"offset_um": (0.0, 0.0), "jitter_um": 0.0})[0]


def test_landing_hint_names_what_moves_the_indents():
    grid = {"offset_um": (0.0, 0.0), "jitter_um": 0.0}
    assert notes.landing_hint({"grid": grid}) == ""
    hint = notes.landing_hint({"grid": {**grid, "jitter_um": 5.0}})
    assert "jitter (5 µm" in hint and "moves" in hint
    hint = notes.landing_hint({"grid": {"offset_um": (-5.0, 5.0), "jitter_um": 5.0}})
    assert "offset (-5, +5) µm" in hint and "move the indents" in hint


def _interior(k: int, n: int) -> pd.DataFrame:
    frame = pd.DataFrame()
    frame.attrs = {"best_k": {"bic": k}, "n_indents": n}
    return frame


def test_preset_note_says_which_presets_bic_can_count_from_the_numbers():
    names = ["ferrite", "martensite"]
    both = pd.Series(["ferrite"] * 300 + ["martensite"] * 200)
    coarse = notes.preset_note(notes.COARSE_PRESET, _interior(2, 500), both, names)
    assert "teaching preset" in coarse and "BIC counts the 2 phases right" in coarse
    assert "Compare" not in coarse
    thin = pd.Series(["WC"] * 300 + ["Co binder"] * 3)
    wc = notes.preset_note("WC-Co hardmetal", _interior(1, 303), thin, ["WC", "Co binder"])
    assert "literature preset" in wc and "cannot count every phase: Co binder" in wc
    assert "Compare the coarse dual-phase steel" in wc and "counts the" not in wc
    overlap = notes.preset_note("dual-phase steel", _interior(3, 500), both, names)
    assert "overlap in H and E" in overlap and "cannot count" not in overlap
