"""Argument checks and array preparation shared by the public analysis functions.

Bad *arguments* raise ``ValueError`` naming the parameter, the rule and the value received;
bad *data* (NaN, a flat curve) never raise here: the analysis flags such curves instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.protocol import SEGMENT_CODES, SEGMENT_NAMES
from simulator.tips import BERKOVICH_AREA_COEFF, Tip, contact_area_nm2

AreaFunction = Callable[[np.ndarray], np.ndarray]

#: Segment codes understood in ``segment`` (see :data:`simulator.protocol.SEGMENT_NAMES`).
APPROACH, LOADING, HOLD, UNLOADING, DRIFT_HOLD, FINAL_UNLOADING = range(6)


@dataclass
class Prepared:
    """Curves as dense 2-D arrays with their finite points packed at the start of each row.

    Attributes
    ----------
    h_nm, P_mN : ndarray, shape (n_curves, n_points)
    t_s : ndarray, shape (n_curves, n_points), or None
    segment : ndarray of int, shape (n_curves, n_points), or None
    valid : ndarray of bool, shape (n_curves, n_points)
        Finite points; all True points come before all False points in a row.
    n_valid : ndarray of int, shape (n_curves,)
    nu : ndarray, shape (n_curves,)
    one_curve : bool
        True when the input was 1-D.
    """

    h_nm: np.ndarray
    P_mN: np.ndarray
    t_s: np.ndarray | None
    segment: np.ndarray | None
    valid: np.ndarray
    n_valid: np.ndarray
    nu: np.ndarray
    one_curve: bool


def prepare_curves(h_nm, P_mN, t_s=None, segment=None, nu=0.3) -> Prepared:
    """Check shapes and values of the curve data and pack the finite points of each row.

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
    t_s : array_like, shape (n_points,) or like ``h_nm``, optional
    segment : array_like, shape (n_points,) or like ``h_nm``, optional
        Integer codes 0..5 or segment names (:data:`simulator.protocol.SEGMENT_NAMES`).
    nu : float or array_like, shape (n_curves,)

    Returns
    -------
    Prepared

    Raises
    ------
    ValueError
        If a shape does not match, ``segment`` holds unknown codes or names, or ``nu`` lies
        outside (-1, 0.5).
    """
    h = np.asarray(h_nm, dtype=float)
    P = np.asarray(P_mN, dtype=float)
    if h.ndim not in (1, 2):
        raise ValueError(
            f"h_nm must be 1-D (n_points,) or 2-D (n_curves, n_points). Got {h.ndim} dimensions."
        )
    if P.shape != h.shape:
        raise ValueError(f"h_nm and P_mN must have the same shape. Got {h.shape} and {P.shape}.")
    if h.shape[-1] == 0 or h.size == 0:
        raise ValueError(f"h_nm and P_mN must hold at least one point per curve. Got {h.shape}.")
    one_curve = h.ndim == 1
    h2 = np.atleast_2d(h)
    P2 = np.atleast_2d(P)
    t2 = None if t_s is None else _per_point(t_s, "t_s", h2.shape, float)
    seg2 = (
        None if segment is None else _segment_codes(_per_point(segment, "segment", h2.shape, None))
    )
    nu_arr = check_nu(nu, h2.shape[0])

    valid = np.isfinite(h2) & np.isfinite(P2)
    if t2 is not None:
        valid &= np.isfinite(t2)
    all_valid = bool(valid.all())
    if not all_valid:
        # Move the finite points of every row to its start, in their order (stable sort),
        # so that every later step sees contiguous data followed by padding.
        order = np.argsort(~valid, axis=1, kind="stable")
        h2 = np.take_along_axis(h2, order, axis=1)
        P2 = np.take_along_axis(P2, order, axis=1)
        if t2 is not None:
            t2 = np.take_along_axis(t2, order, axis=1)
        if seg2 is not None:
            seg2 = np.take_along_axis(seg2, order, axis=1)
        valid = np.take_along_axis(valid, order, axis=1)
        h2 = np.where(valid, h2, np.nan)
        P2 = np.where(valid, P2, np.nan)
    n_valid = np.full(h2.shape[0], h2.shape[1]) if all_valid else valid.sum(axis=1)
    return Prepared(h2, P2, t2, seg2, valid, n_valid, nu_arr, one_curve)


def _segment_codes(seg: np.ndarray) -> np.ndarray:
    """Segment codes 0..5 as int8, from integer codes or from segment names."""
    if seg.dtype.kind in "USO":
        names = np.asarray(seg, dtype=str)
        unknown = sorted(str(n) for n in set(np.unique(names)) - set(SEGMENT_CODES))
        if unknown:
            raise ValueError(
                f"segment names must be among {list(SEGMENT_NAMES)}. Got {unknown[:3]}."
            )
        unique, inverse = np.unique(names, return_inverse=True)
        codes = np.array([SEGMENT_CODES[name] for name in unique], dtype=np.int8)  # <= 6 names
        return codes[inverse].reshape(names.shape)
    if not np.issubdtype(seg.dtype, np.integer):
        rounded = np.rint(seg.astype(float))
        if not np.all(rounded == seg):
            raise ValueError("segment must hold integer codes 0..5. Got non-integer values.")
        seg = rounded
    if seg.size and (seg.min() < 0 or seg.max() > 5):
        raise ValueError(
            f"segment must hold integer codes 0..5. Got values from {seg.min():g} to {seg.max():g}."
        )
    return seg.astype(np.int8)


def _per_point(values, name: str, shape: tuple[int, int], dtype) -> np.ndarray:
    """A per-point array given as (n_points,) for all curves or as (n_curves, n_points)."""
    arr = np.asarray(values, dtype=dtype)
    if arr.shape == shape[1:]:
        return np.broadcast_to(arr, shape)
    if arr.shape == shape:
        return arr
    raise ValueError(f"{name} must have shape ({shape[1]},) or {shape} like h_nm. Got {arr.shape}.")


def check_nu(nu, n_curves: int) -> np.ndarray:
    """Poisson's ratio as an array of shape (n_curves,); ValueError if out of range."""
    arr = np.asarray(nu, dtype=float)
    if arr.ndim == 0 or arr.size == 1:
        arr = np.full(n_curves, float(arr.reshape(-1)[0]))
    if arr.shape != (n_curves,):
        raise ValueError(
            f"nu must be a scalar or have one value per curve, shape ({n_curves},). "
            f"Got shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)) or np.any(arr <= -1.0) or np.any(arr >= 0.5):
        bad = arr[~(np.isfinite(arr) & (arr > -1.0) & (arr < 0.5))][0]
        raise ValueError(f"nu must lie in (-1, 0.5). Got {float(bad)!r}.")
    return arr


def check_options(
    *,
    fit_range,
    epsilon: float,
    beta: float,
    E_i_GPa: float,
    nu_i: float,
    frame_compliance_nm_per_mN: float,
    cycle,
) -> tuple[float, float]:
    """Validate the scalar options of :func:`learners.oliver_pharr`; return fit_range."""
    try:
        lower, upper = (float(v) for v in fit_range)
    except (TypeError, ValueError):
        raise ValueError(
            f"fit_range must be a pair (lower, upper) of load fractions. Got {fit_range!r}."
        ) from None
    if not 0.0 < lower < upper <= 1.0:
        raise ValueError(
            f"fit_range must satisfy 0 < lower < upper <= 1. Got ({lower:g}, {upper:g})."
        )
    for name, value in (("epsilon", epsilon), ("beta", beta), ("E_i_GPa", E_i_GPa)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0. Got {value!r}.")
    if not (np.isfinite(nu_i) and -1.0 < nu_i < 0.5):
        raise ValueError(f"nu_i must lie in (-1, 0.5). Got {nu_i!r}.")
    C_f = frame_compliance_nm_per_mN
    if not (np.isfinite(C_f) and C_f >= 0):
        raise ValueError(f"frame_compliance_nm_per_mN must be a finite number >= 0. Got {C_f!r}.")
    if isinstance(cycle, bool) or not isinstance(cycle, (int, np.integer)):
        raise ValueError(f"cycle must be an integer (-1 for the last cycle). Got {cycle!r}.")
    return lower, upper


def area_function(tip: str | Tip | AreaFunction) -> AreaFunction:
    """The area function A(h_c) [nm^2] of ``tip``.

    Parameters
    ----------
    tip : "berkovich", simulator.tips.Tip or callable
        ``"berkovich"``: ideal Berkovich, A = 24.5 h_c^2 (Oliver & Pharr 1992). A ``Tip``:
        its :func:`simulator.tips.contact_area_nm2`. A callable: A(hc_nm) -> nm^2 applied
        element-wise to an array of contact depths.
    """
    if isinstance(tip, str):
        if tip != "berkovich":
            raise ValueError(
                "tip must be 'berkovich', a simulator.tips.Tip or a callable A(hc_nm) -> nm^2. "
                f"Got {tip!r}."
            )
        return lambda hc: BERKOVICH_AREA_COEFF * np.asarray(hc, dtype=float) ** 2
    if isinstance(tip, Tip):
        return lambda hc: contact_area_nm2(tip, hc)
    if callable(tip):
        return tip
    raise ValueError(
        "tip must be 'berkovich', a simulator.tips.Tip or a callable A(hc_nm) -> nm^2. "
        f"Got {tip!r}."
    )
