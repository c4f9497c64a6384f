"""Benchmark: batch Oliver-Pharr analysis against per-curve ``curve_fit`` loops.

Run from the repository root::

    python bench/bench_analysis.py [--curves 10000] [--loop-subset 300] [--repeat 7]

It builds closed-form load-hold-unload curves (Kick's-law loading, power-law unloading,
drift hold, noise), times reading the arrays once (the floor), one
:func:`learners.oliver_pharr` call on the whole batch (the whole analysis: segmentation,
fit, Oliver-Pharr) and the batched power-law fit on the gathered unloading windows alone,
then times :func:`scipy.optimize.curve_fit` fitting P = alpha (h - h_f)^m curve by curve on
the same unloading points, three ways: scipy's defaults ("plain"), unbounded
Levenberg-Marquardt from a good start (the fastest per-curve fit) and bounded "trf" (h_f
kept below the data, 0.5 <= m <= 3). The loops run on a subset and are scaled to the full
batch; all ratios come from this one run. Issue 18's aims: whole analysis <= 0.15 s,
>= 50x the plain loop, >= 15x the LM loop. Timings depend on the machine and its load.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners import oliver_pharr  # noqa: E402
from learners.curves.analysis import analyse_curves  # noqa: E402
from learners.curves.power_law import fit_unloading_power_law  # noqa: E402


def closed_form_batch(
    n_curves: int,
    *,
    rate_hz: float = 20.0,
    P_max_mN: float = 10.0,
    load_noise_mN: float = 0.0005,
    depth_noise_nm: float = 0.2,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Noisy closed-form curves (about 640 points each) and their true H, E [GPa].

    Loading P = C h^2 with C from H and E_r (self-consistent Oliver-Pharr relations, ideal
    Berkovich, beta 1.034, epsilon 0.75), 5 s hold, unloading P = alpha (h - h_f)^1.5 with
    the matching stiffness down to 10 % of P_max, 10 s drift hold, final unloading.
    """
    rng = np.random.default_rng(seed)
    E = rng.uniform(50.0, 400.0, n_curves)
    H = E / np.exp(rng.uniform(np.log(8.0), np.log(200.0), n_curves))
    Er = 1e-6 / ((1 - 0.3**2) / E + (1 - 0.07**2) / 1141.0)  # mN/nm^2
    kappa = 1 + 0.75 * (H * 1e-6) * np.sqrt(24.5 * np.pi) / (2 * 1.034 * Er)
    C = 24.5 * H * 1e-6 / kappa**2
    h_max = np.sqrt(P_max_mN / C)
    A = 24.5 * (h_max / kappa) ** 2
    S = 2 * 1.034 * Er * np.sqrt(A / np.pi)
    m = 1.5
    h_f = h_max - m * P_max_mN / S
    alpha = P_max_mN / (h_max - h_f) ** m

    bounds = np.cumsum([0.0, 2.0, 10.0, 5.0, 4.5, 10.0, 0.5])
    t = np.arange(int(bounds[-1] * rate_hz) + 1) / rate_hz
    seg = np.searchsorted(bounds[1:-1], t, side="right")
    t_in = t - bounds[seg]
    frac = np.select(
        [seg == 1, seg == 2, seg == 3, seg == 4, seg == 5],
        [t_in / 10.0, 1.0, 1 - t_in / 5.0, 0.1, 0.1 - t_in / 5.0],
        0.0,
    )
    frac = np.clip(frac, 0.0, 1.0)
    P = P_max_mN * frac[None, :] * np.ones((n_curves, 1))
    h_load = np.sqrt(P / C[:, None])
    h_unload = h_f[:, None] + (P / alpha[:, None]) ** (1 / m)
    h = np.where((seg >= 3)[None, :], h_unload, h_load)
    h = np.where((seg == 0)[None, :], -10.0 * (2.0 - t)[None, :], h)
    P = P + load_noise_mN * rng.standard_normal(P.shape)
    h = h + depth_noise_nm * rng.standard_normal(h.shape)
    return h, P, H, E


def power_law(h, alpha, h_f, m):
    """P = alpha (h - h_f)^m, zero below h_f."""
    return alpha * np.clip(h - h_f, 1e-12, None) ** m


#: The per-curve loops: label, curve_fit keyword arguments (None: built per curve).
LOOPS = {
    "plain": "scipy defaults (p0 = ones, method lm)",
    "lm": "Levenberg-Marquardt from a good start",
    "trf": "bounded trf (h_f below the data, 0.5 <= m <= 3)",
}


def curve_fit_loop(h: np.ndarray, P: np.ndarray, mask: np.ndarray, kind: str = "lm") -> np.ndarray:
    """Fit the power law to each curve's masked points with curve_fit; return m per curve.

    ``kind="plain"``: curve_fit with its defaults, as a first script does (p0 = ones;
    often converges to a wrong local solution). ``"lm"``: unbounded Levenberg-Marquardt
    from a good start (the fastest per-curve fit). ``"trf"``: bounds keep h_f below the data
    and 0.5 <= m <= 3 (method "trf"), as a careful per-curve script does to avoid NaN from
    (h - h_f) < 0. A fit that raises gives NaN.
    """
    m = np.full(h.shape[0], np.nan)
    for i in range(h.shape[0]):
        hh, PP = h[i, mask[i]], P[i, mask[i]]
        h_f0 = hh.min() - 0.5 * (hh.max() - hh.min())
        p0 = (PP.max() / (hh.max() - h_f0) ** 1.5, h_f0, 1.5)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # OptimizeWarning, overflow in plain fits
                if kind == "plain":
                    popt, _ = curve_fit(power_law, hh, PP)
                elif kind == "trf":
                    bounds = ([0.0, -np.inf, 0.5], [np.inf, hh.min(), 3.0])
                    popt, _ = curve_fit(power_law, hh, PP, p0=p0, bounds=bounds)
                else:
                    popt, _ = curve_fit(power_law, hh, PP, p0=p0, maxfev=10_000)
        except RuntimeError:
            continue
        m[i] = popt[2]
    return m


