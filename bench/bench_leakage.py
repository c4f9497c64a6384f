"""Figures of issue 15: leakage against the within-class null, coverage of the corrected
interval, the instrument as a cause, and BIC on the coarse teaching preset.

Run from the repository root: ``python bench/bench_leakage.py [n_maps] [step ...]`` (default
20 maps, every step; e.g. ``python bench/bench_leakage.py 4 instrument_features instrument``).
Prints; asserts nothing (the tests in tests/supervised/test_leakage.py and
tests/maps/test_clustering.py hold the must-holds on smaller runs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

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


#: The instrument causes at the rates the Classify page offers (its largest last), with the
#: session around them: a chip at the day boundary of a two-day map (indent 162 of 18 x 18),
#: tip wear and drift wander over three days; the page's map (1 mN, no roughness). Then the
#: chip on a surface of 10 nm RMS roughness (each curve's depth zero scatters, so the Kick's
#: law zero offset no longer tells the tip states apart) at 1 mN and at 0.1 mN, where the
#: contact (h_c ~ 90 nm in LD C-S-H) is shallow against the chipped radius, with the
#: engineered features and with Oliver-Pharr H and E only. Options other than
#: ``representation`` go to :func:`simulator.make_dataset`.
_CHIP = {"days": 2, "chip_at_indent": 162}
_ROUGH = {"defects": {"roughness_nm": 10.0}}
INSTRUMENT_CASES = (
    ("chip between 2 days (nm)", "chip_nm", (0.0, 25.0, 50.0, 100.0, 200.0), _CHIP, {}),
    ("tip wear over 3 days (nm / 100 indents)", "tip_wear_nm_per_100", (0.0, 5.0, 25.0, 50.0),
     {"days": 3}, {}),
    ("drift wander over 3 days (nm/s)", "drift_wander_nm_per_s", (0.0, 0.1, 0.25, 0.5),
     {"days": 3}, {}),
    ("chip, Rq 10 nm (nm)", "chip_nm", (0.0, 50.0, 100.0, 200.0), _CHIP, _ROUGH),
    ("chip, Rq 10 nm, 0.1 mN (nm)", "chip_nm", (0.0, 50.0, 100.0, 200.0), _CHIP,
     _ROUGH | {"P_max_mN": 0.1}),
    ("chip, Rq 10 nm, 0.1 mN, op + k-NN (nm)", "chip_nm", (0.0, 50.0, 100.0, 200.0), _CHIP,
     _ROUGH | {"P_max_mN": 0.1, "representation": "op"}),
)  # fmt: skip


def instrument(n_maps: int = 4) -> None:
    """Leakage (gap beyond the null) against the rate of each instrument cause: cement paste
    (classes overlap), 300 indents, k-NN on engineered features (or on what the case names),
    per-day and buffered spatial split; per rate the mean over ``n_maps`` independent maps
    ± 2 se over maps (the valid interval for few leave-one-day-out folds), the mean per-map
    corrected half-width, and how many maps clear 2 of their own intervals (leakage >= 2 x
    2 se)."""
    print(
        f"{'case':<42}{'rate':>6} {'split':<9}{'random':>8}{'blocked':>8}"
        f"{'leakage ± 2se(maps)':>22}{'per-map ±':>11}{'maps >= 2 int.':>16}"
    )
    for title, key, rates, base, options in INSTRUMENT_CASES:
        options = dict(options)
        representation = options.pop("representation", "features")
        for rate in rates:
            rows = []
            for seed in range(n_maps):
                made = make_dataset(
                    "phase", 300, seed=seed, preset="cement paste", session=base | {key: rate},
                    **options,
                )  # fmt: skip
                m = measure_leakage(
                    make_pipeline(representation, "knn"), made, blocked=("day", "buffered"),
                    n_repeats=3, block_um=20.0, buffer_um=8.0, seed=seed,
                )  # fmt: skip
                rows.append(m.summary.assign(seed=seed))
            table = pd.concat(rows)
            for split, t in table.groupby("split", sort=False):
                leak = t["leakage"].to_numpy()
                half = INTERVAL_SE * t["leakage_se"].to_numpy()
                over = INTERVAL_SE * leak.std(ddof=1) / np.sqrt(leak.size)
                print(
                    f"{title:<42}{rate:>6g} {split:<9}{t['random'].mean():>8.3f}"
                    f"{t['blocked'].mean():>8.3f}{leak.mean():>+14.3f} ± {over:.3f}"
                    f"{half.mean():>11.3f}{np.sum(leak >= 2 * half):>11d} of {leak.size}",
                    flush=True,
                )


def instrument_over_maps(n_maps: int = 12) -> None:
    """The instrument must-hold's figures: per-day leakage of engineered features + k-NN on
    cement paste (300 indents, three days) at every tip-wear rate and every drift-wander
    rate the Classify page offers; mean over ``n_maps`` independent maps ± 2 se over maps,
    the median per-map interval, Page's trend test over the rates (maps as blocks)."""
    from learners.supervised.leakage_maps import measure_over_maps, rate_trend_p
    from ui.supervised.options import TIP_WEAR_RATES

    drift_rates = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
    for key, rates in (("tip_wear_nm_per_100", TIP_WEAR_RATES),
                       ("drift_wander_nm_per_s", drift_rates)):  # fmt: skip
        table, own = [], []
        for rate in rates:
            session = {"days": 3, key: rate}
            per_map = measure_over_maps(
                make_pipeline("features", "knn"),
                lambda s, session=session: make_dataset(
                    "phase", 300, seed=s, preset="cement paste", session=session
                ),
                range(n_maps), blocked=("day",), n_repeats=3,
            )  # fmt: skip
            table.append(per_map["leakage"].to_numpy())
            own.append(INTERVAL_SE * per_map["leakage_se"].median())
        table = np.column_stack(table)
        mean = table.mean(axis=0)
        half = INTERVAL_SE * table.std(axis=0, ddof=1) / np.sqrt(n_maps)
        for rate, m, h, o in zip(rates, mean, half, own, strict=True):
            print(f"{key} {rate:>6g}: leakage {m:+.3f} ± {h:.3f} over {n_maps} maps "
                  f"({m / h:+.1f} intervals); one map's interval ± {o:.3f} (median)")  # fmt: skip
        print(f"{key}: Page's trend test over the rates, p = {rate_trend_p(table):.1e}",
              flush=True)  # fmt: skip


