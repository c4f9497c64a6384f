"""Helpers shared by the tests: reading Altair charts out of an AppTest run, and the
indents of a simulated map that its micrograph shows clear of boundaries."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa


def chart_specs(at) -> list[dict]:
    """The Vega-Lite spec of every chart on the page, in page order."""
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_data(at) -> list[dict[str, pd.DataFrame]]:
    """The named datasets of every chart (Streamlit ships them as Arrow IPC streams)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        out.append(
            {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets}
        )
    return out


def axis_titles(spec: dict) -> set[str]:
    """Every x/y axis title in a (possibly layered) Vega-Lite spec."""
    titles = set()
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            encoding = node.get("encoding", {})
            for channel in ("x", "y"):
                title = encoding.get(channel, {}).get("title")
                if title:
                    titles.add(title)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return titles


def micrograph_interior(ms, m, seed: int):
    """The Oliver-Pharr table (H, E, contact area) of map ``m`` over microstructure ``ms``,
    and which indents its correlative micrograph (``seed``) shows clear of boundaries: the
    pipeline of the "Find the phases" page (learners.unsupervised.correlative, 4 contact radii)."""
    from learners import (
        boundary_distance_um,
        interior_indents,
        map_feature_table,
        micrograph_boundaries,
    )
    from simulator import correlative_image

    table = map_feature_table(m, features=("H_GPa", "E_GPa", "A_nm2"))
    edges = micrograph_boundaries(correlative_image(ms, seed=seed))
    distance = boundary_distance_um(edges, ms.pixel_um, m.x_um, m.y_um)
    keep = interior_indents(distance, table["A_nm2"].to_numpy()) & table["ok"].to_numpy()
    return table, keep
