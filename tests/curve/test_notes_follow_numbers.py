"""Notes that name an effect show only when this curve's numbers show it (issue 14)."""

from __future__ import annotations

import numpy as np

from simulator import simulate_curve
from simulator.protocol import SEGMENT_CODES
from ui.curve import notes, tables

#: A real curve's truth (every key a note may quote), with creep.
TRUTH = simulate_curve(material="PMMA", defects={"creep_nm": 50.0}).truth
OP = {"H_GPa": 1.0, "E_GPa": 101.0}


def _curve(nose_nm: float):
    hold, unload = SEGMENT_CODES["hold"], SEGMENT_CODES["unloading"]
    segment = np.array([hold] * 5 + [unload] * 10)
    h = np.r_[
        np.linspace(90, 100, 5),
        100 + nose_nm * np.sin(np.linspace(0, 1.2, 10)) - np.linspace(0, 30, 10) * (nose_nm == 0),
    ]
    return segment, h


def test_creep_note_names_a_nose_only_when_the_unloading_has_one():
    segment, h = _curve(4.0)
    nose = tables.unloading_nose_nm(segment, h)
    assert nose > tables.NOSE_MIN_NM
    (_, note) = notes.what_to_notice(["creep"], TRUTH, OP, {}, nose)
    assert "a 'nose'" in note and "too high" in note
    segment, h = _curve(0.0)
    nose = tables.unloading_nose_nm(segment, h)
    assert nose == 0.0
    (_, note) = notes.what_to_notice(["creep"], TRUTH, OP, {}, nose)
    assert "no 'nose'" in note and "on this curve it does not" in note
