"""A sample file of simulated curves, so the page can be tried without an instrument."""

from __future__ import annotations

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------- sample file

#: The sample's curves: name, simulator settings (material, protocol, defects), seed offset.
SAMPLE_CURVES = (
    ("fused silica", {"material": "fused silica", "protocol": {"P_max_mN": 10.0}}),
    (
        "copper",
        {
            "material": "copper (annealed)",
            "protocol": {"P_max_mN": 5.0, "loading_s": 15.0, "data_rate_hz": 10.0},
        },
    ),
    (
        "tungsten pop-in",
        {
            "material": "tungsten",
            "protocol": {"P_max_mN": 5.0, "data_rate_hz": 25.0},
            "defects": {"popin_load_mN": 1.0},
        },
    ),
)


def sample_curves(seed: int = 0):
    """The simulated curves of the sample file, one :class:`simulator.Curve` per entry of
    :data:`SAMPLE_CURVES` (with the default noise; seeds ``seed``, ``seed + 1``, ...)."""
    from simulator import simulate_curve  # the simulator is only needed for the sample

    return [
        simulate_curve(noise="default", seed=seed + k, **settings)
        for k, (_, settings) in enumerate(SAMPLE_CURVES)
    ]


def sample_csv(seed: int = 0) -> str:
    """A sample file of three simulated curves, as an instrument might export them.

    Columns ``curve``, ``time_s``, ``depth_nm``, ``load_uN``: the load is in µN on purpose,
    so that the unit has to be chosen. The curves (fused silica, annealed copper, tungsten
    with a pop-in at 1 mN) have different lengths. The same ``seed`` gives the same text.
    """
    parts = []
    for (name, _), curve in zip(SAMPLE_CURVES, sample_curves(seed), strict=True):
        parts.append(
            pd.DataFrame(
                {
                    "curve": name,
                    "time_s": np.round(curve.t_s, 3),
                    "depth_nm": np.round(curve.h_nm, 3),
                    "load_uN": np.round(1e3 * curve.P_mN, 3),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).to_csv(index=False, lineterminator="\n")
