"""One entry point for a learner's files: :func:`read_curves`.

Paths, bytes, file-like objects or (name, bytes) pairs, alone or in a list; text tables
(CSV, TSV, TXT, DAT), Hysitron exports, Excel / OpenDocument workbooks, and .zip or .gz
archives of them. Every curve comes out in nm, mN and s as NaN-padded 2-D arrays.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .archive import gunzip, is_gzip, is_zip, unzip
from .arrays import to_curves
from .columns import guess_columns, guess_unit
from .excel import MAX_WORKBOOK_BYTES, is_workbook, read_workbook
from .formats import MAX_BYTES, MAX_CELLS, MAX_CURVES, CurveFileError
from .hysitron import is_hysitron, read_hysitron
from .table import _decode, _size, read_table

#: Most files in one call (after unpacking archives) and most bytes of one upload.
MAX_FILES = 2_000
MAX_UPLOAD_BYTES = 200_000_000


@dataclass
class CurveSet:
    """Curves read by :func:`read_curves`.

    Attributes
    ----------
    names : list of str, length n_curves
        Sheet names for a workbook, file names for one-curve files, curve ids for a table
        of several curves (prefixed with the file name when several files were read).
    h_nm, P_mN : ndarray, shape (n_curves, n_points)
        Displacement [nm] and load [mN], padded with NaN at the end of shorter curves.
    t_s : ndarray like ``h_nm``, or None
        Time [s]; NaN for curves whose file has no time column, None when none has one.
    n_points : ndarray of int, shape (n_curves,)
    files : list of str, length n_curves
        The file each curve came from.
    formats : list of str, length n_curves
        "workbook", "hysitron" or "table".
    vendor : DataFrame or None
        The vendor's own results (e.g. a workbook's "Results" sheet), with a ``file``
        column; None when no file had them.
    notes : list of str
        What was noticed while reading, per file.
    skipped : list of (str, str)
        The files left out and why (file name, message), with ``skip_unreadable=True``.
    """

    names: list[str]
    h_nm: np.ndarray
    P_mN: np.ndarray
    t_s: np.ndarray | None
    n_points: np.ndarray
    files: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    vendor: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n_curves(self) -> int:
        return len(self.names)


def read_curves(source, *, skip_unreadable: bool = False, **options) -> CurveSet:
    """Read load-displacement curves from files of any format IndentLab knows.

    Parameters
    ----------
    source : path, bytes, file-like, (name, bytes) pair, or a list of them
        The file(s). A str is a path. Archives (.zip, .gz) are unpacked (bounded: see
        :mod:`learners.reading.archive`).
    skip_unreadable : bool, default False
        False: a file that cannot be read stops the whole read (CurveFileError). True: it
        is left out and listed in ``skipped`` with its message, and the other files are
        read (18 files with one broken: 17 read, one named); CurveFileError only when no
        file gives a curve, or for limits of the whole read (too many files, curves or
        points).
    **options
        For text tables only: the columns and units of :func:`to_curves` (``load``,
        ``displacement``, ``time``, ``curve``, ``load_unit``, ``displacement_unit``,
        ``time_unit``); what is not given is guessed from the column names
        (:func:`guess_columns`, :func:`guess_unit`; mN, nm and s when a name states none).

    Returns
    -------
    CurveSet

    Raises
    ------
    CurveFileError
        For a file that cannot be read (the message names it and says why): an unknown or
        damaged format, a workbook without a test sheet, an archive of too many files or
        too many bytes, a workbook over 30 MB, no curve in all the files.
    """
    skipped: list[tuple[str, str]] | None = [] if skip_unreadable else None
    files = _as_files(source, skipped)
    pieces, vendors, notes = [], [], []
    for name, data in _unpack(files, skipped):
        try:
            kind, curves, vendor, file_notes = _read_one(name, data, options)
        except CurveFileError as err:
            if skipped is None:
                raise
            skipped.append((name, str(err)))
            continue
        notes.extend(file_notes)
        if vendor is not None:
            vendors.append(vendor.assign(file=name))
        pieces.extend((name, kind, label, arrays) for label, arrays in curves)
    if not pieces:
        if skipped:
            reasons = " ".join(message for _, message in skipped[:5])
            more = f" (and {len(skipped) - 5} more files)" if len(skipped) > 5 else ""
            raise CurveFileError(f"No file could be read. {reasons}{more}")
        raise CurveFileError("No curve found in the files given.")
    if len(pieces) > MAX_CURVES:
        raise CurveFileError(
            f"The files hold {len(pieces):,} curves; IndentLab analyses at most {MAX_CURVES:,} "
            "at once."
        )
    several = len({p[0] for p in pieces}) > 1
    names = [
        f"{file}: {label}" if several and label != file else label for file, _, label, _ in pieces
    ]
    curve_set = _pack(names, pieces, vendors, notes)
    curve_set.skipped = skipped or []
    return curve_set


def _as_files(source, skipped: list | None = None) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file given; with a ``skipped`` list, files too large to read
    go there (name, message) instead of raising."""
    if isinstance(source, (list, tuple)) and not _is_pair(source):
        if not source:
            raise CurveFileError("No file given.")
        if len(source) > MAX_FILES:
            raise CurveFileError(f"{len(source):,} files given; IndentLab reads {MAX_FILES:,}.")
        out = [f for item in source for f in _as_files(item, skipped)]
        return out
    elif _is_pair(source):
        out = [(str(source[0]), bytes(source[1]))]
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise CurveFileError(f"No such file: {path}.")
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise CurveFileError(f"{path.name} is {_size(size)}; too large to read.")
        out = [(path.name, path.read_bytes())]
    elif isinstance(source, (bytes, bytearray, memoryview)):
        out = [("file", bytes(source))]
    elif hasattr(source, "read"):
        name = Path(str(getattr(source, "name", "file"))).name
        data = source.read(MAX_UPLOAD_BYTES + 1)
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        out = [(name, data)]
    else:
        raise CurveFileError(
            "source must be a path, bytes, a file-like object, a (name, bytes) pair or a list "
            f"of them. Got {type(source).__name__}."
        )
    kept = []
    for name, data in out:
        if len(data) > MAX_UPLOAD_BYTES:
            message = f"{name} is {_size(len(data))}; too large to read."
            if skipped is None:
                raise CurveFileError(message)
            skipped.append((name, message))
        else:
            kept.append((name, data))
    return kept


