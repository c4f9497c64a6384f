"""Classify curves and Predict properties: tasks, representations, models and splits, the
evaluation and its charts, notes and exercises; ``session`` keeps the runs of a session."""
