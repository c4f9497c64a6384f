"""Real instrument exports shipped in data/realdata (KLA workbook, Hysitron text files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from learners import read_curves

REAL = Path(__file__).resolve().parent.parent / "data" / "realdata"
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
