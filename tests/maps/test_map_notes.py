"""Each "what to notice" note of the map pages that names an effect shows when the numbers
show it and not when they do not (issue 14), on constructed numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ui.maps import notes

SUMMARY = {
    "deep_phase": "Co binder",
    "h_deep_nm": 70.0,
    "spacing_um": 2.0,
    "spacing_ratio": 28.6,
    "hardening_pct": 0.0,
    "D_um": 1.0,
    "D_phase": "Co binder",
    "h_D_nm": 70.0,
    "h_nm": 50.0,
    "depth_ratio": 0.07,
    "a_um": 0.2,
    "interface_pct": 12.0,
    "interface_E_pct": 30.0,
    "misplaced_pct": 0.0,
    "n_pore": 0,
}
GRID = {"offset_um": (0.0, 0.0), "jitter_um": 0.0}


def _map(**changes) -> str:
    return " ".join(notes.map_notes(SUMMARY | changes, GRID))


def test_spacing_note_says_neighbours_interact_only_below_10_depths():
    assert "neighbours do not interact" in _map()
    close = _map(spacing_ratio=5.0, hardening_pct=8.0)
    assert "work-hardened (here by up to 8 % in H)" in close
    assert "neighbours do not interact" not in close


def test_depth_note_says_phases_mix_only_above_d_over_10():
    assert "above that limit" in _map(depth_ratio=0.2, h_D_nm=200.0)
    assert "above that limit" not in _map() and "below that limit" in _map()
    assert "Depth vs phase size" not in _map(D_um=math.nan)


def test_interface_mixing_only_when_some_zone_crosses_a_boundary():
    assert "E mixes more than H" in _map()
    none = _map(interface_pct=0.0, interface_E_pct=0.0)
    assert "E mixes more than H" not in none and "every indent measures one phase" in none


def test_registration_and_pore_notes_only_with_an_offset_or_pores():
    assert "Registration" not in _map() and "Pores" not in _map()
    grid = {"offset_um": (1.0, 0.0), "jitter_um": 0}
    shifted = " ".join(notes.map_notes(SUMMARY | {"misplaced_pct": 14.0}, grid))
    assert "For 14 % of the indents" in shifted
    pores = _map(n_pore=3, pore_H_GPa=1.0, solid_H_GPa=15.0)
    assert "3 indents are centred in a pore" in pores


def _criteria(bic: int, icl: int = 2, silhouette: int = 2, elbow: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame({"k": [1, 2, 3]})
    frame.attrs["best_k"] = {"bic": bic, "icl": icl, "silhouette": silhouette, "elbow": elbow}
    return frame


def _locations(
    interior: float, interface: float, interface_interval: str | None = None
) -> pd.DataFrame:
    """Scores by location as tables.location_scores gives them (intervals of ±8 % points
    for the interface unless given)."""
    return pd.DataFrame(
        {
            "indents": ["interior", "interface"],
            "n": [80, 20],
            "accuracy (%)": [interior, interface],
            "accuracy 95 % interval (%)": [
                f"{interior - 4:.0f}–{min(interior + 2, 100):.0f}",
                interface_interval or f"{interface - 8:.0f}–{min(interface + 8, 100):.0f}",
            ],
            "baseline accuracy (%)": [50.0, 50.0],
        }
    )


def test_errors_sit_on_interfaces_only_when_interface_indents_do_worse():
    present = " ".join(notes.phase_notes(SUMMARY, _locations(98, 60), _criteria(2), 2))
    assert "Errors sit on interfaces" in present and "98 %" in present and "60 %" in present
    absent = " ".join(notes.phase_notes(SUMMARY, _locations(90, 95), _criteria(2), 2))
    assert "Errors sit on interfaces" not in absent
    within_noise = _locations(90, 80, interface_interval="62–92")
    noisy = " ".join(notes.phase_notes(SUMMARY, within_noise, _criteria(2), 2))
    assert "Errors sit on interfaces" not in noisy


def test_criteria_note_says_agree_only_when_they_agree():
    agree = " ".join(notes.phase_notes(SUMMARY, _locations(98, 60), _criteria(2), 2))
    assert "The criteria agree" in agree and "got it right" in agree
    split = " ".join(notes.phase_notes(SUMMARY, _locations(98, 60), _criteria(4, 2, 3, 5), 2))
    assert "The criteria disagree" in split and "Here ICL got it right" in split
    wrong = " ".join(notes.phase_notes(SUMMARY, _locations(98, 60), _criteria(4, 4, 4, 4), 2))
    assert "None of them got it right" in wrong


def test_too_deep_note_only_above_d_over_10():
    deep = SUMMARY | {"depth_ratio": 0.2, "h_D_nm": 200.0}
    assert "Too deep" in " ".join(notes.phase_notes(deep, _locations(98, 60), _criteria(2), 2))
    assert "Too deep" not in " ".join(
        notes.phase_notes(SUMMARY, _locations(98, 60), _criteria(2), 2)
    )


def test_bridge_note_only_when_bic_asks_for_more_phases_than_there_are():
    table = pd.DataFrame({"on_interface": [True, True, False, False]})
    labels = np.array([0, 1, 2, 2])
    text = notes.bridge_note(_criteria(3), 2, table, labels, {0: "WC", 1: "Co"})
    assert text.startswith("**BIC asks for 3 phases; the microstructure has 2.**")
    assert "50 % of the indents sit on interfaces" in text
    assert notes.bridge_note(_criteria(2), 2, table, labels, {0: "WC", 1: "Co"}) is None
