"""How well a few features separate labelled curves: cross-validated accuracy of small subsets.

:func:`subset_accuracy` scores many small feature subsets (single features, pairs) at once
with a linear discriminant (LDA) fitted inside stratified k-fold cross-validation, vectorised
over the subsets (no loop over subsets or curves; one loop over the folds). It answers
"which two numbers of a curve tell the classes apart best?" in a fraction of a second for
hundreds of pairs, where fitting one scikit-learn model per pair takes seconds.
:func:`pair_scores` gives every pair as a table and :func:`check_pair` judges a learner's
pick against the best pair.

Missing values are information here (a NaN pop-in load means "no pop-in was found"), so
each feature enters as its value (median-imputed with the training fold's median) and a
0/1 missing-value indicator, as in :func:`learners.supervised.representations.representation_steps`.

References
----------
.. [1] T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed.,
   Springer (2009), sec. 4.3 (linear discriminant analysis) and 7.10 (cross-validation).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.model_selection import StratifiedKFold

#: Ridge added to the pooled within-class covariance of the standardised inputs [-]: keeps
#: it invertible when an indicator is constant within every class (then that indicator
#: separates perfectly, and the LDA uses it so).
RIDGE = 1e-3
#: A pick whose accuracy is within this of the best pair counts as a best pair [-]
#: (cross-validated accuracies of near-equal pairs differ by chance at ~200 curves).
TOLERANCE = 0.02


def folds_possible(y: npt.ArrayLike, n_splits: int = 5) -> int:
    """Folds that stratified cross-validation can make: min(n_splits, smallest class).

    Returns 0 when a class has fewer than two curves or there are fewer than two classes.
    """
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if counts.size < 2 or counts.min() < 2:
        return 0
    return int(min(n_splits, counts.min()))


def subset_accuracy(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    subsets: npt.ArrayLike,
    *,
    n_splits: int = 5,
    seed: int | None = 0,
) -> np.ndarray:
    """Cross-validated accuracy of an LDA on each subset of the columns of ``X``.

    Parameters
    ----------
    X : array_like, shape (n_curves, n_features)
        Feature values (any units; each is standardised on the training fold). NaN means
        missing and is kept as information (see the module notes).
    y : array_like, shape (n_curves,)
        Class labels.
    subsets : array_like of int, shape (n_subsets, k)
        Column indices of each subset (k features each, e.g. k = 2 for pairs).
    n_splits : int, default 5
        Folds of the stratified k-fold (reduced to the smallest class size when needed).
    seed : int or None, default 0
        Random state of the fold shuffle.

    Returns
    -------
    ndarray, shape (n_subsets,)
        Share of curves whose held-out prediction is their true class, pooled over the
        folds, in [0, 1].

    Raises
    ------
    ValueError
        If the shapes disagree, a subset index is out of range, or a class has fewer than
        two curves (no stratified split is possible).

    Notes
    -----
    Per fold and subset: impute each feature's NaN with its training median (0 when all
    are missing), add its missing indicator, standardise on the training curves, fit class
    means and the pooled within-class covariance (plus :data:`RIDGE` on the diagonal), and
    predict the class of largest discriminant x' S^-1 mu_k - mu_k' S^-1 mu_k / 2 + ln pi_k.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    subsets = np.asarray(subsets, dtype=int)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"X must be (n_curves, n_features) and y (n_curves,). Got {X.shape} and {y.shape}."
        )
    if subsets.ndim != 2 or subsets.shape[1] == 0:
        raise ValueError(f"subsets must be (n_subsets, k) with k >= 1. Got {subsets.shape}.")
    if subsets.size and (subsets.min() < 0 or subsets.max() >= X.shape[1]):
        raise ValueError(f"subsets must index the {X.shape[1]} columns of X.")
    folds = folds_possible(y, n_splits)
    if folds < 2:
        raise ValueError(
            "Every class needs at least two curves (and there must be two classes) for a "
            f"stratified split. Got class sizes {_sizes(y)}."
        )
    classes, codes = np.unique(y, return_inverse=True)
    Z = X[:, subsets]  # (n, m, k)
    correct = np.zeros(subsets.shape[0])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(X, codes):
        D_train, D_test = _design(Z[train], Z[test])
        predicted = _lda_predict(D_train, codes[train], D_test, classes.size)
        correct += (predicted == codes[test][:, None]).sum(axis=0)
    return correct / X.shape[0]


def _sizes(y: np.ndarray) -> dict[str, int]:
    names, counts = np.unique(y, return_counts=True)
    return {str(k): int(c) for k, c in zip(names, counts, strict=True)}


