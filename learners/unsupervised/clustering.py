"""Unsupervised phase identification: cluster the indents of a map, choose the number of phases.

Methods (all from scikit-learn): k-means, Gaussian mixture (full covariance), Ward
agglomerative clustering, DBSCAN and HDBSCAN. The number of phases is chosen by BIC and ICL
(Gaussian mixtures), silhouette (k-means) and the elbow of the k-means inertia, side by side.

References
----------
.. [1] G. Schwarz, Ann. Stat. 6 (1978) 461 (BIC). doi:10.1214/aos/1176344136
.. [2] C. Biernacki, G. Celeux, G. Govaert, IEEE Trans. Pattern Anal. Mach. Intell. 22 (2000)
   719 (ICL). doi:10.1109/34.865189
.. [3] P. J. Rousseeuw, J. Comput. Appl. Math. 20 (1987) 53 (silhouette).
   doi:10.1016/0377-0427(87)90125-7
.. [4] M. Ester, H.-P. Kriegel, J. Sander, X. Xu, KDD-96 (1996) 226 (DBSCAN, k-distance).
.. [5] E. Schubert, J. Sander, M. Ester, H.-P. Kriegel, X. Xu, ACM Trans. Database Syst. 42
   (2017) 19 (minPts = 2 x dimension). doi:10.1145/3068335
.. [6] V. Satopaa, J. Albrecht, D. Irwin, B. Raghavan, ICDCS Workshops (2011) 166 (knee).
   doi:10.1109/ICDCSW.2011.20
.. [7] R. J. G. B. Campello, D. Moulavi, J. Sander, PAKDD (2013) 160 (HDBSCAN).
   doi:10.1007/978-3-642-37456-2_14
.. [8] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705 (mixed indents
   make extra peaks).
.. [9] D. Birant, A. Kut, Data Knowl. Eng. 60 (2007) 208 (minPts ~ ln n).
   doi:10.1016/j.datak.2006.01.013
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors, kneighbors_graph
from threadpoolctl import threadpool_limits

from .map_features import SCALINGS, feature_matrix, make_scaler

#: Clustering methods of :func:`cluster_phases`.
METHODS = ("kmeans", "gmm", "agglomerative", "dbscan", "hdbscan")
NAN_POLICIES = ("raise", "omit")
#: Above this many indents Ward clustering is restricted to a k-nearest-neighbour graph in
#: feature space (full Ward needs O(n^2) memory: 0.4 GB at 10,000 indents).
WARD_FULL_MAX = 5000
#: Silhouette is computed on at most this many indents (random sample).
SILHOUETTE_SAMPLE = 2000
#: Up to this many feature values (indents x features) clustering runs on one OpenMP
#: thread: k-means on a 10,000 x 2 map took 0.46 s with the default threads and 0.01 s with
#: one on a busy 2-CPU machine (bench/bench_maps.py); threads only pay off on larger data.
ONE_THREAD_MAX_VALUES = 2_000_000


@dataclass
class ClusterResult:
    """Clusters of the indents of a map.

    Attributes
    ----------
    labels : ndarray of int, shape (n_indents,)
        Cluster per indent, 0..n_clusters-1; -1 for DBSCAN/HDBSCAN noise and for rows left
        out (``nan_policy="omit"``).
    model : sklearn estimator
        The fitted clustering model (it saw the scaled usable rows).
    method : str
    scaler : sklearn transformer
        The fitted scaling; ``model`` works on ``scaler.transform(X)``.
    usable : ndarray of bool, shape (n_indents,)
        Rows that were clustered.
    probabilities : ndarray, shape (n_indents, n_clusters), or None
        Gaussian-mixture membership probabilities (NaN rows for left-out indents).
    """

    labels: np.ndarray
    model: object
    method: str
    scaler: object
    usable: np.ndarray
    probabilities: np.ndarray | None = None

    @property
    def n_clusters(self) -> int:
        """Number of clusters found (noise not counted)."""
        return int(np.unique(self.labels[self.labels >= 0]).size)


def cluster_phases(
    features,
    method: str = "gmm",
    n_phases: int = 2,
    seed: int | None = 0,
    *,
    scaling: str = "log",
    nan_policy: str = "raise",
    **kw,
) -> ClusterResult:
    """Cluster the indents of a map into phases.

    Parameters
    ----------
    features : array_like, shape (n_indents, n_features), or DataFrame
        E.g. :func:`learners.unsupervised.map_features.map_feature_table` (H_GPa, E_GPa, ...); a
        DataFrame's ``ok``/``reason`` columns are not features, and ``ok == False`` rows are
        treated like rows with NaN.
    method : {"kmeans", "gmm", "agglomerative", "dbscan", "hdbscan"}, default "gmm"
        ``"kmeans"``: KMeans (n_init=10); ``"gmm"``: GaussianMixture (covariance_type="full",
        n_init=3); ``"agglomerative"``: Ward linkage (on a 15-nearest-neighbour graph above
        :data:`WARD_FULL_MAX` indents); ``"dbscan"``: DBSCAN with min_samples =
        max(2 x n_features, ln n) (Schubert et al. 2017; Birant & Kut 2007) and eps at the
        knee of the sorted k-distance curve (:func:`dbscan_eps`), unless given; ``"hdbscan"``:
        HDBSCAN, min_cluster_size = max(5, 2 % of the indents) unless given.
    n_phases : int, default 2
        Number of clusters (ignored by DBSCAN and HDBSCAN, which find it).
    seed : int or None, default 0
        Random state (k-means and Gaussian-mixture initialisation).
    scaling : {"none", "standard", "robust", "log"}, default "log"
        Applied before clustering (see
        :func:`learners.unsupervised.map_features.make_scaler`). ``"log"`` takes the log of
        every column that is positive throughout, then standardises all columns: H and E
        scatter multiplicatively within a phase and phases differ by ratios, so their logs are
        the natural scale (on dual-phase steel maps it gave the highest ARI of the four
        scalings).
    nan_policy : {"raise", "omit"}, default "raise"
        Rows with NaN (or ``ok == False``): raise a ValueError saying how many, or leave
        them out with label -1.
    **kw
        Passed to the scikit-learn estimator (e.g. ``eps``, ``min_samples``, ``max_iter``).

    Returns
    -------
    ClusterResult

    Raises
    ------
    ValueError
        For an unknown method, scaling or nan_policy, rows with NaN under
        ``nan_policy="raise"``, or fewer usable rows than ``n_phases``.

    Notes
    -----
    Indents near a phase boundary measure a mixture of phases; they form a bridge of
    intermediate values that a mixture model may call a phase of its own [6]_.

    References
    ----------
    .. [1] G. Constantinides et al., Mater. Sci. Eng. A 430 (2006) 189.
    .. [2] M. Ester et al., KDD-96 (1996) 226.
    .. [3] E. Schubert et al., ACM Trans. Database Syst. 42 (2017) 19.
    .. [4] D. Birant, A. Kut, Data Knowl. Eng. 60 (2007) 208.
    .. [5] R. J. G. B. Campello et al., PAKDD (2013) 160.
    .. [6] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705.

    Examples
    --------
    >>> X = np.r_[np.full((5, 2), 1.0), np.full((5, 2), 9.0)]
    >>> cluster_phases(X + 0.01 * np.arange(10)[:, None], "kmeans").n_clusters
    2
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}. Got {method!r}.")
    Z, usable, scaler = _prepare(features, scaling, nan_policy)
    n_used = Z.shape[0]
    if method in ("kmeans", "gmm", "agglomerative"):
        n_phases = _check_k(n_phases, "n_phases", n_used)
    with _few_threads(Z):
        model, labels_used, probabilities_used = _fit(Z, method, n_phases, seed, kw)
    labels = np.full(usable.size, -1, dtype=int)
    labels[usable] = labels_used
    probabilities = None
    if probabilities_used is not None:
        probabilities = np.full((usable.size, probabilities_used.shape[1]), np.nan)
        probabilities[usable] = probabilities_used
    return ClusterResult(labels, model, method, scaler, usable, probabilities)


