"""Keep the learner's data and choices of "My own data" in their session.

Streamlit forgets a widget's value when the learner opens another page (the widget is not
drawn there), and a file uploader never lives in the URL. So the page copies what it needs
into one plain session-state entry, :data:`SAVED`, and puts it back into the widgets when
the learner returns: the data source, the pasted text, the uploaded file's bytes, the column
and unit choices and the analysis options survive a rerun and a page switch. The session
lives in the server's memory (never on disk) and only this learner sees it; the bytes also
key the small caches of :mod:`ui.my_data.cached`. :func:`forget_upload` drops the file.
"""

from __future__ import annotations

import streamlit as st

#: Session-state key of the saved choices: {widget key: value}.
SAVED = "mydata_saved"
#: Session-state key of the last upload that could be read:
#: {"name": str, "files": [(file name, bytes), ...]} (one or several files).
UPLOAD = "mydata_upload"
#: Session-state key of the last upload looked at: {"signature": ..., "error": str or None}.
CHECKED = "mydata_upload_checked"


def saved() -> dict:
    """The saved choices of this session (created empty on first use)."""
    return st.session_state.setdefault(SAVED, {})


def restore(keys) -> None:
    """Put saved values back into widgets the last page switch cleared (call before drawing)."""
    memory = saved()
    for key in keys:
        if key not in st.session_state and key in memory:
            st.session_state[key] = memory[key]


def keep(key: str, value):
    """Save ``value`` under the widget ``key`` and return it (call right after drawing)."""
    saved()[key] = value
    return value


def upload_files(widget_key: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of the files in the uploader now (empty when none)."""
    value = st.session_state.get(widget_key)
    if value is None:
        return []
    files = value if isinstance(value, list) else [value]
    return [(f.name, f.getvalue()) for f in files]


def check_upload(widget_key: str, read, kept_key: str = UPLOAD) -> str | None:
    """Read a new upload once; keep it when ``read(files)`` succeeds.

    ``read`` raises ``ValueError`` with a message for files that cannot be read. A good
    upload replaces the kept one; a bad one leaves it (nothing already loaded is lost) and
    its message is returned on every rerun while it stays in the uploader. Returns None
    when the uploader is empty or its files were read. ``kept_key``: where the good upload
    is kept (:data:`UPLOAD` for the page's data, others for the calibration's series).
    """
    checked_key = CHECKED if kept_key == UPLOAD else f"{kept_key}_checked"
    files = upload_files(widget_key)
    if not files:
        st.session_state.pop(checked_key, None)
        return None
    signature = tuple((name, len(data), hash(data)) for name, data in files)
    checked = st.session_state.get(checked_key)
    if checked is None or checked["signature"] != signature:
        error = None
        try:
            read(files)
        except ValueError as err:
            error = str(err)
        else:
            label = files[0][0] if len(files) == 1 else f"{len(files)} files"
            st.session_state[kept_key] = {"name": label, "files": files}
        checked = {"signature": signature, "error": error}
        st.session_state[checked_key] = checked
    return checked["error"]


def forget_if_cleared(widget_key: str, kept_key: str = UPLOAD) -> None:
    """``on_change`` of an uploader: when the learner removed the files that are kept, forget
    them too; removing a file that could not be read keeps the good one before it. (A page
    switch empties the uploader without calling this.)"""
    if upload_files(widget_key):
        return
    checked_key = CHECKED if kept_key == UPLOAD else f"{kept_key}_checked"
    checked = st.session_state.pop(checked_key, None)
    if checked is not None and checked["error"] is None:
        st.session_state.pop(kept_key, None)


def upload(kept_key: str = UPLOAD) -> dict | None:
    """The last upload of this learner that could be read, if any:
    ``{"name": str, "files": [(name, bytes), ...]}``."""
    kept = st.session_state.get(kept_key)
    if kept is not None and "files" not in kept:  # one file kept as {"name", "data"}
        kept = {"name": kept["name"], "files": [(kept["name"], kept["data"])]}
    return kept


def forget_upload() -> None:
    """``on_click`` of "Forget this file": drop the kept file (the uploader is empty then)."""
    st.session_state.pop(UPLOAD, None)
    st.session_state.pop(CHECKED, None)
