"""What a supervised model sees of an indentation curve: representations as transformers.

Every representation is a scikit-learn transformer that takes a *curve matrix*

    X = curve_matrix(dataset)            # ndarray, shape (n_curves, 4, n_points)
    X[:, 0] = h_nm, X[:, 1] = P_mN, X[:, 2] = t_s, X[:, 3] = segment code

(see :data:`CHANNELS`) and returns a 2-D feature matrix with named columns
(``get_feature_names_out``), so it composes in a Pipeline, clones, and works with
``cross_val_score``/``learning_curve`` (which index the first axis).

Representations (:data:`REPRESENTATIONS`):

- ``"op"``: Oliver-Pharr hardness and modulus only (``H_GPa``, ``E_GPa``);
- ``"features"``: the engineered curve features of :func:`learners.curve_features`
  (Oliver-Pharr values, energies, Kick's C, pop-in, creep, drift, ...);
- ``"curve"``: the full curve on common grids: loading and unloading branches resampled
  on a normalised load (or depth) grid, the holds (creep, drift) on a normalised time grid;
- ``"pca"``: that resampled curve projected on its first principal components.

Missing values are real information here: a NaN pop-in load means "no pop-in", a NaN
hardness means Oliver-Pharr failed. :func:`representation_steps` therefore follows the
feature representations with a median imputer *with missing-value indicators*, fitted inside
the pipeline (no information from the test fold leaks into the imputation).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564. doi:10.1557/JMR.1992.1564
.. [2] L. Lu et al., Proc. Natl. Acad. Sci. USA 117 (2020) 7052 (ML on indentation curves).
   doi:10.1073/pnas.1922210117
.. [3] F. Pedregosa et al., J. Mach. Learn. Res. 12 (2011) 2825 (scikit-learn).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..curves.analysis import OP_COLUMNS
from ..curves.features import FEATURE_COLUMNS
from ..curves.oliver_pharr import oliver_pharr
from ..unsupervised.map_features import DEFAULT_NU, FLAG_COLUMNS, map_feature_table, resample_curves

#: Channels of a curve matrix, in order: displacement [nm], load [mN], time [s], segment code.
CHANNELS = ("h_nm", "P_mN", "t_s", "segment")
#: Representations of :func:`representation_steps` and what each one is.
REPRESENTATIONS: dict[str, str] = {
    "op": "Oliver-Pharr hardness and modulus (H_GPa, E_GPa)",
    "features": "engineered curve features (Oliver-Pharr, energies, Kick's C, pop-in, drift)",
    "curve": "the full curve resampled: branches on a load (or depth) grid, holds on time",
    "pca": "the resampled curve projected on its first principal components",
}
#: Columns of the "op" representation.
OP_FEATURES = ("H_GPa", "E_GPa")
#: Columns of the "features" representation (see :func:`learners.curve_features`).
#: Left out: A_nm2 and alpha (redundant with hc_nm and m), P_max_mN (the protocol's) and
#: n_fit_points (bookkeeping of the analysis). ``zero_offset_nm`` is the Kick's-law depth
#: zero of :func:`learners.oliver_pharr` with ``zero_point_correction=True``; every other
#: column comes from the uncorrected analysis.
ENGINEERED_FEATURES = (
    "H_GPa",
    "E_GPa",
    "Er_GPa",
    "S_mN_per_nm",
    "hc_nm",
    "h_max_nm",
    "h_f_nm",
    "hf_over_hmax",
    "m",
    "fit_r2",
    "fit_rmse_mN",
    "W_total_pJ",
    "W_elastic_pJ",
    "W_plastic_pJ",
    "Wp_over_Wt",
    "kick_C_GPa",
    "popin_load_mN",
    "popin_size_nm",
    "creep_nm",
    "initial_stiffness_mN_per_nm",
    "drift_rate_nm_per_s",
    "zero_offset_nm",
)
#: The depth zero that Kick's law P = C (h - h0)^2 puts the surface at [nm]; a surface
#: detection error shows here (computed by a second, zero-point-corrected analysis).
ZERO_OFFSET = "zero_offset_nm"
#: Parts of the curve that :class:`ResampledCurve` can keep, in time order.
CURVE_BRANCHES = ("loading", "hold", "unloading", "drift_hold")
#: Segment codes (simulator.protocol.SEGMENT_NAMES) of each part.
_BRANCH_CODES = {"loading": (1,), "hold": (2,), "unloading": (3, 5), "drift_hold": (4,)}
#: Grid sizes allowed for the resampled curve (column names use whole percent).
N_GRID_RANGE = (4, 100)


def curve_matrix(data) -> np.ndarray:
    """Stack a batch of curves into the curve matrix every representation takes.

    Parameters
    ----------
    data : simulator.Dataset, simulator.Curves, simulator.IndentMap or mapping
        Anything with ``h_nm`` and ``P_mN`` (and optionally ``t_s`` and ``segment``) of shape
        (n_curves, n_points), as attributes or mapping keys. Displacement [nm], load [mN],
        time [s] (a shared (n_points,) time base is broadcast), segment codes 0..5 as in
        :data:`simulator.protocol.SEGMENT_NAMES`.

    Returns
    -------
    ndarray of float, shape (n_curves, 4, n_points)
        Channels :data:`CHANNELS`. A missing ``t_s`` is NaN (no drift rate then); a missing
        ``segment`` is -1 (the branches are then found from the load).

    Raises
    ------
    ValueError
        If h_nm or P_mN is missing or the shapes disagree.
    """
    h, P, t, seg = (_get(data, name) for name in CHANNELS)
    if h is None or P is None:
        raise ValueError("data must provide h_nm and P_mN of shape (n_curves, n_points).")
    h = np.asarray(h, dtype=float)
    P = np.asarray(P, dtype=float)
    if h.ndim != 2 or P.shape != h.shape or h.shape[0] == 0:
        raise ValueError(
            f"h_nm and P_mN must have the same shape (n_curves, n_points) with n_curves >= 1. "
            f"Got {h.shape} and {P.shape}."
        )
    t = np.full(h.shape, np.nan) if t is None else np.broadcast_to(np.asarray(t, float), h.shape)
    seg = np.full(h.shape, -1.0) if seg is None else np.broadcast_to(np.asarray(seg), h.shape)
    return np.stack([h, P, t, seg.astype(float)], axis=1)


def _get(source, name: str):
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name, None)


def split_channels(X: npt.ArrayLike) -> dict[str, np.ndarray | None]:
    """The channels of a curve matrix as a dict (``t_s``/``segment`` None when unknown).

    Parameters
    ----------
    X : array_like, shape (n_curves, 4, n_points)
        A curve matrix (:func:`curve_matrix`).

    Returns
    -------
    dict with keys h_nm, P_mN, t_s, segment; arrays of shape (n_curves, n_points).

    Raises
    ------
    ValueError
        If X is not a curve matrix.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 3 or X.shape[1] != len(CHANNELS) or X.shape[0] == 0:
        raise ValueError(
            "X must be a curve matrix of shape (n_curves, 4, n_points) with channels "
            f"{CHANNELS} (use learners.curve_matrix(dataset)). Got shape {X.shape}."
        )
    t = X[:, 2]
    seg = X[:, 3]
    known = np.isfinite(seg).all() and (seg >= 0).all()
    return {
        "h_nm": X[:, 0],
        "P_mN": X[:, 1],
        "t_s": t if np.isfinite(t).any() else None,
        "segment": seg.astype(np.int8) if known else None,
    }


