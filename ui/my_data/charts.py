"""Altair charts of "My own data": one measured curve with its Oliver-Pharr fit, and H against E.

The fit overlay and the branch colours come from :mod:`ui.common.curve_charts`, so a learner's
curve looks
like the simulated ones.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.common import curve_charts

E_TITLE = "Young's modulus E (GPa)"
H_AXIS_TITLE = "Hardness H (GPa)"


def curve_frame(h_nm: np.ndarray, P_mN: np.ndarray, t_s: np.ndarray | None) -> pd.DataFrame:
    """One curve's finite points, with ``segment`` loading (up to the peak) or unloading."""
    keep = np.isfinite(h_nm) & np.isfinite(P_mN)
    h, P = h_nm[keep], P_mN[keep]
    t = t_s[keep] if t_s is not None else np.arange(h.size, dtype=float)
    peak = int(np.argmax(P)) if P.size else 0
    segment = np.where(np.arange(h.size) <= peak, "loading", "unloading")
    return pd.DataFrame(
        {"t_s": t, "h_nm": h, "P_mN": P, "segment": segment, "point": range(h.size)}
    )


def _shift_nm(frame: pd.DataFrame, op: dict, drift_corrected: bool, has_time: bool):
    """Depth the analysis subtracted at load P on the unloading [nm], as a function of P.

    :func:`ui.common.curve_charts.unloading_shift_nm`, with the contact time taken as the first
    point
    above 1 % of the peak load (the file has no segment labels).
    """
    P_max = frame["P_mN"].max()
    t_contact = frame.loc[frame["P_mN"] > 0.01 * P_max, "t_s"].iloc[0]
    down = frame[frame["segment"] == "unloading"]
    return curve_charts.unloading_shift_nm(
        op, down["P_mN"], down["t_s"], t_contact, drift_corrected and has_time
    )


def curve_chart(
    frame: pd.DataFrame,
    name: str,
    op: dict,
    options: dict,
    has_time: bool,
    popins: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """The load-displacement curve of one file curve, with the Oliver-Pharr fit when ok and
    a marker at the onset of each pop-in (rows of ``learners.find_popins`` of this curve)."""
    line = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("h_nm:Q", title=curve_charts.H_TITLE),
            y=alt.Y("P_mN:Q", title=curve_charts.P_TITLE),
            color=curve_charts.segment_colour("Branch", ("loading", "unloading")),
            order=alt.Order("point:Q"),
            tooltip=[
                alt.Tooltip("point:Q", title="point"),
                alt.Tooltip("h_nm:Q", title="h (nm)", format=".2f"),
                alt.Tooltip("P_mN:Q", title="P (mN)", format=".4g"),
            ],
        )
    )
    layers = [line]
    if op.get("ok"):
        shift = _shift_nm(frame, op, options.get("drift_correction", False), has_time)
        layers.append(
            curve_charts.fit_layer(curve_charts.fit_frame(op, options["fit_range"], shift))
        )
    if popins is not None and len(popins):
        layers.append(popin_layer(popins))
    return (
        alt.layer(*layers)
        .properties(height=400, title=alt.Title(f"Load-displacement: {name}", anchor="start"))
        .configure_scale(continuousPadding=16)
        .interactive()
    )


def he_scatter(table: pd.DataFrame, selected: str) -> alt.Chart:
    """H against E of the analysed curves (``results_table`` rows), the plotted one ringed."""
    ok = table[table["ok"]].assign(shown=lambda d: np.where(d["curve"] == selected, "yes", "no"))
    return (
        alt.Chart(ok)
        .mark_point(filled=True, size=70, opacity=0.8)
        .encode(
            x=alt.X("E (GPa):Q", title=E_TITLE, scale=alt.Scale(zero=False)),
            y=alt.Y("H (GPa):Q", title=H_AXIS_TITLE, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "shown:N",
                title="Plotted curve",
                scale=alt.Scale(domain=["yes", "no"], range=["#d62728", "#1f77b4"]),
            ),
            tooltip=[
                "curve:N",
                alt.Tooltip("H (GPa):Q", format=".3g"),
                alt.Tooltip("E (GPa):Q", format=".3g"),
                alt.Tooltip("h_max (nm):Q", format=".4g"),
            ],
        )
        .properties(height=400, title=alt.Title("Hardness against modulus", anchor="start"))
        .configure_scale(continuousPadding=16)
        .interactive()
    )


