"""Scores of an explanation against a known truth, written from their published definitions.

Feature explanations (one weight per feature):

- :func:`top_k_agreement`: share of the k most important features (by |weight|) that are in
  the truth set ("feature agreement", Krishna et al. 2022, OpenXAI [1]).
- :func:`rank_correlation`: Spearman correlation of two attributions' importance (|weight|)
  (OpenXAI's rank correlation [1]).
- :func:`sign_agreement`: share of the top-k features whose weight has the sign of the
  reference attribution ([1]).
- :func:`prediction_gap`: change of the model output when the top-k features are replaced by
  a baseline (PGI; PGU for the bottom-k) [1].
- :func:`faithfulness_gap`: the drop for the top-k features minus the mean drop for random
  k-subsets (the removal test of XAI-Bench, Liu et al. 2021 [2]).

Segment explanations (one weight per curve segment, the truth a set of points):

- :func:`pointing_game`: does the top segment overlap the truth region (Zhang et al. 2018 [3];
  Quantus [4])?
- :func:`relevance_mass_accuracy`: share of the positive relevance that falls inside the
  truth region (Arras, Osman & Samek 2022 [5]).

Stability:

- :func:`jaccard_stability`: mean pairwise Jaccard index of the top-k sets of repeated
  explanations (e.g. over LIME seeds).
- :func:`weight_spread`: relative spread of the weights of repeated explanations.
- :func:`local_lipschitz`: max ||e(x) - e(x')|| / ||x - x'|| over nearby inputs x'
  (Alvarez-Melis & Jaakkola 2018 [6]).
- :func:`within_noise` and :func:`top_within_noise`: which weights lie within their spread
  over repeated explanations of zero; a score built on such weights is not credited.

References
----------
.. [1] S. Krishna et al., "OpenXAI: Towards a transparent evaluation of model explanations",
   NeurIPS Datasets and Benchmarks (2022).
.. [2] Y. Liu et al., "Synthetic benchmarks for scientific research in explainable machine
   learning" (XAI-Bench), NeurIPS Datasets and Benchmarks (2021).
.. [3] J. Zhang et al., "Top-down neural attention by excitation backprop", Int. J. Comput.
   Vis. 126 (2018) 1084.
.. [4] A. Hedstroem et al., "Quantus: an explainable AI toolkit", J. Mach. Learn. Res. 24
   (2023) 1.
.. [5] L. Arras, A. Osman, W. Samek, "CLEVR-XAI: a benchmark dataset for the ground truth
   evaluation of neural network explanations", Inf. Fusion 81 (2022) 14.
.. [6] D. Alvarez-Melis, T. S. Jaakkola, "On the robustness of interpretability methods",
   ICML Workshop on Human Interpretability (2018), arXiv:1806.08049.
.. [7] G. Visani et al., "Statistical stability indices for LIME: obtaining reliable
   explanations for machine learning models", J. Oper. Res. Soc. 73 (2022) 91.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.stats import spearmanr


def _weights(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float).ravel()
    if w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError("weights must be a non-empty vector of finite numbers.")
    return w


def _check_k(k: int, size: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= size:
        raise ValueError(f"k must be a whole number from 1 to {size}. Got {k!r}.")
    return int(k)


def top_k(weights: npt.ArrayLike, k: int) -> np.ndarray:
    """Indices of the k largest |weights| (ties broken by position)."""
    w = _weights(weights)
    k = _check_k(k, w.size)
    return np.argsort(-np.abs(w), kind="stable")[:k]


def top_k_agreement(weights: npt.ArrayLike, truth: Sequence[int], k: int) -> float:
    """Share of the top-k features (by |weight|) that are truth features, in [0, 1]."""
    truth = set(int(t) for t in truth)
    if not truth:
        raise ValueError("truth must name at least one feature.")
    return len(set(top_k(weights, k).tolist()) & truth) / min(k, len(truth))


def rank_correlation(weights: npt.ArrayLike, reference: npt.ArrayLike) -> float:
    """Spearman correlation of |weights| and |reference| (importance rankings), in [-1, 1]."""
    a, b = np.abs(_weights(weights)), np.abs(_weights(reference))
    if a.size != b.size:
        raise ValueError(f"weights and reference differ in length: {a.size} vs {b.size}.")
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


def sign_agreement(weights: npt.ArrayLike, reference: npt.ArrayLike, k: int) -> float:
    """Share of the top-k features of ``reference`` whose weight has the reference's sign."""
    a, b = _weights(weights), _weights(reference)
    idx = top_k(b, k)
    return float(np.mean(np.sign(a[idx]) == np.sign(b[idx])))


