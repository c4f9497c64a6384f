"""Correlative micrograph: noise, boundaries, distances, interior indents (issue 4)."""

import numpy as np
import pytest
from conftest import micrograph_interior

from learners import (
    boundary_distance_um,
    choose_n_phases,
    cluster_phases,
    interior_indents,
    micrograph_boundaries,
)
from learners.unsupervised.correlative import image_noise_sd
from simulator import indent_map, make_microstructure


def _step_image(noise_sd: float, seed: int = 0, size: int = 200) -> np.ndarray:
    """Left half 0.3, right half 0.8, white noise."""
    image = np.full((size, size), 0.3)
    image[:, size // 2 :] = 0.8
    return image + noise_sd * np.random.default_rng(seed).standard_normal(image.shape)


@pytest.mark.parametrize("noise_sd", [0.01, 0.04, 0.1])
def test_noise_sd_is_recovered_from_the_image(noise_sd):
    assert image_noise_sd(_step_image(noise_sd)) == pytest.approx(noise_sd, rel=0.05)


def test_boundaries_follow_the_step_and_not_the_noise():
    edges = micrograph_boundaries(_step_image(0.04))
    columns = np.arange(edges.shape[1])
    near_step = np.abs(columns - 100) <= 3
    assert edges[:, near_step].any(axis=1).all()  # every row finds the step
    assert edges[:, ~near_step].mean() < 1e-4  # noise alone makes (almost) none


def test_a_flat_noisy_image_has_no_boundary_and_infinite_distances():
    flat = 0.5 + 0.04 * np.random.default_rng(1).standard_normal((150, 150))
    edges = micrograph_boundaries(flat)
    assert edges.sum() <= 2
    if not edges.any():
        assert np.isinf(boundary_distance_um(edges, 0.1, [5.0], [5.0])).all()


def test_distance_to_a_known_boundary():
    edges = np.zeros((50, 80), dtype=bool)
    edges[:, 40] = True  # boundary pixels centred at x = 40.5 px
    pixel_um = 0.25
    x = np.array([10.125, 5.0, 12.0, -1.0, 30.0])
    y = np.array([5.0, 5.0, 5.0, 5.0, 5.0])
    d = boundary_distance_um(edges, pixel_um, x, y)
    expected = np.abs(np.floor(x / pixel_um) - 40) * pixel_um
    assert d[:3] == pytest.approx(expected[:3])
    assert np.isnan(d[3]) and np.isnan(d[4])  # outside the image


def test_interior_means_farther_than_the_zone_of_influence():
    area = np.pi * 200.0**2 * np.ones(4)  # contact radius 200 nm
    d = np.array([0.79, 0.81, np.nan, 2.0])
    assert interior_indents(d, area, zone_radii=4.0).tolist() == [False, True, False, True]
    area[3] = np.nan
    assert not interior_indents(d, area)[3]
    with pytest.raises(ValueError, match="zone_radii"):
        interior_indents(d, area, zone_radii=0)
    with pytest.raises(ValueError, match="image"):
        micrograph_boundaries(np.ones((2, 2)))


@pytest.fixture(scope="module")
def counted():
    """Per preset: indent_map's defaults (30 x 30, 4 um, 1 mN) on a 140 um microstructure."""
    out = {}
    for preset in ("dual-phase steel", "Al-SiC composite"):
        ms = make_microstructure(preset, size_um=(140, 140), seed=0)
        m = indent_map(ms, seed=0)
        table, keep = micrograph_interior(ms, m, seed=0)
        out[preset] = (ms, m, table, keep)
    return out


@pytest.mark.parametrize("preset", ["dual-phase steel", "Al-SiC composite"])
def test_micrograph_interior_indents_are_pure(counted, preset):
    _, m, _, keep = counted[preset]
    modulus_zone = m.truth.filter(like="fracE_").max(axis=1).to_numpy()
    assert keep.sum() >= 300
    # Nearly every indent the micrograph calls interior measures one phase only...
    assert np.mean(modulus_zone[keep] >= 0.95) >= 0.98
    # ...while the indents it leaves out hold most of the mixed ones.
    assert np.mean(modulus_zone[~keep] < 0.95) > 3 * np.mean(modulus_zone[keep] < 0.95)


@pytest.mark.parametrize("preset", ["dual-phase steel", "Al-SiC composite"])
def test_bic_counts_the_phases_once_boundary_indents_are_left_out(counted, preset):
    ms, m, table, keep = counted[preset]
    features = table[["H_GPa", "E_GPa"]]
    n_true = len(ms.phases)
    on_all = choose_n_phases(features, seed=0).attrs["best_k"]["bic"]
    on_interior = choose_n_phases(features[keep], seed=0).attrs["best_k"]["bic"]
    assert on_all > n_true  # the composite indents make an extra population
    assert on_interior == n_true
    # A real count, not an outlier: each cluster holds a phase's indents.
    labels = cluster_phases(features[keep], "gmm", n_true, seed=0).labels
    truth = m.truth["phase"].to_numpy()[keep]
    for cluster in range(n_true):
        members = truth[labels == cluster]
        assert members.size >= 0.05 * keep.sum()
        assert np.bincount(members).max() >= 0.95 * members.size
