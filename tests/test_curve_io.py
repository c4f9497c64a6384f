"""Reading a learner's own curves: formats, units, curve ids, validation, the sample file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from learners import curve_features, oliver_pharr
from learners.area_function import polynomial_area_function
from learners.curve_io import (
    MIN_POINTS,
    CurveFileError,
    guess_columns,
    guess_unit,
    plausibility_notes,
    read_table,
    sample_csv,
    sample_curves,
    to_curves,
)
from simulator import simulate_curve


@pytest.fixture(scope="module")
def curve():
    """A clean fused-silica curve (no approach, no drift hold) as plain arrays."""
    c = simulate_curve(
        material="fused silica", protocol={"approach_s": 0.0, "drift_hold_s": 0.0}, seed=3
    )
    return c


def _table(curve, delimiter=",", decimal=".", names=("depth_nm", "load_mN")) -> str:
    frame = pd.DataFrame({names[0]: curve.h_nm, names[1]: curve.P_mN})
    return frame.to_csv(index=False, sep=delimiter, decimal=decimal, float_format="%.6f")


def _analyse(frame: pd.DataFrame, **columns):
    c = to_curves(frame, **columns)
    return c, oliver_pharr(c.h_nm, c.P_mN, nu=0.17, t_s=c.t_s)


# ----------------------------------------------------------------------------- formats


def test_comma_csv(curve):
    table = read_table(_table(curve).encode())
    assert table.delimiter == "comma" and not table.decimal_comma
    assert list(table.frame.columns) == ["depth_nm", "load_mN"]
    np.testing.assert_allclose(table.frame["load_mN"], curve.P_mN, atol=1e-6)


def test_semicolon_with_decimal_comma(curve):
    text = _table(curve, delimiter=";", decimal=",")
    assert "0," in text
    table = read_table(text.encode())
    assert table.delimiter == "semicolon" and table.decimal_comma
    np.testing.assert_allclose(table.frame["depth_nm"], curve.h_nm, atol=1e-6)


def test_tab_separated_utf16(curve):
    text = _table(curve, delimiter="\t")
    table = read_table(text.encode("utf-16"))
    assert table.delimiter == "tab"
    assert table.frame.shape == (curve.h_nm.size, 2)


def test_whitespace_with_instrument_header(curve):
    header = (
        "Instrument: TI 950 TriboIndenter\n"
        "Date: 2024-05-01 10:31\n"
        "Tip: Berkovich 3, area function 24.5 0 0\n"
        "Number of points: 600\n"
        "\n"
        "Depth (nm)    Load (µN)    Time (s)\n"
    )
    rows = "\n".join(
        f"{h:10.4f} {1e3 * p:12.4f} {t:8.3f}"
        for h, p, t in zip(curve.h_nm, curve.P_mN, curve.t_s, strict=True)
    )
    table = read_table((header + rows + "\n").encode("latin-1", errors="replace"))
    assert table.delimiter == "spaces"
    assert table.skipped_lines == 6
    assert list(table.frame.columns)[1].startswith("Load")
    guess = guess_columns(list(table.frame.columns))
    assert guess == {
        "load": "Load (µN)" if "µ" in table.frame.columns[1] else table.frame.columns[1],
        "displacement": "Depth (nm)",
        "time": "Time (s)",
        "curve": None,
    }


def test_units_line_under_the_names_is_joined(curve):
    text = "Load On Sample\tDisplacement Into Surface\n(mN)\t(um)\n" + "\n".join(
        f"{p:.6f}\t{h / 1e3:.8f}" for p, h in zip(curve.P_mN, curve.h_nm, strict=True)
    )
    table = read_table(text)
    assert list(table.frame.columns) == ["Load On Sample (mN)", "Displacement Into Surface (um)"]
    assert guess_unit(table.frame.columns[1], "displacement") == "µm"


def test_trailing_delimiters_give_no_empty_column(curve):
    text = _table(curve).replace("\n", ",\n")
    assert list(read_table(text).frame.columns) == ["depth_nm", "load_mN"]


def test_file_without_column_names(curve):
    text = "\n".join(f"{h:.4f},{p:.6f}" for h, p in zip(curve.h_nm, curve.P_mN, strict=True))
    table = read_table(text)
    assert list(table.frame.columns) == ["column 1", "column 2"]
    assert guess_columns(["column 1", "column 2"]) == {
        "load": "column 2",
        "displacement": "column 1",
        "time": None,
        "curve": None,
    }


# ----------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("name", "quantity", "unit"),
    [
        ("Load (uN)", "load", "µN"),
        ("load_uN", "load", "µN"),
        ("Force [µN]", "load", "µN"),
        ("P (mN)", "load", "mN"),
        ("Load N", "load", "N"),
        ("Depth (nm)", "displacement", "nm"),
        ("depth_um", "displacement", "µm"),
        ("h [μm]", "displacement", "µm"),
        ("Displacement (m)", "displacement", "m"),
        ("Time (s)", "time", "s"),
        ("time_ms", "time", "ms"),
        ("Load", "load", None),
    ],
)
def test_guess_unit(name, quantity, unit):
    assert guess_unit(name, quantity) == unit


def test_micro_units_are_converted(curve):
    frame = pd.DataFrame({"h_um": curve.h_nm / 1e3, "P_uN": curve.P_mN * 1e3})
    c = to_curves(frame, load="P_uN", displacement="h_um", load_unit="µN", displacement_unit="µm")
    np.testing.assert_allclose(c.h_nm[0], curve.h_nm)
    np.testing.assert_allclose(c.P_mN[0], curve.P_mN)
    assert c.t_s is None and c.names == ["curve 1"]


def test_guess_columns_by_name():
    cols = ["Segment", "Time On Sample (s)", "Load On Sample (mN)", "Displacement Into Surface"]
    assert guess_columns(cols) == {
        "load": "Load On Sample (mN)",
        "displacement": "Displacement Into Surface",
        "time": "Time On Sample (s)",
        "curve": None,
    }
    assert guess_columns(["Indent", "t", "h", "P"]) == {
        "load": "P",
        "displacement": "h",
        "time": "t",
        "curve": "Indent",
    }


# ----------------------------------------------------------------------------- curves


def test_several_curves_of_different_lengths_by_id(curve):
    short = simulate_curve(
        material="fused silica",
        protocol={"approach_s": 0.0, "drift_hold_s": 0.0, "data_rate_hz": 10.0},
        seed=4,
    )
    frame = pd.concat(
        [
            pd.DataFrame({"test": 7, "h": curve.h_nm, "P": curve.P_mN}),
            pd.DataFrame({"test": 2, "h": short.h_nm, "P": short.P_mN}),
        ]
    )
    c, op = _analyse(frame, load="P", displacement="h", curve="test")
    assert c.names == ["7", "2"]  # order of first appearance, ids as text
    assert c.h_nm.shape == (2, curve.h_nm.size)
    assert list(c.n_points) == [curve.h_nm.size, short.h_nm.size]
    assert np.isnan(c.h_nm[1, short.h_nm.size :]).all()
    assert op["ok"].all()
    np.testing.assert_allclose(op["H_GPa"], 9.0, rtol=0.03)


def test_rows_with_a_missing_value_are_dropped_and_counted(curve):
    frame = pd.DataFrame({"h": curve.h_nm, "P": curve.P_mN})
    frame.loc[[5, 50, 100], "P"] = np.nan
    c = to_curves(frame, load="P", displacement="h")
    assert c.dropped_rows == 3
    assert c.n_points[0] == curve.h_nm.size - 3


def test_text_cells_in_a_number_column_become_missing(curve):
    text = _table(curve).replace("\n1", "\nn/a", 1)
    table = read_table(text)
    assert table.frame["depth_nm"].dtype == float
    assert to_curves(table.frame, load="load_mN", displacement="depth_nm").dropped_rows >= 0


# ----------------------------------------------------------------------------- errors


def _frame(curve) -> pd.DataFrame:
    return pd.DataFrame({"name": "a", "t": curve.t_s, "h": curve.h_nm, "P": curve.P_mN})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"just some words\nand more words\n", "No rows of numbers"),
        (b"PK\x03\x04 rest of a zip", "Excel workbook"),
        (b"\x00\x01\x02 binary", "not a text file"),
    ],
    ids=["empty", "no-numbers", "xlsx", "binary"],
)
def test_unreadable_files(data, message):
    with pytest.raises(CurveFileError, match=message):
        read_table(data)


def test_size_and_row_limits(curve):
    text = _table(curve)
    with pytest.raises(CurveFileError, match="at most 0 MB|reads at most"):
        read_table(text, max_bytes=100)
    with pytest.raises(CurveFileError, match="data rows"):
        read_table(text, max_rows=10)


def test_curve_file_error_is_a_value_error():
    assert issubclass(CurveFileError, ValueError)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"load": "name", "displacement": "h"}, "holds text, not numbers"),
        ({"load": "P", "displacement": "P"}, "chosen for both load and displacement"),
        ({"load": "P", "displacement": "h", "time": "h"}, "chosen for both"),
        ({"load": "P", "displacement": "nope"}, "no column 'nope'"),
        ({"load": "P", "displacement": "h", "load_unit": "kg"}, "Unknown load unit"),
    ],
    ids=["text", "twice", "twice-time", "missing", "unit"],
)
def test_bad_column_choices(curve, columns, message):
    with pytest.raises(CurveFileError, match=message):
        to_curves(_frame(curve), **columns)


def test_too_few_points(curve):
    frame = _frame(curve).iloc[: MIN_POINTS - 1]
    with pytest.raises(CurveFileError, match="fewer than 20 points"):
        to_curves(frame, load="P", displacement="h")


def test_non_positive_peak_load(curve):
    frame = _frame(curve).assign(P=-curve.P_mN)
    with pytest.raises(CurveFileError, match="peak load of curve 'curve 1' is not positive"):
        to_curves(frame, load="P", displacement="h")


def test_no_unloading(curve):
    loading = _frame(curve).iloc[: int(np.argmax(curve.P_mN)) + 1]
    with pytest.raises(CurveFileError, match="No unloading after the peak"):
        to_curves(loading, load="P", displacement="h")


def test_too_many_curves(curve):
    frame = _frame(curve).assign(name=np.arange(curve.h_nm.size))
    with pytest.raises(CurveFileError, match="at most 2,000|at most 10"):
        to_curves(frame, load="P", displacement="h", curve="name", max_curves=10)


def test_nothing_left_after_dropping(curve):
    frame = _frame(curve).assign(P=np.nan)
    with pytest.raises(CurveFileError, match="No row has numbers"):
        to_curves(frame, load="P", displacement="h")


def test_plausibility_notes_catch_a_wrong_unit(curve):
    frame = _frame(curve)
    fine = to_curves(frame, load="P", displacement="h")
    assert plausibility_notes(fine) == []
    # loads written in µN but read as N, depths in nm read as m
    micro = frame.assign(P=1e3 * frame["P"])
    wrong = to_curves(micro, load="P", displacement="h", load_unit="N", displacement_unit="m")
    notes = " ".join(plausibility_notes(wrong))
    assert "load unit" in notes and "displacement unit" in notes


# ----------------------------------------------------------------------------- area function


def test_polynomial_area_function():
    ideal = polynomial_area_function([24.5])
    np.testing.assert_allclose(ideal(np.array([10.0, 100.0])), [2450.0, 245000.0])
    rounded = polynomial_area_function([24.5, 100.0, 400.0])
    np.testing.assert_allclose(rounded(np.array([100.0])), [245000.0 + 1e4 + 4000.0])
    assert np.isnan(rounded(np.array([-1.0]))).all()
    with pytest.raises(ValueError, match="C0 must be > 0"):
        polynomial_area_function([0.0, 1.0])


# ----------------------------------------------------------------------------- sample


def test_sample_is_deterministic():
    assert sample_csv(0) == sample_csv(0)
    assert sample_csv(0) != sample_csv(1)


def test_sample_reads_back_and_matches_the_truth():
    table = read_table(sample_csv(0).encode())
    frame = table.frame
    assert list(frame.columns) == ["curve", "time_s", "depth_nm", "load_uN"]
    guess = guess_columns(list(frame.columns), list(frame.select_dtypes("number").columns))
    assert guess == {
        "load": "load_uN",
        "displacement": "depth_nm",
        "time": "time_s",
        "curve": "curve",
    }
    assert guess_unit("load_uN", "load") == "µN"
    c = to_curves(frame, **guess, load_unit="µN")
    assert c.names == ["fused silica", "copper", "tungsten pop-in"]
    assert len(set(c.n_points)) == 3  # three lengths, padded with NaN
    truths = [s.truth for s in sample_curves(0)]
    nu = [t["nu"] for t in truths]
    features = curve_features(c.h_nm, c.P_mN, c.t_s, nu=nu)
    assert features["ok"].all()
    # Noise and the fit of a finite number of points: a few % (copper's stiff unloading
    # with h_f / h_max = 0.95 is the hardest, about 3 % in E).
    for row, truth in zip(features.itertuples(), truths, strict=True):
        assert row.H_GPa == pytest.approx(truth["H_at_Pmax_GPa"], rel=0.03)
        assert row.E_GPa == pytest.approx(truth["E_GPa"], rel=0.05)
    assert truths[0]["E_GPa"] == 72.0 and truths[0]["H_GPa"] == 9.0  # the materials table
    popin = features["popin_load_mN"].to_numpy()
    assert np.isnan(popin[:2]).all() and popin[2] == pytest.approx(1.0, rel=0.05)
