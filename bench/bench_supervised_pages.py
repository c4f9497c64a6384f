"""Benchmark: cold times of the cached computations behind the supervised pages, at defaults.

Run from the repository root::

    python bench/bench_supervised_pages.py

For the "Classify curves" page (each of its four tasks at the controls' defaults) and the
"Predict properties" page, it clears every cache of :mod:`ui.supervised.cached` and times
each computation a "Train" press makes, in the order the page makes them (so the dataset is
timed on its own, and later steps find it cached), plus the learner's own fit in the
session. The total is what the first learner on these settings waits for; everyone after
gets the cached results (only their own fit remains). Timings depend on the machine and its
load. Not a test: nothing is asserted.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")  # no "No runtime found" warnings outside `streamlit run`

from ui.supervised import cached, cached_leakage, options, session  # noqa: E402

CACHES = (
    cached.dataset,
    cached.evaluation,
    cached.learning_curve,
    cached_leakage.map_leakage,
    cached.op_baseline,
    cached.out_of_range,
)

#: What each extra of a Train press is.
EXTRA_LABELS = {
    "learning_curve": "learning curve (12 fits)",
    "leakage": "leakage vs null + position control",
    "control": "positive control (stage x, y)",
    "random": "random split (Clever Hans)",
    "clean": "clean test set (Clever Hans)",
    "op": "Oliver-Pharr baseline",
    "out_of_range": "out-of-range test",
}


def timed(label: str, compute) -> float:
    """Run ``compute`` once and print its wall time [s]."""
    t0 = time.perf_counter()
    compute()
    seconds = time.perf_counter() - t0
    print(f"  {label:<40}{seconds:>8.2f} s")
    return seconds


def bench(title: str, data: dict, model: dict, extras: dict) -> float:
    """Cold times of one page's Train press; returns the total [s]."""
    for cache in CACHES:
        cache.clear()
    print(f"\n{title}")
    total = timed("dataset", lambda: cached.dataset(data))
    result = {}

    def main():
        result["evaluation"] = cached.evaluation(data, cached.evaluation_key(model))

    split = options.SPLIT_LABELS[model["split"]].lower()
    total += timed(f"evaluation ({split})", main)
    for name, compute in extras.items():
        total += timed(EXTRA_LABELS.get(name, name), compute)
    total += timed(
        "the learner's own fit (session)",
        lambda: session.fit_in_session(data, model, result["evaluation"]),
    )
    print(f"  {'total (first learner)':<40}{total:>8.2f} s")
    return total


def main() -> None:
    warnings.simplefilter("ignore")
    model = options.default_model("classify")
    name = f"{options.REPRESENTATION_LABELS[model['representation']]} + "
    name += options.MODEL_LABELS[model["model"]]
    totals = {}
    for task, label in options.TASK_LABELS.items():
        data = options.default_data(task)
        totals[label] = bench(
            f"Classify curves: {label} ({data['n']} curves, {name})",
            data,
            model,
            cached.classify_extras(data, model),
        )
    model = options.default_model("properties")
    data = options.default_data("properties")
    name = f"{options.REPRESENTATION_LABELS[model['representation']]} + "
    name += options.MODEL_LABELS[model["model"]]
    totals["Predict properties"] = bench(
        f"Predict properties ({data['n']} curves, {name}, scenario {model['scenario']!r})",
        data,
        model,
        cached.property_extras(data, model),
    )
    slowest = max(totals, key=totals.get)
    print(f"\nslowest page at defaults: {slowest}, {totals[slowest]:.2f} s cold")


if __name__ == "__main__":
    main()
