"""Explanations of trained pipelines: LIME on features, LIME on curve segments, and the
exact attribution of glass-box models to check them against.

- :func:`explain_lime`: ``lime.lime_tabular.LimeTabularExplainer`` on what the model sees
  (the output of the pipeline's representation steps), a fresh explainer per call so that
  the seed makes it reproducible (Ribeiro, Singh & Guestrin 2016 [1]). In continuous mode
  the weights are slopes on standardised inputs, so ``contribution`` = weight x
  standardised value is what compares with an attribution.
- :func:`explain_segments`: the curve split into physically named segments (or equal
  windows) used like LIME's superpixels: a segment is switched off by replacing its
  displacement with a reference curve, and ``lime.lime_base.LimeBase`` fits a weighted
  linear model over the on/off pattern. Cosine distances and the kernel width (0.25) are on
  the same scale, as in lime's image explainer.
- :func:`exact_attribution`: for a binary logistic regression, coef x (z - mean z) on the
  scaled inputs, in log-odds: the model's own, exact decomposition (e.g. OpenXAI [2]); for
  more than two classes, where that decomposes only a softmax score, the occlusion of the
  one-vs-rest log-odds of the class, named as such.

References
----------
.. [1] M. T. Ribeiro, S. Singh, C. Guestrin, "'Why should I trust you?': explaining the
   predictions of any classifier", KDD (2016) 1135. doi:10.1145/2939672.2939778
.. [2] S. Krishna et al., OpenXAI, NeurIPS Datasets and Benchmarks (2022).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances
from sklearn.pipeline import Pipeline

from simulator.protocol import SEGMENT_CODES

#: Physically named curve segments of :func:`curve_segments` ("physical").
PHYSICAL_SEGMENTS = (
    "approach",
    "early loading",
    "late loading",
    "hold",
    "upper unloading",
    "lower unloading",
    "drift hold",
    "final unloading",
)
_FEATURE_STEPS = ("impute", "pca")


def split_pipeline(pipeline: Pipeline) -> tuple[Pipeline, Pipeline, list[str]]:
    """Split a fitted pipeline into (what makes the features, what predicts from them, names).

    The feature part runs up to the imputer (or the PCA of the "pca" representation): its
    output is what an explanation talks about, in physical units where the representation
    has them (H_GPa, E_GPa, ...).
    """
    names = [name for name, _ in pipeline.steps]
    cut = max((i for i, n in enumerate(names) if n in _FEATURE_STEPS), default=0) + 1
    features = pipeline[:cut]
    return features, pipeline[cut:], list(features.get_feature_names_out())


def _label_index(model_part: Pipeline, F_row: np.ndarray, label) -> tuple[int, str]:
    classes = list(model_part.classes_)
    if label is None:
        label = model_part.predict(F_row[None, :])[0]
    if label not in classes:
        raise ValueError(f"label must be one of the model's classes {classes}. Got {label!r}.")
    return classes.index(label), str(label)


def _features(pipeline: Pipeline, X: np.ndarray, i: int, background, given):
    """(F_background, F_i, model part, names): ``given`` features, or computed."""
    feature_part, model_part, names = split_pipeline(pipeline)
    if given is not None:
        F_bg, F_i = (np.asarray(f, dtype=float) for f in given)
        if F_bg.ndim != 2 or F_i.shape != (len(names),) or F_bg.shape[1] != len(names):
            raise ValueError(
                f"features must be (F_background (n, {len(names)}), F_i ({len(names)},)). "
                f"Got shapes {F_bg.shape} and {F_i.shape}."
            )
        return F_bg, F_i, model_part, names
    F_bg = feature_part.transform(np.asarray(background) if background is not None else X)
    return F_bg, feature_part.transform(X[i : i + 1])[0], model_part, names


def explain_lime(
    pipeline: Pipeline,
    X: npt.ArrayLike,
    i: int,
    *,
    background: npt.ArrayLike | None = None,
    num_samples: int = 5000,
    kernel_width: float | None = None,
    discretize: bool = False,
    num_features: int | None = None,
    label=None,
    seed: int | None = 0,
    features: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> pd.DataFrame:
    """LIME weights per feature for row ``i`` of ``X`` (a classifier pipeline).

    Parameters
    ----------
    pipeline : fitted sklearn Pipeline (``learners.make_pipeline``)
    X : curve matrix (n, 4, n_points), the curves to explain
    i : row to explain
    background : curve matrix whose features set LIME's sampling statistics (default X;
        pass the training curves)
    num_samples, kernel_width, discretize, num_features : LIME's settings (kernel width
        None = lime's default sqrt(n_features) * 0.75)
    label : class to explain (default: the predicted class)
    seed : random state of this explanation
    features : (F_background, F_i), what the model sees of ``background`` and of row ``i``
        (``split_pipeline(pipeline)[0].transform``) when the caller has them already; they
        are then not computed again (the feature extraction of a few hundred background
        curves costs several times LIME itself)

    Returns
    -------
    DataFrame, one row per feature, sorted by |weight|: feature, value, standardised,
    weight, contribution. ``attrs`` holds label, score (R^2 of the local model),
    intercept and local_pred.
    """
    X = np.asarray(X)
    F_bg, F_i, model_part, names = _features(pipeline, X, i, background, features)
    k, label_name = _label_index(model_part, F_i, label)
    from lime.lime_tabular import LimeTabularExplainer  # only the explanation pages need lime

    explainer = LimeTabularExplainer(
        F_bg,
        mode="classification",
        feature_names=names,
        discretize_continuous=discretize,
        kernel_width=kernel_width,
        random_state=seed,
    )
    exp = explainer.explain_instance(
        F_i,
        model_part.predict_proba,
        labels=(k,),
        num_features=num_features or len(names),
        num_samples=num_samples,
    )
    weights = np.zeros(len(names))
    for j, w in exp.as_map()[k]:
        weights[j] = w
    mean, sd = F_bg.mean(axis=0), F_bg.std(axis=0)
    standardised = np.where(sd > 0, (F_i - mean) / np.where(sd > 0, sd, 1.0), 0.0)
    table = pd.DataFrame(
        {
            "feature": names,
            "value": F_i,
            "standardised": standardised,
            "weight": weights,
            "contribution": weights if discretize else weights * standardised,
        }
    )
    table = table.reindex(table["weight"].abs().sort_values(ascending=False).index)
    table.attrs.update(
        label=label_name,
        score=float(exp.score),
        intercept=float(np.ravel(exp.intercept[k])[0]),
        local_pred=float(np.ravel(exp.local_pred)[0]),
    )
    return table.reset_index(drop=True)


#: What :func:`exact_attribution` returns, by ``attrs["kind"]``: its name on the pages.
REFERENCE_NAMES = {
    "exact": "exact attribution",
    "occlusion": "occlusion of the one-vs-rest log-odds",
}


def _log_odds(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def exact_attribution(
    pipeline: Pipeline,
    X: npt.ArrayLike,
    i: int,
    *,
    background: npt.ArrayLike | None = None,
    label=None,
    features: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> pd.DataFrame:
    """The model's own attribution of row ``i``, where the model has one (``features``:
    as in :func:`explain_lime`).

    Binary logistic regression: coef x (z - mean z) on the model's scaled inputs, the exact
    (additive) decomposition of its log-odds of the positive class (sign flipped for the
    other class); ``attrs["kind"] = "exact"``.

    Logistic regression on more than two classes: coef_k x (z - mean z) decomposes only the
    class's softmax score, not its log-odds log(p_k / (1 - p_k)), which depends on every
    class's score. The reference is then the occlusion of that one-vs-rest log-odds: for
    each input, how much the log-odds of class k falls when that input alone is set to its
    background mean (exact for what it measures, but not additive);
    ``attrs["kind"] = "occlusion"``.

    Raises
    ------
    ValueError
        For a model without such a reference here (trees, k-NN, SVM, MLP, the baseline).
    """
    X = np.asarray(X)
    estimator = pipeline[-1]
    if not isinstance(estimator, LogisticRegression):
        raise ValueError(
            f"No exact attribution for {type(estimator).__name__}: only logistic regression "
            "has one here (coef x (z - mean z)); compare with permutation importance instead."
        )
    F_bg, F_i, model_part, names = _features(pipeline, X, i, background, features)
    Z_bg, z = F_bg, F_i
    if len(model_part) > 1:  # the model's own scaling of what it sees
        Z_bg = model_part[:-1].transform(F_bg)
        z = model_part[:-1].transform(F_i[None, :])[0]
    k, label_name = _label_index(model_part, F_i, label)
    coef = estimator.coef_
    mean = Z_bg.mean(axis=0)
    if coef.shape[0] == 1:  # binary: one log-odds for classes_[1]
        row = coef[0] if k == 1 else -coef[0]
        attribution, kind = row * (z - mean), "exact"
    else:
        occluded = np.repeat(z[None, :], z.size, axis=0)
        occluded[np.arange(z.size), np.arange(z.size)] = mean
        p = estimator.predict_proba(np.vstack([z[None, :], occluded]))[:, k]
        odds = _log_odds(p)
        attribution, kind = odds[0] - odds[1:], "occlusion"
    table = pd.DataFrame({"feature": names, "attribution": attribution})
    table.attrs.update(label=label_name, kind=kind, name=REFERENCE_NAMES[kind])
    return table


def curve_segments(
    segment: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    *,
    kind: str = "physical",
    n_windows: int = 8,
) -> tuple[list[str], np.ndarray]:
    """Segments of one curve: names and a bool mask (S, n_points) per segment.

    ``kind="physical"``: the test's segments, loading and unloading split at half the peak
    load (empty ones dropped); ``kind="windows"``: ``n_windows`` equal runs of points from
    the first contact point on.
    """
    seg = np.asarray(segment)
    P = np.asarray(P_mN, dtype=float)
    if kind == "windows":
        if not 2 <= n_windows <= 64:
            raise ValueError(f"n_windows must lie in [2, 64]. Got {n_windows!r}.")
        start = int(np.argmax(seg >= SEGMENT_CODES["loading"]))
        edges = np.linspace(start, seg.size, n_windows + 1).round().astype(int)
        idx = np.arange(seg.size)
        masks = (idx[None, :] >= edges[:-1, None]) & (idx[None, :] < edges[1:, None])
        names = [f"points {a}-{b - 1}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
        return names, masks
    if kind != "physical":
        raise ValueError(f"kind must be 'physical' or 'windows'. Got {kind!r}.")
    high = P >= 0.5 * np.nanmax(P)
    c = SEGMENT_CODES
    masks = np.array(
        [
            seg == c["approach"],
            (seg == c["loading"]) & ~high,
            (seg == c["loading"]) & high,
            seg == c["hold"],
            (seg == c["unloading"]) & high,
            (seg == c["unloading"]) & ~high,
            seg == c["drift_hold"],
            seg == c["final_unloading"],
        ]
    )
    keep = masks.any(axis=1)
    return [n for n, k in zip(PHYSICAL_SEGMENTS, keep, strict=True) if k], masks[keep]


def _reference_displacement(X: np.ndarray, i: int, background: np.ndarray, how: str):
    """Displacement that replaces a switched-off segment of curve i."""
    h_i = X[i, 0]
    P_i = X[i, 1]
    top = P_i >= 0.98 * P_i.max()
    scale_i = np.median(h_i[top])
    if how == "mean":
        h_bg, P_bg = background[:, 0], background[:, 1]
        top_bg = P_bg >= 0.98 * P_bg.max(axis=1, keepdims=True)
        scale_bg = np.nanmedian(np.where(top_bg, h_bg, np.nan), axis=1, keepdims=True)
        return np.mean(h_bg / scale_bg, axis=0) * scale_i
    if how == "smooth":
        from scipy.signal import savgol_filter

        return savgol_filter(h_i, window_length=min(61, h_i.size // 2 * 2 - 1), polyorder=2)
    raise ValueError(f"reference must be 'mean' or 'smooth'. Got {how!r}.")


def explain_segments(
    pipeline: Pipeline,
    X: npt.ArrayLike,
    i: int,
    *,
    segments: str = "physical",
    n_windows: int = 8,
    reference: str = "mean",
    background: npt.ArrayLike | None = None,
    num_samples: int = 1000,
    kernel_width: float = 0.25,
    label=None,
    seed: int | None = 0,
    repeats: int = 1,
) -> pd.DataFrame:
    """LIME over curve segments for row ``i`` of the curve matrix ``X`` (a classifier).

    With ``repeats`` > 1 LIME runs again with the seeds ``seed + 1``, ... (new random
    patterns each time), which gives the stability spread of every segment's weight. Each
    distinct on/off pattern is predicted once over all repeats (with a few segments most of
    the ``num_samples`` patterns repeat), so the result equals separate runs.

    Returns
    -------
    DataFrame, one row per segment: segment, start_index, stop_index, n_points, weight
    (effect on the predicted probability of ``label`` of keeping the segment as measured;
    the run with ``seed``).
    ``attrs``: label, score, intercept, masks (S, n_points) bool, weight_sets (repeats, S).
    """
    X = np.asarray(X, dtype=float)
    background = X if background is None else np.asarray(background, dtype=float)
    if not 50 <= num_samples <= 20_000:
        raise ValueError(f"num_samples must lie in [50, 20000]. Got {num_samples!r}.")
    names, masks = curve_segments(X[i, 3], X[i, 1], kind=segments, n_windows=n_windows)
    classes = list(pipeline.classes_)
    if label is None:
        label = pipeline.predict(X[i : i + 1])[0]
    if label not in classes:
        raise ValueError(f"label must be one of the model's classes {classes}. Got {label!r}.")
    k = classes.index(label)
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise ValueError(f"repeats must be a whole number of at least 1. Got {repeats!r}.")
    ref = _reference_displacement(X, i, background, reference)
    seeds = [None if seed is None else seed + r for r in range(int(repeats))]
    rngs = [np.random.default_rng(s) for s in seeds]
    patterns = []
    for rng in rngs:
        Z = rng.integers(0, 2, size=(num_samples, len(names)))
        Z[0] = 1
        patterns.append(Z)
    unique, inverse = np.unique(np.vstack(patterns), axis=0, return_inverse=True)
    off = (1 - unique) @ masks.astype(int) > 0  # (n_unique, n_points): point switched off
    perturbed = np.repeat(X[i : i + 1], len(unique), axis=0)
    perturbed[:, 0] = np.where(off, ref[None, :], X[i, 0][None, :])
    proba_all = pipeline.predict_proba(perturbed)[:, k][np.ravel(inverse)]
    from lime.lime_base import LimeBase  # only the explanation pages need lime

    fits = []
    for r, (rng, Z) in enumerate(zip(rngs, patterns, strict=True)):
        proba = proba_all[r * num_samples : (r + 1) * num_samples]
        with np.errstate(invalid="ignore", divide="ignore"):
            distances = pairwise_distances(Z, Z[:1], metric="cosine").ravel()
        distances = np.nan_to_num(distances, nan=1.0)
        base = LimeBase(
            lambda d: np.sqrt(np.exp(-(d**2) / kernel_width**2)),
            random_state=np.random.RandomState(rng.integers(2**31 - 1)),
        )
        intercept_r, weights, score_r, _ = base.explain_instance_with_data(
            Z, proba[:, None], distances, 0, len(names), feature_selection="none"
        )
        w_r = np.zeros(len(names))
        for j, value in weights:
            w_r[j] = value
        fits.append((intercept_r, w_r, score_r))
    intercept, w, score = fits[0]
    idx = np.arange(masks.shape[1])
    table = pd.DataFrame(
        {
            "segment": names,
            "start_index": [int(idx[m].min()) for m in masks],
            "stop_index": [int(idx[m].max()) + 1 for m in masks],
            "n_points": masks.sum(axis=1),
            "weight": w,
        }
    )
    table.attrs.update(label=str(label), score=float(score), intercept=float(intercept))
    table.attrs["masks"] = masks
    table.attrs["weight_sets"] = np.vstack([f[1] for f in fits])
    return table
