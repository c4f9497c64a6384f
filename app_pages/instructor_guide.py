"""Instructor guide: the plan of the day and every exercise's link and computed answer."""

import streamlit as st

from ui.classroom import cached

st.title("Instructor guide")
st.markdown(
    "The plan of the one-day course and, per exercise, its goal, a link that opens it with "
    "the exact settings, the answer expected at those settings (computed by the app now, so "
    "it stays true when the physics changes) and the common mistakes. The printable copy "
    "is `docs/instructor_guide.md`, generated from the same source."
)
base = st.text_input(
    "Address of this app in the links",
    value=cached.served_from(),
    key="guide_base",
    max_chars=200,
    help="The links below start with this address: the copy your learners open.",
)
if cached.checked_base(base) is None:
    st.error("The address must start with http:// or https:// and hold no spaces or brackets.")
    base = cached.served_from()
text = cached.guide_text(cached.checked_base(base) or cached.served_from())
st.download_button(
    "Download the guide (Markdown)",
    text,
    file_name="indentlab_instructor_guide.md",
    mime="text/markdown",
    on_click="ignore",
    key="guide_download",
    help="The same guide as a Markdown file, to print or to edit for your own course.",
)
st.markdown(text.split("\n", 1)[1])  # the page title stands for the guide's heading