def _design(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Imputed, standardised values and missing indicators, (n, m, 2k), from training stats."""
    missing_train, missing_test = np.isnan(train), np.isnan(test)
    with np.errstate(all="ignore"):
        median = np.nanmedian(np.where(missing_train.all(axis=0), 0.0, train), axis=0)
    parts = []
    for values, missing in ((train, missing_train), (test, missing_test)):
        parts.append((np.where(missing, median, values), missing.astype(float)))
    mean, sd = parts[0][0].mean(axis=0), parts[0][0].std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    (train_filled, train_flags), (test_filled, test_flags) = parts
    return (
        np.concatenate([(train_filled - mean) / sd, train_flags], axis=2),
        np.concatenate([(test_filled - mean) / sd, test_flags], axis=2),
    )


def _lda_predict(D: np.ndarray, codes: np.ndarray, D_test: np.ndarray, K: int) -> np.ndarray:
    """Class codes predicted by an LDA per subset; D (n, m, d), D_test (n_test, m, d)."""
    onehot = np.eye(K)[codes]  # (n, K)
    counts = onehot.sum(axis=0)  # (K,)
    present = counts > 0
    mu = np.einsum("nk,nmd->kmd", onehot, D) / np.where(present, counts, 1.0)[:, None, None]
    centred = D - np.einsum("nk,kmd->nmd", onehot, mu)
    dof = max(D.shape[0] - int(present.sum()), 1)
    cov = np.einsum("nmd,nme->mde", centred, centred) / dof
    cov += RIDGE * np.eye(D.shape[2])[None]
    weights = np.linalg.solve(cov[None], mu[..., None])[..., 0]  # (K, m, d)
    bias = -0.5 * np.einsum("kmd,kmd->km", mu, weights)
    with np.errstate(divide="ignore"):
        bias = bias + np.log(counts / counts.sum())[:, None]  # absent classes: -inf
    scores = np.einsum("nmd,kmd->nmk", D_test, weights) + bias.T[None]
    return np.argmax(scores, axis=2)


def pair_scores(
    X: pd.DataFrame, y: npt.ArrayLike, *, n_splits: int = 5, seed: int | None = 0
) -> pd.DataFrame:
    """Cross-validated accuracy of every pair of columns of ``X`` (see :func:`subset_accuracy`).

    Parameters
    ----------
    X : DataFrame, shape (n_curves, n_features)
        Features with unit-bearing column names (``H_GPa``, ``popin_size_nm``, ...).
    y : array_like, shape (n_curves,)
    n_splits, seed
        As in :func:`subset_accuracy`.

    Returns
    -------
    DataFrame
        Columns ``feature_a``, ``feature_b`` (in the order of ``X``'s columns),
        ``accuracy`` [-] and ``rank`` (1 = best; ties share the better rank), best first.
    """
    names = [str(c) for c in X.columns]
    pairs = np.array(list(itertools.combinations(range(len(names)), 2)), dtype=int)
    if pairs.size == 0:
        raise ValueError(f"X needs at least two feature columns. Got {names!r}.")
    accuracy = subset_accuracy(X.to_numpy(dtype=float), y, pairs, n_splits=n_splits, seed=seed)
    frame = pd.DataFrame(
        {
            "feature_a": [names[i] for i in pairs[:, 0]],
            "feature_b": [names[j] for j in pairs[:, 1]],
            "accuracy": accuracy,
        }
    )
    return rank_pairs(frame)


def rank_pairs(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` (columns feature_a, feature_b, accuracy, as from :func:`pair_scores`, or
    a subset of its rows) with ``rank`` among these rows (1 = best; ties share the better
    rank), best first."""
    ranked = scores.assign(rank=scores["accuracy"].rank(ascending=False, method="min").astype(int))
    return ranked.sort_values(["rank", "feature_a", "feature_b"], ignore_index=True)


def single_scores(
    X: pd.DataFrame, y: npt.ArrayLike, *, n_splits: int = 5, seed: int | None = 0
) -> pd.Series:
    """Cross-validated accuracy of each column of ``X`` alone, indexed by column name."""
    singles = np.arange(X.shape[1])[:, None]
    accuracy = subset_accuracy(X.to_numpy(dtype=float), y, singles, n_splits=n_splits, seed=seed)
    return pd.Series(accuracy, index=[str(c) for c in X.columns], name="accuracy")


@dataclass(frozen=True)
class PairCheck:
    """A learner's pair of features judged against the best pair.

    Attributes
    ----------
    correct : bool
        The pair's accuracy is within ``tolerance`` of the best pair's.
    accuracy : float
        Cross-validated accuracy of the pair [-].
    best_accuracy : float
    best_pair : tuple of str
    rank : int
        1 for a best pair; ties share the better rank.
    n_pairs : int
    """

    correct: bool
    accuracy: float
    best_accuracy: float
    best_pair: tuple[str, str]
    rank: int
    n_pairs: int


def check_pair(
    scores: pd.DataFrame, pair: Sequence[str], *, tolerance: float = TOLERANCE
) -> PairCheck:
    """Judge ``pair`` (two feature names, in any order) against the table of
    :func:`pair_scores`.

    Raises
    ------
    ValueError
        If the pair is not two different features of the table.
    """
    a, b = (str(p) for p in pair)
    if a == b:
        raise ValueError(f"pair must be two different features. Got {a!r} twice.")
    hit = scores[
        ((scores["feature_a"] == a) & (scores["feature_b"] == b))
        | ((scores["feature_a"] == b) & (scores["feature_b"] == a))
    ]
    if hit.empty:
        raise ValueError(f"pair {(a, b)!r} is not in the table of pair scores.")
    best = scores.loc[scores["accuracy"].idxmax()]
    accuracy = float(hit["accuracy"].iloc[0])
    return PairCheck(
        correct=accuracy >= float(best["accuracy"]) - tolerance,
        accuracy=accuracy,
        best_accuracy=float(best["accuracy"]),
        best_pair=(str(best["feature_a"]), str(best["feature_b"])),
        rank=int(hit["rank"].iloc[0]),
        n_pairs=len(scores),
    )


__all__ = [
    "RIDGE",
    "TOLERANCE",
    "PairCheck",
    "check_pair",
    "folds_possible",
    "pair_scores",
    "rank_pairs",
    "single_scores",
    "subset_accuracy",
]
