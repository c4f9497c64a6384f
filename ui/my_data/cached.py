"""Cached reading and analysis of a learner's own curves ("My own data").

Keyed by the file's bytes and plain settings dicts, so a rerun (moving a widget) costs
nothing and two learners with the same file share one result. The file's bytes live in the
server's memory, in the learner's session (:mod:`ui.my_data.session`) and as the key of these
caches, which also hold the table read from them and the analysis; nothing is written to disk
and a learner sees only results of the data they gave. The caches are small
(:data:`MAX_ENTRIES`): a hosted app has 0.7-2.7 GB for a whole class.

*Column choices* are the keyword arguments of :func:`learners.reading.to_curves` (``load``,
``displacement``, ``time``, ``curve`` and the three units). *Analysis options* hold ``nu``
[-], ``area`` (coefficients C0, C1, ... C5 of the area function), ``fit_range``,
``drift_correction``, ``zero_point_correction`` and ``creep_correction`` (Feng & Ngan 2002;
it needs a time column).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from learners import curve_features
from learners.curves.area_function import polynomial_area_function
from learners.reading import TableFile, UserCurves, read_table, sample_csv, to_curves

#: Most results kept per cache. A 20 MB file read and analysed (up to
#: learners.reading.MAX_CELLS padded cells) can take a few hundred MB; most are far smaller.
MAX_ENTRIES = 4


@dataclass
class Analysed:
    """The learner's curves and their analysis.

    Attributes
    ----------
    curves : learners.reading.UserCurves
    features : pandas.DataFrame
        One row per curve: :func:`learners.curve_features` (Oliver-Pharr and shape features).
    drift_skipped : bool
        True when drift correction was asked for without a time column (not applied).
    drift_unmeasured : int
        Curves whose drift rate could not be measured although correction was asked for with
        a time column (no low-load hold): they are analysed without the correction.
    creep_skipped : bool
        True when the creep correction was asked for without a time column (not applied).
    """

    curves: UserCurves
    features: pd.DataFrame
    drift_skipped: bool = False
    drift_unmeasured: int = 0
    creep_skipped: bool = False


@st.cache_data(max_entries=4, show_spinner=False)
def sample_file(seed: int = 0) -> str:
    """The sample file's text (:func:`learners.reading.sample_csv`)."""
    return sample_csv(seed)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Reading your file ...")
def read(data: bytes) -> TableFile:
    """The table in ``data``; raises :class:`learners.reading.CurveFileError` when unreadable."""
    return read_table(data)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Analysing your curves ...")
def analyse(data: bytes, columns: dict, options: dict) -> Analysed:
    """Curves from the chosen ``columns`` of ``data``, analysed with ``options``.

    Oliver & Pharr (1992, 2004) through :func:`learners.curve_features`, with the area
    function of :func:`learners.curves.area_function.polynomial_area_function`.

    Raises
    ------
    learners.reading.CurveFileError
        When the columns do not give curves (see :func:`learners.reading.to_curves`).
    ValueError
        For impossible options (e.g. C0 <= 0).
    """
    curves = to_curves(read(data).frame, **columns)
    drift = bool(options["drift_correction"])
    drift_skipped = drift and curves.t_s is None
    creep = bool(options.get("creep_correction"))
    creep_skipped = creep and curves.t_s is None
    features = curve_features(
        curves.h_nm,
        curves.P_mN,
        curves.t_s,
        nu=options["nu"],
        tip=polynomial_area_function(options["area"]),
        fit_range=tuple(options["fit_range"]),
        drift_correction=drift and not drift_skipped,
        zero_point_correction=bool(options["zero_point_correction"]),
        creep_correction=creep and not creep_skipped,
    )
    drift_unmeasured = 0
    if drift and not drift_skipped:
        unmeasured = features["ok"] & features["drift_rate_nm_per_s"].isna()
        drift_unmeasured = int(unmeasured.sum())
    return Analysed(curves, features, drift_skipped, drift_unmeasured, creep_skipped)
