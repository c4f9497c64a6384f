"""Calibration of the tip's area function and the load frame's compliance, as labs do it.

A reference series (fused silica by default: E = 72 GPa, nu = 0.17) indented at many
depths gives, for every unloading of every test, the total stiffness S_tot, P_max and
h_max. The measured compliance is the sum of the contact's and the frame's (Oliver & Pharr
1992, eq. 7):

    1 / S_tot = C_f + 1 / S,   1 / S = sqrt(pi) / (2 beta E_r sqrt(A)).

The frame compliance C_f comes from large indents in a stiff material (tungsten): there
A = P / H, so 1 / S_tot is linear in 1 / sqrt(P) with intercept C_f (or in 1 / sqrt(A)
with an area from the ideal shape). With C_f known, each reference unloading gives its
contact area A = pi / 4 (S / (beta E_r))^2 at h_c = (h_max - C_f P) - epsilon P / S, and
A(h_c) = C0 h_c^2 + C1 h_c + C2 h_c^(1/2) + ... is fitted by least squares in relative
error. Without a stiff series, C_f and the area are found together by the iteration of
Oliver & Pharr (1992, section IV.B) on the largest reference indents.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583, sections IV.A-B.
   doi:10.1557/JMR.1992.1564
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20. doi:10.1557/jmr.2004.19.1.3
.. [3] ISO 14577-2:2015, Verification and calibration of testing machines (frame
   compliance from large indents; area function from a reference material).
.. [4] B. X. Feng, A. H. W. Ngan, J. Mater. Res. 17 (2002) 660 (creep during unloading
   biases the stiffness when the creep rate is comparable with the unloading rate).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from simulator.materials import DIAMOND_E_GPA, DIAMOND_NU, reduced_modulus

from .area_function import polynomial_area_function
from .cycles import find_cycles
from .depth_fit import stiffness_from_depth_fit
from .oliver_pharr import oliver_pharr

#: Frame compliances outside [0, MAX_FRAME_COMPLIANCE] nm/mN are implausible.
MAX_FRAME_COMPLIANCE = 5.0
#: Creep rate at the end of the hold over the unloading's displacement rate above which an
#: unloading is creep-dominated (Feng & Ngan 2002).
MAX_CREEP_RATIO = 0.1
#: Fraction of the largest indents (by P_max) used for a frame compliance.
LARGEST_FRACTION = 0.5
#: An area far larger than any contact: the analysis then measures S, h_max and P_max
#: without refusing a curve as "E undefined" (the area is not known yet).
_HUGE_AREA_NM2 = 1e15


@dataclass
class Calibration:
    """An area function and a frame compliance, with the data that gave them.

    Attributes
    ----------
    area_coefficients : tuple of float
        C0, C1, C2, ... of :func:`learners.curves.area_function.polynomial_area_function`.
    frame_compliance_nm_per_mN : float
        C_f used for the area function [nm/mN].
    frame_compliance_stiff_nm_per_mN : float
        C_f from the stiff series (NaN without one or when flagged).
    frame_compliance_reference_nm_per_mN : float
        C_f from the reference series' largest indents (NaN when not computed or flagged).
    hc_range_nm : (float, float)
        Contact depths of the reference unloadings used: the calibrated range [nm].
    beta, epsilon : float
        The constants used.
    reference : DataFrame
        One row per reference unloading: ``curve``, ``cycle``, ``P_max_mN``, ``h_max_nm``,
        ``S_total_mN_per_nm`` (the depth fit's), ``S_power_law_mN_per_nm`` (the Oliver-Pharr
        fit's, for comparison), ``S_mN_per_nm``, ``hc_nm``, ``A_nm2`` (from the stiffness),
        ``A_fit_nm2``, ``residual`` (relative), ``creep_ratio``, ``used``, ``reason``.
    stiff : DataFrame or None
        The stiff series' unloadings: ``P_max_mN``, ``compliance_nm_per_mN``,
        ``inv_sqrt_P``, ``inv_sqrt_A``, ``fit_nm_per_mN``, ``used``, ``reason``.
    notes : list of str
        What was flagged and why.
    """

    area_coefficients: tuple[float, ...]
    frame_compliance_nm_per_mN: float
    frame_compliance_stiff_nm_per_mN: float
    frame_compliance_reference_nm_per_mN: float
    hc_range_nm: tuple[float, float]
    beta: float
    epsilon: float
    reference: pd.DataFrame
    stiff: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def area_function(self):
        """A(hc_nm) -> nm^2 of the calibrated coefficients."""
        return polynomial_area_function(self.area_coefficients)

    def to_json(self) -> str:
        """The calibration (coefficients, C_f, range, constants) as JSON text."""
        return json.dumps(
            {
                "area_coefficients": list(self.area_coefficients),
                "frame_compliance_nm_per_mN": self.frame_compliance_nm_per_mN,
                "hc_range_nm": list(self.hc_range_nm),
                "beta": self.beta,
                "epsilon": self.epsilon,
                "notes": self.notes,
            },
            indent=2,
        )

    @staticmethod
    def from_json(text: str) -> dict:
        """The options of :func:`learners.oliver_pharr` a saved calibration sets: ``tip``,
        ``frame_compliance_nm_per_mN``, ``beta``, ``epsilon``."""
        data = json.loads(text)
        return {
            "tip": polynomial_area_function(data["area_coefficients"]),
            "frame_compliance_nm_per_mN": float(data["frame_compliance_nm_per_mN"]),
            "beta": float(data["beta"]),
            "epsilon": float(data["epsilon"]),
        }


def unloadings(h_nm, P_mN, t_s=None, *, beta: float, epsilon: float) -> pd.DataFrame:
    """S_tot, P_max, h_max of every unloading of every curve, and its creep ratio.

    h_max is the depth at the end of the hold from a line through the hold's last third
    (averages the depth noise of the single point). The creep ratio is that line's slope
    (less three of its standard errors: a slope within the noise is no creep) over the
    displacement rate of the first 20 % of the unloading (NaN without time).
    S_tot is dP/dh at P_max of h = h_f + b P^n fitted to the unloading from 95 % to 20 % of
    P_max (:func:`learners.curves.depth_fit.stiffness_from_depth_fit`: depth noise does
    not bias it, as it biases the Oliver-Pharr fit of P(h) low at shallow depths); the
    Oliver-Pharr value where that fit fails, and in ``S_power_law_mN_per_nm``.
    """
    table = oliver_pharr(
        h_nm,
        P_mN,
        0.2,
        t_s=t_s,
        tip=lambda hc: np.full(np.shape(hc), _HUGE_AREA_NM2),
        beta=beta,
        epsilon=epsilon,
        cycle="all",
    )
    table = table.rename(columns={"S_mN_per_nm": "S_power_law_mN_per_nm"})
    table["creep_ratio"], h_end, S_depth = _hold_end(h_nm, P_mN, t_s, table)
    table["h_max_nm"] = np.where(np.isfinite(h_end), h_end, table["h_max_nm"])
    fitted = np.isfinite(S_depth) & table["ok"].to_numpy()
    table["S_total_mN_per_nm"] = np.where(fitted, S_depth, table["S_power_law_mN_per_nm"])
    return table[
        ["curve", "cycle", "P_max_mN", "h_max_nm", "S_total_mN_per_nm"]
        + ["S_power_law_mN_per_nm", "creep_ratio", "ok", "reason", "broken_record"]
    ]


def _hold_end(h_nm, P_mN, t_s, table: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Per unloading: the creep rate at the end of the hold over the unloading's rate, the
    depth at the end of the hold from a line through its last third (less noisy than the
    one point the analysis takes; NaN where the hold is too short), and the stiffness of
    the depth fit h(P) from 95 % to 20 % of P_max (NaN where it fails)."""
    ratio = np.full(len(table), np.nan)
    h_end = np.full(len(table), np.nan)
    S_depth = np.full(len(table), np.nan)
    if len(table) == 0:
        return ratio, h_end, S_depth
    h = np.atleast_2d(np.asarray(h_nm, float))
    P = np.atleast_2d(np.asarray(P_mN, float))
    if t_s is None:
        t = np.broadcast_to(np.arange(h.shape[1], dtype=float), h.shape)
    else:
        t = np.broadcast_to(np.atleast_2d(np.asarray(t_s, float)), h.shape)
    cycles = find_cycles(P)
    if len(cycles) != len(table):
        return ratio, h_end, S_depth
    i_stop = cycles["i_end"].to_numpy()
    i_start = np.where(cycles["cycle"].to_numpy() > 0, np.roll(i_stop, 1), 0)
    col = np.arange(P.shape[1])
    for r, (k, P_max) in enumerate(zip(table["curve"], table["P_max_mN"], strict=True)):
        # one short search per unloading (tens of them), within its cycle
        if not np.isfinite(P_max):
            continue
        inside = (col >= i_start[r]) & (col <= i_stop[r])
        near = np.flatnonzero(inside & (np.abs(P[k] - P_max) <= 0.002 * P_max))
        if near.size < 4:
            continue
        i_end = near[-1]
        last = near[near.size - max(3, near.size // 3) :]
        slope, intercept = np.polyfit(t[k, last], h[k, last], 1)
        h_end[r] = slope * t[k, i_end] + intercept
        down = inside & (col > i_end)
        below = np.flatnonzero(down & (P[k] < 0.2 * P_max))
        stop = below[0] if below.size else i_stop[r] + 1
        window = np.flatnonzero(down & (col < stop) & (P[k] <= 0.95 * P_max) & np.isfinite(h[k]))
        S_depth[r] = stiffness_from_depth_fit(P[k, window], h[k, window], P_max)
        after = np.flatnonzero(down & (P[k] <= 0.8 * P_max))
        if t_s is None or after.size == 0:
            continue
        j = after[0]
        unload = abs(h_end[r] - h[k, j]) / max(t[k, j] - t[k, i_end], 1e-12)
        # the creep rate that stands out of the depth noise: the slope less three of its
        # standard errors (a shallow hold's noise alone gives slopes of a tenth of the
        # unloading rate)
        tt, hh = t[k, last], h[k, last]
        spread = ((tt - tt.mean()) ** 2).sum()
        res = hh - (slope * tt + intercept)
        se = np.sqrt((res**2).sum() / max(tt.size - 2, 1) / spread) if spread > 0 else 0.0
        ratio[r] = max(abs(slope) - 3.0 * se, 0.0) / unload if unload > 0 else np.nan
    return ratio, h_end, S_depth


def frame_compliance_from_stiff(
    h_nm,
    P_mN,
    t_s=None,
    *,
    against: str = "1/sqrtP",
    beta: float = 1.034,
    epsilon: float = 0.75,
    largest_fraction: float = LARGEST_FRACTION,
) -> tuple[float, pd.DataFrame, list[str]]:
    """Frame compliance from large indents in a stiff material (ISO 14577-2).

    Parameters
    ----------
    h_nm, P_mN, t_s : array_like
        The stiff series (e.g. tungsten at large loads).
    against : {"1/sqrtP", "1/sqrtA"}
        Regress the total compliance 1 / S_tot on 1 / sqrt(P_max) (constant hardness: A =
        P / H) or on 1 / sqrt(A) with A = 24.5 h_c^2 of the ideal shape at the contact depth.
    largest_fraction : float
        The largest indents used (by P_max), as a fraction of all unloadings.

    Returns
    -------
    C_f : float
        The intercept [nm/mN]; NaN when flagged (negative or above 5 nm/mN).
    table : DataFrame
    notes : list of str
    """
    if against not in ("1/sqrtP", "1/sqrtA"):
        raise ValueError(f"against must be '1/sqrtP' or '1/sqrtA'. Got {against!r}.")
    table = unloadings(h_nm, P_mN, t_s, beta=beta, epsilon=epsilon)
    table["compliance_nm_per_mN"] = 1.0 / table["S_total_mN_per_nm"]
    table["inv_sqrt_P"] = 1.0 / np.sqrt(table["P_max_mN"])
    with np.errstate(invalid="ignore"):
        hc = table["h_max_nm"] - epsilon * table["P_max_mN"] / table["S_total_mN_per_nm"]
    table["inv_sqrt_A"] = 1.0 / np.sqrt(24.5 * hc.where(hc > 0) ** 2)
    usable = _usable(table)
    cut = table.loc[usable, "P_max_mN"].quantile(1.0 - largest_fraction) if usable.any() else 0
    table["used"] = usable & (table["P_max_mN"] >= cut)
    notes = _flag_notes(table, "stiff series")
    x_name = "inv_sqrt_P" if against == "1/sqrtP" else "inv_sqrt_A"
    C_f, slope = _line(
        table.loc[table["used"], x_name], table.loc[table["used"], "compliance_nm_per_mN"]
    )
    table["fit_nm_per_mN"] = C_f + slope * table[x_name]
    C_f, more = _check_compliance(C_f, "the stiff series")
    return C_f, table, notes + more


def _usable(table: pd.DataFrame) -> pd.Series:
    """Unloadings that were fitted, are not broken and not creep-dominated; reasons set."""
    # the cause first: a broken record, then creep (its nose can also break the fit)
    reason = table["reason"].astype(str).where(~table["ok"], "")
    creep = table["creep_ratio"] > MAX_CREEP_RATIO
    reason = reason.where(
        ~creep,
        "creep-dominated unloading: creep rate at the end of the hold is "
        + (100 * table["creep_ratio"]).round(0).astype(str)
        + " % of the unloading rate (lengthen the hold)",
    )
    reason = reason.where(~table["broken_record"], "broken record")
    table["reason"] = reason
    return (reason == "") & np.isfinite(table["S_total_mN_per_nm"])


def _flag_notes(table: pd.DataFrame, what: str) -> list[str]:
    left = table[table["reason"] != ""]
    if left.empty:
        return []
    counts = left["reason"].str.split(":").str[0].value_counts()
    listed = ", ".join(f"{n} {r}" for r, n in counts.items())
    return [f"{what}: {len(left)} of {len(table)} unloadings left out ({listed})."]


def _line(x, y) -> tuple[float, float]:
    """Intercept and slope of a least-squares line; NaN with fewer than 2 points."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 2 or np.ptp(x) == 0:
        return np.nan, np.nan
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope)


def _check_compliance(C_f: float, source: str) -> tuple[float, list[str]]:
    if not np.isfinite(C_f):
        return np.nan, [f"No frame compliance from {source}: too few usable unloadings."]
    if C_f < 0 or C_f > MAX_FRAME_COMPLIANCE:
        return np.nan, [
            f"The frame compliance from {source} is {C_f:.3g} nm/mN, implausible (a frame "
            f"compliance lies between 0 and {MAX_FRAME_COMPLIANCE:g} nm/mN): not used. Check "
            "that the indents are large and the material stiff, and that nothing slipped."
        ]
    return C_f, []


def fit_area_coefficients(
    hc_nm: npt.ArrayLike,
    A_nm2: npt.ArrayLike,
    n_terms: int = 4,
    C0: float | None = None,
    weights: npt.ArrayLike | None = None,
) -> tuple[float, ...]:
    """Least-squares coefficients of A = C0 h^2 + C1 h + C2 h^(1/2) + ... in relative error.

    ``C0`` fixed when given (e.g. 24.5), else fitted. ``weights``: one per point (the
    inverse variance of its relative error), equal when None. Columns are scaled before
    solving.
    """
    hc = np.asarray(hc_nm, float)
    A = np.asarray(A_nm2, float)
    exponents = 2.0 ** (1 - np.arange(n_terms))
    X = hc[:, None] ** exponents[None, :] / A[:, None]  # relative: A_fit / A = 1
    y = np.ones_like(A)
    if weights is not None:
        root = np.sqrt(np.asarray(weights, float) / np.mean(weights))
        X, y = X * root[:, None], y * root
    if C0 is not None:
        y = y - X[:, 0] * C0
        X = X[:, 1:]
    scale = np.sqrt((X**2).mean(axis=0))
    coef, *_ = np.linalg.lstsq(X / scale, y, rcond=None)
    coef = coef / scale
    return tuple(float(c) for c in ([C0, *coef] if C0 is not None else coef))


def calibrate(
    h_nm: npt.ArrayLike,
    P_mN: npt.ArrayLike,
    *,
    E_GPa: float = 72.0,
    nu: float = 0.17,
    t_s: npt.ArrayLike | None = None,
    beta: float = 1.034,
    epsilon: float = 0.75,
    E_i_GPa: float = DIAMOND_E_GPA,
    nu_i: float = DIAMOND_NU,
    stiff_h_nm: npt.ArrayLike | None = None,
    stiff_P_mN: npt.ArrayLike | None = None,
    stiff_t_s: npt.ArrayLike | None = None,
    stiff_against: str = "1/sqrtP",
    frame_compliance_nm_per_mN: float | None = None,
    n_terms: int = 4,
    C0: float | None = None,
    weighting: str = "depth",
    iterations: int = 20,
) -> Calibration:
    """Area function and frame compliance from a reference series (Oliver & Pharr 1992).

    Parameters
    ----------
    h_nm, P_mN : array_like, shape (n_points,) or (n_curves, n_points)
        The reference series [nm, mN]: all cycles of all tests are used.
    E_GPa, nu : float, default 72.0, 0.17
        The reference's modulus [GPa] and Poisson's ratio (fused silica).
    t_s : array_like, optional
        Time [s]; needed to flag creep-dominated unloadings.
    beta, epsilon : float
        Stiffness correction (1.034 King 1987; 1.05 Oliver & Pharr 2004) and contact-depth
        constant (0.75 Berkovich).
    stiff_h_nm, stiff_P_mN, stiff_t_s : array_like, optional
        Large indents in a stiff material (tungsten): the frame compliance from them
        (:func:`frame_compliance_from_stiff`, regressed against ``stiff_against``).
    frame_compliance_nm_per_mN : float, optional
        A known frame compliance, used as given.
    n_terms : int, default 4
        Coefficients C0 ... C_{n-1} fitted (C0 h^2 + C1 h + C2 h^(1/2) + C3 h^(1/4) by
        default; fewer terms bias a blunted tip's area near the apex).
    C0 : float, optional
        Fix C0 (24.5 for a Berkovich, -pi for a sphere).
    weighting : {"depth", "equal"}, default "depth"
        "depth" weights each unloading by the inverse variance of its area's relative
        error, which grows as 1 / h_c (a depth noise of the same size at every depth): a
        weight of h_c^2. The shallowest indents, the noisiest, then count least per indent;
        repeat them most (see Notes). "equal": every unloading alike.
    iterations : int
        Iterations of the reference-only method (no stiff series, no known C_f).

    Returns
    -------
    Calibration

    Notes
    -----
    Broken records, failed fits and creep-dominated unloadings (creep rate at the end of
    the hold above 10 % of the unloading rate; Feng & Ngan 2002) are left out, with the
    reason in ``reference.reason``. A negative or implausible frame compliance (outside
    0-5 nm/mN) is flagged and not used (0 is used, with a note).

    The stiffness of each reference unloading comes from a fit of the depth against the
    load (:mod:`learners.curves.depth_fit`), which the depth noise does not bias. A single
    indent's area then scatters as 1 / h_c: with 0.2 nm of depth noise by about 3.4 % at
    h_c = 23 nm and 0.1 % at 660 nm (simulated fused silica). So repeat the shallowest
    depths most: the area's error at the shallow end of the calibrated range falls as one
    over the square root of their number (bench/bench_calibration.py: 50 indents at
    0.2 mN, 25 at the next depth, ...).
    """
    if not 1 <= n_terms <= 8:
        raise ValueError(f"n_terms must be between 1 and 8. Got {n_terms!r}.")
    if weighting not in ("depth", "equal"):
        raise ValueError(f"weighting must be 'depth' or 'equal'. Got {weighting!r}.")
    Er = float(reduced_modulus(E_GPa, nu, E_i_GPa, nu_i)) * 1e-6  # mN/nm^2
    ref = unloadings(h_nm, P_mN, t_s, beta=beta, epsilon=epsilon)
    usable = _usable(ref)
    notes = _flag_notes(ref, "reference series")
    if usable.sum() < max(3, n_terms - (C0 is not None)):
        raise ValueError(
            f"The reference series has {int(usable.sum())} usable unloadings; a calibration "
            f"needs at least {max(3, n_terms)} (several depths)."
        )
    C_stiff, stiff = np.nan, None
    if stiff_h_nm is not None and stiff_P_mN is not None:
        C_stiff, stiff, more = frame_compliance_from_stiff(
            stiff_h_nm, stiff_P_mN, stiff_t_s, against=stiff_against, beta=beta, epsilon=epsilon
        )
        notes += more
    P = ref["P_max_mN"].to_numpy()
    h_max = ref["h_max_nm"].to_numpy()
    C_tot = 1.0 / ref["S_total_mN_per_nm"].to_numpy()
    use = usable.to_numpy()

    def area_at(C_f: float):
        S = 1.0 / (C_tot - C_f)
        A = np.pi / 4.0 * (S / (beta * Er)) ** 2
        hc = h_max - C_f * P - epsilon * P / S
        return S, A, hc

    C_ref = np.nan
    if frame_compliance_nm_per_mN is not None:
        C_f = float(frame_compliance_nm_per_mN)
    elif np.isfinite(C_stiff):
        C_f = C_stiff
    else:  # Oliver & Pharr 1992: C_f from the reference's largest indents
        C_f = 0.0
        largest = use & (P >= np.quantile(P[use], 1.0 - LARGEST_FRACTION))
        slope = np.sqrt(np.pi) / (2.0 * beta * Er)  # known: the reference's modulus
        C0_far = 24.5 if C0 is None or C0 <= 0 else C0
        for _ in range(iterations):
            # the largest indents see the far, near-ideal part of the tip: A = C0 h_c^2
            _, _, hc = area_at(C_f)
            ok = largest & (hc > 0)
            new = float(np.mean(C_tot[ok] - slope / (np.sqrt(C0_far) * hc[ok])))
            if not np.isfinite(new) or abs(new - C_f) < 1e-6:
                break
            C_f = new
        notes.append(
            "Frame compliance from the reference series alone (largest indents taken as the "
            "ideal shape): blunting biases it; a stiff series (large indents in tungsten) "
            "gives it without that assumption."
        )
        C_ref, more = _check_compliance(C_f, "the reference series")
        notes += more
        C_f = C_ref if np.isfinite(C_ref) else 0.0
    S, A, hc = area_at(C_f)
    ok = use & (hc > 0) & (S > 0)
    weights = hc[ok] ** 2 if weighting == "depth" else None
    coef = fit_area_coefficients(hc[ok], A[ok], n_terms, C0, weights)
    A_fit = polynomial_area_function(coef)(np.where(hc > 0, hc, np.nan))
    ref["S_mN_per_nm"] = S
    ref["hc_nm"] = hc
    ref["A_nm2"] = A
    ref["A_fit_nm2"] = A_fit
    ref["residual"] = A_fit / A - 1.0
    ref["used"] = ok
    return Calibration(
        area_coefficients=coef,
        frame_compliance_nm_per_mN=float(C_f),
        frame_compliance_stiff_nm_per_mN=float(C_stiff),
        frame_compliance_reference_nm_per_mN=float(C_ref),
        hc_range_nm=(float(hc[ok].min()), float(hc[ok].max())),
        beta=beta,
        epsilon=epsilon,
        reference=ref,
        stiff=stiff,
        notes=notes,
    )
