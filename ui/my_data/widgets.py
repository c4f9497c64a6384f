"""Controls of "My own data": where the curves come from, which column is what, the analysis.

Every widget has a key and a ``help`` text. Unlike the simulator pages these widgets are not
bound to the URL: the data live in the learner's session, not in the link, so a link could
not reproduce them. Their values are saved in the session (:mod:`ui.my_data.session`) and
survive a page switch. The analysis options shared with "Indentation curve" (fit range,
corrections) come from :func:`ui.curve.widgets.analysis_controls`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from learners.curves.area_function import IDEAL_BERKOVICH_C0
from learners.reading import (
    DEFAULT_UNITS,
    MAX_BYTES,
    UNITS,
    TableFile,
    guess_columns,
    guess_unit,
)
from ui.curve import widgets
from ui.my_data import session
from ui.my_data.cached import sample_file

UPLOAD, PASTE, SAMPLE = "Upload a file", "Paste columns", "Sample data"
SOURCES = (UPLOAD, PASTE, SAMPLE)
IDEAL, CALIBRATED = "ideal Berkovich", "calibrated area function"
ROLES = ("load", "displacement", "time", "curve")
OPTIONAL = ("time", "curve")
ROLE_LABELS = {
    "load": "Load column",
    "displacement": "Displacement column",
    "time": "Time column (optional)",
    "curve": "Curve id column (optional)",
}
ROLE_HELP = {
    "load": "The column with the load P on the indenter. Its unit is chosen below.",
    "displacement": "The column with the displacement h of the tip into the surface "
    "(often called depth). Its unit is chosen below.",
    "time": "The column with the time of each point; needed only to measure thermal drift. "
    "'(none)': no time column.",
    "curve": "The column that says which curve (test, indent) each row belongs to, one value "
    "per curve. '(none)': the whole file is one curve.",
}
SOURCE_KEYS = ("mydata_source", "mydata_paste")
#: Area function coefficients: default, unit (A in nm², h_c in nm) and input step. C3-C5 are
#: the extra terms of a Hysitron (Bruker) calibration, exponents 1/4, 1/8, 1/16.
AREA_COEFFICIENTS = (
    (IDEAL_BERKOVICH_C0, "-", 1.0),
    (0.0, "nm", 10.0),
    (0.0, "nm^1.5", 10.0),
    (0.0, "nm^1.75", 10.0),
    (0.0, "nm^1.875", 10.0),
    (0.0, "nm^1.9375", 10.0),
)
AREA_TEXT = "A = C0 h_c² + C1 h_c + C2 h_c^½ + C3 h_c^¼ + C4 h_c^⅛ + C5 h_c^1/16"
OPTION_KEYS = ("mydata_nu", "mydata_tip", *(f"mydata_C{k}" for k in range(len(AREA_COEFFICIENTS))))
PASTE_EXAMPLE = "depth_nm\tload_mN\n0.0\t0.000\n12.5\t0.051\n..."


@dataclass
class Source:
    """The data chosen on the page: a short description and the bytes (None when none yet)."""

    kind: str
    label: str
    data: bytes | None = None


def _use_sample() -> None:
    """``on_click`` of "Use the sample data"."""
    st.session_state["mydata_source"] = SAMPLE
    session.keep("mydata_source", SAMPLE)


def data_source() -> Source:
    """The source radio, the uploader or text box, and the sample buttons; the chosen data."""
    session.restore(SOURCE_KEYS)
    kind = session.keep(
        "mydata_source",
        st.radio(
            "Where are your curves?",
            SOURCES,
            key="mydata_source",
            horizontal=True,
            help="Upload a text file exported by your instrument, paste columns copied from a "
            "spreadsheet, or try the page with three simulated curves.",
        ),
    )
    source = Source(kind, "")
    if kind == UPLOAD:
        st.file_uploader(
            "Your file (CSV, TSV, TXT or DAT; up to 20 MB)",
            type=["csv", "txt", "tsv", "dat"],
            key="mydata_file",
            max_upload_size=MAX_BYTES // 1_000_000,
            on_change=session.store_upload,
            args=("mydata_file",),
            help="A text table with one row per data point: columns of load and displacement, "
            "optionally time and a curve id; commas, semicolons, tabs or spaces between "
            "columns. Instrument header lines above the numbers are skipped. Excel "
            "workbooks: save the sheet as CSV first.",
        )
        stored = session.upload()
        if stored is not None:
            source = Source(kind, f"your file **{stored['name']}**", stored["data"])
            if st.session_state.get("mydata_file") is None:
                # after a page switch the uploader is empty, but the file is still kept
                note, forget = st.columns([3, 1], vertical_alignment="center")
                note.caption(f"Analysing **{stored['name']}** (uploaded earlier).")
                forget.button(
                    "Forget this file",
                    key="mydata_forget_file",
                    on_click=session.forget_upload,
                    width="stretch",
                    help="Drop the file uploaded earlier from this session, so that it is no "
                    "longer analysed; upload another one above.",
                )
    elif kind == PASTE:
        text = session.keep(
            "mydata_paste",
            st.text_area(
                "Paste your columns here",
                key="mydata_paste",
                height=180,
                placeholder=PASTE_EXAMPLE,
                help="Select the columns in your spreadsheet (with their header row), copy "
                "them and paste here: one row per data point, load and displacement at least.",
            ),
        )
        if text and text.strip():
            source = Source(kind, "the pasted columns", text.encode("utf-8"))
    else:
        source = Source(kind, "the **sample data** (3 simulated curves)", sample_bytes())
    left, right, _ = st.columns([1, 1, 2])
    left.button(
        "Use the sample data",
        key="mydata_use_sample",
        on_click=_use_sample,
        width="stretch",
        help="Load three simulated curves (fused silica, annealed copper, tungsten with a "
        "pop-in), their load in µN, to see what the page does.",
    )
    right.download_button(
        "Download the sample file (CSV)",
        sample_bytes(),
        file_name="indentlab_sample_curves.csv",
        mime="text/csv",
        on_click="ignore",
        key="mydata_sample_download",
        width="stretch",
        help="Columns curve, time_s (s), depth_nm (nm), load_uN (µN): a model of the file "
        "your own data can follow. Upload it back to try the uploader.",
    )
    return source


def sample_bytes() -> bytes:
    """The sample file as bytes."""
    return sample_file(0).encode("utf-8")


def _fmt_column(name: str | None) -> str:
    return "(none)" if name is None else str(name)


def _reset_unit(role: str) -> None:
    """``on_change`` of a column choice: take the unit the new column's name states."""
    quantity = role
    name = st.session_state.get(f"mydata_{role}")
    unit = guess_unit(name, quantity) if name is not None else None
    if unit is not None:
        st.session_state[f"mydata_{role}_unit"] = unit


