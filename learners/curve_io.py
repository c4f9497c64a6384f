"""Read a learner's own load-displacement curves from a text table, as instruments export it.

One layer, one job: text in, plain arrays out. :func:`read_table` turns the bytes of a CSV,
TSV, semicolon or whitespace file (or text pasted from a spreadsheet) into a DataFrame with
the file's own column names; :func:`guess_columns` and :func:`guess_unit` propose which
column is load, displacement, time and curve id, and in which unit; :func:`to_curves` turns
the chosen columns into the arrays the analysis takes (``h_nm``, ``P_mN``, ``t_s`` of shape
(n_curves, n_points), padded with NaN). Nothing here imports Streamlit.

Bad data raise :class:`CurveFileError` (a ``ValueError``) with a message a learner can act
on; rows with a missing value inside a curve are dropped and counted, not an error.

:func:`sample_csv` writes a sample file from the simulator (fused silica, copper, tungsten
with a pop-in), so the page can be tried without an instrument.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Largest file read [bytes] and most data rows.
MAX_BYTES = 20_000_000
MAX_ROWS = 500_000
#: Most curves in one file, fewest points per curve, most cells of the padded arrays.
MAX_CURVES = 2_000
MIN_POINTS = 20
#: The padded arrays hold n_curves x longest curve cells; h, P and t take 24 bytes a cell and
#: the analysis makes several temporary copies, so 4 M cells cost a few hundred MB at peak.
#: The app is hosted in 0.7-2.7 GB shared by a class of about 30 learners, with a few
#: analyses cached (ui.upload_cached), hence this bound. Files within MAX_ROWS of curves of
#: similar length stay far below it (500,000 rows = 780 curves x 641 points = 0.5 M cells); it
#: stops a file of a few short curves and one very long one.
MAX_CELLS = 4_000_000
#: Lines examined to find the delimiter and the first row of numbers.
SNIFF_LINES = 2_000
#: Candidate delimiters, in order of preference on a tie; None means runs of whitespace.
DELIMITERS: tuple[str | None, ...] = ("\t", ";", ",", None)
DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma", None: "spaces"}

#: Units the columns may carry and the factor to mN, nm or s. "u" stands for "µ".
LOAD_UNITS = {"mN": 1.0, "µN": 1e-3, "nN": 1e-6, "N": 1e3}
DEPTH_UNITS = {"nm": 1.0, "µm": 1e3, "mm": 1e6, "m": 1e9}
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "min": 60.0}
UNITS = {"load": LOAD_UNITS, "displacement": DEPTH_UNITS, "time": TIME_UNITS}
DEFAULT_UNITS = {"load": "mN", "displacement": "nm", "time": "s"}

#: Name patterns of each column role, strongest first (matched on lower-case words).
ROLE_PATTERNS = {
    "load": (r"\bload\b", r"load", r"force", r"^(p|fn|f)\b"),
    "displacement": (
        r"displacement into surface",
        r"\bdepth\b",
        r"depth",
        r"displacement",
        r"\bdisp\b",
        r"^(h|z)\b",
    ),
    "time": (r"\btime\b", r"time", r"^t\b"),
    # whole words only: "Indentation Hardness", "Test Temperature" are not ids (and a column
    # must also look like an id, see guess_columns)
    "curve": (
        r"^(curve|test|indent|indentation|id|sample|specimen)( (no|nr|number|id|index|#))?$",
        r"^(curve|test|indent|indentation) ?#$",
        r"\b(curve|indent) (no|nr|number|id|index|name)\b",
        r"\b(test|indentation|sample) (no|nr|number|id|index|name)\b",
        r"\bcurve\b",
        r"\bindent\b",
        r"\btest\b",
        r"\bid\b",
    ),
}
#: Words of a line of units under the column names (Keysight / NanoSuite writes them bare,
#: "nm<TAB>mN<TAB>s", others in brackets). "u" and "μ" count as "µ"; compared in lower case.
UNIT_WORDS = frozenset(
    u.replace("µ", "u").lower()
    for u in (
        *("nm", "µm", "um", "mm", "m", "mN", "µN", "uN", "nN", "N", "s", "ms", "min"),
        *("GPa", "MPa", "kPa", "Pa", "Hz", "%", "C", "°C", "K", "-", "nm/s", "mN/nm", "N/m"),
        *("µN/nm", "uN/nm", "um/s", "µm/s", "mN/s", "µN/s", "uN/s", "1/s", "nm^2", "µm^2"),
        "um^2",
    )
)
#: Of those, the units of load, displacement and time: a units line holds at least one.
CORE_UNIT_WORDS = frozenset(u.replace("µ", "u").lower() for units in UNITS.values() for u in units)
#: Cells that stand for a missing number ("", "NaN", "inf", "n/a", ...).
MISSING_CELLS = frozenset(
    ("", "nan", "-nan", "na", "n/a", "#n/a", "none", "null", "inf", "+inf", "-inf", "infinity")
)

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_BRACKETS = re.compile(r"[\(\[]\s*([^\)\]]*?)\s*[\)\]]")


class CurveFileError(ValueError):
    """The file or the chosen columns cannot be turned into curves; the message says why."""


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


@dataclass
class UserCurves:
    """Curves read from a file, as arrays ready for the analysis.

    Attributes
    ----------
    names : list of str, length n_curves
    h_nm, P_mN : ndarray, shape (n_curves, n_points)
        Displacement [nm] and load [mN]; shorter curves are padded with NaN at the end.
    t_s : ndarray like ``h_nm``, or None
        Time [s] when a time column was chosen.
    n_points : ndarray of int, shape (n_curves,)
        Points of each curve.
    dropped_rows : int
        Rows left out because a chosen column had no number there.
    """

    names: list[str]
    h_nm: np.ndarray
    P_mN: np.ndarray
    t_s: np.ndarray | None
    n_points: np.ndarray
    dropped_rows: int = 0

    @property
    def n_curves(self) -> int:
        return len(self.names)


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
    return bool(_NUMBER.match(field))


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
            units = [f if not f or _BRACKETS.fullmatch(f) else f"({f})" for f in fields]
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
    if all(_BRACKETS.fullmatch(f) for f in filled):
        return True
    words = [_unit_key(m.group(1) if (m := _BRACKETS.fullmatch(f)) else f) for f in filled]
    return all(w in UNIT_WORDS for w in words) and any(w in CORE_UNIT_WORDS for w in words)


def _unit_key(text: str) -> str:
    """A unit in lower case with "µ" and "μ" written "u"."""
    return text.replace("µ", "u").replace("μ", "u").strip().lower()


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


# ----------------------------------------------------------------------------- guessing


def _words(name: str) -> str:
    """Lower-case words of a column name, separators as spaces, units in brackets removed."""
    plain = _BRACKETS.sub(" ", str(name))
    return re.sub(r"[_\-/.:]+", " ", plain).lower().strip()


def guess_columns(
    columns: list[str],
    numeric: list[str] | None = None,
    frame: pd.DataFrame | None = None,
) -> dict[str, str | None]:
    """Guess which column holds load, displacement, time and the curve id.

    Parameters
    ----------
    columns : list of str
        The column names, in file order.
    numeric : list of str, optional
        The numeric columns; load, displacement and time are only guessed among them (all
        columns when not given).
    frame : pandas.DataFrame, optional
        The table; when given, a curve id is only guessed among columns that look like one
        (see Notes).

    Returns
    -------
    dict
        ``{"load": name, "displacement": name, "time": name or None, "curve": name or
        None}``. Names follow :data:`ROLE_PATTERNS` (load/force/P, depth/displacement/h,
        time/t, and curve/test/indent/id as whole words); when load or displacement is not
        found by name, the first unused numeric columns are taken, displacement first (as
        most instruments write them).

    Notes
    -----
    A curve id column holds text or whole numbers, with fewer distinct values than
    ``len(frame) / MIN_POINTS`` (each curve needs MIN_POINTS rows), so that measurement
    columns such as "Test Temperature (C)" are not taken for it.
    """
    numeric = list(columns) if numeric is None else list(numeric)
    guess: dict[str, str | None] = dict.fromkeys(ROLE_PATTERNS)
    used: set[str] = set()
    for role in ("load", "displacement", "time", "curve"):
        pool = numeric if role != "curve" else list(columns)
        if role == "curve" and frame is not None:
            pool = [c for c in pool if c in frame.columns and _looks_like_id(frame[c])]
        for pattern in ROLE_PATTERNS[role]:
            hit = next((c for c in pool if c not in used and re.search(pattern, _words(c))), None)
            if hit is not None:
                guess[role] = hit
                used.add(hit)
                break
    for role in ("displacement", "load"):
        if guess[role] is None:
            rest = [c for c in numeric if c not in used]
            if rest:
                guess[role] = rest[0]
                used.add(rest[0])
    return guess


def _looks_like_id(column: pd.Series) -> bool:
    """Text or whole numbers, with fewer distinct values than rows / MIN_POINTS."""
    values = column.dropna()
    if pd.api.types.is_numeric_dtype(values):
        values = values[np.isfinite(values.to_numpy(float))]
        if not np.all(values.to_numpy(float) % 1 == 0):
            return False
    else:
        values = values[values.astype(str).str.strip() != ""]
    return 0 < values.nunique() < max(len(column) / MIN_POINTS, 2)


def guess_unit(name: str, quantity: str) -> str | None:
    """The unit a column name states for ``quantity`` ("load", "displacement", "time").

    Looks in brackets first ("Load (µN)", "Depth [um]"), then at the last word ("load_uN",
    "depth_nm", "time s"), and at a name that is a unit itself ("µN", as a line of units
    without names gives). "u" and "μ" count as "µ". Returns a key of :data:`UNITS`
    [quantity], or None when the name states no known unit.
    """
    units = UNITS[quantity]
    lookup = {_unit_key(u): u for u in units}
    candidates = [m.group(1) for m in _BRACKETS.finditer(str(name))]
    words = re.split(r"[\s_\-/,]+", _BRACKETS.sub(" ", str(name)).strip())
    if words and words[-1]:
        candidates.append(words[-1])  # the last word, or the whole name when it is one word
    for candidate in candidates:
        # case matters for "mN" vs "MN" only in theory; "MM" or "NM" in capitals are common
        key = _unit_key(candidate)
        if key in lookup:
            return lookup[key]
    return None


# ----------------------------------------------------------------------------- to arrays


def to_curves(
    frame: pd.DataFrame,
    *,
    load: str,
    displacement: str,
    time: str | None = None,
    curve: str | None = None,
    load_unit: str = "mN",
    displacement_unit: str = "nm",
    time_unit: str = "s",
    max_curves: int = MAX_CURVES,
    min_points: int = MIN_POINTS,
) -> UserCurves:
    """The chosen columns of ``frame`` as curves in mN, nm and s, padded with NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from :func:`read_table`.
    load, displacement : str
        Columns of the load and the displacement into the surface.
    time, curve : str, optional
        Columns of the time and of the curve id (one curve per distinct id, in order of
        first appearance; one curve for the whole file when None).
    load_unit, displacement_unit, time_unit : str
        Keys of :data:`LOAD_UNITS`, :data:`DEPTH_UNITS`, :data:`TIME_UNITS`.
    max_curves, min_points : int
        Most curves, fewest points per curve.

    Returns
    -------
    UserCurves

    Raises
    ------
    CurveFileError
        When a column is missing, chosen twice or not numeric, a unit is unknown, there are
        more than ``max_curves`` curves, a curve has fewer than ``min_points`` points, a peak
        load is not positive, or a curve has no unloading after its peak load.
    """
    roles = {"load": load, "displacement": displacement, "time": time, "curve": curve}
    chosen = {role: name for role, name in roles.items() if name is not None}
    for role, name in chosen.items():
        if name not in frame.columns:
            raise CurveFileError(f"The file has no column {name!r} (chosen as {role}).")
    names = list(chosen.values())
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        both = [role for role, name in chosen.items() if name == twice[0]]
        raise CurveFileError(
            f"The column {twice[0]!r} is chosen for both {' and '.join(both)}: each role needs "
            "its own column."
        )
    factors = {}
    for quantity, unit in (
        ("load", load_unit),
        ("displacement", displacement_unit),
        ("time", time_unit),
    ):
        if unit not in UNITS[quantity]:
            raise CurveFileError(
                f"Unknown {quantity} unit {unit!r}; choose one of {', '.join(UNITS[quantity])}."
            )
        factors[quantity] = UNITS[quantity][unit]

    values = {}
    for role in ("load", "displacement", "time"):
        if roles[role] is None:
            continue
        column = frame[roles[role]]
        if not pd.api.types.is_numeric_dtype(column):
            raise CurveFileError(
                f"The column {roles[role]!r} (chosen as {role}) holds text, not numbers. "
                f"Choose the column that holds the {role} values."
            )
        values[role] = column.to_numpy(float) * factors[role]
    if curve is None:
        ids = np.zeros(len(frame), dtype=np.int64)
        labels = ["curve 1"]
    else:
        column = frame[curve]
        text = column.astype(str).str.strip()
        missing = column.isna() | (text == "") | (text.str.lower() == "nan")
        ids, uniques = pd.factorize(text.where(~missing), sort=False)
        labels = [_label(u) for u in uniques]
    if len(labels) > max_curves:
        raise CurveFileError(
            f"The column {curve!r} names {len(labels):,} curves; IndentLab analyses at most "
            f"{max_curves:,} at once. Is {curve!r} really the curve id? Otherwise split the "
            "file."
        )
    good = ids >= 0
    for v in values.values():
        good &= np.isfinite(v)
    dropped = int((~good).sum())
    ids = ids[good]
    if ids.size == 0:
        raise CurveFileError(
            "No row has numbers in all the chosen columns: check that load and displacement "
            "are the right columns."
        )
    counts = np.bincount(ids, minlength=len(labels))
    present = counts > 0
    if not present.all():  # ids whose every row was dropped
        remap = np.cumsum(present) - 1
        ids, counts = remap[ids], counts[present]
        labels = [label for label, p in zip(labels, present, strict=True) if p]
    short = np.flatnonzero(counts < min_points)
    if short.size:
        listed = ", ".join(f"{labels[i]!r} ({counts[i]})" for i in short[:5])
        more = f" and {short.size - 5} more" if short.size > 5 else ""
        raise CurveFileError(
            f"Too few points: curve {listed}{more} has fewer than {min_points} points. An "
            f"Oliver-Pharr analysis needs at least {min_points} points per curve (loading and "
            "unloading). Check the curve id column, or export the curves with more points."
        )
    n_curves, longest = len(labels), int(counts.max())
    if n_curves * longest > MAX_CELLS:
        raise CurveFileError(
            f"{n_curves:,} curves of up to {longest:,} points are too much to analyse at "
            "once. Split the file into smaller ones."
        )
    # Position of every row inside its curve, in file order (stable sort by curve).
    order = np.argsort(ids, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    position = np.empty_like(ids)
    position[order] = np.arange(ids.size) - np.repeat(starts, counts)
    arrays = {}
    for role, v in values.items():
        padded = np.full((n_curves, longest), np.nan)
        padded[ids, position] = v[good]
        arrays[role] = padded
    curves = UserCurves(
        names=labels,
        h_nm=arrays["displacement"],
        P_mN=arrays["load"],
        t_s=arrays.get("time"),
        n_points=counts.astype(int),
        dropped_rows=dropped,
    )
    _check_shapes(curves)
    return curves


def _label(value) -> str:
    """A curve id as text: 3.0 -> "3"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}" if np.isfinite(number) else str(value)


