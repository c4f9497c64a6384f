"""Feature tables and curve representations of an indentation map, ready for clustering.

Three representations of the indents of a map:

- a feature table: Oliver-Pharr hardness and modulus (and any other curve feature of
  :func:`learners.curve_features`), one row per indent, with unit-bearing column names;
- the same table scaled (none, standard, robust, log) by a scikit-learn transformer;
- the full loading branch resampled on a common normalised grid, and its principal
  components.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564. doi:10.1557/JMR.1992.1564
.. [2] G. Constantinides, K. S. Ravi Chandran, F.-J. Ulm, K. J. Van Vliet, Mater. Sci.
   Eng. A 430 (2006) 189. doi:10.1016/j.msea.2006.05.125
.. [3] I. T. Jolliffe, J. Cadima, Phil. Trans. R. Soc. A 374 (2016) 20150202 (PCA).
   doi:10.1098/rsta.2015.0202
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.preprocessing import FunctionTransformer, RobustScaler, StandardScaler

from ..curves.analysis import OP_COLUMNS
from ..curves.features import FEATURE_COLUMNS, curve_features
from ..curves.oliver_pharr import oliver_pharr

#: Poisson's ratio assumed for every indent when none is given [-]. A real user does not
#: know each phase's nu before the phases are found; 0.3 is the usual guess for metals and
#: ceramics. E then carries an error of roughly (nu_true^2 - 0.09) / (1 - nu_true^2).
DEFAULT_NU = 0.3
#: Scaling methods of :func:`scale_features`.
SCALINGS = ("none", "standard", "robust", "log")
#: Columns of a feature table that are flags, never features.
FLAG_COLUMNS = ("ok", "reason")
#: Segment code of the loading branch (see :data:`simulator.protocol.SEGMENT_NAMES`).
_LOADING = 1


def map_feature_table(
    indent_map_or_curves,
    *,
    features: Sequence[str] = ("H_GPa", "E_GPa"),
    nu: float | npt.ArrayLike | None = None,
    **op_kwargs,
) -> pd.DataFrame:
    """Curve features of every indent of a map, one row per indent.

    Parameters
    ----------
    indent_map_or_curves : simulator.IndentMap, simulator.Curves or mapping
        Anything with ``h_nm`` and ``P_mN`` (and optionally ``t_s`` and ``segment``) of shape
        (n_indents, n_points), as attributes or mapping keys. Displacement [nm], load [mN],
        time [s], segment codes 0..5.
    features : sequence of str, default ("H_GPa", "E_GPa")
        Columns of :func:`learners.oliver_pharr` or :func:`learners.curve_features` to keep,
        e.g. ``"H_GPa"``, ``"E_GPa"``, ``"Er_GPa"``, ``"S_mN_per_nm"``, ``"hf_over_hmax"``,
        ``"Wp_over_Wt"``, ``"kick_C_GPa"``.
    nu : float or array_like of shape (n_indents,), optional
        Poisson's ratio used to turn E_r into E [-]. Default :data:`DEFAULT_NU` (0.3) for
        every indent: before the phases are known, a user cannot give each indent its own
        nu. Only ``E_GPa`` depends on it; ``Er_GPa`` does not.
    **op_kwargs
        Passed to :func:`learners.oliver_pharr` (tip, fit_range, corrections, ...).

    Returns
    -------
    pandas.DataFrame, shape (n_indents, len(features) + 2)
        The feature columns in the order asked, then ``ok`` (bool) and ``reason`` (str, ""
        when ok). Indent k is row k. Curves the analysis could not handle are kept, with
        ``ok=False``, their reason, and NaN in the Oliver-Pharr values.

    Raises
    ------
    ValueError
        If a feature name is unknown or the input has no curves.

    References
    ----------
    .. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
    """
    features = [features] if isinstance(features, str) else list(features)
    allowed = [c for c in (*OP_COLUMNS, *FEATURE_COLUMNS) if c not in FLAG_COLUMNS]
    unknown = [f for f in features if f not in allowed]
    if not features or unknown:
        raise ValueError(
            f"features must be a non-empty list of curve features; {unknown or features!r} "
            f"not allowed. Allowed: {', '.join(allowed)}."
        )
    h, P, t, segment = (
        _curve_array(indent_map_or_curves, name) for name in ("h_nm", "P_mN", "t_s", "segment")
    )
    if h is None or P is None:
        raise ValueError("indent_map_or_curves must provide h_nm and P_mN (n_indents, n_points).")
    if np.ndim(h) != 2 or np.shape(h)[0] == 0:
        raise ValueError(f"h_nm must have shape (n_indents, n_points). Got {np.shape(h)}.")
    nu = DEFAULT_NU if nu is None else nu
    if all(f in OP_COLUMNS for f in features):
        table = oliver_pharr(h, P, nu, t_s=t, segment=segment, **op_kwargs)
    else:
        table = curve_features(h, P, t, segment=segment, nu=nu, **op_kwargs)
    return table[[*features, "ok", "reason"]].reset_index(drop=True)


def _curve_array(source, name: str):
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name, None)


def feature_matrix(features) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature values as a float matrix, with the rows fit for clustering.

    Parameters
    ----------
    features : array_like, shape (n, d), or DataFrame
        A DataFrame's ``ok`` and ``reason`` columns (see :func:`map_feature_table`) are not
        features: they are dropped, and rows with ``ok == False`` count as unusable.

    Returns
    -------
    X : ndarray, shape (n, d)
    usable : ndarray of bool, shape (n,)
        Rows with every value finite (and ``ok`` where given).
    columns : list of str
        Column names (``"x0"``, ``"x1"``, ... for an array).

    Raises
    ------
    ValueError
        If the input is not 2-D with at least one row and one column, or a column is not
        numeric.
    """
    ok = None
    if isinstance(features, pd.DataFrame):
        if "ok" in features:
            ok = features["ok"].to_numpy(dtype=bool)
        frame = features.drop(columns=[c for c in FLAG_COLUMNS if c in features])
        bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise ValueError(f"features must be numeric columns. Got non-numeric {bad!r}.")
        columns = [str(c) for c in frame.columns]
        X = frame.to_numpy(dtype=float)
    else:
        X = np.asarray(features, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        columns = [f"x{i}" for i in range(X.shape[1])] if X.ndim == 2 else []
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"features must be 2-D (n_indents, n_features) with at least one row and "
            f"column. Got shape {X.shape}."
        )
    usable = np.isfinite(X).all(axis=1)
    if ok is not None:
        usable &= ok
    return X, usable, columns


