"""The controls of Predict properties: its data, its model and split, and the out-of-range
lesson."""

from __future__ import annotations

import streamlit as st

from learners.supervised.baselines import OUT_OF_RANGE_SCENARIOS
from learners.supervised.models import REGRESSORS

from .options import (
    PROP_DEFAULTS,
    REGRESSION_SPLITS,
    SCENARIO_LABELS,
)
from .widgets import (
    bound,
    common_data_controls,
    model_control,
    representation_controls,
    split_controls,
)


def properties_data_controls() -> dict:
    """Data settings of the property-regression task (Predict page)."""
    d = PROP_DEFAULTS
    data = {"task": "properties", **common_data_controls("prop", d, "curves")}
    E_range = bound(
        st.slider,
        "Young's modulus E range (GPa)",
        20.0,
        1000.0,
        d["prop_E_range"],
        10.0,
        format="%.0f",
        key="prop_E_range",
        help="E of the simulated materials is drawn log-uniformly between these values, "
        "in GPa (aluminium 70, steel 210, tungsten 410).",
    )
    ratio = bound(
        st.slider,
        "E/H range",
        5.0,
        400.0,
        d["prop_ratio_range"],
        5.0,
        format="%.0f",
        key="prop_ratio_range",
        help="Ratio of modulus to hardness, drawn log-uniformly: ceramics 10-20, hardened "
        "steel ~30, soft annealed metals 100-400. Pile-up grows with E/H above 40.",
    )
    pileup = bound(
        st.checkbox,
        "Pile-up in soft metals",
        value=d["prop_pileup"],
        key="prop_pileup",
        help="Material piles up around the indent when E/H > 40 (Bolshakov & Pharr 1998): "
        "the true contact area is larger than the one Oliver-Pharr computes.",
    )
    pile_max = bound(
        st.slider,
        "Largest pile-up: extra contact area (%)",
        0,
        60,
        d["prop_pileup_max_pct"],
        5,
        key="prop_pileup_max_pct",
        disabled=not pileup,
        help="Extra contact area, in %, at E/H ≥ 150 (it grows from 0 at E/H = 40); "
        "Oliver-Pharr overestimates H by this much there.",
    )
    data["options"] = {
        "E_GPa": tuple(float(v) for v in E_range),
        "E_over_H": tuple(float(v) for v in ratio),
        "pileup": bool(pileup),
        "pileup_max": float(pile_max) / 100.0 if pileup else 0.0,
    }
    return data


def properties_model_controls() -> dict:
    """Representation, regressor and split (Predict page)."""
    d = PROP_DEFAULTS
    model = {
        "representation": representation_controls("prop", d, contrast=False),
        "features": None,
        "branches": None,
        "n_components": None,
        "model": model_control("prop", d, REGRESSORS),
    }
    return model | split_controls("prop", d, REGRESSION_SPLITS)


def scenario_control() -> str:
    """Which out-of-range lesson: a key of OUT_OF_RANGE_SCENARIOS."""
    names = list(OUT_OF_RANGE_SCENARIOS)

    def label(name: str) -> str:
        (a, b), (c, e) = OUT_OF_RANGE_SCENARIOS[name]
        return f"{SCENARIO_LABELS[name]} (E/H {a:g}-{b:g} → {c:g}-{e:g})"

    return bound(
        st.radio,
        "Scenario",
        names,
        index=names.index(PROP_DEFAULTS["prop_scenario"]),
        format_func=label,
        key="prop_scenario",
        help="Train on curves from one E/H range and test on curves from another. Harder: "
        "no pile-up in the test range, so Oliver-Pharr is exact there. Softer: even more "
        "pile-up in the test range, where Oliver-Pharr is biased too.",
    )
