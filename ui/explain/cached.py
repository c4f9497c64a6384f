"""Cached computations of the explanation pages ("Why did the model decide?", "Is it
physically meaningful?").

Datasets are keyed by *data settings* (see :mod:`ui.explain.tasks`). Everything about a
trained model is keyed by its *model reference*, a plain dict:

- ``key``: what determines the fitted model (its settings; training is seeded, so the same
  settings give the same model in every session);
- ``data`` and ``train``: the training dataset's settings and the rows trained on;
- ``pool_data`` and ``pool``: where the curves to explain come from (held-out rows).

The fitted pipeline itself lives in the learner's session (:mod:`ui.explain.models`) and is
passed as ``_pipeline`` (not hashed). Each cache keeps a bounded number of entries. All
model work runs with one BLAS/OpenMP thread (two threads can stall on a small server).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from learners import curve_matrix, make_pipeline
from learners.explain import exact_attribution, explain_lime, explain_segments, split_pipeline
from learners.explain.scorecard import (
    faithfulness_gap,
    jaccard_stability,
    local_lipschitz,
    pointing_game,
    prediction_gap,
    rank_correlation,
    relevance_mass_accuracy,
    sign_agreement,
    top_k,
    top_k_agreement,
    top_within_noise,
    weight_spread,
    within_noise,
)
from learners.supervised.splits import make_split
from learners.supervised.uncertainty import Scored, most_frequent, wilson_interval
from simulator import DEFAULT_NOISE, Dataset, make_dataset
from simulator.protocol import SEGMENT_NAMES
from ui.explain import tables, tasks

#: Most datasets kept (a 400-curve dataset is about 8-11 MB).
MAX_DATASETS = 8
#: Most per-model summaries and global views kept.
MAX_SUMMARIES = 32
#: Most explanations kept (each well under 1 MB).
MAX_EXPLANATIONS = 128
#: Held-out neighbours of the local Lipschitz estimate.
N_NEIGHBOURS = 4
#: Held-out curves of the stability check of the checklist.
N_STABILITY_CURVES = 3
#: Most perturbed curves of one segment explanation (each one is a whole curve to predict).
MAX_SEGMENT_SAMPLES = 2000


def noise_settings(level: float) -> dict:
    """The simulator's noise dict for ``level`` times the typical instrument noise."""
    return {
        "load_noise_mN": level * DEFAULT_NOISE.load_noise_mN,
        "depth_noise_nm": level * DEFAULT_NOISE.depth_noise_nm,
    }


