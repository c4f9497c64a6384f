"""Pure functions of the "Find bad curves" page: threshold, flags, tables, notes, exercise.

Nothing here draws or caches: the page calls these on a :class:`ui.anomalies.cached.Detection`
and shows the result, and the tests call them directly. ``truth`` is the per-curve truth
table of a Detection (``defect`` "none" for good and rare curves, ``defect_size``, ``rare``).
"Good curves" below are the curves with no defect that are not rare; rare but physical
curves are counted on their own (they are not defects, but detectors flag them).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from learners.supervised.uncertainty import (
    Scored,
    average_precision,
    bootstrap_ci,
    roc_auc,
    wilson_interval,
)
from learners.unsupervised.anomaly import detection_report
from ui.anomalies.widgets import DEFECT_NAMES, FEATURE_LABELS

GOOD = "good"
RARE_NAMES = {"popin": "rare: pop-in in a clean grain", "inclusion": "rare: hard inclusion"}
#: Truth groups in the order charts and tables list them.
GROUP_ORDER = (GOOD, *DEFECT_NAMES.values(), *RARE_NAMES.values())
#: Unit of each defect type's size (see simulator.datasets.DEFECT_TYPES).
SIZE_UNITS = {
    "popin": "mN (pop-in load)",
    "drift": "nm/s",
    "surface_offset": "nm",
    "elbow": "nm",
    "crack": "nm",
    "pore": "pore fraction (-)",
}
#: What each curve becomes once the threshold is set: truth x flag.
OUTCOMES = (
    "defect, caught",
    "defect, missed",
    "good, flagged (false alarm)",
    "good, kept",
    "rare physical, flagged",
    "rare physical, kept",
)


def groups(truth: pd.DataFrame) -> np.ndarray:
    """Truth group per curve: "good", the defect's name, or the rare kind's name."""
    label = truth["defect"].map(DEFECT_NAMES).fillna(GOOD)
    rare = truth["rare"].map(RARE_NAMES)
    return np.where(rare.notna(), rare, label).astype(object)


def threshold_value(score: np.ndarray, rule: dict) -> float:
    """The score above which curves are flagged: the (1 - share) quantile of the scores
    (as :meth:`learners.unsupervised.anomaly.Detector.threshold`), or the learner's score."""
    if rule["rule"] == "share":
        return float(np.quantile(np.asarray(score, dtype=float), 1 - rule["share"]))
    return float(rule["score"])


