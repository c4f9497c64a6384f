"""Streamlit-side helpers shared by the pages: cached wrappers, widgets, charts and texts.

Data flows one way: ``simulator`` → ``learners`` → ``ui`` → pages. Nothing in ``simulator``
or ``learners`` imports from here. Modules:

- :mod:`ui.cached`: ``st.cache_data`` wrappers around the simulator and the analysis, keyed by
  plain settings dicts so every session on the same settings shares one copy.
- :mod:`ui.widgets`: the keyed, URL-bound controls of one simulated curve.
- :mod:`ui.charts`: Altair chart builders (P-h and h-t by segment, fit overlay, defect
  markers, the primer's labelled sketch).
- :mod:`ui.results`: pure functions that turn truth and analysis into tables and texts.
"""
