"""The expected answers of the exercises, computed by the app's own functions (never typed
in), so the instructor guide stays true when the physics or an exercise changes.

Plain functions without Streamlit: :mod:`ui.classroom.guide` builds the guide from them,
and the browser test of the classroom takes its answer from :func:`pileup_answers`.
"""

from __future__ import annotations

import inspect

from learners import curve_features
from learners.curves.area_function import polynomial_area_function
from learners.reading import (
    DEFAULT_UNITS,
    UNITS,
    guess_columns,
    guess_unit,
    read_table,
    sample_csv,
    to_curves,
)
from learners.supervised.separability import TOLERANCE, check_pair
from simulator.settings import DEFAULT_NOISE
from ui.anomalies.exercise import EXERCISE_FALSE_ALARMS, EXERCISE_RECALL, EXERCISE_SIZE
from ui.curve.exercise import EXERCISE_PILEUP, check_guess, pileup_laws
from ui.curve.widgets import DEFAULT_FIT_RANGE
from ui.explain.tasks import NUISANCE_LIMIT
from ui.maps.cached import map_table, microstructure_view
from ui.maps.exercise import EXERCISE_ARI
from ui.maps.tables import DEPTH_RULE, SPACING_RULE, map_summary, rules_hold
from ui.maps.widgets import DEFAULTS as MAP_DEFAULTS
from ui.maps.widgets import PEAK_LOADS_MN
from ui.model_sees.cached import separability
from ui.model_sees.widgets import FEATURE_LABELS
from ui.my_data.exercise import EXERCISE_C0, GUESS_TOLERANCE, exercise_hardness
from ui.supervised.cached import model_core, out_of_range
from ui.supervised.exercise import GUESSES, guess_feedback
from ui.supervised.options import default_data, default_model

#: The data of the feature-pair exercise's link: task, number of curves, seed (small: fast).
PAIR_DATA = {"task": "quality", "n": 210, "seed": 0}
#: Indents along x and y of the depth exercise's link (small: fast).
MAP_GRID = 12
#: The curve of the sample file that the "hardness by hand" exercise uses.
SAMPLE_CURVE = "fused silica"
#: Poisson's ratio the My own data page starts with (it does not enter h_c or H).
SAMPLE_NU = 0.3


def pileup_tolerance_pct() -> float:
    """How far (percentage points) a pile-up guess may be from the law and still count."""
    return float(inspect.signature(check_guess).parameters["tol_pct"].default)


def pileup_answers() -> dict[str, float]:
    """The % by which Oliver-Pharr overestimates H and E_r at the exercise's pile-up (the
    law the page checks a guess against): ``{"H": ..., "E_r": ...}``."""
    return pileup_laws(EXERCISE_PILEUP)


def sample_hardness() -> dict[str, float]:
    """The sample's fused-silica row as the My own data page shows it (default columns and
    options) and the exercise's answer H = P_max / (24.5 h_c²): keys ``P_max_mN``,
    ``hc_nm``, ``H_GPa``."""
    table = read_table(sample_csv(0).encode("utf-8"))
    columns = list(table.frame.columns)
    numeric = list(table.frame.select_dtypes("number").columns)
    guess = guess_columns(columns, numeric, table.frame)
    units = {
        f"{q}_unit": (guess_unit(guess[q], q) if guess[q] else None) or DEFAULT_UNITS[q]
        for q in UNITS
    }
    curves = to_curves(
        table.frame,
        load=guess["load"],
        displacement=guess["displacement"],
        time=guess["time"],
        curve=guess["curve"],
        **units,
    )
    features = curve_features(
        curves.h_nm,
        curves.P_mN,
        curves.t_s,
        nu=SAMPLE_NU,
        tip=polynomial_area_function((EXERCISE_C0,)),
        fit_range=DEFAULT_FIT_RANGE,
        drift_correction=False,
        zero_point_correction=False,
    )
    row = features.iloc[list(curves.names).index(SAMPLE_CURVE)]
    P_max, hc = float(row["P_max_mN"]), float(row["hc_nm"])
    return {
        "P_max_mN": P_max,
        "hc_nm": hc,
        "H_GPa": exercise_hardness(P_max, hc),
    }


