"""Controls of the supervised pages ("Classify curves" and "Predict properties").

Every widget has a key, a ``help`` text that says what it is physically (with units),
``bind="query-params"`` (its value lives in the URL under its key, so a link opens the same
task and model) and ``persist_state="session"`` (a setting survives a visit to another
page). Keys start with ``cls_`` (Classify curves) or ``prop_`` (Predict properties), so the
two pages never share a URL parameter with each other or with the other pages.

The functions draw into the active container and return plain dicts (numbers, strings,
tuples, None), ready to key the cached wrappers of :mod:`ui.supervised.cached`:

- *data settings*: ``{"task", "n", "seed", "noise", "options"}`` where ``noise`` is a
  multiple of the typical instrument noise and ``options`` are keyword arguments of
  :func:`simulator.make_dataset` for the task;
- *model settings*: ``{"representation", "model", "features", "branches", "n_components",
  "split", "test_size", "n_splits"}``; options that do not apply are None.
"""

from __future__ import annotations

import math

import streamlit as st

from learners.supervised.models import CLASSIFIERS
from learners.supervised.representations import CURVE_BRANCHES, ENGINEERED_FEATURES, REPRESENTATIONS
from simulator import MICROSTRUCTURES
from simulator.datasets import DEFECT_TYPES
from simulator.materials import MATERIALS
from simulator.settings import DEFAULT_NOISE

from . import instrument_widgets
from .options import (
    BRANCH_LABELS,
    CLEAN_TEST_MIN,
    CLS_DEFAULTS,
    CONFOUNDED_SCATTER,
    MISCLASSIFIED_AXES,
    MODEL_LABELS,
    N_RANGE,
    OP_CONTRAST_LABEL,
    QUALITY_LABEL_MODES,
    REPRESENTATION_LABELS,
    SPLIT_LABELS,
    TASK_LABELS,
)


def bound(widget, *args, **kwargs):
    """Call a Streamlit widget bound to the URL and kept for the whole session."""
    return widget(*args, **kwargs, bind="query-params", persist_state="session")


def _noise_help() -> str:
    return (
        f"Load and depth noise as a multiple of a typical instrument's "
        f"({DEFAULT_NOISE.load_noise_mN:g} mN and {DEFAULT_NOISE.depth_noise_nm:g} nm "
        "standard deviation); 0 gives noise-free curves."
    )


def common_data_controls(prefix: str, defaults: dict, what: str) -> dict:
    """Number of curves, noise level and seed."""
    n = bound(
        st.slider,
        f"Number of {what}",
        *N_RANGE,
        defaults[f"{prefix}_n"],
        20,
        key=f"{prefix}_n",
        help=f"How many labelled {what} to simulate ({N_RANGE[0]}-{N_RANGE[1]}; a map rounds "
        "up to a square grid). More curves train better models and take longer.",
    )
    noise = bound(
        st.slider,
        "Instrument noise (× typical)",
        0.0,
        5.0,
        defaults[f"{prefix}_noise"],
        0.5,
        key=f"{prefix}_noise",
        help=_noise_help(),
    )
    seed = bound(
        st.number_input,
        "Random seed",
        min_value=0,
        max_value=2**31 - 1,
        value=defaults[f"{prefix}_seed"],
        step=1,
        key=f"{prefix}_seed",
        help="Seed of every random draw of the data and the models: the same seed and "
        "settings give the same result for everyone who opens the link.",
    )
    return {"n": int(n), "noise": float(noise), "seed": int(seed)}


def _phase_options() -> dict:
    d = CLS_DEFAULTS
    names = list(MICROSTRUCTURES)
    preset = bound(
        st.selectbox,
        "Microstructure",
        names,
        index=names.index(d["cls_preset"]),
        key="cls_preset",
        help="The material whose phases label the curves: each indent's label is the phase "
        "under it (literature-based presets; see the Property maps page).",
    )
    spacing = bound(
        st.slider,
        "Indent spacing (µm)",
        1.0,
        10.0,
        d["cls_spacing_um"],
        0.5,
        key="cls_spacing_um",
        help="Distance between neighbouring indents of the square grid, in µm. Closer "
        "indents share grains with their neighbours.",
    )
    block = bound(
        st.slider,
        "Spatial block size (µm)",
        5.0,
        60.0,
        d["cls_block_um"],
        5.0,
        key="cls_block_um",
        help="Side of the square blocks, in µm, that spatially blocked cross-validation "
        "keeps together: a block is never on both sides of a split, but indents at a "
        "block's edge still have training neighbours one spacing away (no buffer). The "
        "buffered split of the leakage section adds one.",
    )
    return {"preset": preset, "spacing_um": float(spacing), "block_um": float(block)}


def _map_options(n: int) -> dict:
    """The map, the instrument over the session (in an expander) and the block settings."""
    options = _phase_options()
    with st.expander("The instrument over the map"):
        side = math.ceil(math.sqrt(n))
        options["session"] = instrument_widgets.session_controls(side * side)
    return options