def _fit(Z: np.ndarray, method: str, n_phases: int, seed, kw: dict):
    """Fit one clustering method; (model, labels, probabilities or None)."""
    n_used = Z.shape[0]
    kw = dict(kw)
    probabilities_used = None
    if method == "kmeans":
        model = KMeans(**{"n_clusters": n_phases, "n_init": 10, "random_state": seed, **kw})
        labels_used = model.fit_predict(Z)
    elif method == "gmm":
        model = GaussianMixture(
            **{
                "n_components": n_phases,
                "covariance_type": "full",
                "n_init": 3,
                "random_state": seed,
                **kw,
            }
        ).fit(Z)
        labels_used = model.predict(Z)
        probabilities_used = model.predict_proba(Z)
    elif method == "agglomerative":
        options = {"n_clusters": n_phases, "linkage": "ward", **kw}
        if n_used > WARD_FULL_MAX and "connectivity" not in kw:
            options["connectivity"] = kneighbors_graph(Z, 15, include_self=False)
        model = AgglomerativeClustering(**options)
        labels_used = model.fit_predict(Z)
    elif method == "dbscan":
        default_min_samples = max(2 * Z.shape[1], int(round(np.log(n_used))))
        min_samples = int(kw.pop("min_samples", default_min_samples))
        eps = kw.pop("eps", None)
        if eps is None:
            eps = dbscan_eps(Z, min_samples)
        model = DBSCAN(eps=float(eps), min_samples=min_samples, **kw)
        labels_used = model.fit_predict(Z)
    else:  # hdbscan
        options = {"min_cluster_size": max(5, int(round(0.02 * n_used))), "copy": True, **kw}
        model = HDBSCAN(**options)
        labels_used = model.fit_predict(Z)
    return model, labels_used, probabilities_used


