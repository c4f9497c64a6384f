"""Altair charts of indentation maps and of the phases found in them.

Positions are in µm, hardness and modulus in GPa, and every axis title says so. Phases keep
one colour everywhere (:func:`phase_colours`): in the phase map image, the true phase map,
the cluster map (after Hungarian matching), the scatter plots and the histograms. Images
(micrograph, phase map) travel as PNG data URLs in an Altair ``mark_image``; per-indent maps
are ``mark_rect`` heatmaps with one cell per indent (at most 60 x 60 in the app).
"""

from __future__ import annotations

import base64
import io

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

X_TITLE = "x (µm)"
Y_TITLE = "y (µm)"
H_TITLE = "H (GPa)"
E_TITLE = "E (GPa)"
#: Width and height of a map's plot area [px]: maps are square, µm on both axes alike.
MAP_PX = 185  # two maps with their legends side by side on a 1024 px screen
#: Maps keep their plot area; axes and legends are added around it (no fitting).
PAD = alt.AutoSizeParams(type="pad")

#: Colours of the phases in the order of the microstructure's phase table.
PHASE_COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2")
PORE = "pore"
PORE_COLOUR = "#3b3b3b"
#: Colours of clusters that no phase was matched to.
EXTRA_COLOURS = ("#9d755d", "#ff9da6", "#eeca3b", "#72b7b2", "#79706e", "#d67195", "#439894")
NOISE = "noise / not clustered"
NOISE_COLOUR = "#cfcfcf"
#: Where each indent of a clustering sits, and its colour on the error map.
ERROR_COLOURS = {
    "correct": "#e6e6e6",
    "wrong, interior": "#d62728",
    "wrong, interface": "#ff7f0e",
    "wrong, pore": "#3b3b3b",
    "not clustered": "#9467bd",
}
#: Whether the number-of-phases criteria counted an indent, and its colour.
COUNTED_COLOURS = {"interior": "#4c78a8", "near a boundary": "#ff7f0e"}
LOCATION_SHAPES = {"interior": "circle", "interface": "cross"}


def phase_colours(names) -> list[str]:
    """One colour per phase name, in order; pores dark grey."""
    colours, i = [], 0
    for name in names:
        if name == PORE:
            colours.append(PORE_COLOUR)
        else:
            colours.append(PHASE_COLOURS[i % len(PHASE_COLOURS)])
            i += 1
    return colours