@st.cache_data(max_entries=MAX_DATASETS, show_spinner=False)
def dataset(data: dict) -> Dataset:
    """The labelled curves of ``data`` (:func:`simulator.make_dataset`), without the map
    objects of the phase task. Raises ValueError for impossible settings."""
    made = make_dataset(
        data["task"],
        data["n"],
        seed=data["seed"],
        noise=noise_settings(data["noise"]),
        **data["options"],
    )
    made.extra = {}
    if made.test is not None:
        made.test.extra = {}
    return made


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def split_rows(data: dict, test_size: float) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Training and held-out rows of a random split, stratified by class, seeded with the
    data seed (:func:`learners.supervised.splits.make_split`)."""
    split = make_split(dataset(data), "random", test_size=test_size, seed=data["seed"])
    return tuple(int(i) for i in split.train[0]), tuple(int(i) for i in split.test[0])


def fit(data: dict, train: tuple[int, ...], inputs: str, model: str):
    """A pipeline (:func:`learners.make_pipeline`) fitted on the ``train`` rows of ``data``.

    Not cached: a fitted model belongs to the learner's session.
    """
    _, representation, features = tasks.INPUTS[inputs]
    options = {"features": features} if features else {}
    pipeline = make_pipeline(representation, model, seed=0, **options)
    made = dataset(data)
    rows = np.asarray(train)
    with threadpool_limits(limits=1):
        pipeline.fit(curve_matrix(made)[rows], np.asarray(made.y)[rows])
    return pipeline


def _curves(ref: dict, which: str) -> tuple[np.ndarray, np.ndarray, Dataset]:
    """Curve matrix and labels of the training rows or the pool, and their dataset."""
    made = dataset(ref["pool_data"] if which == "pool" else ref["data"])
    rows = np.asarray(ref["pool"] if which == "pool" else ref["train"])
    return curve_matrix(made)[rows], np.asarray(made.y).astype(str)[rows], made


@dataclass(frozen=True)
class Summary:
    """What a model sees and predicts on its held-out pool.

    Attributes
    ----------
    names, roles : list of str
        The model's inputs (:func:`learners.explain.split_pipeline`) and each one's role
        against the truth (:func:`ui.explain.tasks.feature_role`).
    classes : list of str
    F_train, F_pool : ndarray (n, d)
        Inputs of the training curves and of the pool, in the units of their names.
    y, predicted : ndarray of str (n_pool,)
    proba : ndarray (n_pool, n_classes)
    accuracy : float
        On the pool.
    scored : learners.supervised.uncertainty.Scored
        The accuracy with its Wilson interval, beside the baseline's: the most frequent
        class of the training curves, answered for every pool curve.
    truth : DataFrame
        The pool's truth rows.
    informative, nuisance : list of str
        The training dataset's own statement of its truth (truth-table columns).
    description : str
    """

    names: list[str]
    roles: list[str]
    classes: list[str]
    F_train: np.ndarray
    F_pool: np.ndarray
    y: np.ndarray
    predicted: np.ndarray
    proba: np.ndarray
    accuracy: float
    scored: Scored
    truth: pd.DataFrame
    informative: list[str]
    nuisance: list[str]
    description: str

    @property
    def confidence(self) -> np.ndarray:
        """Probability of the predicted class, per pool curve."""
        return self.proba.max(axis=1)


def _scored(y: np.ndarray, predicted: np.ndarray, ref: dict) -> Scored:
    """Accuracy on the pool with its Wilson interval and the baseline's accuracy."""
    trained_on = dataset(ref["data"])
    majority = most_frequent(np.asarray(trained_on.y).astype(str)[np.asarray(ref["train"])])
    correct = int(np.sum(predicted == y))
    low, high = wilson_interval(correct, len(y))
    return Scored(correct / len(y), low, high, float(np.mean(y == majority)))


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def summary(ref: dict, _pipeline) -> Summary:
    """Inputs, predictions and accuracy of the model on its pool."""
    features, model_part, names = split_pipeline(_pipeline)
    X_train, _, _ = _curves(ref, "train")
    X_pool, y, made = _curves(ref, "pool")
    with threadpool_limits(limits=1):
        F_train = features.transform(X_train)
        F_pool = features.transform(X_pool)
        proba = model_part.predict_proba(F_pool)
    classes = [str(c) for c in model_part.classes_]
    predicted = np.asarray(classes)[np.argmax(proba, axis=1)]
    truth = made.truth.iloc[np.asarray(ref["pool"])].reset_index(drop=True)
    trained_on = dataset(ref["data"])
    return Summary(
        names=[str(n) for n in names],
        roles=tasks.roles(names, ref["data"]),
        classes=classes,
        F_train=F_train,
        F_pool=F_pool,
        y=y,
        predicted=predicted,
        proba=proba,
        accuracy=float(np.mean(predicted == y)),
        scored=_scored(y, predicted, ref),
        truth=truth,
        informative=list(trained_on.informative),
        nuisance=list(trained_on.nuisance),
        description=trained_on.description,
    )


