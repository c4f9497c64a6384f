"""Benchmark: a 100 x 100 indentation map from microstructure to phases.

Run from the repository root::

    python bench/bench_maps.py [--n 100] [--repeat 3] [--openmp-threads K]

Times, on a dual-phase-steel microstructure large enough to hold the grid (4 um spacing):
making the microstructure, indenting the map (n x n curves), the Oliver-Pharr feature
table, clustering it (k-means, Gaussian mixture, and the other methods), choosing the
number of phases (k = 1..6) on all indents and on the micrograph's interior indents, and
scoring against the truth. Each step reports the median of
``--repeat`` runs. ``--openmp-threads`` limits scikit-learn's OpenMP threads (k-means) with
threadpoolctl; on a busy machine with few cores one thread is often much faster. Timings
depend on the machine and its load. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learners.unsupervised.cluster_scores import score_clustering  # noqa: E402
from learners.unsupervised.clustering import choose_n_phases, cluster_phases  # noqa: E402
from learners.unsupervised.correlative import (  # noqa: E402
    boundary_distance_um,
    interior_indents,
    micrograph_boundaries,
)
from learners.unsupervised.deconvolution import deconvolve  # noqa: E402
from learners.unsupervised.map_features import map_feature_table  # noqa: E402
from simulator import correlative_image, indent_map, make_microstructure  # noqa: E402


def _timed(fn, repeat: int):
    """Median wall time [s] of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def main(n: int = 100, repeat: int = 3, openmp_threads: int | None = None) -> None:
    spacing = 4.0
    side = (n - 1) * spacing + 2 * 12.0  # the grid plus a 12 um margin
    limit = contextlib.nullcontext()
    if openmp_threads is not None:
        from threadpoolctl import threadpool_limits

        limit = threadpool_limits(limits=openmp_threads, user_api="openmp")
    print(
        f"{n} x {n} = {n * n} indents, dual-phase steel {side:.0f} x {side:.0f} um, "
        f"spacing {spacing:g} um, P_max 1 mN; {os.cpu_count()} CPUs, OpenMP threads: "
        f"{openmp_threads or 'default'}; median of {repeat}"
    )
    with limit:
        t, ms = _timed(
            lambda: make_microstructure("dual-phase steel", size_um=(side, side), seed=0), repeat
        )
        print(f"make_microstructure            {t:7.2f} s")
        t, m = _timed(lambda: indent_map(ms, nx=n, ny=n, spacing_um=spacing, seed=0), repeat)
        print(f"indent_map ({m.h_nm.shape[1]} points/curve)  {t:7.2f} s")
        t, table = _timed(lambda: map_feature_table(m), repeat)
        print(f"map_feature_table (OP H, E)    {t:7.2f} s   ok: {table['ok'].mean():.3f}")
        features = table[["H_GPa", "E_GPa"]]
        truth = m.truth["phase"]
        for method in ("kmeans", "gmm", "agglomerative", "dbscan", "hdbscan"):
            t, result = _timed(lambda mt=method: cluster_phases(features, mt, 2, seed=0), repeat)
            ari = score_clustering(result.labels, truth).ari
            print(
                f"cluster_phases {method:15s} {t:7.2f} s   clusters {result.n_clusters}, "
                f"ARI {ari:.3f}"
            )
        t, choice = _timed(lambda: choose_n_phases(features, range(1, 7), seed=0), repeat)
        print(f"choose_n_phases (k = 1..6)     {t:7.2f} s   best k {choice.attrs['best_k']}")
        image = correlative_image(ms, seed=0)
        t, edges = _timed(lambda: micrograph_boundaries(image), repeat)
        print(f"micrograph_boundaries {image.shape[0]}x{image.shape[1]} px {t:7.2f} s")
        area = map_feature_table(m, features=("A_nm2",))["A_nm2"].to_numpy()
        t, keep = _timed(
            lambda: interior_indents(
                boundary_distance_um(edges, ms.pixel_um, m.x_um, m.y_um), area
            ),
            repeat,
        )
        print(f"interior indents (distance)    {t:7.2f} s   interior: {keep.mean():.2f}")
        t, choice = _timed(lambda: choose_n_phases(features[keep], range(1, 7), seed=0), repeat)
        print(f"choose_n_phases, interior only {t:7.2f} s   best k {choice.attrs['best_k']}")
        t, _ = _timed(lambda: deconvolve(features, 2, seed=0), repeat)
        print(f"deconvolve (2 phases)          {t:7.2f} s")
        labels = cluster_phases(features, "gmm", 2, seed=0).labels
        t, _ = _timed(
            lambda: score_clustering(labels, truth, on_interface=m.truth["on_interface"]), repeat
        )
        print(f"score_clustering               {t:7.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="indents per side")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median)")
    parser.add_argument("--openmp-threads", type=int, default=None, help="limit OpenMP threads")
    args = parser.parse_args()
    main(args.n, args.repeat, args.openmp_threads)
