"""Time to score 10,000 curves with each anomaly detector (issue 6: a few seconds).

Run: python bench/bench_anomaly.py [n_curves]
Prints the time to build the inputs (curve features; normalised curve) and, per detector,
fit + score, each once on a warm process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners.unsupervised.anomaly import METHODS, Detector, anomaly_inputs, detection_report  # noqa: E402
from simulator import make_dataset  # noqa: E402


def main(n: int = 10_000) -> None:
    start = time.perf_counter()
    d = make_dataset("anomalies", n, seed=0)
    print(f"{n} curves x {d.h_nm.shape[1]} points simulated in {time.perf_counter() - start:.2f} s")
    for representation in ("features", "curve"):
        start = time.perf_counter()
        X, _ = anomaly_inputs(d, representation)
        print(f"inputs '{representation}' {X.shape}: {time.perf_counter() - start:.2f} s")
        for method in METHODS:
            start = time.perf_counter()
            det = Detector(method, standardise=representation == "features").fit(X)
            s = det.score(X)
            took = time.perf_counter() - start
            auc = detection_report(s, d.truth["defect"]).set_index("defect").loc["all", "roc_auc"]
            print(f"  {method:18s} fit + score {took:6.2f} s   ROC-AUC {auc:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
