"""Altair charts of the explanation pages.

Inputs are the tables of :mod:`ui.explain.cached`; every chart has axis titles with units
where the quantity is physical (feature names carry their unit: ``H_GPa`` is H in GPa). The
curve charts reuse the segment colours and tooltips of :mod:`ui.common.curve_charts`, so a curve
looks
the same on every page. Colours of the truth roles are fixed here, once.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.common import curve_charts
from ui.explain import tasks

#: Colour of each role of an input against the truth (legend order).
ROLE_COLOURS = {
    tasks.ROLES["truth"]: "#1b7837",
    tasks.ROLES["indirect"]: "#a6dba0",
    tasks.ROLES["nuisance"]: "#d6604d",
    tasks.ROLES["mixed"]: "#9e9e9e",
}
#: Colour of the truth region on a curve (as the defect stretches of ui.common.curve_charts).
TRUTH_COLOUR = "#f4d03f"
#: Most inputs a bar chart shows.
N_TOP = 12


#: Fit the width to the page and keep ``height`` as the plot's own height (Streamlit's
#: default for a stretched chart, "fit", squeezes the plot to make room for legends).
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def _runs(mask: pd.Series) -> pd.Series:
    """A run number per point: consecutive True points share one (for one line per run)."""
    return (mask != mask.shift()).cumsum()


def _role_colour(legend: bool = True) -> alt.Color:
    return alt.Color(
        "role_label:N",
        title="What the simulator says",
        scale=alt.Scale(domain=list(ROLE_COLOURS), range=list(ROLE_COLOURS.values())),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320) if legend else None,
    )


def _weight_colour(title: str) -> alt.Color:
    return alt.Color(
        "weight:Q",
        title=title,
        scale=alt.Scale(scheme="blueorange", domainMid=0),
        legend=alt.Legend(orient="bottom", gradientLength=180, titleLimit=400, labelOverlap=True),
    )


def shown_features(lime: pd.DataFrame, n: int = N_TOP) -> list[str]:
    """The inputs a bar chart shows: LIME's largest |weight| first, truth inputs always."""
    top = list(lime["feature"].head(n))
    truth = [f for f, r in zip(lime["feature"], lime["role"], strict=True) if r == "truth"]
    return top + [f for f in truth if f not in top]


def _zero_rule() -> alt.Chart:
    """The rule at 0: an input the model ignores (the baseline of an importance)."""
    return (
        alt.Chart(pd.DataFrame({"zero": [0.0]}))
        .mark_rule(color="#555")
        .encode(x="zero:Q", tooltip=[alt.Tooltip("zero:Q", title="baseline: an input ignored")])
    )


def attribution_chart(
    lime: pd.DataFrame,
    exact: pd.DataFrame | None,
    importance: pd.DataFrame,
    label: str,
    discretized: bool,
) -> alt.HConcatChart:
    """LIME on this curve beside the exact attribution (where one exists) and the permutation
    importance over the held-out curves, inputs in LIME's order, coloured by their role."""
    order = shown_features(lime)

    def panel(frame, x, title, x_title, error=None, legend=False, names=None):
        frame = frame[frame["feature"].isin(order)].assign(
            role_label=lambda f: f["role"].map(tasks.ROLES)
        )
        # names on the first panel of a row only
        axis = alt.Axis(labelLimit=170) if (legend if names is None else names) else None
        base = alt.Chart(frame).encode(y=alt.Y("feature:N", sort=order, title=None, axis=axis))
        bars = base.mark_bar().encode(
            x=alt.X(f"{x}:Q", title=x_title),
            color=_role_colour(legend),
            tooltip=[
                alt.Tooltip("feature:N"),
                alt.Tooltip(f"{x}:Q", format=".4f"),
                alt.Tooltip("role_label:N", title="role"),
            ],
        )
        layers = [bars]
        if error is not None:
            bounds = frame.assign(lo=frame["low"], hi=frame["high"])
            layers.append(
                alt.Chart(bounds)
                .mark_rule(color="black")
                .encode(
                    y=alt.Y("feature:N", sort=order, title=None, axis=axis),
                    x="lo:Q",
                    x2="hi:Q",
                    tooltip=[
                        alt.Tooltip("lo:Q", title="95 % interval from", format=".4f"),
                        alt.Tooltip("hi:Q", title="95 % interval to", format=".4f"),
                    ],
                )
            )
        rule = _zero_rule()
        return alt.layer(*layers, rule).properties(
            title=alt.Title(title, anchor="start"), width=150, height=max(140, 22 * len(order))
        )

    what = "Weight" if discretized else "Contribution"
    panels = [
        panel(
            lime,
            "contribution",
            "LIME: this curve",
            f"{what} to p({label}) (-)",
            legend=True,
        )
    ]
    if exact is not None:
        if exact.attrs.get("kind") == "occlusion":
            title, x_title = "Occlusion: this curve", f"Log-odds of {label} vs rest, drop (-)"
        else:
            title, x_title = "Exact: this curve", f"Log-odds of {label} (-)"
        panels.append(panel(exact, "attribution", title, x_title))
    panels.append(
        panel(
            importance,
            "importance",
            "Used overall: permutation importance",
            "Accuracy drop when shuffled (-)",
            error="interval",
            names=exact is not None,  # in a row of its own below
        )
    )
    # at most two panels side by side (names, 2 x 150 px): three overflow a 1024 px screen
    if len(panels) > 2:
        rows = alt.vconcat(alt.hconcat(*panels[:2], spacing=24), panels[2], spacing=16)
        return rows.resolve_scale(color="shared")
    return alt.hconcat(*panels, spacing=24).resolve_scale(color="shared")


