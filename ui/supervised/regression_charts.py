"""Charts of Predict properties: parity, error against depth and E/H, the out-of-range test and
the dataset's H-E scatter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import FIT_X, HEIGHT

#: Colours of the two methods of the property pages.
METHOD_COLOURS = {"ML model": "#1f6f8b", "Oliver-Pharr": "#e07a1f"}
#: The baseline's line (always the training mean).
BASELINE_COLOUR = "#7f7f7f"


PILEUP_COLOURS = {"no pile-up (< 5 %)": "#7fa7c9", "pile-up ≥ 5 %": "#d62728"}


TARGET_TITLES = {"H_GPa": ("H", "GPa"), "E_GPa": ("E", "GPa")}


def parity_chart(frame: pd.DataFrame, target: str, method: str, domain) -> alt.LayerChart:
    """Predicted against true value of one target for one method, pile-up highlighted.

    ``frame``: true, predicted, pileup (a key of :data:`PILEUP_COLOURS`), pileup_pct,
    E_over_H, curve. Log axes over ``domain`` [GPa], the identity as a dashed line.
    """
    name, unit = TARGET_TITLES[target]
    scale = alt.Scale(type="log", domain=list(domain))
    ideal = pd.DataFrame({"true": list(domain), "predicted": list(domain)})
    line = (
        alt.Chart(ideal)
        .mark_line(color="#555", strokeDash=[4, 4])
        .encode(x=alt.X("true:Q", scale=scale), y=alt.Y("predicted:Q", scale=scale))
    )
    points = (
        alt.Chart(frame)
        .mark_circle(size=30, opacity=0.75)
        .encode(
            x=alt.X("true:Q", title=f"True {name} ({unit})", scale=scale),
            y=alt.Y("predicted:Q", title=f"{method}: {name} ({unit})", scale=scale),
            color=alt.Color(
                "pileup:N",
                title="Pile-up (truth)",
                scale=alt.Scale(domain=list(PILEUP_COLOURS), range=list(PILEUP_COLOURS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("curve:Q", title="curve (row)"),
                alt.Tooltip("true:Q", title=f"true {name} ({unit})", format=".3g"),
                alt.Tooltip("predicted:Q", title=f"predicted {name} ({unit})", format=".3g"),
                alt.Tooltip("pileup_pct:Q", title="pile-up (% area)", format=".0f"),
                alt.Tooltip("E_over_H:Q", title="E/H", format=".0f"),
            ],
        )
    )
    return alt.layer(line, points, title=f"{name}: {method}").properties(height=320, autosize=FIT_X)


def error_vs_depth_chart(table: pd.DataFrame, target: str) -> alt.LayerChart:
    """Median |relative error| (%) per depth bin with its 95 % interval (bars), ML against
    Oliver-Pharr and the baseline (the training mean, dashed), on a log axis.

    ``table``: :func:`ui.supervised.regression_tables.error_vs_depth` (one target).
    """
    name, _ = TARGET_TITLES[target]
    frame = table.assign(
        error_pct=100 * table["median_abs_rel_error"],
        lo_pct=100 * table["lo"].clip(lower=1e-6),
        hi_pct=100 * table["hi"],
    )
    methods = list(dict.fromkeys(frame["method"]))
    colours = [METHOD_COLOURS.get(m, BASELINE_COLOUR) for m in methods]
    colour = alt.Color(
        "method:N",
        title="Method (bars: 95 % interval)",
        scale=alt.Scale(domain=methods, range=colours),
        legend=alt.Legend(orient="bottom", columns=1),
    )
    dash = alt.StrokeDash(
        "is_baseline:N", scale=alt.Scale(domain=[False, True], range=[[1, 0], [6, 4]]), legend=None
    )
    frame["is_baseline"] = ~frame["method"].isin(list(METHOD_COLOURS))
    x = alt.X("depth_nm:Q", title="Largest depth h_max (nm)", scale=alt.Scale(type="log"))
    y_title = f"Median |error| of {name} (%, log)"
    base = alt.Chart(frame)
    lines = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y("error_pct:Q", title=y_title, scale=alt.Scale(type="log")),
        color=colour,
        strokeDash=dash,
        tooltip=[
            "method:N",
            alt.Tooltip("depth_nm:Q", title="median depth (nm)", format=".0f"),
            alt.Tooltip("error_pct:Q", title="median |error| (%)", format=".2f"),
            alt.Tooltip("lo_pct:Q", title="95 % interval from (%)", format=".2f"),
            alt.Tooltip("hi_pct:Q", title="95 % interval to (%)", format=".2f"),
            alt.Tooltip("n:Q", title="curves"),
        ],
    )
    bars = base.mark_rule().encode(
        x=x, y=alt.Y("lo_pct:Q", title=y_title), y2="hi_pct:Q", color=colour
    )
    title = alt.Title(f"{name} error against depth", subtitle="dashed: baseline (training mean)")
    return alt.layer(bars, lines, title=title).properties(height=HEIGHT, autosize=FIT_X)


def _method_colour() -> alt.Color:
    return alt.Color(
        "method:N",
        title="Method",
        scale=alt.Scale(domain=list(METHOD_COLOURS), range=list(METHOD_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )


def error_vs_ratio_chart(frame: pd.DataFrame, target: str, onset: float = 40.0):
    """Relative error (%) of every curve against its true E/H, ML and Oliver-Pharr.

    ``frame``: method, E_over_H, error_pct, curve. The shaded range is where pile-up grows.
    """
    name, _ = TARGET_TITLES[target]
    top = float(max(frame["E_over_H"].max(), onset * 1.1))
    shade = pd.DataFrame({"lo": [onset], "hi": [top]})
    x = alt.X("E_over_H:Q", title="E/H (ratio, truth)", scale=alt.Scale(type="log"))
    band = (
        alt.Chart(shade)
        .mark_rect(color="#d62728", opacity=0.07)
        .encode(x=alt.X("lo:Q", scale=alt.Scale(type="log")), x2="hi:Q")
    )
    points = (
        alt.Chart(frame)
        .mark_circle(size=22, opacity=0.6)
        .encode(
            x=x,
            y=alt.Y("error_pct:Q", title=f"Error of {name} (%)"),
            color=_method_colour(),
            tooltip=[
                "method:N",
                alt.Tooltip("curve:Q", title="curve (row)"),
                alt.Tooltip("E_over_H:Q", title="E/H", format=".0f"),
                alt.Tooltip("error_pct:Q", title="error (%)", format="+.1f"),
            ],
        )
    )
    title = alt.Title(f"{name} error against E/H", subtitle="shaded: E/H > 40, pile-up grows")
    return alt.layer(band, points, title=title).properties(height=HEIGHT, autosize=FIT_X)


def out_of_range_chart(table: pd.DataFrame, target: str) -> alt.LayerChart:
    """Median |relative error| (%) of ML, Oliver-Pharr and the baseline (the training mean)
    per test subset, with its 95 % interval (bars), for one target, on a log axis.

    ``table``: :func:`ui.supervised.regression_tables.out_of_range_scores` (one target).
    """
    name, _ = TARGET_TITLES[target]
    subsets = list(dict.fromkeys(table["subset"]))
    methods = list(dict.fromkeys(table["method"]))
    frame = table.assign(lo_pct=table["lo_pct"].clip(lower=1e-3))
    colour = alt.Color(
        "method:N",
        title="Method (bars: 95 % interval)",
        scale=alt.Scale(
            domain=methods, range=[METHOD_COLOURS.get(m, BASELINE_COLOUR) for m in methods]
        ),
        legend=alt.Legend(orient="bottom", columns=1),
    )
    x = alt.X("subset:N", title=None, sort=subsets, axis=alt.Axis(labelAngle=0, labelLimit=200))
    offset = alt.XOffset("method:N", sort=methods)
    y_title = f"Median |error| of {name} (%, log)"
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=60)
        .encode(
            x=x,
            xOffset=offset,
            y=alt.Y("error_pct:Q", title=y_title, scale=alt.Scale(type="log")),
            color=colour,
            tooltip=[
                "subset:N",
                "method:N",
                alt.Tooltip("error_pct:Q", title="median |error| (%)", format=".2f"),
                alt.Tooltip("lo_pct:Q", title="95 % interval from (%)", format=".2f"),
                alt.Tooltip("hi_pct:Q", title="95 % interval to (%)", format=".2f"),
                alt.Tooltip("n:Q", title="curves"),
            ],
        )
    )
    bars = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=2)
        .encode(
            x=x, xOffset=offset, y=alt.Y("lo_pct:Q", title=y_title), y2="hi_pct:Q", color=colour
        )
    )
    title = alt.Title(
        f"{name}: inside and outside the training range",
        subtitle="grey: baseline (training mean)",
    )
    return alt.layer(bars, points, title=title).properties(height=HEIGHT, autosize=FIT_X)


def property_scatter(frame: pd.DataFrame) -> alt.Chart:
    """True H against true E of every curve, pile-up highlighted (log axes).

    ``frame``: E_GPa, H_GPa, E_over_H, pileup (a key of :data:`PILEUP_COLOURS`), pileup_pct.
    """
    return (
        alt.Chart(frame, title="The materials: true H against true E")
        .mark_circle(size=26, opacity=0.7)
        .encode(
            x=alt.X("E_GPa:Q", title="True E (GPa)", scale=alt.Scale(type="log", nice=False)),
            y=alt.Y("H_GPa:Q", title="True H (GPa)", scale=alt.Scale(type="log", nice=False)),
            color=alt.Color(
                "pileup:N",
                title="Pile-up (truth)",
                scale=alt.Scale(domain=list(PILEUP_COLOURS), range=list(PILEUP_COLOURS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("E_GPa:Q", title="E (GPa)", format=".0f"),
                alt.Tooltip("H_GPa:Q", title="H (GPa)", format=".2f"),
                alt.Tooltip("E_over_H:Q", title="E/H", format=".0f"),
                alt.Tooltip("pileup_pct:Q", title="pile-up (% area)", format=".0f"),
            ],
        )
        .properties(height=HEIGHT, autosize=FIT_X)
        .interactive()
    )
