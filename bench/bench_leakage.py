"""Figures of issue 15: leakage against the within-class null, coverage of the corrected
interval, the instrument as a cause, and BIC on the coarse teaching preset.

Run from the repository root: ``python bench/bench_leakage.py [n_maps]`` (default 20).
Prints; asserts nothing (the tests in tests/supervised/test_leakage.py and
tests/maps/test_clustering.py hold the must-holds on smaller runs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import micrograph_interior  # noqa: E402

from learners import choose_n_phases, make_pipeline  # noqa: E402
from learners.supervised.leakage import INTERVAL_SE, measure_leakage  # noqa: E402
from simulator import indent_map, make_dataset, make_microstructure  # noqa: E402
from simulator.microstructure import LITERATURE_MICROSTRUCTURES  # noqa: E402
from ui.maps.widgets import DEFAULTS as MAP_DEFAULTS  # noqa: E402


def coverage(n_maps: int, n: int = 100) -> None:
    """Interval (± 2 corrected se) of the random-vs-buffered gap against the mean gap."""
    for preset in ("cement paste", "dual-phase steel"):
        gaps, halves, naive = [], [], []
        for seed in range(n_maps):
            made = make_dataset("phase", n, seed=200 + seed, preset=preset)
            m = measure_leakage(
                make_pipeline("op", "knn"), made, block_um=10.0, buffer_um=4.0, null=False,
                seed=seed,
            )  # fmt: skip
            row = m.row("buffered")
            t = m.table
            gaps.append(row["gap"])
            halves.append(INTERVAL_SE * row["gap_se"])
            naive.append(INTERVAL_SE * t["gap"].std(ddof=1) / np.sqrt(len(t)))
        gaps, halves, naive = np.array(gaps), np.array(halves), np.array(naive)
        covered = np.mean(np.abs(gaps - gaps.mean()) <= halves)
        covered_naive = np.mean(np.abs(gaps - gaps.mean()) <= naive)
        print(
            f"{preset}, {n_maps} maps of {n} indents: mean gap {gaps.mean():+.4f}, sd over maps "
            f"{gaps.std(ddof=1):.4f}, mean corrected se {np.mean(halves) / INTERVAL_SE:.4f}; "
            f"coverage of the mean gap: corrected {covered:.2f}, naive {covered_naive:.2f}"
        )


def null_maps(n_maps: int = 12) -> None:
    """Leakage on within-class shuffled maps of every preset."""
    from learners.supervised.leakage import within_class_shuffle

    inside = 0
    for i in range(n_maps):
        preset = list(LITERATURE_MICROSTRUCTURES)[i % 5]
        made = within_class_shuffle(make_dataset("phase", 100, seed=i, preset=preset), 100 + i)
        row = measure_leakage(make_pipeline("op", "knn"), made, block_um=10.0, buffer_um=4.0)
        row = row.row("buffered")
        inside += abs(row["leakage"]) <= INTERVAL_SE * row["leakage_se"]
        print(f"  null map {i} ({preset}): leakage {row['leakage']:+.3f} ± "
              f"{INTERVAL_SE * row['leakage_se']:.3f}")  # fmt: skip
    print(f"shuffled maps with leakage 0 within its interval: {inside} of {n_maps}")


def instrument() -> None:
    """Leakage against the rate of each instrument cause (cement paste, features + k-NN)."""
    cases = [
        ("chip between 2 days (nm)", "chip_nm", (0.0, 25.0, 50.0, 100.0, 200.0), ("day",),
         {"days": 2, "chip_at_indent": 162}),
        ("tip wear over 3 days (nm / 100 indents)", "tip_wear_nm_per_100", (0.0, 5.0, 50.0),
         ("day", "buffered"), {"days": 3}),
        ("drift wander over 3 days (nm/s)", "drift_wander_nm_per_s", (0.0, 0.25, 0.5),
         ("day", "buffered"), {"days": 3}),
    ]  # fmt: skip
    for title, key, rates, blocked, base in cases:
        print(title)
        for rate in rates:
            t0 = time.perf_counter()
            made = make_dataset(
                "phase", 300, seed=0, preset="cement paste", session=base | {key: rate}
            )
            m = measure_leakage(
                make_pipeline("features", "knn"), made, blocked=blocked, n_repeats=5,
                block_um=20.0, buffer_um=8.0,
            )  # fmt: skip
            for _, r in m.summary.iterrows():
                print(
                    f"  {rate:g} {r['split']}: random {r['random']:.3f}, blocked "
                    f"{r['blocked']:.3f}, gap {r['gap']:+.3f} ± {INTERVAL_SE * r['gap_se']:.3f}, "
                    f"null {r['null_gap']:+.3f} ± {INTERVAL_SE * r['null_se']:.3f}, leakage "
                    f"{r['leakage']:+.3f} ± {INTERVAL_SE * r['leakage_se']:.3f} "
                    f"({time.perf_counter() - t0:.1f} s)"
                )


def bic_coarse() -> None:
    """BIC's pick on interior and on all indents, app defaults, seeds 0-3."""
    side = MAP_DEFAULTS["map_size_um"]
    for preset in ("coarse dual-phase steel (teaching)", *LITERATURE_MICROSTRUCTURES):
        picks = []
        for seed in range(4):
            ms = make_microstructure(preset, size_um=(side, side), seed=seed)
            m = indent_map(
                ms, nx=MAP_DEFAULTS["map_nx"], ny=MAP_DEFAULTS["map_ny"],
                spacing_um=MAP_DEFAULTS["map_spacing_um"], P_max_mN=MAP_DEFAULTS["map_P_max_mN"],
                seed=seed,
            )  # fmt: skip
            table, keep = micrograph_interior(ms, m, seed)
            ok = table["ok"].to_numpy()
            k_in = choose_n_phases(table.loc[keep, ["H_GPa", "E_GPa"]], seed=0).attrs["best_k"]
            k_all = choose_n_phases(table.loc[ok, ["H_GPa", "E_GPa"]], seed=0).attrs["best_k"]
            picks.append(f"{k_in['bic']} (all {k_all['bic']})")
        print(f"{preset} (true {len(ms.phases)}): BIC on interior indents, seeds 0-3: {picks}")


if __name__ == "__main__":
    n_maps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for step in (bic_coarse, lambda: coverage(n_maps), null_maps, instrument):
        t0 = time.perf_counter()
        step()
        print(f"[{time.perf_counter() - t0:.0f} s]\n", flush=True)
