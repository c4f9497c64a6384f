"""Features of whole indentation curves for machine learning, one row per curve.

Every feature is computed for all curves at once with masks and row reductions; no loop
runs over curves or points (except the opt-in ``cycle`` search of
:func:`learners.oliver_pharr`).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583.
   doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20.
   doi:10.1557/jmr.2004.19.1.3
.. [3] Y.-T. Cheng, C.-M. Cheng, "Relationships between hardness, elastic modulus, and
   the work of indentation", Appl. Phys. Lett. 73 (1998) 614-616. doi:10.1063/1.121873
.. [4] F. Kick, Das Gesetz der proportionalen Widerstaende, Leipzig (1885): P = C h^2.
.. [5] L. Lu et al., "Extraction of mechanical properties of materials through deep
   learning from instrumented indentation", PNAS 117 (2020) 7052-7062 (C, unloading slope
   and W_p/W_t as network inputs). doi:10.1073/pnas.1922210117
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.ndimage import median_filter

from simulator.tips import Tip

from .analysis import CREEP_COLUMNS, OP_COLUMNS, Analysis, analyse_curves
from .contact import GPA_PER_MN_PER_NM2
from .oliver_pharr import results_frame
from .rowstats import column_span, first_true, masked_linregress, robust_noise_sd, take_rows

#: Columns added by :func:`curve_features` to those of :func:`learners.oliver_pharr`.
FEATURE_COLUMNS = (
    "hf_over_hmax",
    "W_total_pJ",
    "W_elastic_pJ",
    "W_plastic_pJ",
    "Wp_over_Wt",
    "kick_C_GPa",
    "popin_load_mN",
    "popin_size_nm",
    "creep_nm",
    "initial_stiffness_mN_per_nm",
)
#: Loading ranges, as fractions of P_max, of Kick's C and of the initial stiffness.
KICK_RANGE = (0.20, 1.00)
INITIAL_STIFFNESS_RANGE = (0.02, 0.10)
#: A pop-in step exceeds POPIN_MEDIAN_FACTOR x the local median depth step and
#: POPIN_NOISE_FACTOR x the depth noise; the local median spans POPIN_WINDOW steps.
POPIN_MEDIAN_FACTOR = 8.0
POPIN_NOISE_FACTOR = 10.0
POPIN_WINDOW = 11
#: A hold at peak load needs this many points for a creep value.
MIN_HOLD_POINTS = 5


def curve_features(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    t_s: npt.ArrayLike | None = None,
    *,
    segment: npt.ArrayLike | None = None,
    nu: float | npt.ArrayLike = 0.3,
    **op_kwargs,
) -> pd.DataFrame:
    """Oliver-Pharr results and shape features of each curve, one row per curve.

    Parameters
    ----------
    h_nm : array_like, shape (n_points,) or (n_curves, n_points)
        Displacement [nm].
    P_mN : array_like, same shape as ``h_nm``
        Load [mN].
    t_s : array_like, shape (n_points,) or like ``h_nm``, optional
        Time [s]; needed for the drift rate.
    segment : array_like of int, optional
        Segment codes as in :func:`learners.oliver_pharr`.
    nu : float or array_like of shape (n_curves,)
        Poisson's ratio of the sample [-].
    **op_kwargs
        Other keyword arguments of :func:`learners.oliver_pharr` (tip, fit_range, epsilon,
        beta, corrections, cycle). The features use the corrected displacement.

    Returns
    -------
    pandas.DataFrame
        One row per curve (a 1-D input gives one row): the columns of
        :func:`learners.oliver_pharr` followed by

        - ``hf_over_hmax`` h_f / h_max [-] (pile-up is likely above 0.7)
        - ``W_total_pJ`` work of loading: area under the loading up to the unloading start,
          hold included [pJ = mN nm]
        - ``W_elastic_pJ`` work recovered: area under the unloading [pJ]
        - ``W_plastic_pJ`` W_total - W_elastic [pJ]; ``Wp_over_Wt`` their ratio [-]
        - ``kick_C_GPa`` C of P = C h^2, least squares through the origin on the loading
          between 20 % and 100 % of P_max [GPa]
        - ``popin_load_mN`` [mN] and ``popin_size_nm`` [nm] of the first displacement burst
          during loading (NaN when none)
        - ``creep_nm`` depth gained during the hold at peak load [nm] (NaN without a hold)
        - ``initial_stiffness_mN_per_nm`` slope dP/dh of a line fitted to the loading between
          2 % and 10 % of P_max [mN/nm]

        ``drift_rate_nm_per_s`` (from the low-load hold after unloading, NaN when there is
        none or no ``t_s``), ``h_max_nm`` and ``h_f_nm`` come with the Oliver-Pharr columns;
        with ``creep_correction=True`` so do Feng & Ngan's ``S_apparent_mN_per_nm``,
        ``creep_rate_nm_per_s`` and ``unloading_rate_mN_per_s``.

    Raises
    ------
    ValueError
        For bad arguments, as :func:`learners.oliver_pharr`.

    Notes
    -----
    Energies are trapezoidal integrals of P dh over the measured points. W_p / W_t and
    h_f / h_max both grow as H / E_r falls (Cheng & Cheng [3]_). Kick's law [4]_ holds for a
    sharp tip and depth-independent hardness; C, the unloading stiffness and W_p / W_t are
    the classic inputs of ML models of indentation (Lu et al. [5]_).

    A pop-in is a loading step with a depth increment dh above both 8 x the median of the
    11 surrounding increments (a local median adapts to the sqrt(P) shape of the loading)
    and 10 x the robust depth noise. Its load is the load just before the jump; its size is
    the summed excess of dh over that local median along the contiguous run of such steps.

    Features other than the Oliver-Pharr values are computed for every curve where the
    curve's parts were found, whether or not ``ok`` is True.

    References
    ----------
    .. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
    .. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3.
    .. [3] Y.-T. Cheng, C.-M. Cheng, Appl. Phys. Lett. 73 (1998) 614.
    .. [4] F. Kick (1885).
    .. [5] L. Lu et al., PNAS 117 (2020) 7052.
    """
    if op_kwargs.get("beta") is None:  # the tip's own beta, as oliver_pharr
        tip = op_kwargs.get("tip", "berkovich")
        op_kwargs["beta"] = tip.beta if isinstance(tip, Tip) else 1.034
    analysis = analyse_curves(h_nm, P_mN, nu, t_s=t_s, segment=segment, **op_kwargs)
    results = dict(analysis.results)
    results.update(_energies(analysis))
    results.update(_loading_features(analysis))
    results["creep_nm"] = _creep_nm(analysis)
    with np.errstate(invalid="ignore", divide="ignore"):
        results["hf_over_hmax"] = results["h_f_nm"] / results["h_max_nm"]
    creep = CREEP_COLUMNS if op_kwargs.get("creep_correction") else ()
    return results_frame(results, OP_COLUMNS + creep + FEATURE_COLUMNS)


def _energies(a: Analysis) -> dict[str, np.ndarray]:
    """Work of loading, elastic work of unloading and their difference [pJ]."""
    h, P, m = a.h_nm, a.data.P_mN, a.marks
    step = np.arange(h.shape[1] - 1)[None, :]
    with np.errstate(invalid="ignore"):
        dW = 0.5 * (P[:, 1:] + P[:, :-1]) * np.diff(h, axis=1)
    first = np.maximum(m.i_contact - 1, 0)[:, None]
    loading = (step >= first) & (step < m.i_unload[:, None])
    unloading = (step >= m.i_unload[:, None]) & (step < m.i_end[:, None])
    found = (m.i_contact >= 0) & (m.i_unload >= 0) & (m.i_unload < m.i_end)
    W_t = np.where(found, np.where(loading, dW, 0.0).sum(axis=1), np.nan)
    W_e = np.where(found, -np.where(unloading, dW, 0.0).sum(axis=1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "W_total_pJ": W_t,
            "W_elastic_pJ": W_e,
            "W_plastic_pJ": W_t - W_e,
            "Wp_over_Wt": (W_t - W_e) / W_t,
        }


def _loading_features(a: Analysis) -> dict[str, np.ndarray]:
    """Kick's C, the initial loading stiffness and the first pop-in."""
    h, P = a.h_nm, a.data.P_mN
    loading = a.loading_mask()
    fraction = P / a.marks.P_max_mN[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        kick = loading & (fraction >= KICK_RANGE[0]) & (fraction <= KICK_RANGE[1])
        h2 = np.where(kick, h * h, 0.0)
        C = (np.where(kick, P, 0.0) * h2).sum(axis=1) / (h2 * h2).sum(axis=1)
        C = np.where(kick.sum(axis=1) >= 3, C * GPA_PER_MN_PER_NM2, np.nan)
        early = (
            loading
            & (fraction >= INITIAL_STIFFNESS_RANGE[0])
            & (fraction <= INITIAL_STIFFNESS_RANGE[1])
        )
    stiffness, _, _ = masked_linregress(h, P, early)
    popin_load, popin_size = _first_popin(h, P, loading, a.valid)
    return {
        "kick_C_GPa": C,
        "initial_stiffness_mN_per_nm": stiffness,
        "popin_load_mN": popin_load,
        "popin_size_nm": popin_size,
    }


def _first_popin(
    h: np.ndarray, P: np.ndarray, loading: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Load [mN] and size [nm] of the first displacement burst in the loading; NaN if none."""
    in_loading = loading[:, :-1] & loading[:, 1:]
    # Work on the columns that hold loading steps (views).
    span = column_span(in_loading)
    c0 = span.start
    in_loading = in_loading[:, span]
    n_steps = in_loading.shape[1]
    if n_steps == 0:
        nan = np.full(h.shape[0], np.nan)
        return nan, nan.copy()
    noise = robust_noise_sd(h, valid, stride=max(1, h.shape[1] // 128))
    step = np.arange(n_steps)[None, :]
    dh = np.where(in_loading, np.diff(h[:, c0 : span.stop + 1], axis=1), 0.0)
    typical = median_filter(dh, size=(1, POPIN_WINDOW), mode="nearest")
    floor = POPIN_NOISE_FACTOR * np.where(np.isfinite(noise), noise, 0.0)
    threshold = np.fmax(POPIN_MEDIAN_FACTOR * typical, floor[:, None])
    threshold = np.fmax(threshold, 1e-9)
    burst = in_loading & (dh > threshold)
    j = first_true(burst)
    run_end = first_true(~burst & (step >= j[:, None]), default=n_steps)
    run = (step >= j[:, None]) & (step < run_end[:, None]) & (j >= 0)[:, None]
    size = np.where(run, dh - typical, 0.0).sum(axis=1)
    found = j >= 0
    return np.where(found, take_rows(P, c0 + j), np.nan), np.where(found, size, np.nan)


def _creep_nm(a: Analysis) -> np.ndarray:
    """Depth gained during the hold at peak load, h(end) - h(start) [nm]."""
    m = a.marks
    has_hold = (m.i_plateau >= 0) & (m.i_unload - m.i_plateau >= MIN_HOLD_POINTS - 1)
    creep = take_rows(a.h_nm, m.i_unload) - take_rows(a.h_nm, m.i_plateau)
    return np.where(has_hold, creep, np.nan)
