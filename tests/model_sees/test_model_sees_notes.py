"""The task notes of "What a model sees" claim an effect only when the comparison's numbers
show it (issue 14), on constructed numbers."""

from __future__ import annotations

import pandas as pd

from ui.model_sees import notes
from ui.model_sees.tables import FEATURE_ORIGINS


def _table(op: tuple, curve: tuple, features: tuple = (0.9, 0.85, 0.94)) -> pd.DataFrame:
    rows = {"op2": op, "features": features, "curve": curve, "pca": (0.7, 0.6, 0.8)}
    return pd.DataFrame(
        [(k, a, lo, hi, 0.5) for k, (a, lo, hi) in rows.items()],
        columns=["key", "accuracy", "low", "high", "baseline"],
    )


SINGLES = pd.Series({f: 0.6 for f in FEATURE_ORIGINS})


def _notes(task: str, table: pd.DataFrame) -> str:
    return " ".join(notes.notes(task, SINGLES, table, 0.5, "Logistic regression"))


def test_popin_note_only_when_h_and_e_fall_short_of_the_curve():
    short = _table(op=(0.55, 0.45, 0.65), curve=(0.92, 0.86, 0.96))
    assert "A pop-in hardly changes H and E" in _notes("popin", short)
    level = _table(op=(0.9, 0.84, 0.94), curve=(0.92, 0.86, 0.96))
    assert "A pop-in hardly changes H and E" not in _notes("popin", level)


def test_material_note_only_when_two_numbers_match_the_whole_curve():
    level = _table(op=(0.9, 0.84, 0.94), curve=(0.92, 0.86, 0.96))
    assert "does about as well as one that sees the whole curve" in _notes("material", level)
    behind = _table(op=(0.6, 0.52, 0.68), curve=(0.92, 0.86, 0.96))
    assert "about as well" not in _notes("material", behind)