def column_controls(table: TableFile) -> dict:
    """Column and unit choices, pre-filled with guesses; keyword arguments of ``to_curves``.

    A new file (other column names) resets the choices to the guesses for that file.
    """
    columns = list(table.frame.columns)
    numeric = list(table.frame.select_dtypes("number").columns)
    guess = guess_columns(columns, numeric, table.frame)
    guess["load"] = guess["load"] or columns[0]
    guess["displacement"] = guess["displacement"] or columns[min(1, len(columns) - 1)]
    units = {q: guess_unit(guess[q], q) if guess[q] else None for q in UNITS}
    options = {role: [None, *columns] if role in OPTIONAL else columns for role in ROLES}
    keys = [f"mydata_{r}" for r in ROLES] + [f"mydata_{q}_unit" for q in UNITS]
    signature = "\x1f".join(map(str, columns))
    if session.saved().get("mydata_columns_of") != signature:
        for role in ROLES:
            st.session_state[f"mydata_{role}"] = guess[role]
        for q in UNITS:
            st.session_state[f"mydata_{q}_unit"] = units[q] or DEFAULT_UNITS[q]
        session.keep("mydata_columns_of", signature)
    else:
        session.restore(keys)
    for role in ROLES:  # a stale choice (not a column of this file) falls back to the guess
        if st.session_state.get(f"mydata_{role}", guess[role]) not in options[role]:
            st.session_state[f"mydata_{role}"] = guess[role]

    chosen: dict = {}
    for role, column in zip(ROLES, st.columns(4), strict=True):
        with column:
            chosen[role] = session.keep(
                f"mydata_{role}",
                st.selectbox(
                    ROLE_LABELS[role],
                    options[role],
                    key=f"mydata_{role}",
                    format_func=_fmt_column,
                    on_change=_reset_unit if role in UNITS else None,
                    args=(role,) if role in UNITS else None,
                    help=ROLE_HELP[role],
                ),
            )
            if role in UNITS:
                stated = f" The column's name says {units[role]}." if units[role] else ""
                chosen[f"{role}_unit"] = session.keep(
                    f"mydata_{role}_unit",
                    st.selectbox(
                        f"{role.capitalize()} unit",
                        list(UNITS[role]),
                        key=f"mydata_{role}_unit",
                        disabled=role == "time" and chosen["time"] is None,
                        help=f"The unit of the {role} column; IndentLab converts to "
                        f"{DEFAULT_UNITS[role]}. Pre-filled from the column's name when it "
                        f"states one.{stated}",
                    ),
                )
    return {
        "load": chosen["load"],
        "displacement": chosen["displacement"],
        "time": chosen["time"],
        "curve": chosen["curve"],
        "load_unit": chosen["load_unit"],
        "displacement_unit": chosen["displacement_unit"],
        "time_unit": chosen["time_unit"],
    }


