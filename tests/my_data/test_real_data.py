"""Real instrument exports shipped in data/realdata (KLA workbook, Hysitron text files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from learners import oliver_pharr, read_curves
from learners.curves.area_function import polynomial_area_function, sphere_area_coefficients
from learners.curves.cycles import broken_records, find_contact, find_cycles, zero_at_contact
from learners.curves.hertz import hertz_fit
from learners.reading import REAL_SAMPLES, real_sample, real_sample_files
from simulator import simulate_curve, simulate_curves

REAL = Path(__file__).resolve().parents[2] / "data" / "realdata"
KLA = REAL / "kla_example" / "Example.xls"
HYSITRON = sorted((REAL / "hysitron_glaucophane").glob("*.txt.gz"))


def test_real_data_is_in_the_repository():
    assert KLA.is_file() and (KLA.parent / "LICENSE").is_file()
    assert len(HYSITRON) == 18 and (REAL / "hysitron_glaucophane" / "LICENSE").is_file()
    assert "doi:10.21105/joss.09933" in (REAL / "README.md").read_text()


def test_kla_workbook_gives_its_two_tests_named_as_the_sheets():
    curves = read_curves(KLA)
    assert curves.names == ["Test 001", "Test 002"]
    assert curves.h_nm.shape[0] == 2 and curves.t_s is not None
    # 400 mN peak load, about 1.93 um deep (fused silica, Keysight XP)
    np.testing.assert_allclose(np.nanmax(curves.P_mN, axis=1), [407.70, 407.81], atol=0.01)
    assert np.all(np.nanmax(curves.h_nm, axis=1) > 1900)
    assert curves.vendor is not None
    assert "E Average Over Defined Range (GPa)" in curves.vendor.columns
    assert curves.vendor["E Average Over Defined Range (GPa)"].iloc[0] == pytest.approx(76.318)


@pytest.mark.parametrize("path", HYSITRON, ids=lambda p: p.name[:19])
def test_each_hysitron_file_is_one_curve_in_mN(path):
    curves = read_curves(path)
    assert curves.names == [path.name[:-3]] and curves.formats == ["hysitron"]
    assert 16_300 < curves.n_points[0] < 16_400
    # 200 mN peak load written in uN; the test starts at the 2 mN preload
    assert np.nanmax(curves.P_mN) == pytest.approx(200.2, abs=0.2)
    assert curves.P_mN[0, 0] == pytest.approx(2.0, abs=0.2)
    assert np.nanmin(curves.h_nm) < -900


def test_all_eighteen_hysitron_files_in_one_call():
    curves = read_curves(HYSITRON)
    assert curves.n_curves == 18 and len(set(curves.names)) == 18
    assert curves.h_nm.shape == (18, int(curves.n_points.max()))
    # padding is NaN, data are finite
    lengths = np.isfinite(curves.h_nm).sum(axis=1)
    np.testing.assert_array_equal(lengths, curves.n_points)


# ----------------------------------------------------------------------------- contact


def test_hysitron_contact_after_the_preload_and_the_retract():
    curves = read_curves(HYSITRON)
    report = find_contact(curves.h_nm, curves.P_mN)
    # each test starts at the 2 mN preload, retracts about 1 um, approaches again: contact
    # about 7.5 s in (point ~1490 of 5 ms), some 25-40 nm before the instrument's zero
    assert report["preload"].all()
    assert report["i_contact"].between(1400, 1550).all()
    assert report["h_contact_nm"].between(-45, -15).all()
    assert report["approach_nm"].between(850, 1000).all()
    assert all("preload" in note for note in report["note"])
    h, P, _ = zero_at_contact(curves.h_nm, curves.P_mN)
    # after the shift the loading starts at zero depth and zero load (within the noise)
    np.testing.assert_allclose(h[:, 0], 0.0, atol=1e-9)
    assert np.all(np.abs(P[:, 0]) < 0.6)
    assert np.all(np.nanmin(h, axis=1) > -5)


def test_kla_export_already_starts_at_contact():
    curves = read_curves(KLA)
    report = find_contact(curves.h_nm, curves.P_mN)
    assert not report["preload"].any()
    assert report["h_contact_nm"].abs().max() < 10  # the instrument found the surface
    cycles = find_cycles(curves.P_mN)
    assert list(cycles["cycle"]) == [0, 0]  # one load-unload cycle per test
    assert not broken_records(curves.h_nm, curves.P_mN)["broken"].any()  # the retract is not


def test_approach_at_zero_load_is_found_and_removed():
    curve = simulate_curve(
        material="fused silica",
        noise="default",
        protocol={"approach_s": 20.0, "approach_speed_nm_per_s": 10.0},
        seed=2,
    )
    # the instrument's zero 150 nm before the surface: 200 nm of approach at zero load
    h = curve.h_nm + 150.0
    report = find_contact(h, curve.P_mN)
    contact = int(np.argmax(curve.segment == 1))
    assert abs(report["i_contact"].iloc[0] - contact) <= 2
    assert report["h_contact_nm"].iloc[0] == pytest.approx(150.0, abs=2.0)
    assert report["approach_nm"].iloc[0] == pytest.approx(200.0, abs=5.0)
    shifted, P, _ = zero_at_contact(h, curve.P_mN)
    assert oliver_pharr(shifted, P, 0.17)["E_GPa"] == pytest.approx(72.0, rel=0.01)


def test_real_hysitron_cycles_and_the_sphere_area():
    curves = read_curves(HYSITRON[:3])
    table = oliver_pharr(curves.h_nm, curves.P_mN, 0.25, t_s=curves.t_s, cycle="all")
    assert list(table["cycle"]) == [0, 0, 0] and table["ok"].all()
    # the conospherical tip (R = 5.323 um) with a sphere's exact area instead of a
    # Berkovich's: contact depths of 400-500 nm stay on the spherical cap
    sphere = polynomial_area_function(sphere_area_coefficients(5323.0))
    as_sphere = oliver_pharr(curves.h_nm, curves.P_mN, 0.25, tip=sphere)
    assert as_sphere["hc_nm"].between(300, 700).all()
    assert (as_sphere["E_GPa"] < table["E_GPa"]).all()  # a sphere's area is larger


def test_real_samples_for_the_page():
    assert len(real_sample_files("hysitron")) == 18
    assert real_sample("kla").names == ["Test 001", "Test 002"]
    assert all("MIT" in source for _, source in REAL_SAMPLES.values())


def test_hertz_fit_before_the_first_popin():
    # simulated: tungsten under a 1 um sphere, pop-ins from its shear strength; the
    # simulator's elastic branch carries beta = 1.034 (issue 16, item 10), so E_r comes out
    # about 1.5 % high
    curves = simulate_curves(
        3,
        material="tungsten",
        tip="sphere",
        tip_radius_nm=1000.0,
        protocol={"P_max_mN": 10.0, "data_rate_hz": 200.0},
        noise="default",
        defects={"popin_from_material": True, "popin_control": "feedback"},
        seed=2,
    )
    fit = hertz_fit(curves.h_nm, curves.P_mN, 1000.0, 0.28)
    np.testing.assert_allclose(fit["E_GPa"], 410.0, rtol=0.03)
    np.testing.assert_allclose(fit["P_fit_max_mN"], curves.truth["popin1_load_mN"], rtol=0.02)
    # real: the conospherical tip (R = 5.323 um) on glaucophane, E about 100-150 GPa with a
    # clean Hertz branch, against about 200 GPa when analysed as a Berkovich
    real = read_curves(HYSITRON)
    fit = hertz_fit(real.h_nm, real.P_mN, 5323.0, 0.25)
    assert fit["E_GPa"].between(95, 155).all() and (fit["r2"] > 0.99).all()
