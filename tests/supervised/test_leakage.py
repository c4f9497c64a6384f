"""Leakage measured against a within-class null, with corrected intervals, buffered blocks
and the instrument as a cause (issue 15). Small maps and few repeats: the figures of record
come from bench/bench_leakage.py."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline as sk_make_pipeline

from learners import make_pipeline
from learners.supervised.leakage import (
    INTERVAL_SE,
    corrected_se,
    measure_leakage,
    within_class_shuffle,
)
from learners.supervised.splits import make_split, nearest_training_um
from learners.supervised.variogram import empirical_variogram
from simulator import MICROSTRUCTURES, make_dataset
from ui.supervised import leakage_tables


def _map(preset: str, n: int, seed: int, **options):
    return make_dataset("phase", n, seed=seed, preset=preset, **options)


def _within(row, what: str = "leakage") -> bool:
    se = row[f"{what}_se" if what != "null_gap" else "null_se"]
    return abs(row[what]) <= INTERVAL_SE * se


@pytest.fixture(scope="module")
def cement():
    return _map("cement paste", 225, 0)


def test_within_class_shuffle_keeps_classes_and_places_and_moves_curves(cement):
    null = within_class_shuffle(cement, 1)
    np.testing.assert_array_equal(null.y, cement.y)
    for column in ("x_um", "y_um", "block", "phase_name"):
        np.testing.assert_array_equal(null.truth[column], cement.truth[column])
    moved = (null.h_nm != cement.h_nm).any(axis=1)
    assert moved.mean() > 0.5
    # each indent got a curve of its own class: the curve's truth (H) came along
    same = np.isin(null.truth["H_GPa"], cement.truth["H_GPa"])
    assert same.all()


def test_corrected_se_exceeds_the_naive_one():
    scores = np.array([0.8, 0.85, 0.82, 0.78, 0.9])
    naive = scores.std(ddof=1) / np.sqrt(5)
    # Nadeau & Bengio: (1/J + n_test/n_train) = 0.2 + 0.25
    expected = np.sqrt(0.45) * scores.std(ddof=1)
    assert corrected_se(scores, np.full(5, 80), np.full(5, 20)) == pytest.approx(expected)
    assert expected > 1.4 * naive


def test_default_buffer_holds_and_the_position_control_falls_to_chance(cement):
    choice = leakage_tables.choose_blocks(
        cement,
        spacing_um=4.0,
        grain_um=MICROSTRUCTURES["cement paste"].grain_um,
        n_splits=5,
        blocks={"auto": True},
        block_um=20.0,
    )
    assert choice.block_um >= choice.range_um and choice.buffer_um >= choice.grain_um
    xy = cement.truth[["x_um", "y_um"]].to_numpy()
    for seed in (0, 1):
        split = make_split(
            cement, "buffered", block_um=choice.block_um, buffer_um=choice.buffer_um, seed=seed
        )
        assert np.nanmin(nearest_training_um(split, xy)) >= choice.buffer_um
    control = measure_leakage(
        sk_make_pipeline(KNeighborsClassifier(5)),
        cement,
        X=xy,
        null=False,
        block_um=choice.block_um,
        buffer_um=choice.buffer_um,
    ).row("buffered")
    baseline = np.unique(cement.y, return_counts=True)[1].max() / cement.n
    assert control["random"] > baseline + 0.05  # neighbours leak under a random split
    assert control["blocked"] <= baseline + INTERVAL_SE * control["blocked_se"]  # chance


def test_variogram_range_follows_the_grain_size():
    ranges = []
    for grain in (6.0, 25.0):
        preset = "dual-phase steel" if grain == 6.0 else "coarse dual-phase steel (teaching)"
        made = _map(preset, 400, 0, spacing_um=3.0)
        xy = made.truth[["x_um", "y_um"]].to_numpy()
        vario = empirical_variogram(xy[:, 0], xy[:, 1], np.log(made.truth[["H_GPa", "E_GPa"]]))
        ranges.append(vario.range_um)
    assert ranges[1] > 1.5 * ranges[0]


def test_leakage_on_the_within_class_shuffle_of_every_preset_is_zero_within_its_interval():
    """Must hold: on a map whose curves were shuffled within each class, the reported
    leakage (gap minus the null's gap) is 0 within its interval, on 12 maps."""
    outside = []
    for preset in MICROSTRUCTURES:
        for seed in (0, 1):
            shuffled = within_class_shuffle(_map(preset, 100, seed), 100 + seed)
            row = measure_leakage(
                make_pipeline("op", "knn"), shuffled, block_um=10.0, buffer_um=4.0, seed=seed
            ).row("buffered")
            if not _within(row):
                outside.append(
                    (preset, seed, round(row["leakage"], 3), round(row["leakage_se"], 3))
                )
    assert not outside, outside


def test_interval_of_the_gap_covers_the_mean_gap_over_independent_maps():
    """Must hold: over 20 independent maps the reported interval (± 2 corrected se) of the
    random-vs-buffered gap covers the mean gap in at least 85 % of them."""
    gaps, halves = [], []
    for seed in range(20):
        row = measure_leakage(
            make_pipeline("op", "knn"),
            _map("cement paste", 100, 200 + seed),
            block_um=10.0,
            buffer_um=4.0,
            null=False,
            seed=seed,
        ).row("buffered")
        gaps.append(row["gap"])
        halves.append(INTERVAL_SE * row["gap_se"])
    gaps, halves = np.array(gaps), np.array(halves)
    covered = np.abs(gaps - gaps.mean()) <= halves
    print(
        f"\ncoverage {covered.mean():.2f}, mean gap {gaps.mean():+.4f}, sd {gaps.std(ddof=1):.4f}"
    )
    assert covered.mean() >= 0.85


CHIPS_NM = (0.0, 50.0, 200.0)


@pytest.fixture(scope="module")
def chipped():
    """Cement paste (classes overlap) measured over two days with a tip that chips between
    them, at the chip sizes the page offers (0, 50 and its largest, 200 nm); engineered
    features and k-NN; leakage on the per-day and the per-tip split against the null (the
    two splits are the same here: the chip falls between the days)."""
    out = {}
    for chip in CHIPS_NM:
        session = {"days": 2, "chip_at_indent": 162, "chip_nm": chip}  # day 2 starts at 162
        made = _map("cement paste", 300, 0, session=session)  # the page's default n
        out[chip] = measure_leakage(
            make_pipeline("features", "knn"),
            made,
            blocked=("day", "tip"),
            block_um=20.0,
            n_repeats=5,  # 5 shuffles of the null: leave-one-day-out has only 2 folds
        ).summary.set_index("split")
    return out


@pytest.mark.xfail(
    strict=True,
    reason="Issue 15 must-hold cannot hold as stated (bench/bench_leakage.py, instrument and "
    "instrument_features; cement paste, 300 indents, features + k-NN, 4 maps, leakage +- 2 se "
    "over maps). Per-day leakage: chip at the day boundary 0/25/50/100/200 nm: +0.007 +- 0.023 "
    "/ +0.179 +- 0.058 / +0.209 +- 0.087 / +0.326 +- 0.079 / +0.125 +- 0.032 (not monotone: "
    "saturates from 25 nm); tip wear 0/5/25/50 nm per 100: +0.006 / +0.051 / +0.070 / +0.064 "
    "(+- 0.02-0.04; saturates from 5, never 2 intervals); drift wander 0/0.1/0.25/0.5 nm/s: "
    "+0.006 / +0.006 / -0.000 / +0.020 (+- 0.02-0.03, zero). At the largest offered rates the "
    "phase-carrying features (H, E, hc) of LD C-S-H move by <= 0.3 within-class sd (LD-HD "
    "contrast ~1.1 sd); only nuisance features move (zero_offset_nm -92 sd at a 200 nm chip, "
    "-65 sd at wear 50; drift rate +11 sd at 0.5 nm/s). The per-day excess is k-NN's scaled "
    "distance swamped by zero_offset out of its training range (trained on the 100 nm tip, "
    "99 % of day 1 predicted clinker), not a trend in the rate; on a 10 nm RMS rough surface "
    "it vanishes (chip 200 nm: +0.004 +- 0.023). Where the tip does change H (0.1 mN, Rq "
    "10 nm, op + k-NN) it grows but only reaches 2 intervals at 200 nm: -0.006 / +0.006 / "
    "+0.009 / +0.060 +- 0.028 at 0/50/100/200 nm. Seed 0 below: 0.019 +- 0.032 / 0.169 +- "
    "0.053 / 0.105 +- 0.334 (2-fold Nadeau-Bengio: per-map intervals 0.01-0.45 at one setting).",
)
def test_the_instrument_makes_random_cv_flatter_and_more_so_the_larger_the_change(chipped):
    """Must hold: with the tip changed between the days, random k-fold beats the per-day
    (and per-tip) split by at least 2 intervals beyond the null at the largest offered
    change; the excess grows with it; with the tip unchanged it is 0 within its interval."""
    for split in ("day", "tip"):
        leak = [chipped[c].loc[split, "leakage"] for c in CHIPS_NM]
        half = [INTERVAL_SE * chipped[c].loc[split, "leakage_se"] for c in CHIPS_NM]
        print(f"\n{split}: leakage {np.round(leak, 3)} ± {np.round(half, 3)}")
        assert abs(leak[0]) <= half[0]
        assert leak[0] < leak[1] < leak[2]
        assert leak[2] >= 2 * half[2]


def test_same_settings_and_seed_give_the_same_numbers_bit_for_bit():
    session = {"days": 2, "tip_wear_nm_per_100": 25.0, "drift_wander_nm_per_s": 0.2}
    runs = [
        measure_leakage(
            make_pipeline("op", "knn"),
            _map("dual-phase steel", 64, 3, session=session),
            blocked=("buffered", "day"),
            block_um=10.0,
            buffer_um=4.0,
        )
        for _ in range(2)
    ]
    assert runs[0].table.equals(runs[1].table) and runs[0].summary.equals(runs[1].summary)
