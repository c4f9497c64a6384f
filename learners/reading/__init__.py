"""Reading a learner's own load-displacement curves, as instruments export them.

Text in, plain arrays out, nothing from Streamlit: :func:`read_table` turns the bytes of a
CSV, TSV, semicolon or whitespace file (or text pasted from a spreadsheet) into a DataFrame
with the file's own column names (:mod:`.table`); :func:`guess_columns` and
:func:`guess_unit` propose which column is load, displacement, time and curve id, and in
which unit (:mod:`.columns`); :func:`to_curves` turns the chosen columns into the arrays the
analysis takes (``h_nm``, ``P_mN``, ``t_s`` of shape (n_curves, n_points), padded with NaN;
:mod:`.arrays`). Limits and unit tables live in :mod:`.formats`.

Bad data raise :class:`CurveFileError` (a ``ValueError``) with a message a learner can act
on; rows with a missing value inside a curve are dropped and counted, not an error.
:func:`sample_csv` writes a sample file from the simulator (fused silica, copper, tungsten
with a pop-in), so the page can be tried without an instrument (:mod:`.sample`).

:func:`read_curves` is the one entry point for files as labs export them: text tables,
Hysitron exports (:mod:`.hysitron`), Excel / OpenDocument workbooks of one test per sheet
(:mod:`.excel`), and .zip / .gz archives of them (:mod:`.archive`), one or many at once.
"""

from .archive import MAX_MEMBERS, MAX_UNPACKED_BYTES
from .arrays import UserCurves, plausibility_notes, to_curves
from .columns import guess_columns, guess_unit
from .excel import MAX_WORKBOOK_BYTES
from .formats import (
    DEFAULT_UNITS,
    DEPTH_UNITS,
    LOAD_UNITS,
    MAX_BYTES,
    MAX_CELLS,
    MAX_CURVES,
    MAX_ROWS,
    MIN_POINTS,
    TIME_UNITS,
    UNITS,
    CurveFileError,
)
from .read import CurveSet, read_curves
from .sample import (
    REAL_SAMPLES,
    SAMPLE_CURVES,
    real_sample,
    real_sample_files,
    sample_csv,
    sample_curves,
)
from .table import TableFile, read_table

__all__ = [
    "DEFAULT_UNITS",
    "DEPTH_UNITS",
    "LOAD_UNITS",
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_CURVES",
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "MAX_ROWS",
    "MIN_POINTS",
    "REAL_SAMPLES",
    "SAMPLE_CURVES",
    "TIME_UNITS",
    "UNITS",
    "CurveFileError",
    "CurveSet",
    "TableFile",
    "UserCurves",
    "guess_columns",
    "guess_unit",
    "plausibility_notes",
    "read_curves",
    "read_table",
    "real_sample",
    "real_sample_files",
    "sample_csv",
    "sample_curves",
    "to_curves",
]
