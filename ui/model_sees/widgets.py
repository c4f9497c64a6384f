"""Controls of the "What a model sees" page: the labelled curves, the representations, the views.

Every widget has a key (all start with ``sees_``), a ``help`` text that says what it is
physically (with units), and, except the exercise's answers, ``bind="query-params"`` with
``persist_state="session"``: its value lives in the URL, so a link opens the same curves and
views. The functions draw into the active container and return plain dicts (numbers,
strings, tuples), ready to key the cached wrappers of :mod:`ui.model_sees.cached`:

- *data settings*: ``{"task", "n", "seed"}``;
- *representation settings*: ``{"on", "branches", "n_components", "model"}``.
"""

from __future__ import annotations

import streamlit as st

from learners.supervised.representations import CURVE_BRANCHES
from ui.supervised.options import BRANCH_LABELS

#: Tasks of the page: label -> (simulator task, its options, what the classes are).
TASKS: dict[str, tuple[str, dict, str]] = {
    "popin": ("quality", {"defect_types": ("popin",)}, "Pop-in or good curve (2 classes)"),
    "quality": ("quality", {}, "Good or which defect (7 classes)"),
    "material": ("material", {}, "Which material (5 metals)"),
}
#: Feature names of :data:`learners.supervised.representations.ENGINEERED_FEATURES` with their
#: units.
FEATURE_LABELS: dict[str, str] = {
    "H_GPa": "H (GPa)",
    "E_GPa": "E (GPa)",
    "Er_GPa": "E_r (GPa)",
    "S_mN_per_nm": "S (mN/nm)",
    "hc_nm": "h_c (nm)",
    "h_max_nm": "h_max (nm)",
    "h_f_nm": "h_f (nm)",
    "hf_over_hmax": "h_f / h_max (-)",
    "m": "unloading exponent m (-)",
    "fit_r2": "unloading fit R² (-)",
    "fit_rmse_mN": "unloading fit RMSE (mN)",
    "W_total_pJ": "W_t (pJ)",
    "W_elastic_pJ": "W_e (pJ)",
    "W_plastic_pJ": "W_p (pJ)",
    "Wp_over_Wt": "W_p / W_t (-)",
    "kick_C_GPa": "Kick's C (GPa)",
    "popin_load_mN": "pop-in load (mN)",
    "popin_size_nm": "pop-in size (nm)",
    "creep_nm": "creep in the hold (nm)",
    "initial_stiffness_mN_per_nm": "initial loading stiffness (mN/nm)",
    "drift_rate_nm_per_s": "drift rate (nm/s)",
    "zero_offset_nm": "surface offset (nm)",
}
#: Classifiers offered for the comparison (fast and unlike each other).
MODELS = {
    "logistic": "Logistic regression",
    "random_forest": "Random forest",
    "most_frequent": "Baseline: always the most frequent class",
}
#: Grids of the full-curve representation (``on`` of ResampledCurve).
GRIDS = {
    "load": "depth h (nm) at fractions of P_max",
    "depth": "load P (mN) at fractions of h_max",
}
HEATMAP_COLOURS = {
    "measured": "as measured (nm or mN): loading and unloading",
    "standardised": "standardised: every value the model gets",
}
DEFAULTS: dict = {
    "sees_task": "popin",
    "sees_n": 200,
    "sees_seed": 0,
    "sees_x": "H_GPa",
    "sees_y": "E_GPa",
    "sees_grid": "load",
    "sees_branches": list(CURVE_BRANCHES),
    "sees_heat": "measured",
    "sees_components": 8,
    "sees_model": "logistic",
}
N_RANGE = (10, 1000)
MAX_COMPONENTS = 20


def _bound(widget, *args, **kwargs):
    """Call a Streamlit widget bound to the URL and kept for the whole session."""
    return widget(*args, **kwargs, bind="query-params", persist_state="session")


def data_controls() -> dict:
    """Task, number of curves and seed: the data settings."""
    task = _bound(
        st.selectbox,
        "Task (what the labels are)",
        list(TASKS),
        index=list(TASKS).index(DEFAULTS["sees_task"]),
        format_func=lambda t: TASKS[t][2],
        key="sees_task",
        help="Labelled simulated curves: good curves and curves with a pop-in (a sudden "
        "burst of depth, nm, at constant load during loading); good curves and six defect "
        "types (pop-in, drift, surface offset, elbow, crack, pore); or five metals whose "
        "typical E and H (GPa) scatter by 8 %.",
    )
    n = _bound(
        st.slider,
        "Number of curves",
        *N_RANGE,
        DEFAULTS["sees_n"],
        10,
        key="sees_n",
        help=f"How many labelled curves to simulate ({N_RANGE[0]}-{N_RANGE[1]}), shared out "
        "over the classes. Each curve is a load-hold-unload test of about 640 points. Few "
        "curves give noisy scores; 5-fold cross-validation needs 5 per class.",
    )
    seed = _bound(
        st.number_input,
        "Random seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS["sees_seed"],
        step=1,
        key="sees_seed",
        help="Seed of every random draw (materials, defect sizes, noise, folds): the same "
        "seed and settings give the same curves and scores for everyone who opens the link.",
    )
    return {"task": task, "n": int(n), "seed": int(seed)}