def _material_options() -> dict:
    d = CLS_DEFAULTS
    materials = bound(
        st.multiselect,
        "Materials (classes)",
        list(MATERIALS),
        default=d["cls_materials"],
        key="cls_materials",
        help="Presets whose curves are labelled by their name; each has typical literature "
        "E (GPa), ν and H (GPa). Choose at least two.",
    )
    scatter = bound(
        st.slider,
        "Scatter of E and H within a material (%)",
        0.0,
        30.0,
        d["cls_scatter_pct"],
        1.0,
        format="%.0f",
        key="cls_scatter_pct",
        help="Curve-to-curve spread of E and H, in % (log-normal sd): grains, orientation, "
        "composition. Large scatter makes materials overlap.",
    )
    imbalance = bound(
        st.slider,
        "Class imbalance (most / least common)",
        1.0,
        20.0,
        d["cls_imbalance"],
        1.0,
        format="%.0f",
        key="cls_imbalance",
        help="Ratio of curves of the first material to curves of the last, the others in "
        "between (geometric): 1 is balanced, 10 means the last class is rare.",
    )
    k = len(materials)
    weights = None
    if imbalance > 1 and k >= 2:
        weights = tuple(round(float(imbalance) ** (-i / (k - 1)), 6) for i in range(k))
    return {
        "materials": tuple(materials),
        "scatter": float(scatter) / 100.0,
        "class_weights": weights,
    }


def _quality_options() -> dict:
    d = CLS_DEFAULTS
    defects = bound(
        st.multiselect,
        "Defect types",
        list(DEFECT_TYPES),
        default=d["cls_defects"],
        key="cls_defects",
        help="Defects the bad curves carry, one per curve: "
        + "; ".join(f"{k}: {v}" for k, v in DEFECT_TYPES.items())
        + ".",
    )
    rate = bound(
        st.slider,
        "Share of defective curves (%)",
        10,
        90,
        d["cls_defect_rate_pct"],
        5,
        key="cls_defect_rate_pct",
        help="Class balance: the % of curves that carry a defect (split evenly over the "
        "defect types); the rest are good.",
    )
    scale = bound(
        st.slider,
        "Defect size (× default)",
        0.05,
        2.0,
        d["cls_size_scale"],
        0.05,
        key="cls_size_scale",
        help="Multiplies every defect's size (pop-in load in mN, drift in nm/s, offsets "
        "and bursts in nm, pore fraction): small values bring the defects down to the noise.",
    )
    mode = bound(
        st.radio,
        "Labels",
        list(QUALITY_LABEL_MODES),
        format_func=QUALITY_LABEL_MODES.get,
        key="cls_label_mode",
        help="Which defect (one class per type, plus good) or only good against defect "
        "(binary: ROC, precision-recall and calibration curves appear).",
    )
    return {
        "defect_types": tuple(defects),
        "defect_rate": float(rate) / 100.0,
        "size_scale": float(scale),
        "label_mode": mode,
    }


def _confounded_options(n: int) -> dict:
    d = CLS_DEFAULTS
    signal = bound(
        st.slider,
        "Hardness difference aged vs as-received (%)",
        0.0,
        20.0,
        d["cls_signal_pct"],
        1.0,
        format="%.0f",
        key="cls_signal_pct",
        help="How much harder, in %, the aged material really is: the physical signal, "
        f"against a {100 * CONFOUNDED_SCATTER:g} % curve-to-curve scatter of H.",
    )
    confound = bound(
        st.slider,
        "Confound: aged curves measured on day 1 (%)",
        50,
        100,
        d["cls_confound_pct"],
        5,
        key="cls_confound_pct",
        help="In the training data this % of aged curves were measured on day 1 (drift "
        "+0.12 nm/s) and the same % of as-received ones on day 2 (−0.04 nm/s). 50 %: no "
        "confound. The clean test set mixes the days at random.",
    )
    return {
        "signal": float(signal) / 100.0,
        "confound": float(confound) / 100.0,
        "scatter": CONFOUNDED_SCATTER,
        "test_n": max(n, CLEAN_TEST_MIN),
    }


def classify_data_controls() -> dict:
    """The task and its data settings (Classify page)."""
    tasks = list(TASK_LABELS)
    task = bound(
        st.selectbox,
        "Task",
        tasks,
        index=tasks.index(CLS_DEFAULTS["cls_task"]),
        format_func=TASK_LABELS.get,
        key="cls_task",
        help="What the labels are: the phase under each indent of a map, the material, the "
        "curve's defect, or a 'Clever Hans' task whose training data hide a shortcut.",
    )
    what = "indents" if task == "phase" else "curves"
    data = {"task": task, **common_data_controls("cls", CLS_DEFAULTS, what)}
    makers = {
        "phase": lambda: _map_options(data["n"]),
        "material": _material_options,
        "quality": _quality_options,
        "confounded": lambda: _confounded_options(data["n"]),
    }
    data["options"] = makers[task]()
    if task == "phase":
        data["blocks"] = instrument_widgets.block_controls()
    return data