class CurveFeatures(TransformerMixin, BaseEstimator):
    """Named curve features (Oliver-Pharr and engineered) of each curve.

    Parameters
    ----------
    features : sequence of str, default ("H_GPa", "E_GPa")
        Columns of :func:`learners.oliver_pharr` or :func:`learners.curve_features`, e.g.
        :data:`OP_FEATURES` or :data:`ENGINEERED_FEATURES`.
    nu : float, default 0.3
        Poisson's ratio assumed to turn E_r into E [-] (a user does not know it per curve).

    Notes
    -----
    ``zero_offset_nm`` comes from a second analysis with the Kick's-law zero-point
    correction (:func:`learners.oliver_pharr`); all other columns are uncorrected.
    Stateless: ``fit`` only validates. Curves the analysis cannot handle get NaN (impute
    them in the pipeline). The analysis is vectorised over curves (no Python loop).
    """

    def __init__(self, features: Sequence[str] = OP_FEATURES, nu: float = DEFAULT_NU):
        self.features = features
        self.nu = nu

    def fit(self, X, y=None):
        """Check X and the feature names; learns nothing."""
        split_channels(X)
        self._names()
        self.n_features_out_ = len(self._names())
        return self

    def transform(self, X) -> np.ndarray:
        """Feature matrix, shape (n_curves, len(features)); units in the column names."""
        check_is_fitted(self, "n_features_out_")
        channels = split_channels(X)
        names = self._names()
        plain = [f for f in names if f != ZERO_OFFSET]
        columns = {}
        if plain:
            table = map_feature_table(channels, features=plain, nu=self.nu)
            columns = {f: table[f].to_numpy(dtype=float) for f in plain}
        if ZERO_OFFSET in names:
            corrected = oliver_pharr(
                channels["h_nm"],
                channels["P_mN"],
                self.nu,
                t_s=channels["t_s"],
                segment=channels["segment"],
                zero_point_correction=True,
            )
            columns[ZERO_OFFSET] = corrected[ZERO_OFFSET].to_numpy(dtype=float)
        values = np.column_stack([columns[f] for f in names])
        return np.where(np.isfinite(values), values, np.nan)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The feature names, e.g. ``["H_GPa", "E_GPa"]``."""
        return np.asarray(self._names(), dtype=object)

    def _names(self) -> list[str]:
        names = [self.features] if isinstance(self.features, str) else list(self.features)
        allowed = [c for c in (*OP_COLUMNS, *FEATURE_COLUMNS) if c not in FLAG_COLUMNS]
        unknown = [f for f in names if f not in allowed]
        if not names or unknown:
            raise ValueError(
                f"features must be a non-empty list of curve features; "
                f"{unknown or names!r} not allowed. Allowed: {', '.join(allowed)}."
            )
        return names


class ResampledCurve(TransformerMixin, BaseEstimator):
    """The whole curve on common normalised grids: branches on load (or depth), holds on time.

    Parameters
    ----------
    on : {"load", "depth"}, default "load"
        Grid of the loading and unloading branches. ``"load"``: the depth [nm] at loads
        x * P_max; ``"depth"``: the load [mN] at depths x * h_max;
        x = (1, 2, ..., n_grid) / n_grid.
    n_grid : int, default 32
        Grid points per branch, from 4 to 100.
    branches : sequence of str, default :data:`CURVE_BRANCHES`
        Parts of the curve to keep, in output order: ``"loading"``, ``"hold"`` (at peak
        load), ``"unloading"`` (unloading and final unloading), ``"drift_hold"`` (the
        low-load hold after unloading).
    n_hold : int, default 8
        Grid points per hold, from 4 to 100.

    Notes
    -----
    Output columns, per branch in the order of ``branches``:

    - loading / unloading: ``h_load_nm_at_50pct_Pmax`` ... (on="load") or
      ``P_load_mN_at_50pct_hmax`` ... (on="depth");
    - holds: the depth gained since the hold began [nm] at fractions x of the hold time,
      ``dh_hold_nm_at_50pct_t``, ``dh_drift_hold_nm_at_50pct_t`` (creep and thermal drift
      live here: at constant load a load or depth grid cannot show them);

    then the scale of the normalised axis (``P_max_mN`` for on="load", ``h_max_nm`` for
    on="depth") so that the absolute level is kept. For a load-controlled test on="load"
    keeps the hardness in the depths; on="depth" shows the shape (``P_max x^2`` for Kick's
    law) and needs ``h_max_nm`` for the scale.

    Resampling reuses :func:`learners.unsupervised.map_features.resample_curves` (one vectorised
    ``numpy.interp`` per branch): the unloading is resampled in reversed time so that its
    load rises; a hold is resampled as depth change against time since the hold began. A
    part that a curve lacks (no hold in the protocol, or no segment codes for the drift
    hold) is NaN.
    """

    def __init__(
        self,
        on: str = "load",
        n_grid: int = 32,
        branches: Sequence[str] = ("loading", "hold", "unloading", "drift_hold"),
        n_hold: int = 8,
    ):
        self.on = on
        self.n_grid = n_grid
        self.branches = branches
        self.n_hold = n_hold

    def fit(self, X, y=None):
        """Check X and the settings; learns nothing."""
        split_channels(X)
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X) -> np.ndarray:
        """Resampled curves, shape (n_curves, n_features_out_)."""
        check_is_fitted(self, "n_features_out_")
        c = split_channels(X)
        h, P, t, seg = c["h_nm"], c["P_mN"], c["t_s"], c["segment"]
        if t is None:  # without time, the point index is the time axis
            t = np.broadcast_to(np.arange(h.shape[1], dtype=float), h.shape)
        n, n_hold = int(self.n_grid), int(self.n_hold)
        blocks = []
        for branch in self._check():
            if branch == "loading":
                blocks.append(resample_curves(h, P, seg, n=n, on=self.on))
            elif branch == "unloading":
                mask = _branch_mask(P, seg, branch)
                # Reversed in time the unloading load rises, as resample_curves expects.
                flipped = mask[:, ::-1].astype(np.int8)
                blocks.append(resample_curves(h[:, ::-1], P[:, ::-1], flipped, n=n, on=self.on))
            else:
                mask = _branch_mask(P, seg, branch)
                first = np.argmax(mask, axis=1)[:, None]
                t_rel = t - np.take_along_axis(t, first, axis=1)
                dh = h - np.take_along_axis(h, first, axis=1)
                # resample_curves(on="depth") gives its 2nd argument at fractions of the 1st.
                blocks.append(resample_curves(t_rel, dh, mask.astype(np.int8), n=n_hold))
        # Scale of the normalised axis: peak load [mN] or largest depth [nm] of each curve.
        axis_values = P if self.on == "load" else h
        finite = np.isfinite(axis_values)
        scale = np.where(finite, axis_values, -np.inf).max(axis=1)
        blocks.append(np.where(finite.any(axis=1), scale, np.nan)[:, None])
        return np.concatenate(blocks, axis=1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Column names, e.g. ``h_load_nm_at_50pct_Pmax``, ``dh_hold_nm_at_50pct_t``."""
        q, unit, ref = ("h", "nm", "Pmax") if self.on == "load" else ("P", "mN", "hmax")
        names = []
        for branch in self._check():
            if branch in ("loading", "unloading"):
                part = "load" if branch == "loading" else "unload"
                names += [f"{q}_{part}_{unit}_at_{p}pct_{ref}" for p in _percent(self.n_grid)]
            else:
                names += [f"dh_{branch}_nm_at_{p}pct_t" for p in _percent(self.n_hold)]
        names.append("P_max_mN" if self.on == "load" else "h_max_nm")
        return np.asarray(names, dtype=object)

    def _check(self) -> list[str]:
        if self.on not in ("load", "depth"):
            raise ValueError(f"on must be 'load' or 'depth'. Got {self.on!r}.")
        lo, hi = N_GRID_RANGE
        for name in ("n_grid", "n_hold"):
            n = getattr(self, name)
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not lo <= n <= hi:
                raise ValueError(f"{name} must be a whole number from {lo} to {hi}. Got {n!r}.")
        branches = [self.branches] if isinstance(self.branches, str) else list(self.branches)
        bad = [b for b in branches if b not in CURVE_BRANCHES]
        if not branches or bad or len(set(branches)) != len(branches):
            raise ValueError(
                f"branches must be a non-empty selection of {', '.join(CURVE_BRANCHES)} "
                f"without repeats. Got {self.branches!r}."
            )
        return branches


