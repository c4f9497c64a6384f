"""Fixed cases of the batch Oliver-Pharr analysis, their inputs and outputs, for a regression test.

``tests/data/oliver_pharr_reference.npz`` holds, for every case ``name``:

* ``name/in/h_nm``, ``name/in/P_mN`` and, where the case has them, ``name/in/t_s`` and
  ``name/in/segment``: the input curves (float64 stored exactly; segment codes as int8 or
  names as strings), so the test never runs the simulator and stays valid when it changes;
* ``name/op/<column>`` and ``name/features/<column>``: the outputs of
  :func:`learners.oliver_pharr` and :func:`learners.curve_features` (curve_features is
  skipped for ``cycle="all"``).

The options of each case (:func:`options`) are code, not data: a custom area function is a
Python callable. ``tests/curve/test_analysis_reference.py`` recomputes every case from the
stored inputs and compares.

The current file: inputs simulated with the simulator of main at issue 18b (commit 85600cb);
outputs written with main's analysis *before* the compact fit window of issue 18, i.e. with
issues 13 (glitch-free P_shape, cycles) and 16 (Feng-Ngan creep correction) in. 242 curves
(250 result rows: ``cycle="all"`` gives two per curve), fewer than issue 18's first 312, so
that the inputs fit in < 3 MB (deflate cannot shrink float64 noise); see
:func:`simulate_inputs` for the counts.

Regenerate, from the repository root:

* outputs only, from the stored inputs, with this checkout (an intended, reviewed change of
  results)::

      python tests/data/make_oliver_pharr_reference.py

* outputs with another implementation (e.g. the previous one, unpacked with
  ``git archive <commit> | tar -x -C /tmp/ref``), inputs kept::

      python tests/data/make_oliver_pharr_reference.py --implementation /tmp/ref

* new inputs from this checkout's simulator (cases changed), with outputs of this checkout;
  then, for outputs of another implementation, run the line above in a second process::

      python tests/data/make_oliver_pharr_reference.py --simulate

The current file was made with ``--simulate`` followed by ``--implementation`` on main
(85600cb) unpacked with ``git archive``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("oliver_pharr_reference.npz")
INPUT_NAMES = ("h_nm", "P_mN", "t_s", "segment")


def _custom_area(hc):
    """Area function of the ``nickel_custom_area_segment_names`` case [nm^2]."""
    return 24.5 * hc**2 + 500.0 * hc


def options() -> dict[str, dict]:
    """name -> keyword options of oliver_pharr and curve_features (besides the inputs)."""
    from simulator.tips import Tip

    return {
        "silica_noise_t": {"nu": 0.17},
        "copper_rounded_drift_labels": {
            "nu": 0.34,
            "drift_correction": True,
            "tip": Tip(kind="berkovich", radius_nm=200.0),
        },
        "silicon_sphere_elbow_zero": {
            "nu": 0.22,
            "zero_point_correction": True,
            "tip": Tip(kind="sphere", radius_nm=5000.0),
            "epsilon": 0.75,
        },
        "sapphire_many_defects_frame": {
            "nu": 0.23,
            "frame_compliance_nm_per_mN": 0.2,
            "fit_range": (0.3, 0.9),
        },
        "tungsten_popout_labels_cycle0": {
            "nu": 0.28,
            "cycle": 0,
            "drift_correction": True,
            "zero_point_correction": True,
        },
        "pmma_noise_no_time": {"nu": 0.35},
        "nickel_custom_area_segment_names": {"nu": 0.31, "tip": _custom_area},
        "aluminium_100Hz_long_unloading": {"nu": 0.33, "fit_range": (0.05, 0.98)},
        "closed_form_holes_bad_rows": {"nu": 0.3},
        "copper_creep_feng_ngan": {"nu": 0.34, "creep_correction": True},
        "copper_creep_feng_ngan_labels": {"nu": 0.34, "creep_correction": True, "cycle": -1},
        "silica_glitches": {"nu": 0.17, "drift_correction": True},
        "silica_two_cycles_first": {"nu": 0.17, "cycle": 0},
        "silica_two_cycles_all": {"nu": 0.17, "cycle": "all", "creep_correction": True},
    }


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


def simulate_inputs() -> dict[str, dict[str, np.ndarray]]:
    """name -> input arrays of every case, from the simulator (242 curves in all)."""
    from simulator import simulate_curves
    from simulator.protocol import SEGMENT_NAMES

    def arrays(c, *names):
        return {name: getattr(c, name) for name in names}

    out: dict[str, dict[str, np.ndarray]] = {}
    c = simulate_curves(30, material="fused silica", noise="default", scatter=0.05, seed=11)
    out["silica_noise_t"] = arrays(c, "h_nm", "P_mN", "t_s")
    c = simulate_curves(
        20,
        material="copper (annealed)",
        tip="berkovich",
        tip_radius_nm=200.0,
        noise="default",
        defects={"drift_nm_per_s": 0.05, "creep_nm": 8.0, "popin_load_mN": 1.0},
        seed=12,
    )
    out["copper_rounded_drift_labels"] = arrays(c, "h_nm", "P_mN", "t_s", "segment")
    c = simulate_curves(
        20,
        material="silicon (100)",
        tip="sphere",
        tip_radius_nm=5000.0,
        noise="default",
        defects={"elbow_nm": 5.0, "surface_offset_nm": 6.0},
        seed=13,
    )
    out["silicon_sphere_elbow_zero"] = arrays(c, "h_nm", "P_mN", "t_s")
    c = simulate_curves(
        20,
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
    out["sapphire_many_defects_frame"] = arrays(c, "h_nm", "P_mN", "t_s")
    c = simulate_curves(
        20,
        material="tungsten",
        noise={"load_noise_mN": 0.002, "depth_noise_nm": 0.5},
        defects={"elbow_nm": 4.0, "elbow_kind": "popout", "drift_nm_per_s": -0.08},
        seed=15,
    )
    out["tungsten_popout_labels_cycle0"] = arrays(c, "h_nm", "P_mN", "t_s", "segment")
    c = simulate_curves(20, material="PMMA", noise="default", seed=16)
    out["pmma_noise_no_time"] = arrays(c, "h_nm", "P_mN")
    from simulator.tips import Tip

    c = simulate_curves(
        10, material="nickel", tip=Tip(kind="berkovich", radius_nm=80.0), noise="default", seed=17
    )
    out["nickel_custom_area_segment_names"] = {
        **arrays(c, "h_nm", "P_mN", "t_s"),
        "segment": np.asarray(SEGMENT_NAMES)[c.segment],
    }
    c = simulate_curves(
        6,
        material="aluminium",
        protocol={"data_rate_hz": 100.0},
        noise={"load_noise_mN": 0.03, "depth_noise_nm": 0.3},
        seed=19,
    )
    out["aluminium_100Hz_long_unloading"] = arrays(c, "h_nm", "P_mN", "t_s")
    h, P = closed_form_with_bad_rows(30, seed=18)
    out["closed_form_holes_bad_rows"] = {"h_nm": h, "P_mN": P}

    # Issue 16: creep goes on into the unloading; the Feng-Ngan correction.
    creep = {"creep_nm": 15.0, "drift_nm_per_s": 0.02}
    c = simulate_curves(20, material="copper (annealed)", noise="default", defects=creep, seed=20)
    out["copper_creep_feng_ngan"] = arrays(c, "h_nm", "P_mN", "t_s")
    c = simulate_curves(10, material="copper (annealed)", noise="default", defects=creep, seed=21)
    out["copper_creep_feng_ngan_labels"] = arrays(c, "h_nm", "P_mN", "t_s", "segment")

    # Issue 13: load glitches of one or two points (spikes and drops) on the unloading and
    # the drift hold, which the glitch-free load must ignore.
    c = simulate_curves(20, material="fused silica", noise="default", seed=22)
    P = c.P_mN.copy()
    rng = np.random.default_rng(22)
    unloading = np.flatnonzero(c.segment[0] >= 3)
    for i in range(P.shape[0]):
        for k in rng.choice(unloading[2:-3], size=3, replace=False):
            width = 1 + (i + k) % 2
            P[i, k : k + width] += rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.3) * P[i].max()
    out["silica_glitches"] = {"h_nm": c.h_nm, "P_mN": P, "t_s": c.t_s}

    # Issue 13: two load-unload cycles without labels (a partial cycle, then the full one).
    c = simulate_curves(
        16, material="fused silica", noise="default", defects={"creep_nm": 5.0}, seed=23
    )
    two = {
        "h_nm": np.concatenate([0.6 * c.h_nm[:8], c.h_nm[:8]], axis=1),
        "P_mN": np.concatenate([0.5 * c.P_mN[:8], c.P_mN[:8]], axis=1),
        "t_s": np.concatenate([c.t_s[:8], c.t_s[:8] + c.t_s[:8, -1:] + 0.1], axis=1),
    }
    out["silica_two_cycles_first"] = two
    out["silica_two_cycles_all"] = {
        "h_nm": np.concatenate([0.7 * c.h_nm[8:], c.h_nm[8:]], axis=1),
        "P_mN": np.concatenate([0.6 * c.P_mN[8:], c.P_mN[8:]], axis=1),
        "t_s": np.concatenate([c.t_s[8:], c.t_s[8:] + c.t_s[8:, -1:] + 0.1], axis=1),
    }
    assert set(out) == set(options())
    return out


def stored_inputs(reference) -> dict[str, dict[str, np.ndarray]]:
    """name -> input arrays of every case, read from the reference file."""
    out: dict[str, dict[str, np.ndarray]] = {name: {} for name in options()}
    for key in reference.files:
        name, part, array = key.split("/")
        if part == "in":
            out[name][array] = reference[key]
    return out


def run_case(inputs: dict, options: dict) -> dict[str, np.ndarray]:
    """Outputs of oliver_pharr and curve_features for one case, as plain arrays."""
    from learners import curve_features, oliver_pharr

    table = oliver_pharr(**inputs, **options)
    out = {f"op/{k}": np.asarray(table[k].to_numpy()) for k in table.columns}
    out["op/reason"] = out["op/reason"].astype(str)
    if options.get("cycle") != "all":
        features = curve_features(**inputs, **options)
        for k in features.columns:
            if k not in table.columns:
                out[f"features/{k}"] = np.asarray(features[k].to_numpy())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--simulate", action="store_true", help="new inputs from the simulator")
    parser.add_argument(
        "--implementation", type=Path, default=ROOT, help="tree whose learners/ computes outputs"
    )
    args = parser.parse_args()
    if args.simulate and args.implementation.resolve() != ROOT:
        parser.error("--simulate uses this checkout; give --implementation in a second run")
    sys.path.insert(0, str(args.implementation.resolve()))
    if args.simulate:
        inputs = simulate_inputs()
    else:
        with np.load(OUT) as reference:
            inputs = stored_inputs(reference)
    arrays = {}
    case_options = options()
    for name, case in inputs.items():
        for key, value in case.items():
            arrays[f"{name}/in/{key}"] = value
        for key, value in run_case(case, case_options[name]).items():
            arrays[f"{name}/{key}"] = value
    import learners

    np.savez_compressed(OUT, **arrays)
    n = sum(v.shape[0] for k, v in arrays.items() if k.endswith("/op/H_GPa"))
    print(
        f"wrote {OUT}: {len(inputs)} cases, {n} rows, {OUT.stat().st_size / 1024:.0f} KiB, "
        f"outputs by {Path(learners.__file__).parents[1]}"
    )


if __name__ == "__main__":
    main()
