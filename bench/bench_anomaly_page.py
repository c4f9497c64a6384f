"""Timings of the cached work behind "Find bad curves", on a cold cache, at default settings.

Run from the repository root::

    python bench/bench_anomaly_page.py [--n 400] [--all]

Times each cached function of :mod:`ui.anomalies.cached` once on a cold cache at the page's
default settings (400 curves, 10 % defective, all six defect types at 0.5 × their typical
size, Isolation Forest on the physical features, flag 10 %), the page's pure results and its
charts, and prints the pickled size of what each cache keeps per entry. A threshold move
costs only the results and the charts (the scores stay cached); a campaign or detector
change costs ``detect`` as well. ``--all`` also times ``detect`` for every detector and
representation. Not a test: nothing is asserted; timings depend on the machine and its load.
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

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

from learners.unsupervised.anomaly import ANOMALY_FEATURES, METHODS  # noqa: E402
from ui.anomalies import cached, charts, exercise, notes, tables, widgets  # noqa: E402

DW = widgets.DEFAULTS


def default_settings(n: int) -> tuple[dict, dict, dict]:
    """The page's default campaign, detector and threshold dicts (as its widgets give them)."""
    data = {
        "n": n,
        "contamination": DW["contamination_pct"] / 100,
        "defect_types": tuple(widgets.DEFECT_NAMES),
        "size_scale": DW["size_scale"],
        "rare_fraction": DW["rare_pct"] / 100,
        "seed": 0,
    }
    detector = {
        "representation": "features",
        "features": tuple(ANOMALY_FEATURES),
        "method": "isolation_forest",
        "n_components": 1,
        "fit_share": 0.1,
    }
    return data, detector, {"rule": "share", "share": DW["share_pct"] / 100, "score": None}


def timed(label: str, fn, what: str = "cached entry"):
    """Run ``fn`` once, print its wall time [ms] and the pickled size of its result [kB]."""
    start = time.perf_counter()
    result = fn()
    ms = 1000 * (time.perf_counter() - start)
    size = len(pickle.dumps(result)) / 1e3
    print(f"{label:48s} {ms:8.0f} ms   {what} {size:8.1f} kB")
    return result, ms


def page_results(detection, data, detector, rule):
    """Everything the page computes from the scores (no caching): flags, tables, notes."""
    truth, score = detection.truth, detection.score
    threshold = tables.threshold_value(score, rule)
    flagged = score > threshold
    summary = tables.summary(truth, score, flagged)
    table = tables.type_table(truth, score, threshold, detection.peak_in_region)
    hist, log = tables.histogram_frame(tables.groups(truth), score)
    notes.notes(data, detector, rule, summary, table)
    exercise.exercise(data, detector, table, summary)
    shown = tables.pick_shown(truth, score, flagged, widgets.INSPECT[0])
    background = tables.pick_background(truth, flagged, data["seed"])
    return threshold, flagged, hist, log, shown, background


def build_charts(detection, threshold, flagged, hist, log, curves, shown, data):
    """The page's three charts, built and serialised."""
    group, outcome = tables.groups(detection.truth), tables.outcomes(detection.truth, flagged)
    ids = list(shown)
    info = pd.DataFrame(
        {"curve": ids, "group": group[ids], "size": "", "score": detection.score[ids],
         "outcome": outcome[ids]}
    )  # fmt: skip
    layout = tables.grid_layout(detection.n, data["seed"])
    cells = layout.assign(outcome=outcome, group=group, size="", score=detection.score)
    built = [
        charts.score_histogram(hist, log, threshold),
        charts.flagged_curves_chart(curves, info, "P-h"),
        charts.campaign_map(cells, layout["column"].max(), layout["row"].max()),
    ]
    with alt.data_transformers.disable_max_rows():  # Streamlit ships the data itself
        return [chart.to_dict() for chart in built]


def main(n: int, every: bool) -> None:
    data, detector, rule = default_settings(n)
    print(f"Find bad curves, {n} curves, default settings; cold caches")
    _, t_sim = timed("campaign (simulate; not cached)", lambda: cached.campaign(data), "")
    detection, t_det = timed("detect (simulate, features, fit, score)", lambda: (
        cached.detect(data, detector)
    ))  # fmt: skip
    page_results(detection, data, detector, {**rule, "share": 0.2})  # warm imports (sklearn)
    (threshold, flagged, hist, log, shown, background), t_res = timed(
        "results (flags, table, histogram, notes)",
        lambda: page_results(detection, data, detector, rule),
        "not cached",
    )
    (curves, _), t_insp = timed("inspect_frames (8 curves + 40 background)", lambda: (
        cached.inspect_frames(data, detector, shown, background)
    ))  # fmt: skip
    _, t_ch = timed("charts (3, to_dict)", lambda: (
        build_charts(detection, threshold, flagged, hist, log, curves, shown, data)
    ), "specs")  # fmt: skip
    print(
        f"first visit ~ {t_det + t_res + t_insp + t_ch:.0f} ms; threshold move ~ "
        f"{t_res + t_insp + t_ch:.0f} ms (inspect_frames re-simulates {t_sim:.0f} ms when "
        "the flagged curves change)"
    )
    if every:
        print("detect, cold, per detector and representation:")
        for representation in ("features", "curve", "curve_rate"):
            for method in METHODS:
                other = {
                    **detector,
                    "representation": representation,
                    "features": detector["features"] if representation == "features" else (),
                    "method": method,
                }
                cached.detect.clear()
                timed(f"  {representation:10s} {method}", lambda o=other: (
                    cached.detect(data, o)
                ))  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DW["n"], help="curves in the campaign")
    parser.add_argument("--all", action="store_true", help="time every detector too")
    args = parser.parse_args()
    main(args.n, args.all)
