"""Hardness and elastic modulus from load-displacement curves (Oliver & Pharr).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, "An improved technique for determining hardness and
   elastic modulus using load and displacement sensing indentation experiments",
   J. Mater. Res. 7 (1992) 1564-1583. doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, "Measurement of hardness and elastic modulus by
   instrumented indentation: advances in understanding and refinements to methodology",
   J. Mater. Res. 19 (2004) 3-20. doi:10.1557/jmr.2004.19.1.3
.. [3] R. B. King, Int. J. Solids Struct. 23 (1987) 1657-1664 (beta = 1.034 for a
   Berkovich). doi:10.1016/0020-7683(87)90116-8
.. [4] F. Kick, Das Gesetz der proportionalen Widerstaende, Leipzig (1885): P = C h^2.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from simulator.tips import Tip

from .analysis import CREEP_COLUMNS, OP_COLUMNS, analyse_curves
from .cycles import broken_records, cut_cycles


def oliver_pharr(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    nu: float | npt.ArrayLike = 0.3,
    *,
    t_s: npt.ArrayLike | None = None,
    segment: npt.ArrayLike | None = None,
    tip: str | Tip | Callable[[np.ndarray], np.ndarray] = "berkovich",
    fit_range: tuple[float, float] = (0.2, 0.95),
    epsilon: float = 0.75,
    beta: float | None = None,
    E_i_GPa: float = 1141.0,
    nu_i: float = 0.07,
    frame_compliance_nm_per_mN: float = 0.0,
    zero_point_correction: bool = False,
    drift_correction: bool = False,
    creep_correction: bool = False,
    cycle: int | str = -1,
) -> dict | pd.DataFrame:
    """Oliver-Pharr hardness and modulus of one curve or a batch of curves.

    Parameters
    ----------
    h_nm : array_like, shape (n_points,) or (n_curves, n_points)
        Displacement into the surface [nm]. Non-finite points are skipped.
    P_mN : array_like, same shape as ``h_nm``
        Load [mN].
    nu : float or array_like of shape (n_curves,), default 0.3
        Poisson's ratio of the sample [-], in (-1, 0.5).
    t_s : array_like, shape (n_points,) or like ``h_nm``, optional
        Time [s]. Needed for the drift rate; without it drift_rate_nm_per_s is NaN.
    segment : array_like, shape (n_points,) or like ``h_nm``, optional
        Segment codes (0 approach, 1 loading, 2 hold, 3 unloading, 4 drift hold,
        5 final unloading) or their names, as in :data:`simulator.protocol.SEGMENT_NAMES`.
        When given the unloading is code 3 and the drift hold code 4; otherwise both are
        found from the load.
    tip : "berkovich", simulator.tips.Tip or callable, default "berkovich"
        Area function: ideal Berkovich A = 24.5 h_c^2, a simulated ``Tip``, or any callable
        A(hc_nm) -> [nm^2] that works element-wise on arrays.
    fit_range : (float, float), default (0.2, 0.95)
        Load range of the unloading fit as fractions of P_max, 0 < lower < upper <= 1.
    epsilon : float, default 0.75
        Geometry constant of the contact depth [-] (0.75 Berkovich, 0.72 cone, 1 flat punch).
    beta : float, optional
        Correction factor of the stiffness equation [-]; default the tip's own: 1.034 for a
        Berkovich (King 1987 [3]_) or a callable area function, 1 for a sphere ``Tip``.
    E_i_GPa : float, default 1141.0
        Indenter Young's modulus [GPa] (diamond).
    nu_i : float, default 0.07
        Indenter Poisson's ratio [-] (diamond).
    frame_compliance_nm_per_mN : float, default 0.0
        Load-frame compliance C_f [nm/mN]; h - C_f P is analysed.
    zero_point_correction : bool, default False
        Move the depth zero to where Kick's law P = C (h - h0)^2, fitted to the loading
        between 10 % and 50 % of P_max, meets zero load.
    drift_correction : bool, default False
        Subtract the thermal drift rate, measured on the low-load hold after unloading,
        times the time since contact. Needs ``t_s``.
    creep_correction : bool, default False
        Feng & Ngan's creep correction of the stiffness [5]_: 1/S = 1/S_u + h_dot / |P_dot|,
        with S_u the apparent stiffness at the unloading start (slope of a cubic h(P) from
        P_max down to 50 % of it), h_dot the displacement rate at the end of the hold
        (quadratic in t over its last half) and P_dot the unloading rate (down to 90 % of
        P_max). S, h_c, A, H and E then use the corrected S; the columns
        ``S_apparent_mN_per_nm`` [mN/nm], ``creep_rate_nm_per_s`` [nm/s] and
        ``unloading_rate_mN_per_s`` [mN/s] are added. Needs ``t_s``.
    cycle : int or "all", default -1
        Which load-unload cycle to analyse, Python style (-1 the last, 0 the first), or
        ``"all"``: every cycle of every curve, one row each (see Returns).

    Returns
    -------
    dict or pandas.DataFrame
        A dict for 1-D input; a DataFrame with one row per curve for 2-D input. Keys:

        - ``H_GPa`` hardness P_max / A [GPa]; ``E_GPa`` sample modulus [GPa];
          ``Er_GPa`` reduced modulus [GPa]
        - ``S_mN_per_nm`` unloading stiffness at P_max [mN/nm]; ``hc_nm`` contact depth
          [nm]; ``A_nm2`` contact area [nm^2]
        - ``h_max_nm`` depth at the unloading start [nm]; ``P_max_mN`` peak load [mN]
        - ``h_f_nm`` [nm], ``m`` [-], ``alpha`` [mN/nm^m]: the fit P = alpha (h - h_f)^m
        - ``fit_r2`` [-] and ``fit_rmse_mN`` [mN] of the fit in load; ``n_fit_points``
        - ``drift_rate_nm_per_s`` drift measured on the low-load hold [nm/s] (NaN without
          ``t_s`` or hold; reported whether or not it is subtracted)
        - ``zero_offset_nm`` depth zero h0 subtracted by ``zero_point_correction`` [nm]
          (NaN when the correction is off)
        - ``ok`` (bool) and ``reason`` (str, "" when ok)

        With ``cycle="all"`` always a DataFrame with one row per curve and cycle, led by
        ``curve`` (row of the input) and ``cycle`` (0 the first), and ending with
        ``broken_record`` (bool: displacement jumps of hundreds of nm at almost no load,
        :func:`learners.curves.cycles.broken_records`; such curves should be left out of a
        calibration) and ``P_end_mN`` (lowest load of the unloading).

    Raises
    ------
    ValueError
        For bad arguments: shapes that do not match, ``fit_range`` not
        0 < lower < upper <= 1, ``nu`` outside (-1, 0.5), an unknown ``tip``,
        ``drift_correction`` without ``t_s``, a non-integer ``cycle``.

    Notes
    -----
    Finding the unloading without labels: with R the reverse cumulative maximum of the
    load, points before the last one with P < R - tol are earlier loading; in the rest, the
    unloading starts at the last point within tol of its maximum (the end of the hold),
    tol = max(0.5 % of the peak load, 8 x robust load noise). P_max is the mean load of
    the hold points just before it, h_max the depth there. The fit uses the points after
    the unloading start with fit_range[0] P_max <= P <= fit_range[1] P_max, stopping at the
    first point below fit_range[0] P_max or at a low-load hold.

    The fit P = alpha (h - h_f)^m (m free) is solved for all curves at once by variable
    projection: for fixed h_f, log P is linear in (log alpha, m); h_f is found on a grid
    and refined with :func:`scipy.optimize.elementwise.find_minimum`
    (:func:`learners.curves.power_law.fit_unloading_power_law`). Then [1]_ [2]_

    .. math::

        S = m P_{max} / (h_P - h_f), \\quad h_c = h_{max} - \\epsilon P_{max} / S,
        \\quad H = P_{max} / A(h_c),

        E_r = \\frac{\\sqrt{\\pi}}{2 \\beta} \\frac{S}{\\sqrt{A}}, \\quad
        \\frac{1}{E_r} = \\frac{1 - \\nu^2}{E} + \\frac{1 - \\nu_i^2}{E_i}

    with h_P the depth where the fit reaches P_max. Corrections are applied in this order:
    frame compliance (h - C_f P), drift (h - rate (t - t_contact)), depth zero
    (h - h0, Kick's law [4]_).

    The default ``cycle=-1`` is fully vectorised. Another cycle without ``segment`` finds
    the cycles of each curve with :func:`scipy.signal.find_peaks` (peaks with prominence
    >= 10 % of the peak load) in a Python loop over curves; the analysis itself stays
    vectorised.

    A curve that cannot be analysed (non-finite or too few points, flat load, no
    unloading, too few fit points, h_f above h_max, h_c <= 0, E undefined) never raises:
    it gets ``ok=False``, a ``reason``, and NaN in the fit-derived values (h_max_nm,
    P_max_mN, drift_rate_nm_per_s and zero_offset_nm are kept when they were found).

    References
    ----------
    .. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
    .. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3.
    .. [3] R. B. King, Int. J. Solids Struct. 23 (1987) 1657.
    .. [4] F. Kick (1885): P = C h^2.
    .. [5] G. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660.

    Examples
    --------
    >>> from simulator import simulate_curves
    >>> curves = simulate_curves(3, material="fused silica")
    >>> oliver_pharr(curves.h_nm, curves.P_mN, nu=0.17)[["H_GPa", "E_GPa", "ok"]]  # doctest: +SKIP
    """
    if beta is None:
        beta = tip.beta if isinstance(tip, Tip) else 1.034
    options = {
        "t_s": t_s,
        "segment": segment,
        "tip": tip,
        "fit_range": fit_range,
        "epsilon": epsilon,
        "beta": beta,
        "E_i_GPa": E_i_GPa,
        "nu_i": nu_i,
        "frame_compliance_nm_per_mN": frame_compliance_nm_per_mN,
        "zero_point_correction": zero_point_correction,
        "drift_correction": drift_correction,
        "creep_correction": creep_correction,
    }
    if isinstance(cycle, str):
        if cycle != "all":
            raise ValueError(f"cycle must be an integer or 'all'. Got {cycle!r}.")
        return _all_cycles(h_nm, P_mN, nu, **options)
    analysis = analyse_curves(h_nm, P_mN, nu, cycle=cycle, **options)
    columns = OP_COLUMNS + (CREEP_COLUMNS if creep_correction else ())
    table = results_frame(analysis.results, columns)
    table["reason"] = _explain_failed_fits(table, analysis, fit_range)
    return first_row_dict(table) if analysis.data.one_curve else table


def _all_cycles(h_nm, P_mN, nu, *, t_s, segment, **options) -> pd.DataFrame:
    """Every cycle of every curve: each curve cut after each unloading
    (:func:`learners.curves.cycles.cut_cycles`), the cuts analysed as one batch (their
    last cycle each), one row per cut."""
    h = np.atleast_2d(np.asarray(h_nm, dtype=float))
    P = np.atleast_2d(np.asarray(P_mN, dtype=float))
    if h.shape != P.shape:
        raise ValueError(f"h_nm and P_mN must have the same shape. Got {h.shape} and {P.shape}.")
    seg = None if segment is None else np.atleast_2d(np.asarray(segment))
    t = None if t_s is None else np.atleast_2d(np.asarray(t_s, dtype=float))
    if seg is not None and seg.dtype.kind in "USO":
        from simulator.protocol import SEGMENT_CODES

        seg = np.vectorize(SEGMENT_CODES.get)(seg).astype(np.int8)
    h_c, P_c, t_c, seg_c, table = cut_cycles(h, P, t, seg)
    nu_arr = np.asarray(nu, dtype=float)
    nu_rows = nu_arr if nu_arr.ndim == 0 else nu_arr.reshape(-1)[table["curve"].to_numpy()]
    broken = broken_records(h, P)["broken"].to_numpy()
    extra = CREEP_COLUMNS if options.get("creep_correction") else ()
    columns = ["curve", "cycle", *OP_COLUMNS, *extra, "broken_record", "P_end_mN"]
    if len(table) == 0:
        return pd.DataFrame(columns=columns)
    analysis = analyse_curves(h_c, P_c, nu_rows, t_s=t_c, segment=seg_c, **options)
    frame = results_frame(analysis.results, (*OP_COLUMNS, *extra))
    frame["reason"] = _explain_failed_fits(frame, analysis, options["fit_range"])
    frame.insert(0, "cycle", table["cycle"].to_numpy())
    frame.insert(0, "curve", table["curve"].to_numpy())
    frame["broken_record"] = broken[table["curve"].to_numpy()]
    frame["P_end_mN"] = table["P_end_mN"].to_numpy()
    missing = np.setdiff1d(np.arange(h.shape[0]), table["curve"].to_numpy())
    if missing.size:  # curves without any load peak keep a row that says so
        empty = pd.DataFrame({"curve": missing, "cycle": 0, "ok": False})
        empty["reason"] = "no load-unload cycle found (no load peak)"
        empty["broken_record"] = broken[missing]
        empty["n_fit_points"] = 0
        frame = pd.concat([frame, empty], ignore_index=True)
        frame = frame.sort_values(["curve", "cycle"], ignore_index=True)
    return frame[columns]


#: Reasons of a failed unloading fit that get a "where and what to try" hint.
_FIT_FAILURES = ("unloading fit failed", "unphysical unloading")


def _explain_failed_fits(table: pd.DataFrame, analysis, fit_range) -> pd.Series:
    """Reasons of failed unloading fits with where the unloading breaks and a fit range
    above it to try (a loop over the failed curves only)."""
    reason = table["reason"].copy()
    failed = np.flatnonzero(reason.str.startswith(_FIT_FAILURES).to_numpy())
    lower, upper = (float(v) for v in fit_range)
    for i in failed:
        window = np.flatnonzero(analysis.fit_mask[i])
        P_max = float(table["P_max_mN"].iloc[i])
        if window.size < 3 or not P_max > 0:
            continue
        h = analysis.h_nm[i, window]
        P = analysis.data.P_mN[i, window]
        step = np.abs(np.diff(h))
        k = int(np.argmax(step))
        typical = float(np.median(step))
        where = (
            f"the fit window runs from {lower:.0%} to {upper:.0%} of P_max ({window.size} points)"
        )
        if step[k] > 5 * max(typical, 1e-12):
            P_break = float(max(P[k], P[k + 1]))
            new_lower = min(np.ceil((P_break / P_max + 0.05) * 20) / 20, upper - 0.2)
            hint = (
                f"; the unloading breaks at {P_break:.3g} mN ({P_break / P_max:.0%} of P_max: "
                f"a pop-out, elbow or glitch). Try fit_range=({new_lower:.2f}, {upper:.2f}) "
                "to fit the unloading above it."
            )
        else:
            hint = (
                "; the unloading does not follow a power law there. Try fit_range="
                f"(0.50, {upper:.2f}) to fit its upper half, and look at the curve for a "
                "pop-out, elbow or creep nose."
            )
        reason.iloc[i] = f"{reason.iloc[i]}: {where}{hint}"
    return reason


def first_row_dict(table: pd.DataFrame) -> dict:
    """The first row of ``table`` as a dict of plain Python scalars."""
    return {
        name: table[name].iloc[0].item()
        if hasattr(table[name].iloc[0], "item")
        else table[name].iloc[0]
        for name in table.columns
    }


def results_frame(results: dict, columns) -> pd.DataFrame:
    """A DataFrame of per-curve result arrays, columns in the given order."""
    frame = pd.DataFrame({name: results[name] for name in columns})
    frame["ok"] = frame["ok"].astype(bool)
    frame["n_fit_points"] = frame["n_fit_points"].astype(int)
    frame["reason"] = frame["reason"].astype(str)
    return frame
