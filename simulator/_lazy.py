"""Lazy package attributes (PEP 562), shared by ``simulator``, ``learners`` and
``learners.explain``: a package imports the submodule defining a public name on first use."""

from __future__ import annotations

import importlib


def lazy_attributes(package: str, sources: dict[str, str], submodules: tuple[str, ...] = ()):
    """``(__getattr__, __dir__)`` for ``package``: ``sources`` maps each public name to the
    (relative) submodule defining it; ``submodules`` are imported on access by their name."""
    namespace = importlib.import_module(package).__dict__
    hidden = {"_SOURCES", "_SUBMODULES", "_lazy", "lazy_attributes", "__getattr__", "__dir__"}

    def __getattr__(name: str):
        """Import the submodule that defines ``name`` on first use (PEP 562)."""
        if name in submodules:
            return importlib.import_module(f".{name}", package)
        try:
            module = sources[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted((set(namespace) - hidden) | set(sources) | set(submodules))

    return __getattr__, __dir__
