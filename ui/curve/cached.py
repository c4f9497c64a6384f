"""Cached wrappers around the simulator and the analysis.

Every function here is pure and keyed by plain settings (dicts of numbers, strings and
tuples, never live objects), so ``st.cache_data`` gives every session on the same settings
the same result: thirty learners on the default curve cost one simulation. Each cache keeps a
bounded number of entries so a hosted app (0.7-2.7 GB) cannot fill its memory.

A *curve settings* dict holds exactly the keyword arguments of
:func:`simulator.simulate_curve`: ``material`` (preset name or None), ``E``, ``nu``, ``H``
[GPa, -, GPa] (None to take them from the preset), ``tip``, ``tip_radius_nm`` [nm],
``protocol``, ``noise`` and ``defects`` (dicts of their dataclass fields) and ``seed``.
*Analysis options* hold keyword arguments of :func:`learners.oliver_pharr`.
"""

from __future__ import annotations

import streamlit as st

from learners import oliver_pharr
from simulator import simulate_curve

#: Most results each cache keeps (a curve of ~600 points is about 20 kB).
MAX_ENTRIES = 256


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def simulate(settings: dict):
    """Simulate one curve from a curve settings dict; returns a :class:`simulator.Curve`.

    Raises
    ------
    ValueError
        From the simulator, with a message that names the setting, for impossible
        combinations (H >= E, a sphere too small for the load, a pop-in above P_max ...).
    """
    return simulate_curve(**settings)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def analyse(settings: dict, options: dict) -> dict:
    """Oliver-Pharr analysis of the curve ``settings`` describe.

    The analysis uses the sample's Poisson's ratio and the true tip shape, as a lab does
    after calibrating its area function. ``options`` are further keyword arguments of
    :func:`learners.oliver_pharr` (``fit_range``, ``drift_correction``,
    ``zero_point_correction``, ``creep_correction``: Feng & Ngan's stiffness correction, which
    uses the curve's times). Returns its result dict (``ok`` False with a ``reason`` when
    the curve cannot be analysed).
    """
    curve = simulate(settings)
    return oliver_pharr(
        curve.h_nm,
        curve.P_mN,
        nu=curve.truth["nu"],
        t_s=curve.t_s,
        segment=curve.segment,
        tip=curve.tip,
        **options,
    )


def with_defects(settings: dict, **changes) -> dict:
    """A copy of curve ``settings`` with some defect fields changed (others kept)."""
    return {**settings, "defects": {**settings["defects"], **changes}}