def png_data_url(image: np.ndarray, palette: list[str] | None = None) -> str:
    """A PNG data URL of a 2-D array whose row 0 is y = 0 (drawn at the bottom).

    Parameters
    ----------
    image : ndarray, shape (ny, nx)
        Grey levels in [0, 1], or (with ``palette``) integer codes 0..len(palette)-1.
    palette : list of str, optional
        ``"#rrggbb"`` colour of each code.
    """
    rows = np.asarray(image)[::-1]
    if palette is None:
        picture = Image.fromarray(np.round(255 * np.clip(rows, 0, 1)).astype(np.uint8), "L")
    else:
        rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette], np.uint8)
        picture = Image.fromarray(rgb[rows.astype(int)], "RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _axes(x_domain, y_domain, x_field="x0", y_field="y0"):
    """µm axes with fixed domains (so that maps stay square and aligned)."""
    x = alt.X(f"{x_field}:Q", title=X_TITLE, scale=alt.Scale(domain=list(x_domain), nice=False))
    y = alt.Y(f"{y_field}:Q", title=Y_TITLE, scale=alt.Scale(domain=list(y_domain), nice=False))
    return x, y


def grid_cells(table: pd.DataFrame, spacing_um: float) -> pd.DataFrame:
    """``table`` with the corners x0, x1, y0, y1 [um] of each indent's cell of the grid."""
    half = spacing_um / 2
    return table.assign(
        x0=table["x_um"] - half,
        x1=table["x_um"] + half,
        y0=table["y_um"] - half,
        y1=table["y_um"] + half,
    )


def _square_domains(cells: pd.DataFrame):
    """Equal-length x and y domains [um] that hold every cell (square maps, equal µm)."""
    x_lo, x_hi = cells["x0"].min(), cells["x1"].max()
    y_lo, y_hi = cells["y0"].min(), cells["y1"].max()
    side = max(x_hi - x_lo, y_hi - y_lo)
    x_mid, y_mid = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2
    return (x_mid - side / 2, x_mid + side / 2), (y_mid - side / 2, y_mid + side / 2)


def _tooltip():
    return [
        alt.Tooltip("x_um:Q", title="x (µm)", format=".1f"),
        alt.Tooltip("y_um:Q", title="y (µm)", format=".1f"),
        alt.Tooltip("H_GPa:Q", title="H measured (GPa)", format=".3g"),
        alt.Tooltip("E_GPa:Q", title="E measured (GPa)", format=".3g"),
        alt.Tooltip("phase_name:N", title="true phase"),
        alt.Tooltip("location:N", title="zone of influence"),
    ]


def _with_location(table: pd.DataFrame) -> pd.DataFrame:
    location = np.where(table["on_interface"], "interface", "interior")
    return table.assign(location=location)


def _map_columns(table: pd.DataFrame, *extra: str) -> pd.DataFrame:
    keep = ["x_um", "y_um", "H_GPa", "E_GPa", "phase_name", "on_interface", *extra]
    return _with_location(table[list(dict.fromkeys(keep))])


def micrograph_chart(
    image_url: str,
    size_um: tuple[float, float],
    table: pd.DataFrame,
    spacing_um: float,
    title: str,
    show_landing: bool = False,
) -> alt.LayerChart:
    """The image (data URL) of the field of view with the indent grid over it.

    The axes span the indented area (the grid and where the indents really landed), the
    same µm as the property maps beside it; the image is clipped to them. White rings: where
    the grid says each indent is. With ``show_landing``, red dots: where each indent really
    landed (stage jitter and registration offset). No legend: the page's caption says this.
    """
    w, h = size_um
    frame = _map_columns(table, "x_true_um", "y_true_um")
    cells = grid_cells(frame, spacing_um)
    if show_landing:
        landed = grid_cells(
            frame.assign(x_um=frame["x_true_um"], y_um=frame["y_true_um"]), spacing_um
        )
        cells = pd.concat([cells, landed], ignore_index=True)
    x_domain, y_domain = _square_domains(cells)
    x, y = _axes(x_domain, y_domain, "x", "y")
    image = (
        alt.Chart(pd.DataFrame({"url": [image_url], "x": [0.0], "x2": [w], "y": [0.0], "y2": [h]}))
        .mark_image(aspect=False, smooth=False, clip=True)
        .encode(x=x, x2="x2:Q", y=y, y2="y2:Q", url="url:N")
    )
    n = len(frame)
    size = float(np.clip(3000 / max(n, 1), 6, 40))
    kinds = ["reported position (grid)"] + (["true landing spot"] if show_landing else [])
    marker = alt.Color(
        "marker:N",
        title="Indents",
        scale=alt.Scale(domain=kinds, range=["#ffffff", "#d62728"][: len(kinds)]),
        legend=None,
    )
    reported = (
        alt.Chart(frame.assign(marker=kinds[0], x=frame["x_um"], y=frame["y_um"]))
        .mark_point(filled=False, size=size, strokeWidth=0.8, opacity=0.8, clip=True)
        .encode(x="x:Q", y="y:Q", color=marker, tooltip=_tooltip())
    )
    layers = [image, reported]
    if show_landing:
        layers.append(
            alt.Chart(frame.assign(marker=kinds[1], x=frame["x_true_um"], y=frame["y_true_um"]))
            .mark_point(filled=True, size=size / 2, opacity=0.9, clip=True)
            .encode(x="x:Q", y="y:Q", color=marker, tooltip=_tooltip())
        )
    return alt.layer(*layers).properties(width=MAP_PX, height=MAP_PX, title=title, autosize=PAD)


def property_map(
    table: pd.DataFrame, column: str, spacing_um: float, title: str, legend_title: str
) -> alt.Chart:
    """Heatmap of one measured quantity per indent on the grid, with a colour bar.

    Indents whose analysis failed (NaN) are left blank.
    """
    cells = grid_cells(_map_columns(table, column), spacing_um)
    x_domain, y_domain = _square_domains(cells)
    x, y = _axes(x_domain, y_domain)
    return (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=x,
            x2="x1:Q",
            y=y,
            y2="y1:Q",
            color=alt.Color(
                f"{column}:Q",
                title=legend_title,
                scale=alt.Scale(scheme="viridis"),
                legend=alt.Legend(
                    orient="bottom",
                    direction="horizontal",
                    gradientLength=MAP_PX - 40,
                    titleAnchor="middle",
                    titleOrient="left",
                ),
            ),
            tooltip=_tooltip(),
        )
        .properties(width=MAP_PX, height=MAP_PX, title=title, autosize=PAD)
    )