def _check_shapes(curves: UserCurves) -> None:
    """Every curve has a positive peak load and unloads after it."""
    P = curves.P_mN
    filled = np.where(np.isfinite(P), P, -np.inf)
    i_peak = np.argmax(filled, axis=1)
    P_max = filled[np.arange(P.shape[0]), i_peak]
    bad = np.flatnonzero(~(P_max > 0))
    if bad.size:
        listed = ", ".join(repr(curves.names[i]) for i in bad[:5])
        raise CurveFileError(
            f"The peak load of curve {listed} is not positive (largest load "
            f"{float(P_max[bad[0]]) + 0.0:.3g} mN). Is the load column right? If your "
            "instrument records pushing into the sample as a negative load, flip its sign "
            "before uploading."
        )
    after = np.arange(P.shape[1])[None, :] > i_peak[:, None]
    lowest_after = np.where(after & np.isfinite(P), P, np.inf).min(axis=1)
    no_unloading = np.flatnonzero(~(lowest_after < 0.9 * P_max))
    if no_unloading.size:
        listed = ", ".join(repr(curves.names[i]) for i in no_unloading[:5])
        raise CurveFileError(
            f"No unloading after the peak load in curve {listed}: the load never falls below "
            "90 % of its peak afterwards. Oliver-Pharr needs the unloading branch. Check that "
            "the file holds the whole test, and that the load column is the load."
        )


