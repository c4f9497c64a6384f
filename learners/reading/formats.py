"""Limits, units and column-name patterns of the curve files a learner brings."""

from __future__ import annotations

import re

#: Largest file read [bytes] and most data rows.
MAX_BYTES = 20_000_000
MAX_ROWS = 500_000
#: Most curves in one file, fewest points per curve, most cells of the padded arrays.
MAX_CURVES = 2_000
MIN_POINTS = 20
#: The padded arrays hold n_curves x longest curve cells; h, P and t take 24 bytes a cell and
#: the analysis makes several temporary copies, so 4 M cells cost a few hundred MB at peak.
#: The app is hosted in 0.7-2.7 GB shared by a class of about 30 learners, with a few
#: analyses cached (ui.my_data.cached), hence this bound. Files within MAX_ROWS of curves of
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

NUMBER_PATTERN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
BRACKETS_PATTERN = re.compile(r"[\(\[]\s*([^\)\]]*?)\s*[\)\]]")


class CurveFileError(ValueError):
    """The file or the chosen columns cannot be turned into curves; the message says why."""


def unit_key(text: str) -> str:
    """A unit in lower case with "µ" and "μ" written "u"."""
    return text.replace("µ", "u").replace("μ", "u").strip().lower()
