"""The curve page's and Home's charts: P-h and h-t coloured by segment, with the
Oliver-Pharr fit and each defect marked where its truth says; the primer's labelled sketch."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.common.curve_charts import (
    H_TITLE,
    P_TITLE,
    T_TITLE,
    correction_shift_nm,
    curve_layer,
    defect_frames,
    defect_layers,
    fit_frame,
    fit_layer,
    segment_colour,
)


def _finish(
    chart: alt.LayerChart, title: str, whole: list[str], height: int = 400
) -> alt.LayerChart:
    """Title (whole-curve effects as subtitle), padded scales so that markers and labels at
    the edges stay inside the plot, and pan/zoom."""
    subtitle = f"Whole-curve effects: {', '.join(whole)}" if whole else ""
    return (
        chart.properties(height=height, title=alt.Title(title, subtitle=subtitle, anchor="start"))
        .configure_scale(continuousPadding=16)
        .interactive()
    )


def load_displacement_chart(curve, op: dict | None = None, options: dict | None = None):
    """P-h curve by segment, with the Oliver-Pharr fit overlaid and each defect marked.

    ``op`` is the result of :func:`learners.oliver_pharr` run with ``options`` (its
    ``fit_range`` and ``drift_correction`` place the overlay); no overlay when ``op`` is None
    or not ok. Drag to pan, scroll to zoom.
    """
    options = options or {}
    frame = curve.to_frame()
    stretches, starts, whole = defect_frames(curve, frame)
    under, over = defect_layers(stretches, starts, "h_nm", "P_mN")
    layers = [*under, curve_layer(frame, "h_nm", "P_mN", H_TITLE, P_TITLE)]
    if op is not None and op.get("ok"):
        shift = correction_shift_nm(curve, op, options.get("drift_correction", False))
        layers.append(fit_layer(fit_frame(op, options.get("fit_range", (0.2, 0.95)), shift)))
    layers += over
    return _finish(alt.layer(*layers), "Load-displacement curve", whole)


def depth_time_chart(curve) -> alt.LayerChart:
    """h-t curve by segment with each defect marked: creep and drift show best here.

    It has no legends: it sits under :func:`load_displacement_chart`, which has them (and
    is lower: time is the second view of the same curve).
    """
    frame = curve.to_frame()
    stretches, starts, whole = defect_frames(curve, frame)
    under, over = defect_layers(stretches, starts, "t_s", "h_nm", legend=False)
    layers = [*under, curve_layer(frame, "t_s", "h_nm", T_TITLE, H_TITLE, legend=False), *over]
    return _finish(alt.layer(*layers), "Displacement over time", whole, height=260)


def primer_sketch(curve) -> alt.LayerChart:
    """A labelled P-h sketch of one clean curve: branches, h_max, h_f, h_c, S, W_e and W_p.

    The marked quantities come from the curve's truth (``h_max_nm``, ``h_f_nm``,
    ``hc_max_nm``, ``S_mN_per_nm``, ``P_max_mN``). W_e is the area under the unloading
    branch, W_p the area between loading and unloading (Cheng & Cheng 1998). The curve should
    have no approach and no drift hold.
    """
    truth = curve.truth
    P_max, h_max, h_f = truth["P_max_mN"], truth["h_max_nm"], truth["h_f_nm"]
    h_c, S = truth["hc_max_nm"], truth["S_mN_per_nm"]
    frame = curve.to_frame().replace({"segment": {"final_unloading": "unloading"}})
    frame = frame[frame["segment"].isin(["loading", "hold", "unloading"])]
    up = frame[frame["segment"] != "unloading"]
    down = frame[frame["segment"] == "unloading"].iloc[::-1]

    # Upper (loading) and lower (unloading) boundary on one depth grid, for the two areas.
    h = np.linspace(0.0, h_max, 300)
    P_up = np.interp(h, up["h_nm"], up["P_mN"])
    P_down = np.interp(h, down["h_nm"], down["P_mN"], left=0.0)
    areas = pd.concat(
        [
            pd.DataFrame({"h_nm": h, "top": P_up, "bottom": P_down, "work": "W_p (plastic)"}),
            pd.DataFrame({"h_nm": h, "top": P_down, "bottom": 0.0, "work": "W_e (elastic)"}),
        ]
    )
    area_layer = (
        alt.Chart(areas)
        .mark_area(opacity=0.45)
        .encode(
            x=alt.X("h_nm:Q", title=H_TITLE),
            y=alt.Y("top:Q", title=P_TITLE),
            y2="bottom:Q",
            color=alt.Color(
                "work:N",
                title="Work",
                scale=alt.Scale(
                    domain=["W_p (plastic)", "W_e (elastic)"], range=["#f4a261", "#a8dadc"]
                ),
            ),
        )
    )
    branch_layer = (
        alt.Chart(frame[frame["segment"] != "hold"])
        .mark_line(strokeWidth=3)
        .encode(
            x="h_nm:Q",
            y="P_mN:Q",
            order="t_s:Q",
            color=segment_colour("Branch", ("loading", "unloading")),
        )
    )
    tangent = pd.DataFrame({"h_nm": [h_max - P_max / S, h_max], "P_mN": [0.0, P_max]})
    tangent_layer = (
        alt.Chart(tangent)
        .mark_line(color="black", strokeDash=[6, 4], strokeWidth=1.5)
        .encode(x="h_nm:Q", y="P_mN:Q")
    )
    # Depth markers: h_c's rule ends on the tangent, at P = (1 - epsilon) P_max.
    depths = pd.DataFrame(
        {
            "h_nm": [h_f, h_c, h_max],
            "bottom": 0.0,
            "top": [0.12 * P_max, P_max - S * (h_max - h_c), P_max],
            "label": ["h_f", "h_c", "h_max"],
        }
    )
    rules = (
        alt.Chart(depths)
        .mark_rule(color="#333", strokeDash=[3, 3])
        .encode(x="h_nm:Q", y="bottom:Q", y2="top:Q")
    )
    depth_text = [
        alt.Chart(depths[depths["label"].isin(labels)])
        .mark_text(align=align, baseline="bottom", dx=dx, dy=-2, fontSize=14, fontWeight="bold")
        .encode(x="h_nm:Q", y="bottom:Q", text="label:N")
        for labels, align, dx in ((["h_f"], "right", -4), (["h_c", "h_max"], "left", 4))
    ]
    # Area labels where each area is tallest; S beside the middle of its tangent.
    i_p = int(np.argmax(P_up - P_down))
    i_e = int(np.searchsorted(h, h_f + 0.75 * (h_max - h_f)))
    notes = pd.DataFrame(
        {
            "h_nm": [h[i_p], h[i_e], h_max - 0.5 * P_max / S, h_max],
            "P_mN": [0.5 * (P_up[i_p] + P_down[i_p]), 0.3 * P_down[i_e], 0.5 * P_max, P_max],
            "label": ["W_p", "W_e", "S = dP/dh", "P_max"],
            "align": ["center", "center", "left", "right"],
        }
    )
    note_layers = [
        alt.Chart(part)
        .mark_text(fontSize=14, fontWeight="bold", align=align, dx=dx, color="#1d3557")
        .encode(x="h_nm:Q", y="P_mN:Q", text="label:N")
        for align, dx in (("center", 0), ("left", 10), ("right", -10))
        if not (part := notes[notes["align"] == align]).empty
    ]
    return (
        alt.layer(area_layer, branch_layer, tangent_layer, rules, *depth_text, *note_layers)
        .resolve_scale(color="independent")
        .properties(height=420)
    )
