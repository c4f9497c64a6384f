"""Sample files: simulated curves, so the page can be tried without an instrument, and the
real exports shipped in data/realdata (:func:`real_sample`)."""

from __future__ import annotations

from pathlib import Path

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


# ----------------------------------------------------------------------------- real curves

#: Folder of the real exports shipped with IndentLab (MIT-licensed; see its README).
REAL_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "realdata"
#: What the "Real curves" sample holds, and where each comes from (cite them with it).
REAL_SAMPLES = {
    "hysitron": (
        "hysitron_glaucophane",
        "Bruker Hysitron TI 990, conospherical tip (R = 5.323 um), 200 mN into glaucophane; "
        "merrypopins (MIT), JOSS doi:10.21105/joss.09933",
    ),
    "kla": (
        "kla_example",
        "KLA / Keysight NanoSuite Excel export, 2 tests (Berkovich, about 400 mN); "
        "micromechanics package 1.3.5 (MIT, Steffen Brinckmann)",
    ),
}


def real_sample_files(which: str = "hysitron") -> list[Path]:
    """The shipped real files of a sample: ``"hysitron"`` (18 gzipped text exports) or
    ``"kla"`` (one Excel workbook). No truth comes with them."""
    if which not in REAL_SAMPLES:
        raise ValueError(f"which must be one of {sorted(REAL_SAMPLES)}. Got {which!r}.")
    folder = REAL_DATA_DIR / REAL_SAMPLES[which][0]
    pattern = "*.txt.gz" if which == "hysitron" else "*.xls"
    return sorted(folder.glob(pattern))


def real_sample(which: str = "hysitron"):
    """The real curves of a sample as :class:`learners.reading.CurveSet`
    (:func:`learners.read_curves` of :func:`real_sample_files`)."""
    from .read import read_curves

    return read_curves(real_sample_files(which))
