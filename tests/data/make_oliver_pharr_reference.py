"""Fixed cases of the batch Oliver-Pharr analysis and their outputs, for a regression test.

Run from the repository root to (re)write ``tests/data/oliver_pharr_reference.npz``::

    python tests/data/make_oliver_pharr_reference.py

The file was written with the implementation *before* the fit window was compacted
(issue 18); ``tests/test_analysis_reference.py`` recomputes every case and compares. Only
rewrite it on purpose, when an intended change of results is reviewed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from learners import curve_features, oliver_pharr  # noqa: E402
from simulator import simulate_curves  # noqa: E402
from simulator.protocol import SEGMENT_NAMES  # noqa: E402
from simulator.tips import Tip  # noqa: E402

OUT = Path(__file__).with_name("oliver_pharr_reference.npz")


def closed_form_with_bad_rows(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Bench-style closed-form curves (no time base) with NaN holes and broken rows."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_analysis import closed_form_batch

    h, P, _, _ = closed_form_batch(n, seed=seed)
    rng = np.random.default_rng(seed)
    holes = rng.random(h.shape) < 0.02
    h = np.where(holes, np.nan, h)
    P[0] = 1.0  # flat load
    h[1, 8:] = np.nan  # too few finite points
    P[2, 420:] = np.nan  # the curve ends at the peak: no unloading
    P[3, 300:] *= 1e-3  # unloading far below the fit range
    return h, P


def cases() -> dict[str, tuple[dict, dict]]:
    """name -> (inputs of oliver_pharr, options); about 300 curves in all."""
    out: dict[str, tuple[dict, dict]] = {}

    c = simulate_curves(50, material="fused silica", noise="default", scatter=0.05, seed=11)
    out["silica_noise_t"] = ({"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s}, {"nu": 0.17})

    c = simulate_curves(
        40,
        material="copper (annealed)",
        tip="berkovich",
        tip_radius_nm=200.0,
        noise="default",
        defects={"drift_nm_per_s": 0.05, "creep_nm": 8.0, "popin_load_mN": 1.0},
        seed=12,
    )
    out["copper_rounded_drift_labels"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s, "segment": c.segment},
        {"nu": 0.34, "drift_correction": True, "tip": c.tip},
    )

    c = simulate_curves(
        40,
        material="silicon (100)",
        tip="sphere",
        tip_radius_nm=5000.0,
        noise="default",
        defects={"elbow_nm": 5.0, "surface_offset_nm": 6.0},
        seed=13,
    )
    out["silicon_sphere_elbow_zero"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s},
        {"nu": 0.22, "zero_point_correction": True, "tip": c.tip, "epsilon": 0.75},
    )

    c = simulate_curves(
        40,
        material="sapphire (0001)",
        noise="default",
        defects={
            "pileup_area_excess": 0.3,
            "ise_h_star_nm": 100.0,
            "crack_load_mN": 6.0,
            "crack_size_nm": 10.0,
            "roughness_nm": 3.0,
        },
        seed=14,
    )
    out["sapphire_many_defects_frame"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s},
        {"nu": 0.23, "frame_compliance_nm_per_mN": 0.2, "fit_range": (0.3, 0.9)},
    )

    c = simulate_curves(
        40,
        material="tungsten",
        noise={"load_noise_mN": 0.002, "depth_noise_nm": 0.5},
        defects={"elbow_nm": 4.0, "elbow_kind": "popout", "drift_nm_per_s": -0.08},
        seed=15,
    )
    out["tungsten_popout_labels_cycle0"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s, "segment": c.segment},
        {"nu": 0.28, "cycle": 0, "drift_correction": True, "zero_point_correction": True},
    )

    c = simulate_curves(30, material="PMMA", noise="default", seed=16)
    out["pmma_noise_no_time"] = ({"h_nm": c.h_nm, "P_mN": c.P_mN}, {"nu": 0.35})

    custom = Tip(kind="berkovich", radius_nm=80.0)
    c = simulate_curves(20, material="nickel", tip=custom, noise="default", seed=17)
    names = np.asarray(SEGMENT_NAMES)[c.segment]
    out["nickel_custom_area_segment_names"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s, "segment": names},
        {"nu": 0.31, "tip": lambda hc: 24.5 * hc**2 + 500.0 * hc},
    )

    c = simulate_curves(
        12,
        material="aluminium",
        protocol={"data_rate_hz": 100.0},
        noise={"load_noise_mN": 0.03, "depth_noise_nm": 0.3},
        seed=19,
    )
    out["aluminium_100Hz_long_unloading"] = (
        {"h_nm": c.h_nm, "P_mN": c.P_mN, "t_s": c.t_s},
        {"nu": 0.33, "fit_range": (0.05, 0.98)},
    )

    h, P = closed_form_with_bad_rows(40, seed=18)
    out["closed_form_holes_bad_rows"] = ({"h_nm": h, "P_mN": P}, {"nu": 0.3})
    return out


def run_case(inputs: dict, options: dict) -> dict[str, np.ndarray]:
    """Outputs of oliver_pharr and curve_features for one case, as plain arrays."""
    table = oliver_pharr(**inputs, **options)
    out = {f"op/{k}": np.asarray(table[k].to_numpy()) for k in table.columns}
    features = curve_features(**inputs, **options)
    for k in features.columns:
        if k not in table.columns:
            out[f"features/{k}"] = np.asarray(features[k].to_numpy())
    out["op/reason"] = out["op/reason"].astype(str)
    return out


def main() -> None:
    arrays = {}
    for name, (inputs, options) in cases().items():
        for key, value in run_case(inputs, options).items():
            arrays[f"{name}/{key}"] = value
    np.savez_compressed(OUT, **arrays)
    n = sum(v.shape[0] for k, v in arrays.items() if k.endswith("/op/H_GPa"))
    print(f"wrote {OUT.relative_to(ROOT)}: {n} curves, {OUT.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
