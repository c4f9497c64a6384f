"""The instrument over a mapping session: time, tip wear, a wandering drift and the day.

A grid of indents is measured one after the other (raster order), over hours and sometimes
over several days, with one tip. What the instrument was doing at each indent is a cause of
its curve that has nothing to do with the material:

- **time**: indent k starts at k * ``indent_s`` (approach, load, hold, unload, drift hold
  and the stage move);
- **tip wear**: the tip's rounding radius grows with the indent count. On sapphire a
  Berkovich radius grows by about 7 % over several thousand indents [1] (a few 0.1 nm per
  100 indents at R ~ 100-200 nm); abrasive hard phases (SiC, WC) wear tips faster. The
  rates offered in the app go far above that on purpose (a teaching exaggeration, said so);
  a **chip** adds a sudden radius step at a chosen indent (a second tip state);
- **drift wander**: the thermal drift rate follows an Ornstein-Uhlenbeck process in time
  (typical rates 0.01-0.1 nm/s that change with the lab temperature over tens of minutes,
  Fischer-Cripps 2011 [2]): stationary sd ``drift_wander_nm_per_s``, correlation time
  ``drift_tau_s``, restarted independently each day (the frame re-equilibrates overnight);
- **day**: a long map is measured over ``days`` days, in equal runs of the raster.

References
----------
.. [1] "Indenter wear study and proposal of a simple method for evaluation of indenter
   blunting", J. Mater. Res. 36 (2021) 4449-4459. doi:10.1557/s43578-021-00401-4
.. [2] A. C. Fischer-Cripps, Nanoindentation, 3rd ed., Springer (2011), ch. 3 (thermal drift).
.. [3] G. E. Uhlenbeck, L. S. Ornstein, Phys. Rev. 36 (1930) 823 (the exact AR(1) update).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

#: Literature tip wear: about +7 % of a ~150 nm radius over ~4000 indents on sapphire [1].
LITERATURE_WEAR_NM_PER_100 = 0.25


@dataclass(frozen=True)
class Session:
    """How the instrument behaved over a map (all off by default).

    Parameters
    ----------
    indent_s : float
        Time per indent, including the stage move [s] (> 0).
    tip_wear_nm_per_100 : float
        Growth of the tip's rounding radius per 100 indents [nm] (>= 0).
    chip_at_indent : int
        Indent (raster index) at which the tip chips; -1 for never.
    chip_nm : float
        Radius added by the chip [nm] (>= 0).
    drift_wander_nm_per_s : float
        Stationary sd of the wandering thermal drift rate [nm/s] (>= 0).
    drift_tau_s : float
        Correlation time of the drift rate [s] (> 0).
    days : int
        Measurement days the raster is split over (1-10).
    """

    indent_s: float = 60.0
    tip_wear_nm_per_100: float = 0.0
    chip_at_indent: int = -1
    chip_nm: float = 0.0
    drift_wander_nm_per_s: float = 0.0
    drift_tau_s: float = 600.0
    days: int = 1

    def __post_init__(self) -> None:
        checks = {
            "indent_s": self.indent_s > 0,
            "tip_wear_nm_per_100": self.tip_wear_nm_per_100 >= 0,
            "chip_nm": self.chip_nm >= 0,
            "drift_wander_nm_per_s": self.drift_wander_nm_per_s >= 0,
            "drift_tau_s": self.drift_tau_s > 0,
        }
        for name, ok in checks.items():
            value = getattr(self, name)
            if not (np.isfinite(value) and ok):
                rule = "> 0" if name in ("indent_s", "drift_tau_s") else ">= 0"
                raise ValueError(f"{name} must be {rule}. Got {value!r}.")
        if isinstance(self.days, bool) or not isinstance(self.days, (int, np.integer)):
            raise ValueError(f"days must be a whole number from 1 to 10. Got {self.days!r}.")
        if not 1 <= self.days <= 10:
            raise ValueError(f"days must be a whole number from 1 to 10. Got {self.days!r}.")
        if isinstance(self.chip_at_indent, bool) or not isinstance(
            self.chip_at_indent, (int, np.integer)
        ):
            raise ValueError(f"chip_at_indent must be a whole number. Got {self.chip_at_indent!r}.")

    @property
    def changes_instrument(self) -> bool:
        """True when the tip wears or chips, or the drift wanders, over the map."""
        return self.changes_tip or self.drift_wander_nm_per_s > 0

    @property
    def changes_tip(self) -> bool:
        """True when the tip radius changes over the map (wear or a chip)."""
        return self.tip_wear_nm_per_100 > 0 or (self.chip_at_indent >= 0 and self.chip_nm > 0)


def as_session(session: Session | dict | None) -> Session:
    """A :class:`Session` from None (all off), a dict of its fields, or a Session."""
    if session is None:
        return Session()
    if isinstance(session, Session):
        return session
    if isinstance(session, dict):
        unknown = sorted(set(session) - set(asdict(Session())))
        if unknown:
            raise ValueError(
                f"Unknown session setting(s) {unknown}. Allowed: {', '.join(asdict(Session()))}."
            )
        return Session(**session)
    raise ValueError(f"session must be None, a dict or a Session. Got {type(session).__name__}.")


def session_state(
    n: int, session: Session, *, tip_radius_nm: float = 0.0, rng: np.random.Generator
) -> pd.DataFrame:
    """What the instrument was doing at each of ``n`` indents measured in raster order.

    Returns
    -------
    DataFrame, one row per indent
        order (raster index), day (1, 2, ...), time_s (start of the indent since the start of
        its day [s]), session_s (measuring time since the first indent [s]), tip_radius_nm
        (rounding radius before quantisation [nm]), tip_state (0 before a chip, 1 after),
        drift_wander_nm_per_s (the wandering part of the drift rate [nm/s]).
    """
    k = np.arange(n)
    day = np.minimum(k * session.days // max(n, 1), session.days - 1) + 1
    first = np.searchsorted(day, day, side="left")
    time_s = (k - first) * session.indent_s
    chipped = (session.chip_at_indent >= 0) & (k >= session.chip_at_indent)
    radius = (
        tip_radius_nm
        + session.tip_wear_nm_per_100 * k / 100.0
        + np.where(chipped, session.chip_nm, 0.0)
    )
    wander = np.zeros(n)
    if session.drift_wander_nm_per_s > 0:
        xi = rng.standard_normal(n)
        a = np.exp(-session.indent_s / session.drift_tau_s)
        sd = session.drift_wander_nm_per_s
        for d in np.unique(day):
            rows = np.flatnonzero(day == d)
            # exact OU update x_k = a x_(k-1) + sd sqrt(1 - a^2) xi_k, started stationary
            innovations = sd * np.sqrt(1 - a**2) * xi[rows]
            innovations[0] = sd * xi[rows[0]]
            from scipy.signal import lfilter  # scipy.signal costs ~1 s to import; Home needs none

            wander[rows] = lfilter([1.0], [1.0, -a], innovations)
    return pd.DataFrame(
        {
            "order": k,
            "day": day.astype(int),
            "time_s": time_s.astype(float),
            "session_s": k * session.indent_s,
            "tip_radius_nm": radius,
            "tip_state": chipped.astype(int),
            "drift_wander_nm_per_s": wander,
        }
    )


def radius_levels(radius_nm: np.ndarray, step: float = 0.02, floor_nm: float = 1.0) -> np.ndarray:
    """Tip radii rounded so that indents with nearly the same tip share one batch of the
    curve simulator: relative steps of ``step`` (2 %) from ``floor_nm / step`` (50 nm) up,
    steps of ``floor_nm`` (1 nm) below; 0 stays 0 (the ideal tip).

    A rounded Berkovich tip acts as a sharp one offset by R (1 / sin 70.3 deg - 1) = 0.062 R
    in depth, so rounding R by up to 0.5 nm moves a contact depth by at most 0.03 nm, a fifth
    of the default depth noise; without the floor, a tip wearing from sharp would need a
    batch for every 2 % of a sub-nanometre radius.
    """
    r = np.asarray(radius_nm, dtype=float)
    out = np.zeros_like(r)
    large = r >= floor_nm / step
    small = (r > 0) & ~large
    out[small] = np.round(r[small] / floor_nm) * floor_nm
    level = np.round(np.log(r[large]) / np.log1p(step))
    out[large] = np.exp(level * np.log1p(step))
    return out


__all__ = ["LITERATURE_WEAR_NM_PER_100", "Session", "as_session", "radius_levels", "session_state"]