def category_map(
    table: pd.DataFrame,
    column: str,
    domain: list[str],
    colours: list[str],
    spacing_um: float,
    title: str,
    legend_title: str,
) -> alt.Chart:
    """Heatmap of a category per indent (true phase, matched cluster, error kind)."""
    cells = grid_cells(_map_columns(table, column), spacing_um)
    x_domain, y_domain = _square_domains(cells)
    x, y = _axes(x_domain, y_domain)
    return (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=x,
            x2="x1:Q",
            y=y,
            y2="y1:Q",
            color=alt.Color(
                f"{column}:N",
                title=legend_title,
                scale=alt.Scale(domain=domain, range=colours),
                # one column: two of long labels are wider than the map on a laptop screen
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=170),
            ),
            tooltip=[*_tooltip(), alt.Tooltip(f"{column}:N", title=legend_title)],
        )
        .properties(width=MAP_PX, height=MAP_PX, title=title, autosize=PAD)
    )


def _log_if_wide(values: pd.Series) -> alt.Scale:
    """A log scale when the values span more than a factor of 10, else linear."""
    v = values[np.isfinite(values) & (values > 0)]
    if len(v) and v.max() / v.min() > 10:
        return alt.Scale(type="log")
    return alt.Scale(zero=False)


def he_scatter(
    table: pd.DataFrame,
    column: str,
    domain: list[str],
    colours: list[str],
    title: str,
    legend_title: str,
) -> alt.Chart:
    """Measured H against E, coloured by ``column``; crosses: interface indents (truth).

    Axes become logarithmic when a quantity spans more than a factor of 10.
    """
    frame = _map_columns(table, column)
    frame = frame[np.isfinite(frame["H_GPa"]) & np.isfinite(frame["E_GPa"])]
    return (
        alt.Chart(frame)
        .mark_point(size=28, opacity=0.75, filled=True)
        .encode(
            x=alt.X("E_GPa:Q", title=E_TITLE, scale=_log_if_wide(frame["E_GPa"])),
            y=alt.Y("H_GPa:Q", title=H_TITLE, scale=_log_if_wide(frame["H_GPa"])),
            color=alt.Color(
                f"{column}:N",
                title=legend_title,
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(labelLimit=170),
            ),
            shape=alt.Shape(
                "location:N",
                title="Zone of influence (truth)",
                scale=alt.Scale(domain=list(LOCATION_SHAPES), range=list(LOCATION_SHAPES.values())),
            ),
            tooltip=_tooltip(),
        )
        .properties(height=340, title=title)
    )


