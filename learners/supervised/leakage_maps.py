"""Leakage over independent maps, and its trend with an instrument rate.

One map gives few blocked folds (a three-day map has three per-day folds), so the corrected
interval of one map's leakage is often wider than the leakage itself. The same measurement
on independent maps (new microstructure, new noise, same settings) gives a valid interval
from the spread of the per-map values, se = sd / sqrt(M), as Nadeau & Bengio (2003) [1]
recommend when the data can be drawn again. A trend with an ordered setting (a tip-wear
rate) is tested with Page's L test [2], maps as blocks: a monotone rise, not only a
difference between two rates.

References
----------
.. [1] C. Nadeau, Y. Bengio, "Inference for the generalization error", Mach. Learn. 52 (2003)
   239-281. doi:10.1023/A:1024068626366
.. [2] E. B. Page, "Ordered hypotheses for multiple treatments: a significance test for
   linear ranks", J. Am. Stat. Assoc. 58 (1963) 216-230. doi:10.1080/01621459.1963.10500843
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from .leakage import INTERVAL_SE, leakage_verdict, measure_leakage

#: Columns of the per-map table that are averaged over maps.
MEAN_COLUMNS = ("random", "blocked", "gap", "null_gap", "leakage")


def measure_over_maps(
    pipeline,
    make_map: Callable[[int], object],
    seeds: Iterable[int],
    *,
    blocked: Sequence[str] = ("buffered",),
    **options,
) -> pd.DataFrame:
    """:func:`learners.supervised.leakage.measure_leakage` on the map of each seed.

    ``make_map(seed)`` returns an indent map (same settings, new seed); ``options`` go to
    ``measure_leakage`` (its ``seed`` is the map's). Returns its summary rows, one per
    (map, blocked split), with the columns ``map_seed``, ``baseline`` and ``n_indents``
    added.
    """
    rows = []
    for seed in seeds:
        made = make_map(int(seed))
        measured = measure_leakage(pipeline, made, blocked=blocked, seed=int(seed), **options)
        rows.append(
            measured.summary.assign(
                map_seed=int(seed), baseline=measured.baseline, n_indents=len(made.truth)
            )
        )
    if not rows:
        raise ValueError("measure_over_maps needs at least one seed.")
    return pd.concat(rows, ignore_index=True)


def summarise_over_maps(per_map: pd.DataFrame) -> pd.DataFrame:
    """Mean of each score over maps with its se (sd over maps / sqrt(M)), per split.

    Returns one row per split: split, n_maps, baseline, and for random, blocked, gap,
    null_gap, leakage the mean and ``<name>_se``; ``maps_leaking`` counts the maps whose own
    interval (± INTERVAL_SE of their corrected se) lies above 0. se is NaN for one map, and
    at least 1.5 / (indents over all maps) when ``n_indents`` is given: maps that all agree
    still leave that much doubt (the rule of three, as for one map's folds).
    """
    out = []
    for split, t in per_map.groupby("split", sort=False):
        m = len(t)
        row = {"split": split, "n_maps": m, "baseline": float(t["baseline"].mean())}
        floor = 1.5 / t["n_indents"].sum() if "n_indents" in t else 0.0
        for name in MEAN_COLUMNS:
            values = t[name].to_numpy(dtype=float)
            row[name] = float(values.mean())
            spread = values.std(ddof=1) / np.sqrt(m) if m > 1 else np.nan
            row[f"{name}_se"] = float(max(spread, floor)) if m > 1 else np.nan
        own = t["leakage"] - INTERVAL_SE * t["leakage_se"]
        row["maps_leaking"] = int((own > 0).sum())
        out.append(row)
    return pd.DataFrame(out)


def over_maps_verdict(row: pd.Series) -> str:
    """ "leak" (interval above 0), "none" (0 inside it), "below" or "uncertain" (one map)."""
    if not np.isfinite(row["leakage_se"]):
        return "uncertain"
    return leakage_verdict(row["leakage"], row["leakage_se"])


def rate_trend_p(leakage: np.ndarray) -> float:
    """One-sided p-value of Page's L test that leakage rises with the rate.

    ``leakage`` has one row per map and one column per rate, rates in increasing order;
    at least 2 maps and 3 rates.
    """
    from scipy.stats import page_trend_test

    values = np.asarray(leakage, dtype=float)
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 3:
        raise ValueError(
            f"rate_trend_p needs a maps x rates table with >= 2 maps and >= 3 rates. "
            f"Got shape {values.shape}."
        )
    return float(page_trend_test(values).pvalue)


__all__ = [
    "measure_over_maps",
    "over_maps_verdict",
    "rate_trend_p",
    "summarise_over_maps",
]
