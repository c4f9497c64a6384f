"""Cold-cache timings of the work behind "Why did the model decide?" and "Is it physically
meaningful?", at the pages' default settings.

Run from the repository root::

    python bench/bench_explain_pages.py [--task phase] [--inputs he_nuisance] [--model logistic]

It times each function of :mod:`ui.explain.cached` once on a cold cache, in the order a
page calls them (so each one's inner caches are warm, as in the app), and prints the
pickled size of what each cache keeps. The issue's budget: one LIME explanation of a
feature model under a second at default settings. Not a test: nothing is asserted;
timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.getLogger("streamlit").setLevel(logging.ERROR)  # no runtime here: caches in memory

from ui.explain import cached, inspection, stress, tasks  # noqa: E402
from ui.explain.widgets import DEFAULTS  # noqa: E402


def timed(label: str, fn):
    """Run ``fn`` once, print its wall time [ms] and the pickled size of its result [kB]."""
    start = time.perf_counter()
    result = fn()
    ms = 1e3 * (time.perf_counter() - start)
    size = len(pickle.dumps(result)) / 1e3
    print(f"  {label:<44s} {ms:8.0f} ms   {size:8.0f} kB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=DEFAULTS["xp_task"], choices=list(tasks.TASKS))
    parser.add_argument("--inputs", default=DEFAULTS["xp_inputs"], choices=list(tasks.INPUTS))
    parser.add_argument("--model", default=DEFAULTS["xp_model"])
    parser.add_argument("--n", type=int, default=DEFAULTS["xp_n"])
    args = parser.parse_args()

    lime = {
        "num_samples": DEFAULTS["xp_samples"],
        "kernel_scale": DEFAULTS["xp_kernel"],
        "discretize": DEFAULTS["xp_discretize"],
        "seed": DEFAULTS["xp_lime_seed"],
        "k": DEFAULTS["xp_k"],
    }
    segments = {
        "segments": DEFAULTS["xp_segments"],
        "n_windows": DEFAULTS["xp_windows"],
        "reference": DEFAULTS["xp_reference"],
    }
    data = tasks.data_settings(args.task, args.n, DEFAULTS["xp_seed"])
    print(f"{tasks.TASKS[args.task].label}, {args.n} curves; {args.model} on {args.inputs}")
    print("Shared by both pages")
    timed("dataset (simulate the curves)", lambda: cached.dataset(data))
    train, test = timed("split_rows", lambda: cached.split_rows(data, tasks.TEST_SIZE))
    pipeline = timed(
        "fit (session, not cached)", lambda: cached.fit(data, train, args.inputs, args.model)
    )
    ref = {"key": {"bench": True}, "data": data, "train": train, "pool_data": data, "pool": test}
    timed("summary (inputs, predictions)", lambda: cached.summary(ref, pipeline))
    timed("permutation importance", lambda: inspection.permutation(ref, pipeline))

    print("Why did the model decide?")
    one = {**lime}
    start = time.perf_counter()
    from learners.explain import explain_lime  # the one explanation of the budget

    X_pool, _, _ = cached._curves(ref, "pool")
    X_train, _, _ = cached._curves(ref, "train")
    explain_lime(pipeline, X_pool, 0, background=X_train, num_samples=one["num_samples"])
    print(f"  {'one LIME explanation (learners.explain_lime)':<44s} "
          f"{1e3 * (time.perf_counter() - start):8.0f} ms")  # fmt: skip
    timed("seed_weights (LIME x 5 seeds)", lambda: cached.seed_weights(ref, pipeline, 0, lime))
    ex = timed(
        "explain_instance (+ exact, scorecard)",
        lambda: cached.explain_instance(ref, pipeline, 0, lime),
    )
    timed(
        "explain_curve (segment LIME)",
        lambda: cached.explain_curve(ref, pipeline, 0, segments, 0, 5000),
    )
    timed("lipschitz (4 neighbours)", lambda: cached.lipschitz(ref, pipeline, 0, lime))
    feature = inspection.permutation(ref, pipeline)["feature"].iloc[0]
    timed("dependence (PDP + ICE)", lambda: inspection.dependence(ref, pipeline, feature, ex.label))
    if data["task"] == "confounded":
        timed("accuracy_on clean test", lambda: stress.accuracy_on(ref, pipeline, data, "test"))

    print("Is it physically meaningful?")
    shifts = [("drift", DEFAULTS["xp_drift"]), ("noise", DEFAULTS["xp_noise"]), ("tip", 20.0)]
    timed("stress_table: drift, noise, tip", lambda: stress.stress_table(ref, pipeline, shifts))
    extra = "clean" if data["task"] == "confounded" else "load"
    timed(f"stress_table: {extra}", lambda: stress.stress_table(ref, pipeline, [(extra, 3.0)]))
    timed(
        "stability_check (3 curves x 5 seeds)", lambda: cached.stability_check(ref, pipeline, lime)
    )


if __name__ == "__main__":
    main()
