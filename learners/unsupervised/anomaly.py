"""Unsupervised detection of anomalous indentation curves, scored against the truth.

Every detector follows one small interface (:class:`Detector`: ``fit``, ``score``,
``threshold``) and gives one score per curve, higher = more anomalous:

- ``"isolation_forest"``, ``"lof"``, ``"ocsvm"``, ``"elliptic_envelope"``: scikit-learn's
  detectors on standardised inputs (Liu, Ting & Zhou 2008; Breunig et al. 2000;
  Schoelkopf et al. 2001; Rousseeuw & Van Driessen 1999);
- ``"robust_z"``: the largest robust z-score |x - median| / (1.4826 MAD) over the inputs
  (Iglewicz & Hoaglin 1993), meant for physical features;
- ``"pca_residual"``: the reconstruction error of each row by a PCA of all rows (robust to a
  few anomalies when the number of components is small); per-point residuals say *where*
  in a curve the anomaly is.

Inputs are 2-D: physical curve features (:func:`anomaly_inputs` with ``"features"``) or the
whole curve as normalised displacement on the protocol's shared time base (``"curve"``), whose
columns are the curve's points, so per-point residuals line up with the truth's point ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.covariance import EllipticEnvelope
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM

from ..curves.features import curve_features

METHODS = ("isolation_forest", "lof", "ocsvm", "elliptic_envelope", "robust_z", "pca_residual")
#: Physical features the feature-based detectors use (units in the names).
ANOMALY_FEATURES = (
    "H_GPa",
    "E_GPa",
    "hf_over_hmax",
    "Wp_over_Wt",
    "kick_C_GPa",
    "m",
    "fit_r2",
    "drift_rate_nm_per_s",
    "creep_nm",
    "initial_stiffness_mN_per_nm",
    "popin_size_nm",
)
_MAD_TO_SD = 1.4826


def anomaly_inputs(source, representation: str = "features") -> tuple[np.ndarray, list[str]]:
    """2-D inputs of the detectors from a dataset, Curves or IndentMap, and their names.

    Parameters
    ----------
    source : object with ``h_nm``, ``P_mN``, ``t_s`` arrays of shape (n, n_points)
    representation : {"features", "curve", "curve_rate"}
        "features": :data:`ANOMALY_FEATURES` from :func:`learners.curve_features`, a missing
        pop-in read as size 0 and other gaps filled with the column median (a curve the
        analysis cannot handle keeps its other features); "curve": displacement divided by
        each curve's median displacement at its highest loads, so curves of different
        materials overlay (columns = the protocol's time points); "curve_rate": the step of
        that normalised displacement from each sample to the next (0 after the last), where
        a burst or a change of slope stays local instead of shifting everything after it; a
        burst between two samples shows at the last sample before it.
    """
    h = np.asarray(source.h_nm, dtype=float)
    P = np.asarray(source.P_mN, dtype=float)
    if representation in ("curve", "curve_rate"):
        top = P >= 0.98 * np.nanmax(P, axis=1, keepdims=True)
        scale = np.nanmedian(np.where(top, h, np.nan), axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            X = np.nan_to_num(h / scale, nan=0.0)
        if representation == "curve":
            return X, [f"h_rel_{i}" for i in range(h.shape[1])]
        steps = np.diff(X, axis=1, append=X[:, -1:])
        return steps, [f"dh_rel_{i}" for i in range(h.shape[1])]
    if representation != "features":
        raise ValueError(
            f"representation must be 'features', 'curve' or 'curve_rate'. Got {representation!r}."
        )
    table = curve_features(h, P, np.asarray(source.t_s, dtype=float))
    X = table[list(ANOMALY_FEATURES)].to_numpy(dtype=float, copy=True)
    popin = ANOMALY_FEATURES.index("popin_size_nm")
    X[:, popin] = np.nan_to_num(X[:, popin], nan=0.0)
    median = np.nanmedian(X, axis=0)
    X = np.where(np.isnan(X), np.nan_to_num(median)[None, :], X)
    return X, list(ANOMALY_FEATURES)


@dataclass
class Detector:
    """An unsupervised anomaly detector: ``fit``, ``score`` (higher = more anomalous),
    ``threshold``.

    Parameters
    ----------
    method : one of :data:`METHODS`
    seed : int or None
    n_components : int
        Principal components of ``"pca_residual"``. One by default: the normal curves of a
        campaign on one material vary mainly along one mode (stiffness and hardness scatter);
        more components start to model the anomalies themselves when several share a shape.
    contamination : float
        Expected anomaly share, used by :meth:`threshold` (and by EllipticEnvelope's fit).
    standardise : bool
        Scale each input to unit variance first (right for features of different units;
        for a whole curve keep the points in their own units so that the residual of a
        quiet segment is not inflated).
    max_dims : int
        Inputs with more columns (whole curves) are projected on their first ``max_dims``
        principal components before the neighbourhood and density detectors (they scale
        badly with dimension); "pca_residual" and "robust_z" use every column.

    Notes
    -----
    LOF compares each row's density with that of its ``k`` nearest neighbours. Breunig et
    al. (2000) choose ``k`` at least as large as the biggest group of rows that should
    still count as outliers: a group of similar anomalies smaller than ``k`` stands out,
    a larger one is a cluster of its own. Here ``k`` = max(20, contamination x rows), the
    most anomalies the campaign is expected to hold: at 10,000 curves with 10 % anomalies
    of 6 types (about 170 per type) k = 20 scored ROC-AUC 0.53, k = 200 0.98 and k = 1000
    0.999 (bench/bench_anomaly.py).
    """

    method: str = "isolation_forest"
    seed: int | None = 0
    n_components: int = 1
    contamination: float = 0.1
    standardise: bool = True
    max_dims: int = 12

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}. Got {self.method!r}.")
        if not 0 < self.contamination < 0.5:
            raise ValueError(f"contamination must lie in (0, 0.5). Got {self.contamination!r}.")

    def fit(self, X: npt.ArrayLike) -> Detector:
        """Fit on rows of ``X`` (n, d); anomalies may be among them (unsupervised)."""
        X = _check_X(X)
        self.scaler_ = StandardScaler(with_std=self.standardise).fit(X)
        Z = self.scaler_.transform(X)
        m = self.method
        self.reducer_ = None
        if m not in ("robust_z", "pca_residual") and Z.shape[1] > self.max_dims:
            self.reducer_ = PCA(n_components=self.max_dims, random_state=self.seed).fit(Z)
            Z = self.reducer_.transform(Z)
        if m == "robust_z":
            self.median_ = np.median(X, axis=0)
            mad = np.median(np.abs(X - self.median_), axis=0) * _MAD_TO_SD
            self.mad_ = np.where(mad > 0, mad, np.std(X, axis=0) + 1e-12)
        elif m == "pca_residual":
            # Fit, then refit on the rows that look normal, so that the anomalies do not
            # pull the subspace toward themselves (a simple trimmed PCA).
            k = max(int(min(self.n_components, X.shape[0] - 2, X.shape[1])), 1)
            keep = np.ones(len(Z), dtype=bool)
            for _ in range(3):
                self.pca_ = PCA(n_components=k, random_state=self.seed).fit(Z[keep])
                error = np.mean((Z - self.pca_.inverse_transform(self.pca_.transform(Z))) ** 2, 1)
                keep = error <= np.quantile(error, 1 - self.contamination)
                if keep.sum() <= k:
                    break
        elif m == "isolation_forest":
            self.model_ = IsolationForest(n_estimators=200, random_state=self.seed).fit(Z)
        elif m == "lof":
            self.model_ = LocalOutlierFactor(
                n_neighbors=lof_neighbours(X.shape[0], self.contamination), novelty=True
            ).fit(Z)
        elif m == "ocsvm":
            self.model_ = OneClassSVM(nu=self.contamination, gamma="scale").fit(Z)
        else:
            self.model_ = EllipticEnvelope(
                contamination=self.contamination, random_state=self.seed
            ).fit(Z)
        return self

    def score(self, X: npt.ArrayLike) -> np.ndarray:
        """Anomaly score per row (n,), higher = more anomalous."""
        X = _check_X(X)
        if self.method == "robust_z":
            return np.max(np.abs(X - self.median_) / self.mad_, axis=1)
        if self.method == "pca_residual":
            # The classic reconstruction error (least-squares projection); the robust
            # per-point residuals of point_residuals serve localisation.
            Z = self.scaler_.transform(X)
            error = Z - self.pca_.inverse_transform(self.pca_.transform(Z))
            return np.sqrt(np.mean(error**2, axis=1))
        Z = self.scaler_.transform(X)
        if self.reducer_ is not None:
            Z = self.reducer_.transform(Z)
        return -self.model_.score_samples(Z)

    def point_residuals(self, X: npt.ArrayLike) -> np.ndarray:
        """Per-input residual (n, d) of a Huber-weighted projection on the PCA subspace, in
        the scaler's units: where in each row the anomaly is."""
        if self.method != "pca_residual":
            raise ValueError("point_residuals needs method='pca_residual'.")
        Z = self.scaler_.transform(_check_X(X)) - self.pca_.mean_
        return _robust_projection_residuals(Z, self.pca_.components_)

    def threshold(self, scores: npt.ArrayLike) -> float:
        """Score above which the top ``contamination`` share of ``scores`` is flagged."""
        return float(np.quantile(np.asarray(scores, dtype=float), 1 - self.contamination))


def lof_neighbours(n_rows: int, contamination: float) -> int:
    """LOF's neighbourhood size: max(20, contamination x n_rows), below n_rows.

    Breunig et al. (2000) take k at least as large as the biggest group of rows that should
    still count as outliers; the anomalies expected in a campaign (contamination x n_rows)
    bound that group even when they all share one shape. See the notes of :class:`Detector`.
    """
    return int(max(1, min(max(20, int(np.ceil(contamination * n_rows))), n_rows - 1)))


def anomaly_scores(
    X: npt.ArrayLike, method: str = "isolation_forest", *, seed: int | None = 0, **kwargs
) -> np.ndarray:
    """Fit a :class:`Detector` on ``X`` (n, d) and return one score per row, higher = more
    anomalous."""
    return Detector(method, seed=seed, **kwargs).fit(X).score(X)


def detection_report(
    scores: npt.ArrayLike, defect: npt.ArrayLike, *, threshold: float | None = None
) -> pd.DataFrame:
    """ROC-AUC, average precision and recall at ``threshold``, overall and per defect type.

    Parameters
    ----------
    scores : (n,) anomaly scores
    defect : (n,) the truth's defect type per curve, ``"none"`` for good curves
    threshold : float, optional
        Flag curves with score > threshold; recall columns are NaN without one.

    Returns
    -------
    DataFrame with one row per defect type plus ``"all"``: n, roc_auc (that type against the
    good curves), average_precision, recall, and false_positive_rate (good curves flagged).
    """
    s = np.asarray(scores, dtype=float)
    d = np.asarray(defect).astype(str)
    good = d == "none"
    if good.all() or not good.any():
        raise ValueError("detection_report needs both good ('none') and defective curves.")
    flagged = s > threshold if threshold is not None else None
    rows = []
    for kind in ["all", *sorted(set(d[~good]))]:
        bad = ~good if kind == "all" else d == kind
        keep = good | bad
        y = bad[keep]
        rows.append(
            {
                "defect": kind,
                "n": int(bad.sum()),
                "roc_auc": roc_auc_score(y, s[keep]),
                "average_precision": average_precision_score(y, s[keep]),
                "recall": float(flagged[bad].mean()) if flagged is not None else np.nan,
                "false_positive_rate": float(flagged[good].mean())
                if flagged is not None
                else np.nan,
            }
        )
    return pd.DataFrame(rows)


def residual_peak_in_truth(residuals: npt.ArrayLike, region: npt.ArrayLike) -> np.ndarray:
    """Per curve: is the largest |residual| at a point inside the truth's region?

    ``residuals`` and ``region`` have shape (n, n_points); curves with an empty region give
    False.
    """
    r = np.abs(np.asarray(residuals, dtype=float))
    region = np.asarray(region, dtype=bool)
    peak = np.argmax(r, axis=1)
    return region[np.arange(r.shape[0]), peak]


def _robust_projection_residuals(Z: np.ndarray, V: np.ndarray, n_iter: int = 20) -> np.ndarray:
    """Residuals of each centred row of ``Z`` (n, d) from its Huber-weighted projection on the
    rows of ``V`` (k, d), by iteratively reweighted least squares (Huber 1964; Holland &
    Welsch 1977).

    A plain least-squares projection spreads a local deviation (a burst, an elbow) over the
    whole curve; the Huber weights let the normal majority of points fix the projection, so
    the residual stays where the curve really differs.
    """
    coef = Z @ V.T  # least-squares start (orthonormal components)
    for _ in range(n_iter):
        r = Z - coef @ V
        scale = np.median(np.abs(r), axis=1, keepdims=True) / 0.6745 + 1e-12
        w = np.minimum(1.0, 1.345 * scale / np.maximum(np.abs(r), 1e-300))
        gram = np.einsum("kd,nd,ld->nkl", V, w, V)
        rhs = np.einsum("kd,nd->nk", V, w * Z)
        coef = np.linalg.solve(gram, rhs[..., None])[..., 0]
    return Z - coef @ V


def _check_X(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 3:
        raise ValueError(f"X must be 2-D with at least 3 rows. Got shape {X.shape}.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must not hold NaN or infinite values (fill or drop them first).")
    return X
