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
    frame: pd.DataFrame, name: str, op: dict, options: dict, has_time: bool
) -> alt.LayerChart:
    """The load-displacement curve of one file curve, with the Oliver-Pharr fit when ok."""
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
