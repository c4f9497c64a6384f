"""Explanations of a model's decisions and their scorecard against a known truth.

- :mod:`.attribution`: LIME on features and on curve segments, and the exact attribution
  of a logistic regression.
- :mod:`.scorecard`: agreement, faithfulness and stability scores of an explanation.
"""

from .attribution import (
    curve_segments,
    exact_attribution,
    explain_lime,
    explain_segments,
    split_pipeline,
)

__all__ = [
    "curve_segments",
    "exact_attribution",
    "explain_lime",
    "explain_segments",
    "split_pipeline",
]