class PositiveLogScaler(TransformerMixin, BaseEstimator):
    """Natural log of the columns that are positive at fit time, then standardise all.

    Hardness and modulus scatter multiplicatively (log-normal within a phase) and phases
    differ by ratios, so their logarithms suit distance- and Gaussian-based clustering.
    Columns with a zero or negative value at fit time are only standardised. NaN is kept.

    Attributes
    ----------
    log_columns_ : ndarray of bool, shape (n_features,)
        Columns that are logged.
    scaler_ : StandardScaler
    """

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        with np.errstate(invalid="ignore"):
            self.log_columns_ = np.all((X > 0) | np.isnan(X), axis=0)
        self.scaler_ = StandardScaler().fit(self._log(X))
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        return self.scaler_.transform(self._log(np.asarray(X, dtype=float)))

    def inverse_transform(self, X):
        Z = self.scaler_.inverse_transform(np.asarray(X, dtype=float))
        return np.where(self.log_columns_, np.exp(Z), Z)

    def _log(self, X: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.log_columns_, np.log(X), X)


def make_scaler(method: str):
    """The scikit-learn transformer of a scaling method, unfitted.

    Parameters
    ----------
    method : {"none", "standard", "robust", "log"}
        ``"none"``: identity; ``"standard"``: :class:`~sklearn.preprocessing.StandardScaler`
        (mean 0, sd 1); ``"robust"``: :class:`~sklearn.preprocessing.RobustScaler` (median 0,
        interquartile range 1, little moved by outliers such as pore indents); ``"log"``:
        :class:`PositiveLogScaler` (log of positive columns, then standardised).

    Returns
    -------
    transformer
        With ``fit``, ``transform``, ``inverse_transform``; usable in a Pipeline.
    """
    if method == "none":
        return FunctionTransformer(validate=False, check_inverse=False)
    if method == "standard":
        return StandardScaler()
    if method == "robust":
        return RobustScaler()
    if method == "log":
        return PositiveLogScaler()
    raise ValueError(f"method must be one of {', '.join(SCALINGS)}. Got {method!r}.")