def _bands(segments: pd.DataFrame, label: str) -> alt.Chart:
    return (
        alt.Chart(segments)
        .mark_rect(opacity=0.45)
        .encode(
            x=alt.X("t_start_s:Q", title=curve_charts.T_TITLE),
            x2="t_stop_s:Q",
            color=_weight_colour(f"Weight on p({label}) (-)"),
            tooltip=[
                alt.Tooltip("segment:N", title="explained segment"),
                alt.Tooltip("weight:Q", format=".4f"),
                alt.Tooltip("n_points:Q", title="points"),
            ],
        )
    )


def segment_time_chart(points: pd.DataFrame, segments: pd.DataFrame, label: str, truth_label: str):
    """Depth over time, the background of each explained segment shaded by its LIME weight,
    the truth region underlined in yellow (and the Clever Hans shortcut in grey)."""
    frame = points.copy()
    layers = [_bands(segments, label)]
    marks = {f"truth: {truth_label}": (frame["truth"], TRUTH_COLOUR)}
    if frame["shortcut"].any():
        marks["shortcut: drift hold"] = (frame["shortcut"], "#7f7f7f")
    stretches = [
        frame[mask].assign(mark=name, run=_runs(mask)[mask])
        for name, (mask, _) in marks.items()
        if mask.any()
    ]
    if stretches:
        layers.append(
            alt.Chart(pd.concat(stretches, ignore_index=True))
            .mark_line(strokeWidth=9, opacity=0.55, strokeCap="round")
            .encode(
                x="t_s:Q",
                y="h_nm:Q",
                detail="run:N",
                order="t_s:Q",
                stroke=alt.Stroke(
                    "mark:N",
                    title="Simulator",
                    scale=alt.Scale(
                        domain=list(marks), range=[colour for _, colour in marks.values()]
                    ),
                    legend=alt.Legend(orient="bottom", labelLimit=360),
                ),
            )
        )
    layers.append(
        curve_charts.curve_layer(
            frame, "t_s", "h_nm", curve_charts.T_TITLE, curve_charts.H_TITLE, legend=False
        )
    )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            height=300,
            autosize=FIT_X,
            title=alt.Title(
                "Which parts of the curve LIME credits",
                subtitle="Shading: segment weight (orange: supports the prediction); "
                "yellow: where the truth is",
                anchor="start",
            ),
        )
        .interactive()
    )


