"""Load-controlled test protocol and its shared time base.

A protocol fixes the time points of every curve in a batch, so that a burst or drift moves
h and P but never the number of points. The segments, in order:

=====  =================  ======================================================
code   name               what happens
=====  =================  ======================================================
0      approach           the tip moves toward the surface at constant speed, P = 0
1      loading            P rises linearly in time from 0 to P_max
2      hold               P = P_max (creep shows here)
3      unloading          P falls linearly to ``drift_hold_fraction`` * P_max
4      drift_hold         P held low so that thermal drift can be measured
5      final_unloading    P falls linearly to 0
=====  =================  ======================================================

The low-load drift hold after unloading follows common instrument practice (ISO 14577-1;
Oliver & Pharr, J. Mater. Res. 19 (2004) 3). Set ``drift_hold_s=0`` to leave it out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

SEGMENT_NAMES: tuple[str, ...] = (
    "approach",
    "loading",
    "hold",
    "unloading",
    "drift_hold",
    "final_unloading",
)
SEGMENT_CODES: dict[str, int] = {name: code for code, name in enumerate(SEGMENT_NAMES)}


@dataclass(frozen=True)
class Protocol:
    """A load-controlled load-hold-unload test.

    Parameters
    ----------
    P_max_mN : float
        Peak load [mN].
    loading_s, hold_s, unloading_s : float
        Durations [s]; ``unloading_s`` is the time a full unloading from P_max to 0 would take
        at the unloading rate.
    approach_s : float
        Time of free approach before contact [s].
    approach_speed_nm_per_s : float
        Tip speed during the approach [nm/s].
    drift_hold_s : float
        Duration of the low-load hold after unloading [s] (0: no drift hold).
    drift_hold_fraction : float
        Load of the drift hold as a fraction of P_max [-].
    data_rate_hz : float
        Sampling rate [Hz].
    """

    P_max_mN: float = 10.0
    loading_s: float = 10.0
    hold_s: float = 5.0
    unloading_s: float = 5.0
    approach_s: float = 2.0
    approach_speed_nm_per_s: float = 10.0
    drift_hold_s: float = 10.0
    drift_hold_fraction: float = 0.1
    data_rate_hz: float = 20.0

    def __post_init__(self) -> None:
        checks = {
            "P_max_mN": self.P_max_mN > 0,
            "loading_s": self.loading_s > 0,
            "unloading_s": self.unloading_s > 0,
            "data_rate_hz": self.data_rate_hz > 0,
            "hold_s": self.hold_s >= 0,
            "approach_s": self.approach_s >= 0,
            "approach_speed_nm_per_s": self.approach_speed_nm_per_s >= 0,
            "drift_hold_s": self.drift_hold_s >= 0,
        }
        rules = {
            k: ("> 0" if k in ("P_max_mN", "loading_s", "unloading_s", "data_rate_hz") else ">= 0")
            for k in checks
        }
        for name, ok in checks.items():
            value = getattr(self, name)
            if not (np.isfinite(value) and ok):
                raise ValueError(f"{name} must be {rules[name]}. Got {value!r}.")
        if not 0 < self.drift_hold_fraction < 0.5:
            raise ValueError(
                f"drift_hold_fraction must lie in (0, 0.5). Got {self.drift_hold_fraction!r}."
            )
        if self.loading_s * self.data_rate_hz < 20 or self.unloading_s * self.data_rate_hz < 20:
            raise ValueError(self._few_points_message())
        if self.n_points > 200_000:
            raise ValueError(
                f"The protocol makes {self.n_points} points per curve; at most 200000 are allowed."
            )

    def _few_points_message(self) -> str:
        """Which of loading and unloading gets fewer than 20 points, in a learner's words."""
        rate = self.data_rate_hz
        short = []  # (segment, what its time and the data rate give)
        for segment, name, seconds in (
            ("loading", "loading_s", self.loading_s),
            ("unloading", "unloading_s", self.unloading_s),
        ):
            if seconds * rate < 20:
                said = (
                    f"{segment} time {name} ({seconds:g} s) × data rate data_rate_hz "
                    f"({rate:g} Hz) gives only {seconds * rate:g} points"
                )
                short.append((segment, said))
        lengthen = " and ".join(segment for segment, _ in short)
        said = " and ".join(text for _, text in short)
        return (
            f"{said[0].upper()}{said[1:]}, but the analysis needs at least 20 points on the "
            f"loading and 20 on the unloading. Lengthen the {lengthen} or raise the data rate."
        )

    @property
    def boundaries_s(self) -> np.ndarray:
        """Start times of the six segments and the end time of the test [s]."""
        f_d = self.drift_hold_fraction if self.drift_hold_s > 0 else 0.0
        durations = [
            self.approach_s,
            self.loading_s,
            self.hold_s,
            (1.0 - f_d) * self.unloading_s,
            self.drift_hold_s,
            f_d * self.unloading_s,
        ]
        return np.concatenate([[0.0], np.cumsum(durations)])

    @property
    def n_points(self) -> int:
        """Number of time points of one curve."""
        return int(np.floor(self.boundaries_s[-1] * self.data_rate_hz + 1e-9)) + 1

    @property
    def contact_time_s(self) -> float:
        """Time at which the tip touches the surface [s]."""
        return float(self.approach_s)

    def as_dict(self) -> dict:
        """The protocol as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class TimeBase:
    """Time points shared by every curve of a batch.

    Attributes
    ----------
    t_s : ndarray, shape (n_points,)
        Time [s].
    segment : ndarray of int8, shape (n_points,)
        Segment code per point (see :data:`SEGMENT_NAMES`).
    load_fraction : ndarray, shape (n_points,)
        Commanded load as a fraction of P_max (0 during the approach).
    time_in_segment_s : ndarray, shape (n_points,)
        Time since the start of the point's segment [s].
    """

    t_s: np.ndarray
    segment: np.ndarray
    load_fraction: np.ndarray
    time_in_segment_s: np.ndarray


def time_base(protocol: Protocol) -> TimeBase:
    """Time points, segment codes and commanded load fraction of ``protocol``."""
    b = protocol.boundaries_s
    t = np.arange(protocol.n_points) / protocol.data_rate_hz
    # A point belongs to the last segment that has started by its time; empty segments
    # (zero duration) are skipped because their start equals the next one's.
    segment = (np.searchsorted(b[1:-1], t, side="right")).astype(np.int8)
    t_in = t - b[segment]
    f_d = protocol.drift_hold_fraction if protocol.drift_hold_s > 0 else 0.0
    fraction = np.select(
        [segment == 0, segment == 1, segment == 2, segment == 3, segment == 4, segment == 5],
        [
            0.0,
            t_in / protocol.loading_s,
            1.0,
            1.0 - t_in / protocol.unloading_s,
            f_d,
            f_d - t_in / protocol.unloading_s,
        ],
    )
    return TimeBase(t, segment, np.clip(fraction, 0.0, 1.0), t_in)
