"""Benchmark: the "My own data" path on a large uploaded file.

Run from the repository root::

    python bench/bench_my_data.py [--curves 800] [--repeat 3]

Writes ``--curves`` simulated curves (641 points each, load in uN, one curve-id column) as
CSV text, then times each step the page runs on it: reading the text table
(:func:`learners.reading.read_table`), building the padded arrays
(:func:`learners.reading.to_curves`), and the Oliver-Pharr analysis with the curve
features (:func:`learners.curve_features`). Each step prints the median of ``--repeat``
runs. The default is about the reader's limit of 500,000 rows. Timings depend on the
machine and its load. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners import curve_features  # noqa: E402
from learners.reading import read_table, to_curves  # noqa: E402
from simulator import simulate_curves  # noqa: E402


def _timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def _csv(n_curves: int) -> str:
    c = simulate_curves(n_curves, material="fused silica", scatter=0.05, noise="default")
    n_points = c.h_nm.shape[1]
    frame = pd.DataFrame(
        {
            "curve": np.repeat(np.arange(n_curves), n_points),
            "time_s": c.t_s.ravel(),
            "depth_nm": c.h_nm.ravel(),
            "load_uN": 1000 * c.P_mN.ravel(),
        }
    )
    return frame.to_csv(index=False, float_format="%.6g")  # an instrument's precision


def main(n_curves: int = 780, repeat: int = 3) -> None:
    text = _csv(n_curves)
    print(f"{n_curves} curves, {len(text) / 1e6:.1f} MB of CSV; median of {repeat}")
    t, table = _timed(lambda: read_table(text), repeat)
    print(f"read_table         {t:6.2f} s   {len(table.frame):,} rows x {table.frame.shape[1]}")
    columns = dict(
        load="load_uN", displacement="depth_nm", time="time_s", curve="curve", load_unit="µN"
    )
    t, curves = _timed(lambda: to_curves(table.frame, **columns), repeat)
    print(f"to_curves          {t:6.2f} s   arrays {curves.h_nm.shape}")
    t, features = _timed(
        lambda: curve_features(curves.h_nm, curves.P_mN, curves.t_s, nu=0.17), repeat
    )
    print(
        f"curve_features     {t:6.2f} s   ok {features['ok'].mean():.3f}, "
        f"median H {features['H_GPa'].median():.2f} GPa (true 9), "
        f"median E {features['E_GPa'].median():.1f} GPa (true 72)"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curves", type=int, default=780, help="curves in the file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median)")
    args = parser.parse_args()
    main(args.curves, args.repeat)
