"""Excel and OpenDocument workbooks (.xlsx, .xls, .ods) as instruments export them.

KLA / Agilent / Keysight NanoSuite writes one sheet per test ("Test 001", ...) with the
column names in the first row and their units in the second, beside sheets of settings and
the vendor's own results ("Results", "Cycles-GroupedByTest"). Read with pandas and
python-calamine (one reader for all three formats).
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd

from .columns import guess_columns, guess_unit
from .formats import (
    DEPTH_UNITS,
    LOAD_UNITS,
    MAX_ROWS,
    MIN_POINTS,
    TIME_UNITS,
    UNIT_WORDS,
    CurveFileError,
    unit_key,
)
from .table import _size

#: Largest workbook read [bytes], checked before parsing, and its largest unpacked size.
MAX_WORKBOOK_BYTES = 30_000_000
MAX_WORKBOOK_UNPACKED = 300_000_000
#: Sheet names of one test each, and of the vendor's results.
TEST_SHEET = re.compile(r"^\s*(test|indent|curve)\s*#?\s*\d+", re.IGNORECASE)
VENDOR_SHEETS = ("results", "cycles-groupedbytest", "cycles - groupedbytest", "summary")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def is_workbook(data: bytes, name: str = "") -> bool:
    """True for an .xls (OLE2), or an .xlsx / .ods (a zip with a workbook inside)."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return True
    if data[:4] != b"PK\x03\x04":
        return False
    if name.lower().endswith(WORKBOOK_SUFFIXES):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:50])
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def read_workbook(
    data: bytes, name: str = "workbook", *, max_bytes: int = MAX_WORKBOOK_BYTES
) -> tuple[list[tuple[str, dict[str, np.ndarray]]], pd.DataFrame | None, list[str]]:
    """The test sheets of a workbook as curves, the vendor's results, and notes.

    Parameters
    ----------
    data : bytes
        The workbook file.
    name : str
        Its name, for messages.
    max_bytes : int, default 30 MB
        Largest accepted file [bytes], checked before parsing.

    Returns
    -------
    curves : list of (sheet name, {"h_nm", "P_mN", "t_s"})
        One entry per test sheet, in workbook order; ``t_s`` None without a time column.
    vendor : DataFrame or None
        The vendor's results sheet (names as columns, the units row dropped), if present.
    notes : list of str
        Sheets skipped and why.

    Raises
    ------
    CurveFileError
        Too large (before parsing), unreadable, or no test sheet with load and displacement.

    Notes
    -----
    A test sheet is one named "Test 001", "Indent 3", ... or, when no sheet is so named, any
    sheet whose first row names a load and a displacement column. The units row (second
    row) is joined to the names ("Load On Sample" + "mN") and sets the unit; without it the
    units default to mN, nm and s.
    """
    if len(data) > max_bytes:
        raise CurveFileError(
            f"{name} is {_size(len(data))}; IndentLab reads workbooks up to {_size(max_bytes)}. "
            "Export fewer tests per workbook, or save the test sheets as CSV."
        )
    if data[:4] == b"PK\x03\x04":
        _check_unpacked(data, name)
    try:
        sheets = _sheets(data)
    except Exception as err:  # noqa: BLE001 - calamine raises its own error types
        raise CurveFileError(
            f"{name} cannot be read as a workbook ({type(err).__name__}: {err}). Is the file "
            "complete? Open it in a spreadsheet program and save it again as .xlsx."
        ) from None
    named = sorted(
        (s for s in sheets if TEST_SHEET.match(str(s))),
        key=lambda s: int(re.search(r"\d+", str(s)).group()),
    )
    candidates = named or list(sheets)
    curves, notes, vendor = [], [], None
    for sheet, raw in sheets.items():
        key = str(sheet).strip().lower()
        if key in VENDOR_SHEETS and vendor is None and len(raw) > 1:
            vendor = _vendor_frame(pd.DataFrame(raw, dtype=object).replace("", np.nan))
    for sheet in candidates:
        if str(sheet).strip().lower() in VENDOR_SHEETS:
            continue
        arrays, why = _test_sheet(sheets[sheet])
        if arrays is None:
            if named:
                notes.append(f"{name}: sheet {sheet!r} skipped: {why}.")
            continue
        curves.append((str(sheet), arrays))
    skipped = [
        str(s) for s in sheets if s not in candidates and str(s).lower() not in VENDOR_SHEETS
    ]
    if skipped and curves:
        notes.append(f"{name}: sheets without a test skipped: {', '.join(skipped)}.")
    if not curves:
        raise CurveFileError(
            f"{name} has no test sheet: none of its sheets ({', '.join(map(str, sheets))}) "
            "holds a load and a displacement column with names in the first row. IndentLab "
            "reads one test per sheet, named like 'Test 001', with the column names in the "
            "first row and (optionally) their units in the second."
        )
    return curves, vendor, notes


