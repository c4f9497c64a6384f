"""Cached reading and analysis of a learner's own curves ("My own data").

Keyed by the file's bytes and plain settings dicts, so a rerun (moving a widget) costs
nothing and two learners with the same file share one result. The data stay in the learner's
session (:mod:`ui.upload_session`); only results live in these bounded caches.

*Column choices* are the keyword arguments of :func:`learners.curve_io.to_curves` (``load``,
``displacement``, ``time``, ``curve`` and the three units). *Analysis options* hold ``nu``
[-], ``area`` (coefficients C0, C1, C2 of the area function), ``fit_range``,
``drift_correction`` and ``zero_point_correction``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from learners import curve_features
from learners.area_function import polynomial_area_function
from learners.curve_io import TableFile, UserCurves, read_table, sample_csv, to_curves

#: Most results kept per cache (a 20 MB file is the worst case; most are far smaller).
MAX_ENTRIES = 16


@dataclass
class Analysed:
    """The learner's curves and their analysis.

    Attributes
    ----------
    curves : learners.curve_io.UserCurves
    features : pandas.DataFrame
        One row per curve: :func:`learners.curve_features` (Oliver-Pharr and shape features).
    drift_skipped : bool
        True when drift correction was asked for without a time column (not applied).
    """

    curves: UserCurves
    features: pd.DataFrame
    drift_skipped: bool = False


@st.cache_data(max_entries=4, show_spinner=False)
def sample_file(seed: int = 0) -> str:
    """The sample file's text (:func:`learners.curve_io.sample_csv`)."""
    return sample_csv(seed)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Reading your file ...")
def read(data: bytes) -> TableFile:
    """The table in ``data``; raises :class:`learners.curve_io.CurveFileError` when unreadable."""
    return read_table(data)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Analysing your curves ...")
def analyse(data: bytes, columns: dict, options: dict) -> Analysed:
    """Curves from the chosen ``columns`` of ``data``, analysed with ``options``.

    Oliver & Pharr (1992, 2004) through :func:`learners.curve_features`, with the area
    function of :func:`learners.area_function.polynomial_area_function`.

    Raises
    ------
    learners.curve_io.CurveFileError
        When the columns do not give curves (see :func:`learners.curve_io.to_curves`).
    ValueError
        For impossible options (e.g. C0 <= 0).
    """
    curves = to_curves(read(data).frame, **columns)
    drift = bool(options["drift_correction"])
    drift_skipped = drift and curves.t_s is None
    features = curve_features(
        curves.h_nm,
        curves.P_mN,
        curves.t_s,
        nu=options["nu"],
        tip=polynomial_area_function(options["area"]),
        fit_range=tuple(options["fit_range"]),
        drift_correction=drift and not drift_skipped,
        zero_point_correction=bool(options["zero_point_correction"]),
    )
    return Analysed(curves, features, drift_skipped)
