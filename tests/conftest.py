"""Helpers shared by the tests: reading Altair charts out of an AppTest run, the indents
of a simulated map that its micrograph shows clear of boundaries, and the grouping of
tests for pytest-xdist."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

#: Fixture scopes that outlive one test: tests sharing one stay on one xdist worker.
_SHARED_SCOPES = {"module", "package", "session"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group tests for pytest-xdist's ``--dist loadgroup`` (see pyproject.toml).

    A test that uses a module-scoped fixture (a browser test's app server, a trained model)
    joins its module's group, so that the module's tests run on one worker and the fixture
    is built once; every other test is handed out on its own. Runs before xdist reads the
    groups; harmless without xdist.
    """
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        shared = any(
            definition.scope in _SHARED_SCOPES
            for definitions in info.name2fixturedefs.values()
            for definition in definitions
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


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