def analysis_options() -> dict:
    """Poisson's ratio, area function and the shared Oliver-Pharr options, as a plain dict."""
    session.restore(OPTION_KEYS)
    nu = session.keep(
        "mydata_nu",
        st.number_input(
            "Poisson's ratio ν of your sample",
            min_value=0.0,
            max_value=0.49,
            value=0.3,
            step=0.01,
            key="mydata_nu",
            help="Lateral contraction ratio of the sample, dimensionless; it enters E only, "
            "through (1 − ν²). Fused silica 0.17, ceramics 0.2-0.25, metals about 0.3, "
            "polymers 0.35-0.45.",
        ),
    )
    tip = session.keep(
        "mydata_tip",
        st.radio(
            "Indenter area function",
            (IDEAL, CALIBRATED),
            key="mydata_tip",
            help="Ideal Berkovich: A = 24.5 h_c² (A in nm², h_c in nm). Calibrated: "
            f"{AREA_TEXT} with the coefficients of your tip's calibration (Oliver & Pharr "
            "1992), which account for its rounded apex.",
        ),
    )
    calibrated = tip == CALIBRATED
    coefficients = [_coefficient(k, calibrated) for k in range(3)]
    with st.expander("More coefficients (C3-C5)"):
        st.caption("Some calibrations (Hysitron / Bruker) add up to three more terms.")
        coefficients += [_coefficient(k, calibrated) for k in range(3, len(AREA_COEFFICIENTS))]
    options = widgets.analysis_controls()
    return {
        "nu": float(nu),
        "area": _trimmed(coefficients) if calibrated else (IDEAL_BERKOVICH_C0,),
        **options,
    }


def _trimmed(coefficients) -> tuple[float, ...]:
    """The coefficients as floats without trailing zeros (C0 always kept)."""
    C = [float(c) for c in coefficients]
    while len(C) > 3 and C[-1] == 0:
        C.pop()
    return tuple(C)


def _coefficient(k: int, calibrated: bool) -> float:
    """The number input of the area function's coefficient Ck."""
    default, unit, step = AREA_COEFFICIENTS[k]
    ideal = "C0 = 24.5, the others 0" if k else "C0 = 24.5"
    return session.keep(
        f"mydata_C{k}",
        st.number_input(
            f"C{k} ({unit})",
            value=default,
            step=step,
            format="%.6g",
            key=f"mydata_C{k}",
            disabled=not calibrated,
            help=f"Coefficient C{k} [{unit}] of the area function {AREA_TEXT} (h_c in nm, A "
            f"in nm²), from your tip calibration on fused silica. Ideal Berkovich: {ideal}.",
        ),
    )


def curve_choice(names: list[str]) -> int:
    """Which curve to plot; returns its index."""
    key = "mydata_plot_curve"
    if st.session_state.get(key) not in names:
        st.session_state[key] = names[0]
    name = st.selectbox(
        "Curve to plot",
        names,
        key=key,
        help="The load-displacement curve drawn below, with its Oliver-Pharr fit.",
    )
    return names.index(name)
