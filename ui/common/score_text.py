"""How every page writes a score: the value, its 95 % interval (or ±) and the baseline's
score beside it, and "no better than guessing" when the interval reaches the baseline."""

from __future__ import annotations

import math

from learners.supervised.uncertainty import Scored

#: What every page calls a score whose interval does not clear its baseline.
GUESSING = "no better than guessing"
#: The baselines, as the pages name them.
BASELINE_NAMES = {
    "classification": "always the most frequent class",
    "regression": "always the training mean",
    "anomaly": "flag the same number of curves at random",
    "clustering": "one cluster for every indent, or a random split: ARI 0",
    "majority phase": "every indent called the most common phase",
}


def number(value: float, digits: int = 3, percent: bool = False) -> str:
    """A number, or "–" for NaN; ``percent`` writes 0.123 as "12.3 %"."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{100 * value:.1f} %" if percent else f"{value:.{digits}f}"


def value_text(s: Scored, digits: int = 3, percent: bool = False) -> str:
    """ "0.890 ± 0.036" (± half the 95 % interval; the value alone when it has none)."""
    if not (math.isfinite(s.low) and math.isfinite(s.high)):
        return number(s.value, digits, percent)
    return f"{number(s.value, digits, percent)} ± {number(s.half_width, digits, percent)}"


def baseline_text(s: Scored, digits: int = 3, percent: bool = False) -> str:
    """ "baseline 0.520", with "no better than guessing" when the score does not beat it."""
    text = f"baseline {number(s.baseline, digits, percent)}"
    return text if s.beats_baseline else f"{text}: {GUESSING}"


def sentence(name: str, s: Scored, baseline: str, digits: int = 3, percent=False) -> str:
    """One phrase for a note, e.g. "accuracy 0.890 (95 % interval 0.853-0.918; baseline
    (always the most frequent class) 0.520)", ending in "no better than guessing" when so."""
    interval = (
        f"95 % interval {number(s.low, digits, percent)}–{number(s.high, digits, percent)}"
        if math.isfinite(s.low) and math.isfinite(s.high)
        else "no interval"
    )
    text = (
        f"{name} {number(s.value, digits, percent)} ({interval}; baseline, {baseline}: "
        f"{number(s.baseline, digits, percent)})"
    )
    return text if s.beats_baseline else f"{text}: {GUESSING}"


METRIC_HELP = (
    " ± is half the 95 % interval of the score on these held-out curves; the baseline is "
    "the score of a model that ignores the curve ({baseline}) on the same split. A score "
    f"whose interval reaches the baseline is {GUESSING}."
)


def metric(column, label: str, s: Scored, help: str, kind: str, digits: int = 3, percent=False):
    """``column.metric``: the value, and as its delta the ± (half the 95 % interval) and the
    baseline's score (short enough for four metrics in a row on a 1024 px screen)."""
    spread = (
        f"± {number(s.half_width, digits, percent)} · "
        if math.isfinite(s.low) and math.isfinite(s.high)
        else ""
    )
    column.metric(
        label,
        number(s.value, digits, percent),
        delta=spread + baseline_text(s, digits, percent),
        delta_color="off",
        delta_arrow="off",
        help=help + METRIC_HELP.format(baseline=BASELINE_NAMES[kind]),
    )
