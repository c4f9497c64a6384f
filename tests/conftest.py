"""Helpers shared by the app tests: reading Altair charts out of an AppTest run."""

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
