"""Time of one explanation at default settings (issue 7: under a second for a feature model).

Run: python bench/bench_explain.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners import curve_matrix, make_pipeline  # noqa: E402
from learners.explain import exact_attribution, explain_lime, explain_segments  # noqa: E402
from simulator import make_dataset  # noqa: E402


def _median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    threadpool_limits(1)
    d = make_dataset("phase", 400, preset="WC-Co hardmetal", seed=0)
    X = curve_matrix(d)
    for rep, model in (("op", "logistic"), ("features", "logistic"), ("features", "random_forest")):
        pipe = make_pipeline(rep, model).fit(X[:300], d.y[:300])
        t = _median_time(lambda p=pipe: explain_lime(p, X, 310, background=X[:300]))
        print(f"LIME, {rep} + {model}, 5000 samples: {t * 1e3:7.1f} ms (median of 5)")
        if model == "logistic":
            t = _median_time(lambda p=pipe: exact_attribution(p, X, 310, background=X[:300]))
            print(f"exact attribution, {rep} + {model}: {t * 1e3:7.1f} ms")
    q = make_dataset("quality", 240, defect_types=("popin",), label_mode="binary", seed=0)
    Xq = curve_matrix(q)
    for rep, model in (("curve", "logistic"), ("features", "random_forest")):
        pipe = make_pipeline(rep, model).fit(Xq[:160], q.y[:160])
        t = _median_time(lambda p=pipe: explain_segments(p, Xq, 200, background=Xq[:160]))
        print(f"segment LIME, {rep} + {model}, 1000 perturbed curves: {t * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