def segment_load_chart(points: pd.DataFrame, label: str) -> alt.LayerChart:
    """The load-displacement curve, each explained segment drawn in its weight's colour."""
    truth = points[points["truth"]].assign(run=_runs(points["truth"])[points["truth"]])
    layers = []
    if not truth.empty:
        layers.append(
            alt.Chart(truth)
            .mark_line(strokeWidth=9, opacity=0.55, color=TRUTH_COLOUR, strokeCap="round")
            .encode(x="h_nm:Q", y="P_mN:Q", detail="run:N", order="t_s:Q")
        )
    layers.append(
        alt.Chart(points)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("h_nm:Q", title=curve_charts.H_TITLE),
            y=alt.Y("P_mN:Q", title=curve_charts.P_TITLE),
            detail="part:N",
            order="t_s:Q",
            color=_weight_colour(f"Weight on p({label}) (-)"),
            tooltip=[
                alt.Tooltip("part:N", title="explained segment"),
                alt.Tooltip("weight:Q", format=".4f"),
                alt.Tooltip("h_nm:Q", title="h (nm)", format=".1f"),
                alt.Tooltip("P_mN:Q", title="P (mN)", format=".3f"),
            ],
        )
    )
    return (
        alt.layer(*layers)
        .properties(
            height=300,
            autosize=FIT_X,
            title=alt.Title("The same weights on P-h", subtitle="Yellow: truth", anchor="start"),
        )
        .interactive()
    )


def stability_chart(seeds: pd.DataFrame, order: list[str], roles: dict[str, str]) -> alt.LayerChart:
    """LIME's weight of each shown input under each seed: a tight cluster is stable."""
    frame = seeds[seeds["feature"].isin(order)].copy()
    frame["role_label"] = frame["feature"].map(roles).map(tasks.ROLES)
    frame["seed"] = frame["seed"].astype(str)
    y = alt.Y("feature:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    spread = frame.groupby("feature")["weight"].agg(["min", "max"]).reset_index()
    return alt.layer(
        alt.Chart(spread).mark_rule(color="#999").encode(y=y, x="min:Q", x2="max:Q"),
        alt.Chart(frame)
        .mark_point(filled=True, size=70, opacity=0.8)
        .encode(
            y=y,
            x=alt.X("weight:Q", title="LIME weight (-)"),
            color=_role_colour(legend=False),
            shape=alt.Shape("seed:N", title="LIME seed"),
            tooltip=["seed:N", "feature:N", alt.Tooltip("weight:Q", format=".4f")],
        ),
    ).properties(
        height=max(140, 22 * len(order)),
        autosize=FIT_X,
        title=alt.Title("The same curve, five LIME seeds", anchor="start"),
    )


def dependence_chart(
    average: pd.DataFrame, ice: pd.DataFrame, feature: str, label: str, value: float
) -> alt.LayerChart:
    """Partial dependence (thick) and ICE curves (thin) of p(label) on one input, with the
    explained curve's value marked."""
    x = alt.X("value:Q", title=tasks.feature_title(feature))
    y = alt.Y("probability:Q", title=f"p({label}) (-)", scale=alt.Scale(domain=[0, 1]))
    here = pd.DataFrame({"value": [value]})
    return alt.layer(
        alt.Chart(ice)
        .mark_line(strokeWidth=0.8, opacity=0.35, color="#7f7f7f")
        .encode(x=x, y=y, detail="curve:N"),
        alt.Chart(average).mark_line(strokeWidth=3, color="#1f6f8b").encode(x=x, y=y),
        alt.Chart(here).mark_rule(color="#d6604d", strokeDash=[4, 3]).encode(x="value:Q"),
    ).properties(
        height=300,
        autosize=FIT_X,
        title=alt.Title(
            f"Partial dependence on {feature}",
            subtitle="Thick: mean over held-out curves; thin: single curves (ICE); red: this curve",
            anchor="start",
        ),
    )


def importance_chart(importance: pd.DataFrame) -> alt.LayerChart:
    """Permutation importance of the inputs (mean and its 95 % interval over the repeats),
    coloured by role."""
    frame = importance.head(N_TOP).assign(role_label=lambda f: f["role"].map(tasks.ROLES))
    order = list(frame["feature"])
    y = alt.Y("feature:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    bounds = frame.assign(lo=frame["low"], hi=frame["high"])
    return alt.layer(
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("importance:Q", title="Accuracy drop when shuffled (-)"),
            color=_role_colour(),
            tooltip=["feature:N", alt.Tooltip("importance:Q", format=".4f"), "role_label:N"],
        ),
        alt.Chart(bounds).mark_rule(color="black").encode(y=y, x="lo:Q", x2="hi:Q"),
        _zero_rule(),
    ).properties(
        height=max(140, 22 * len(order)),
        autosize=FIT_X,
        title=alt.Title(
            "Permutation importance on the held-out curves",
            anchor="start",
            subtitle="black: 95 % interval; grey: baseline 0",
        ),
    )


def share_chart(table: pd.DataFrame) -> alt.Chart:
    """Share of the permutation importance per role (checklist item 1)."""
    frame = table.assign(role_label=table["role"].map(tasks.ROLES), what="model")
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "share of importance:Q",
                title="Share of the importance (-)",
                stack="zero",
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y("what:N", title=None, axis=None),
            color=_role_colour(),
            tooltip=["role_label:N", alt.Tooltip("share of importance:Q", format=".0%")],
        )
        .properties(height=40, autosize=FIT_X)
    )