def best_pair(data: dict | None = None) -> dict:
    """The best pair of features of "What a model sees" at ``data`` (default
    :data:`PAIR_DATA`), scored by the page's own cached separability: ``pair`` (labels),
    ``features`` (names), ``accuracy``, ``n_right`` (pairs within the tolerance) and
    ``n_pairs``."""
    _, pairs = separability(dict(data or PAIR_DATA))
    any_pair = (pairs["feature_a"].iloc[0], pairs["feature_b"].iloc[0])
    check = check_pair(pairs, any_pair)
    a, b = check.best_pair
    within = pairs["accuracy"] >= check.best_accuracy - TOLERANCE
    return {
        "pair": f"{FEATURE_LABELS[a]} with {FEATURE_LABELS[b]}",
        "features": (a, b),
        "accuracy": float(check.best_accuracy),
        "n_right": int(within.sum()),
        "n_pairs": int(check.n_pairs),
    }


def deepest_map(nx: int = MAP_GRID, ny: int = MAP_GRID) -> dict:
    """The deepest step of the peak-load slider of Property maps at which both rules hold
    while they fail one step deeper, on the default map with ``nx`` × ``ny`` indents, from
    the page's own cached map and summary: ``P_max_mN``, ``h_nm``, ``spacing_ratio``,
    ``depth_ratio``, ``next_P_max_mN`` and ``broken`` (the rules failing one step deeper).
    Empty when no step qualifies."""
    d = MAP_DEFAULTS
    ms = {
        "preset": d["map_preset"],
        "custom_phases": None,
        "custom_sd": None,
        "size_um": float(d["map_size_um"]),
        "porosity": d["map_porosity_pct"] / 100.0,
        "seed": int(d["map_seed"]),
    }
    grid = {
        "nx": nx,
        "ny": ny,
        "spacing_um": float(d["map_spacing_um"]),
        "jitter_um": float(d["map_jitter_um"]),
        "offset_um": (float(d["map_offset_x_um"]), float(d["map_offset_y_um"])),
        "P_max_mN": None,
        "depth_nm": None,
        "noise": {
            "load_noise_mN": d["map_noise"] * DEFAULT_NOISE.load_noise_mN,
            "depth_noise_nm": d["map_noise"] * DEFAULT_NOISE.depth_noise_nm,
        },
        "seed": int(d["map_seed"]),
    }
    phases = microstructure_view(ms).phases
    held = None
    for load in PEAK_LOADS_MN:
        step = {**grid, "P_max_mN": load}
        try:
            summary = map_summary(map_table({"microstructure": ms, "grid": step}), phases, step)
        except ValueError:
            summary = None  # cannot be simulated: counts as breaking the rules
        rules = rules_hold(summary) if summary is not None else (False, False)
        if all(rules):
            held = (load, summary)
            continue
        if held is not None:
            names = (f"spacing ≥ {SPACING_RULE:g} × depth", f"depth ≤ {DEPTH_RULE:g} × D")
            return {
                "P_max_mN": held[0],
                "h_nm": float(held[1]["h_nm"]),
                "spacing_ratio": float(held[1]["spacing_ratio"]),
                "depth_ratio": float(held[1]["depth_ratio"]),
                "next_P_max_mN": load,
                "broken": [name for name, ok in zip(names, rules, strict=True) if not ok],
            }
    return {}


def out_of_range_answer() -> dict:
    """The right guess of "trust the physics or the model?" on Predict properties at its
    default settings, by the page's own cached out-of-range check and feedback: ``guess``
    and the median |error| of H outside the training range, ``ml_pct`` and ``op_pct``."""
    data, model = default_data("properties"), default_model("properties")
    check = out_of_range(data, model_core(model), model["scenario"])
    (guess,) = [g for g in GUESSES if guess_feedback(g, check)[0]]
    return {
        "guess": guess,
        "ml_pct": 100 * check.error("out_of_range", "ML"),
        "op_pct": 100 * check.error("out_of_range", "Oliver-Pharr"),
    }


def pass_bars() -> dict[str, float]:
    """The thresholds the settings-based exercises check, from the exercises' modules."""
    return {
        "pair_tolerance": TOLERANCE,
        "spacing_rule": SPACING_RULE,
        "depth_rule": DEPTH_RULE,
        "ari": EXERCISE_ARI,
        "recall": EXERCISE_RECALL,
        "false_alarms": EXERCISE_FALSE_ALARMS,
        "popin_size": EXERCISE_SIZE,
        "nuisance_limit": NUISANCE_LIMIT,
        "guess_tolerance": GUESS_TOLERANCE,
    }
