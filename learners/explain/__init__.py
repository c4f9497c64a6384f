"""Explanations of a model's decisions and their scorecard against a known truth.

- :mod:`.attribution`: LIME on features and on curve segments, and the exact attribution
  of a logistic regression.
- :mod:`.scorecard`: agreement, faithfulness and stability scores of an explanation.
"""

from simulator._lazy import lazy_attributes

#: Public name -> submodule defining it. Importing the package imports none of them:
#: each is imported on first access (``from learners.explain import x``), so importing the
#: package alone does not import scikit-learn.
_SOURCES = {
    "curve_segments": ".attribution",
    "exact_attribution": ".attribution",
    "explain_lime": ".attribution",
    "explain_segments": ".attribution",
    "split_pipeline": ".attribution",
}
#: Submodules that dir() listed after the former eager import; imported on access.
_SUBMODULES = ("attribution", "scorecard")

__all__ = [
    "curve_segments",
    "exact_attribution",
    "explain_lime",
    "explain_segments",
    "split_pipeline",
]


__getattr__, __dir__ = lazy_attributes(__name__, _SOURCES, _SUBMODULES)
