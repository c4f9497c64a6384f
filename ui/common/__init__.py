"""What several lessons share: the curve-drawing pieces (segment colours, fit overlay,
defect markers, axis titles) so every page draws a curve the same way; the exercise registry
(exercises.py), the class store on st.connection (store.py), the learner's progress and its
URL parameters (progress.py) and the "next" link at the end of every page (path.py)."""
