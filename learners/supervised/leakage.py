"""Leakage measured against a null, with an uncertainty valid for repeated cross-validation.

The gap between random k-fold and a blocked split (spatial blocks with a buffer, one day
or one tip state left out) is not leakage by itself: blocked folds also train on fewer
curves and meet class mixtures that differ from fold to fold. The **null** is the same map
with its curves shuffled among the indents of the same class (:func:`within_class_shuffle`):
it keeps where each class is and how many curves it has, and removes anything that
neighbouring curves share beyond their label. Only the gap beyond the null's gap is called
leakage.

Uncertainty: fold scores of (repeated) k-fold are correlated (their training sets overlap),
so their spread over sqrt(J) underestimates the standard error. The corrected resampled
variance of Nadeau & Bengio (2003) [1], var = (1/J + n_test/n_train) S^2 over the J fold
scores, accounts for it (Bouckaert & Frank 2004 [2] for repeated k-fold). The gap is paired
indent by indent (both splits predict every indent once), so what the two splits share
through the map cancels in each fold's gap. Two guards: a floor of 1.5 / n on every se (the
rule of three: folds that all agree still leave doubt) and, for leakage, at least the
scatter of the null's gap from one shuffle to the next (few folds give a poor S).

References
----------
.. [1] C. Nadeau, Y. Bengio, "Inference for the generalization error", Mach. Learn. 52 (2003)
   239-281. doi:10.1023/A:1024068626366
.. [2] R. R. Bouckaert, E. Frank, "Evaluating the replicability of significance tests for
   comparing learning algorithms", PAKDD 2004, LNCS 3056, 3-12.
.. [3] D. R. Roberts et al., Ecography 40 (2017) 913. doi:10.1111/ecog.02881
.. [4] J. A. Hanley, A. Lippman-Hand, "If nothing goes wrong, is everything all right?",
   JAMA 249 (1983) 1743 (the rule of three).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from .evaluation import evaluate
from .representations import CurveFeatures, ResampledCurve, curve_matrix
from .splits import INSTRUMENT_GROUPS, make_split

#: Truth columns that belong to the indent's place and time, not to its curve: they stay
#: where they are when the curves are shuffled.
PLACE_COLUMNS = (
    "ix",
    "iy",
    "x_um",
    "y_um",
    "x_true_um",
    "y_true_um",
    "block",
    "day",
    "time_s",
    "session_s",
    "tip_state",
)
#: Coverage of the reported interval: estimate ± INTERVAL_SE standard errors.
INTERVAL_SE = 2.0


def leakage_verdict(leakage: float, se: float) -> str:
    """ "leak" when the interval (± INTERVAL_SE se) lies above 0, "below" when it lies below,
    else "none"."""
    half = INTERVAL_SE * se
    return "leak" if leakage > half else "below" if -leakage > half else "none"


def within_class_shuffle(dataset, seed: int | None = 0):
    """The null map: curves shuffled among the indents of the same class.

    Each indent keeps its place, time, day, block and label; it receives the curve (and the
    curve's own truth) of a random indent of the same class. Whatever neighbouring curves
    shared beyond their label (grain, tip state, drift) no longer sits next to each other.
    """
    take = within_class_order(dataset.y, seed)
    curves = dataset.curves
    moved = dataclasses.replace(
        curves,
        t_s=np.asarray(curves.t_s)[take] if np.ndim(curves.t_s) == 2 else curves.t_s,
        h_nm=curves.h_nm[take],
        P_mN=curves.P_mN[take],
        segment=curves.segment[take],
        truth=curves.truth.iloc[take].reset_index(drop=True),
        defect_points={k: v[take] for k, v in curves.defect_points.items()},
    )
    truth = dataset.truth.iloc[take].reset_index(drop=True)
    for column in PLACE_COLUMNS:
        if column in dataset.truth:
            truth[column] = dataset.truth[column].to_numpy()
    return dataclasses.replace(dataset, curves=moved, truth=truth, test=None, extra={})


def within_class_order(y, seed: int | None = 0) -> np.ndarray:
    """Row ``take[i]`` is the curve indent ``i`` receives in the within-class shuffle."""
    y = np.asarray(y).astype(str)
    rng = np.random.default_rng(seed)
    take = np.arange(y.size)
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        take[rows] = rng.permutation(rows)
    return take


def corrected_se(
    scores: np.ndarray, n_train: np.ndarray, n_test: np.ndarray, *, floor: float = 0.0
) -> float:
    """Standard error of a mean of J fold scores by Nadeau & Bengio's corrected resampled
    variance, sqrt((1/J + n_test/n_train) S^2) [1], at least ``floor``; NaN for fewer than
    2 folds."""
    s = np.asarray(scores, dtype=float)
    if s.size < 2:
        return float("nan")
    ratio = float(np.mean(np.asarray(n_test, float) / np.asarray(n_train, float)))
    return float(max(np.sqrt((1.0 / s.size + ratio) * s.var(ddof=1)), floor))


def repeated_cv(
    pipeline,
    dataset,
    split: str,
    *,
    n_splits: int = 5,
    n_repeats: int = 1,
    seed: int = 0,
    X: np.ndarray | None = None,
    block_um: float = 20.0,
    buffer_um: float = 0.0,
) -> pd.DataFrame:
    """Fold scores of a split repeated with seeds seed, seed + 1, ...

    ``split`` is a kind of :func:`learners.supervised.splits.make_split` ("random" means
    shuffled k-fold). Leave-one-group-out splits (a day or a tip state per fold) are the same
    at every seed and run once.

    Returns
    -------
    DataFrame: repeat, fold, score, n_train, n_test.
    """
    kind = "kfold" if split == "random" else split
    repeats = n_repeats
    if kind in INSTRUMENT_GROUPS and dataset.truth[INSTRUMENT_GROUPS[kind]].nunique() <= n_splits:
        repeats = 1
    rows = []
    for r in range(int(repeats)):
        the_split = make_split(
            dataset, kind, n_splits=n_splits, seed=seed + r, block_um=block_um, buffer_um=buffer_um
        )
        scores = evaluate(pipeline, dataset, the_split, X=X).fold_scores
        rows.append(scores[["fold", "score", "n_train", "n_test"]].assign(repeat=r))
    return pd.concat(rows, ignore_index=True)[["repeat", "fold", "score", "n_train", "n_test"]]


@dataclass
class LeakageMeasurement:
    """Random k-fold against blocked splits, on the map and on its within-class null.

    Attributes
    ----------
    table : DataFrame, one row per fold of a blocked split
        data ("map" or "null"), split ("buffered", "spatial", "day", "tip"), repeat, fold,
        n_train, n_test, random (accuracy of random k-fold on this fold's test indents),
        blocked (accuracy of the blocked split on them), gap (random - blocked).
    summary : DataFrame, one row per blocked split
        split, random, random_se, blocked, blocked_se (mean scores on the map with their
        corrected se), gap, gap_se, null_gap, null_se, leakage (gap - null_gap), leakage_se.
        The gap is paired: both splits predict every indent once, so each blocked fold's
        gap compares the two on the same indents, and the corrected resampled variance of
        these fold gaps is the gap's (Nadeau & Bengio 2003); leakage pairs each fold's map
        gap with the same fold's null gap. Interval: ± :data:`INTERVAL_SE` se.
    baseline : float
        Accuracy of always predicting the most frequent class.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    baseline: float

    def row(self, split: str) -> pd.Series:
        """The summary row of one blocked split."""
        return self.summary.set_index("split").loc[split]


def measure_leakage(
    pipeline,
    dataset,
    *,
    blocked: Sequence[str] = ("buffered",),
    n_splits: int = 5,
    n_repeats: int = 2,
    seed: int = 0,
    X: np.ndarray | None = None,
    block_um: float = 20.0,
    buffer_um: float = 0.0,
    null: bool = True,
) -> LeakageMeasurement:
    """Measure how much random k-fold flatters a model, beyond the within-class null.

    Parameters
    ----------
    pipeline : sklearn classifier
    dataset : simulator.Dataset
        An indent map (task "phase"); "day" and "tip" need the truth columns ``day`` and
        ``tip_state`` with 2 or more groups.
    blocked : sequence of {"buffered", "spatial", "day", "tip"}
        The splits compared with random k-fold.
    n_splits, n_repeats, seed : int
        Folds, repeats (seeds seed, seed + 1, ...), first seed.
    X : ndarray, optional
        Inputs instead of the curve matrix (e.g. stage positions); then ``null`` is usually
        False (a shuffle of the curves does not move positions).
    block_um, buffer_um : float
        Block side and buffer of "buffered" [um].
    null : bool
        Also measure the within-class null (one shuffle per repeat).

    Returns
    -------
    LeakageMeasurement
    """
    options = dict(block_um=block_um, buffer_um=buffer_um)
    pipeline, X = _stateless_inputs(pipeline, dataset, X)
    rows = []
    for r in range(int(n_repeats)):
        maps = [("map", dataset, X)]
        if null:
            take = within_class_order(dataset.y, seed + r)
            shuffled = within_class_shuffle(dataset, seed + r)
            maps.append(("null", shuffled, None if X is None else X[take]))
        for name, made, inputs in maps:
            split = make_split(made, "kfold", n_splits=n_splits, seed=seed + r)
            random_hit = _hits(pipeline, made, split, inputs)
            for kind in blocked:
                if r > 0 and kind in INSTRUMENT_GROUPS and name == "map":
                    continue  # the same map and the same leave-one-group-out folds
                split = make_split(made, kind, n_splits=n_splits, seed=seed + r, **options)
                hit = _hits(pipeline, made, split, inputs)
                for k, (train, test) in enumerate(zip(split.train, split.test, strict=True)):
                    if kind in INSTRUMENT_GROUPS:  # name the fold by the group it leaves out
                        k = int(np.min(split.groups[test]))
                    rows.append(
                        {
                            "data": name,
                            "split": kind,
                            "repeat": r,
                            "fold": k,
                            "n_train": train.size,
                            "n_test": test.size,
                            "random": random_hit[test].mean(),
                            "blocked": hit[test].mean(),
                        }
                    )
    table = pd.DataFrame(rows)
    table["gap"] = table["random"] - table["blocked"]
    y = np.asarray(dataset.y).astype(str)
    baseline = float(pd.Series(y).value_counts(normalize=True).iloc[0])
    return LeakageMeasurement(table, _summary(table, blocked, null), baseline)


def _stateless_inputs(pipeline, dataset, X):
    """Compute a stateless representation (curve features, resampled curve) once for all
    folds: the same fits, without recomputing the features of every curve in every fold."""
    step = getattr(pipeline, "named_steps", {}).get("representation")
    if X is not None or not isinstance(step, (CurveFeatures, ResampledCurve)):
        return pipeline, X
    return pipeline[1:], clone(step).fit_transform(curve_matrix(dataset))


def _hits(pipeline, dataset, split, X) -> np.ndarray:
    """1 where the out-of-fold prediction of each curve is right, 0 where wrong, NaN where
    the split never tests it. The folds of :func:`learners.supervised.evaluation.evaluate`
    (same clones, same fits), without its report: only the hits are needed here."""
    inputs = curve_matrix(dataset) if X is None else np.asarray(X)
    y = np.asarray(dataset.y)
    truth = y.astype(str)
    hit = np.full(len(dataset.truth), np.nan)
    with threadpool_limits(limits=1):
        for train, test in zip(split.train, split.test, strict=True):
            model = clone(pipeline).fit(inputs[train], y[train])
            hit[test] = np.asarray(model.predict(inputs[test])).astype(str) == truth[test]
    return hit


def _weighted(t: pd.DataFrame, column: str) -> float:
    return float(np.average(t[column], weights=t["n_test"]))


def _se(t: pd.DataFrame, column: str) -> float:
    # Rule of three (Hanley & Lippman-Hand 1983): folds that all agree (S = 0) still leave
    # up to 3 / n indents of doubt at 95 %, so the se is at least 1.5 / n.
    n = t.loc[t["repeat"] == t["repeat"].min(), "n_test"].sum()
    return corrected_se(t[column], t["n_train"], t["n_test"], floor=1.5 / max(n, 1))


def _run_spread(u: pd.DataFrame) -> float:
    """Sd of the null's gap from one shuffle to the next, times sqrt(1 + 1/R): how much one
    run's gap varies (the map's single run of a leave-one-group-out split included)."""
    runs = u.groupby("repeat").apply(lambda g: _weighted(g, "gap"), include_groups=False)
    if runs.size < 2:
        return 0.0
    return float(runs.std(ddof=1) * np.sqrt(1 + 1 / runs.size))


def _summary(table: pd.DataFrame, blocked, null: bool) -> pd.DataFrame:
    rows = []
    for kind in blocked:
        t = table[(table["data"] == "map") & (table["split"] == kind)]
        row = {
            "split": kind,
            "random": _weighted(t, "random"),
            "random_se": _se(t, "random"),
            "blocked": _weighted(t, "blocked"),
            "blocked_se": _se(t, "blocked"),
            "gap": _weighted(t, "gap"),
            "gap_se": _se(t, "gap"),
        }
        if null:
            u = table[(table["data"] == "null") & (table["split"] == kind)]
            row["null_gap"] = _weighted(u, "gap")
            row["null_se"] = _se(u, "gap")
            if t["repeat"].nunique() < u["repeat"].nunique():
                # leave-one-group-out runs once on the map: pair each fold (group) with the
                # mean of the null's runs of that fold
                u = u.groupby("fold", as_index=False)[["gap", "n_train", "n_test"]].mean()
                paired = t.merge(u, on="fold", suffixes=("", "_null"))
            else:
                paired = t.merge(u, on=["repeat", "fold"], suffixes=("", "_null"))
            paired = paired.assign(leak=paired["gap"] - paired["gap_null"])
            row["leakage"] = row["gap"] - row["null_gap"]
            # paired corrected se, but never below what the null's own runs scatter
            full = table[(table["data"] == "null") & (table["split"] == kind)]
            row["leakage_se"] = max(_se(paired, "leak"), _run_spread(full))
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = [
    "INTERVAL_SE",
    "LeakageMeasurement",
    "PLACE_COLUMNS",
    "corrected_se",
    "leakage_verdict",
    "measure_leakage",
    "repeated_cv",
    "within_class_order",
    "within_class_shuffle",
]