def masks(truth: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean masks ``defect``, ``good`` (not rare) and ``rare`` over the curves."""
    defect = (truth["defect"] != "none").to_numpy()
    rare = (truth["rare"] != "").to_numpy()
    return {"defect": defect, "good": ~defect & ~rare, "rare": rare}


def outcomes(truth: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
    """Outcome per curve (one of :data:`OUTCOMES`)."""
    m = masks(truth)
    kind = np.select([m["defect"], m["rare"]], ["defect", "rare physical"], "good")
    out = np.empty(len(truth), dtype=object)
    for k, caught, kept in (
        ("defect", OUTCOMES[0], OUTCOMES[1]),
        ("good", OUTCOMES[2], OUTCOMES[3]),
        ("rare physical", OUTCOMES[4], OUTCOMES[5]),
    ):
        out[(kind == k) & flagged] = caught
        out[(kind == k) & ~flagged] = kept
    return out


def summary(truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray) -> dict:
    """Counts and rates of the flags against the truth.

    Keys: ``n``, ``n_flagged``, ``n_defect``, ``caught``, ``recall`` [-], ``n_good``,
    ``false_alarms``, ``false_alarm_rate`` [-] (of the good curves), ``n_rare``,
    ``rare_flagged``, ``precision`` [-] (defects among the flagged), ``roc_auc`` (all defects
    against good and rare curves; NaN without defects). Rates without a denominator are NaN.
    """
    m = masks(truth)

    def rate(a: int, b: int) -> float:
        return a / b if b else math.nan

    n_defect, n_good, n_rare = int(m["defect"].sum()), int(m["good"].sum()), int(m["rare"].sum())
    caught = int((flagged & m["defect"]).sum())
    false_alarms = int((flagged & m["good"]).sum())
    rare_flagged = int((flagged & m["rare"]).sum())
    auc = math.nan
    if 0 < n_defect < len(truth):
        auc = float(roc_auc_score(m["defect"], score))
    return {
        "n": len(truth),
        "n_flagged": int(flagged.sum()),
        "n_defect": n_defect,
        "caught": caught,
        "recall": rate(caught, n_defect),
        "n_good": n_good,
        "false_alarms": false_alarms,
        "false_alarm_rate": rate(false_alarms, n_good),
        "n_rare": n_rare,
        "rare_flagged": rare_flagged,
        "precision": rate(caught, int(flagged.sum())),
        "roc_auc": auc,
    }


def scored(truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray) -> dict[str, Scored]:
    """The page's rates with their 95 % intervals, each beside a baseline that knows nothing:
    a detector that flags the same number of curves at random.

    Keys: ``recall`` and ``precision`` (Wilson; baselines: the share flagged, and the share
    of defective curves), ``false_alarm_rate`` (Wilson; lower is better; baseline: the
    share flagged) and ``roc_auc`` (bootstrap over the curves; baseline 0.5).
    """
    m = masks(truth)
    defect, good = m["defect"], m["good"]
    n, n_flagged = len(truth), int(flagged.sum())
    caught, alarms = int((flagged & defect).sum()), int((flagged & good).sum())
    share = n_flagged / n if n else math.nan

    def wilson(k: int, total: int, baseline: float, higher: bool = True) -> Scored:
        low, high = wilson_interval(k, total)
        value = k / total if total else math.nan
        return Scored(value, low, high, baseline, higher_is_better=higher)

    out = {
        "recall": wilson(caught, int(defect.sum()), share),
        "precision": wilson(caught, n_flagged, float(defect.mean()) if n else math.nan),
        "false_alarm_rate": wilson(alarms, int(good.sum()), share, higher=False),
    }
    is_defect = np.asarray(defect, dtype=bool)
    if 0 < is_defect.sum() < n:
        auc = float(roc_auc_score(is_defect, score))
        low, high = bootstrap_ci(roc_auc, is_defect, np.asarray(score, dtype=float))
        out["roc_auc"] = Scored(auc, low, high, 0.5)
    else:
        out["roc_auc"] = Scored(math.nan, math.nan, math.nan, 0.5)
    return out


def type_table(
    truth: pd.DataFrame,
    score: np.ndarray,
    threshold: float,
    peak_in_region: np.ndarray | None = None,
) -> pd.DataFrame:
    """Caught and missed curves by defect type, with the scores of
    :func:`learners.unsupervised.anomaly.detection_report` (each type against the good and rare
    curves).

    Columns: defect (truth), curves, caught, missed, recall (%), ROC-AUC, average precision,
    each followed by its 95 % interval (Wilson for recall; bootstrap over the type's and the
    non-defective curves for the others) and the baseline's value (flag the same number of
    curves at random: recall the share flagged, ROC-AUC 0.5, average precision the type's
    share of the curves compared), median |size| of the caught and of the missed curves with
    the size unit, and (PCA on a curve representation) the share of curves whose residual
    peaks inside the truth's region. Raises ValueError without defective curves.
    """
    score = np.asarray(score, dtype=float)
    report = detection_report(score, truth["defect"], threshold=threshold).set_index("defect")
    flagged = score > threshold
    non_defect = (truth["defect"] == "none").to_numpy()
    size = truth["defect_size"].abs().to_numpy()
    rows = []
    order = [k for k in ("all", *DEFECT_NAMES) if k in report.index]
    for kind in order + [k for k in report.index if k not in order]:
        bad = (truth["defect"] != "none").to_numpy() if kind == "all" else (
            truth["defect"] == kind
        ).to_numpy()  # fmt: skip
        caught, missed = bad & flagged, bad & ~flagged
        row = {
            "defect (truth)": "all defects" if kind == "all" else DEFECT_NAMES.get(kind, kind),
            "curves": int(bad.sum()),
            "caught": int(caught.sum()),
            "missed": int(missed.sum()),
            **_type_scores(bad, flagged, score, non_defect, report.loc[kind]),
            "size caught (median)": np.median(size[caught]) if kind != "all" and caught.any()
            else math.nan,
            "size missed (median)": np.median(size[missed]) if kind != "all" and missed.any()
            else math.nan,
            "size unit": "" if kind == "all" else SIZE_UNITS.get(kind, ""),
        }  # fmt: skip
        if peak_in_region is not None:
            row["residual peak in truth (%)"] = 100 * float(np.mean(peak_in_region[bad]))
        rows.append(row)
    return pd.DataFrame(rows)


def _range(low: float, high: float, scale: float = 1.0, digits: int = 2) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    return f"{scale * low:.{digits}f}–{scale * high:.{digits}f}"


def _type_scores(
    bad: np.ndarray, flagged: np.ndarray, score: np.ndarray, non_defect: np.ndarray, row
) -> dict:
    """Recall, ROC-AUC and average precision of one defect type (``row`` of
    :func:`detection_report`), each with its 95 % interval and the random-flag baseline."""
    compared = bad | non_defect
    is_bad, s = bad[compared], score[compared]
    auc_low, auc_high = bootstrap_ci(roc_auc, is_bad, s)
    ap_low, ap_high = bootstrap_ci(average_precision, is_bad, s)
    return {
        "recall (%)": 100 * row["recall"],
        "recall 95 % interval (%)": _range(
            *wilson_interval(int((bad & flagged).sum()), int(bad.sum())), 100, 0
        ),
        "baseline recall (%)": 100 * float(flagged.mean()),
        "ROC-AUC": row["roc_auc"],
        "ROC-AUC 95 % interval": _range(auc_low, auc_high),
        "baseline ROC-AUC": 0.5,
        "avg. precision": row["average_precision"],
        "avg. precision 95 % interval": _range(ap_low, ap_high),
        "baseline avg. precision": float(is_bad.mean()) if is_bad.size else math.nan,
    }


def histogram_frame(
    group: np.ndarray, score: np.ndarray, bins: int = 40
) -> tuple[pd.DataFrame, bool]:
    """Counts of curves per truth group and score bin, and whether the score axis is log.

    The axis is logarithmic when every score is positive and the largest is more than 30
    times the median (robust z, PCA error, Elliptic Envelope, LOF: a few anomalies score
    orders of magnitude above the rest). Returns columns ``group``, ``lo``, ``hi`` (bin
    edges) and ``count``, empty bins left out.
    """
    s = np.asarray(score, dtype=float)
    lo, hi = float(np.min(s)), float(np.max(s))
    log = lo > 0 and hi > 30 * float(np.median(s))
    if hi <= lo:
        hi = lo + 1e-9 if not log else lo * 1.001
    edges = np.geomspace(lo, hi, bins + 1) if log else np.linspace(lo, hi, bins + 1)
    index = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, bins - 1)
    frame = (
        pd.DataFrame({"group": group, "bin": index})
        .groupby(["group", "bin"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    frame["lo"], frame["hi"] = edges[frame["bin"]], edges[frame["bin"] + 1]
    return frame[["group", "lo", "hi", "count"]], log


def pick_shown(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, inspect: str, k: int = 8
) -> tuple[int, ...]:
    """Up to ``k`` curves to draw in colour, by the view's choice (see
    :data:`ui.anomalies.widgets.INSPECT`): flagged by highest score, missed defects by largest
    true |size|, false alarms by highest score, rare curves by highest score."""
    m = masks(truth)
    score = np.asarray(score, dtype=float)
    if inspect.startswith("missed"):
        ids = np.flatnonzero(m["defect"] & ~flagged)
        order = np.argsort(-truth["defect_size"].abs().to_numpy()[ids], kind="stable")
        return tuple(int(i) for i in ids[order][:k])
    pick = {"flagged": flagged, "false": m["good"] & flagged, "rare": m["rare"]}
    ids = np.flatnonzero(pick[inspect.split()[0]])
    return tuple(int(i) for i in ids[np.argsort(-score[ids], kind="stable")][:k])


def pick_background(
    truth: pd.DataFrame, flagged: np.ndarray, seed: int, k: int = 40
) -> tuple[int, ...]:
    """Up to ``k`` good, unflagged curves (a seeded random choice) to draw in grey."""
    ids = np.flatnonzero(masks(truth)["good"] & ~flagged)
    rng = np.random.default_rng([seed, 1])
    return tuple(int(i) for i in np.sort(rng.choice(ids, size=min(k, ids.size), replace=False)))


def grid_layout(n: int, seed: int) -> pd.DataFrame:
    """A map of the campaign: the n curves laid out on a near-square grid in a seeded random
    order (the simulated campaign has no positions; a random order keeps its defect types,
    which the simulator lists in blocks, from forming stripes). Columns ``curve``,
    ``column``, ``row`` (grid indices, from 1)."""
    nx = math.ceil(math.sqrt(n))
    place = np.random.default_rng([seed, 2]).permutation(n)
    return pd.DataFrame({"curve": np.arange(n), "column": place % nx + 1, "row": place // nx + 1})


def size_texts(truth: pd.DataFrame) -> list[str]:
    """Each curve's true defect size as text ("0.31 mN (pop-in load)"; "" if no defect)."""
    return [
        f"{size:.3g} {SIZE_UNITS[kind]}" if kind in SIZE_UNITS else ""
        for size, kind in zip(truth["defect_size"], truth["defect"], strict=True)
    ]


