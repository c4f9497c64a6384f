"""Accuracy of the explained model on fresh test sets, unshifted and shifted one condition at a
time (drift, noise, tip, range): cached for the checklist."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from learners import curve_matrix
from learners.supervised.uncertainty import Scored, most_frequent, wilson_interval
from ui.explain import tasks

from .cached import MAX_SUMMARIES, dataset

#: Curves of a shifted test set (fresh curves; a phase map of 200 indents is 15 x 15).
SHIFT_N = 200


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def accuracy_on(ref: dict, _pipeline, data: dict, part: str = "all") -> float:
    """Accuracy of the model on every curve of ``data`` (``part="test"``: of its clean test
    set). Raises ValueError for impossible settings."""
    made = dataset(data)
    if part == "test":
        if made.test is None:
            raise ValueError(f"The {data['task']!r} task has no clean test set.")
        made = made.test
    with threadpool_limits(limits=1):
        predicted = np.asarray(_pipeline.predict(curve_matrix(made))).astype(str)
    return float(np.mean(predicted == np.asarray(made.y).astype(str)))


@st.cache_data(max_entries=MAX_SUMMARIES, show_spinner=False)
def scored_on(ref: dict, _pipeline, data: dict, part: str = "all") -> Scored:
    """Accuracy on every curve of ``data`` (or its clean test set) with its Wilson interval,
    beside the baseline: the most frequent class of the model's training curves."""
    made = dataset(data)
    if part == "test":
        if made.test is None:
            raise ValueError(f"The {data['task']!r} task has no clean test set.")
        made = made.test
    with threadpool_limits(limits=1):
        predicted = np.asarray(_pipeline.predict(curve_matrix(made))).astype(str)
    y = np.asarray(made.y).astype(str)
    trained = np.asarray(dataset(ref["data"]).y).astype(str)[np.asarray(ref["train"])]
    correct = int(np.sum(predicted == y))
    low, high = wilson_interval(correct, y.size)
    return Scored(correct / y.size, low, high, float(np.mean(y == most_frequent(trained))))


def shifted_data(data: dict, shift: str, value: float) -> dict | None:
    """Settings of a fresh test set (seed + 1, :data:`SHIFT_N` curves) with one condition
    changed, or None when the simulator's task has no such setting.

    shift : "control" (nothing changed), "drift" (extra thermal drift [nm/s]), "noise"
    (noise x value), "tip" (a worn tip: a Berkovich rounded to an apex radius of value nm,
    analysed with the ideal area function), "load" (peak load x value).
    """
    fresh = {**data, "n": min(data["n"], SHIFT_N), "seed": data["seed"] + 1}
    options = dict(data["options"])
    task = data["task"]
    defects = dict(options.get("defects") or {})
    if shift == "control":
        return fresh
    if shift == "noise":
        return {**fresh, "noise": data["noise"] * value}
    if shift == "drift":
        if task == "phase":
            defects["drift_nm_per_s"] = defects.get("drift_nm_per_s", 0.0) + value
            return {**fresh, "options": {**options, "defects": defects}}
        if task == "confounded":
            day1, day2 = options.get("drift_by_day_nm_per_s", tasks.DAY_DRIFT_NM_PER_S)
            return {
                **fresh,
                "options": {**options, "drift_by_day_nm_per_s": (day1 + value, day2 + value)},
            }
        return None
    if shift == "tip":
        radius = float(value) if value > 0 else None
        return {**fresh, "options": {**options, "tip": "berkovich", "tip_radius_nm": radius}}
    if shift == "load":
        load = tasks.TRAINING_LOAD_MN.get(task)
        if task in ("phase", "quality"):
            base = options.get("P_max_mN", load)
            return {**fresh, "options": {**options, "P_max_mN": base * value}}
        if task == "material":
            protocol = dict(options.get("protocol") or {})
            base = protocol.get("P_max_mN", load)
            return {
                **fresh,
                "options": {**options, "protocol": {**protocol, "P_max_mN": base * value}},
            }
        return None
    raise ValueError(f"shift must be control, noise, drift, tip or load. Got {shift!r}.")


def _shift_label(shift: str, value: float, data: dict) -> str:
    if shift == "drift":
        return f"drift +{value:g} nm/s"
    if shift == "noise":
        return f"noise × {value:g}"
    if shift == "tip":
        return f"worn tip: R = {value:g} nm"
    load = data["options"].get("P_max_mN", tasks.TRAINING_LOAD_MN.get(data["task"], math.nan))
    return f"peak load × {value:g} ({load * value:g} mN)"


def stress_table(ref: dict, _pipeline, shifts: list[tuple[str, float]]) -> pd.DataFrame:
    """Accuracy on fresh unshifted curves (control) and on fresh curves with one condition
    changed, per shift (see :func:`shifted_data`); the clean test set of the confounded task
    for shift "clean". Unavailable shifts get a NaN accuracy and say why.

    Returns a DataFrame: shift, test set, control accuracy, shifted accuracy, note, and for
    each accuracy its 95 % Wilson interval (control/shifted low, high) and the baseline's
    accuracy on the same curves (control/shifted baseline: always the most frequent class
    of the model's training curves).
    """
    data = ref["data"]
    control_data = shifted_data(data, "control", 0.0)
    control = scored_on(ref, _pipeline, control_data)
    none = Scored(math.nan, math.nan, math.nan, math.nan)
    rows = []
    for shift, value in shifts:
        if shift == "clean":
            acc = scored_on(ref, _pipeline, control_data, "test")
            rows.append(("clean", "clean test set (days at random)", control, acc, ""))
            continue
        settings = shifted_data(data, shift, value)
        label = _shift_label(shift, value, data)
        if settings is None:
            note = f"not available: the simulator's {data['task']!r} task has no such setting"
            rows.append((shift, label, control, none, note))
            continue
        rows.append((shift, label, control, scored_on(ref, _pipeline, settings), ""))
    return pd.DataFrame(
        [
            {
                "shift": shift,
                "test set": label,
                "control accuracy": c.value,
                "shifted accuracy": sh.value,
                "note": note,
                "control low": c.low,
                "control high": c.high,
                "control baseline": c.baseline,
                "shifted low": sh.low,
                "shifted high": sh.high,
                "shifted baseline": sh.baseline,
            }
            for shift, label, c, sh, note in rows
        ],
        columns=[
            "shift", "test set", "control accuracy", "shifted accuracy", "note",
            "control low", "control high", "control baseline",
            "shifted low", "shifted high", "shifted baseline",
        ],
    )  # fmt: skip
