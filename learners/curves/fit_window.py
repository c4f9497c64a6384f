"""The unloading points of every curve fitted by the batch Oliver-Pharr analysis.

Only a window of columns from each curve's unloading start is gathered (about the fit's
length, not the curve's), so the fit selection and the power-law fit never touch the
loading or the rest of the curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._inputs import UNLOADING
from .rowstats import first_true

#: First width of the unloading window gathered for the fit (doubled while too short).
FIT_WINDOW = 128


@dataclass(frozen=True)
class FitWindow:
    """The unloading columns of each curve gathered for the power-law fit.

    Attributes
    ----------
    columns : ndarray of int, shape (n_curves, width)
        Column of each window slot, from the unloading start on (clipped to the last
        column; rows without an unloading start at column 0).
    flat_index : ndarray of int, shape (n_curves, width)
        The same slots as indices into the flattened (n_curves * n_points) arrays.
    P_mN : ndarray, shape (n_curves, width)
        Load in the window [mN].
    fit : ndarray of bool, shape (n_curves, width)
        Slots that are fitted.
    """

    columns: np.ndarray
    flat_index: np.ndarray
    P_mN: np.ndarray
    fit: np.ndarray

    def gather(self, x: np.ndarray) -> np.ndarray:
        """The window's values of a (n_curves, n_points) array ``x``."""
        return np.take(x.reshape(-1), self.flat_index)

    def full_mask(self, shape: tuple[int, int]) -> np.ndarray:
        """The fitted points as a full-length mask of ``shape`` (n_curves, n_points)."""
        mask = np.zeros(shape, dtype=bool)
        rows, cols = np.nonzero(self.fit)
        mask[rows, self.columns[rows, cols]] = True
        return mask


def fit_window(
    P_mN: np.ndarray,
    valid: np.ndarray,
    hold: np.ndarray,
    segment: np.ndarray | None,
    i_unload: np.ndarray,
    i_last: np.ndarray,
    P_lo_mN: np.ndarray,
    P_hi_mN: np.ndarray,
    P_shape_mN: np.ndarray | None = None,
    glitch_tol_mN: np.ndarray | None = None,
) -> FitWindow:
    """The fit points of every curve, gathered in a window starting at its unloading start.

    A point is fitted when it comes after the unloading start, before the first point whose
    glitch-free load ``P_shape_mN`` (``P_mN`` when not given) is below ``P_lo_mN``, the
    first drift-hold point and (with labels) the first non-glitch point off the unloading,
    has P_lo_mN <= P <= P_hi_mN and is not a glitch (|P - P_shape| > ``glitch_tol_mN``).
    The window starts FIT_WINDOW points wide and doubles (all curves at once) until every
    curve's stop lies inside it or its last valid point ``i_last``.
    """
    n_curves, n_points = P_mN.shape
    found = i_unload >= 0
    first = np.where(found, i_unload, 0)[:, None]
    lo, hi = P_lo_mN[:, None], P_hi_mN[:, None]
    row_start = (np.arange(n_curves) * n_points)[:, None]
    width = min(FIT_WINDOW, n_points)
    while True:
        slot = np.arange(width)[None, :]
        columns = np.minimum(first + slot, n_points - 1)
        flat = columns + row_start  # np.take on the flat array beats take_along_axis 3x

        def gather(x: np.ndarray, flat: np.ndarray = flat) -> np.ndarray:
            return np.take(x.reshape(-1), flat)

        P_w = gather(P_mN)
        Ps_w = P_w if P_shape_mN is None else gather(P_shape_mN)
        after = gather(valid) & (first + slot < n_points) & found[:, None]
        with np.errstate(invalid="ignore"):
            below = first_true(after & (Ps_w < lo), width)
            stop = np.minimum(below, first_true(gather(hold), width))
            if P_shape_mN is not None and glitch_tol_mN is not None:
                # isolated glitches (far from the running median) are left out of the fit
                after &= ~(np.abs(P_w - Ps_w) > glitch_tol_mN[:, None])
            if segment is not None:
                stop = np.minimum(stop, first_true(after & (gather(segment) != UNLOADING), width))
            fit = after & (slot < stop[:, None]) & (P_w >= lo) & (P_w <= hi)
        complete = (stop < width) | (first[:, 0] + width > i_last) | ~found
        if complete.all() or width >= n_points:
            return FitWindow(columns, flat, P_w, fit)
        width = min(2 * width, n_points)
