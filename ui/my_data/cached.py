"""Cached reading and analysis of a learner's own curves ("My own data").

Keyed by the files' bytes and plain settings dicts, so a rerun (moving a widget) costs
nothing and two learners with the same files share one result. The bytes live in the
server's memory, in the learner's session (:mod:`ui.my_data.session`) and as the key of these
caches, which also hold the curves read from them and the analyses; nothing is written to
disk and a learner sees only results of the data they gave. The caches are small
(:data:`MAX_ENTRIES`): a hosted app has 0.7-2.7 GB for a whole class.

*Files* are a tuple of (name, bytes) pairs. *Column choices* are the keyword arguments of
:func:`learners.reading.to_curves` (``load``, ``displacement``, ``time``, ``curve`` and the
three units), or None when the files are read with :func:`learners.read_curves` (workbooks,
Hysitron exports, archives, several files: their columns are found from their names).
*Analysis options* hold ``nu`` [-], ``area`` (coefficients C0, C1, ... of the area function),
``beta``, ``epsilon`` [-], ``frame_compliance_nm_per_mN``, ``radius_nm`` (a sphere's radius,
None for a pyramid), ``fit_range``, ``drift_correction``, ``zero_point_correction`` and
``creep_correction`` (Feng & Ngan 2002; it needs a time column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from learners import Calibration, calibrate, curve_features, find_popins, hertz_fit, oliver_pharr
from learners.curves.area_function import polynomial_area_function
from learners.curves.cycles import zero_at_contact
from learners.reading import (
    CurveFileError,
    TableFile,
    read_curves,
    read_table,
    real_sample_files,
    sample_csv,
    to_curves,
)
from ui.my_data import tables

#: Most results kept per cache. A 20 MB file read and analysed (up to
#: learners.reading.MAX_CELLS padded cells) can take a few hundred MB; most are far smaller.
MAX_ENTRIES = 4


@dataclass
class Curves:
    """Curves ready for the analysis: the depth zero at contact, points before it cut away.

    ``names``, ``h_nm``, ``P_mN``, ``t_s`` (None without time), ``n_points`` as in
    :class:`learners.reading.UserCurves`; ``contact`` is
    :func:`learners.curves.cycles.find_contact`'s table (one row per curve, with ``note``);
    ``notes`` what reading noticed; ``vendor`` the vendor's own results (or None);
    ``dropped_rows`` rows without numbers left out of a text table; ``skipped`` the files of
    a multi-file upload that could not be read, (name, message), the others being read.
    """

    names: list[str]
    h_nm: np.ndarray
    P_mN: np.ndarray
    t_s: np.ndarray | None
    n_points: np.ndarray
    contact: pd.DataFrame
    notes: list[str]
    vendor: pd.DataFrame | None = None
    dropped_rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n_curves(self) -> int:
        return len(self.names)


@dataclass
class Analysed:
    """The learner's curves and their analysis.

    Attributes
    ----------
    curves : Curves
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

    curves: Curves
    features: pd.DataFrame
    drift_skipped: bool = False
    drift_unmeasured: int = 0
    creep_skipped: bool = False


@st.cache_data(max_entries=4, show_spinner=False)
def sample_file(seed: int = 0) -> str:
    """The sample file's text (:func:`learners.reading.sample_csv`)."""
    return sample_csv(seed)


@st.cache_data(max_entries=2, show_spinner=False)
def real_files(which: str) -> tuple[tuple[str, bytes], ...]:
    """The shipped real exports of a "Real curves" sample, as (name, bytes) pairs."""
    return tuple((path.name, path.read_bytes()) for path in real_sample_files(which))


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Reading your file ...")
def read(data: bytes) -> TableFile:
    """The table in ``data``; raises :class:`learners.reading.CurveFileError` when unreadable."""
    return read_table(data)


def check_files(files) -> None:
    """Raise CurveFileError (a ValueError) with a message when ``files`` cannot be read."""
    files = tuple(files)
    bad = tables.unsupported_files([name for name, _ in files])
    if len(bad) == len(files):
        raise CurveFileError(tables.unsupported_message(bad))
    if tables.is_one_table(files):
        read(files[0][1])
    else:  # the files that can be read are read, the others listed (Curves.skipped)
        prepare(files, None)


def _shift_left(x: np.ndarray | None, start: np.ndarray) -> np.ndarray | None:
    """Each row of ``x`` moved left to begin at column ``start[row]`` (NaN after its end)."""
    if x is None:
        return None
    idx = np.arange(x.shape[1])[None, :] + start[:, None]
    inside = idx < x.shape[1]
    taken = np.take_along_axis(x, np.clip(idx, 0, x.shape[1] - 1), axis=1)
    return np.where(inside, taken, np.nan)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Reading your curves ...")
