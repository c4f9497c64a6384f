"""Reading a learner's own curves: formats, units, curve ids, validation, the sample file."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from workbook_fixtures import kla_like_workbook, ods_workbook, zip_of

from learners import curve_features, oliver_pharr, read_curves
from learners.curves.area_function import polynomial_area_function
from learners.reading import (
    MAX_CELLS,
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_WORKBOOK_BYTES,
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
    assert list(table.frame.columns) == ["Depth (nm)", "Load (µN)", "Time (s)"]
    guess = guess_columns(list(table.frame.columns))
    assert guess == {
        "load": "Load (µN)",
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


@pytest.mark.parametrize("mu", ["µ", "u", "μ"])
def test_bare_units_line_under_the_names_is_joined(curve, mu):
    # Keysight NanoSuite style: a line of names, a line of bare units, then the numbers
    text = (
        "Segment\tDisplacement Into Surface\tLoad On Sample\tTime On Sample\n"
        f"\tnm\t{mu}N\ts\n"
        + "\n".join(
            f"{1 + (i > 300)}\t{h:.4f}\t{1e3 * p:.4f}\t{t:.3f}"
            for i, (h, p, t) in enumerate(zip(curve.h_nm, curve.P_mN, curve.t_s, strict=True))
        )
    )
    table = read_table(text.encode("utf-8"))
    columns = list(table.frame.columns)
    assert columns == [
        "Segment",
        "Displacement Into Surface (nm)",
        f"Load On Sample ({mu}N)",
        "Time On Sample (s)",
    ]
    guess = guess_columns(columns, columns, table.frame)
    assert guess["load"] == f"Load On Sample ({mu}N)" and guess["curve"] is None
    assert guess_unit(guess["load"], "load") == "µN"  # not mN: that would be 1000 x
    c = to_curves(
        table.frame, load=guess["load"], displacement=guess["displacement"], load_unit="µN"
    )
    np.testing.assert_allclose(c.P_mN[0], curve.P_mN, atol=1e-6)


def test_units_line_without_names_gives_unit_names(curve):
    text = "nm,mN\n" + "\n".join(
        f"{h:.4f},{p:.6f}" for h, p in zip(curve.h_nm, curve.P_mN, strict=True)
    )
    table = read_table(text)
    assert list(table.frame.columns) == ["nm", "mN"]
    assert guess_unit("nm", "displacement") == "nm" and guess_unit("mN", "load") == "mN"


def test_a_names_line_is_not_taken_for_units(curve):
    text = "h,P\n" + "\n".join(
        f"{h:.4f},{p:.6f}" for h, p in zip(curve.h_nm, curve.P_mN, strict=True)
    )
    assert list(read_table(text).frame.columns) == ["h", "P"]


@pytest.mark.parametrize("bad", ["NaN", "", "nan", "inf", "n/a"])
def test_a_bad_first_data_row_keeps_the_names(curve, bad):
    rows = [f"{h:.4f},{p:.6f}" for h, p in zip(curve.h_nm, curve.P_mN, strict=True)]
    text = "depth_nm,load_mN\n" + "\n".join([f"0.0,{bad}", *rows[1:]])
    table = read_table(text)
    assert list(table.frame.columns) == ["depth_nm", "load_mN"]
    assert table.skipped_lines == 1
    c = to_curves(table.frame, load="load_mN", displacement="depth_nm")
    assert c.dropped_rows == 1
    assert c.n_points[0] == curve.h_nm.size - 1


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
        ("µN", "load", "µN"),  # a name that is a unit (a units line without names)
        ("uN", "load", "µN"),
        ("nm", "displacement", "nm"),
        ("s", "time", "s"),
        ("h", "displacement", None),
        ("P", "load", None),
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
    lines = _table(curve).splitlines()
    depth, load = lines[11].split(",")  # data row 10 (line 0 holds the names)
    lines[11] = f"n/a,{load}"
    table = read_table("\n".join(lines))
    assert table.frame["depth_nm"].dtype == float
    assert np.isnan(table.frame["depth_nm"][10]) and table.frame["load_mN"][10] == float(load)
    c = to_curves(table.frame, load="load_mN", displacement="depth_nm")
    assert c.dropped_rows == 1
    assert c.n_points[0] == curve.h_nm.size - 1


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
    with pytest.raises(CurveFileError, match="IndentLab reads at most 100 bytes"):
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
    with pytest.raises(CurveFileError, match="analyses at most 10 at once"):
        to_curves(frame, load="P", displacement="h", curve="name", max_curves=10)


def test_padded_arrays_are_bounded_for_a_shared_host():
    # 4 M cells of h, P and t: about 100 MB, a few hundred MB with the analysis' copies
    assert MAX_CELLS <= 4_000_000
    # a file within the row limit of curves alike in length stays far below it (the bench)
    assert 780 * 641 <= MAX_ROWS <= MAX_CELLS
    n_long = MAX_CELLS // 2 + 1  # two curves: one long, one short -> 2 x n_long cells
    ids = np.r_[np.zeros(n_long, int), np.ones(MIN_POINTS, int)]
    P = np.r_[np.linspace(0, 1, n_long - 1), 0.0, np.r_[np.linspace(0, 1, 10), np.zeros(10)]]
    frame = pd.DataFrame({"id": ids, "h": np.arange(ids.size, dtype=float), "P": P})
    with pytest.raises(CurveFileError, match="too much to analyse"):
        to_curves(frame, load="P", displacement="h", curve="id")


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


def test_plausibility_notes_flag_a_stiffness_beyond_diamond(curve):
    # loads in µN read as mN: 10 N peak, below the "not nanoindentation" bound, but the
    # contact comes out stiffer than diamond and Oliver-Pharr fails with E undefined
    frame = _frame(curve).assign(P=1e3 * curve.P_mN)
    wrong = to_curves(frame, load="P", displacement="h")
    features = curve_features(wrong.h_nm, wrong.P_mN, nu=0.17)
    assert not features["ok"].any()
    assert features["reason"][0].startswith("E undefined")
    assert plausibility_notes(wrong) == []  # the peak load alone does not tell
    notes = plausibility_notes(wrong, features)
    assert len(notes) == 1
    assert "E is undefined" in notes[0] and "µN read as mN" in notes[0]
    fine = to_curves(_frame(curve), load="P", displacement="h")
    ok = curve_features(fine.h_nm, fine.P_mN, nu=0.17)
    assert plausibility_notes(fine, ok) == []


# ----------------------------------------------------------------------------- curve id


def _instrument_table(curve, n_tests: int, with_id: str | None) -> pd.DataFrame:
    """A realistic export: measurement columns whose names hold id-like words."""
    n = curve.h_nm.size
    rng = np.random.default_rng(0)
    columns = {
        "Displacement Into Surface (nm)": np.tile(curve.h_nm, n_tests),
        "Load On Sample (mN)": np.tile(curve.P_mN, n_tests),
        "Time On Sample (s)": np.tile(curve.t_s, n_tests),
        "Indentation Hardness (GPa)": rng.normal(9.0, 0.3, n * n_tests),
        "Test Temperature (C)": rng.normal(23.0, 0.05, n * n_tests),
        "Indenter X (um)": np.repeat(10.0 * np.arange(n_tests), n) + 0.001,
        "Segment": np.tile(np.repeat([1, 2, 3], [n // 3, n // 3, n - 2 * (n // 3)]), n_tests),
    }
    if with_id is not None:
        columns = {with_id: np.repeat([f"#{k + 1}" for k in range(n_tests)], n), **columns}
    text = pd.DataFrame(columns).to_csv(index=False, sep="\t", float_format="%.6g")
    return read_table(text).frame


def test_curve_id_is_not_guessed_from_measurement_columns(curve):
    frame = _instrument_table(curve, 1, None)
    numeric = list(frame.select_dtypes("number").columns)
    guess = guess_columns(list(frame.columns), numeric, frame)
    assert guess == {
        "load": "Load On Sample (mN)",
        "displacement": "Displacement Into Surface (nm)",
        "time": "Time On Sample (s)",
        "curve": None,
    }
    # whole words even by name alone: "Indentation Hardness" and "Indenter X" hold no "indent"
    assert guess_columns(["Indentation Hardness (GPa)", "Indenter X (um)", "h", "P"]) == {
        "load": "P",
        "displacement": "h",
        "time": None,
        "curve": None,
    }
    c = to_curves(frame, **guess)
    assert c.n_curves == 1


@pytest.mark.parametrize("name", ["Test", "Test Number", "Indent #", "Curve ID", "Sample Name"])
def test_curve_id_is_guessed_from_an_id_column(curve, name):
    frame = _instrument_table(curve, 3, name)
    numeric = list(frame.select_dtypes("number").columns)
    guess = guess_columns(list(frame.columns), numeric, frame)
    assert guess["curve"] == name
    assert to_curves(frame, **guess).n_curves == 3


def test_a_whole_word_id_with_too_many_values_is_not_guessed(curve):
    # "Test" as a word, but one value per row: not an id (each curve needs MIN_POINTS rows)
    frame = pd.DataFrame({"Test": np.arange(curve.h_nm.size), "h": curve.h_nm, "P": curve.P_mN})
    assert guess_columns(list(frame.columns), None, frame)["curve"] is None
    assert guess_columns(list(frame.columns))["curve"] == "Test"  # by name alone it would be


# ----------------------------------------------------------------------------- area function


def test_polynomial_area_function():
    ideal = polynomial_area_function([24.5])
    np.testing.assert_allclose(ideal(np.array([10.0, 100.0])), [2450.0, 245000.0])
    rounded = polynomial_area_function([24.5, 100.0, 400.0])
    np.testing.assert_allclose(rounded(np.array([100.0])), [245000.0 + 1e4 + 4000.0])
    assert np.isnan(rounded(np.array([-1.0]))).all()
    with pytest.raises(ValueError, match="C0 must be > 0"):
        polynomial_area_function([0.0, 1.0])
    # Hysitron calibrations: C0-C5, exponents 2, 1, 1/2, 1/4, 1/8, 1/16
    six = polynomial_area_function([24.5, 0.0, 0.0, 1.0, 2.0, 3.0])
    hc = 256.0
    expected = 24.5 * hc**2 + hc**0.25 + 2 * hc**0.125 + 3 * hc**0.0625
    np.testing.assert_allclose(six(np.array([hc])), [expected])


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


def test_non_positive_peak_load_reads_0_not_minus_0_with_3_digits(curve):
    # a load column with pushing recorded as negative: the curve starts at -0.0 mN
    flipped = _frame(curve).assign(P=-curve.P_mN)
    assert np.signbit(flipped["P"].max())
    with pytest.raises(CurveFileError) as err:
        to_curves(flipped, load="P", displacement="h")
    assert "(largest load 0 mN)" in str(err.value)
    shifted = flipped.assign(P=flipped["P"] - 0.0123456)
    with pytest.raises(CurveFileError, match=r"\(largest load -0\.0123 mN\)"):
        to_curves(shifted, load="P", displacement="h")


# ----------------------------------------------------------------------------- read_curves

_KLA = Path(__file__).resolve().parents[2] / "data" / "realdata" / "kla_example" / "Example.xls"


@pytest.fixture(scope="module")
def workbook() -> bytes:
    pytest.importorskip("openpyxl")  # writing .xlsx: a development requirement
    return kla_like_workbook(3)


def test_read_curves_xlsx_one_curve_per_test_sheet(workbook):
    curves = read_curves(("run.xlsx", workbook))
    assert curves.names == ["Test 001", "Test 002", "Test 003"]
    assert curves.formats == ["workbook"] * 3
    assert curves.vendor is not None and list(curves.vendor["Test"]) == [1, 2, 3]
    assert any("Required Inputs" in note for note in curves.notes)
    analysed = oliver_pharr(curves.h_nm, curves.P_mN, nu=0.17, t_s=curves.t_s)
    np.testing.assert_allclose(analysed["E_GPa"], 72.0, rtol=0.03)


def test_read_curves_accepts_bytes_file_like_and_lists(workbook, curve, tmp_path):
    text = _table(curve).encode()
    path = tmp_path / "one.csv"
    path.write_bytes(text)
    with open(path, "rb") as handle:
        from_handle = read_curves(handle)
    assert from_handle.names == ["one.csv"]
    assert read_curves(text).n_curves == 1
    several = read_curves([path, ("run.xlsx", workbook), ("two.csv", text)])
    assert several.names == [
        "one.csv",
        "run.xlsx: Test 001",
        "run.xlsx: Test 002",
        "run.xlsx: Test 003",
        "two.csv",
    ]
    # NaN padding to the longest curve, the csv has no time column
    assert several.h_nm.shape == (5, int(several.n_points.max()))
    assert np.isnan(several.t_s[0]).all() and np.isfinite(several.t_s[1, :10]).all()


def test_read_curves_table_of_several_curves_in_uN():
    curves = read_curves(("sample.csv", sample_csv().encode()))
    assert curves.names == ["fused silica", "copper", "tungsten pop-in"]
    assert np.nanmax(curves.P_mN[0]) == pytest.approx(10.0, rel=0.01)  # µN -> mN from name


def test_read_curves_xls_of_the_vendor():
    curves = read_curves(("Example.xls", _KLA.read_bytes()))
    assert curves.names == ["Test 001", "Test 002"]


def test_read_curves_zip_and_nested_zip(workbook, curve):
    text = _table(curve).encode()
    inner = zip_of({"b.csv": text})
    archive = zip_of({"a.csv": text, "run.xlsx": workbook, "more.zip": inner, "__MACOSX/x": b""})
    curves = read_curves(("upload.zip", archive))
    assert curves.n_curves == 5
    assert curves.names[0] == "a.csv: a.csv" or curves.names[0] == "a.csv"
    assert "more.zip/b.csv" in curves.files


def test_read_curves_refuses_a_zip_nested_two_levels(curve):
    deep = zip_of({"c.zip": zip_of({"b.zip": zip_of({"a.csv": _table(curve).encode()})})})
    with pytest.raises(CurveFileError, match="one level of nested"):
        read_curves(("deep.zip", deep))


def test_read_curves_refuses_a_corrupt_zip(curve):
    archive = zip_of({"a.csv": _table(curve).encode()})
    with pytest.raises(CurveFileError, match="not a readable zip"):
        read_curves(("broken.zip", archive[: len(archive) // 2]))


def test_read_curves_refuses_a_zip_of_ten_thousand_files():
    archive = zip_of({f"f{k}.csv": b"1,2\n" for k in range(10_000)}, level=1)
    with pytest.raises(CurveFileError, match=f"at most {MAX_MEMBERS:,} files"):
        read_curves(("many.zip", archive))


def test_read_curves_refuses_a_zip_bomb():
    archive = zip_of({"big.csv": bytes(210_000_000)}, level=9)  # 210 MB of zeros in ~200 kB
    assert len(archive) < 1_000_000
    with pytest.raises(CurveFileError, match="unpacks to"):
        read_curves(("bomb.zip", archive))


def test_read_curves_refuses_a_workbook_without_a_test_sheet():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["a", "b"]}).to_excel(writer, sheet_name="Notes", index=False)
    with pytest.raises(CurveFileError, match="no test sheet"):
        read_curves(("notes.xlsx", buffer.getvalue()))


def test_read_curves_refuses_a_100_MB_workbook_before_parsing():
    data = b"PK\x03\x04" + bytes(100_000_000 - 4)  # not even a valid zip: never parsed
    with pytest.raises(CurveFileError, match="reads workbooks up to") as err:
        read_curves(("huge.xlsx", data))
    assert f"{MAX_WORKBOOK_BYTES / 1e6:.3g} MB" in str(err.value)


def test_read_curves_gzip_of_a_text_file(curve):
    curves = read_curves(("a.csv.gz", gzip.compress(_table(curve).encode())))
    assert curves.names == ["a.csv"]


def test_read_curves_ods_workbook(curve):
    rows = [["Depth (nm)", "Load (µN)", "Time (s)"]]
    rows += [
        [float(h), 1e3 * float(P), float(t)]
        for h, P, t in zip(curve.h_nm, curve.P_mN, curve.t_s, strict=True)
    ]
    data = ods_workbook({"Notes": [["tip: Berkovich"]], "Test 001": rows})
    curves = read_curves(("run.ods", data))
    assert curves.names == ["Test 001"] and curves.formats == ["workbook"]
    np.testing.assert_allclose(curves.P_mN[0], curve.P_mN)  # µN -> mN from the name
    # named by its content, not its extension
    assert read_curves(data).names == ["Test 001"]


def test_read_curves_can_skip_the_files_it_cannot_read():
    good = [(f"test{k}.xlsx", kla_like_workbook(1)) for k in range(3)]
    broken = ("broken.zip", b"PK\x03\x04" + b"\x00garbage" * 50)
    no_test = ("notes.ods", ods_workbook({"Notes": [["operator", "Ada"]]}))
    inner = zip_of({"a.xlsx": kla_like_workbook(1), "b.pdf": b"%PDF-1.4"})
    files = [*good, broken, no_test, ("campaign.zip", inner)]
    # all or nothing by default: the first bad file stops the read
    with pytest.raises(CurveFileError, match="broken.zip"):
        read_curves(files)
    read = read_curves(files, skip_unreadable=True)
    assert read.n_curves == 4  # three good files and the good member of the zip
    assert [name for name, _ in read.skipped] == ["broken.zip", "notes.ods", "b.pdf"]
    assert all(message for _, message in read.skipped)
    assert read_curves(good).skipped == []
    # nothing readable: one message with every reason
    with pytest.raises(CurveFileError, match="No file could be read.*broken.zip.*notes.ods"):
        read_curves([broken, no_test], skip_unreadable=True)
