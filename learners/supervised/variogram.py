"""How far the features of a map stay alike: the empirical variogram and its range.

A blocked cross-validation separates training from test data only if its blocks are at
least as large as the range of spatial autocorrelation (Roberts et al. 2017 [1]; Valavi et al.
2019 [2] choose the block size from the variogram's range). The semivariance of a
standardised feature at lag d is gamma(d) = 1/2 mean (z_i - z_j)^2 over the pairs of
indents a distance d apart (Matheron 1963 [3]); it rises from the nugget to the sill (the
variance) and the lag where it reaches 95 % of the sill is the practical range.

References
----------
.. [1] D. R. Roberts et al., Ecography 40 (2017) 913. doi:10.1111/ecog.02881
.. [2] R. Valavi et al., Methods Ecol. Evol. 10 (2019) 225. doi:10.1111/2041-210X.13107
.. [3] G. Matheron, "Principles of geostatistics", Econ. Geol. 58 (1963) 1246.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial.distance import pdist

#: Largest number of indents used for the pairs (a random subset beyond; 2000 -> 2 M pairs).
MAX_POINTS = 2000


@dataclass
class Variogram:
    """An empirical variogram of standardised features and its practical range.

    Attributes
    ----------
    table : DataFrame
        lag_um (bin centre [um]), semivariance (mean over the features [-]), pairs.
    sill : float
        Mean semivariance over the far half of the lags [-] (about 1 for standardised
        features without a trend).
    range_um : float
        First lag whose semivariance reaches 95 % of the sill [um]; the largest lag if none
        does (the features are alike over the whole map).
    """

    table: pd.DataFrame
    sill: float
    range_um: float


def empirical_variogram(
    x_um: np.ndarray,
    y_um: np.ndarray,
    values: np.ndarray,
    *,
    n_bins: int = 15,
    max_lag_um: float | None = None,
    seed: int = 0,
) -> Variogram:
    """The empirical variogram of ``values`` (n,) or (n, p) at indents ``x_um``, ``y_um``.

    Each column is standardised (NaN rows dropped); the semivariances are averaged over the
    columns. Lags up to ``max_lag_um`` (default half the map's diagonal) in ``n_bins`` bins.
    """
    x = np.asarray(x_um, dtype=float)
    y = np.asarray(y_um, dtype=float)
    v = np.asarray(values, dtype=float).reshape(len(x), -1)
    keep = np.isfinite(v).all(axis=1)
    x, y, v = x[keep], y[keep], v[keep]
    if len(x) < 10:
        raise ValueError(f"A variogram needs at least 10 indents with finite values. Got {len(x)}.")
    if len(x) > MAX_POINTS:
        rows = np.sort(np.random.default_rng(seed).choice(len(x), MAX_POINTS, replace=False))
        x, y, v = x[rows], y[rows], v[rows]
    sd = v.std(axis=0)
    z = (v - v.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    xy = np.column_stack([x, y])
    lag = pdist(xy)
    half_sq = 0.5 * np.mean([pdist(z[:, [j]], "sqeuclidean") for j in range(z.shape[1])], axis=0)
    top = float(max_lag_um) if max_lag_um is not None else 0.5 * float(np.ptp(xy, axis=0).max())
    edges = np.linspace(0, top, n_bins + 1)
    which = np.digitize(lag, edges) - 1
    inside = (which >= 0) & (which < n_bins)
    pairs = np.bincount(which[inside], minlength=n_bins)
    total = np.bincount(which[inside], weights=half_sq[inside], minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = total / pairs
    table = pd.DataFrame(
        {"lag_um": 0.5 * (edges[1:] + edges[:-1]), "semivariance": gamma, "pairs": pairs}
    )
    table = table[table["pairs"] > 0].reset_index(drop=True)
    far = table["lag_um"] >= top / 2
    sill = float(table.loc[far, "semivariance"].mean()) if far.any() else float(gamma[-1])
    reached = table.index[table["semivariance"] >= 0.95 * sill]
    range_um = float(table["lag_um"].iloc[reached[0]] if len(reached) else table["lag_um"].max())
    return Variogram(table, sill, range_um)


def default_block_um(range_um: float, spacing_um: float, *, step_um: float = 5.0) -> float:
    """Block side by the book: at least the autocorrelation range and two spacings, rounded
    up to ``step_um`` [um]."""
    need = max(float(range_um), 2.0 * float(spacing_um))
    return float(step_um * np.ceil(need / step_um))


def default_buffer_um(zone_radius_um: float, grain_um: float) -> float:
    """Buffer by the book [um]: the larger of two zones of influence (two indents this close
    deform overlapping volumes) and the grain or colony size (indents closer than a grain
    may share one), rounded up to 0.5 um."""
    need = max(2.0 * float(zone_radius_um), float(grain_um))
    return float(0.5 * np.ceil(need / 0.5))


__all__ = [
    "MAX_POINTS",
    "Variogram",
    "default_block_um",
    "default_buffer_um",
    "empirical_variogram",
]