def _percent(n: int) -> np.ndarray:
    """Grid fractions (1..n)/n in whole percent (unique for n <= 100)."""
    return np.rint(100 * np.arange(1, int(n) + 1) / int(n)).astype(int)


def _branch_mask(P: np.ndarray, segment: np.ndarray | None, branch: str) -> np.ndarray:
    """Points of ``branch`` ("hold", "unloading" or "drift_hold"), bool of P's shape.

    With segment codes (:data:`simulator.protocol.SEGMENT_NAMES`) the branch is its codes.
    Without: the hold is every point within 0.1 % of the peak load, the unloading every
    point after the last of them, and the drift hold cannot be told (all False).
    """
    finite = np.isfinite(P)
    if segment is not None:
        return finite & np.isin(segment, _BRANCH_CODES[branch])
    if branch == "drift_hold":
        return np.zeros(P.shape, dtype=bool)
    P_safe = np.where(finite, P, -np.inf)
    near_peak = P_safe >= (1 - 1e-3) * P_safe.max(axis=1, keepdims=True)
    if branch == "hold":
        return finite & near_peak
    last_peak = P.shape[1] - 1 - np.argmax(near_peak[:, ::-1], axis=1)
    return finite & (np.arange(P.shape[1])[None, :] > last_peak[:, None])


