"""Microstructures and indent grids: fractions, truth, mixing with depth, determinism."""

import numpy as np
import pandas as pd
import pytest

from simulator import MICROSTRUCTURES, correlative_image, indent_map, make_microstructure


@pytest.mark.parametrize("preset", list(MICROSTRUCTURES))
def test_presets_reach_their_phase_fractions(preset):
    ms = make_microstructure(preset, size_um=(120, 120), seed=4)
    assert ms.labels.ndim == 2 and ms.labels.shape == ms.grains.shape
    assert set(np.unique(ms.labels)) <= set(range(len(ms.phases)))
    # Boolean particle models hit the target only on average: a few points of slack.
    np.testing.assert_allclose(ms.phases["fraction"], ms.phases["target_fraction"], atol=0.05)
    assert ms.source


def test_phase_lookup_agrees_with_raster():
    ms = make_microstructure("Ti-6Al-4V", size_um=(60, 40), pixel_um=0.2, seed=1)
    ny, nx = ms.labels.shape
    assert (nx, ny) == (300, 200)
    iy, ix = np.array([3, 100, 150]), np.array([7, 150, 299])
    x, y = (ix + 0.5) * ms.pixel_um, (iy + 0.5) * ms.pixel_um
    np.testing.assert_array_equal(ms.phase_at(x, y), ms.labels[iy, ix])


def test_custom_microstructure_and_porosity():
    phases = [
        {"name": "soft", "E_GPa": 100, "nu": 0.3, "H_GPa": 2, "fraction": 0.5},
        {"name": "mid", "E_GPa": 150, "nu": 0.3, "H_GPa": 5, "fraction": 0.3},
        {"name": "hard", "E_GPa": 300, "nu": 0.25, "H_GPa": 15, "fraction": 0.2},
    ]
    ms = make_microstructure("custom", custom_phases=phases, porosity=0.05, seed=2)
    assert ms.phase_names == ["soft", "mid", "hard", "pore"]
    assert ms.phases["fraction"].iloc[-1] == pytest.approx(0.05, abs=0.02)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(preset="marble cake"), "Allowed:"),
        (dict(preset="custom"), "custom_phases"),
        (dict(preset="dual-phase steel", fractions=(0.5, 0.6)), "sum to 1"),
        (dict(preset="dual-phase steel", porosity=0.9), "porosity must lie"),
        (dict(preset="dual-phase steel", size_um=(0, 10)), "size_um must be"),
    ],
)
def test_bad_microstructure_arguments(kwargs, words):
    with pytest.raises(ValueError) as err:
        make_microstructure(**kwargs)
    assert words in str(err.value)


def test_map_truth_per_indent():
    ms = make_microstructure("dual-phase steel", size_um=(80, 80), seed=1)
    m = indent_map(ms, nx=12, ny=10, spacing_um=5.0, seed=3)
    assert m.h_nm.shape[0] == 120 == len(m.truth)
    assert m.to_grid(m.truth["phase"]).shape == (10, 12)
    np.testing.assert_array_equal(m.truth["phase"], ms.phase_at(m.x_um, m.y_um))
    fractions = m.truth[[f"frac_{n}" for n in ms.phase_names]].to_numpy()
    np.testing.assert_allclose(fractions.sum(axis=1), 1.0)
    # Interior indents measure their own phase's properties (within its scatter).
    interior = m.truth[~m.truth["on_interface"]]
    for code, phase in ms.phases.iterrows():
        rows = interior[interior["phase"] == code]
        assert np.median(rows["H_GPa"]) == pytest.approx(phase["H_GPa"], rel=0.1)


def test_deeper_indents_mix_more():
    """The zone of influence grows with depth, so interface indents multiply."""
    ms = make_microstructure("dual-phase steel", size_um=(130, 130), seed=1)
    shallow = indent_map(ms, nx=25, ny=25, spacing_um=5.0, P_max_mN=0.5, seed=1)
    deep = indent_map(ms, nx=25, ny=25, spacing_um=5.0, P_max_mN=50.0, seed=1)
    assert deep.truth["on_interface"].mean() > 2 * shallow.truth["on_interface"].mean()
    centre = shallow.truth["phase"].to_numpy()
    own = lambda m: m.truth[[f"frac_{n}" for n in ms.phase_names]].to_numpy()[  # noqa: E731
        np.arange(len(centre)), centre
    ]
    assert own(deep).mean() < own(shallow).mean()
    # Modulus averages over a larger zone than hardness.
    own_E = deep.truth[[f"fracE_{n}" for n in ms.phase_names]].to_numpy()[
        np.arange(len(centre)), centre
    ]
    assert own_E.mean() < own(deep).mean()


