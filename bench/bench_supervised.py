"""Benchmark: fit and predict times of every supervised model x representation.

Run from the repository root::

    python bench/bench_supervised.py [--n 400] [--repeat 3] [--threads 1]

At the default dataset size (``make_dataset(task)`` makes 400 curves) it splits 70/30,
then times ``pipeline.fit`` on the training curves (the representation is computed inside
the fit: Oliver-Pharr analysis or resampling included) and ``pipeline.predict`` on the test
curves, for the classifiers on the "quality" task (7 classes, the largest) and the
regressors on the "properties" task (two targets). Each time is the median of ``--repeat``
runs. Fits run with ``--threads`` BLAS/OpenMP threads (1, as in ``learners.evaluate``).
Timings depend on the machine and its load. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners.supervised.models import CLASSIFIERS, REGRESSORS, make_pipeline  # noqa: E402
from learners.supervised.representations import REPRESENTATIONS, curve_matrix  # noqa: E402
from simulator import make_dataset  # noqa: E402


def time_pipeline(pipeline, X_train, y_train, X_test, repeat: int) -> tuple[float, float]:
    """Median fit and predict wall times [s] over ``repeat`` runs."""
    fit, predict = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        pipeline.fit(X_train, y_train)
        t1 = time.perf_counter()
        pipeline.predict(X_test)
        predict.append(time.perf_counter() - t1)
        fit.append(t1 - t0)
    return float(np.median(fit)), float(np.median(predict))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="curves per dataset (default 400)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads")
    args = parser.parse_args(argv)

    jobs = [
        ("quality", "classification", CLASSIFIERS),
        ("properties", "regression", REGRESSORS),
    ]
    worst = (0.0, "")
    print(f"{args.n} curves, 70 % train, median of {args.repeat}, {args.threads} thread(s)")
    for task, task_type, models in jobs:
        data = make_dataset(task, args.n, seed=0)
        X = curve_matrix(data)
        y = data.y.to_numpy(dtype=float) if task_type == "regression" else np.asarray(data.y)
        rng = np.random.default_rng(0)
        order = rng.permutation(len(X))
        cut = int(0.7 * len(X))
        train, test = order[:cut], order[cut:]
        print(f"\n{task} ({task_type}, {len(train)} train / {len(test)} test curves)")
        print(f"{'representation':<15}{'model':<25}{'fit [s]':>9}{'predict [s]':>13}")
        for rep in REPRESENTATIONS:
            for model in models:
                pipe = make_pipeline(rep, model, task_type=task_type)
                with threadpool_limits(limits=args.threads), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit_s, predict_s = time_pipeline(pipe, X[train], y[train], X[test], args.repeat)
                worst = max(worst, (fit_s, f"{task}: {rep} + {model}"))
                print(f"{rep:<15}{model:<25}{fit_s:>9.3f}{predict_s:>13.3f}")
    print(f"\nslowest fit: {worst[0]:.2f} s ({worst[1]})")


if __name__ == "__main__":
    main()
