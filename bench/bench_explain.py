"""Time of one explanation at default settings, each against its anchor in the same run.

Rows of issue 18's table:

- one LIME explanation of a feature model (aim: <= 50 ms median), as the explanation pages
  call it (the training curves' features given, ``features=``), against ``lime`` alone:
  ``LimeTabularExplainer`` + ``explain_instance`` on the same features, model and 5,000
  samples. Also printed: the call that extracts the background's features from the curves
  again (what the pages did before).
- curve-segment LIME (aim: <= 100 ms median) against masking with ``lime_base``: every one
  of the 1,000 perturbed curves built and predicted, then ``LimeBase`` on the on/off
  patterns (what :func:`learners.explain.explain_segments` did before it predicted each
  distinct pattern once).

Timings alternate between a function and its anchor (median of ``--repeat``), one BLAS
thread. Run: python bench/bench_explain.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import pairwise_distances
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners import curve_matrix, make_pipeline  # noqa: E402
from learners.explain import (  # noqa: E402
    curve_segments,
    exact_attribution,
    explain_lime,
    explain_segments,
    split_pipeline,
)
from learners.explain.attribution import _reference_displacement  # noqa: E402
from simulator import make_dataset  # noqa: E402


def _medians(fns: dict, repeat: int) -> dict:
    """Median seconds of each function, the functions taken in turn ``repeat`` times."""
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def lime_alone(model_part, names, F_bg, F_i, k: int, num_samples: int = 5000):
    """The anchor: lime's own explainer on features already extracted."""
    from lime.lime_tabular import LimeTabularExplainer

    explainer = LimeTabularExplainer(
        F_bg, mode="classification", feature_names=names, discretize_continuous=False,
        random_state=0,
    )  # fmt: skip
    return explainer.explain_instance(
        F_i, model_part.predict_proba, labels=(k,), num_features=len(names),
        num_samples=num_samples,
    )  # fmt: skip


def masking_with_lime_base(pipeline, X, i, background, num_samples=1000, seed=0):
    """The anchor: every perturbed curve built and predicted, then ``LimeBase``."""
    from lime.lime_base import LimeBase

    names, masks = curve_segments(X[i, 3], X[i, 1])
    k = list(pipeline.classes_).index(pipeline.predict(X[i : i + 1])[0])
    ref = _reference_displacement(X, i, background, "mean")
    rng = np.random.default_rng(seed)
    Z = rng.integers(0, 2, size=(num_samples, len(names)))
    Z[0] = 1
    off = (1 - Z) @ masks.astype(int) > 0
    perturbed = np.repeat(X[i : i + 1], num_samples, axis=0)
    perturbed[:, 0] = np.where(off, ref[None, :], X[i, 0][None, :])
    proba = pipeline.predict_proba(perturbed)[:, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        distances = np.nan_to_num(pairwise_distances(Z, Z[:1], metric="cosine").ravel(), nan=1.0)
    base = LimeBase(lambda d: np.sqrt(np.exp(-(d**2) / 0.25**2)),
                    random_state=np.random.RandomState(rng.integers(2**31 - 1)))  # fmt: skip
    return base.explain_instance_with_data(
        Z, proba[:, None], distances, 0, len(names), feature_selection="none"
    )


def feature_lime(repeat: int) -> None:
    d = make_dataset("phase", 400, preset="WC-Co hardmetal", seed=0)
    X = curve_matrix(d)
    print("one LIME explanation of a feature model (5000 samples; aim <= 50 ms median)")
    for rep, model in (("features", "logistic"), ("features", "random_forest"), ("op", "logistic")):
        pipe = make_pipeline(rep, model).fit(X[:300], d.y[:300])
        features, model_part, names = split_pipeline(pipe)
        F = (features.transform(X[:300]), features.transform(X[310:311])[0])
        k = list(model_part.classes_).index(model_part.predict(F[1][None, :])[0])
        t = _medians(
            {
                "page": lambda p=pipe, F=F: explain_lime(p, X, 310, features=F),
                "anchor": lambda m=model_part, n=names, F=F, k=k: lime_alone(m, n, *F, k),
                "curves": lambda p=pipe: explain_lime(p, X, 310, background=X[:300]),
            },
            repeat,
        )
        print(f"  {rep} + {model} ({len(names)} inputs): {t['page'] * 1e3:6.1f} ms, lime alone "
              f"{t['anchor'] * 1e3:6.1f} ms, ratio {t['page'] / t['anchor']:.2f}; with the "
              f"background's features extracted again {t['curves'] * 1e3:6.1f} ms")  # fmt: skip
        if model == "logistic":
            t = _medians({"exact": lambda p=pipe, F=F: exact_attribution(p, X, 310, features=F)},
                         repeat)  # fmt: skip
            print(f"    exact attribution: {t['exact'] * 1e3:6.2f} ms")


def segment_lime(repeat: int) -> None:
    q = make_dataset("quality", 240, defect_types=("popin",), label_mode="binary", seed=0)
    X = curve_matrix(q)
    print("curve-segment LIME (1000 perturbed curves, 8 segments; aim <= 100 ms median)")
    for rep, model in (("curve", "logistic"), ("features", "random_forest")):
        pipe = make_pipeline(rep, model).fit(X[:160], q.y[:160])
        t = _medians(
            {
                "page": lambda p=pipe: explain_segments(p, X, 200, background=X[:160]),
                "anchor": lambda p=pipe: masking_with_lime_base(p, X, 200, X[:160]),
            },
            repeat,
        )
        print(f"  {rep} + {model}: {t['page'] * 1e3:7.1f} ms, masking with lime_base "
              f"{t['anchor'] * 1e3:7.1f} ms, ratio {t['page'] / t['anchor']:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    threadpool_limits(1)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    feature_lime(args.repeat)
    segment_lime(args.repeat)


if __name__ == "__main__":
    main()