def accuracy_chart(table: pd.DataFrame, tolerance_pct: float) -> alt.LayerChart:
    """Accuracy on the unshifted control and on each shifted test set (items 2 and 3), with
    its 95 % Wilson interval (black rules) and the baseline's accuracy on the same curves
    (red ticks: always the most frequent training class), when the table has them."""
    done = table[table["shifted accuracy"].notna()]

    def part(which: str) -> pd.DataFrame:
        def column(name: str) -> pd.Series:
            return done.get(f"{which} {name}", pd.Series(np.nan, index=done.index))

        return pd.DataFrame(
            {
                "test set": done["test set"],
                "set": "control" if which == "control" else "shifted",
                "accuracy": done[f"{which} accuracy"],
                "lo": column("low"),
                "hi": column("high"),
                "baseline": column("baseline"),
            }
        )

    frame = pd.concat([part("control"), part("shifted")], ignore_index=True)
    floor = done.assign(floor=done["control accuracy"] - tolerance_pct / 100)
    y = alt.Y("test set:N", title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("accuracy:Q", title="Accuracy (-)", scale=alt.Scale(domain=[0, 1]))

    def pct(name: str, title: str) -> alt.Tooltip:
        return alt.Tooltip(f"{name}:Q", title=title, format=".0%")

    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            yOffset="set:N",
            x=x,
            color=alt.Color(
                "set:N",
                title="Test set",
                scale=alt.Scale(domain=["control", "shifted"], range=["#8da0cb", "#fc8d62"]),
            ),
            tooltip=[
                "test set:N",
                "set:N",
                pct("accuracy", "accuracy"),
                pct("lo", "95 % interval from"),
                pct("hi", "95 % interval to"),
                pct("baseline", "baseline (most frequent training class)"),
            ],
        )
    )
    known = frame.dropna(subset=["lo", "hi"])
    errors = (
        alt.Chart(known).mark_rule(color="black").encode(y=y, yOffset="set:N", x="lo:Q", x2="hi:Q")
    )
    base = (
        alt.Chart(frame.dropna(subset=["baseline"]))
        .mark_tick(color="#d62728", thickness=2, size=12)
        .encode(y=y, yOffset="set:N", x="baseline:Q", tooltip=[pct("baseline", "baseline")])
    )
    tick = (
        alt.Chart(floor)
        .mark_tick(color="black", thickness=2, size=28)
        .encode(y=y, x="floor:Q", tooltip=[pct("floor", "pass above")])
    )
    title = alt.Title(
        "",
        subtitle="black line: 95 % interval; red: baseline",
    )
    return alt.layer(bars, errors, base, tick, title=title).properties(
        height=max(60, 48 * len(done)), autosize=FIT_X
    )


def stability_bars(table: pd.DataFrame, k: int) -> alt.VConcatChart:
    """Jaccard and weight spread per checked curve (item 4), with the pass limits (one above
    the other: side by side they overflow a 1024 px screen)."""
    jac = f"Jaccard of top {k}"

    def bars(column, limit, domain):
        return alt.layer(
            alt.Chart(table)
            .mark_bar(color="#66a61e")
            .encode(
                y=alt.Y("curve:N", title=None),
                x=alt.X(f"{column}:Q", title=f"{column} (-)", scale=alt.Scale(domain=domain)),
                tooltip=["curve:N", alt.Tooltip(f"{column}:Q", format=".2f")],
            ),
            alt.Chart(pd.DataFrame({"limit": [limit]}))
            .mark_rule(color="black", strokeDash=[4, 3])
            .encode(x="limit:Q"),
        ).properties(width=240, height=90)

    top = max(1.0, float(np.nanmax(table["weight spread"])) if len(table) else 1.0)
    return alt.vconcat(
        bars(jac, tasks.JACCARD_LIMIT, [0, 1]), bars("weight spread", tasks.SPREAD_LIMIT, [0, top])
    )
