"""Instructor: create a class, watch it live (who passed, who is stuck), export, close."""

import streamlit as st

from ui.classroom import instructor

st.title("Instructor")
st.markdown(
    "**Run a workshop on this copy of IndentLab.** Create a class: you get a **class code**, "
    "a **join link** for your learners and an **instructor key** that is shown only once. "
    "Learners open the link and choose a nickname (no other personal data); every exercise "
    "they try then shows below, refreshed every few seconds: who passed, who tried and has "
    "not passed yet, and the most common wrong answers. Without the key nothing of a class "
    "is shown. The *Instructor guide* has the plan of the day and a link per exercise."
)

st.subheader("A new class")
instructor.create_form()

st.subheader("Your class")
opened = instructor.open_form()
if opened is None:
    st.info("Create a class, or enter a class code and its instructor key, to see it here.")
else:
    code, key = opened
    instructor.live_view(code, key)
    with st.expander("Close the class"):
        instructor.close_form(code, key)
