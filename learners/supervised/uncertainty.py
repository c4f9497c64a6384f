"""How sure a score is, and what guessing scores: intervals and baselines for every page.

- :func:`wilson_interval`: the Wilson score interval of a proportion (an accuracy on n
  curves), better than ± 1.96 sqrt(p(1-p)/n) near 0 and 1 [1].
- :func:`mean_interval`: mean ± t se of a few repeated scores (folds, shuffles, seeds).
- :func:`bootstrap_ci`: percentile bootstrap of any statistic of paired arrays [2], for
  scores with no closed form (balanced accuracy, ROC AUC, R², a median error, ARI).
- :func:`baseline_predictions`: what the baselines of :mod:`learners.supervised.models`
  predict on every test fold of a split (the training folds' most frequent class, or their
  mean), so a model's score can be read beside guessing on the same split.
- :func:`per_class_scored`: recall and precision (Wilson) and F1 (bootstrap) of every class
  beside the baseline's; :func:`average_precision`, :func:`roc_auc`, :func:`balanced_accuracy`:
  fast scores to bootstrap.
- :class:`Scored` and :func:`beats`: a score with its interval and its baseline, and the
  rule every check applies first: the model's lower bound lies above the baseline's score.

References
----------
.. [1] E. B. Wilson, J. Am. Stat. Assoc. 22 (1927) 209. doi:10.1080/01621459.1927.10502953
.. [2] B. Efron, R. J. Tibshirani, An Introduction to the Bootstrap, Chapman & Hall (1993).
.. [3] L. D. Brown, T. T. Cai, A. DasGupta, Stat. Sci. 16 (2001) 101 (intervals for a
   binomial proportion). doi:10.1214/ss/1009213286
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

#: Two-sided confidence level of every interval [-].
LEVEL = 0.95
#: Bootstrap resamples (enough for a 95 % percentile interval to 0.01 on these sizes).
N_BOOT = 300


@dataclass(frozen=True)
class Scored:
    """A score with its interval and the baseline's score on the same curves.

    Attributes
    ----------
    value, low, high : float
        The score and its 95 % interval.
    baseline : float
        The baseline's score on the same split (NaN when none applies).
    higher_is_better : bool
        False for errors (MAE, median relative error).
    """

    value: float
    low: float
    high: float
    baseline: float = math.nan
    higher_is_better: bool = True

    @property
    def half_width(self) -> float:
        """Half the interval's width (the ± of a symmetric interval)."""
        return 0.5 * (self.high - self.low)

    @property
    def beats_baseline(self) -> bool:
        """Whether the whole interval is better than the baseline's score."""
        return beats(self.low, self.high, self.baseline, higher_is_better=self.higher_is_better)


def beats(low: float, high: float, baseline: float, *, higher_is_better: bool = True) -> bool:
    """The rule of every check: the model's interval lies wholly on the better side of the
    baseline's score (lower bound above it, or for an error the upper bound below it).

    A NaN anywhere gives False: a score that cannot be compared is not credited.
    """
    if not all(np.isfinite([low, high, baseline])):
        return False
    return bool(low > baseline) if higher_is_better else bool(high < baseline)