def representation_controls(prefix: str, defaults: dict, contrast: bool) -> str:
    labels = dict(REPRESENTATION_LABELS)
    if contrast:
        labels["op"] = OP_CONTRAST_LABEL
    names = list(REPRESENTATIONS)
    return bound(
        st.selectbox,
        "What the model sees",
        names,
        index=names.index(defaults[f"{prefix}_representation"]),
        format_func=labels.get,
        key=f"{prefix}_representation",
        help="Oliver-Pharr: only H and E (GPa). Engineered features: Oliver-Pharr values, "
        "energies (pJ), Kick's C, pop-in, creep and drift. Full curve: depths (nm) at "
        "fractions of P_max on loading and unloading, depth changes in the holds. Principal "
        "components: that curve compressed.",
    )


def model_control(prefix: str, defaults: dict, choices: dict) -> str:
    names = list(choices)
    return bound(
        st.selectbox,
        "Model",
        names,
        index=names.index(defaults[f"{prefix}_model"]),
        format_func=MODEL_LABELS.get,
        key=f"{prefix}_model",
        help="The scikit-learn model after scaling: "
        + "; ".join(f"{MODEL_LABELS[k]}: {v}" for k, v in choices.items())
        + ".",
    )


def split_controls(prefix: str, defaults: dict, splits) -> dict:
    names = list(splits)
    split = bound(
        st.selectbox,
        "Evaluation split",
        names,
        index=names.index(defaults[f"{prefix}_split"]),
        format_func=SPLIT_LABELS.get,
        key=f"{prefix}_split",
        help="How curves are held out to score the model. Random: one train/test split. "
        "k-fold: every curve tested once. Spatial: k-fold over map blocks (a block is never "
        "on both sides; its edge indents keep training neighbours). Grouped: one group "
        "(measurement day) held out. Clean test: a separate test set without the confound.",
    )
    settings = {"split": split, "test_size": None, "n_splits": None}
    if split == "random":
        pct = bound(
            st.slider,
            "Held-out share (%)",
            10,
            50,
            defaults[f"{prefix}_test_pct"],
            5,
            key=f"{prefix}_test_pct",
            help="Percentage of the curves held out for testing in the random split.",
        )
        settings["test_size"] = float(pct) / 100.0
    folds = bound(
        st.slider,
        "Folds k",
        2,
        10,
        defaults[f"{prefix}_folds"],
        1,
        key=f"{prefix}_folds",
        help="Number of folds of k-fold cross-validation (the evaluation split, the "
        "learning curve and the random-vs-spatial comparison).",
    )
    settings["n_splits"] = int(folds)
    return settings


def classify_model_controls(task: str) -> dict:
    """Representation (with its options), model and split (Classify page)."""
    d = CLS_DEFAULTS
    representation = representation_controls("cls", d, contrast=task == "confounded")
    model = {
        "representation": representation,
        "features": None,
        "branches": None,
        "n_components": None,
    }
    if representation == "features":
        chosen = bound(
            st.multiselect,
            "Features the model sees",
            list(ENGINEERED_FEATURES),
            default=d["cls_features"],
            key="cls_features",
            help="Columns of the engineered representation (units in the names: GPa, nm, "
            "mN/nm, pJ, nm/s). Drop some to see what the model relied on.",
        )
        model["features"] = tuple(f for f in ENGINEERED_FEATURES if f in chosen)
    if representation in ("curve", "pca"):
        chosen = bound(
            st.multiselect,
            "Parts of the curve",
            list(CURVE_BRANCHES),
            default=d["cls_branches"],
            format_func=BRANCH_LABELS.get,
            key="cls_branches",
            help="Which parts of the curve the resampled representation keeps: loading and "
            "unloading as depth (nm) at fractions of P_max, the holds as depth change (nm) "
            "over the hold time.",
        )
        model["branches"] = tuple(b for b in CURVE_BRANCHES if b in chosen)
    if representation == "pca":
        model["n_components"] = int(
            bound(
                st.slider,
                "Principal components",
                1,
                16,
                d["cls_components"],
                1,
                key="cls_components",
                help="How many principal components of the standardised resampled curve the "
                "model sees (the first carries the most variance).",
            )
        )
    model["model"] = model_control("cls", d, CLASSIFIERS)
    model |= split_controls("cls", d, SPLIT_LABELS)
    return model


def misclassified_controls(options: list[int], describe) -> tuple[int | None, str]:
    """Which wrong curve to look at, and on which axes."""
    chosen = None
    if options:
        chosen = st.selectbox(
            "Misclassified curve",
            options,
            format_func=describe,
            key="cls_wrong_curve",
            help="Curves the model got wrong, the most confidently wrong first (the "
            "predicted probability of the wrong class in brackets).",
        )
    axes = bound(
        st.radio,
        "Axes",
        MISCLASSIFIED_AXES,
        horizontal=True,
        key="cls_axes",
        help="Load P (mN) against displacement h (nm), or displacement h (nm) against time "
        "t (s): drift and creep show best over time.",
    )
    return chosen, axes


# --- Predict properties ---------------------------------------------------------------------


# --- the settings at the defaults (for benchmarks and tests) ---------------------------------
