"""Bruker Hysitron text exports: a date line, "Number of Points = N", then tab columns.

The TriboIndenter / TI 990 software writes ``Depth (nm)``, ``Load (µN)`` (µ in Latin-1) and
``Time (s)`` (some exports add ``Depth (V)``, ``Load (V)``), with carriage-return line ends.
The load is converted to mN.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from .columns import guess_unit
from .formats import LOAD_UNITS, MAX_ROWS, CurveFileError

_POINTS = re.compile(r"number of points\s*=\s*(\d+)", re.IGNORECASE)
_HEADER = re.compile(r"^\s*depth\s*\(nm\)\s*\t\s*load\s*\((µ|u|μ)n\)", re.IGNORECASE)


def is_hysitron(text: str) -> bool:
    """True when the first lines hold "Number of Points = N" and a "Depth (nm)" header."""
    head = text[:2000]
    return bool(_POINTS.search(head)) and any(
        _HEADER.match(line) for line in head.replace("\r", "\n").split("\n")
    )


def read_hysitron(text: str, name: str = "file") -> tuple[dict[str, np.ndarray], list[str]]:
    """One curve of a Hysitron export.

    Parameters
    ----------
    text : str
        The decoded file (Latin-1 or UTF-8).
    name : str
        The file's name, for messages.

    Returns
    -------
    arrays : dict
        ``{"h_nm", "P_mN", "t_s"}``, 1-D float arrays (time None when the file has none).
    notes : list of str
        What was noticed (a point count that differs from the header).

    Raises
    ------
    CurveFileError
        When the header or the numbers cannot be read.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((k for k, line in enumerate(lines[:200]) if _HEADER.match(line)), None)
    if start is None:
        raise CurveFileError(f"{name}: no 'Depth (nm)<TAB>Load (µN)' header line found.")
    names = [c.strip() for c in lines[start].split("\t") if c.strip()]
    body = "\n".join(line for line in lines[start + 1 :] if line.strip())
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep="\t", header=None, engine="c", dtype=float, nrows=MAX_ROWS + 1
        )
    except (ValueError, pd.errors.ParserError) as err:
        raise CurveFileError(
            f"{name}: the numbers under the header cannot be read ({err})."
        ) from None
    if len(frame) > MAX_ROWS:
        raise CurveFileError(f"{name}: more than {MAX_ROWS:,} rows; IndentLab reads fewer.")
    values = frame.to_numpy(float)
    lower = [n.lower().replace("μ", "µ") for n in names]
    col = {key: i for i, key in enumerate(lower)}
    load_key = next(k for k in lower if k.startswith("load (") and not k.endswith("(v)"))
    h = values[:, col["depth (nm)"]]
    unit = guess_unit(names[col[load_key]], "load") or "µN"
    P = values[:, col[load_key]] * LOAD_UNITS[unit]
    t = values[:, col["time (s)"]] if "time (s)" in col else None
    notes = []
    declared = _POINTS.search(text[:2000])
    if declared and int(declared.group(1)) != len(frame):
        notes.append(
            f"{name}: the header announces {int(declared.group(1)):,} points, the file holds "
            f"{len(frame):,}."
        )
    return {"h_nm": h, "P_mN": P, "t_s": t}, notes
