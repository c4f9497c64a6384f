"""Altair chart builders shared by the pages.

Charts take a :class:`simulator.Curve` (and, where it applies, the dict that
:func:`learners.oliver_pharr` returns) and give back an Altair chart with unit-bearing axis
titles. Colours of the test segments and the way each defect is marked are defined once here,
so every page draws a curve the same way.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from simulator.protocol import SEGMENT_CODES, SEGMENT_NAMES

H_TITLE = "Displacement h (nm)"
P_TITLE = "Load P (mN)"
T_TITLE = "Time t (s)"

#: One colour per test segment, in the order of :data:`simulator.protocol.SEGMENT_NAMES`.
SEGMENT_COLOURS = ("#9e9e9e", "#1f77b4", "#9467bd", "#d62728", "#ff7f0e", "#8c564b")

#: How each defect is labelled on a chart.
DEFECT_LABELS = {
    "popin": "pop-in",
    "crack": "crack",
    "size_effect": "size effect",
    "pileup": "pile-up",
    "creep": "creep",
    "elbow": "elbow",
    "popout": "pop-out",
    "drift": "drift",
    "surface_offset": "surface offset",
    "roughness": "roughness",
}

#: Defects that change a short stretch of the curve: every point they changed is marked.
#: Defects not listed here and not in WHOLE_CURVE_DEFECTS get one marker where they start.
STRETCH_DEFECTS = ("popin", "elbow", "popout")
#: Defects that shift or scale the whole curve: named in the chart's subtitle instead.
WHOLE_CURVE_DEFECTS = ("drift", "surface_offset", "roughness", "pileup", "size_effect")

#: Line styles of the Oliver-Pharr overlay.
FIT_STYLES = {
    "power-law fit": [1, 0],
    "fit extended to h_f": [6, 4],
    "tangent: stiffness S": [2, 2],
}


def segment_scale(segments=SEGMENT_NAMES) -> alt.Scale:
    """The colour scale of the test segments (fixed colours, so they never shift)."""
    colours = dict(zip(SEGMENT_NAMES, SEGMENT_COLOURS, strict=True))
    return alt.Scale(domain=list(segments), range=[colours[s] for s in segments])


def segment_colour(
    title: str = "Segment", segments=SEGMENT_NAMES, legend: bool = True
) -> alt.Color:
    """Colour by the ``segment`` column, with readable legend labels ("drift hold")."""
    return alt.Color(
        "segment:N",
        scale=segment_scale(segments),
        title=title,
        legend=alt.Legend(labelExpr="replace(datum.label, '_', ' ')", columns=2)
        if legend
        else None,
    )


def defect_label(name: str, size: float, unit: str) -> str:
    """Short label of a defect with its true size, e.g. ``"pop-in 12.3 nm"``."""
    if unit == "area fraction":
        return f"{DEFECT_LABELS.get(name, name)} +{100 * size:.0f} % area"
    return f"{DEFECT_LABELS.get(name, name)} {size:.3g} {unit}"


def curve_layer(
    frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, legend: bool = True
) -> alt.Chart:
    """The measured curve as a line coloured by segment, in time order, with tooltips."""
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=segment_colour(legend=legend),
            order=alt.Order("t_s:Q"),
            tooltip=[
                alt.Tooltip("t_s:Q", title="t (s)", format=".2f"),
                alt.Tooltip("h_nm:Q", title="h (nm)", format=".2f"),
                alt.Tooltip("P_mN:Q", title="P (mN)", format=".4f"),
                alt.Tooltip("segment:N", title="segment"),
            ],
        )
    )


def defect_frames(curve, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Where to mark each defect of ``curve``, from its truth.

    Returns the stretches to highlight (the ``frame`` rows a short-stretch defect changed),
    one row per localised defect at the first point it changed, both with a ``defect``
    column holding its label with the true size ("pop-in 94.7 nm"), and the labels of the
    defects that act on the whole curve.
    """
    stretches, starts, whole = [], [], []
    for row in curve.defect_table.itertuples():
        label = defect_label(row.defect, row.size, row.unit)
        if row.defect in WHOLE_CURVE_DEFECTS:
            whole.append(label)
            continue
        if row.defect in STRETCH_DEFECTS:
            stretches.append(frame[curve.defect_points[row.defect]].assign(defect=label))
        starts.append(frame.iloc[[row.start_index]].assign(defect=label))
    empty = frame.iloc[:0].assign(defect="")
    return (
        pd.concat(stretches, ignore_index=True) if stretches else empty,
        pd.concat(starts, ignore_index=True) if starts else empty,
        whole,
    )


