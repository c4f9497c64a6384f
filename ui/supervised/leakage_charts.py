"""Charts of the leakage section of Classify curves: the variogram that sets the blocks,
and the gaps with their intervals beside the null's."""

from __future__ import annotations

import altair as alt
import pandas as pd

from learners.supervised.leakage import INTERVAL_SE

from .charts import FIT_X, HEIGHT, PAD
from .leakage_tables import split_name

#: Roles of the indents in the first fold of the buffered split, with their colours.
ROLE_COLOURS = {"test (fold 1)": "#ff7f0e", "buffer (fold 1)": "#c7c7c7", "train": "#1f77b4"}
#: Colours of the blocked splits, by their names.
SPLIT_COLOURS = {
    "buffered spatial blocks": "#4c78a8",
    "one day left out": "#f58518",
    "one tip state left out": "#54a24b",
}
#: Colours of the map's gap and of the within-class null.
GAP_COLOURS = {"this map": "#ff7f0e", "within-class null": "#7f7f7f"}


def variogram_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Semivariance of log H and log E against lag, with the range, block and buffer.

    ``frame``: lag_um, semivariance, pairs, range_um, block_um, buffer_um.
    """
    points = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("lag_um:Q", title="Distance between indents, lag (µm)"),
            y=alt.Y("semivariance:Q", title="Semivariance of log H, log E (-)"),
            tooltip=[
                alt.Tooltip("lag_um:Q", title="lag (µm)", format=".1f"),
                alt.Tooltip("semivariance:Q", format=".2f"),
                "pairs:Q",
            ],
        )
    )
    first = frame.iloc[[0]]
    marks = pd.DataFrame(
        {
            "what": ["range", "block side", "buffer"],
            "at_um": [
                first["range_um"].iloc[0],
                first["block_um"].iloc[0],
                first["buffer_um"].iloc[0],
            ],
        }
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[4, 3])
        .encode(
            x="at_um:Q",
            color=alt.Color(
                "what:N",
                title="Chosen (µm)",
                scale=alt.Scale(
                    domain=["range", "block side", "buffer"],
                    range=["#d62728", "#1f77b4", "#2ca02c"],
                ),
            ),
            tooltip=["what:N", alt.Tooltip("at_um:Q", title="µm", format=".1f")],
        )
    )
    return (
        alt.layer(points, rules)
        .properties(height=HEIGHT, title="Variogram of the map: how far indents stay alike")
        .properties(autosize=FIT_X)
    )


def gap_chart(rows: pd.DataFrame) -> alt.LayerChart:
    """Random minus blocked accuracy on the map and on its null, with ± intervals.

    ``rows``: :func:`ui.supervised.leakage_tables.leakage_rows`.
    """
    long = pd.concat(
        [
            rows.assign(data="this map", value=rows["gap"], half=rows["± gap"]),
            rows.assign(data="within-class null", value=rows["null gap"], half=rows["± null"]),
        ],
        ignore_index=True,
    )[["split", "data", "value", "half"]]
    long["low"], long["high"] = long["value"] - long["half"], long["value"] + long["half"]
    colour = alt.Color(
        "data:N",
        title=None,
        scale=alt.Scale(domain=list(GAP_COLOURS), range=list(GAP_COLOURS.values())),
    )
    y = alt.Y("split:N", title=None)
    offset = alt.YOffset("data:N")
    points = (
        alt.Chart(long)
        .mark_point(filled=True, size=80)
        .encode(
            x=alt.X("value:Q", title="Random k-fold minus blocked accuracy (fraction)"),
            y=y,
            yOffset=offset,
            color=colour,
            tooltip=[
                "split:N",
                "data:N",
                alt.Tooltip("value:Q", title="gap", format="+.3f"),
                alt.Tooltip("half:Q", title="± interval", format=".3f"),
            ],
        )
    )
    bars = (
        alt.Chart(long)
        .mark_rule(strokeWidth=2)
        .encode(x="low:Q", x2="high:Q", y=y, yOffset=offset, color=colour)
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="black").encode(x="x:Q")
    return (
        alt.layer(bars, points, zero)
        .properties(
            height=alt.Step(26),
            title=alt.Title(
                "Gap on the map against the same gap on its null",
                subtitle="bars: ± 95 % interval; baseline: the null",
            ),
        )
        .properties(autosize=FIT_X)
    )


def over_maps_chart(per_map: pd.DataFrame, summary: pd.DataFrame) -> alt.LayerChart:
    """Leakage of each map (grey dots) and its mean over the maps ± 95 % interval (black).

    ``per_map``: rows of :func:`learners.supervised.leakage_maps.measure_over_maps`;
    ``summary``: :func:`learners.supervised.leakage_maps.summarise_over_maps`.
    """
    dots = per_map.assign(split=split_name(per_map["split"]))
    means = summary.assign(
        split=split_name(summary["split"]),
        low=summary["leakage"] - INTERVAL_SE * summary["leakage_se"],
        high=summary["leakage"] + INTERVAL_SE * summary["leakage_se"],
    )
    y = alt.Y("split:N", title=None, axis=alt.Axis(labelLimit=220))
    x_title = "Leakage: gap beyond the null (fraction of indents)"
    maps = (
        alt.Chart(dots[["split", "leakage", "map_seed"]])
        .mark_point(color="#9e9e9e", size=50)
        .encode(
            x=alt.X("leakage:Q", title=x_title),
            y=y,
            tooltip=[
                alt.Tooltip("map_seed:Q", title="map seed"),
                alt.Tooltip("leakage:Q", format="+.3f"),
            ],
        )
    )
    cols = ["split", "leakage", "low", "high"]
    bars = (
        alt.Chart(means[cols])
        .mark_rule(strokeWidth=3, color="black")
        .encode(x="low:Q", x2="high:Q", y=y)
    )
    mean = (
        alt.Chart(means[cols])
        .mark_tick(color="black", thickness=3, size=22)
        .encode(
            x="leakage:Q",
            y=y,
            tooltip=[
                "split:N",
                alt.Tooltip("leakage:Q", title="mean leakage", format="+.3f"),
                alt.Tooltip("low:Q", title="interval from", format="+.3f"),
                alt.Tooltip("high:Q", title="to", format="+.3f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#d62728").encode(x="x:Q")
    return (
        alt.layer(maps, bars, mean, zero)
        .properties(
            height=alt.Step(40),
            title=alt.Title(
                "Leakage on each map and over the maps",
                subtitle="grey: one map each; black: mean ± 95 % interval; red: no leakage",
            ),
        )
        .properties(autosize=FIT_X)
    )


def wear_log_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """The learner's measurements over maps against the tip-wear rate, per split, with their
    95 % intervals. ``frame``: :func:`ui.supervised.wear_log.log_frame`."""
    rates = sorted(frame["wear"].unique())
    shown = sorted(frame["split"].unique())
    x = alt.X(
        "wear:O",
        title="Tip wear (nm of radius per 100 indents)",
        sort=rates,
        axis=alt.Axis(labelAngle=0),
    )
    colour = alt.Color(
        "split:N",
        title=None,
        legend=alt.Legend(orient="bottom"),
        scale=alt.Scale(domain=shown, range=[SPLIT_COLOURS.get(s, "#7f7f7f") for s in shown]),
    )
    offset = alt.XOffset("split:N")
    bars = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=2)
        .encode(x=x, xOffset=offset, y="low:Q", y2="high:Q", color=colour)
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=70)
        .encode(
            x=x,
            xOffset=offset,
            y=alt.Y("leakage:Q", title="Leakage beyond the null (fraction of indents)"),
            color=colour,
            tooltip=[
                alt.Tooltip("wear:Q", title="tip wear (nm / 100 indents)"),
                "split:N",
                alt.Tooltip("leakage:Q", format="+.3f"),
                alt.Tooltip("low:Q", title="interval from", format="+.3f"),
                alt.Tooltip("high:Q", title="to", format="+.3f"),
                alt.Tooltip("n_maps:Q", title="maps"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#d62728").encode(y="y:Q")
    return (
        alt.layer(bars, points, zero)
        .properties(
            height=HEIGHT,
            title=alt.Title(
                "Your measurements: leakage against the tip wear",
                subtitle="mean over maps ± 95 % interval; every other setting as now",
            ),
        )
        .properties(autosize=FIT_X)
    )


def instrument_chart(truth: pd.DataFrame) -> alt.VConcatChart:
    """The instrument's truth along the raster: tip radius and drift rate per indent, by day.

    ``truth``: a map's truth with tip_radius_nm, drift_nm_per_s and day.
    """
    frame = pd.DataFrame(
        {
            "indent": range(len(truth)),
            "tip_radius_nm": truth["tip_radius_nm"].to_numpy(),
            "drift_nm_per_s": truth["drift_nm_per_s"].to_numpy(),
            "day": truth["day"].astype(str).to_numpy(),
        }
    )
    x = alt.X("indent:Q", title="Indent (raster order, time →)")
    colour = alt.Color("day:N", title="Day")
    radius = (
        alt.Chart(frame)
        .mark_line()
        .encode(x=x, y=alt.Y("tip_radius_nm:Q", title="Tip radius (nm, truth)"), color=colour)
        .properties(height=140)
    )
    drift = (
        alt.Chart(frame)
        .mark_line()
        .encode(x=x, y=alt.Y("drift_nm_per_s:Q", title="Drift rate (nm/s, truth)"), color=colour)
        .properties(height=140)
    )
    return alt.vconcat(radius, drift).properties(
        title="What the instrument did during the map (truth)", autosize=PAD
    )