def prepare(files: tuple, columns: dict | None) -> Curves:
    """The curves of ``files`` with the depth zero at contact (found from the load).

    ``columns`` None: :func:`learners.read_curves` (any format, several files); else the
    one text table ``files[0]`` with the chosen columns (:func:`learners.reading.to_curves`).
    Raises CurveFileError when the files or the columns do not give curves.
    """
    skipped = []
    if columns is None:
        bad = set(tables.unsupported_files([name for name, _ in files]))
        skipped = [(name, tables.unsupported_message([name])) for name in sorted(bad)]
        readable = [f for f in files if f[0] not in bad]
        if not readable:
            raise CurveFileError(tables.unsupported_message(sorted(bad)))
        read_set = read_curves(readable, skip_unreadable=True)
        names, h, P, t = read_set.names, read_set.h_nm, read_set.P_mN, read_set.t_s
        notes, vendor, dropped = list(read_set.notes), read_set.vendor, 0
        skipped += read_set.skipped
    else:
        user = to_curves(read(files[0][1]).frame, **columns)
        names, h, P, t = user.names, user.h_nm, user.P_mN, user.t_s
        notes, vendor, dropped = [], None, user.dropped_rows
    h0, P0, contact = zero_at_contact(h, P)
    t0 = _shift_left(t, contact["i_contact"].to_numpy())
    if t0 is not None and not np.isfinite(t0).any():
        t0 = None
    n_points = np.isfinite(P0).sum(axis=1).astype(int)
    return Curves(list(names), h0, P0, t0, n_points, contact, notes, vendor, dropped, skipped)


def _op_options(options: dict) -> dict:
    """Keyword arguments of :func:`learners.oliver_pharr` the options set (not nu)."""
    return {
        "tip": polynomial_area_function(options["area"]),
        "fit_range": tuple(options["fit_range"]),
        "beta": float(options["beta"]),
        "epsilon": float(options["epsilon"]),
        "frame_compliance_nm_per_mN": float(options["frame_compliance_nm_per_mN"]),
        "zero_point_correction": bool(options["zero_point_correction"]),
    }


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Analysing your curves ...")
def analyse(files: tuple, columns: dict | None, options: dict) -> Analysed:
    """The curves of :func:`prepare`, analysed with ``options``.

    Oliver & Pharr (1992, 2004) through :func:`learners.curve_features`, with the area
    function of :func:`learners.curves.area_function.polynomial_area_function`.

    Raises
    ------
    learners.reading.CurveFileError
        When the files or the columns do not give curves.
    ValueError
        For impossible options (e.g. C0 = 0).
    """
    curves = prepare(files, columns)
    drift = bool(options["drift_correction"])
    drift_skipped = drift and curves.t_s is None
    creep = bool(options.get("creep_correction"))
    creep_skipped = creep and curves.t_s is None
    features = curve_features(
        curves.h_nm,
        curves.P_mN,
        curves.t_s,
        nu=options["nu"],
        drift_correction=drift and not drift_skipped,
        creep_correction=creep and not creep_skipped,
        **_op_options(options),
    )
    drift_unmeasured = 0
    if drift and not drift_skipped:
        unmeasured = features["ok"] & features["drift_rate_nm_per_s"].isna()
        drift_unmeasured = int(unmeasured.sum())
    return Analysed(curves, features, drift_skipped, drift_unmeasured, creep_skipped)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner="Analysing every unloading ...")
def cycles(files: tuple, columns: dict | None, options: dict) -> pd.DataFrame:
    """Every unloading of every curve: :func:`learners.oliver_pharr` with ``cycle="all"``."""
    curves = prepare(files, columns)
    return oliver_pharr(
        curves.h_nm, curves.P_mN, options["nu"], t_s=curves.t_s, cycle="all", **_op_options(options)
    )


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def popins(files: tuple, columns: dict | None) -> pd.DataFrame:
    """Every pop-in of every curve (:func:`learners.find_popins`)."""
    curves = prepare(files, columns)
    return find_popins(curves.h_nm, curves.P_mN, curves.t_s)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def hertz(files: tuple, columns: dict | None, radius_nm: float, nu: float) -> pd.DataFrame:
    """Hertz fit of each curve's elastic loading under a sphere (:func:`learners.hertz_fit`)."""
    curves = prepare(files, columns)
    return hertz_fit(curves.h_nm, curves.P_mN, radius_nm, nu)


@st.cache_data(max_entries=2, show_spinner="Calibrating ...")
def calibration(reference: tuple, stiff: tuple | None, settings: dict) -> Calibration:
    """Area function and frame compliance from a reference series and, optionally, a stiff
    series (:func:`learners.calibrate`); ``settings`` holds ``E_GPa``, ``nu``, ``beta``,
    ``epsilon``. Raises ValueError (CurveFileError) when the files or the series do not do."""
    ref = prepare(reference, None)
    kwargs = {}
    if stiff:
        hard = prepare(stiff, None)
        kwargs = {"stiff_h_nm": hard.h_nm, "stiff_P_mN": hard.P_mN, "stiff_t_s": hard.t_s}
    return calibrate(
        ref.h_nm,
        ref.P_mN,
        t_s=ref.t_s,
        E_GPa=float(settings["E_GPa"]),
        nu=float(settings["nu"]),
        beta=float(settings["beta"]),
        epsilon=float(settings["epsilon"]),
        **kwargs,
    )
