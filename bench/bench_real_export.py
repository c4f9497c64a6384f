"""Oliver-Pharr on a real instrument export, every cycle, against the ``micromechanics``
package on the same file (issue 18: >= 10x faster than it, all cycles).

Run from the repository root::

    python bench/bench_real_export.py [--repeat 20]

The file is the shipped KLA/Agilent ``data/realdata/kla_example/Example.xls`` (the
``micromechanics`` package's own example: 2 tests, one unloading each, about 1,200 points;
the repository holds no 16-test multi-cycle export). Both sides start from arrays already
read (file reading apart): IndentLab's :func:`learners.oliver_pharr` with ``cycle="all"``
on the batch of tests; ``micromechanics``' ``Indentation.analyse()`` per test in its
one-unloading mode (``Method.ISO``; the file's continuous-stiffness columns would otherwise
select its CSM mode, which fits no unloading). Times are per unloading, medians of
``--repeat``. A second anchor that needs nothing beyond scipy: a plain per-unloading
:func:`scipy.optimize.curve_fit` loop of P = alpha (h - h_f)^m on the same fit windows.

``micromechanics`` is not a requirement of IndentLab. To include it without touching the
environment: ``pip install --no-deps --target /tmp/mm micromechanics h5py lmfit asteval
uncertainties dill xlrd`` and run with ``PYTHONPATH=/tmp/mm``. Without it the bench says so
and prints the curve_fit anchor only. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_time  # noqa: E402 (bench/timing.py, beside this script)

from learners import oliver_pharr, read_curves  # noqa: E402
from learners.curves.cycles import cut_cycles  # noqa: E402

FILE = ROOT / "data/realdata/kla_example/Example.xls"
NU = 0.18  # the Poisson's ratio written in the file


def curve_fit_loop(h: np.ndarray, P: np.ndarray, fit_range=(0.2, 0.95)) -> list[float]:
    """Stiffness [mN/nm] of every unloading, one scipy ``curve_fit`` per unloading."""
    h_c, P_c, _, _, table = cut_cycles(h, P)
    stiffness = []
    for row in range(len(table)):
        i_peak, i_end = int(table["i_peak"].iloc[row]), int(table["i_end"].iloc[row])
        hu, Pu = h_c[row, i_peak : i_end + 1], P_c[row, i_peak : i_end + 1]
        P_max = Pu[0]
        window = (Pu >= fit_range[0] * P_max) & (Pu <= fit_range[1] * P_max)
        hw, Pw = hu[window], Pu[window]
        h_max = hu[0]

        def power(x, alpha, h_f, m):
            return alpha * np.clip(x - h_f, 1e-9, None) ** m

        p0 = (P_max / (0.3 * h_max) ** 1.5, 0.7 * h_max, 1.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (alpha, h_f, m), _ = curve_fit(power, hw, Pw, p0=p0, maxfev=5000)
        stiffness.append(alpha * m * (h_max - h_f) ** (m - 1))
    return stiffness


def micromechanics_anchor(repeat: int):
    """Seconds per unloading of micromechanics' analyse() and its stiffnesses, or None."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from micromechanics import Indentation
        from micromechanics.indentation.definitions import Method
    except ImportError as err:
        print(f"micromechanics not importable ({err}); see the docstring to include it")
        return None
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        indentation = Indentation(str(FILE), nuMat=NU)
        per_test, stiffness, n_unloadings = [], [], 0
        for _ in indentation:  # reads the next test; the timing is analyse() alone
            indentation.method = Method.ISO
            per_test.append(median_time(indentation.analyse, repeat))
            stiffness += [float(s) / 1000 for s in indentation.slope]  # mN/µm -> mN/nm
            n_unloadings += len(indentation.slope)
    return sum(per_test) / max(n_unloadings, 1), stiffness, n_unloadings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    curves = read_curves(FILE)
    h, P, t = curves.h_nm, curves.P_mN, curves.t_s
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    table = oliver_pharr(h, P, nu=NU, t_s=t, cycle="all")
    n = len(table)
    ours = median_time(lambda: oliver_pharr(h, P, nu=NU, t_s=t, cycle="all"), args.repeat) / n
    print(f"{FILE.name}: {curves.n_curves} tests of up to {int(np.max(curves.n_points))} points, "
          f"{n} unloadings (all cycles)")  # fmt: skip
    print(f"  IndentLab oliver_pharr(cycle='all'): {ours * 1e3:7.3f} ms per unloading; "
          f"S = {np.round(table['S_mN_per_nm'].to_numpy(), 4).tolist()} mN/nm")  # fmt: skip
    loop = median_time(lambda: curve_fit_loop(h, P), args.repeat) / n
    print(
        f"  plain per-unloading curve_fit loop: {loop * 1e3:7.3f} ms per unloading "
        f"(ratio {loop / ours:.1f}x); S = {np.round(curve_fit_loop(h, P), 4).tolist()} mN/nm"
    )
    # The fixed cost of one call (tables of cycles, contact, broken records; the minimiser's
    # set-up) is shared by all its unloadings: the file's 2 tests repeated 80 times, 160
    # unloadings as in a 16-test export of 10 cycles each, show the cost per unloading then.
    hb, Pb, tb = (np.tile(x, (80, 1)) for x in (h, P, t))
    batch = median_time(lambda: oliver_pharr(hb, Pb, nu=NU, t_s=tb, cycle="all"), 3) / (80 * n)
    print(
        f"  the same tests repeated to 160 unloadings in one call: {batch * 1e3:7.3f} ms "
        "per unloading"
    )
    anchor = micromechanics_anchor(args.repeat)
    if anchor is not None:
        seconds, stiffness, count = anchor
        print(f"  micromechanics analyse() (ISO): {seconds * 1e3:7.3f} ms per unloading over "
              f"{count} unloadings (ratio {seconds / ours:.1f}x, aim >= 10x; "
              f"{seconds / batch:.1f}x against the 160-unloading batch); "
              f"S = {np.round(stiffness, 4).tolist()} mN/nm")  # fmt: skip


if __name__ == "__main__":
    main()