def plausibility_notes(curves: UserCurves, features: pd.DataFrame | None = None) -> list[str]:
    """Warnings when peak loads or depths look like a wrong unit (not errors).

    Looks at every curve, analysed or not. With ``features`` (the table of
    :func:`learners.curve_features`, one row per curve) curves whose Oliver-Pharr analysis
    found E undefined (E_r at the indenter's limit) add a note: a contact stiffer than
    diamond usually means a load unit too large or a displacement unit too small.
    """
    P_max = np.nanmax(curves.P_mN, axis=1)
    h_max = np.nanmax(curves.h_nm, axis=1)
    notes = []
    if np.nanmedian(P_max) > 5e4:
        notes.append(
            f"The peak loads are around {np.nanmedian(P_max):,.0f} mN (more than 50 N): "
            "that is not nanoindentation. Is the load unit right?"
        )
    elif np.nanmedian(P_max) < 1e-3:
        notes.append(
            f"The peak loads are around {np.nanmedian(P_max):.2g} mN (less than 1 µN). "
            "Is the load unit right?"
        )
    if np.nanmedian(h_max) > 1e5:
        notes.append(
            f"The largest depths are around {np.nanmedian(h_max):,.0f} nm (more than "
            "100 µm). Is the displacement unit right?"
        )
    elif np.nanmedian(h_max) < 1.0:
        notes.append(
            f"The largest depths are around {np.nanmedian(h_max):.2g} nm (less than 1 nm). "
            "Is the displacement unit right?"
        )
    if features is not None and "reason" in features:
        reasons = features["reason"].astype(str)
        limit = reasons.str.startswith("E undefined").to_numpy()
        if limit.any():
            n = int(limit.sum())
            notes.append(
                f"On {n} of {len(reasons)} curve{'s' * (len(reasons) != 1)} E is undefined: "
                "the reduced modulus reached the limit a diamond indenter allows, a contact "
                "stiffer than diamond. That usually means a wrong unit: a load read 1000 "
                "times too large (µN read as mN) or depths 1000 times too small (µm read as "
                "nm). Are the load and displacement units right?"
            )
    return notes