def histogram(
    table: pd.DataFrame, column: str, axis_title: str, domain: list[str], colours: list[str]
) -> alt.Chart:
    """Histogram of a measured quantity, stacked by true phase; pale: interface indents."""
    frame = _map_columns(table, column)
    frame = frame[np.isfinite(frame[column])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{column}:Q", bin=alt.Bin(maxbins=40), title=axis_title),
            y=alt.Y("count():Q", title="Indents"),
            color=alt.Color(
                "phase_name:N",
                title="True phase",
                scale=alt.Scale(domain=domain, range=colours),
                legend=None,
            ),
            opacity=alt.Opacity(
                "location:N",
                title="Zone of influence (truth)",
                scale=alt.Scale(domain=["interior", "interface"], range=[1.0, 0.4]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("location:N", sort="descending"),
            tooltip=[alt.Tooltip("phase_name:N", title="true phase"), "location:N", "count()"],
        )
        .properties(height=300)
    )


def criterion_chart(
    criteria: pd.DataFrame,
    column: str,
    title: tuple[str, str],
    axis_title: str,
    pick,
    n_true: int,
    counted_on: str = "all indents",
) -> alt.LayerChart:
    """One model-selection criterion against k, its pick (red) and the true number (rule).

    ``title``: the criterion's name and how it picks. Short lines: three of these charts sit
    side by side, about 180 px each at 1024 px.
    """
    frame = criteria[["k", column]].dropna()
    k_domain = [int(criteria["k"].min()), int(criteria["k"].max())]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "k:Q",
            title="Phases k",
            axis=alt.Axis(tickMinStep=1, format="d"),
            scale=alt.Scale(domain=k_domain, nice=False),
        ),
        y=alt.Y(f"{column}:Q", title=axis_title, scale=alt.Scale(zero=False)),
    )
    layers = [
        base.mark_line(color="#4c78a8"),
        base.mark_point(color="#4c78a8", filled=True, size=50).encode(
            tooltip=["k:Q", alt.Tooltip(f"{column}:Q", format=".4g")]
        ),
        alt.Chart(pd.DataFrame({"k": [n_true], "label": [f"truth: {n_true}"]}))
        .mark_rule(color="#2ca02c", strokeDash=[5, 3], strokeWidth=2)
        .encode(x="k:Q"),
    ]
    if pick is not None and (frame["k"] == pick).any():
        layers.append(
            alt.Chart(frame[frame["k"] == pick])
            .mark_point(color="#d62728", size=220, strokeWidth=3)
            .encode(x="k:Q", y=f"{column}:Q")
        )
    name, rule = title
    subtitle = [rule, f"on {counted_on}", f"picks k = {pick}; truth {n_true} (green)"]
    return alt.layer(*layers).properties(
        height=260, title=alt.Title(name, subtitle=subtitle, anchor="start")
    )


def population_chart(
    table: pd.DataFrame,
    populations: pd.DataFrame,
    quantity: str,
    names: list[str],
    domain: list[str],
    colours: list[str],
    bins: int = 40,
) -> alt.LayerChart:
    """Histogram (density) of measured H or E with each deconvolved Gaussian population.

    ``quantity`` is ``"H"`` or ``"E"``; ``populations`` is the table of
    :func:`learners.deconvolve` and ``names`` the label of each of its rows (the matched
    true phase, or "population j (no phase)"). Each curve is f_j N(x; mean_j, sd_j), so the
    areas under the curves are the volume fractions.
    """
    column, title = (("H_GPa", H_TITLE), ("E_GPa", E_TITLE))[quantity == "E"]
    values = table.loc[table["ok"].astype(bool), column].to_numpy(float)
    values = values[np.isfinite(values)]
    counts, edges = np.histogram(values, bins=bins)
    width = np.diff(edges)
    bars = pd.DataFrame(
        {"lo": edges[:-1], "hi": edges[1:], "density": counts / (counts.sum() * width)}
    )
    x = np.linspace(edges[0], edges[-1], 300)
    curves = []
    for name, row in zip(names, populations.itertuples(), strict=True):
        mean, sd = getattr(row, f"{quantity}_mean_GPa"), getattr(row, f"{quantity}_sd_GPa")
        sd = max(sd, 1e-9)
        density = row.fraction * np.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))
        curves.append(pd.DataFrame({"x": x, "density": density, "population": name}))
    lines = pd.concat(curves, ignore_index=True)
    histogram_layer = (
        alt.Chart(bars)
        .mark_rect(color="#bdbdbd", opacity=0.8)
        .encode(
            x=alt.X("lo:Q", title=title, scale=alt.Scale(zero=False)),
            x2="hi:Q",
            y=alt.Y("density:Q", title="Density (1/GPa)"),
            y2=alt.datum(0),
        )
    )
    line_layer = (
        alt.Chart(lines)
        .mark_line(strokeWidth=2.5)
        .encode(
            x="x:Q",
            y="density:Q",
            color=alt.Color(
                "population:N",
                title="Population (matched phase)",
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=200),
            ),
        )
    )
    return alt.layer(histogram_layer, line_layer).properties(height=280)