@dataclass(frozen=True)
class InstanceExplanation:
    """LIME on one held-out curve, the exact attribution, stability and the scorecard.

    Attributes
    ----------
    lime : DataFrame
        :func:`learners.explain_lime` (sorted by |weight|) plus ``role``.
    exact : DataFrame or None
        feature, attribution (log-odds), role; None without an exact attribution.
    exact_message : str or None
        Why there is none.
    seeds : DataFrame
        seed, feature, weight: LIME with :data:`ui.explain.tasks.N_STABILITY_SEEDS` seeds.
    card : dict
        The scorecard's numbers (NaN where a score does not apply).
    label : str
        The explained class (the predicted one).
    probability : float
        The model's probability of that class.
    kernel_width : float
        LIME's kernel width used (standardised units).
    """

    lime: pd.DataFrame
    exact: pd.DataFrame | None
    exact_message: str | None
    seeds: pd.DataFrame
    card: dict
    label: str
    probability: float
    kernel_width: float


def _lime(pipeline, X, i, s: Summary, lime: dict, seed: int, width: float) -> pd.DataFrame:
    """LIME on pool curve ``i`` against the training curves, from the summary's features
    (not extracted again from the curves for every call)."""
    return explain_lime(
        pipeline,
        X,
        i,
        num_samples=lime["num_samples"],
        kernel_width=width,
        discretize=lime["discretize"],
        seed=seed,
        features=(s.F_train, s.F_pool[i]),
    )


def kernel_width(lime: dict, n_features: int) -> float:
    """LIME's kernel width: ``kernel_scale`` x lime's default 0.75 sqrt(d)."""
    return float(lime["kernel_scale"] * 0.75 * math.sqrt(n_features))


@st.cache_data(max_entries=MAX_EXPLANATIONS, show_spinner=False)
def seed_weights(ref: dict, _pipeline, position: int, lime: dict) -> pd.DataFrame:
    """LIME on pool curve ``position`` with :data:`ui.explain.tasks.N_STABILITY_SEEDS`
    seeds (lime["seed"], + 1, ...): the full table of the first, and seed, feature, weight
    of all, in the model's input order."""
    s = summary(ref, _pipeline)
    X_pool, _, _ = _curves(ref, "pool")
    width = kernel_width(lime, len(s.names))
    frames, first = [], {}
    with threadpool_limits(limits=1):
        for r in range(tasks.N_STABILITY_SEEDS):
            table = _lime(_pipeline, X_pool, position, s, lime, lime["seed"] + r, width)
            first = first or dict(table.attrs)
            ordered = table.set_index("feature").loc[s.names].reset_index()
            frames.append(ordered.assign(seed=lime["seed"] + r))
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs = {"label": first["label"], "score": first["score"]}
    return frame


