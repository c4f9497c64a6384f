"""Scores of a phase clustering against the simulator's truth.

Cluster numbers are arbitrary, so clusters are first matched to phases by the Hungarian
assignment that maximises the number of indents on the diagonal of the contingency table;
then accuracy, per-phase confusion and phase fractions follow. The adjusted Rand index
needs no matching.

References
----------
.. [1] L. Hubert, P. Arabie, J. Classif. 2 (1985) 193 (adjusted Rand index).
   doi:10.1007/BF01908075
.. [2] H. W. Kuhn, Naval Res. Logist. Q. 2 (1955) 83 (Hungarian method).
   doi:10.1002/nav.3800020109
.. [3] G. Constantinides et al., Mater. Sci. Eng. A 430 (2006) 189 (phase fractions and
   properties from grid indentation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

#: Matched label of a cluster that got no phase, for string phase labels.
UNMATCHED = "unmatched"


@dataclass
class ClusteringScore:
    """How well clusters reproduce the true phases.

    Attributes
    ----------
    ari : float
        Adjusted Rand index of labels vs truth (1 perfect, about 0 for chance); label -1
        (noise) counts as a cluster.
    accuracy : float
        Share of indents whose matched label equals the true phase [-].
    matched_labels : ndarray, shape (n,)
        Each indent's phase after matching (in the truth's values); -1 (or "unmatched" for
        string phases) for indents in clusters that got no phase and for noise.
    mapping : dict
        Cluster -> matched phase.
    confusion : DataFrame
        Counts; rows the true phase, columns the matched phase (plus "unmatched").
    fractions : DataFrame, index phase
        ``true_fraction``, ``predicted_fraction`` (share of indents matched to the phase)
        [-], ``error_pp`` = 100 (predicted - true) [percentage points].
    by_location : DataFrame or None
        Rows "all", "interface", "interior"; columns ``n``, ``ari``, ``accuracy``. None
        without ``on_interface``.
    """

    ari: float
    accuracy: float
    matched_labels: np.ndarray
    mapping: dict
    confusion: pd.DataFrame
    fractions: pd.DataFrame
    by_location: pd.DataFrame | None = None

    @property
    def max_fraction_error_pp(self) -> float:
        """Largest absolute phase-fraction error [percentage points]."""
        return float(self.fractions["error_pp"].abs().max())


def match_clusters(labels, truth_phase) -> dict:
    """Hungarian matching of clusters to phases on the contingency table.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Cluster per indent; -1 (noise) is never matched.
    truth_phase : array_like, shape (n,)
        True phase per indent (codes or names).

    Returns
    -------
    dict
        Cluster -> phase for min(n_clusters, n_phases) pairs that maximise the number of
        indents whose cluster is matched to their own phase; other clusters are absent.
    """
    labels = np.asarray(labels)
    truth = np.asarray(truth_phase)
    clusters = np.unique(labels[labels != -1])
    phases = np.unique(truth)
    if clusters.size == 0:
        return {}
    table = pd.crosstab(truth, labels).reindex(index=phases, columns=clusters, fill_value=0)
    rows, cols = linear_sum_assignment(table.to_numpy(), maximize=True)
    return {clusters[c].item(): phases[r].item() for r, c in zip(rows, cols, strict=True)}


def score_clustering(labels, truth_phase, *, on_interface=None) -> ClusteringScore:
    """Score cluster labels against the true phase of every indent.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Cluster per indent (-1 = noise / not clustered).
    truth_phase : array_like, shape (n,)
        True phase at each indent centre, e.g. ``indent_map.truth["phase"]``.
    on_interface : array_like of bool, shape (n,), optional
        Indents whose zone of influence crosses a phase boundary, e.g.
        ``indent_map.truth["on_interface"]``; adds ``by_location``.

    Returns
    -------
    ClusteringScore

    Raises
    ------
    ValueError
        If the arrays are empty or their lengths differ.

    Notes
    -----
    When there are more clusters than phases, the extra clusters stay unmatched and their
    indents count as wrong; when there are fewer, some phases get no indent (predicted
    fraction 0). The matching is made once on all indents; the interface and interior
    scores reuse it.

    References
    ----------
    .. [1] L. Hubert, P. Arabie, J. Classif. 2 (1985) 193.
    .. [2] H. W. Kuhn, Naval Res. Logist. Q. 2 (1955) 83.
    """
    labels = np.asarray(labels).ravel()
    truth = np.asarray(truth_phase).ravel()
    if labels.size == 0 or labels.size != truth.size:
        raise ValueError(
            "labels and truth_phase must be non-empty and of the same length. "
            f"Got {labels.size} and {truth.size}."
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers (cluster numbers). Got dtype {labels.dtype}.")
    mapping = match_clusters(labels, truth)
    numeric = np.issubdtype(truth.dtype, np.integer)
    missing = -1 if numeric else UNMATCHED
    matched = np.array([mapping.get(k, missing) for k in labels.tolist()], dtype=object)
    matched = matched.astype(truth.dtype) if numeric else matched
    correct = matched == truth
    phases = np.unique(truth)
    confusion = pd.crosstab(
        pd.Series(truth, name="true"), pd.Series(matched, name="predicted")
    ).reindex(index=phases, fill_value=0)
    columns = [*phases.tolist(), *([missing] if (matched == missing).any() else [])]
    confusion = confusion.reindex(columns=columns, fill_value=0)
    true_fraction = pd.Series(truth).value_counts(normalize=True).reindex(phases, fill_value=0)
    predicted_fraction = (
        pd.Series(matched).value_counts().reindex(phases, fill_value=0) / labels.size
    )
    fractions = pd.DataFrame(
        {
            "true_fraction": true_fraction.to_numpy(),
            "predicted_fraction": predicted_fraction.to_numpy(),
        },
        index=pd.Index(phases, name="phase"),
    )
    fractions["error_pp"] = 100 * (fractions["predicted_fraction"] - fractions["true_fraction"])
    by_location = None
    if on_interface is not None:
        where = np.asarray(on_interface, dtype=bool).ravel()
        if where.size != labels.size:
            raise ValueError(
                f"on_interface must have one value per indent ({labels.size}). Got {where.size}."
            )
        rows = {}
        for name, sel in (("all", slice(None)), ("interface", where), ("interior", ~where)):
            n = int(labels[sel].size)
            rows[name] = {
                "n": n,
                "ari": adjusted_rand_score(truth[sel], labels[sel]) if n else np.nan,
                "accuracy": float(correct[sel].mean()) if n else np.nan,
            }
        by_location = pd.DataFrame.from_dict(rows, orient="index")
    return ClusteringScore(
        ari=float(adjusted_rand_score(truth, labels)),
        accuracy=float(correct.mean()),
        matched_labels=matched,
        mapping=mapping,
        confusion=confusion,
        fractions=fractions,
        by_location=by_location,
    )


def property_errors(deconvolution_table: pd.DataFrame, true_phase_table: pd.DataFrame):
    """Relative error of each phase's deconvolved mean H and E after matching.

    Parameters
    ----------
    deconvolution_table : DataFrame
        From :func:`learners.unsupervised.deconvolution.deconvolve`: ``H_mean_GPa``, ``E_mean_GPa``,
        ``fraction``.
    true_phase_table : DataFrame
        One row per true phase with ``H_GPa``, ``E_GPa`` [GPa] and optionally ``name`` and
        ``fraction`` (or ``target_fraction``), e.g. ``microstructure.phases``.

    Returns
    -------
    pandas.DataFrame, one row per true phase
        ``name``, ``matched`` (row of the deconvolution table, -1 if none), ``H_true_GPa``,
        ``H_est_GPa``, ``H_rel_error`` (est / true - 1), ``E_true_GPa``, ``E_est_GPa``,
        ``E_rel_error``, ``fraction_true``, ``fraction_est``, ``fraction_error_pp``.

    Notes
    -----
    Deconvolved and true phases are matched by the Hungarian assignment that minimises the
    summed squared distance between (ln H, ln E) means, so a phase is matched by both
    properties and by ratio, not by absolute GPa.
    """
    need_est = {"H_mean_GPa", "E_mean_GPa", "fraction"}
    need_true = {"H_GPa", "E_GPa"}
    if not need_est <= set(deconvolution_table.columns):
        raise ValueError(f"deconvolution_table must have columns {sorted(need_est)}.")
    if not need_true <= set(true_phase_table.columns):
        raise ValueError(f"true_phase_table must have columns {sorted(need_true)}.")
    est = deconvolution_table.reset_index(drop=True)
    true = true_phase_table.reset_index(drop=True)
    log_est = np.log(est[["H_mean_GPa", "E_mean_GPa"]].to_numpy(float))
    log_true = np.log(true[["H_GPa", "E_GPa"]].to_numpy(float))
    cost = ((log_true[:, None, :] - log_est[None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    matched = np.full(len(true), -1)
    matched[rows] = cols
    has = matched >= 0
    pick = np.where(has, matched, 0)

    def estimate(column):
        return np.where(has, est[column].to_numpy(float)[pick], np.nan)

    frac_col = "fraction" if "fraction" in true else "target_fraction"
    frac_true = true[frac_col].to_numpy(float) if frac_col in true else np.full(len(true), np.nan)
    out = pd.DataFrame(
        {
            "name": true["name"] if "name" in true else pd.Series(range(len(true))).astype(str),
            "matched": matched,
            "H_true_GPa": true["H_GPa"].to_numpy(float),
            "H_est_GPa": estimate("H_mean_GPa"),
            "E_true_GPa": true["E_GPa"].to_numpy(float),
            "E_est_GPa": estimate("E_mean_GPa"),
            "fraction_true": frac_true,
            "fraction_est": np.where(has, estimate("fraction"), 0.0),
        }
    )
    out.insert(4, "H_rel_error", out["H_est_GPa"] / out["H_true_GPa"] - 1)
    out.insert(7, "E_rel_error", out["E_est_GPa"] / out["E_true_GPa"] - 1)
    out["fraction_error_pp"] = 100 * (out["fraction_est"] - out["fraction_true"])
    return out


__all__ = [
    "ClusteringScore",
    "match_clusters",
    "property_errors",
    "score_clustering",
]