def curve_info(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, ids: tuple[int, ...]
) -> pd.DataFrame:
    """One row per drawn curve: ``curve``, ``group``, ``size`` (text), ``score``,
    ``outcome`` and ``panel`` (the title of its small-multiple panel)."""
    rows = list(ids)
    info = pd.DataFrame(
        {
            "curve": rows,
            "group": groups(truth)[rows],
            "size": np.asarray(size_texts(truth), dtype=object)[rows],
            "score": np.asarray(score, dtype=float)[rows],
            "outcome": outcomes(truth, flagged)[rows],
        }
    )
    info["panel"] = [
        f"#{i} {g}, score {s:.3g}"
        for i, g, s in zip(info["curve"], info["group"], info["score"], strict=True)
    ]
    return info


def map_cells(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, seed: int
) -> pd.DataFrame:
    """The campaign map's cells: :func:`grid_layout` with each curve's ``outcome``,
    ``group``, ``size`` (text) and ``score``."""
    return grid_layout(len(truth), seed).assign(
        outcome=outcomes(truth, flagged),
        group=groups(truth),
        size=size_texts(truth),
        score=np.asarray(score, dtype=float),
    )


def feature_label(name: str) -> str:
    """A detector input's label with its unit (feature), or the name itself."""
    return FEATURE_LABELS.get(name, name)