def defect_layers(
    stretches: pd.DataFrame, starts: pd.DataFrame, x: str, y: str, legend: bool = True
) -> tuple[list, list]:
    """Layers marking the defects, as (under the curve, over the curve).

    Under: a yellow band along the points a short-stretch defect changed. Over: an open black
    symbol, one shape per defect, where each localised defect starts; the legend ("Defect
    (truth)") names each with its true size, and so does the tooltip. ``legend=False`` leaves
    the legend out (for a second chart of the same curve, which gets the same shapes).
    """
    under, over = [], []
    if not stretches.empty:
        under.append(
            alt.Chart(stretches)
            .mark_line(strokeWidth=10, opacity=0.45, color="#f4d03f", strokeCap="round")
            .encode(x=f"{x}:Q", y=f"{y}:Q", detail="defect:N", order="t_s:Q")
        )
    if not starts.empty:
        shape_legend = alt.Legend(columns=1, labelLimit=220) if legend else None
        over.append(
            alt.Chart(starts)
            .mark_point(size=120, strokeWidth=2, filled=False, color="black")
            .encode(
                x=f"{x}:Q",
                y=f"{y}:Q",
                shape=alt.Shape("defect:N", title="Defect (truth)", legend=shape_legend),
                tooltip=[
                    alt.Tooltip("defect:N", title="defect (truth)"),
                    alt.Tooltip("t_s:Q", title="starts at t (s)", format=".2f"),
                ],
            )
        )
    return under, over


def fit_frame(op: dict, fit_range: tuple[float, float], shift_nm=None, n: int = 60) -> pd.DataFrame:
    """Points of the Oliver-Pharr unloading fit and of the tangent that gives S.

    The fit P = alpha (h - h_f)^m is drawn solid over the loads it was fitted to
    (``fit_range`` as fractions of P_max) and dashed below them down to h_f; the tangent runs
    from (h_max, P_max) with slope S down to P = 0. ``shift_nm(P)`` [nm], if given, moves the
    analysed depths back to the measured ones (see :func:`correction_shift_nm`).
    Columns: ``h_nm``, ``P_mN``, ``line``.
    """
    P_max, h_max, S = op["P_max_mN"], op["h_max_nm"], op["S_mN_per_nm"]
    lo, hi = fit_range
    shift = shift_nm or (lambda P: 0.0)

    def branch(P_from: float, P_to: float, name: str) -> pd.DataFrame:
        P = np.linspace(P_from, P_to, n)
        h = op["h_f_nm"] + (P / op["alpha"]) ** (1.0 / op["m"]) + shift(P)
        return pd.DataFrame({"h_nm": h, "P_mN": P, "line": name})

    top = h_max + shift(P_max)
    tangent = pd.DataFrame(
        {"h_nm": [top - P_max / S, top], "P_mN": [0.0, P_max], "line": "tangent: stiffness S"}
    )
    return pd.concat(
        [
            branch(lo * P_max, hi * P_max, "power-law fit"),
            branch(0.0, lo * P_max, "fit extended to h_f"),
            tangent,
        ],
        ignore_index=True,
    )


def correction_shift_nm(curve, op: dict, drift_corrected: bool):
    """Depth the analysis subtracted at load P on the unloading [nm], as a function of P.

    The zero-point offset (when the analysis moved the zero) plus, when drift was
    corrected, the measured drift rate times the time since contact, with the time at load
    P read off the unloading segment. Adding it puts the analysed fit on the measured curve.
    """
    unloading = curve.segment == SEGMENT_CODES["unloading"]
    approach = curve.segment == SEGMENT_CODES["approach"]
    t_contact = curve.t_s[approach][-1] if approach.any() else curve.t_s[0]
    return unloading_shift_nm(
        op, curve.P_mN[unloading], curve.t_s[unloading], t_contact, drift_corrected
    )


def unloading_shift_nm(op: dict, P_unload, t_unload, t_contact: float, drift_corrected: bool):
    """:func:`correction_shift_nm` from the unloading branch's loads [mN] and times [s] (in
    test order) and the time of contact [s]: offset + drift rate x (t(P) - t_contact)."""
    offset = op.get("zero_offset_nm", math.nan)
    offset = offset if math.isfinite(offset) else 0.0
    rate = op.get("drift_rate_nm_per_s", math.nan)
    if not (drift_corrected and math.isfinite(rate)):
        return lambda P: offset
    P_up, t_up = np.asarray(P_unload)[::-1], np.asarray(t_unload)[::-1]
    return lambda P: offset + rate * (np.interp(P, P_up, t_up) - t_contact)


def fit_layer(fit: pd.DataFrame) -> alt.Chart:
    """The Oliver-Pharr overlay (fit, its extension, tangent) in black, styled by line."""
    return (
        alt.Chart(fit)
        .mark_line(color="black", strokeWidth=1.2)
        .encode(
            x="h_nm:Q",
            y="P_mN:Q",
            detail="line:N",
            strokeDash=alt.StrokeDash(
                "line:N",
                title="Oliver-Pharr",
                scale=alt.Scale(domain=list(FIT_STYLES), range=list(FIT_STYLES.values())),
            ),
        )
    )