def instrument_features() -> None:
    """What the largest offered rate of each cause does to the features, indent by indent:
    the median change of each feature on the last day against the same map measured with
    the instrument off (same seed: same phases, H and E), LD C-S-H indents, in units of the
    LD within-class sd; beside it the LD-HD contrast in the same units. Cement paste, 300
    indents, seed 0."""
    from learners.supervised.representations import CurveFeatures, curve_matrix

    names = (
        "H_GPa", "E_GPa", "hc_nm", "W_total_pJ", "zero_offset_nm", "drift_rate_nm_per_s",
        "creep_nm",
    )  # fmt: skip
    features = CurveFeatures(names)
    for title, key, rates, base, options in INSTRUMENT_CASES:
        if options == _ROUGH or "representation" in options:
            continue  # the same curves as an earlier case, roughness aside
        # without the roughness, which would hide the indent-by-indent change
        options = {k: v for k, v in options.items() if k != "defects"}
        frames = {}
        for rate in (0.0, rates[-1]):
            made = make_dataset(
                "phase", 300, seed=0, preset="cement paste", session=base | {key: rate},
                **options,
            )  # fmt: skip
            frames[rate] = pd.DataFrame(features.fit_transform(curve_matrix(made)), columns=names)
        off, on = frames[0.0], frames[rates[-1]]
        day = made.truth["day"].to_numpy()
        ld, hd = made.y == "LD C-S-H", made.y == "HD C-S-H"
        last = ld & (day == day.max())
        parts = []
        for f in names:
            sd = off[f][ld].std()
            change = float(np.median(on[f][last] - off[f][last])) / sd
            contrast = (off[f][hd].median() - off[f][ld].median()) / sd
            parts.append(f"{f} {change:+.2f} (LD-HD {contrast:+.2f})")
        title = title.replace("Rq 10 nm, ", "")
        print(f"{title} at {rates[-1]:g}, last day: " + ", ".join(parts))


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
    steps = (
        bic_coarse, lambda: coverage(n_maps), null_maps, instrument_features, instrument,
        lambda: instrument_over_maps(n_maps),
    )  # fmt: skip
    if len(sys.argv) > 2:  # e.g. `instrument`: only the named steps
        named = {
            "coverage": lambda: coverage(n_maps),
            "instrument_over_maps": lambda: instrument_over_maps(n_maps),
        }
        steps = [named.get(name, globals()[name]) for name in sys.argv[2:]]
    for step in steps:
        t0 = time.perf_counter()
        step()
        print(f"[{time.perf_counter() - t0:.0f} s]\n", flush=True)