# ----------------------------------------------------------------------------- sample file

#: The sample's curves: name, simulator settings (material, protocol, defects), seed offset.
SAMPLE_CURVES = (
    ("fused silica", {"material": "fused silica", "protocol": {"P_max_mN": 10.0}}),
    (
        "copper",
        {
            "material": "copper (annealed)",
            "protocol": {"P_max_mN": 5.0, "loading_s": 15.0, "data_rate_hz": 10.0},
        },
    ),
    (
        "tungsten pop-in",
        {
            "material": "tungsten",
            "protocol": {"P_max_mN": 5.0, "data_rate_hz": 25.0},
            "defects": {"popin_load_mN": 1.0},
        },
    ),
)


def sample_curves(seed: int = 0):
    """The simulated curves of the sample file, one :class:`simulator.Curve` per entry of
    :data:`SAMPLE_CURVES` (with the default noise; seeds ``seed``, ``seed + 1``, ...)."""
    from simulator import simulate_curve  # the simulator is only needed for the sample

    return [
        simulate_curve(noise="default", seed=seed + k, **settings)
        for k, (_, settings) in enumerate(SAMPLE_CURVES)
    ]


def sample_csv(seed: int = 0) -> str:
    """A sample file of three simulated curves, as an instrument might export them.

    Columns ``curve``, ``time_s``, ``depth_nm``, ``load_uN``: the load is in µN on purpose,
    so that the unit has to be chosen. The curves (fused silica, annealed copper, tungsten
    with a pop-in at 1 mN) have different lengths. The same ``seed`` gives the same text.
    """
    parts = []
    for (name, _), curve in zip(SAMPLE_CURVES, sample_curves(seed), strict=True):
        parts.append(
            pd.DataFrame(
                {
                    "curve": name,
                    "time_s": np.round(curve.t_s, 3),
                    "depth_nm": np.round(curve.h_nm, 3),
                    "load_uN": np.round(1e3 * curve.P_mN, 3),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).to_csv(index=False, lineterminator="\n")