def wilson_interval(successes: float, n: int, *, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of a proportion ``successes / n``.

    Parameters
    ----------
    successes : float
        Number of successes (e.g. correct predictions), 0 <= successes <= n.
    n : int
        Number of trials (curves); 0 gives (NaN, NaN).
    level : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    (low, high) : tuple of float, within [0, 1].
    """
    if n <= 0:
        return math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"successes must lie in [0, n={n}]. Got {successes!r}.")
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: npt.ArrayLike, *, level: float = LEVEL) -> tuple[float, float, float]:
    """Mean of repeated scores and its t interval: (mean, low, high).

    The standard error is sd / sqrt(n) over the finite values; one value gives an interval
    of NaN (nothing to say how much it varies).
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(v.mean())
    if v.size < 2:
        return mean, math.nan, math.nan
    se = float(v.std(ddof=1)) / math.sqrt(v.size)
    t = float(stats.t.ppf(0.5 + level / 2, df=v.size - 1))
    return mean, mean - t * se, mean + t * se


def bootstrap_ci(
    statistic: Callable[..., float],
    *arrays: npt.ArrayLike,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(*arrays)``, resampling rows together.

    Parameters
    ----------
    statistic : callable
        Takes the arrays (resampled alike along axis 0) and returns a float; a resample on
        which it raises ValueError or returns NaN is skipped.
    *arrays : array_like, same length n
    n_boot : int, default 300
    level : float, default 0.95
    seed : int, default 0
        Random state of the resampling.

    Returns
    -------
    (low, high) : tuple of float; NaN when fewer than 20 resamples gave a number.
    """
    data = [np.asarray(a) for a in arrays]
    if not data:
        raise ValueError("bootstrap_ci needs at least one array.")
    n = len(data[0])
    if any(len(a) != n for a in data):
        raise ValueError(f"Every array must have the same length. Got {[len(a) for a in data]}.")
    if n < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    rows = [rng.integers(0, n, n) for _ in range(int(n_boot))]  # the resamples, in order
    batched = getattr(statistic, "batched", None)
    if batched is not None:  # one call over all resamples (see :func:`with_batched`)
        stacked = np.stack(rows) if rows else np.empty((0, n), dtype=int)
        all_values = np.asarray(batched(*(a[stacked] for a in data)), dtype=float)
        values = list(all_values[np.isfinite(all_values)])
    else:
        values = []
        for r in rows:
            try:
                value = float(statistic(*(a[r] for a in data)))
            except ValueError:
                continue
            if np.isfinite(value):
                values.append(value)
    if len(values) < 20:
        return math.nan, math.nan
    alpha = (1 - level) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return float(low), float(high)


def with_batched(batched: Callable[..., np.ndarray]) -> Callable:
    """Decorator: attach ``batched``, the same statistic over a leading axis of resamples
    (arrays of shape (n_boot, n) in, one value per resample out, NaN where undefined), so
    :func:`bootstrap_ci` computes every resample in one numpy call instead of a loop."""

    def attach(statistic: Callable[..., float]) -> Callable[..., float]:
        statistic.batched = batched
        return statistic

    return attach


@with_batched(lambda rel: np.median(np.abs(rel), axis=-1))
def median_abs(rel: np.ndarray) -> float:
    """Median of |rel| (e.g. the median |relative error|)."""
    return float(np.median(np.abs(rel)))


@with_batched(lambda diff: np.mean(np.abs(diff), axis=-1))
def mean_abs(diff: np.ndarray) -> float:
    """Mean of |diff| (the MAE of a difference)."""
    return float(np.mean(np.abs(diff)))


@with_batched(lambda diff: np.sqrt(np.mean(diff**2, axis=-1)))
def root_mean_square(diff: np.ndarray) -> float:
    """Root of the mean of diff² (the RMSE of a difference)."""
    return float(np.sqrt(np.mean(diff**2)))


def _r_squared_batched(true: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    total = np.sum((true - true.mean(axis=-1, keepdims=True)) ** 2, axis=-1)
    residual = np.sum((true - predicted) ** 2, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 1 - residual / total, np.nan)


@with_batched(_r_squared_batched)
def r_squared(true: np.ndarray, predicted: np.ndarray) -> float:
    """Coefficient of determination R² of ``predicted`` for ``true``; NaN for a constant
    ``true``."""
    total = float(np.sum((true - true.mean()) ** 2))
    return 1 - float(np.sum((true - predicted) ** 2)) / total if total > 0 else math.nan


@with_batched(lambda true, predicted: np.median(np.abs(predicted / true - 1), axis=-1))
def median_abs_relative(true: np.ndarray, predicted: np.ndarray) -> float:
    """Median |predicted / true − 1|."""
    return float(np.median(np.abs(predicted / true - 1)))


def _pairs(x: np.ndarray) -> np.ndarray:
    return x * (x - 1) / 2


def adjusted_rand_batched(truth: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The adjusted Rand index (Hubert & Arabie 1985) of each row of ``truth`` against the
    same row of ``labels`` (shape (n_boot, n)), from one contingency table per row; 1 where
    both partitions are trivial alike, as scikit-learn's ``adjusted_rand_score``."""
    truth, labels = np.atleast_2d(truth), np.atleast_2d(labels)
    b, n = truth.shape
    _, t = np.unique(truth, return_inverse=True)
    _, c = np.unique(labels, return_inverse=True)
    k_t, k_c = int(t.max()) + 1 if t.size else 1, int(c.max()) + 1 if c.size else 1
    cell = np.arange(b)[:, None] * (k_t * k_c) + t.reshape(b, n) * k_c + c.reshape(b, n)
    table = np.bincount(cell.ravel(), minlength=b * k_t * k_c).reshape(b, k_t, k_c)
    index = _pairs(table).sum(axis=(1, 2))
    rows, cols = _pairs(table.sum(axis=2)).sum(axis=1), _pairs(table.sum(axis=1)).sum(axis=1)
    expected = rows * cols / _pairs(n) if n > 1 else np.zeros(b)
    most = (rows + cols) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(most == expected, 1.0, (index - expected) / (most - expected))


@with_batched(adjusted_rand_batched)
def adjusted_rand(truth: np.ndarray, labels: np.ndarray) -> float:
    """The adjusted Rand index of two labellings (equal to scikit-learn's
    ``adjusted_rand_score``; fast enough to bootstrap)."""
    return float(adjusted_rand_batched(np.asarray(truth)[None], np.asarray(labels)[None])[0])


def balanced_accuracy(true: np.ndarray, predicted: np.ndarray) -> float:
    """Mean recall over the classes present in ``true`` (fast enough to bootstrap)."""
    classes = np.unique(true)
    return float(np.mean([np.mean(predicted[true == c] == c) for c in classes]))


def _roc_auc_batched(is_positive: np.ndarray, score: np.ndarray) -> np.ndarray:
    is_positive = np.asarray(is_positive, dtype=bool)
    n_pos = is_positive.sum(axis=-1)
    n_neg = is_positive.shape[-1] - n_pos
    ranks = stats.rankdata(score, axis=-1)
    u = (ranks * is_positive).sum(axis=-1) - n_pos * (n_pos + 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((n_pos > 0) & (n_neg > 0), u / (n_pos * n_neg), np.nan)


@with_batched(_roc_auc_batched)
def roc_auc(is_positive: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U / (n_pos n_neg), ties counted half)."""
    n_pos = int(is_positive.sum())
    n_neg = is_positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = stats.rankdata(score)
    return float((ranks[is_positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(is_positive: np.ndarray, score: np.ndarray) -> float:
    """Average precision: the sum over thresholds of precision times the recall gained
    (scikit-learn's ``average_precision_score``, ties as one threshold); NaN without a
    positive."""
    is_positive = np.asarray(is_positive, dtype=bool)
    if not is_positive.any():
        return math.nan
    order = np.argsort(-np.asarray(score, dtype=float), kind="mergesort")
    s, y = np.asarray(score, dtype=float)[order], is_positive[order]
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]  # one point per distinct score
    tp = np.cumsum(y)[last]
    fp = np.cumsum(~y)[last]
    recall = tp / tp[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * tp / (tp + fp)))


def most_frequent(labels: npt.ArrayLike) -> str:
    """The most frequent label (ties: the first in sorted order, as DummyClassifier)."""
    values, counts = np.unique(np.asarray(labels).astype(str), return_counts=True)
    if values.size == 0:
        raise ValueError("most_frequent needs at least one label.")
    return str(values[np.argmax(counts)])


def baseline_predictions(
    y_train: npt.ArrayLike,
    train_folds: Sequence[npt.ArrayLike],
    test_folds: Sequence[npt.ArrayLike],
    *,
    regression: bool = False,
) -> np.ndarray:
    """What the baseline predicts for every tested curve, folds in the given order.

    Parameters
    ----------
    y_train : array_like, shape (n,) or (n, n_targets)
        Labels (or targets) of the curves the training folds index.
    train_folds, test_folds : sequence of index arrays
        The split's folds (:class:`learners.supervised.splits.Split` ``train``/``test``).
    regression : bool, default False
        False: the training fold's most frequent class; True: its mean of every target.

    Returns
    -------
    ndarray
        Concatenated over the folds, in the order of ``test_folds`` (as the pooled
        predictions of :func:`learners.evaluate`): shape (n_tested,) of str, or
        (n_tested, n_targets) of float.
    """
    y = np.asarray(y_train)
    parts = []
    for train, test in zip(train_folds, test_folds, strict=True):
        m = len(np.asarray(test))
        if regression:
            mean = np.asarray(y[np.asarray(train)], dtype=float).mean(axis=0)
            parts.append(np.tile(mean, (m, 1)) if np.ndim(mean) else np.full(m, float(mean)))
        else:
            parts.append(np.full(m, most_frequent(y[np.asarray(train)]), dtype=object))
    out = np.concatenate(parts) if parts else np.array([])
    return out if regression else out.astype(str)


def accuracy_scored(
    true: npt.ArrayLike, predicted: npt.ArrayLike, baseline: npt.ArrayLike
) -> Scored:
    """Accuracy of ``predicted`` with its Wilson interval, beside the accuracy of the
    baseline's predictions ``baseline`` on the same curves (all arrays of labels, shape (n,))."""
    true = np.asarray(true).astype(str)
    correct = int(np.sum(np.asarray(predicted).astype(str) == true))
    low, high = wilson_interval(correct, true.size)
    base = float(np.mean(np.asarray(baseline).astype(str) == true)) if true.size else math.nan
    return Scored(correct / true.size if true.size else math.nan, low, high, base)


def per_class_scored(
    true: npt.ArrayLike, predicted: npt.ArrayLike, baseline: npt.ArrayLike, classes: Sequence[str]
) -> dict[str, dict[str, Scored]]:
    """Recall, precision and F1 of every class, each with its 95 % interval and the
    baseline's value on the same curves: ``{class: {"recall": Scored, ...}}``.

    Recall is a proportion of the class's true curves and precision one of the curves
    predicted as it: Wilson intervals [1]; F1 has no closed form: a bootstrap over the
    curves [2]. A class never predicted has a precision (and so a baseline precision) of
    NaN: nothing to be precise about.
    """
    true = np.asarray(true).astype(str)
    predicted = np.asarray(predicted).astype(str)
    baseline = np.asarray(baseline).astype(str)

    def counts(pred: np.ndarray, c: str) -> tuple[int, int, int]:
        hit = int(np.sum((pred == c) & (true == c)))
        return hit, int(np.sum(true == c)), int(np.sum(pred == c))

    def f1(t: np.ndarray, p: np.ndarray, c: str) -> float:
        hit = np.sum((p == c) & (t == c))
        total = np.sum(t == c) + np.sum(p == c)
        return float(2 * hit / total) if total else math.nan

    out = {}
    for c in classes:
        hit, n_true, n_pred = counts(predicted, c)
        b_hit, _, b_pred = counts(baseline, c)
        rec = Scored(hit / n_true if n_true else math.nan, *wilson_interval(hit, n_true),
                     b_hit / n_true if n_true else math.nan)  # fmt: skip
        pre = Scored(hit / n_pred if n_pred else math.nan, *wilson_interval(hit, n_pred),
                     b_hit / b_pred if b_pred else math.nan)  # fmt: skip
        low, high = bootstrap_ci(lambda t, p, c=c: f1(t, p, c), true, predicted)
        out[str(c)] = {
            "recall": rec,
            "precision": pre,
            "F1": Scored(f1(true, predicted, c), low, high, f1(true, baseline, c)),
        }
    return out


__all__ = [
    "LEVEL",
    "N_BOOT",
    "Scored",
    "accuracy_scored",
    "adjusted_rand",
    "adjusted_rand_batched",
    "average_precision",
    "balanced_accuracy",
    "baseline_predictions",
    "beats",
    "bootstrap_ci",
    "mean_abs",
    "mean_interval",
    "median_abs",
    "median_abs_relative",
    "most_frequent",
    "per_class_scored",
    "r_squared",
    "roc_auc",
    "root_mean_square",
    "wilson_interval",
    "with_batched",
]