def _is_pair(item) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], (bytes, bytearray, memoryview))
    )


def _unpack(files: list[tuple[str, bytes]], skipped: list | None = None) -> list[tuple[str, bytes]]:
    """Archives replaced by their members; gzip files by their content. With a ``skipped``
    list, an archive that cannot be unpacked goes there (name, message) instead of raising.
    """
    out = []
    for name, data in files:
        try:
            if is_gzip(data):
                inner = name[:-3] if name.lower().endswith(".gz") else name
                out.extend(_unpack([(inner, gunzip(data, name))], skipped))
            elif is_zip(data) and not is_workbook(data, name):
                out.extend(_unpack(unzip(data, name), skipped))
            else:
                out.append((name, data))
        except CurveFileError as err:
            if skipped is None:
                raise
            skipped.append((name, str(err)))
        if len(out) > MAX_FILES:
            raise CurveFileError(f"More than {MAX_FILES:,} files; IndentLab reads fewer.")
    return out


def _read_one(name: str, data: bytes, options: dict):
    """(format, [(label, arrays)], vendor or None, notes) of one file."""
    if is_workbook(data, name):
        curves, vendor, notes = read_workbook(data, name, max_bytes=MAX_WORKBOOK_BYTES)
        return "workbook", curves, vendor, notes
    if len(data) > MAX_BYTES:
        raise CurveFileError(
            f"{name} is {_size(len(data))}; IndentLab reads text files up to {_size(MAX_BYTES)}."
        )
    try:
        text = _decode(data, MAX_BYTES)
    except CurveFileError as err:
        raise CurveFileError(f"{name}: {err}") from None
    if is_hysitron(text):
        arrays, notes = read_hysitron(text, name)
        return "hysitron", [(name, arrays)], None, notes
    try:
        table = read_table(text)
    except CurveFileError as err:
        raise CurveFileError(f"{name}: {err}") from None
    frame = table.frame
    numeric = list(frame.select_dtypes("number").columns)
    guess = guess_columns(list(frame.columns), numeric, frame)
    roles = {role: options.get(role, guess[role]) for role in ("load", "displacement", "time")}
    curve = options.get("curve", guess["curve"])
    units = {}
    for role, quantity in (("load", "load"), ("displacement", "displacement"), ("time", "time")):
        key = f"{role}_unit"
        default = {"load": "mN", "displacement": "nm", "time": "s"}[quantity]
        column = roles[role]
        stated = guess_unit(column, quantity) if column else None
        units[key] = options.get(key) or stated or default
    if roles["load"] is None or roles["displacement"] is None:
        raise CurveFileError(f"{name}: no load and displacement columns found.")
    try:
        curves = to_curves(frame, curve=curve, **roles, **units)
    except CurveFileError as err:
        raise CurveFileError(f"{name}: {err}") from None
    notes = []
    if curves.dropped_rows:
        notes.append(f"{name}: {curves.dropped_rows} rows without numbers left out.")
    label = (lambda k: curves.names[k]) if curve else (lambda k: name)
    pieces = []
    for k in range(curves.n_curves):
        n = int(curves.n_points[k])
        arrays = {
            "h_nm": curves.h_nm[k, :n],
            "P_mN": curves.P_mN[k, :n],
            "t_s": None if curves.t_s is None else curves.t_s[k, :n],
        }
        pieces.append((label(k), arrays))
    return "table", pieces, None, notes


def _pack(names, pieces, vendors, notes) -> CurveSet:
    """Pad the curves into 2-D arrays (one loop over curves, copies of whole rows)."""
    lengths = np.array([p[3]["h_nm"].size for p in pieces])
    n, longest = len(pieces), int(lengths.max())
    if n * longest > MAX_CELLS:
        raise CurveFileError(
            f"{n:,} curves of up to {longest:,} points are too much to analyse at once. "
            "Read fewer files at a time."
        )
    h = np.full((n, longest), np.nan)
    P = np.full((n, longest), np.nan)
    has_time = any(p[3]["t_s"] is not None for p in pieces)
    t = np.full((n, longest), np.nan) if has_time else None
    for k, (_, _, _, arrays) in enumerate(pieces):
        m = lengths[k]
        h[k, :m] = arrays["h_nm"]
        P[k, :m] = arrays["P_mN"]
        if t is not None and arrays["t_s"] is not None:
            t[k, :m] = arrays["t_s"]
    vendor = pd.concat(vendors, ignore_index=True) if vendors else None
    return CurveSet(
        names=names,
        h_nm=h,
        P_mN=P,
        t_s=t,
        n_points=lengths.astype(int),
        files=[p[0] for p in pieces],
        formats=[p[1] for p in pieces],
        vendor=vendor,
        notes=notes,
    )