def feature_pair_controls() -> tuple[str, str]:
    """The two features of the scatter (x, y)."""
    names = list(FEATURE_LABELS)
    left, right = st.columns(2)
    x = _bound(
        left.selectbox,
        "Feature on the x axis",
        names,
        index=names.index(DEFAULTS["sees_x"]),
        format_func=FEATURE_LABELS.get,
        key="sees_x",
        help="One number extracted from every curve, with its unit: Oliver-Pharr H, E, S "
        "(mN/nm), depths (nm), energies (pJ), Kick's C (GPa), pop-in load (mN) and size "
        "(nm), creep (nm), drift rate (nm/s), surface offset (nm) ...",
    )
    y = _bound(
        right.selectbox,
        "Feature on the y axis",
        names,
        index=names.index(DEFAULTS["sees_y"]),
        format_func=FEATURE_LABELS.get,
        key="sees_y",
        help="A second extracted number, plotted against the first: where the classes' "
        "clouds do not overlap, these two numbers alone tell the classes apart.",
    )
    return x, y


def curve_controls() -> dict:
    """Grid, branches and principal components of the full-curve representation."""
    on = _bound(
        st.radio,
        "Common grid",
        list(GRIDS),
        format_func=GRIDS.get,
        key="sees_grid",
        horizontal=True,
        help="How every curve becomes the same number of values: the depth h (nm) at 1/32, "
        "2/32, ... of the peak load P_max (mN), or the load P (mN) at fractions of the "
        "largest depth h_max (nm). Holds are always sampled in time (depth gained, nm).",
    )
    branches = _bound(
        st.multiselect,
        "Parts of the curve the model gets",
        list(CURVE_BRANCHES),
        default=DEFAULTS["sees_branches"],
        format_func=BRANCH_LABELS.get,
        key="sees_branches",
        help="Loading and unloading: 32 values each on the common grid; the hold at peak "
        "load (creep) and the drift hold at 10 % load (thermal drift): 8 values each of the "
        "depth gained (nm) against time. One more value keeps the scale (P_max in mN or "
        "h_max in nm).",
    )
    return {"on": on, "branches": tuple(b for b in CURVE_BRANCHES if b in branches)}


def heatmap_control() -> str:
    """What the heatmap's colour shows."""
    return _bound(
        st.radio,
        "Heatmap colour",
        list(HEATMAP_COLOURS),
        format_func=HEATMAP_COLOURS.get,
        key="sees_heat",
        horizontal=True,
        help="As measured: the depth (nm) or load (mN) of the loading and unloading "
        "branches on the common grid. Standardised: every value of the vector as the "
        "model's scaler hands it on, in standard deviations from that value's mean over "
        "the curves (holds and scale included).",
    )


def pca_control(n_columns: int) -> int:
    """Principal components kept (at most the representation's columns)."""
    hi = max(2, min(MAX_COMPONENTS, n_columns))
    return int(
        _bound(
            st.slider,
            "Principal components the PCA model keeps",
            1,
            hi,
            min(DEFAULTS["sees_components"], hi),
            1,
            key="sees_components",
            help="Number of principal components (linear combinations of the standardised "
            "curve values, dimensionless) that the 'PCA of the full curve' model receives "
            "instead of the whole vector.",
        )
    )


def model_control() -> str:
    """Classifier used in the comparison."""
    return _bound(
        st.selectbox,
        "Classifier of the comparison",
        list(MODELS),
        index=list(MODELS).index(DEFAULTS["sees_model"]),
        format_func=MODELS.get,
        key="sees_model",
        help="The same model type is trained on each representation: logistic regression "
        "(linear, on standardised inputs), a random forest (200 trees, any shape of "
        "boundary, slower) or the baseline that ignores the curve and always answers the "
        "most frequent class of its training folds.",
    )


def exercise_controls() -> tuple[str | None, str | None]:
    """The learner's pair of features (None until picked); not in the URL."""
    names = list(FEATURE_LABELS)
    left, right = st.columns(2)
    picks = []
    slots = ((left, "sees_ex_a", "First feature"), (right, "sees_ex_b", "Second feature"))
    for column, key, label in slots:
        picks.append(
            column.selectbox(
                label,
                names,
                index=None,
                format_func=FEATURE_LABELS.get,
                placeholder="pick a feature",
                key=key,
                help="Your pick of the two extracted numbers (units in the name) that tell "
                "the classes of this task apart best.",
            )
        )
    return picks[0], picks[1]