def prediction_gap(
    predict: Callable[[np.ndarray], np.ndarray],
    x: npt.ArrayLike,
    baseline: npt.ArrayLike,
    features: Sequence[int],
) -> float:
    """|f(x) - f(x with ``features`` set to ``baseline``)| for one input row (PGI / PGU)."""
    x = np.asarray(x, dtype=float).ravel()
    perturbed = x.copy()
    idx = np.asarray(features, dtype=int)
    perturbed[idx] = np.asarray(baseline, dtype=float).ravel()[idx]
    out = np.asarray(predict(np.vstack([x, perturbed])), dtype=float)
    return float(abs(out[0] - out[1]))


def faithfulness_gap(
    predict: Callable[[np.ndarray], np.ndarray],
    x: npt.ArrayLike,
    baseline: npt.ArrayLike,
    weights: npt.ArrayLike,
    k: int,
    *,
    n_random: int = 50,
    seed: int | None = 0,
) -> dict[str, float]:
    """Output drop when the top-k features are removed, against random k-subsets.

    Returns the drop for the top-k (``top_k_drop``), the mean drop over ``n_random`` random
    k-subsets (``random_drop``) and their difference (``gap``): positive when the explanation
    points at features the model really uses.
    """
    w = _weights(weights)
    k = _check_k(k, w.size)
    rng = np.random.default_rng(seed)
    top = prediction_gap(predict, x, baseline, top_k(w, k))
    subsets = np.argsort(rng.random((n_random, w.size)), axis=1)[:, :k]
    x = np.asarray(x, dtype=float).ravel()
    perturbed = np.repeat(x[None, :], n_random, axis=0)
    rows = np.repeat(np.arange(n_random), k)
    perturbed[rows, subsets.ravel()] = np.asarray(baseline, dtype=float).ravel()[subsets.ravel()]
    out = np.asarray(predict(np.vstack([x, perturbed])), dtype=float)
    random = float(np.mean(np.abs(out[1:] - out[0])))
    return {"top_k_drop": top, "random_drop": random, "gap": top - random}


def pointing_game(
    segment_weights: npt.ArrayLike, segment_masks: npt.ArrayLike, truth_mask: npt.ArrayLike
) -> bool:
    """Does the segment with the largest weight overlap the truth region?

    Parameters
    ----------
    segment_weights : (S,) weight per segment
    segment_masks : (S, n_points) bool, the points of each segment
    truth_mask : (n_points,) bool, the points the truth marks
    """
    w = _weights(segment_weights)
    masks = np.asarray(segment_masks, dtype=bool)
    truth = np.asarray(truth_mask, dtype=bool)
    if masks.shape != (w.size, truth.size):
        raise ValueError(f"segment_masks must have shape ({w.size}, {truth.size}).")
    return bool(np.any(masks[int(np.argmax(w))] & truth))


def relevance_mass_accuracy(
    segment_weights: npt.ArrayLike, segment_masks: npt.ArrayLike, truth_mask: npt.ArrayLike
) -> float:
    """Share of positive relevance inside the truth region (each point carries its segment's
    weight), in [0, 1]; NaN when no segment has positive weight."""
    w = np.maximum(_weights(segment_weights), 0.0)
    masks = np.asarray(segment_masks, dtype=bool)
    truth = np.asarray(truth_mask, dtype=bool)
    relevance = w @ masks.astype(float)  # per point
    total = relevance.sum()
    return float(relevance[truth].sum() / total) if total > 0 else float("nan")


