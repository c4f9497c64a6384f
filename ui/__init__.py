"""Streamlit-side code of the lessons: one subpackage per lesson, named after what the
learner sees, plus :mod:`ui.common` for what several lessons share.

Data flows one way: ``simulator`` → ``learners`` → ``ui`` → pages. Nothing in ``simulator``
or ``learners`` imports from here. Every lesson has the same small set of modules:

- ``widgets``: keyed, URL-bound controls with help texts (``options`` where the labels and
  defaults are long enough to stand alone);
- ``cached``: ``st.cache_data`` wrappers around the simulator and the learners, keyed by
  plain settings dicts so every session on the same settings shares one copy;
- ``charts``: Altair chart builders with unit-bearing axis titles;
- ``tables``: pure computations that turn truth and results into tables and numbers;
- ``notes``: teaching text (what to notice, captions, warnings) that quotes those numbers;
- ``exercise``: the lesson's exercise and its self-check.

Lessons: :mod:`ui.curve` (Home and Indentation curve), :mod:`ui.model_sees`,
:mod:`ui.maps` (Property maps, Find the phases), :mod:`ui.supervised` (Classify curves,
Predict properties), :mod:`ui.anomalies` (Find bad curves), :mod:`ui.explain` (Why did the
model decide?, Is it physically meaningful?), :mod:`ui.my_data` (My own data).
"""
