"""Time to simulate 10,000 curves of about 600 points, against numpy drawing that many normals.

Run: python bench/bench_simulator.py [n_curves]
Prints the median of several runs of each and their ratio (aim: within 10x), plus the
peak resident memory of this process.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import median_time  # noqa: E402 (bench/timing.py, beside this script)

from simulator import Protocol, simulate_curves  # noqa: E402


def main(n_curves: int = 10_000) -> None:
    protocol = Protocol()
    n_points = protocol.n_points
    rng = np.random.default_rng(0)
    t_normal = median_time(lambda: rng.standard_normal((n_curves, n_points)))
    cases = {
        "clean, ideal Berkovich": dict(material="fused silica"),
        "default noise, 5 % scatter": dict(material="ferrite", scatter=0.05, noise="default"),
        "noise + drift + pop-in + size effect, rounded tip": dict(
            material="tungsten",
            tip_radius_nm=150.0,
            noise="default",
            defects={"drift_nm_per_s": 0.05, "popin_load_mN": 1.0, "ise_h_star_nm": 300.0},
        ),
    }
    print(f"{n_curves} curves x {n_points} points")
    print(f"numpy standard_normal of that shape: {t_normal * 1e3:8.1f} ms (median of 5)")
    for label, kwargs in cases.items():
        t_sim = median_time(lambda kw=kwargs: simulate_curves(n_curves, seed=1, **kw))
        print(f"simulate_curves, {label}: {t_sim * 1e3:8.1f} ms  ratio {t_sim / t_normal:5.1f}x")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
