"""Text table in, DataFrame out: :func:`read_table` sniffs delimiter, decimal comma and
header lines of an instrument export or pasted spreadsheet columns."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from .formats import (
    BRACKETS_PATTERN,
    CORE_UNIT_WORDS,
    DELIMITER_NAMES,
    DELIMITERS,
    MAX_BYTES,
    MAX_ROWS,
    MISSING_CELLS,
    NUMBER_PATTERN,
    SNIFF_LINES,
    UNIT_WORDS,
    CurveFileError,
    unit_key,
)


@dataclass
class TableFile:
    """A text table as read by :func:`read_table`.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data rows with the file's own column names ("column 1", ... when it has none);
        numeric columns as float, text columns (e.g. a curve name) as str.
    delimiter : str
        "tab", "semicolon", "comma" or "spaces".
    decimal_comma : bool
        True when numbers were written with a decimal comma (``0,5``).
    skipped_lines : int
        Lines above the data that were skipped (instrument header, column names).
    """

    frame: pd.DataFrame
    delimiter: str
    decimal_comma: bool
    skipped_lines: int


# ----------------------------------------------------------------------------- reading


def read_table(
    data: bytes | str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> TableFile:
    """Read a delimited text table of numbers, skipping an instrument header.

    Parameters
    ----------
    data : bytes or str
        The file's content (UTF-8, UTF-16 with a byte-order mark, or Latin-1) or pasted text.
    max_bytes : int, default 20 MB
        Largest accepted size [bytes].
    max_rows : int, default 500,000
        Most data rows.

    Returns
    -------
    TableFile

    Raises
    ------
    CurveFileError
        When the data are too large, binary (e.g. an Excel workbook) or hold no rows of
        numbers.

    Notes
    -----
    The delimiter is the one of tab, semicolon, comma and whitespace under which the longest
    run of consecutive lines splits into the same number (>= 2) of fields, at least half of
    them (and at least two) numbers. A decimal comma is accepted when the delimiter is not a
    comma. The data start at the first line of that run; the line just above it gives the
    column names when it has as many fields (a line of units in brackets below the names,
    as some instruments write, is joined to them).
    """
    text = _decode(data, max_bytes)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise CurveFileError("The file is empty: there is nothing to read.")
    delimiter, decimal_comma, start, n_fields = _sniff(lines[:SNIFF_LINES])
    n_rows = sum(1 for line in lines[start:] if line.strip())
    if n_rows > max_rows:
        raise CurveFileError(
            f"The file has {n_rows:,} data rows; IndentLab reads at most {max_rows:,}. "
            "Split it into smaller files (for example one file per group of curves)."
        )
    names, skipped = _column_names(lines, start, delimiter, n_fields)
    frame = pd.read_csv(
        io.StringIO("\n".join(lines[start:])),
        sep=r"\s+" if delimiter is None else delimiter,
        header=None,
        names=range(n_fields),
        index_col=False,
        dtype=str,
        skip_blank_lines=True,
        on_bad_lines="skip",
        engine="c",
    )
    frame.columns = names
    frame = _to_numbers(frame, decimal_comma)
    numeric = frame.select_dtypes("number")
    frame = frame[numeric.notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise CurveFileError("The file has no rows of numbers.")
    return TableFile(frame, DELIMITER_NAMES[delimiter], decimal_comma, skipped)


def _decode(data: bytes | str, max_bytes: int) -> str:
    """The text of ``data``; CurveFileError when too large or binary."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise CurveFileError(
            f"The file is {_size(size)}; IndentLab reads at most {_size(max_bytes)}. "
            "Export fewer curves per file, or leave out columns you do not need."
        )
    if isinstance(data, str):
        return data
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CurveFileError(
            "This looks like an Excel workbook (.xlsx / .xls), which IndentLab cannot read. "
            "Open it in your spreadsheet program and save the sheet as CSV "
            "(File → Save as → CSV), then upload the CSV file."
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise CurveFileError(
            "This is not a text file (it holds binary data). Export your curves as text: "
            "CSV, TSV or TXT with one row per data point."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _size(n_bytes: int) -> str:
    """A file size for a message: "20 MB", "1.5 MB", "300 kB", "100 bytes"."""
    if n_bytes >= 1e6:
        return f"{n_bytes / 1e6:.3g} MB"
    if n_bytes >= 1e3:
        return f"{n_bytes / 1e3:.3g} kB"
    return f"{n_bytes:,} bytes"


def _split(line: str, delimiter: str | None) -> list[str]:
    """Fields of one line, stripped of spaces and quotes."""
    parts = line.split() if delimiter is None else line.split(delimiter)
    return [p.strip().strip('"').strip("'").strip() for p in parts]


def _is_number(field: str, decimal_comma: bool) -> bool:
    if decimal_comma:
        field = field.replace(",", ".")
    return bool(NUMBER_PATTERN.match(field))


def _is_missing(field: str) -> bool:
    """An empty cell or a written-out missing number ("NaN", "inf", "n/a")."""
    return field.lower() in MISSING_CELLS


def _sniff(lines: list[str]) -> tuple[str | None, bool, int, int]:
    """Delimiter, decimal comma, index of the first data line and number of fields."""
    best = None  # (score), delimiter, decimal comma, start, fields
    for preference, delimiter in enumerate(DELIMITERS):
        for decimal_comma in (False, True) if delimiter != "," else (False,):
            run = _longest_numeric_run(lines, delimiter, decimal_comma)
            if run is None:
                continue
            numeric_cells, start, n_fields = run
            score = (numeric_cells, -preference, not decimal_comma)
            if best is None or score > best[0]:
                best = (score, delimiter, decimal_comma, start, n_fields)
    if best is None:
        raise CurveFileError(
            "No rows of numbers found. IndentLab reads text tables with one row per data "
            "point and at least two columns of numbers (load and displacement), separated by "
            "commas, semicolons, tabs or spaces."
        )
    _, delimiter, decimal_comma, start, n_fields = best
    return delimiter, decimal_comma, start, n_fields


def _longest_numeric_run(
    lines: list[str], delimiter: str | None, decimal_comma: bool
) -> tuple[float, int, int] | None:
    """(score, first line, fields) of the best run of numeric lines alike in width.

    A line is numeric when it splits into >= 2 fields, at least two and at least half of
    them numbers, or when every field is a number or a missing one ("0.0,NaN", "0.0,", with
    at least one number). A run's score is its count of number cells minus its text cells
    (missing cells count for nothing), so a wrong delimiter that cuts numbers apart
    ("0,5;1,2" split at commas) loses.
    """
    best, run_start, run_score, run_fields, in_run = None, 0, 0.0, 0, False
    for i, line in enumerate(lines):
        if not line.strip():
            continue  # blank lines do not break a run
        fields = _split(line, delimiter)
        n_num = sum(_is_number(f, decimal_comma) for f in fields)
        n_text = sum(not _is_number(f, decimal_comma) and not _is_missing(f) for f in fields)
        numeric = len(fields) >= 2 and (
            (n_num >= 2 and 2 * n_num >= len(fields)) or (n_num >= 1 and n_text == 0)
        )
        gain = n_num - n_text
        if in_run and len(fields) == run_fields and n_num >= 1:
            run_score += gain  # a row with a bad cell stays in the run
        elif numeric:
            run_start, run_score, run_fields, in_run = i, float(gain), len(fields), True
        else:
            in_run = False
        if in_run and (best is None or run_score > best[0]):
            best = (run_score, run_start, run_fields)
    return best


def _column_names(
    lines: list[str], start: int, delimiter: str | None, n_fields: int
) -> tuple[list[str], int]:
    """Column names from the line above the data (or generic ones) and lines skipped.

    A line of units under the names, in brackets ("(mN)") or bare ("mN", as Keysight
    NanoSuite writes it), is joined to them: "Load" + "mN" -> "Load (mN)".
    """
    above = [i for i in range(start) if lines[i].strip()]
    names = None
    if above:
        fields = _header_fields(lines[above[-1]], delimiter, n_fields)
        if fields is not None and _is_units_line(fields):
            upper = (
                _header_fields(lines[above[-2]], delimiter, n_fields) if len(above) > 1 else None
            )
            units = [f if not f or BRACKETS_PATTERN.fullmatch(f) else f"({f})" for f in fields]
            if upper is not None and not any(_is_number(f, False) for f in upper if f):
                fields = [f"{a} {b}".strip() for a, b in zip(upper, units, strict=True)]
        if fields is not None and not any(_is_number(f, False) for f in fields if f):
            names = fields
    if names is None:
        names = [f"column {k + 1}" for k in range(n_fields)]
    names = [name or f"column {k + 1}" for k, name in enumerate(names)]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique, start


def _is_units_line(fields: list[str]) -> bool:
    """True when every filled field is a unit, bare or in brackets, one of them a unit of
    load, displacement or time ("nm", "(mN)", "[s]"); a line of units in brackets only
    counts whatever the units."""
    filled = [f for f in fields if f]
    if not filled:
        return False
    if all(BRACKETS_PATTERN.fullmatch(f) for f in filled):
        return True
    words = [unit_key(m.group(1) if (m := BRACKETS_PATTERN.fullmatch(f)) else f) for f in filled]
    return all(w in UNIT_WORDS for w in words) and any(w in CORE_UNIT_WORDS for w in words)


def _header_fields(line: str, delimiter: str | None, n_fields: int) -> list[str] | None:
    """The fields of a header line if it has ``n_fields`` of them (spaces: also 2+ spaces)."""
    fields = _split(line, delimiter)
    if delimiter is None and len(fields) != n_fields:
        fields = [f.strip() for f in re.split(r"\t|\s{2,}", line.strip())]
    if len(fields) > n_fields and not any(fields[n_fields:]):
        fields = fields[:n_fields]  # trailing delimiters
    return fields if len(fields) == n_fields else None


def _to_numbers(frame: pd.DataFrame, decimal_comma: bool) -> pd.DataFrame:
    """Columns that are mostly numbers as float (other cells NaN); the rest stay text.

    Columns without a single filled cell are left out.
    """
    out = {}
    for name in frame.columns:
        text = frame[name].str.strip().str.strip('"')
        values = pd.to_numeric(text.str.replace(",", ".") if decimal_comma else text, "coerce")
        filled = text.notna() & (text != "")
        if not filled.any():
            continue  # an empty column, e.g. from a delimiter at the end of every line
        numeric = values.notna().sum() >= 0.5 * max(int(filled.sum()), 1)
        out[name] = values.astype(float) if numeric else text.fillna("").astype(str)
    return pd.DataFrame(out)