def popin_layer(popins: pd.DataFrame) -> alt.Chart:
    """A triangle at the onset (depth, load) of each pop-in, its size in the tooltip."""
    marks = pd.DataFrame(
        {
            "h_nm": popins["depth_nm"].to_numpy(float),
            "P_mN": popins["load_mN"].to_numpy(float),
            "size_nm": popins["size_nm"].to_numpy(float),
            "drop_mN": popins["load_drop_mN"].to_numpy(float),
            "marker": "pop-in onset",
        }
    )
    return (
        alt.Chart(marks)
        .mark_point(shape="triangle-down", size=160, filled=True, color="#d62728")
        .encode(
            x="h_nm:Q",
            y="P_mN:Q",
            shape=alt.Shape("marker:N", title="Found", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("P_mN:Q", title="onset load (mN)", format=".4g"),
                alt.Tooltip("h_nm:Q", title="depth (nm)", format=".4g"),
                alt.Tooltip("size_nm:Q", title="burst size (nm)", format=".3g"),
                alt.Tooltip("drop_mN:Q", title="load drop (mN)", format=".3g"),
            ],
        )
    )


def cycle_chart(table: pd.DataFrame, quantity: str) -> alt.Chart:
    """H or E (``quantity`` "H (GPa)" or "E (GPa)") of every chosen unloading against its
    contact depth, one line per test (rows of ``tables.cycle_table``)."""
    title = H_AXIS_TITLE if quantity.startswith("H") else E_TITLE
    return (
        alt.Chart(table)
        .mark_line(point=alt.OverlayMarkDef(size=50))
        .encode(
            x=alt.X("h_c (nm):Q", title="Contact depth h_c (nm)", scale=alt.Scale(zero=False)),
            y=alt.Y(f"{quantity}:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color("test:N", title="Test"),
            order=alt.Order("cycle:Q"),
            tooltip=[
                "test:N",
                "cycle:Q",
                alt.Tooltip("h_c (nm):Q", format=".4g"),
                alt.Tooltip(f"{quantity}:Q", format=".3g"),
            ],
        )
        .properties(height=300, title=alt.Title(f"{title} against depth", anchor="start"))
        .configure_scale(continuousPadding=16)
        .interactive()
    )


def area_fit_chart(reference: pd.DataFrame) -> alt.LayerChart:
    """The reference's contact areas from the stiffness and the fitted area function,
    against contact depth (rows of ``Calibration.reference``)."""
    data = reference[reference["used"]].sort_values("hc_nm")
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=50)
        .encode(
            x=alt.X("hc_nm:Q", title="Contact depth h_c (nm)"),
            y=alt.Y("A_nm2:Q", title="Contact area A (nm²)"),
            tooltip=[
                alt.Tooltip("hc_nm:Q", title="h_c (nm)", format=".4g"),
                alt.Tooltip("A_nm2:Q", title="A from S (nm²)", format=".4g"),
            ],
        )
    )
    line = alt.Chart(data).mark_line(color="black").encode(x="hc_nm:Q", y="A_fit_nm2:Q")
    return alt.layer(points, line).properties(
        height=280, title=alt.Title("Area function: A from S (points), fit (line)", anchor="start")
    )


def residual_chart(frame: pd.DataFrame, x: str, x_title: str, y: str, y_title: str) -> alt.Chart:
    """Residuals of a calibration fit (``y``) against ``x``, with the zero line."""
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=50)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False)),
            y=alt.Y(f"{y}:Q", title=y_title),
            tooltip=[alt.Tooltip(f"{x}:Q", format=".4g"), alt.Tooltip(f"{y}:Q", format=".3g")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(strokeDash=[4, 4]).encode(y="zero:Q")
    return alt.layer(points, zero).properties(
        height=200, title=alt.Title(f"Residuals: {y_title}", anchor="start")
    )


def compliance_chart(stiff: pd.DataFrame) -> alt.LayerChart:
    """Total compliance 1/S of the stiff series against 1/√P_max, with the fitted line whose
    intercept is the frame compliance (rows of ``Calibration.stiff``)."""
    data = stiff.assign(used=np.where(stiff["used"], "used", "left out"))
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("inv_sqrt_P:Q", title="1/√P_max (1/√mN)", scale=alt.Scale(zero=True)),
            y=alt.Y("compliance_nm_per_mN:Q", title="Total compliance 1/S (nm/mN)"),
            color=alt.Color("used:N", title="Unloading"),
            tooltip=[
                alt.Tooltip("P_max_mN:Q", title="P_max (mN)", format=".4g"),
                alt.Tooltip("compliance_nm_per_mN:Q", title="1/S (nm/mN)", format=".4g"),
            ],
        )
    )
    line = (
        alt.Chart(data.sort_values("inv_sqrt_P"))
        .mark_line(color="black")
        .encode(x="inv_sqrt_P:Q", y="fit_nm_per_mN:Q")
    )
    return alt.layer(points, line).properties(
        height=280,
        title=alt.Title("Frame compliance: the intercept of 1/S against 1/√P", anchor="start"),
    )