def scale_features(X, method: str = "log"):
    """Scale a feature table column by column.

    Parameters
    ----------
    X : array_like, shape (n, d), or DataFrame
        Features; for a DataFrame, ``ok`` and ``reason`` pass through unchanged.
    method : {"none", "standard", "robust", "log"}, default "log"
        See :func:`make_scaler`. NaN rows are ignored in the fit and stay NaN.

    Returns
    -------
    ndarray of shape (n, d), or DataFrame
        Same type, shape, index and column names as ``X``; values are dimensionless (except
        for ``"none"``).

    Examples
    --------
    >>> scale_features(np.array([[1.0, 100.0], [10.0, 1000.0]]), "log")
    array([[-1., -1.],
           [ 1.,  1.]])
    """
    scaler = make_scaler(method)
    if isinstance(X, pd.DataFrame):
        cols = [c for c in X.columns if c not in FLAG_COLUMNS]
        out = X.copy()
        values, _, _ = feature_matrix(X[cols])
        out[cols] = scaler.fit_transform(values)
        return out
    values, _, _ = feature_matrix(X)
    return scaler.fit_transform(values)


def resample_curves(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    segment: npt.ArrayLike | None = None,
    n: int = 64,
    on: str = "depth",
) -> np.ndarray:
    """The loading branch of every curve resampled on a common normalised grid.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_curves, n_points)
        Displacement [nm] and load [mN] of each curve, in time order (NaN points skipped).
    segment : array_like of int, shape (n_points,) or (n_curves, n_points), optional
        Segment codes; the loading branch is code 1. Without them it is every point up to
        the first maximum of the load with P >= 0.
    n : int, default 64
        Number of grid points, 2 <= n <= 4096.
    on : {"depth", "load"}, default "depth"
        ``"depth"``: the load [mN] at depths x * h_max; ``"load"``: the depth [nm] at loads
        x * P_max; x = (1, 2, ..., n) / n and h_max, P_max are each curve's largest value on
        its loading branch.

    Returns
    -------
    ndarray, shape (n_curves, n)
        Load [mN] (``on="depth"``) or depth [nm] (``on="load"``); a row is NaN when its
        curve has fewer than two loading points.

    Notes
    -----
    Noise makes the branch slightly non-monotone; it is made monotone with a running
    maximum of the grid variable before interpolation. All curves are interpolated in one
    :func:`numpy.interp` call: each row's normalised abscissa (clipped to [-1, 1]) is
    shifted by 3 x its row number, so the rows lie end to end in one increasing array.

    For a load-controlled map of Kick's-law curves (P = C h^2), ``on="depth"`` gives
    P(x h_max) = P_max x^2 for every curve: the phase shows in the depth scale, so use
    ``on="load"`` (depth at fractions of P_max) to separate hard from soft indents, and
    ``on="depth"`` for the shape (pop-ins, size effect, roughness) or depth-controlled maps.
    """
    if on not in ("depth", "load"):
        raise ValueError(f"on must be 'depth' or 'load'. Got {on!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 4096:
        raise ValueError(f"n must be a whole number from 2 to 4096. Got {n!r}.")
    h = np.atleast_2d(np.asarray(h_nm, dtype=float))
    P = np.atleast_2d(np.asarray(P_mN, dtype=float))
    if h.ndim != 2 or P.shape != h.shape:
        raise ValueError(
            f"h_nm and P_mN must have the same shape (n_curves, n_points). "
            f"Got {h.shape} and {P.shape}."
        )
    n_curves, n_points = h.shape
    finite = np.isfinite(h) & np.isfinite(P)
    if segment is not None:
        seg = np.broadcast_to(np.asarray(segment), h.shape)
        branch = finite & (seg == _LOADING)
    else:
        P_safe = np.where(finite, P, -np.inf)
        i_peak = np.argmax(P_safe, axis=1)
        branch = finite & (np.arange(n_points)[None, :] <= i_peak[:, None]) & (P_safe >= 0)
    x_raw, y_raw = (h, P) if on == "depth" else (P, h)
    # Monotone abscissa per row: running maximum over the branch (-inf elsewhere).
    x_mono = np.maximum.accumulate(np.where(branch, x_raw, -np.inf), axis=1)
    x_max = x_mono[:, -1]
    good = (branch.sum(axis=1) >= 2) & np.isfinite(x_max) & (x_max > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_norm = np.clip(x_mono / x_max[:, None], -1.0, 1.0)
    keep = branch & good[:, None]
    row = np.broadcast_to(np.arange(n_curves)[:, None], h.shape)
    xp = x_norm[keep] + 3.0 * row[keep]
    fp = y_raw[keep]
    grid = np.arange(1, n + 1) / n
    out = np.full((n_curves, n), np.nan)
    if xp.size:
        query = grid[None, :] + 3.0 * np.arange(n_curves)[:, None]
        out[good] = np.interp(query[good].ravel(), xp, fp).reshape(-1, n)
    return out


@dataclass
class CurvePCA:
    """Principal components of resampled curves.

    Attributes
    ----------
    scores : ndarray, shape (n_curves, n_components)
        Coordinates of each curve on the components (NaN for rows that held NaN).
    pca : sklearn.decomposition.PCA
        The fitted model (``components_`` has shape (n_components, n_grid)).
    explained_variance_ratio : ndarray, shape (n_components,)
    """

    scores: np.ndarray
    pca: PCA
    explained_variance_ratio: np.ndarray

    def as_frame(self) -> pd.DataFrame:
        """Scores as a DataFrame with columns PC1, PC2, ..."""
        return pd.DataFrame(
            self.scores, columns=[f"PC{i + 1}" for i in range(self.scores.shape[1])]
        )


def curve_pca(X: npt.ArrayLike, n_components: int = 3, *, seed: int | None = 0) -> CurvePCA:
    """Principal component analysis of curves resampled by :func:`resample_curves`.

    Parameters
    ----------
    X : array_like, shape (n_curves, n_grid)
        One resampled curve per row (units of the resampled quantity). Rows with NaN are
        left out of the fit and get NaN scores.
    n_components : int, default 3
        Number of components, 1 <= n_components <= min(usable rows, n_grid).
    seed : int or None
        Random state of the SVD solver.

    Returns
    -------
    CurvePCA

    References
    ----------
    .. [1] I. T. Jolliffe, J. Cadima, Phil. Trans. R. Soc. A 374 (2016) 20150202.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_curves, n_grid). Got shape {X.shape}.")
    usable = np.isfinite(X).all(axis=1)
    limit = min(int(usable.sum()), X.shape[1])
    if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)):
        raise ValueError(f"n_components must be a whole number. Got {n_components!r}.")
    if not 1 <= n_components <= limit:
        raise ValueError(
            f"n_components must lie in [1, {limit}] (usable rows and grid points). "
            f"Got {n_components}."
        )
    pca = PCA(n_components=int(n_components), random_state=seed).fit(X[usable])
    scores = np.full((X.shape[0], int(n_components)), np.nan)
    scores[usable] = pca.transform(X[usable])
    return CurvePCA(scores, pca, pca.explained_variance_ratio_.copy())


__all__ = [
    "CurvePCA",
    "DEFAULT_NU",
    "PositiveLogScaler",
    "SCALINGS",
    "curve_pca",
    "feature_matrix",
    "make_scaler",
    "map_feature_table",
    "resample_curves",
    "scale_features",
]
