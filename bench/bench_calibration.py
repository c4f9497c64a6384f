"""Benchmark and check: calibration of area function and frame compliance on simulated
calibration sets with a known truth.

Run from the repository root::

    python bench/bench_calibration.py [--seeds 12]

For each seed: fused silica at 12 depths (0.2-100 mN; 50 indents at the shallowest depth,
25, 12, 6, 4 at the next ones, 3 at each deeper one: single shallow indents scatter most) and
tungsten at 8 large loads (100-500 mN), a Berkovich blunted to 200 nm, a 0.3 nm/mN frame,
default noise (tests/curve/test_calibration.py builds the same sets and asserts the
must-hold on 3 seeds). Prints the frame compliance found (goal: within 5 %), the largest
area error over the calibrated depth range (goal: 2 %; the range runs from the shallowest
to the deepest reference indent), the E error of sapphire (10 indents, 2-80 mN) then
analysed with the calibration: of the mean (goal: 2 %), the largest, and the largest
against the same curves analysed with the true tip and frame (the calibration's own share;
single indents at 2 mN already scatter by about 2.5 % with the default noise), and the
time. The last line gives the worst of each over the seeds.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "curve"))

from test_calibration import (  # noqa: E402
    FRAME_NM_PER_MN,
    TIP,
    calibrate_sets,
    calibration_sets,
    sapphire_set,
)

from learners import oliver_pharr  # noqa: E402
from simulator.tips import contact_area_nm2  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12)
    args = parser.parse_args()
    print(
        "seed  C_f (nm/mN)  C_f err  area err max  sapphire E: mean err, max err, "
        "max err against the true calibration  time (s)"
    )
    worst = np.zeros(5)
    for seed in range(1, args.seeds + 1):
        silica, tungsten = calibration_sets(seed)
        start = time.perf_counter()
        cal = calibrate_sets(silica, tungsten)
        elapsed = time.perf_counter() - start
        hc = np.linspace(*cal.hc_range_nm, 400)
        area_err = np.abs(cal.area_function()(hc) / contact_area_nm2(TIP, hc) - 1).max()
        sapphire = sapphire_set(seed)
        result = oliver_pharr(
            sapphire.h_nm,
            sapphire.P_mN,
            0.23,
            tip=cal.area_function(),
            frame_compliance_nm_per_mN=cal.frame_compliance_nm_per_mN,
        )
        E_err = np.abs(result["E_GPa"] / 420.0 - 1).max()
        mean_err = abs(result["E_GPa"].mean() / 420.0 - 1)
        exact = oliver_pharr(  # the same curves with the true tip and frame: the noise floor
            sapphire.h_nm,
            sapphire.P_mN,
            0.23,
            tip=TIP,
            frame_compliance_nm_per_mN=FRAME_NM_PER_MN,
        )
        cal_err = np.abs(result["E_GPa"] / exact["E_GPa"] - 1).max()
        C_f = cal.frame_compliance_nm_per_mN
        C_f_err = abs(C_f / FRAME_NM_PER_MN - 1)
        worst = np.maximum(worst, [C_f_err, area_err, mean_err, E_err, cal_err])
        print(
            f"{seed:4d}  {C_f:11.4f}  {100 * (C_f / FRAME_NM_PER_MN - 1):+6.2f} %"
            f"  {100 * area_err:10.2f} %  {100 * mean_err:6.2f} %  {100 * E_err:6.2f} %"
            f"  {100 * cal_err:6.2f} %  {elapsed:8.2f}"
        )
    print(
        f"worst of {args.seeds} seeds: C_f {100 * worst[0]:.2f} %, area {100 * worst[1]:.2f} %, "
        f"sapphire E mean {100 * worst[2]:.2f} %, single indents {100 * worst[3]:.2f} % "
        f"({100 * worst[4]:.2f} % against the true calibration)"
    )


if __name__ == "__main__":
    main()