@st.cache_data(max_entries=MAX_EXPLANATIONS, show_spinner=False)
def explain_instance(ref: dict, _pipeline, position: int, lime: dict) -> InstanceExplanation:
    """LIME on pool curve ``position`` with the ``lime`` settings (num_samples,
    kernel_scale, discretize, seed, k), checked against the truth and the exact attribution.

    Raises
    ------
    ValueError
        From :mod:`learners` for settings it rejects.
    """
    s = summary(ref, _pipeline)
    X_pool, _, _ = _curves(ref, "pool")
    _, model_part, names = split_pipeline(_pipeline)
    k = min(int(lime["k"]), len(names))
    frames = seed_weights(ref, _pipeline, position, lime)
    first = frames[frames["seed"] == lime["seed"]]
    table = first.reindex(first["weight"].abs().sort_values(ascending=False).index)
    table = table.drop(columns="seed").reset_index(drop=True)
    label = frames.attrs["label"]
    label_index = s.classes.index(label)
    table["role"] = table["feature"].map(dict(zip(s.names, s.roles, strict=True)))
    weights, contribution = first["weight"].to_numpy(), first["contribution"].to_numpy()
    W = frames.pivot(index="seed", columns="feature", values="weight")[s.names].to_numpy()
    seeds = frames[["seed", "feature", "weight"]]
    truth = [j for j, r in enumerate(s.roles) if r == "truth"]
    physics = [j for j, r in enumerate(s.roles) if r in ("truth", "indirect")]
    # every score built on LIME's ranking is credited only where its top k stand out of
    # their spread over the seeds (|mean| > 2 sd): weights within noise of zero are not
    card = {
        "top_k_truth": top_k_agreement(weights, truth, k) if truth else math.nan,
        "top_k_physics": top_k_agreement(weights, physics, k) if physics else math.nan,
        "lime_noise": top_within_noise(W, weights, k),
        "lime_r2": frames.attrs["score"],
        "jaccard": jaccard_stability(W, k),
        "spread": weight_spread(W),
        "rank_correlation": math.nan,
        "sign_agreement": math.nan,
        "top_k_exact": math.nan,
    }
    exact, message = None, None
    try:
        exact = exact_attribution(
            _pipeline, X_pool, position, label=label, features=(s.F_train, s.F_pool[position])
        )
    except ValueError as err:
        message = str(err)
    card["reference"] = "exact attribution"
    if exact is not None:
        e = exact["attribution"].to_numpy()
        card["reference"] = exact.attrs["name"]
        exact["role"] = s.roles
        card["rank_correlation"] = rank_correlation(contribution, e)
        card["sign_agreement"] = sign_agreement(contribution, e, k)
        card["top_k_exact"] = top_k_agreement(contribution, top_k(e, k), k)

    def predict(F):
        return model_part.predict_proba(np.asarray(F, dtype=float))[:, label_index]

    x = s.F_pool[position]
    baseline = s.F_train.mean(axis=0)
    with threadpool_limits(limits=1):
        gap = faithfulness_gap(predict, x, baseline, weights, k, seed=lime["seed"])
        bottom = np.argsort(np.abs(weights), kind="stable")[:k]
        card["pgu"] = prediction_gap(predict, x, baseline, bottom)
    card.update(faithfulness_gap=gap["gap"], top_k_drop=gap["top_k_drop"])
    card["random_drop"] = gap["random_drop"]
    return InstanceExplanation(
        lime=table,
        exact=exact,
        exact_message=message,
        seeds=seeds,
        card=card,
        label=label,
        probability=float(s.proba[position, label_index]),
        kernel_width=kernel_width(lime, len(s.names)),
    )


