"""Physics against learning for hardness and modulus: the Oliver-Pharr baseline and the
out-of-range check.

A regressor trained on curves learns whatever bias its training range had (here the
pile-up of soft metals, which Oliver-Pharr cannot see) and corrects it. Inside that range it
can beat Oliver-Pharr; outside it, the learned correction is an extrapolation.
Oliver-Pharr is the same equation everywhere: it is biased by pile-up wherever pile-up
occurs, and unbiased wherever its assumptions hold.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564. doi:10.1557/JMR.1992.1564
.. [2] A. Bolshakov, G. M. Pharr, J. Mater. Res. 13 (1998) 1049 (pile-up hides contact
   area). doi:10.1557/JMR.1998.0146
.. [3] L. Lu et al., Proc. Natl. Acad. Sci. USA 117 (2020) 7052 (learning properties from
   curves). doi:10.1073/pnas.1922210117
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone, is_regressor
from threadpoolctl import threadpool_limits

from simulator.datasets import make_dataset

from ..curves.oliver_pharr import oliver_pharr
from .representations import curve_matrix
from .scores import RegressionReport, regression_report


def oliver_pharr_baseline(dataset, *, nu: float | str = "truth") -> RegressionReport:
    """Oliver-Pharr hardness and modulus of every curve, scored against the truth.

    Parameters
    ----------
    dataset : simulator.Dataset
        A regression dataset (task "properties"): ``y`` has the targets ``H_GPa`` and/or
        ``E_GPa``.
    nu : float or "truth", default "truth"
        Poisson's ratio used to turn E_r into E [-]. ``"truth"`` gives Oliver-Pharr the true
        nu of every curve (its best case; H does not depend on nu).

    Returns
    -------
    RegressionReport
        Same form as the report of :func:`learners.evaluate`, so the two can be compared
        target by target. Curves Oliver-Pharr cannot analyse are NaN and left out of the
        scores (``scores["n"]`` says how many were scored).

    Raises
    ------
    ValueError
        If the dataset has no ``H_GPa``/``E_GPa`` targets or nu is invalid.
    """
    y = dataset.y
    if not isinstance(y, pd.DataFrame) or not set(y.columns) & {"H_GPa", "E_GPa"}:
        raise ValueError(
            f"oliver_pharr_baseline needs targets H_GPa and/or E_GPa (task 'properties'). "
            f"Task {dataset.task!r} has none."
        )
    if isinstance(nu, str):
        if nu != "truth":
            raise ValueError(f"nu must be a number in (-1, 0.5) or 'truth'. Got {nu!r}.")
        nu = dataset.truth["nu"].to_numpy(dtype=float)
    table = oliver_pharr(dataset.h_nm, dataset.P_mN, nu, t_s=dataset.t_s, segment=dataset.segment)
    targets = [c for c in y.columns if c in ("H_GPa", "E_GPa")]
    depth = np.where(np.isfinite(dataset.h_nm), dataset.h_nm, -np.inf).max(axis=1)
    return regression_report(
        y[targets].reset_index(drop=True), table[targets].to_numpy(dtype=float), depth
    )


@dataclass
class OutOfRangeCheck:
    """Errors of a learned regressor and of Oliver-Pharr inside and outside the training range.

    Attributes
    ----------
    table : DataFrame
        subset ("in_range", "in_range_pileup", "out_of_range"), method ("ML",
        "Oliver-Pharr", "baseline": always the training curves' mean H and E), target,
        median_abs_rel_error, mean_abs_rel_error, MAE, n.
    reports : dict
        ``reports[(subset, method)]`` is the :class:`RegressionReport` (parity plots).
    model : Pipeline
        The regressor fitted on the training range.
    train_E_over_H, test_E_over_H : tuple of float
        The E/H ranges of training and of the out-of-range test.
    """

    table: pd.DataFrame
    reports: dict
    model: object
    train_E_over_H: tuple[float, float]
    test_E_over_H: tuple[float, float]

    def error(self, subset: str, method: str, target: str = "H_GPa") -> float:
        """Median |relative error|, e.g. ``check.error("out_of_range", "ML")``."""
        row = self.table[
            (self.table["subset"] == subset)
            & (self.table["method"] == method)
            & (self.table["target"] == target)
        ]
        if row.empty:
            raise ValueError(f"No row for subset={subset!r}, method={method!r}, {target!r}.")
        return float(row["median_abs_rel_error"].iloc[0])


#: Two out-of-range lessons (training E/H range, test E/H range). "softer": test on softer,
#: more piling-up metals than trained on (Oliver-Pharr is biased there too, by up to 40 %;
#: smooth regressors such as the MLP can extrapolate their learned pile-up correction
#: better than that, trees and k-NN cannot). "harder": train on piling-up metals, test
#: where there is no pile-up (E/H 10-30) and Oliver-Pharr is exact: every learned
#: correction now misleads.
OUT_OF_RANGE_SCENARIOS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "softer": ((10.0, 100.0), (150.0, 400.0)),
    "harder": ((40.0, 150.0), (10.0, 30.0)),
}
#: Curves count as "pile-up" in the in-range test when the true contact area exceeds the
#: Oliver-Pharr area by more than this fraction.
PILEUP_MIN = 0.05


def out_of_range_check(
    pipeline,
    *,
    train_E_over_H: tuple[float, float] = (10.0, 100.0),
    test_E_over_H: tuple[float, float] = (150.0, 400.0),
    n_train: int = 400,
    n_test: int = 200,
    seed: int = 0,
    **dataset_options,
) -> OutOfRangeCheck:
    """Train a regressor on one E/H range, test it inside and outside, next to Oliver-Pharr.

    Parameters
    ----------
    pipeline : sklearn regressor
        E.g. ``make_pipeline("features", "random_forest", task_type="regression")``.
    train_E_over_H : (float, float), default (10, 100)
        E/H range of the training curves (``make_dataset("properties", E_over_H=...)``).
    test_E_over_H : (float, float), default (150, 400)
        E/H range of the out-of-range test curves (very soft, strongly piling-up metals).
        :data:`OUT_OF_RANGE_SCENARIOS` has this pair ("softer") and its converse
        ("harder").
    n_train, n_test : int, default 400, 200
        Numbers of curves; the in-range test set also has n_test curves.
    seed : int, default 0
        Seeds of the three datasets are derived from it (independent draws).
    **dataset_options
        Passed to every ``make_dataset("properties", ...)`` (E_GPa, pileup, noise, ...).

    Returns
    -------
    OutOfRangeCheck

    Notes
    -----
    Pile-up grows with E/H above 40 and saturates at E/H = 150 (see
    ``simulator.datasets``): Oliver-Pharr overestimates H by up to ``pileup_max`` (40 %)
    there, whatever the training range; a learned correction is only as good as the range
    it saw.
    """
    if not is_regressor(pipeline):
        raise ValueError(
            "pipeline must be a regressor (make_pipeline(..., task_type='regression'))."
        )
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(3)]
    train = make_dataset(
        "properties", n_train, seed=seeds[0], E_over_H=train_E_over_H, **dataset_options
    )
    tests = {
        "in_range": make_dataset(
            "properties", n_test, seed=seeds[1], E_over_H=train_E_over_H, **dataset_options
        ),
        "out_of_range": make_dataset(
            "properties", n_test, seed=seeds[2], E_over_H=test_E_over_H, **dataset_options
        ),
    }
    targets = list(train.y.columns)
    with threadpool_limits(limits=1):
        model = clone(pipeline).fit(curve_matrix(train), train.y.to_numpy(dtype=float))
        predicted = {k: model.predict(curve_matrix(d)) for k, d in tests.items()}
    reports, rows = {}, []
    for subset, data in tests.items():
        depth = np.where(np.isfinite(data.h_nm), data.h_nm, -np.inf).max(axis=1)
        reports[(subset, "ML")] = regression_report(
            data.y.reset_index(drop=True), predicted[subset], depth
        )
        reports[(subset, "Oliver-Pharr")] = oliver_pharr_baseline(data)
        # the baseline: always the training curves' mean H and E
        mean = train.y.to_numpy(dtype=float).mean(axis=0)
        reports[(subset, "baseline")] = regression_report(
            data.y.reset_index(drop=True), np.tile(mean, (len(data.y), 1)), depth
        )
        if subset == "in_range":
            pile = (data.truth["pileup_area_excess"] > PILEUP_MIN).to_numpy()
            if pile.any():
                y_pile = data.y[pile].reset_index(drop=True)
                reports[("in_range_pileup", "ML")] = regression_report(
                    y_pile, predicted[subset][pile], depth[pile]
                )
                op = reports[(subset, "Oliver-Pharr")].parity
                op_pred = np.column_stack(
                    [op.loc[op["target"] == t, "predicted"].to_numpy()[pile] for t in targets]
                )
                reports[("in_range_pileup", "Oliver-Pharr")] = regression_report(
                    y_pile, op_pred, depth[pile]
                )
                reports[("in_range_pileup", "baseline")] = regression_report(
                    y_pile, np.tile(mean, (len(y_pile), 1)), depth[pile]
                )
    order = ["in_range", "in_range_pileup", "out_of_range"]
    for (subset, method), report in sorted(reports.items(), key=lambda kv: order.index(kv[0][0])):
        for target, s in report.scores.iterrows():
            rows.append(
                {
                    "subset": subset,
                    "method": method,
                    "target": target,
                    "median_abs_rel_error": s["median_abs_rel_error"],
                    "mean_abs_rel_error": s["mean_abs_rel_error"],
                    "MAE": s["MAE"],
                    "n": int(s["n"]),
                }
            )
    return OutOfRangeCheck(
        pd.DataFrame(rows), reports, model, tuple(train_E_over_H), tuple(test_E_over_H)
    )


__all__ = [
    "OUT_OF_RANGE_SCENARIOS",
    "OutOfRangeCheck",
    "oliver_pharr_baseline",
    "out_of_range_check",
]
