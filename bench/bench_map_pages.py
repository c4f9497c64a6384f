"""Timings of the cached work behind "Property maps" and "Find the phases", on a cold cache.

Run from the repository root::

    python bench/bench_map_pages.py [--n 30] [--preset "dual-phase steel"]

For an n x n map (default 30 x 30, the pages' default) it times each cached function of
:mod:`ui.maps.cached` on a cold cache (its inner caches warm, as in the app: a depth-slider
move re-indents the map but keeps the microstructure), the chart building of both pages,
and the pickled size of what each cache keeps per entry. A slider move on "Property maps"
costs ``map_table`` plus the charts; on "Find the phases" it costs ``map_table``,
``find_phases``, ``criteria`` (on all and on interior indents), ``populations`` and the
charts. Not a test: nothing is
asserted; timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.getLogger("streamlit").setLevel(logging.ERROR)  # no runtime here: caches in memory

from ui.maps import cached, charts, notes, tables  # noqa: E402
from ui.maps.widgets import DEFAULT_PRESET  # noqa: E402


def default_settings(n: int, preset: str, P_max_mN: float = 1.0) -> dict:
    """The pages' default map settings with an n x n grid on a field that holds it."""
    spacing = 4.0
    return {
        "microstructure": {
            "preset": preset,
            "custom_phases": None,
            "custom_sd": None,
            "size_um": max(130.0, (n - 1) * spacing + 14.0),
            "porosity": 0.0,
            "seed": 0,
        },
        "grid": {
            "nx": n,
            "ny": n,
            "spacing_um": spacing,
            "jitter_um": 0.0,
            "offset_um": (0.0, 0.0),
            "P_max_mN": P_max_mN,
            "depth_nm": None,
            "noise": {"load_noise_mN": 0.0005, "depth_noise_nm": 0.2},
            "seed": 0,
        },
    }


def timed(label: str, fn, what: str = "cached entry"):
    """Run ``fn`` once, print its wall time [ms] and the pickled size of its result [kB]."""
    start = time.perf_counter()
    result = fn()
    ms = 1000 * (time.perf_counter() - start)
    size = len(pickle.dumps(result)) / 1e3
    print(f"{label:44s} {ms:8.0f} ms   {what} {size:8.1f} kB")
    return result, ms


def main(n: int, preset: str) -> None:
    settings = default_settings(n, preset)
    choice = {"columns": ("H_GPa", "E_GPa"), "scaling": "log", "method": "gmm", "k": 2}
    print(f"{preset}, {n} x {n} indents, P_max 1 mN; cold caches")
    structure, _ = timed("microstructure (make, 600 x 600 raster)", lambda: (
        cached.microstructure(settings["microstructure"])
    ))  # fmt: skip
    view, _ = timed("microstructure_view (images, sizes)", lambda: (
        cached.microstructure_view(settings["microstructure"])
    ))  # fmt: skip
    table, t_map = timed("map_table (indent, analyse, PCA)", lambda: cached.map_table(settings))
    n_true = len(view.phases)
    finding, t_find = timed("find_phases (GMM, k = 2, scores)", lambda: (
        cached.find_phases(settings, choice)
    ))  # fmt: skip
    _, t_crit = timed("criteria (BIC, ICL, silhouette, elbow)", lambda: (
        cached.criteria(settings, choice["columns"], choice["scaling"], n_true)
    ))  # fmt: skip
    zone = choice.get("zone_radii") or 4.0
    _, t_int = timed("criteria on interior indents (micrograph)", lambda: (
        cached.criteria(settings, choice["columns"], choice["scaling"], n_true, zone)
    ))  # fmt: skip
    t_crit += t_int
    _, t_pop = timed("populations (deconvolution, k = 2)", lambda: (
        cached.populations(settings, 2)
    ))  # fmt: skip

    names = list(view.phases["name"])
    colours = charts.phase_colours(names)
    grid = settings["grid"]

    def property_charts():
        built = [
            charts.micrograph_chart(view.micrograph, view.size_um, table, 4.0, "m"),
            charts.property_map(table, "H_GPa", grid["spacing_um"], "H", "H (GPa)"),
            charts.property_map(table, "E_GPa", grid["spacing_um"], "E", "E (GPa)"),
            charts.he_scatter(table, "phase_name", names, colours, "s", "phase"),
            charts.histogram(table, "H_GPa", "H (GPa)", names, colours),
            charts.histogram(table, "E_GPa", "E (GPa)", names, colours),
        ]
        notes.map_notes(tables.map_summary(table, view.phases, grid), grid)
        return [chart.to_dict() for chart in built]

    def phase_charts():
        clusters = tables.cluster_categories(finding.labels, finding.score.mapping, names)
        found = table.assign(cluster=clusters)
        built = [
            charts.category_map(found, "phase_name", names, colours, 4.0, "t", "p"),
            charts.category_map(found, "cluster", names, colours, 4.0, "c", "p"),
            charts.he_scatter(found, "cluster", names, colours, "s", "c"),
        ]
        return [chart.to_dict() for chart in built]

    _, t_pc = timed("Property maps charts (6, to_dict)", property_charts, "specs")
    _, t_fc = timed("Find the phases charts (3 maps, to_dict)", phase_charts, "specs")
    deeper = default_settings(n, preset, P_max_mN=2.0)
    _, t_move = timed("depth-slider move: map_table at 2 mN", lambda: (
        cached.map_table(deeper)
    ))  # fmt: skip
    print(
        f"slider move, Property maps ~ {t_move + t_pc:.0f} ms; Find the phases ~ "
        f"{t_map + t_find + t_crit + t_pop + t_fc:.0f} ms (cold), each once for every "
        "learner on the same settings"
    )
    print(f"microstructure object: {len(pickle.dumps(structure)) / 1e6:.1f} MB (max 8 kept)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="indents per side")
    parser.add_argument("--preset", default=DEFAULT_PRESET, help="microstructure preset")
    args = parser.parse_args()
    main(args.n, args.preset)
