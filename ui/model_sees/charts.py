"""Altair charts of the "What a model sees" page.

Every chart takes plain tables and gives back an Altair chart whose axis titles carry
units (dimensionless quantities say "(-)", "(%)" or "(fraction)"). Classes keep the colours
of the supervised pages (:func:`ui.supervised.charts.class_scale`).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.common import curve_charts
from ui.supervised.charts import FIT_X, class_scale

HEIGHT = 300
#: Titles of the resampled curve by grid (``on``): x of the line chart, the measured value.
GRID_TITLES = {
    "load": ("Load as a fraction of P_max (%)", curve_charts.H_TITLE),
    "depth": ("Depth as a fraction of h_max (%)", curve_charts.P_TITLE),
}
BRANCH_DASH = {"loading": [1, 0], "unloading": [5, 3]}


def _class_colour(classes: list[str], title: str = "Class") -> alt.Color:
    return alt.Color(
        "class:N",
        title=title,
        scale=class_scale(classes),
        legend=alt.Legend(orient="bottom", columns=4, labelLimit=160),
    )


def feature_scatter(
    table: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, classes: list[str]
) -> alt.Chart:
    """Two features of every curve against each other, coloured by class.

    ``table``: columns ``class``, ``x``, ``y`` (rows with a missing value are left out).
    """
    frame = table[["class", x, y]].dropna().reset_index(names="curve")
    frame.columns = ["curve", "class", "x", "y"]
    return (
        alt.Chart(frame, title=f"{y_title} against {x_title}")
        .mark_circle(size=36, opacity=0.7)
        .encode(
            x=alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=_class_colour(classes),
            tooltip=[
                alt.Tooltip("curve:Q", title="curve (row)"),
                "class:N",
                alt.Tooltip("x:Q", title=x_title, format=".4g"),
                alt.Tooltip("y:Q", title=y_title, format=".4g"),
            ],
        )
        .properties(height=HEIGHT, autosize=FIT_X)
        .interactive()
    )


def branch_lines(frame: pd.DataFrame, on: str, classes: list[str]) -> alt.Chart:
    """Loading and unloading branches on the common grid, one line per curve by class.

    ``frame``: columns curve, class, branch ("loading"/"unloading"), grid_pct, value.
    """
    x_title, y_title = GRID_TITLES[on]
    branches = [b for b in BRANCH_DASH if b in set(frame["branch"])]
    return (
        alt.Chart(frame, title="The curves on the common grid (solid: loading, dashed: unloading)")
        .mark_line(strokeWidth=1, opacity=0.35)
        .encode(
            x=alt.X("grid_pct:Q", title=x_title, scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("value:Q", title=y_title),
            color=_class_colour(classes),
            strokeDash=alt.StrokeDash(
                "branch:N",
                title="Branch",
                scale=alt.Scale(domain=branches, range=[BRANCH_DASH[b] for b in branches]),
                legend=None,
            ),
            detail="line:N",
            tooltip=[alt.Tooltip("curve:Q", title="curve (row)"), "class:N", "branch:N"],
        )
        .properties(height=HEIGHT, autosize=FIT_X)
    )


def matrix_heatmap(
    frame: pd.DataFrame, classes: list[str], colour_title: str, diverging: bool
) -> alt.LayerChart:
    """The representation matrix: curves (rows, sorted by class) by values (columns).

    ``frame``: columns row (position after sorting), curve, class, index (column number
    from 1), column (its name), branch, value. Column 0 is a strip of each row's class.
    """
    n_rows = int(frame["row"].max()) + 1 if len(frame) else 1
    height = int(np.clip(1.6 * n_rows, 220, 420))
    firsts = [0, *_ticks(frame)]
    x = alt.X(
        "index:O",
        title="Value number in the vector (-)",
        axis=alt.Axis(
            values=firsts,
            labelAngle=0,
            labelExpr=_tick_labels(frame),
        ),
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
    )
    y = alt.Y(
        "row:O",
        title="Curve (sorted by class)",
        axis=alt.Axis(labels=False, ticks=False),
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
    )
    strip = frame[frame["index"] == frame["index"].min()].assign(index=0)
    label = (
        alt.Chart(strip)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=_class_colour(classes),
            tooltip=["class:N", alt.Tooltip("curve:Q", title="curve (row)")],
        )
    )
    scale = (
        alt.Scale(scheme="redblue", domainMid=0, reverse=True, clamp=True, domain=[-3, 3])
        if diverging
        else alt.Scale(scheme="viridis")
    )
    cells = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "value:Q",
                title=colour_title,
                scale=scale,
                legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=180),
            ),
            tooltip=[
                alt.Tooltip("curve:Q", title="curve (row)"),
                "class:N",
                alt.Tooltip("column:N", title="value"),
                alt.Tooltip("value:Q", title=colour_title, format=".4g"),
            ],
        )
    )
    return (
        alt.layer(label, cells, title="The matrix a full-curve model receives")
        .resolve_scale(color="independent")
        .properties(height=height, autosize=FIT_X)
    )


def _tick_labels(frame: pd.DataFrame) -> str:
    """A Vega expression naming the first value of each branch (none under the class strip,
    which would crowd the first branch's name)."""
    firsts = frame.groupby("branch", sort=False)["index"].min()
    names = {"drift_hold": "drift hold", "scale": "scale"}
    cases = "".join(
        f"datum.value == {int(i)} ? '{names.get(b, b)} ({int(i)})' : " for b, i in firsts.items()
    )
    return f"datum.value == 0 ? '' : {cases}datum.value"


def _ticks(frame: pd.DataFrame) -> list[int]:
    """Where each branch starts on the value axis."""
    firsts = frame.groupby("branch", sort=False)["index"].min()
    return sorted(int(i) for i in firsts)


def variance_chart(explained: np.ndarray, kept: int) -> alt.LayerChart:
    """Explained variance per component (%) and its running total, kept components dark."""
    k = np.arange(1, explained.size + 1)
    frame = pd.DataFrame(
        {
            "component": [f"PC{i}" for i in k],
            "number": k,
            "explained_pct": 100 * explained,
            "cumulative_pct": 100 * np.cumsum(explained),
            "kept": np.where(k <= kept, "kept by the PCA model", "left out"),
        }
    )
    x = alt.X("number:O", title="Principal component (number)", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("explained_pct:Q", title="Explained variance (% of total)"),
            color=alt.Color(
                "kept:N",
                title=None,
                scale=alt.Scale(
                    domain=["kept by the PCA model", "left out"], range=["#1f6f8b", "#b8c7d1"]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                "component:N",
                alt.Tooltip("explained_pct:Q", title="explained (%)", format=".1f"),
                alt.Tooltip("cumulative_pct:Q", title="running total (%)", format=".1f"),
            ],
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color="#444444", strokeDash=[4, 2])
        .encode(x=x, y=alt.Y("cumulative_pct:Q"))
    )
    return alt.layer(
        bars, line, title="Variance of the standardised curves per component"
    ).properties(height=HEIGHT, autosize=FIT_X)


def pc_scatter(scores: pd.DataFrame, explained: np.ndarray, classes: list[str]) -> alt.Chart:
    """PC1 against PC2 of every curve, coloured by class."""
    pc2 = explained[1] if explained.size > 1 else 0.0
    x_title = f"PC1 score (-, {100 * explained[0]:.0f} % of variance)"
    y_title = f"PC2 score (-, {100 * pc2:.0f} % of variance)"
    return (
        alt.Chart(scores.reset_index(names="curve"), title="Every curve as two numbers: PC1, PC2")
        .mark_circle(size=36, opacity=0.7)
        .encode(
            x=alt.X("PC1:Q", title=x_title),
            y=alt.Y("PC2:Q", title=y_title),
            color=_class_colour(classes),
            tooltip=[alt.Tooltip("curve:Q", title="curve (row)"), "class:N"],
        )
        .properties(height=HEIGHT, autosize=FIT_X)
        .interactive()
    )


def comparison_chart(table: pd.DataFrame, chance: float) -> alt.LayerChart:
    """Cross-validated accuracy per representation (its 95 % Wilson interval), the
    baseline (always the most common class) marked."""
    frame = table.assign(lo=table["low"], hi=table["high"])
    order = list(frame["representation"])
    y = alt.Y("representation:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    x_title = "Cross-validated accuracy (fraction)"
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#1f6f8b", height={"band": 0.6})
        .encode(
            x=alt.X("accuracy:Q", title=x_title, scale=alt.Scale(domain=[0, 1])),
            y=y,
            tooltip=[
                "representation:N",
                alt.Tooltip("values:Q", title="values per curve"),
                alt.Tooltip("accuracy:Q", format=".3f"),
                alt.Tooltip("lo:Q", title="95 % interval from", format=".3f"),
                alt.Tooltip("hi:Q", title="95 % interval to", format=".3f"),
            ],
        )
    )
    errors = alt.Chart(frame).mark_rule(color="black").encode(x="lo:Q", x2="hi:Q", y=y)
    rule = (
        alt.Chart(pd.DataFrame({"chance": [chance], "label": ["baseline (most common class)"]}))
        .mark_rule(color="#d62728", strokeDash=[5, 3], size=2)
        .encode(x="chance:Q", tooltip=[alt.Tooltip("chance:Q", format=".3f"), "label:N"])
    )
    title = alt.Title(
        "Accuracy on curves the model never saw",
        subtitle="black: 95 % interval; red: baseline",
    )
    return alt.layer(bars, errors, rule, title=title).properties(
        height=alt.Step(40), autosize=FIT_X
    )
