"""The learner's log of leakage measured over independent maps, against the tip-wear rate.

Every measurement of "The same measurement on independent maps" is kept in the session,
grouped by everything but the wear rate, so that measuring at a few rates draws the trend
the learner is exploring (the blocks and buffer are left out of the grouping: they follow
each map's variogram; the per-day split does not use them). Pure functions on plain dicts:
the log lives in ``st.session_state``.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pandas as pd

from learners.supervised.leakage import INTERVAL_SE
from simulator.instrument import as_session

from .leakage_tables import split_name


def split_request(request: dict) -> tuple[str, float]:
    """(key of every setting but the wear rate, the wear rate [nm per 100 indents]) of a
    :func:`ui.supervised.cached_leakage.over_maps_request`."""
    data = dict(request["data"])
    options = dict(data["options"])
    session = asdict(as_session(options.get("session")))
    wear = float(session.pop("tip_wear_nm_per_100"))
    options["session"] = session
    data["options"] = options
    data.pop("blocks", None)
    key = json.dumps({"data": data, "model": request["model"]}, sort_keys=True, default=str)
    return key, wear


def record(log: dict, request: dict, summary: pd.DataFrame) -> dict:
    """A new log with this measurement (a :func:`learners.supervised.leakage_maps.
    summarise_over_maps` table) at its wear rate; an earlier one at the same rate and
    settings is replaced."""
    key, wear = split_request(request)
    rows = [
        {
            "split": str(r["split"]),
            "leakage": float(r["leakage"]),
            "half": float(INTERVAL_SE * r["leakage_se"]),
            "n_maps": int(r["n_maps"]),
        }
        for _, r in summary.iterrows()
    ]
    by_rate = {**log.get(key, {}), repr(wear): rows}
    return {**log, key: by_rate}


def log_frame(log: dict, request: dict) -> pd.DataFrame:
    """The measurements at the settings of ``request`` (any wear rate), one row per rate and
    split: wear (nm per 100 indents), split (named), leakage, low, high, n_maps; sorted by
    wear."""
    key, _ = split_request(request)
    rows = [
        {"wear": float(rate), **row}
        for rate, entries in log.get(key, {}).items()
        for row in entries
    ]
    columns = ["wear", "split", "leakage", "low", "high", "n_maps"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    frame["split"] = split_name(frame["split"])
    frame["low"] = frame["leakage"] - frame["half"]
    frame["high"] = frame["leakage"] + frame["half"]
    return frame.sort_values(["wear", "split"], ignore_index=True)[columns]


__all__ = ["log_frame", "record", "split_request"]