def representation_steps(
    name: str,
    *,
    n_grid: int = 32,
    on: str = "load",
    branches: Sequence[str] = CURVE_BRANCHES,
    n_hold: int = 8,
    n_components: int = 8,
    features: Sequence[str] | None = None,
    nu: float = DEFAULT_NU,
    seed: int | None = 0,
) -> list[tuple[str, object]]:
    """Pipeline steps that turn a curve matrix into the features of representation ``name``.

    Parameters
    ----------
    name : {"op", "features", "curve", "pca"}
        See :data:`REPRESENTATIONS`.
    n_grid, on, branches, n_hold
        Settings of the resampled curve ("curve", "pca"); see :class:`ResampledCurve`.
    n_components : int, default 8
        Principal components kept ("pca").
    features : sequence of str, optional
        Override the columns of "op" or "features".
    nu : float, default 0.3
        Poisson's ratio assumed by the Oliver-Pharr analysis [-].
    seed : int or None, default 0
        Random state of the PCA solver.

    Returns
    -------
    list of (str, transformer)
        ``[("representation", ...), ("impute", SimpleImputer)]``; for "pca" also
        ``("standardise", StandardScaler)`` (each grid column to sd 1, so that the small
        hold and unloading details are not drowned by the depth scale) and
        ``("pca", PCA)``. The feature imputer (median) adds missing-value indicators, e.g.
        ``missingindicator_popin_load_mN`` = "no pop-in found".

    Raises
    ------
    ValueError
        For an unknown name or option; the message lists what is allowed.
    """
    if name not in REPRESENTATIONS:
        raise ValueError(
            f"representation must be one of {', '.join(REPRESENTATIONS)}. Got {name!r}."
        )
    if name in ("op", "features"):
        default = OP_FEATURES if name == "op" else ENGINEERED_FEATURES
        columns = tuple(default if features is None else features)
        return [
            ("representation", CurveFeatures(features=columns, nu=nu)),
            (
                "impute",
                SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            ),
        ]
    if features is not None:
        raise ValueError(f"features applies to 'op' and 'features' only, not {name!r}.")
    curve = ResampledCurve(on=on, n_grid=n_grid, branches=tuple(branches), n_hold=n_hold)
    n_columns = len(curve.get_feature_names_out())
    steps: list[tuple[str, object]] = [
        ("representation", curve),
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
    ]
    if name == "pca":
        if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)):
            raise ValueError(f"n_components must be a whole number. Got {n_components!r}.")
        if not 1 <= n_components <= n_columns:
            raise ValueError(
                f"n_components must lie in [1, {n_columns}] (the resampled curve's columns). "
                f"Got {n_components}."
            )
        steps += [
            ("standardise", StandardScaler()),
            ("pca", PCA(n_components=int(n_components), random_state=seed)),
        ]
    return steps


__all__ = [
    "CHANNELS",
    "CURVE_BRANCHES",
    "ENGINEERED_FEATURES",
    "OP_FEATURES",
    "REPRESENTATIONS",
    "CurveFeatures",
    "ResampledCurve",
    "curve_matrix",
    "representation_steps",
    "split_channels",
]