def jaccard_stability(weight_sets: npt.ArrayLike, k: int) -> float:
    """Mean pairwise Jaccard index of the top-k sets of repeated explanations, in [0, 1].

    ``weight_sets`` has shape (repeats, n_features).
    """
    W = np.asarray(weight_sets, dtype=float)
    if W.ndim != 2 or W.shape[0] < 2:
        raise ValueError("weight_sets needs at least two explanations (rows).")
    sets = [set(top_k(w, k).tolist()) for w in W]
    return float(np.mean([len(a & b) / len(a | b) for a, b in combinations(sets, 2)]))


def weight_spread(weight_sets: npt.ArrayLike) -> float:
    """Spread of repeated explanations: mean over features of the standard deviation of the
    weight across repeats, divided by the mean |weight| (0 = identical explanations).

    The coefficient-level counterpart of the stability indices of Visani et al. [7]; LIME's
    sampling noise makes it fall roughly as 1/sqrt(num_samples).
    """
    W = np.asarray(weight_sets, dtype=float)
    if W.ndim != 2 or W.shape[0] < 2:
        raise ValueError("weight_sets needs at least two explanations (rows).")
    scale = np.mean(np.abs(W))
    return float(np.mean(np.std(W, axis=0)) / scale) if scale > 0 else float("nan")


#: A weight stands out of its noise when |mean over repeats| exceeds this many standard
#: deviations of the repeats.
NOISE_SD = 2.0


def within_noise(weight_sets: npt.ArrayLike, n_sd: float = NOISE_SD) -> np.ndarray:
    """True for each feature (column) whose weight over repeated explanations (rows, e.g.
    LIME seeds) lies within ``n_sd`` standard deviations of zero: |mean| <= n_sd x sd.

    A weight that is exactly zero in every repeat is within noise too.
    """
    W = np.asarray(weight_sets, dtype=float)
    if W.ndim != 2 or W.shape[0] < 2:
        raise ValueError("weight_sets needs at least two explanations (rows).")
    return np.abs(W.mean(axis=0)) <= n_sd * W.std(axis=0, ddof=1)


def top_within_noise(
    weight_sets: npt.ArrayLike, weights: npt.ArrayLike, k: int, n_sd: float = NOISE_SD
) -> bool:
    """True when every one of the top-k features of ``weights`` (by |weight|) lies within
    noise of zero over ``weight_sets`` (:func:`within_noise`): then no score built on that
    ranking (agreement, pointing game, rank correlation...) may be credited."""
    noise = within_noise(weight_sets, n_sd)
    w = _weights(weights)
    if noise.size != w.size:
        raise ValueError(f"weights and weight_sets differ in length: {w.size} vs {noise.size}.")
    return bool(noise[top_k(w, k)].all())


def local_lipschitz(
    explain: Callable[[np.ndarray], np.ndarray],
    x: npt.ArrayLike,
    neighbours: npt.ArrayLike,
) -> float:
    """max_j ||e(x) - e(x_j)|| / ||x - x_j|| over the rows x_j of ``neighbours``."""
    x = np.asarray(x, dtype=float).ravel()
    X = np.asarray(neighbours, dtype=float)
    e0 = np.asarray(explain(x), dtype=float)
    ratios = []
    for xj in X:
        dist = np.linalg.norm(xj - x)
        if dist > 0:
            ratios.append(np.linalg.norm(np.asarray(explain(xj), dtype=float) - e0) / dist)
    if not ratios:
        raise ValueError("neighbours must hold at least one row different from x.")
    return float(np.max(ratios))


def score_explanation(
    weights: npt.ArrayLike,
    truth: Sequence[int],
    *,
    k: int = 2,
    exact: npt.ArrayLike | None = None,
) -> dict[str, float]:
    """The feature scorecard: agreement with the truth features and, where the model has an
    exact attribution, rank correlation and sign agreement with it."""
    w = _weights(weights)
    card = {"top_k_agreement": top_k_agreement(w, truth, k)}
    if exact is not None:
        card["rank_correlation"] = rank_correlation(w, exact)
        card["sign_agreement"] = sign_agreement(w, exact, k)
        card["top_k_agreement_with_exact"] = top_k_agreement(w, top_k(exact, k), k)
    return card
