"""The explanation pages' tasks and their truth: what made each label, and the role of every
model input against it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """A task of the explanation pages.

    Attributes
    ----------
    label : str
        What the learner sees.
    dataset_task : str
        The :func:`simulator.make_dataset` task.
    options : dict
        Its options (tuples, so that the settings stay hashable).
    """

    label: str
    dataset_task: str
    options: dict


TASKS: dict[str, Task] = {
    "phase": Task("Phase under the indent (WC-Co map)", "phase", {"preset": "WC-Co hardmetal"}),
    "popin": Task(
        "Pop-in or not (quality control)",
        "quality",
        {"defect_types": ("popin",), "label_mode": "binary"},
    ),
    "clever_hans": Task("Aged or as-received steel (Clever Hans)", "confounded", {}),
}


#: What the model sees: label, representation of learners.make_pipeline, feature list.
INPUTS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "he": ("H and E (Oliver-Pharr)", "op", None),
    "he_nuisance": (
        "H, E + creep and drift rate",
        "features",
        ("H_GPa", "E_GPa", "creep_nm", "drift_rate_nm_per_s"),
    ),
    "correlated": (
        "H, W_p/W_t, E + creep and drift rate (correlated)",
        "features",
        ("H_GPa", "Wp_over_Wt", "E_GPa", "creep_nm", "drift_rate_nm_per_s"),
    ),
    "features": ("all 22 curve features", "features", None),
    "curve": ("the whole curve, resampled (81 points)", "curve", None),
}


#: Held-out share of the curves of a model trained on these pages.
TEST_SIZE = 0.25


#: Peak load of each dataset task's curves [mN] (simulator.make_dataset defaults).
TRAINING_LOAD_MN = {"phase": 1.0, "quality": 5.0, "confounded": 10.0, "material": 10.0}


#: Thermal drift of the two measurement days of the confounded task [nm/s].
DAY_DRIFT_NM_PER_S = (0.12, -0.04)


#: Roles of a feature against the truth, as shown in legends.
ROLES = {
    "truth": "truth (set the label)",
    "indirect": "indirect (made from the truth)",
    "nuisance": "nuisance or shortcut",
    "mixed": "mixed (principal component)",
}


#: Seeds of the stability check (LIME seed, seed + 1, ...).
N_STABILITY_SEEDS = 5


#: Verdict thresholds of the checklist.
NUISANCE_LIMIT = 0.25  # largest share of the importance on nuisance features


JACCARD_LIMIT = 0.8  # smallest mean Jaccard of the top-k sets across seeds


SPREAD_LIMIT = 0.15  # largest weight spread across seeds


#: Correlation above which two inputs count as redundant for the note on ill-posedness.
CORRELATED = 0.85


_HE_INDIRECT = {
    "Er_GPa",
    "S_mN_per_nm",
    "hc_nm",
    "h_max_nm",
    "h_f_nm",
    "hf_over_hmax",
    "W_total_pJ",
    "W_elastic_pJ",
    "W_plastic_pJ",
    "Wp_over_Wt",
    "kick_C_GPa",
    "initial_stiffness_mN_per_nm",
}


_H_ONLY_INDIRECT = _HE_INDIRECT - {"Er_GPa", "S_mN_per_nm", "initial_stiffness_mN_per_nm"}


_POPIN = {"popin_load_mN", "popin_size_nm"}


_BRANCH = re.compile(r"^([hP])_(load|unload)_(nm|mN)_at_(\d+)pct_(Pmax|hmax)$")


_HOLD = re.compile(r"^dh_(hold|drift_hold)_nm_at_(\d+)pct_t$")


#: Share of the peak load below which a pop-in changes the loading curve (pop-in loads of
#: the quality task: 0.2-0.6 mN at 5 mN, i.e. 4-12 %).
_POPIN_LOAD_SHARE_PCT = 15


def data_settings(task: str, n: int, seed: int) -> dict:
    """Data settings of a task of :data:`TASKS` (typical instrument noise)."""
    spec = TASKS[task]
    return {
        "task": spec.dataset_task,
        "n": int(n),
        "seed": int(seed),
        "noise": 1.0,
        "options": dict(spec.options),
    }


def task_kind(data: dict) -> str:
    """How the truth is stated: "he" (H and E set the label), "quality" (a defect),
    "clever_hans" (H, with drift as a shortcut) or "other"."""
    return {
        "phase": "he",
        "material": "he",
        "quality": "quality",
        "anomalies": "quality",
        "confounded": "clever_hans",
    }.get(data["task"], "other")


def _defect_types(data: dict) -> tuple[str, ...]:
    default = ("popin", "drift", "surface_offset", "elbow", "crack", "pore")
    return tuple(data.get("options", {}).get("defect_types", default))


def is_drift_feature(name: str) -> bool:
    """Does the feature measure thermal drift (the Clever Hans shortcut)?"""
    return name == "drift_rate_nm_per_s" or name.startswith("dh_drift_hold")


def feature_role(name: str, data: dict) -> str:
    """Role of one model input against the task's truth: a key of :data:`ROLES`.

    "truth": a quantity the simulator set the label with (H and E for phases, H for the
    Clever Hans task, the pop-in's load and size for pop-ins); "indirect": a quantity made
    from the truth (E_r, S, h_c, the energies, the loading branch ...); "nuisance":
    everything else (drift, creep, fit quality, a constant); "mixed": a principal component.
    """
    if re.fullmatch(r"pca\d+", name):
        return "mixed"
    missing = name.startswith("missingindicator_")
    base = name.removeprefix("missingindicator_")
    branch, hold = _BRANCH.match(base), _HOLD.match(base)
    kind = task_kind(data)
    if kind == "he":
        if base in ("H_GPa", "E_GPa") and not missing:
            return "truth"
        if (base in _HE_INDIRECT and not missing) or branch or base == "h_max_nm":
            return "indirect"
        return "nuisance"
    if kind == "clever_hans":
        if base == "H_GPa" and not missing:
            return "truth"
        if (base in _H_ONLY_INDIRECT and not missing) or branch:
            return "indirect"
        return "nuisance"
    if kind == "quality":
        truth, indirect = set(), set()
        types = _defect_types(data)
        low_load = bool(
            branch and branch.group(2) == "load" and int(branch.group(4)) <= _POPIN_LOAD_SHARE_PCT
        )
        if "popin" in types:
            truth |= _POPIN
            indirect |= {"initial_stiffness_mN_per_nm", "zero_offset_nm", "kick_C_GPa"}
            if low_load:
                return "truth" if base in truth else "indirect"
        if "drift" in types:
            truth |= {"drift_rate_nm_per_s"}
            if hold and hold.group(1) == "drift_hold":
                return "truth"
        if "surface_offset" in types:
            truth |= {"zero_offset_nm"}
            indirect |= {"kick_C_GPa", "h_max_nm", "hc_nm", "H_GPa", "E_GPa"}
        if "crack" in types:
            indirect |= _POPIN
        if "pore" in types:
            indirect |= {"H_GPa", "E_GPa"}
        if "elbow" in types:
            indirect |= {"m", "fit_r2", "fit_rmse_mN", "hf_over_hmax"}
            if branch and branch.group(2) == "unload":
                return "indirect"
        if base in truth:
            return "truth"
        return "indirect" if base in indirect else "nuisance"
    return "nuisance"


def roles(names, data: dict) -> list[str]:
    """:func:`feature_role` of every name."""
    return [feature_role(str(n), data) for n in names]


_UNITS = (
    ("_mN_per_nm", "mN/nm"),
    ("_nm_per_s", "nm/s"),
    ("_GPa", "GPa"),
    ("_pJ", "pJ"),
    ("_mN", "mN"),
    ("_nm", "nm"),
)


def feature_title(name: str) -> str:
    """An axis title with the unit, e.g. ``"H (GPa)"``, ``"h at 50 % P_max, loading (nm)"``."""
    if name.startswith("missingindicator_"):
        return f"no {name.removeprefix('missingindicator_')} found (0/1)"
    if branch := _BRANCH.match(name):
        q, part, unit, pct, ref = branch.groups()
        ref = "P_max" if ref == "Pmax" else "h_max"
        return f"{q} at {pct} % {ref}, {part}ing ({unit})"
    if hold := _HOLD.match(name):
        what, pct = hold.groups()
        return f"depth gained in the {what.replace('_', ' ')} at {pct} % of it (nm)"
    if re.fullmatch(r"pca\d+", name):
        return f"principal component {name[3:]} (-)"
    for suffix, unit in _UNITS:
        if name.endswith(suffix):
            return f"{name.removesuffix(suffix)} ({unit})"
    return f"{name} (-)"