def _few_threads(Z: np.ndarray):
    """One OpenMP and one BLAS thread for small data (see :data:`ONE_THREAD_MAX_VALUES`).

    Thread start-up costs more than it saves on small problems (a Gaussian-mixture fit of a
    30 x 30 map: 1.4 s with 2 BLAS threads on a busy 2-core machine, 0.05 s with one).
    threadpoolctl restores the settings on exit.
    """
    if Z.size <= ONE_THREAD_MAX_VALUES:
        return threadpool_limits(limits=1)
    return contextlib.nullcontext()


def dbscan_eps(Z: np.ndarray, min_samples: int) -> float:
    """DBSCAN radius at the knee of the sorted k-distance curve.

    Parameters
    ----------
    Z : ndarray, shape (n, d)
        Scaled features.
    min_samples : int
        DBSCAN's min_samples (the point itself included); k = min_samples - 1 neighbours.

    Returns
    -------
    float
        The k-distance where the sorted curve lies farthest below the chord joining its
        ends, both axes scaled to [0, 1] (Ester et al. 1996; the knee rule of Satopaa et al.
        2011).
    """
    k = int(min(max(min_samples, 2), Z.shape[0]))
    dist = NearestNeighbors(n_neighbors=k).fit(Z).kneighbors(Z)[0][:, -1]
    dist = np.sort(dist)
    eps = float(dist[knee_index(dist)])
    return eps if eps > 0 else float(dist[dist > 0].min(initial=1e-12))


def knee_index(y) -> int:
    """Index of the knee (elbow) of a convex, monotone curve y(i).

    The point farthest below the straight line joining the first and last points, with i
    and y both scaled to [0, 1] (Satopaa et al. 2011). For a decreasing curve such as the
    k-means inertia this is the elbow; for an increasing one, the k-distance knee.
    """
    y = np.asarray(y, dtype=float)
    if y.size < 3 or not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        return 0
    x = np.linspace(0.0, 1.0, y.size)
    y_n = (y - y.min()) / np.ptp(y)
    chord = y_n[0] + (y_n[-1] - y_n[0]) * x
    return int(np.argmax(chord - y_n))


