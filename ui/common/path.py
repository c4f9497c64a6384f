"""The "next" link at the end of every page of the learning path."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from ui.common import exercises


def next_link(page: str) -> None:
    """A link to the page after ``page`` (its file) on the learning path, and back to Home
    (where the learner's progress is) after the last one.

    A page run on its own (``streamlit run app_pages/<page>.py``, or a test that opens the
    page file) has no navigation to link into: then there is no link.
    """
    following = exercises.next_page(page)
    if following is None:
        file, label = "app_pages/home.py", "You reached the end of the path: see your progress"
    else:
        file, label = following[0], f"Next: {following[1]}"
    try:
        st.page_link(file, label=label, icon=":material/arrow_forward:")
    except StreamlitPageNotFoundError:
        pass  # no st.navigation: the page runs alone
