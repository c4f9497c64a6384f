"""Altair charts of the "Find bad curves" page: scores, flagged curves, residuals, the map.

Every truth group (good, each defect type, each rare kind) keeps one colour on every chart
(:data:`GROUP_COLOURS`); the flag's outcome (caught, missed, false alarm ...) keeps one
colour on the map (:data:`OUTCOME_COLOURS`). Curves use the axis titles and the yellow
truth-region style of :mod:`ui.common.curve_charts`, so a defect's points look the same as on the
"Indentation curve" page. Axis titles carry units; anomaly scores are dimensionless.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.anomalies.tables import GROUP_ORDER, OUTCOMES
from ui.anomalies.widgets import FEATURE_LABELS
from ui.common.curve_charts import H_TITLE, P_TITLE, T_TITLE

SCORE_TITLE = "Anomaly score (dimensionless, higher = more anomalous)"
#: One colour per truth group, in the order of :data:`ui.anomalies.tables.GROUP_ORDER`.
GROUP_COLOURS = dict(
    zip(
        GROUP_ORDER,
        (
            "#525252",  # good
            "#1f77b4",  # pop-in
            "#ff7f0e",  # thermal drift
            "#8c564b",  # surface not found
            "#9467bd",  # elbow
            "#d62728",  # crack
            "#2ca02c",  # pore hit
            "#e377c2",  # rare pop-in
            "#17becf",  # rare inclusion
        ),
        strict=True,
    )
)
OUTCOME_COLOURS = dict(
    zip(OUTCOMES, ("#d62728", "#111111", "#4c78a8", "#e6e6e6", "#b279a2", "#e7c6df"), strict=True)
)
#: The truth region: the same yellow band as ui.common.curve_charts.defect_layers.
REGION_COLOUR = "#f4d03f"
THRESHOLD_COLOUR = "#111111"
FLAGGED_ZONE = "#d62728"
#: Side of the campaign map's plot area [px].
MAP_PX = 340
#: Fixed-size charts keep their plot area; axes and legends are added around it.
PAD = alt.AutoSizeParams(type="pad")


def _group_scale(present) -> alt.Scale:
    domain = [g for g in GROUP_ORDER if g in set(present)]
    return alt.Scale(domain=domain, range=[GROUP_COLOURS[g] for g in domain])


def score_histogram(frame: pd.DataFrame, log: bool, threshold: float) -> alt.FacetChart:
    """Histogram of the scores, one row per truth group, with the threshold and the flagged
    zone (right of it) shaded.

    ``frame`` comes from :func:`ui.anomalies.tables.histogram_frame` (bins ``lo``-``hi``,
    ``count`` per ``group``). Each row has its own count axis, so a handful of pop-ins is as
    visible as hundreds of good curves.
    """
    lo, hi = float(frame["lo"].min()), float(frame["hi"].max())
    log = log and threshold > 0
    lo, hi = min(lo, threshold), max(hi, threshold)
    scale = alt.Scale(type="log" if log else "linear", domain=[lo, hi], nice=False)
    order = [g for g in GROUP_ORDER if g in set(frame["group"])]
    zone = (
        alt.Chart()
        .transform_filter("datum.first")  # one rectangle per panel, not one per bin
        .mark_rect(color=FLAGGED_ZONE, opacity=0.10)
        .encode(x=alt.X(datum=threshold, type="quantitative", scale=scale), x2=alt.datum(hi))
    )
    bars = (
        alt.Chart()
        .mark_rect(stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X("lo:Q", title=SCORE_TITLE + (", log scale" if log else ""), scale=scale),
            x2="hi:Q",
            y=alt.Y(
                "count:Q",
                title=None,
                axis=alt.Axis(tickCount=2, tickMinStep=1, format="d", grid=False),
            ),
            y2=alt.Y2(datum=0),
            color=alt.Color("group:N", scale=_group_scale(order), legend=None),
            tooltip=[
                alt.Tooltip("group:N", title="truth"),
                alt.Tooltip("lo:Q", title="score from", format=".4g"),
                alt.Tooltip("hi:Q", title="score to", format=".4g"),
                alt.Tooltip("count:Q", title="curves"),
            ],
        )
    )
    rule = (
        alt.Chart()
        .transform_filter("datum.first")
        .mark_rule(color=THRESHOLD_COLOUR, strokeWidth=2, strokeDash=[5, 3])
        .encode(x=alt.X(datum=threshold, type="quantitative", scale=scale))
    )
    return (
        alt.layer(zone, bars, rule, data=frame.assign(first=~frame["group"].duplicated()))
        .properties(width=400, height=42)  # fits a 1024 px screen with its labels
        .facet(
            row=alt.Row(
                "group:N",
                sort=order,
                title=None,
                header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=230),
            ),
            spacing=4,
            title=alt.Title(
                "Scores by truth: curves per score bin (count)",
                subtitle=f"Dashed line: threshold {threshold:.4g}; shaded: flagged.",
                anchor="start",
            ),
        )
        .resolve_scale(y="independent")
    )


def _with_runs(frame: pd.DataFrame) -> pd.DataFrame:
    """Points inside the truth region, with a ``run`` id per contiguous stretch (so that a
    line does not bridge two stretches)."""
    starts = frame["in_region"] & ~frame.groupby("curve")["in_region"].shift(fill_value=False)
    return frame.assign(run=starts.cumsum())[frame["in_region"]]


def flagged_curves_chart(curves: pd.DataFrame, info: pd.DataFrame, view: str) -> alt.LayerChart:
    """The chosen curves in their truth colour over grey good curves, with the truth's
    region (the points the defect changed) as a yellow band under each.

    ``curves`` from :func:`ui.anomalies.cached.inspect_frames`; ``info`` one row per shown
    curve: ``curve``, ``group``, ``size`` (text), ``score``, ``outcome``. ``view`` is "P-h"
    or "h-t".
    """
    x, y, x_title, y_title = (
        ("h_nm", "P_mN", H_TITLE, P_TITLE) if view == "P-h" else ("t_s", "h_nm", T_TITLE, H_TITLE)
    )
    keep = list(dict.fromkeys(["curve", "t_s", x, y]))  # only what the chart draws
    background = curves.loc[curves["role"] == "background", keep]
    shown = curves.loc[curves["role"] == "shown", [*keep, "in_region"]].merge(
        info[["curve", "group", "size", "score", "outcome"]], on="curve"
    )
    layers = [
        alt.Chart(background)
        .mark_line(color="#c7c7c7", strokeWidth=0.8, opacity=0.7)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title),
            detail="curve:N",
            order="t_s:Q",
        )
    ]
    region = _with_runs(shown)[[*keep, "run"]] if len(shown) else shown
    if len(region):
        layers.append(
            alt.Chart(region)
            .mark_line(strokeWidth=9, opacity=0.45, color=REGION_COLOUR, strokeCap="round")
            .encode(x=f"{x}:Q", y=f"{y}:Q", detail="run:N", order="t_s:Q")
        )
    if len(shown):
        layers.append(
            alt.Chart(shown.drop(columns="in_region"))
            .mark_line(strokeWidth=1.6)
            .encode(
                x=f"{x}:Q",
                y=f"{y}:Q",
                detail="curve:N",
                order="t_s:Q",
                color=alt.Color(
                    "group:N",
                    title="Truth",
                    scale=_group_scale(shown["group"]),
                    legend=alt.Legend(orient="right", labelLimit=220),
                ),
                tooltip=[
                    alt.Tooltip("curve:N", title="curve no."),
                    alt.Tooltip("group:N", title="truth"),
                    alt.Tooltip("size:N", title="true size"),
                    alt.Tooltip("score:Q", title="anomaly score", format=".4g"),
                    alt.Tooltip("outcome:N", title="outcome"),
                ],
            )
        )
    title = "Drawn curves over good ones (grey)"
    return (
        alt.layer(*layers)
        .properties(
            height=380,
            title=alt.Title(
                title, subtitle="Yellow: the points the defect changed (truth).", anchor="start"
            ),
        )
        .interactive()
    )


def residual_chart(residuals: pd.DataFrame, info: pd.DataFrame, what: str) -> alt.FacetChart:
    """Per-point residual of the PCA detector for each drawn curve (small multiples): the
    truth's region shaded yellow, the largest |residual| marked with a red dot.

    ``residuals`` from :func:`ui.anomalies.cached.inspect_frames` (a curve representation:
    one row per time point); ``info`` as for :func:`flagged_curves_chart`; ``what`` names
    the input whose residual it is (e.g. "h / h_top", dimensionless).
    """
    frame = residuals.merge(info[["curve", "panel"]], on="curve")
    magnitude = frame["residual"].abs()
    frame = frame.assign(
        t_next=frame.groupby("curve")["t_s"].shift(-1).fillna(frame["t_s"]),
        is_peak=magnitude == magnitude.groupby(frame["curve"]).transform("max"),
    )
    x = alt.X("t_s:Q", title=T_TITLE)
    layers = [
        alt.Chart()
        .transform_filter("datum.in_region")
        .mark_rect(color=REGION_COLOUR, opacity=0.5)
        .encode(x=x, x2="t_next:Q"),
        alt.Chart()
        .mark_line(color="#333333", strokeWidth=1)
        .encode(x=x, y=alt.Y("residual:Q", title="Residual (-)")),
        alt.Chart()
        .transform_filter("datum.is_peak")
        .mark_point(color="#d62728", filled=True, size=50)
        .encode(
            x=x,
            y="residual:Q",
            tooltip=[
                alt.Tooltip("t_s:Q", title="peak at t (s)", format=".2f"),
                alt.Tooltip("residual:Q", title="residual", format=".3g"),
                alt.Tooltip("in_region:N", title="inside the truth region"),
            ],
        ),
    ]
    return _panels(layers, frame, f"Where in the curve: PCA residual of {what}, per point")


def feature_residual_chart(residuals: pd.DataFrame, info: pd.DataFrame) -> alt.FacetChart:
    """Per-feature residual of the PCA detector for each drawn curve (small multiples): which
    physical feature the PCA could not rebuild. Residuals in standard deviations of the
    feature over the campaign."""
    frame = residuals.merge(info[["curve", "panel"]], on="curve")
    magnitude = frame["residual"].abs()
    frame = frame.assign(
        label=frame["name"].map(FEATURE_LABELS).fillna(frame["name"]),
        largest=magnitude == magnitude.groupby(frame["curve"]).transform("max"),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("residual:Q", title="Residual (standard deviations)"),
            y=alt.Y(
                "label:N", title=None, sort=None, axis=alt.Axis(labelOverlap=False, labelLimit=220)
            ),
            color=alt.condition("datum.largest", alt.value("#d62728"), alt.value("#7f7f7f")),
            tooltip=[
                alt.Tooltip("label:N", title="feature"),
                alt.Tooltip("residual:Q", title="residual (sd)", format=".3g"),
            ],
        )
    )
    n_features = frame["name"].nunique()
    return _panels(
        [bars],
        frame,
        "Which feature: PCA residual per feature",
        height=18 * n_features,
        width=150,
        independent_y=False,
    )


def _panels(
    layers: list,
    frame: pd.DataFrame,
    title: str,
    height: int = 110,
    width: int = 160,
    independent_y: bool = True,
) -> alt.FacetChart:
    """Small multiples of ``layers`` (charts without data), one panel per drawn curve, four
    to a row, over the shared ``frame``; each panel with its own y scale if
    ``independent_y``."""
    order = list(dict.fromkeys(frame["panel"]))
    chart = (
        alt.layer(*layers, data=frame)
        .properties(width=width, height=height)
        .facet(
            facet=alt.Facet("panel:N", sort=order, title=None, header=alt.Header(labelLimit=260)),
            columns=4,
            spacing=14,
            title=alt.Title(title, anchor="start"),
        )
    )
    return chart.resolve_scale(y="independent") if independent_y else chart


def campaign_map(cells: pd.DataFrame, n_columns: int, n_rows: int) -> alt.Chart:
    """The campaign laid out on a grid, each indent coloured by its outcome (caught, missed,
    false alarm ...). ``cells``: ``column``, ``row``, ``outcome``, ``curve``, ``group``,
    ``size``, ``score``, ``flagged``."""
    side = max(n_columns, n_rows)
    domain = [0.5, side + 0.5]
    present = [o for o in OUTCOMES if o in set(cells["outcome"])]
    frame = cells.assign(
        x0=cells["column"] - 0.5, x1=cells["column"] + 0.5,
        y0=cells["row"] - 0.5, y1=cells["row"] + 0.5,
    )  # fmt: skip
    return (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=0.4)
        .encode(
            x=alt.X(
                "x0:Q", title="Grid column (index)", scale=alt.Scale(domain=domain, nice=False)
            ),
            x2="x1:Q",
            y=alt.Y(
                "y0:Q",
                title="Grid row (index)",
                scale=alt.Scale(domain=domain[::-1], nice=False),
            ),
            y2="y1:Q",
            color=alt.Color(
                "outcome:N",
                title="Outcome",
                scale=alt.Scale(domain=present, range=[OUTCOME_COLOURS[o] for o in present]),
                # below the map: at the right, the page column cuts the longest labels off
                legend=alt.Legend(
                    orient="bottom", direction="horizontal", columns=2, labelLimit=400
                ),
            ),
            tooltip=[
                alt.Tooltip("curve:N", title="curve no."),
                alt.Tooltip("group:N", title="truth"),
                alt.Tooltip("size:N", title="true size"),
                alt.Tooltip("score:Q", title="anomaly score", format=".4g"),
                alt.Tooltip("outcome:N", title="outcome"),
            ],
        )
        .properties(
            width=MAP_PX,
            height=MAP_PX,
            autosize=PAD,
            title=alt.Title("The campaign as a map: what the threshold did", anchor="start"),
        )
    )