#: A found pop-in matches a true one on the same curve when their onset loads differ by at
#: most this fraction of the true load, or by POPIN_LOAD_STEP_MN (about one data point of
#: the campaign's loading, whose load steps set how finely an onset can be placed).
POPIN_LOAD_TOLERANCE = 0.05
POPIN_LOAD_STEP_MN = 0.03
#: Rows of the pop-in table shown on the page.
POPIN_ROWS_SHOWN = 10


def popin_check(found: pd.DataFrame, truth: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """The pop-ins found (``learners.find_popins``) against the simulator's true ones.

    Returns counts (``true``, ``found``, ``matched``, ``missed``, ``extra``, of those
    ``extra_on_defects`` on curves whose truth is another defect; ``missed_loads_mN`` the
    true onsets missed) and a small
    table, one row per curve with a true or a found pop-in: the curve's truth group, the
    true and found onset loads (mN) and sizes (nm), and the verdict.
    """
    true_loads: dict[int, list[tuple[float, float]]] = {}
    for k in (1, 2, 3):
        load, size = truth.get(f"popin{k}_load_mN"), truth.get(f"popin{k}_size_nm")
        if load is None:
            continue
        for i in np.flatnonzero(np.isfinite(load.to_numpy(float))):
            true_loads.setdefault(int(i), []).append((float(load.iloc[i]), float(size.iloc[i])))
    found_by = {int(c): g for c, g in found.groupby("curve")}
    rows, matched, on_defects, missed_loads = [], 0, 0, []
    for curve in sorted(set(true_loads) | set(found_by)):
        true = true_loads.get(curve, [])
        got = found_by.get(curve)
        loads = [] if got is None else got["load_mN"].tolist()
        caught = [
            any(abs(f - t) <= max(POPIN_LOAD_TOLERANCE * t, POPIN_LOAD_STEP_MN) for f in loads)
            for t, _ in true
        ]
        hits = sum(caught)
        missed_loads += [t for (t, _), c in zip(true, caught, strict=True) if not c]
        matched += hits
        if not true and str(truth["defect"].iloc[curve]) not in ("none", ""):
            on_defects += len(loads)  # a burst on a curve with another defect
        if true and hits == len(true) and len(loads) == len(true):
            verdict = "found"
        elif true and hits < len(true):
            verdict = "missed" if not hits else "partly found"
        else:
            verdict = "found where the truth has none"
        group = truth["defect"].iloc[curve]
        rare = truth["rare"].iloc[curve]
        rows.append(
            {
                "curve": curve,
                "truth": f"rare: {rare}" if rare else str(group),
                "true onset (mN)": ", ".join(f"{t:.3g}" for t, _ in true) or "–",
                "found onset (mN)": ", ".join(f"{f:.3g}" for f in loads) or "–",
                "true size (nm)": ", ".join(f"{s:.3g}" for _, s in true) or "–",
                "found size (nm)": ", ".join(f"{s:.3g}" for s in got["size_nm"])
                if got is not None
                else "–",
                "verdict": verdict,
            }
        )
    n_true = sum(len(v) for v in true_loads.values())
    counts = {
        "true": n_true,
        "found": len(found),
        "matched": matched,
        "missed": n_true - matched,
        "extra": max(len(found) - matched, 0),
        "extra_on_defects": on_defects,
        "missed_loads_mN": sorted(missed_loads),
    }
    return counts, pd.DataFrame(rows)
