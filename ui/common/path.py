"""The "next" link at the end of every page of the learning path."""

from __future__ import annotations

import streamlit as st

from ui.common import exercises


def next_link(page: str) -> None:
    """A link to the page after ``page`` (its file) on the learning path, and back to Home
    (where the learner's progress is) after the last one."""
    following = exercises.next_page(page)
    if following is None:
        st.page_link(
            "app_pages/home.py",
            label="You reached the end of the path: see your progress on Home",
            icon=":material/home:",
        )
        return
    file, title = following
    st.page_link(file, label=f"Next: {title}", icon=":material/arrow_forward:")
