"""Benchmark: :func:`learners.find_popins` on the 18 real Hysitron curves (16,400 points each).

Run from the repository root::

    python bench/bench_popins.py [--repeat 5]

Reads data/realdata/hysitron_glaucophane (read time printed apart), then times one batch
call of ``find_popins`` on all 18 curves (best of ``--repeat``). Goal: under 0.5 s.
Also times the cycle search of the same curves (``find_cycles``, which "My own data" runs
for its every-unloading plot; it took about 4 s before records of more than 2048 points
were searched on block maxima). Timings depend on the machine and its load. Not a test:
nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learners import find_popins, read_curves  # noqa: E402
from learners.curves.cycles import find_cycles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted((ROOT / "data/realdata/hysitron_glaucophane").glob("*.txt.gz"))
    start = time.perf_counter()
    curves = read_curves(files)
    read_s = time.perf_counter() - start
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        table = find_popins(curves.h_nm, curves.P_mN, curves.t_s)
        times.append(time.perf_counter() - start)
    print(f"read {curves.n_curves} files, {curves.h_nm.shape[1]:,} points each: {read_s:.2f} s")
    print(
        f"find_popins on {curves.n_curves} curves: best {min(times):.3f} s "
        f"(goal < 0.5 s); {len(table)} pop-ins on "
        f"{table['curve'].nunique()} curves"
    )
    find_cycles(curves.P_mN[:1])  # imports scipy.signal
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        cycles = find_cycles(curves.P_mN)
        times.append(time.perf_counter() - start)
    print(f"find_cycles on {curves.n_curves} curves: best {min(times):.3f} s; {len(cycles)} cycles")


if __name__ == "__main__":
    main()
