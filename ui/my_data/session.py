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
#: Session-state key of the uploaded file: {"name": str, "data": bytes}.
UPLOAD = "mydata_upload"


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


def store_upload(widget_key: str) -> None:
    """``on_change`` of the file uploader: keep the new file's bytes, or forget a removed one."""
    file = st.session_state.get(widget_key)
    if file is None:
        st.session_state.pop(UPLOAD, None)
    else:
        st.session_state[UPLOAD] = {"name": file.name, "data": file.getvalue()}


def upload() -> dict | None:
    """The file this learner uploaded last, if any."""
    return st.session_state.get(UPLOAD)


def forget_upload() -> None:
    """``on_click`` of "Forget this file": drop the kept file (the uploader is empty then)."""
    st.session_state.pop(UPLOAD, None)
