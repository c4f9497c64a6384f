"""Controls of "My own data": where the curves come from and which column is what.

Every widget has a key and a ``help`` text. These widgets are not bound to the URL: the data
live in the learner's session, not in the link, so a link could not reproduce them. Their
values are saved in the session (:mod:`ui.my_data.session`) and survive a page switch. The
tip and analysis settings are in :mod:`ui.my_data.tip_widgets`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from learners.reading import (
    DEFAULT_UNITS,
    UNITS,
    TableFile,
    guess_columns,
    guess_unit,
)
from ui.my_data import cached, session, tables

UPLOAD, PASTE, SAMPLE, REAL = "Upload files", "Paste columns", "Sample data", "Real curves"
SOURCES = (UPLOAD, PASTE, SAMPLE, REAL)
#: The "Real curves" samples (learners.reading.REAL_SAMPLES) as the page names them.
REAL_LABELS = {
    "hysitron": "Hysitron: 18 indents in glaucophane (conospherical tip)",
    "kla": "KLA / Keysight: 2 Berkovich tests to about 400 mN (Excel workbook)",
}
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
SOURCE_KEYS = ("mydata_source", "mydata_paste", "mydata_real")
PASTE_EXAMPLE = "depth_nm\tload_mN\n0.0\t0.000\n12.5\t0.051\n..."


@dataclass
class Source:
    """The data chosen on the page: a short description, the files as (name, bytes) pairs
    (None when none yet), and the message of an upload that could not be read."""

    kind: str
    label: str
    files: tuple | None = None
    error: str | None = None
    real: str | None = None

    @property
    def data(self) -> bytes | None:
        """The bytes of the one file (None when none or several)."""
        return self.files[0][1] if self.files and len(self.files) == 1 else None

    @property
    def one_table(self) -> bool:
        """One plain text table, whose columns the learner chooses."""
        return bool(self.files) and tables.is_one_table(self.files)


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
            help="Upload the files your instrument exported, paste columns copied from a "
            "spreadsheet, try the page with three simulated curves (whose truth is known), or "
            "with real curves (no truth).",
        ),
    )
    source = Source(kind, "")
    if kind == UPLOAD:
        st.file_uploader(
            "Your files (CSV, TSV, TXT, DAT, Excel, ODS, zip or gz; several at once)",
            accept_multiple_files=True,
            key="mydata_file",
            max_upload_size=120,  # MB: a 100 MB workbook still gets the reader's message
            on_change=session.forget_if_cleared,
            args=("mydata_file",),
            help="Text tables with one row per data point (columns of load and displacement, "
            "optionally time and a curve id; header lines skipped), Hysitron / Bruker text "
            "exports (load in µN), Excel or OpenDocument workbooks of one test per sheet "
            "(KLA / Keysight: names in the first row, units in the second), or a .zip / .gz of "
            "them. Several files at once; up to 20 MB of text or 30 MB of workbook per file.",
        )
        error = session.check_upload("mydata_file", cached.check_files)
        stored = session.upload()
        if stored is not None:
            source = Source(kind, f"your file **{stored['name']}**", tuple(stored["files"]))
            if len(stored["files"]) > 1:
                source.label = f"your **{len(stored['files'])} files**"
            if st.session_state.get("mydata_file") in (None, []) or error:
                # after a page switch the uploader is empty, but the file is still kept
                note, forget = st.columns([3, 1], vertical_alignment="center")
                note.caption(f"Analysing **{stored['name']}** (uploaded earlier).")
                forget.button(
                    "Forget this file",
                    key="mydata_forget_file",
                    on_click=session.forget_upload,
                    width="stretch",
                    help="Drop the files uploaded earlier from this session, so that they are "
                    "no longer analysed; upload others above.",
                )
        source.error = error
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
            source = Source(kind, "the pasted columns", (("pasted", text.encode("utf-8")),))
    elif kind == REAL:
        which = session.keep(
            "mydata_real",
            st.selectbox(
                "Which real curves",
                list(REAL_LABELS),
                key="mydata_real",
                format_func=REAL_LABELS.get,
                help="Real exports shipped with IndentLab (MIT-licensed; data/realdata/README.md "
                "cites them): a Hysitron TI 990 with a 5.3 µm conospherical tip, 200 mN into "
                "glaucophane (18 files, load in µN), or a KLA / Keysight Excel workbook of 2 "
                "Berkovich tests to about 400 mN. No truth comes with them.",
            ),
        )
        files = cached.real_files(which)
        source = Source(kind, f"the **real curves** ({REAL_LABELS[which]})", files, real=which)
    else:
        sample = (("sample", sample_bytes()),)
        source = Source(kind, "the **sample data** (3 simulated curves)", sample)
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
    return cached.sample_file(0).encode("utf-8")


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


def cycle_choice(cycles: list[int]) -> list[int]:
    """Which load-unload cycles to plot (1 the first); all by default."""
    key = "mydata_cycles"
    if key not in st.session_state or not set(st.session_state[key]) <= set(cycles):
        st.session_state[key] = list(cycles)
    return st.multiselect(
        "Cycles to plot",
        cycles,
        key=key,
        help="The load-unload cycles (1 the first) whose H and E (GPa) are plotted against "
        "contact depth (nm); a multi-cycle test unloads several times, each deeper.",
    )
