"""Altair charts of the supervised pages: scores, curves by class, splits, parity plots.

Every chart takes plain tables (the reports of :mod:`learners.supervised.scores`, truth
tables, split frames) and gives back an Altair chart whose axis titles carry units
(dimensionless scores say "(fraction)" or "(%)"). Curves are drawn with the shared helpers
of :mod:`ui.common.curve_charts` (segment colours, defect marks), so they look as on the other
pages.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.common import curve_charts
from ui.common.score_text import baseline_text, value_text

#: Colours of the classes, in the dataset's class order.
CLASS_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
#: Colours of the split roles and folds.
FOLD_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
SCORE_TITLE = {"accuracy": "Accuracy (fraction)", "R2": "R² (fraction of variance)"}
X_TITLE, Y_TITLE = "x (µm)", "y (µm)"
HEIGHT = 300
#: Side of a map in px (plot area; axes and legend are added around it).
MAP_PX = 240
#: Side of each of the two fold maps side by side [px].
FOLD_MAP_PX = 190
#: Fixed-size charts keep their plot size and grow around it (Streamlit's default "fit"
#: would squeeze the plot to make room for axes and legends).
PAD = alt.AutoSizeParams(type="pad")
#: Charts that stretch to the column's width keep their plot height (legends below add to
#: it instead of squeezing the plot).
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def class_scale(classes: list[str]) -> alt.Scale:
    """Fixed colours per class, so a class keeps its colour on every chart."""
    colours = [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(len(classes))]
    return alt.Scale(domain=list(classes), range=colours)


def class_counts_chart(counts: pd.DataFrame, classes: list[str]) -> alt.Chart:
    """Horizontal bars: curves per class (the class balance)."""
    return (
        alt.Chart(counts, title="Curves per class")
        .mark_bar()
        .encode(
            x=alt.X("curves:Q", title="Curves (count)"),
            y=alt.Y("class:N", title=None, sort=list(classes)),
            color=alt.Color("class:N", scale=class_scale(classes), legend=None),
            tooltip=["class:N", alt.Tooltip("curves:Q", title="curves")],
        )
        .properties(height=alt.Step(24))
    )


def typical_curves_chart(frames: pd.DataFrame, classes: list[str], title: str) -> alt.Chart:
    """One typical curve per class, P against h, coloured by class.

    ``frames``: columns class, curve, t_s, h_nm, P_mN (one typical curve per class).
    """
    return (
        alt.Chart(frames, title=title)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=alt.X("h_nm:Q", title=curve_charts.H_TITLE),
            y=alt.Y("P_mN:Q", title=curve_charts.P_TITLE),
            color=alt.Color("class:N", title="Class", scale=class_scale(classes)),
            detail="curve:N",
            order="t_s:Q",
            tooltip=["class:N", alt.Tooltip("curve:Q", title="curve (row)")],
        )
        .properties(height=HEIGHT, autosize=FIT_X)
        .interactive()
    )


def category_map(
    frame: pd.DataFrame,
    column: str,
    domain,
    colours,
    title: str,
    legend: str,
    map_px: int = MAP_PX,
    legend_columns: int = 3,
):
    """Indents as squares at their stage position (x, y in µm), coloured by ``column``.

    Equal x and y ranges, so the map keeps its proportions; ``map_px`` is its side [px];
    the legend below it has ``legend_columns`` columns (one for long labels).
    """
    spacing = _spacing(frame)
    x_domain, y_domain = _square_domains(frame, spacing)
    size_px = map_px * spacing / (x_domain[1] - x_domain[0])
    return (
        alt.Chart(frame, title=title)
        .mark_square(size=max(4.0, 0.85 * size_px**2), opacity=0.95)
        .encode(
            x=alt.X(
                "x_um:Q",
                title=X_TITLE,
                scale=alt.Scale(domain=x_domain, nice=False),
                axis=alt.Axis(labelFlush=True),
            ),
            y=alt.Y("y_um:Q", title=Y_TITLE, scale=alt.Scale(domain=y_domain, nice=False)),
            color=alt.Color(
                f"{column}:N",
                title=legend,
                scale=alt.Scale(domain=list(domain), range=list(colours)),
                legend=alt.Legend(orient="bottom", columns=legend_columns, labelLimit=160),
            ),
            tooltip=[
                alt.Tooltip("x_um:Q", title="x (µm)", format=".1f"),
                alt.Tooltip("y_um:Q", title="y (µm)", format=".1f"),
                alt.Tooltip(f"{column}:N", title=legend),
            ],
        )
        .properties(width=map_px, height=map_px, autosize=PAD)
    )


def _spacing(frame: pd.DataFrame) -> float:
    """The grid spacing [µm]: the median step between distinct x positions."""
    x = np.unique(np.round(frame["x_um"].to_numpy(dtype=float), 6))
    return float(np.median(np.diff(x))) if x.size > 1 else 1.0


def _square_domains(frame: pd.DataFrame, spacing: float):
    """Equal-length x and y ranges [µm] holding every indent with half a spacing around."""
    x, y = frame["x_um"].to_numpy(dtype=float), frame["y_um"].to_numpy(dtype=float)
    side = max(np.ptp(x), np.ptp(y)) + spacing
    xm, ym = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    return [xm - side / 2, xm + side / 2], [ym - side / 2, ym + side / 2]


def fold_map(frame: pd.DataFrame, title: str) -> alt.Chart:
    """The test fold of every indent of a split, drawn on the map."""
    frame = frame.assign(test_fold=[f"fold {k + 1}" for k in frame["fold"]])
    folds = sorted(frame["test_fold"].unique(), key=lambda s: int(s.split()[1]))
    colours = [FOLD_COLOURS[i % len(FOLD_COLOURS)] for i in range(len(folds))]
    # two maps side by side: smaller, so that both fit half a laptop screen each
    return category_map(frame, "test_fold", folds, colours, title, "Tested in", FOLD_MAP_PX)


def confusion_chart(confusion: pd.DataFrame) -> alt.LayerChart:
    """Counts of true (rows) against predicted (columns) classes, as a heatmap."""
    classes = list(confusion.index)
    long = confusion.rename_axis(index="true", columns="predicted").stack().rename("curves")
    long = long.reset_index()
    totals = long.groupby("true")["curves"].transform("sum").replace(0, np.nan)
    long["share"] = long["curves"] / totals
    base = alt.Chart(long, title="Confusion matrix").encode(
        x=alt.X(
            "predicted:N",
            title="Predicted class",
            sort=classes,
            axis=alt.Axis(labelAngle=-45, labelOverlap=False),
        ),
        y=alt.Y("true:N", title="True class", sort=classes),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            title="Share of row",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
        ),
        tooltip=[
            "true:N",
            "predicted:N",
            alt.Tooltip("curves:Q", title="curves"),
            alt.Tooltip("share:Q", title="share of true class", format=".0%"),
        ],
    )
    text = base.mark_text(fontSize=13).encode(
        text="curves:Q",
        color=alt.condition("datum.share > 0.6", alt.value("white"), alt.value("black")),
    )
    step = 56 if len(classes) <= 4 else 44
    return alt.layer(cells, text).properties(
        width=alt.Step(step), height=alt.Step(step), autosize=PAD, padding={"left": 40}
    )


def learning_curve_chart(summary: pd.DataFrame, metric: str, baseline: float) -> alt.LayerChart:
    """Mean training and held-out score with its 95 % interval over the folds (band)
    against training-set size, and the baseline's score as a dashed rule.

    ``summary``: :func:`ui.supervised.scoring.learning_summary`; ``baseline``: the score of
    always answering the most frequent class on the same curves.
    """
    summary = summary.copy()
    if metric == "accuracy":
        summary["lo"] = summary["lo"].clip(lower=0.0)
        summary["hi"] = summary["hi"].clip(upper=1.0)
    domain = ["training curves", "held out", "baseline"]
    colour = alt.Color(
        "set:N",
        title="Scored on",
        scale=alt.Scale(domain=domain, range=["#9e9e9e", "#1f6f8b", "#c0392b"]),
        legend=alt.Legend(orient="bottom", columns=3),
    )
    x = alt.X("n_train:Q", title="Training curves (count)")
    band = (
        alt.Chart(summary)
        .mark_area(opacity=0.2)
        .encode(
            x=x,
            y=alt.Y("lo:Q", title=SCORE_TITLE[metric], scale=alt.Scale(zero=False)),
            y2="hi:Q",
            color=colour,
        )
    )
    line = (
        alt.Chart(summary)
        .mark_line(point=True)
        .encode(
            x=x,
            y="mean:Q",
            color=colour,
            tooltip=[
                alt.Tooltip("n_train:Q", title="training curves"),
                "set:N",
                alt.Tooltip("mean:Q", title="mean score", format=".3f"),
                alt.Tooltip("lo:Q", title="95 % interval from", format=".3f"),
                alt.Tooltip("hi:Q", title="95 % interval to", format=".3f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"set": ["baseline"], "score": [baseline]}))
        .mark_rule(strokeDash=[6, 4])
        .encode(
            y="score:Q",
            color=colour,
            tooltip=[alt.Tooltip("score:Q", title="baseline (most frequent class)", format=".3f")],
        )
    )
    return alt.layer(band, line, rule).properties(height=HEIGHT, autosize=FIT_X)


def _baseline_line(s: Scored, drawn: bool = True) -> str:
    """The second subtitle line: the baseline's score (the dashed line when ``drawn``; the
    baseline gives every curve the share of positives)."""
    return f"dashed: {baseline_text(s)}" if drawn else f"{baseline_text(s)} (p = the share)"


def _diagonal(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str) -> alt.Chart:
    """A dashed grey reference line through the points of ``frame``."""
    return (
        alt.Chart(frame)
        .mark_line(color="#9e9e9e", strokeDash=[4, 4])
        .encode(x=alt.X(f"{x}:Q", title=x_title), y=alt.Y(f"{y}:Q", title=y_title))
    )


def roc_chart(roc: pd.DataFrame, auc: Scored, positive: str) -> alt.LayerChart:
    """ROC curve of the positive class with the chance diagonal (the baseline's curve)."""
    fpr, tpr = "False-positive rate (fraction)", "True-positive rate (fraction)"
    chance = pd.DataFrame({"false_positive_rate": [0, 1], "true_positive_rate": [0, 1]})
    curve = (
        alt.Chart(roc)
        .mark_line(color="#1f6f8b", interpolate="step-after")
        .encode(
            x=alt.X("false_positive_rate:Q", title=fpr),
            y=alt.Y("true_positive_rate:Q", title=tpr),
            tooltip=[alt.Tooltip("threshold:Q", format=".3f")],
        )
    )
    chance_line = _diagonal(chance, "false_positive_rate", "true_positive_rate", fpr, tpr)
    title = alt.Title(
        "ROC",
        subtitle=[f"{positive} positive", f"AUC {value_text(auc)}", _baseline_line(auc)],
    )
    return alt.layer(chance_line, curve, title=title).properties(height=HEIGHT, autosize=FIT_X)


def pr_chart(pr: pd.DataFrame, ap: Scored, positive: str) -> alt.LayerChart:
    """Precision against recall of the positive class, with the baseline's precision (the
    share of positives, ``ap.baseline``) as the dashed line."""
    chance = pd.DataFrame({"recall": [0, 1], "precision": [ap.baseline, ap.baseline]})
    curve = (
        alt.Chart(pr)
        .mark_line(color="#1f6f8b", interpolate="step-before")
        .encode(
            x=alt.X("recall:Q", title="Recall (fraction)"),
            y=alt.Y("precision:Q", title="Precision (fraction)", scale=alt.Scale(domain=[0, 1])),
            tooltip=[alt.Tooltip("threshold:Q", format=".3f")],
        )
    )
    chance_line = _diagonal(
        chance, "recall", "precision", "Recall (fraction)", "Precision (fraction)"
    )
    title = alt.Title(
        "Precision-recall",
        subtitle=[
            f"{positive} positive",
            f"average precision {value_text(ap)}",
            _baseline_line(ap),
        ],
    )
    return alt.layer(chance_line, curve, title=title).properties(height=HEIGHT, autosize=FIT_X)


def calibration_chart(calibration: pd.DataFrame, brier: Scored, positive: str):
    """Observed share of positives against the mean predicted probability per bin."""
    x_title = f"Predicted probability of {positive} (fraction)"
    y_title = f"Observed share of {positive} (fraction)"
    ideal = pd.DataFrame({"mean_predicted_probability": [0, 1], "fraction_positive": [0, 1]})
    points = (
        alt.Chart(calibration)
        .mark_line(point=True, color="#1f6f8b")
        .encode(
            x=alt.X("mean_predicted_probability:Q", title=x_title),
            y=alt.Y("fraction_positive:Q", title=y_title),
            tooltip=[
                alt.Tooltip("mean_predicted_probability:Q", title="predicted", format=".2f"),
                alt.Tooltip("fraction_positive:Q", title="observed", format=".2f"),
            ],
        )
    )
    ideal_line = _diagonal(
        ideal, "mean_predicted_probability", "fraction_positive", x_title, y_title
    )
    title = alt.Title(
        "Calibration",
        subtitle=[
            f"Brier score {value_text(brier)} (0 is perfect)",
            _baseline_line(brier, drawn=False),
        ],
    )
    return alt.layer(ideal_line, points, title=title).properties(height=HEIGHT, autosize=FIT_X)


def curve_panel(curve, title: str, subtitle: str, x: str, domains: dict) -> alt.LayerChart:
    """One curve by segment (shared colours) with its true localised defects marked.

    ``subtitle`` says what the simulator knows about the curve (whole-curve defects such as
    drift are named there, not marked).

    ``x`` is "h_nm" (load-displacement) or "t_s" (displacement-time); ``domains`` maps
    column names to [lo, hi] so that panels side by side share their axes.
    """
    frame = curve.to_frame()
    y = "P_mN" if x == "h_nm" else "h_nm"
    titles = {
        "h_nm": curve_charts.H_TITLE,
        "P_mN": curve_charts.P_TITLE,
        "t_s": curve_charts.T_TITLE,
    }
    stretches, starts, _ = curve_charts.defect_frames(curve, frame)  # whole-curve ones: in the note
    under, over = curve_charts.defect_layers(stretches, starts, x, y, legend=False)
    line = curve_charts.curve_layer(frame, x, y, titles[x], titles[y], legend=False).encode(
        x=alt.X(f"{x}:Q", title=titles[x], scale=alt.Scale(domain=domains[x])),
        y=alt.Y(f"{y}:Q", title=titles[y], scale=alt.Scale(domain=domains[y])),
    )
    return alt.layer(*under, line, *over).properties(
        height=260,
        title=alt.Title(title, subtitle=subtitle, anchor="start"),
        autosize=FIT_X,
    )


def drift_by_class_chart(frame: pd.DataFrame, classes: list[str]) -> alt.Chart:
    """The confound: true drift rate of every curve by class, training against clean test.

    ``frame``: set, class, drift_nm_per_s.
    """
    return (
        alt.Chart(frame)
        .mark_tick(thickness=1.5, size=18, opacity=0.6)
        .encode(
            x=alt.X("drift_nm_per_s:Q", title="Thermal drift rate (nm/s, truth)"),
            y=alt.Y("class:N", title=None, sort=list(classes)),
            color=alt.Color("class:N", scale=class_scale(classes), legend=None),
            row=alt.Row(
                "set:N",
                title=None,
                sort=["training data", "clean test set"],
                header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top"),
            ),
        )
        .properties(height=alt.Step(22), width=420, title="Drift rate by class (truth)")
        .properties(autosize=PAD)
    )


def clever_hans_chart(scores: pd.DataFrame, bar: float) -> alt.LayerChart:
    """Accuracy on the random split and on the clean test set (with their 95 % intervals
    when ``scores`` has ``low`` and ``high``), with the baseline and the bar.

    ``scores``: evaluation, accuracy[, low, high].
    """
    order = list(scores["evaluation"])
    bars = (
        alt.Chart(scores)
        .mark_bar(size=38)
        .encode(
            x=alt.X(
                "evaluation:N", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=260)
            ),
            y=alt.Y("accuracy:Q", title="Accuracy (fraction)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "evaluation:N",
                scale=alt.Scale(domain=order, range=["#ff7f0e", "#1f77b4"]),
                legend=None,
            ),
            tooltip=["evaluation:N", alt.Tooltip("accuracy:Q", format=".3f")],
        )
    )
    if {"low", "high"} <= set(scores.columns):
        bars = alt.layer(
            bars,
            alt.Chart(scores)
            .mark_rule(color="black", size=2)
            .encode(x=alt.X("evaluation:N", sort=order), y="low:Q", y2="high:Q"),
        )
    rules = pd.DataFrame(
        {"value": [0.5, bar], "line": ["baseline (0.5)", f"exercise bar ({bar:.2f})"]}
    )
    lines = (
        alt.Chart(rules)
        .mark_rule(strokeDash=[5, 4])
        .encode(
            y="value:Q",
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=list(rules["line"]), range=["#7f7f7f", "#2ca02c"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    return (
        alt.layer(bars, lines, title="Training lab against a new lab")
        .properties(height=HEIGHT, autosize=FIT_X)
        .resolve_scale(color="independent")
    )


# --- Predict properties ---------------------------------------------------------------------
