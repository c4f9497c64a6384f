"""Explanations of a model's decisions and their scorecard against a known truth.

- :mod:`.attribution`: LIME on features and on curve segments, and the exact attribution
  of a logistic regression.
- :mod:`.scorecard`: agreement, faithfulness and stability scores of an explanation.
"""

import importlib

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


def __getattr__(name: str):
    """Import the submodule that defines ``name`` on first use (PEP 562)."""
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    try:
        module = _SOURCES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    names = set(globals()) - {"_SOURCES", "_SUBMODULES", "importlib", "__getattr__", "__dir__"}
    return sorted(names | set(_SOURCES) | set(_SUBMODULES))