#: CPU seconds of this process for the timings of the last :func:`timings` call.
CPU_S: list[float] = []


def timings(func, repeat: int) -> np.ndarray:
    """Wall-clock seconds of ``repeat`` calls of ``func()``; their CPU seconds go to CPU_S.

    On a shared machine the wall time grows with the other processes' load; the CPU time of
    this process (numpy runs on one thread here) grows much less, so both are printed.
    """
    out = np.empty(repeat)
    CPU_S.clear()
    for i in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        out[i] = time.perf_counter() - start
        CPU_S.append(time.process_time() - cpu)
    return out


def cpu_median() -> float:
    """Median CPU seconds of the last :func:`timings` call."""
    return float(np.median(CPU_S))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curves", type=int, default=10_000)
    parser.add_argument("--loop-subset", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--loop-repeat", type=int, default=3)
    args = parser.parse_args()

    h, P, H, E = closed_form_batch(args.curves)
    print(f"{args.curves} closed-form curves x {h.shape[1]} points, with load and depth noise")
    print(f"times: median (min) of {args.repeat} runs; loops: median of {args.loop_repeat}")

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    floor_s = timings(lambda: (np.add.reduce(h, axis=1), np.add.reduce(P, axis=1)), args.repeat)
    floor_cpu = cpu_median()
    print(
        f"reading h and P once (row sums):   {np.median(floor_s):7.3f} s  (the floor); "
        f"CPU {floor_cpu:.3f} s"
    )

    oliver_pharr(h[:50], P[:50], nu=0.3)  # warm-up (imports, caches)
    result = oliver_pharr(h, P, nu=0.3)
    batch_s = timings(lambda: oliver_pharr(h, P, nu=0.3), args.repeat)
    batch = float(np.median(batch_s))
    batch_cpu = cpu_median()
    H_err = np.median(np.abs(result["H_GPa"] / H - 1))
    E_err = np.median(np.abs(result["E_GPa"] / E - 1))
    print(
        f"batch oliver_pharr (whole analysis): {batch:7.3f} s  ({batch_s.min():.3f}); "
        f"{batch / np.median(floor_s):.0f}x the floor; aim <= 0.15 s"
    )
    print(f"  CPU time {batch_cpu:.3f} s, {batch_cpu / floor_cpu:.0f}x the floor's CPU time")
    print(
        f"  ok {result['ok'].mean():.1%}; median |error| H {H_err:.2%}, E {E_err:.2%}; "
        f"median fit points {int(result['n_fit_points'].median())}"
    )

    analysis = analyse_curves(h, P, 0.3)
    h_w, P_w, fit_w = (
        analysis.window.gather(analysis.h_nm),
        analysis.window.P_mN,
        analysis.window.fit,
    )
    h_max = analysis.results["h_max_nm"]
    fit_s = timings(lambda: fit_unloading_power_law(h_w, P_w, fit_w, h_max), args.repeat)
    fit = float(np.median(fit_s))
    fit_cpu = cpu_median()
    print(
        f"  of which the power-law fit on the gathered windows ({h_w.shape[1]} columns): "
        f"{fit:.3f} s ({fit_s.min():.3f}); CPU {fit_cpu:.3f} s"
    )

    n_loop = min(args.loop_subset, args.curves)
    mask = analyse_curves(h[:n_loop], P[:n_loop], 0.3).fit_mask
    scale = args.curves / n_loop
    m_batch = result["m"].to_numpy()[:n_loop]
    aims = {"plain": 50.0, "lm": 15.0}
    print(f"per-curve curve_fit loops, timed on {n_loop} curves and scaled by {scale:.1f}:")
    for kind, label in LOOPS.items():
        runs = []

        def run(kind: str = kind, runs: list = runs) -> None:
            runs.append(curve_fit_loop(h[:n_loop], P[:n_loop], mask, kind))

        loop = float(np.median(timings(run, args.loop_repeat))) * scale
        loop_cpu = cpu_median() * scale
        m_loop = runs[-1]
        diff = np.nanmedian(np.abs(m_loop - m_batch))
        failed = np.isnan(m_loop).mean()
        aim = f"; aim >= {aims[kind]:.0f}x" if kind in aims else ""
        print(
            f"  {kind:5s} {label}: {loop:7.3f} s; median |m_loop - m_batch| {diff:.1e}, "
            f"{failed:.0%} raised"
        )
        print(
            f"        speed-up: whole batch analysis {loop / batch:6.1f}x, "
            f"fit alone {loop / fit:6.1f}x{aim}; in CPU time {loop_cpu / batch_cpu:6.1f}x and "
            f"{loop_cpu / fit_cpu:6.1f}x"
        )


if __name__ == "__main__":
    main()