def _sheets(data: bytes) -> dict[str, list[list]]:
    """Every sheet as rows of cells (str, float, int, dates; "" when empty), read with
    python-calamine.

    Straight from calamine's rows: pandas' ``read_excel`` converts every cell in Python
    and takes about twice as long on a 16-sheet export.
    """
    from python_calamine import CalamineWorkbook  # the workbook reader (requirements.txt)

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def _check_unpacked(data: bytes, name: str) -> None:
    """Refuse a zipped workbook that unpacks to more than MAX_WORKBOOK_UNPACKED (zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise CurveFileError(
            f"{name} is not a valid workbook: its zip container is damaged. Save it again."
        ) from None
    if total > MAX_WORKBOOK_UNPACKED:
        raise CurveFileError(
            f"{name} unpacks to {_size(total)}; IndentLab reads workbooks that unpack to at "
            f"most {_size(MAX_WORKBOOK_UNPACKED)}."
        )


def _cells(row) -> list[str]:
    return [
        "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip() for v in row
    ]


def _header(rows) -> tuple[list[str], int]:
    """Column names from the first row (joined with a units row below) and data start."""
    first = _cells(rows[0])
    start = 1
    if len(rows) > 1:
        second = _cells(rows[1])
        words = [unit_key(u.strip("()[]")) for u in second if u]
        numbers = pd.to_numeric(pd.Series(second, dtype=object), errors="coerce").notna().any()
        if words and not numbers and sum(w in UNIT_WORDS for w in words) >= len(words) / 2:
            second += [""] * (len(first) - len(second))
            pairs = zip(first, second[: len(first)], strict=True)
            first = [f"{a} ({b.strip('()[]')})" if b else a for a, b in pairs]
            start = 2
    names, seen = [], {}
    for k, n in enumerate(first):
        n = n or f"column {k + 1}"
        seen[n] = seen.get(n, 0) + 1
        names.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return names, start


def _column(rows, j: int) -> np.ndarray:
    """Column j of the rows as floats (NaN where not a number)."""
    values = [r[j] if j < len(r) else None for r in rows]
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)


def _test_sheet(rows) -> tuple[dict[str, np.ndarray] | None, str]:
    """Depth, load and time of one test sheet in nm, mN and s, or None and why not."""
    if len(rows) < MIN_POINTS + 1 or max((len(r) for r in rows[:2]), default=0) < 2:
        return None, "too few rows or columns"
    if len(rows) > MAX_ROWS:
        return None, f"more than {MAX_ROWS:,} rows"
    names, start = _header(rows)
    body = rows[start:]
    guess = guess_columns(names, names)
    load, depth, time = guess["load"], guess["displacement"], guess["time"]
    if load is None or depth is None or not re.search(r"load|force", load.lower()):
        return None, "no column named load (or force) and displacement (or depth)"
    factors = {
        "load": LOAD_UNITS[guess_unit(load, "load") or "mN"],
        "displacement": DEPTH_UNITS[guess_unit(depth, "displacement") or "nm"],
        "time": TIME_UNITS[(guess_unit(time, "time") or "s") if time else "s"],
    }
    h = _column(body, names.index(depth)) * factors["displacement"]
    P = _column(body, names.index(load)) * factors["load"]
    t = _column(body, names.index(time)) * factors["time"] if time else None
    keep = np.isfinite(h) & np.isfinite(P)
    if t is not None:
        keep &= np.isfinite(t)
    if keep.sum() < MIN_POINTS:
        return None, f"fewer than {MIN_POINTS} rows with load and displacement"
    return {"h_nm": h[keep], "P_mN": P[keep], "t_s": None if t is None else t[keep]}, ""


def _vendor_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The vendor's results sheet as a table: names as columns, the units row dropped."""
    names, start = _header(raw.to_numpy().tolist())
    frame = raw.iloc[start:].reset_index(drop=True)
    frame.columns = names[: raw.shape[1]] + [
        f"column {k + 1}" for k in range(len(names), raw.shape[1])
    ]
    frame = frame.dropna(how="all")
    for column in frame.columns:
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() >= 0.5 * frame[column].notna().sum() > 0:
            frame[column] = converted
    return frame.reset_index(drop=True)
