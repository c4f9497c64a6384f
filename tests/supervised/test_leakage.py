"""Leakage measured against a within-class null, with corrected intervals, buffered blocks
and the instrument as a cause (issue 15). Small maps and few repeats: the figures of record
come from bench/bench_leakage.py."""

import numpy as np
import pandas as pd
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
from learners.supervised.leakage_maps import (
    measure_over_maps,
    over_maps_verdict,
    rate_trend_p,
    summarise_over_maps,
)
from learners.supervised.splits import make_split, nearest_training_um
from learners.supervised.variogram import empirical_variogram
from simulator import MICROSTRUCTURES, make_dataset
from ui.supervised import leakage_tables
from ui.supervised.options import TIP_WEAR_RATES


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


def _worn(rate: float, maps: range) -> np.ndarray:
    """Per-day leakage of engineered features + k-NN on cement paste (classes overlap), the
    page's 300 indents measured over three days with tip wear at ``rate``, one per map."""
    session = {"days": 3, "tip_wear_nm_per_100": rate}
    return measure_over_maps(
        make_pipeline("features", "knn"),
        lambda seed: _map("cement paste", 300, seed, session=session),
        maps,
        blocked=("day",),
        n_repeats=3,
    )["leakage"].to_numpy()


def _mean_and_half(leakage: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over maps (axis 0) and its interval: INTERVAL_SE se over maps."""
    half = INTERVAL_SE * leakage.std(axis=0, ddof=1) / np.sqrt(leakage.shape[0])
    return leakage.mean(axis=0), half


def test_tip_wear_at_the_largest_rate_makes_random_cv_flatter_and_not_when_off():
    """Must hold: with tip wear at the largest offered rate, random k-fold beats the per-day
    split beyond the null by at least 2 intervals; with wear off it is 0 within its
    interval. Intervals from the spread over 16 independent maps: one map's three per-day
    folds give +-0.05-0.1, wider than the effect (bench/bench_leakage.py)."""
    assert TIP_WEAR_RATES[0] == 0
    leakage = np.column_stack([_worn(r, range(16)) for r in (0.0, TIP_WEAR_RATES[-1])])
    mean, half = _mean_and_half(leakage)
    print(f"\nleakage off {mean[0]:+.3f} ± {half[0]:.3f}, largest {mean[1]:+.3f} ± {half[1]:.3f}")
    assert abs(mean[0]) <= half[0]
    assert mean[1] >= 2 * half[1]


def test_tip_wear_leakage_grows_with_the_rate():
    """Must hold: the excess grows with the wear rate: Page's trend test over every offered
    rate, 8 maps as blocks, one-sided p <= 0.01."""
    leakage = np.column_stack([_worn(r, range(8)) for r in TIP_WEAR_RATES])
    p = rate_trend_p(leakage)
    mean, half = _mean_and_half(leakage)
    print(f"\nby rate {TIP_WEAR_RATES}: {np.round(mean, 3)} ± {np.round(half, 3)}; p {p:.1e}")
    assert p <= 0.01


def test_over_maps_summary_and_trend_on_known_tables():
    per_map = pd.DataFrame(
        {
            "split": ["day"] * 4,
            "baseline": 0.5,
            **{c: [0.1, 0.2, 0.3, 0.4] for c in ("random", "blocked", "gap", "null_gap")},
            "leakage": [0.1, 0.2, 0.3, 0.4],
            "leakage_se": [0.01, 0.2, 0.01, 0.3],
        }
    )
    row = summarise_over_maps(per_map).iloc[0]
    assert row["n_maps"] == 4 and row["leakage"] == pytest.approx(0.25)
    assert row["leakage_se"] == pytest.approx(np.std([0.1, 0.2, 0.3, 0.4], ddof=1) / 2)
    assert row["maps_leaking"] == 2  # 0.1 - 0.02 > 0 and 0.3 - 0.02 > 0
    assert over_maps_verdict(row) == "leak"
    agree = per_map.assign(leakage=0.0, n_indents=60)
    assert summarise_over_maps(agree).iloc[0]["leakage_se"] == pytest.approx(1.5 / 240)
    rising = np.tile([0.0, 0.1, 0.2, 0.3], (6, 1)) + 0.01 * np.arange(6)[:, None]
    assert rate_trend_p(rising) < 0.001 and rate_trend_p(rising[:, ::-1]) > 0.99
    with pytest.raises(ValueError, match="maps x rates"):
        rate_trend_p(rising[:, :2])


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