@st.cache_data(max_entries=MAX_EXPLANATIONS, show_spinner=False)
def lipschitz(ref: dict, _pipeline, position: int, lime: dict) -> float:
    """Local Lipschitz estimate of the LIME weights over the :data:`N_NEIGHBOURS` nearest
    held-out curves, in standardised input units
    (:func:`learners.explain.scorecard.local_lipschitz`;
    each curve's explanation with the same seed)."""
    s = summary(ref, _pipeline)
    X_pool, _, _ = _curves(ref, "pool")
    width = kernel_width(lime, len(s.names))
    sd = s.F_train.std(axis=0)
    Z = (s.F_pool - s.F_train.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    distance = np.linalg.norm(Z - Z[position], axis=1)
    distance[position] = np.inf
    near = np.argsort(distance)[:N_NEIGHBOURS]
    near = near[np.isfinite(distance[near]) & (distance[near] > 0)]
    if not near.size:
        return math.nan
    explained = {}
    with threadpool_limits(limits=1):
        for j in [position, *near]:
            table = _lime(_pipeline, X_pool, int(j), s, lime, lime["seed"], width)
            weights = table.set_index("feature").loc[s.names, "weight"].to_numpy()
            explained[Z[j].tobytes()] = weights

    def explain(z):
        return explained[np.asarray(z, dtype=float).ravel().tobytes()]

    return local_lipschitz(explain, Z[position], Z[near])


@dataclass(frozen=True)
class CurveExplanation:
    """Segment LIME on one curve, with the truth region.

    Attributes
    ----------
    segments : DataFrame
        :func:`learners.explain_segments` plus ``t_start_s``, ``t_stop_s``.
    points : DataFrame
        One row per point: t_s, h_nm, P_mN, segment (test segment name), part (explained
        segment), weight (its segment's), truth (bool), shortcut (bool).
    truth_label : str
    card : dict
        pointing_game, relevance_mass and (Clever Hans) shortcut_mass; segment_noise (the
        top segment's weight lies within its spread over the seeds of zero: those scores are
        not credited), segment_top_weight and segment_top_sd.
    """

    segments: pd.DataFrame
    points: pd.DataFrame
    truth_label: str
    card: dict


@st.cache_data(max_entries=MAX_EXPLANATIONS, show_spinner=False)
def explain_curve(ref: dict, _pipeline, position: int, seg: dict, seed: int, num_samples: int):
    """LIME over the segments of pool curve ``position`` (``seg``: segments, n_windows,
    reference), scored against the truth region."""
    X_train, _, _ = _curves(ref, "train")
    X_pool, _, made = _curves(ref, "pool")
    row = int(np.asarray(ref["pool"])[position])
    samples = int(min(max(num_samples, 50), MAX_SEGMENT_SAMPLES))
    with threadpool_limits(limits=1):
        table = explain_segments(
            _pipeline,
            X_pool,
            position,
            segments=seg["segments"],
            n_windows=seg["n_windows"],
            reference=seg["reference"],
            background=X_train,
            num_samples=samples,
            seed=seed,
            repeats=tasks.N_STABILITY_SEEDS,
        )
    masks, weight_sets = table.attrs["masks"], table.attrs["weight_sets"]
    t, h, P = made.t_s[row], made.h_nm[row], made.P_mN[row]
    region, label, shortcut = tables.truth_region(
        ref["pool_data"], made.segment[row], P, made.defect_region[row]
    )
    weight = table["weight"].to_numpy() @ masks.astype(float)
    part = np.full(t.size, "", dtype=object)
    for name, mask in zip(table["segment"], masks, strict=True):
        part[mask] = name
    points = pd.DataFrame(
        {
            "t_s": t,
            "h_nm": h,
            "P_mN": P,
            "segment": np.asarray(SEGMENT_NAMES)[made.segment[row]],
            "part": part,
            "weight": weight,
            "truth": region,
            "shortcut": shortcut if shortcut is not None else False,
        }
    )
    table["t_start_s"] = t[table["start_index"].to_numpy()]
    table["t_stop_s"] = t[table["stop_index"].to_numpy() - 1]
    w = table["weight"].to_numpy()
    # the pointing game and the relevance masses rest on the top segment: not credited
    # when its weight lies within its spread over the seeds of zero
    top = int(np.argmax(w))
    card = {
        "pointing_game": None,
        "relevance_mass": math.nan,
        "segment_noise": bool(within_noise(weight_sets)[top]),
        "segment_top_weight": float(w[top]),
        "segment_top_sd": float(weight_sets[:, top].std(ddof=1)),
    }
    if region.any():
        card["pointing_game"] = pointing_game(w, masks, region)
        card["relevance_mass"] = relevance_mass_accuracy(w, masks, region)
    if shortcut is not None:
        card["shortcut_mass"] = relevance_mass_accuracy(w, masks, shortcut)
    table.attrs = {}
    return CurveExplanation(table, points, label, card)


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def stability_check(ref: dict, _pipeline, lime: dict) -> tuple[list[float], list[float]]:
    """Jaccard of the top k and weight spread over the seeds, for the first
    :data:`N_STABILITY_CURVES` pool curves."""
    jaccard, spread = [], []
    for position in range(min(N_STABILITY_CURVES, len(ref["pool"]))):
        seeds = seed_weights(ref, _pipeline, position, lime)
        W = seeds.pivot(index="seed", columns="feature", values="weight").to_numpy()
        jaccard.append(jaccard_stability(W, min(int(lime["k"]), W.shape[1])))
        spread.append(weight_spread(W))
    return jaccard, spread
