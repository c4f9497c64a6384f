"""Time for the curve page's work on a fresh curve: simulate, analyse, build both charts.

Run: python bench/bench_curve_page.py
A slider change reruns exactly this (uncached) work; the aim is a fraction of a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners import oliver_pharr  # noqa: E402
from simulator import simulate_curve  # noqa: E402
from ui.curve import charts


def main(repeat: int = 10) -> None:
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        curve = simulate_curve(material="copper (annealed)", noise="default", seed=seed)
        op = oliver_pharr(
            curve.h_nm, curve.P_mN, nu=curve.truth["nu"], t_s=curve.t_s,
            segment=curve.segment, tip=curve.tip,
        )  # fmt: skip
        charts.load_displacement_chart(curve, op).to_dict()
        charts.depth_time_chart(curve).to_dict()
        times.append(time.perf_counter() - start)
    print(
        f"simulate + analyse + 2 charts, one fresh curve: median {np.median(times) * 1e3:.0f} ms, "
        f"max {np.max(times) * 1e3:.0f} ms over {repeat} seeds"
    )


if __name__ == "__main__":
    main()
