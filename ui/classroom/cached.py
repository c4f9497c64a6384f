"""Cached pieces of the course pages (the guide is computed once per process and address)."""

from __future__ import annotations

import streamlit as st

from ui.classroom import guide


@st.cache_data(max_entries=8, show_spinner="Computing the expected answers ...")
def guide_text(base: str) -> str:
    """The instructor guide (:func:`ui.classroom.guide.build`) with links to ``base``."""
    return guide.build(base)


def served_from() -> str:
    """This app's address as the browser sees it (the guide's default when unknown)."""
    url = (st.context.url or "").split("?")[0]
    if not url.startswith(("http://", "https://")):
        return guide.DEFAULT_BASE
    return url.rsplit("/", 1)[0] if url.count("/") > 2 else url


def checked_base(text: str) -> str | None:
    """``text`` as the guide's link address when it is a plain http(s) address, else None."""
    text = text.strip()
    plain = text.startswith(("http://", "https://")) and not any(c in text for c in " <>()[]\"'")
    return text if plain and len(text) <= 200 else None