def choose_n_phases(
    features,
    k_range=range(1, 7),
    seed: int | None = 0,
    *,
    scaling: str = "log",
    nan_policy: str = "raise",
    silhouette_sample: int = SILHOUETTE_SAMPLE,
) -> pd.DataFrame:
    """Criteria for the number of phases, side by side.

    Parameters
    ----------
    features : array_like, shape (n_indents, n_features), or DataFrame
        As in :func:`cluster_phases`.
    k_range : iterable of int, default range(1, 7)
        Numbers of phases to try (each >= 1 and below the number of usable indents).
    seed : int or None, default 0
    scaling : {"none", "standard", "robust", "log"}, default "log"
        As in :func:`cluster_phases`.
    nan_policy : {"raise", "omit"}, default "raise"
        Rows with NaN: raise, or leave out.
    silhouette_sample : int, default 2000
        Silhouette on a random sample of at most this many indents (it costs O(n^2)).

    Returns
    -------
    pandas.DataFrame, one row per k
        ``k``; ``bic`` of a full-covariance Gaussian mixture (lower is better);
        ``icl`` = bic + 2 x the entropy of the memberships (lower is better; penalises
        overlapping components); ``silhouette`` of k-means labels (higher is better, NaN
        for k = 1); ``inertia`` of k-means (sum of squared distances, scaled units);
        booleans ``best_bic``, ``best_icl``, ``best_silhouette``, ``best_elbow`` marking
        each criterion's choice (elbow: knee of the inertia curve). ``attrs["best_k"]``
        holds the same choices as a dict.

    Notes
    -----
    BIC = -2 ln L + p ln n (Schwarz 1978) with p = k - 1 + k d + k d (d + 1) / 2 for a
    full-covariance mixture in d dimensions. BIC rewards any population a Gaussian fits
    badly with an extra component; indents on phase boundaries, whose properties are
    mixtures, form such a population (Trtik et al. 2009), so BIC tends to count them as an
    extra phase. ICL (Biernacki et al. 2000) adds the classification entropy and prefers
    well-separated components.

    References
    ----------
    .. [1] G. Schwarz, Ann. Stat. 6 (1978) 461.
    .. [2] C. Biernacki, G. Celeux, G. Govaert, IEEE TPAMI 22 (2000) 719.
    .. [3] P. J. Rousseeuw, J. Comput. Appl. Math. 20 (1987) 53.
    .. [4] V. Satopaa et al., ICDCS Workshops (2011) 166.
    .. [5] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705.
    """
    Z, _, _ = _prepare(features, scaling, nan_policy)
    n = Z.shape[0]
    ks = [_check_k(k, "k_range", n) for k in k_range]
    if not ks:
        raise ValueError("k_range must hold at least one number of phases. Got none.")
    rng = np.random.default_rng(seed)
    sample = rng.choice(n, size=min(n, int(silhouette_sample)), replace=False)
    rows = []
    with _few_threads(Z):
        for k in ks:
            rows.append(_criteria(Z, k, seed, sample))
    table = pd.DataFrame(rows).sort_values("k", ignore_index=True)
    best = {
        "bic": int(table.loc[table["bic"].idxmin(), "k"]),
        "icl": int(table.loc[table["icl"].idxmin(), "k"]),
        "silhouette": (
            int(table.loc[table["silhouette"].idxmax(), "k"])
            if table["silhouette"].notna().any()
            else None
        ),
        "elbow": int(table["k"].iloc[knee_index(table["inertia"])]),
    }
    for name, k in best.items():
        table[f"best_{name}"] = table["k"] == k
    table.attrs["best_k"] = best
    return table


def _criteria(Z: np.ndarray, k: int, seed, sample: np.ndarray) -> dict:
    """BIC, ICL, silhouette and inertia for k phases."""
    gmm = GaussianMixture(k, covariance_type="full", n_init=3, random_state=seed).fit(Z)
    bic = gmm.bic(Z)
    p = gmm.predict_proba(Z)
    entropy = -np.sum(p * np.log(np.clip(p, 1e-300, None)))
    km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(Z)
    labels = km.labels_[sample]
    sil = np.nan
    if k >= 2 and 2 <= np.unique(labels).size < sample.size:
        sil = silhouette_score(Z[sample], labels)
    return {"k": k, "bic": bic, "icl": bic + 2 * entropy, "silhouette": sil, "inertia": km.inertia_}


def _prepare(features, scaling: str, nan_policy: str):
    """Usable rows, scaled; the usable mask and the fitted scaler."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {', '.join(SCALINGS)}. Got {scaling!r}.")
    if nan_policy not in NAN_POLICIES:
        raise ValueError(
            f"nan_policy must be one of {', '.join(NAN_POLICIES)}. Got {nan_policy!r}."
        )
    X, usable, _ = feature_matrix(features)
    n_bad = int((~usable).sum())
    if n_bad and nan_policy == "raise":
        raise ValueError(
            f"features has {n_bad} of {usable.size} rows with NaN or ok=False; drop them, or "
            "pass nan_policy='omit' to leave them out with label -1."
        )
    if not usable.any():
        raise ValueError("features has no usable row (every row has NaN or ok=False).")
    scaler = make_scaler(scaling)
    Z = scaler.fit_transform(X[usable])
    if not np.all(np.isfinite(Z)):
        raise ValueError(f"scaling {scaling!r} gave non-finite values; try another scaling.")
    return Z, usable, scaler


def _check_k(k, name: str, n: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= max(n - 1, 1):
        raise ValueError(
            f"{name} must hold whole numbers from 1 to {max(n - 1, 1)} (usable indents - 1). "
            f"Got {k!r}."
        )
    return int(k)


__all__ = [
    "ClusterResult",
    "METHODS",
    "choose_n_phases",
    "cluster_phases",
    "dbscan_eps",
    "knee_index",
]
