"""Benchmark: reading a 16-sheet, 2.5 MB instrument workbook with :func:`learners.read_curves`.

Run from the repository root::

    python bench/bench_reading.py [--points 3200] [--repeat 5]

Writes a workbook laid out as KLA NanoSuite exports it (tests/workbook_fixtures.py: a
"Results" sheet, then 16 "Test 00k" sheets of 7 columns with names and units rows; needs
openpyxl, a development requirement), then times ``read_curves`` on it (best of
``--repeat``; goal under 1 s), beside python-calamine's own parse of the same bytes (the
floor: what is left is IndentLab's). Also times the shipped KLA Example.xls and the 18
Hysitron files. Timings depend on the machine and its load. Not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from workbook_fixtures import kla_like_workbook  # noqa: E402

from learners import read_curves  # noqa: E402


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=3200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from python_calamine import CalamineWorkbook

    data = kla_like_workbook(16, points=args.points, extra_columns=4)

    def parse_only():
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()

    curves = read_curves(("bench.xlsx", data))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"workbook: {len(data) / 1e6:.2f} MB, {curves.n_curves} test sheets of "
        f"{curves.h_nm.shape[1]:,} rows"
    )
    print(f"  read_curves: {best(lambda: read_curves(('bench.xlsx', data)), args.repeat):.3f} s")
    print(f"  calamine parse alone: {best(parse_only, args.repeat):.3f} s")
    kla = ROOT / "data/realdata/kla_example/Example.xls"
    print(f"KLA Example.xls (2 tests): {best(lambda: read_curves(kla), args.repeat):.3f} s")
    files = sorted((ROOT / "data/realdata/hysitron_glaucophane").glob("*.txt.gz"))
    print(f"18 Hysitron files: {best(lambda: read_curves(files), 2):.3f} s")


if __name__ == "__main__":
    main()
