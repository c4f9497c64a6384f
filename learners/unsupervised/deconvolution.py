"""Statistical deconvolution of grid indentation: phase properties and volume fractions.

A grid of indents much shallower than the phases (h <~ D / 10) samples each phase in
proportion to its area; the joint distribution of (H, E) (or the indentation modulus M) is
then a mixture of one population per phase. Fitting a Gaussian mixture gives each phase's
mean and standard deviation of H and E, and its volume fraction as the mixture weight
(Constantinides et al. 2006; Constantinides & Ulm 2007).

References
----------
.. [1] G. Constantinides, K. S. Ravi Chandran, F.-J. Ulm, K. J. Van Vliet, "Grid indentation
   analysis of composite microstructure and mechanics: principles and validation", Mater.
   Sci. Eng. A 430 (2006) 189-202. doi:10.1016/j.msea.2006.05.125
.. [2] G. Constantinides, F.-J. Ulm, "The nanogranular nature of C-S-H", J. Mech. Phys.
   Solids 55 (2007) 64-90. doi:10.1016/j.jmps.2006.06.003
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.mixture import GaussianMixture

from .map_features import feature_matrix

#: Output columns of :func:`deconvolve` (E_* become M_* when the modulus is M_GPa).
DECONVOLUTION_COLUMNS = ("phase", "H_mean_GPa", "H_sd_GPa", "E_mean_GPa", "E_sd_GPa", "fraction")


def deconvolve(
    features,
    n_phases: int,
    seed: int | None = 0,
    *,
    hardness: str = "H_GPa",
    modulus: str = "E_GPa",
    n_init: int = 5,
) -> pd.DataFrame:
    """Phase properties and volume fractions from the (H, E) cloud of a grid of indents.

    Parameters
    ----------
    features : DataFrame with columns ``hardness`` and ``modulus``, or array_like (n, 2)
        Hardness [GPa] and modulus [GPa] per indent (an array: column 0 H, column 1 E).
        Rows with NaN or ``ok == False`` are left out (their number is in
        ``attrs["n_dropped"]``).
    n_phases : int
        Number of phases (mixture components), 1 <= n_phases < number of usable indents.
    seed : int or None, default 0
        Random state of the mixture fit.
    hardness, modulus : str, default "H_GPa", "E_GPa"
        Column names in a DataFrame; use ``modulus="M_GPa"`` for the indentation modulus
        M = E / (1 - nu^2), as Constantinides & Ulm do.
    n_init : int, default 5
        Number of initialisations of the mixture fit (the best likelihood is kept).

    Returns
    -------
    pandas.DataFrame, one row per phase, sorted by mean hardness (softest first)
        ``phase`` (0, 1, ...), ``H_mean_GPa``, ``H_sd_GPa``, ``E_mean_GPa``, ``E_sd_GPa``
        (``M_mean_GPa``, ``M_sd_GPa`` for an M column), ``fraction`` (mixture weight = volume
        fraction [-], summing to 1). ``attrs``: ``n_used``, ``n_dropped``.

    Raises
    ------
    ValueError
        If a column is missing, the input is not two columns, or n_phases is out of range.

    Notes
    -----
    The joint density of the usable indents is modelled as

    .. math:: p(H, E) = \\sum_j f_j \\, \\mathcal{N}((H, E); \\mu_j, \\Sigma_j),
              \\quad \\sum_j f_j = 1,

    fitted by expectation-maximisation (scikit-learn ``GaussianMixture``, full covariance)
    in standardised units and transformed back; sd = sqrt of the diagonal of
    :math:`\\Sigma_j`. Constantinides et al. fit the histograms (CDFs) of H and M; the 2-D
    mixture uses the same model on the joint data. Valid when the indents are much smaller
    than the phases; deeper indents measure mixtures and add spurious intermediate
    populations (Trtik, Muench & Lura, Cem. Concr. Compos. 31 (2009) 705).

    References
    ----------
    .. [1] G. Constantinides et al., Mater. Sci. Eng. A 430 (2006) 189.
    .. [2] G. Constantinides, F.-J. Ulm, J. Mech. Phys. Solids 55 (2007) 64.
    """
    if isinstance(features, pd.DataFrame):
        missing = [c for c in (hardness, modulus) if c not in features]
        if missing:
            raise ValueError(
                f"features must have columns {hardness!r} and {modulus!r}. Missing {missing!r}."
            )
        cols = [hardness, modulus] + (["ok"] if "ok" in features else [])
        X, usable, _ = feature_matrix(features[cols])
    else:
        X, usable, _ = feature_matrix(features)
        if X.shape[1] != 2:
            raise ValueError(f"features must have 2 columns (H, E). Got {X.shape[1]}.")
    X = X[usable]
    n = X.shape[0]
    if isinstance(n_phases, bool) or not isinstance(n_phases, (int, np.integer)):
        raise ValueError(f"n_phases must be a whole number. Got {n_phases!r}.")
    if not 1 <= n_phases < max(n, 2):
        raise ValueError(f"n_phases must lie in [1, {n - 1}] ({n} usable indents). Got {n_phases}.")
    centre, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    gmm = GaussianMixture(
        int(n_phases), covariance_type="full", n_init=n_init, random_state=seed
    ).fit((X - centre) / scale)
    mean = gmm.means_ * scale + centre
    sd = np.sqrt(np.diagonal(gmm.covariances_, axis1=1, axis2=2)) * scale
    order = np.argsort(mean[:, 0], kind="stable")
    m = "M" if modulus.startswith("M") else "E"
    table = pd.DataFrame(
        {
            "phase": np.arange(int(n_phases)),
            "H_mean_GPa": mean[order, 0],
            "H_sd_GPa": sd[order, 0],
            f"{m}_mean_GPa": mean[order, 1],
            f"{m}_sd_GPa": sd[order, 1],
            "fraction": gmm.weights_[order],
        }
    )
    table.attrs.update(n_used=int(n), n_dropped=int((~usable).sum()))
    return table


__all__ = ["DECONVOLUTION_COLUMNS", "deconvolve"]
