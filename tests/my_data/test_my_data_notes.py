"""My own data's "what to notice" notes that name an effect show when the numbers show it
and not when they do not (issue 14), on constructed analysis results."""

from __future__ import annotations

import math

import pandas as pd

from ui.my_data.notes import what_to_notice

NAMES = ["a", "b", "c"]


def _features(**columns) -> pd.DataFrame:
    base = {
        "ok": [True, True, True],
        "reason": ["", "", ""],
        "H_GPa": [9.0, 9.2, 8.9],
        "E_GPa": [72.0, 71.0, 73.0],
        "m": [1.4, 1.4, 1.4],
        "hf_over_hmax": [0.4, 0.4, 0.4],
        "popin_load_mN": [math.nan] * 3,
        "popin_size_nm": [math.nan] * 3,
        "creep_nm": [0.5, 0.5, 0.5],
        "h_max_nm": [300.0, 300.0, 300.0],
    }
    return pd.DataFrame(base | columns)


def _notes(**columns) -> str:
    return " ".join(text for _, text in what_to_notice(NAMES, _features(**columns)))


def test_a_clean_set_gets_only_its_scatter_and_nothing_else():
    text = _notes()
    assert "**Scatter:** H varies by 2 %" in text
    for effect in ("Unloading exponent", "Pile-up", "Pop-ins", "Creep", "Implausible"):
        assert effect not in text


def test_unloading_exponent_note_only_outside_its_range():
    assert "**Unloading exponent outside 1.2-1.6** for *b (m = 1.90)*" in _notes(m=[1.4, 1.9, 1.4])
    assert "Unloading exponent" not in _notes(m=[1.25, 1.5, 1.4])


def test_pileup_note_only_above_its_hf_ratio():
    assert "**Pile-up is possible** for *c (h_f/h_max = 0.85)*" in _notes(
        hf_over_hmax=[0.4, 0.5, 0.85]
    )
    assert "Pile-up" not in _notes(hf_over_hmax=[0.4, 0.5, 0.69])


def test_popin_note_only_with_a_burst():
    text = _notes(popin_load_mN=[0.3, math.nan, math.nan], popin_size_nm=[5.0, math.nan, math.nan])
    assert "**Pop-ins**" in text and "*a (0.3 mN, 5 nm)*" in text
    assert "Pop-ins" not in _notes()


def test_implausible_values_only_outside_the_plausible_range():
    assert "Harder or stiffer than diamond" in _notes(H_GPa=[9000.0, 9.2, 8.9])
    assert "Softer than rubber" in _notes(E_GPa=[0.001, 71.0, 73.0])
    assert "Implausible" not in _notes(H_GPa=[0.5, 20.0, 100.0])


def test_creep_note_only_above_one_percent_of_the_depth():
    assert "**Creep in the hold** of *a (6 nm)*" in _notes(creep_nm=[6.0, 0.5, 0.5])
    assert "Creep" not in _notes(creep_nm=[2.9, 0.5, 0.5])