def test_depth_controlled_map_reaches_target_depth():
    ms = make_microstructure("Al-SiC composite", size_um=(80, 80), seed=2)
    m = indent_map(ms, nx=8, ny=8, spacing_um=8.0, depth_nm=200.0, noise=None, seed=1)
    np.testing.assert_allclose(m.truth["h_max_nm"], 200.0, rtol=1e-6)
    assert m.truth["P_max_mN"].std() > 0


def test_close_spacing_hardens_neighbours():
    ms = make_microstructure("dual-phase steel", size_um=(60, 60), seed=1)
    far = indent_map(ms, nx=5, ny=5, spacing_um=5.0, P_max_mN=1.0, noise=None)
    near = indent_map(ms, nx=5, ny=5, spacing_um=0.5, P_max_mN=1.0, noise=None)
    assert (far.truth["neighbour_hardening"] == 1).all()
    assert (near.truth["neighbour_hardening"].iloc[1:] > 1.05).all()


def test_registration_offset_moves_true_positions():
    ms = make_microstructure("dual-phase steel", size_um=(60, 60), seed=1)
    m = indent_map(ms, nx=5, ny=5, spacing_um=5.0, offset_um=(1.5, -2.0), jitter_um=0.1)
    dx = m.truth["x_true_um"] - m.truth["x_um"]
    dy = m.truth["y_true_um"] - m.truth["y_um"]
    assert dx.mean() == pytest.approx(1.5, abs=0.1) and dy.mean() == pytest.approx(-2.0, abs=0.1)
    np.testing.assert_array_equal(
        m.truth["phase"], ms.phase_at(m.truth["x_true_um"], m.truth["y_true_um"])
    )


def test_same_seed_same_map_bit_for_bit():
    def make():
        ms = make_microstructure("cement paste", size_um=(80, 80), seed=9)
        return ms, indent_map(ms, nx=10, ny=10, spacing_um=6.0, jitter_um=0.3, seed=9)

    (ms1, a), (ms2, b) = make(), make()
    assert np.array_equal(ms1.labels, ms2.labels)
    assert np.array_equal(a.h_nm, b.h_nm) and np.array_equal(a.P_mN, b.P_mN)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert np.array_equal(correlative_image(ms1, seed=1), correlative_image(ms2, seed=1))


def test_grid_must_fit_and_be_sane():
    ms = make_microstructure("dual-phase steel", size_um=(50, 50), seed=1)
    with pytest.raises(ValueError, match="does not fit"):
        indent_map(ms, nx=30, ny=30, spacing_um=5.0)
    with pytest.raises(ValueError, match="nx must be"):
        indent_map(ms, nx=0, ny=3)
    with pytest.raises(ValueError, match="P_max_mN must be > 0"):
        indent_map(ms, nx=3, ny=3, P_max_mN=-1)


def test_correlative_image_shows_phase_contrast():
    ms = make_microstructure("dual-phase steel", size_um=(60, 60), seed=1)
    img = correlative_image(ms, noise=0.0, orientation_shading=0.0, blur_px=0.0)
    assert img.shape == ms.labels.shape and 0 <= img.min() and img.max() <= 1
    # The harder phase (martensite) is brighter.
    assert img[ms.labels == 1].mean() > img[ms.labels == 0].mean() + 0.3


def test_indents_on_pores_measure_low_hardness_and_modulus():
    ms = make_microstructure("dual-phase steel", porosity=0.05, size_um=(140, 140), seed=1)
    t = indent_map(ms, seed=1).truth
    on_pore = t["phase_name"] == "pore"
    assert on_pore.sum() >= 10
    assert t.loc[on_pore, "H_GPa"].median() < 0.4 * t.loc[~on_pore, "H_GPa"].median()
    assert t.loc[on_pore, "E_GPa"].median() < 0.6 * t.loc[~on_pore, "E_GPa"].median()
