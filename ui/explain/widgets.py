"""Controls of the two explanation pages ("Why did the model decide?", "Is it physically
meaningful?").

Every widget has a key starting with ``xp_``, a ``help`` text that says what it is (with
units where physical), ``bind="query-params"`` (its value lives in the URL, so a link opens
the same model and explanation) and ``persist_state="session"``. Both pages draw the model
and LIME controls under the same keys, so the model a learner explains on one page is the
one the other page checks. The one exception is the choice of a model trained on "Classify
curves": it lives in the learner's session only, so it is not put in the URL.

The functions draw into the active container and return plain dicts.
"""

from __future__ import annotations

import streamlit as st

from learners.supervised.models import CLASSIFIERS
from ui.explain import tables, tasks

#: Default of every URL-bound control, by key (the key is also its URL query parameter).
DEFAULTS: dict = {
    "xp_task": "phase",
    "xp_inputs": "he_nuisance",
    "xp_model": "logistic",
    # 800: on the default WC-Co task 86 % of the indents are WC; with 400 curves the model's
    # held-out accuracy (92 %, interval 85-96 %) cannot be told from that baseline, with 800
    # it clears it (94 %, interval 90-97 %), so the page opens on a model that learned
    # something (page time measured with AppTest: about 8 s at 400, 11 s at 800)
    "xp_n": 800,
    "xp_seed": 0,
    "xp_samples": 5000,
    "xp_kernel": 1.0,
    "xp_discretize": False,
    "xp_lime_seed": 0,
    "xp_k": 2,
    "xp_pick": "typical",
    "xp_number": 0,
    "xp_segments": "physical",
    "xp_windows": 8,
    "xp_reference": "mean",
    "xp_drift": 0.1,
    "xp_noise": 5.0,
    "xp_tip_radius_nm": 100,
    "xp_load": 3.0,
    "xp_tolerance": 5,
}
#: Keys both pages draw (their values carry over on a page switch).
SHARED = (
    "xp_task",
    "xp_inputs",
    "xp_model",
    "xp_n",
    "xp_seed",
    "xp_samples",
    "xp_kernel",
    "xp_discretize",
    "xp_lime_seed",
    "xp_k",
)
SAMPLES = (50, 100, 200, 500, 1000, 2000, 5000, 10000)
NOISE_FACTORS = (1.0, 2.0, 5.0, 10.0, 20.0)
LOAD_FACTORS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
#: Session-state key holding the URL parameters of the page the learner was on.
URL_MEMORY = "_xp_url_params"
SOURCE = "xp_source"

#: Scenario buttons: label, help, and the settings they apply.
SCENARIOS: dict[str, tuple[str, str, dict]] = {
    "phase": (
        "Phase: H and E",
        "Logistic regression on H, E and two nuisance inputs, on the WC-Co phase task. The "
        "truth: the phase sets H and E.",
        {
            "xp_task": "phase",
            "xp_inputs": "he_nuisance",
            "xp_model": "logistic",
            "xp_pick": "typical",
            "xp_samples": 5000,
            "xp_kernel": 1.0,
        },
    ),
    "popin": (
        "Pop-in",
        "Logistic regression on the whole curve, pop-in or not; explained by curve segments "
        "(16 windows). The truth: the pop-in's points.",
        {
            "xp_task": "popin",
            "xp_inputs": "curve",
            "xp_model": "logistic",
            "xp_pick": "typical",
            "xp_segments": "windows",
            "xp_windows": 16,
        },
    ),
    "clever_hans": (
        "Clever Hans",
        "All curve features on the confounded task: drift goes with the label in training. "
        "The curve shown was measured on the other class's day.",
        {
            "xp_task": "clever_hans",
            "xp_inputs": "features",
            "xp_model": "logistic",
            "xp_pick": "confounded",
        },
    ),
    "correlated": (
        "Correlated inputs",
        "H, W_p/W_t and E (and two nuisance inputs) on the phase task: W_p/W_t follows from "
        "H/E, so LIME may split or swap the weight.",
        {
            "xp_task": "phase",
            "xp_inputs": "correlated",
            "xp_model": "logistic",
            "xp_pick": "typical",
        },
    ),
    "instability": (
        "Instability",
        "LIME with 100 samples and a kernel 0.3 × its default: the explanation changes with "
        "the seed.",
        {"xp_samples": 100, "xp_kernel": 0.3},
    ),
}


def _bound(widget, *args, **kwargs):
    """Call a Streamlit widget bound to the URL and kept for the whole session."""
    return widget(*args, **kwargs, bind="query-params", persist_state="session")


def carry_over() -> None:
    """Bring this session's shared settings onto the page after a page switch.

    Streamlit 1.67 keeps a URL-bound widget's value across a page switch once the learner
    has moved a widget, but not values that only came from the opened link (see
    :func:`ui.maps.widgets.carry_over`, which this follows): re-assign them, with their URL
    parameter as the last page had it.
    """
    saved = st.session_state.get(URL_MEMORY, {})
    for key in SHARED:
        if key in st.query_params or key not in st.session_state:
            continue
        if st.session_state[key] != DEFAULTS[key]:
            st.session_state[key] = st.session_state[key]
            if key in saved:
                st.query_params[key] = saved[key]


def remember_url() -> None:
    """Keep the shared URL parameters of this run for :func:`carry_over`."""
    st.session_state[URL_MEMORY] = {
        key: st.query_params.get_all(key) for key in SHARED if key in st.query_params
    }


def _apply(settings: dict) -> None:
    st.session_state[SOURCE] = "train here"
    for key, value in settings.items():
        st.session_state[key] = value


def scenario_buttons(keys=tuple(SCENARIOS)) -> None:
    """One button per scenario; a press sets the controls (the learner can change them)."""
    st.markdown("**Scenarios** (each sets the controls in the sidebar):")
    for column, name in zip(st.columns(len(keys)), keys, strict=True):
        label, help, settings = SCENARIOS[name]
        column.button(
            label,
            key=f"xp_scenario_{name}",
            help=help,
            on_click=_apply,
            args=(settings,),
            width="stretch",
        )


def source_control(classify_labels: list[str]) -> str:
    """Which model: one trained here, or one from "Classify curves" (only drawn when the
    learner has trained one there)."""
    if not classify_labels:
        return "train here"
    options = ["train here", *classify_labels]
    if st.session_state.get(SOURCE) not in options:
        st.session_state[SOURCE] = "train here"
    return st.selectbox(
        "Model to explain",
        options,
        key=SOURCE,
        persist_state="session",
        help="Train a model here with the settings below, or explain a classifier you "
        "trained on the Classify curves page (kept in your session only).",
    )


def model_controls(disabled: bool = False) -> dict:
    """Task, inputs, model, number of curves and seed of a model trained here."""
    task = _bound(
        st.selectbox,
        "Task",
        list(tasks.TASKS),
        index=list(tasks.TASKS).index(DEFAULTS["xp_task"]),
        format_func=lambda k: tasks.TASKS[k].label,
        key="xp_task",
        disabled=disabled,
        help="What the model learns to tell apart. Phase: WC or Co binder under each indent "
        "of a map. Pop-in: curves with a pop-in or none. Clever Hans: aged (4 % harder) or "
        "as-received steel, measured on days whose thermal drift goes with the class. "
        "See the [Glossary](/glossary?glossary_search=clever) for the terms.",
    )
    inputs = _bound(
        st.selectbox,
        "What the model sees",
        list(tasks.INPUTS),
        index=list(tasks.INPUTS).index(DEFAULTS["xp_inputs"]),
        format_func=lambda k: tasks.INPUTS[k][0],
        key="xp_inputs",
        disabled=disabled,
        help="The inputs: Oliver-Pharr H (GPa) and E (GPa); plus creep (nm) and the "
        "drift rate (nm/s), which carry no physics of the label; W_p/W_t (-), which follows "
        "from H/E; all 22 curve features; or the whole curve resampled on a load grid.",
    )
    model = _bound(
        st.selectbox,
        "Model",
        list(CLASSIFIERS),
        index=list(CLASSIFIERS).index(DEFAULTS["xp_model"]),
        format_func=lambda k: CLASSIFIERS[k],
        key="xp_model",
        disabled=disabled,
        help="Logistic regression is a glass box: its exact attribution coef × (z − mean z) "
        "is known, so LIME can be checked against it. The others are black boxes here. The "
        "baseline ignores the curve and always answers the most frequent training class: "
        "every score is read against it.",
    )
    n = _bound(
        st.slider,
        "Curves",
        100,
        800,
        DEFAULTS["xp_n"],
        50,
        key="xp_n",
        disabled=disabled,
        help="Number of simulated curves; 75 % train the model, 25 % are held out and "
        "explained (a phase map of n indents is the next square grid). Fewer curves, fewer "
        "held-out ones, a wider interval: on the WC-Co task, where 86 % of the indents are "
        "WC, try 400 and see a good-looking accuracy that cannot be told from guessing.",
    )
    seed = _bound(
        st.number_input,
        "Data seed",
        0,
        10_000,
        DEFAULTS["xp_seed"],
        1,
        key="xp_seed",
        disabled=disabled,
        help="Seed of the simulated curves and of the train/held-out split.",
    )
    return {"task": task, "inputs": inputs, "model": model, "n": int(n), "seed": int(seed)}


def lime_controls() -> dict:
    """LIME's settings and the k of the top-k scores."""
    samples = _bound(
        st.select_slider,
        "LIME samples",
        SAMPLES,
        DEFAULTS["xp_samples"],
        key="xp_samples",
        help="Perturbed inputs LIME draws around the curve to fit its local linear model "
        "(5000: accurate; a few hundred: the explanation changes with the seed).",
    )
    kernel = _bound(
        st.slider,
        "Kernel width (× lime's default 0.75 √d)",
        0.1,
        3.0,
        DEFAULTS["xp_kernel"],
        0.1,
        key="xp_kernel",
        help="How far from the curve LIME looks, in standardised input units, as a multiple "
        "of lime's default 0.75 √(number of inputs). Small widths weigh only a few samples.",
    )
    discretize = _bound(
        st.checkbox,
        "Discretise inputs (quartiles)",
        key="xp_discretize",
        help="LIME's discretised mode: each input becomes 'in its quartile or not', and the "
        "weight is the effect of that. Off: weights are slopes per standard deviation.",
    )
    seed = _bound(
        st.number_input,
        "LIME seed",
        0,
        1_000_000,
        DEFAULTS["xp_lime_seed"],
        1,
        key="xp_lime_seed",
        help="Random state of LIME's sampling; the stability check repeats with this seed "
        "and the next four.",
    )
    k = _bound(
        st.slider,
        "Top k",
        1,
        5,
        DEFAULTS["xp_k"],
        1,
        key="xp_k",
        help="How many of the largest weights the scores compare (top-k agreement, "
        "Jaccard stability, faithfulness).",
    )
    return {
        "num_samples": int(samples),
        "kernel_scale": float(kernel),
        "discretize": bool(discretize),
        "seed": int(seed),
        "k": int(k),
    }


def instance_controls() -> dict:
    """Which held-out curve to explain."""
    left, right = st.columns([3, 1])
    pick = _bound(
        left.radio,
        "Curve to explain",
        tables.PICKS,
        index=tables.PICKS.index(DEFAULTS["xp_pick"]),
        key="xp_pick",
        horizontal=True,
        help="A typical correctly classified curve, the most confidently misclassified one, "
        "a confounded one (Clever Hans: measured on the other class's day; phases: an indent "
        "on an interface), or any held-out curve by its number.",
    )
    number = _bound(
        right.number_input,
        "Held-out curve number",
        0,
        9_999,
        DEFAULTS["xp_number"],
        1,
        key="xp_number",
        disabled=pick != "by number",
        help="Position of the curve among the held-out curves (0 = first).",
    )
    return {"pick": pick, "number": int(number)}


def segment_controls() -> dict:
    """How the curve is cut into segments for the curve explanation."""
    segments = _bound(
        st.radio,
        "Segments",
        ("physical", "windows"),
        key="xp_segments",
        horizontal=True,
        help="Physical: approach, early and late loading, hold, upper and lower unloading, "
        "drift hold, final unloading. Windows: equal runs of points from first contact.",
    )
    windows = _bound(
        st.slider,
        "Windows",
        4,
        32,
        DEFAULTS["xp_windows"],
        1,
        key="xp_windows",
        disabled=segments != "windows",
        help="Number of equal windows (more: finer, but each one holds fewer points).",
    )
    reference = _bound(
        st.radio,
        "Switched-off segment becomes",
        ("mean", "smooth"),
        key="xp_reference",
        horizontal=True,
        help="Mean: the training curves' mean shape, scaled to this curve's depth (nm). "
        "Smooth: a Savitzky-Golay smoothing of this curve (keeps its level, removes bursts).",
    )
    return {"segments": segments, "n_windows": int(windows), "reference": reference}


def dependence_control(names: list[str]) -> str:
    """The input of the partial-dependence plot (the model's inputs, most important first)."""
    if st.session_state.get("xp_dependence") not in names:
        st.session_state.pop("xp_dependence", None)
    return _bound(
        st.selectbox,
        "Input of the partial dependence",
        names,
        key="xp_dependence",
        help="The model's probability of the explained class as this input is swept over "
        "its range, averaged over the held-out curves (thick) and per curve (ICE, thin).",
    )


def shift_controls(clean_test: bool = False) -> dict:
    """Sizes of the changed test conditions of the checklist; ``clean_test``: the task
    extrapolates to its clean test set, so the test peak load does not apply."""
    drift = _bound(
        st.slider,
        "Extra thermal drift (nm/s)",
        0.0,
        0.5,
        DEFAULTS["xp_drift"],
        0.02,
        key="xp_drift",
        help="Drift rate in nm/s added to every curve of the shifted test set (phase task; "
        "Clever Hans: added to both days). Typical lab drift: 0.01-0.1 nm/s.",
    )
    noise = _bound(
        st.select_slider,
        "Noise (× typical)",
        NOISE_FACTORS,
        DEFAULTS["xp_noise"],
        key="xp_noise",
        help="Load and depth noise of the shifted test set, in multiples of a lab "
        "instrument's 0.0005 mN and 0.2 nm.",
    )
    tip = _bound(
        st.slider,
        "Worn tip: apex radius (nm)",
        0,
        500,
        DEFAULTS["xp_tip_radius_nm"],
        25,
        key="xp_tip_radius_nm",
        help="A worn tip: the Berkovich apex rounded to this radius (a new tip has about "
        "20-50 nm, a worn one 100-300 nm), while the analysis keeps the ideal area function "
        "24.5 h_c². 0: the ideal sharp tip.",
    )
    load = _bound(
        st.select_slider,
        "Test peak load (× training load)",
        LOAD_FACTORS,
        DEFAULTS["xp_load"],
        key="xp_load",
        disabled=clean_test,
        help="Peak load of the extrapolation test set, as a multiple of the training load "
        "(phase: 1 mN, pop-in: 5 mN). The Clever Hans task uses its clean test set instead.",
    )
    tolerance = _bound(
        st.slider,
        "Tolerated accuracy drop (points)",
        1,
        20,
        DEFAULTS["xp_tolerance"],
        1,
        key="xp_tolerance",
        help="Largest fall of the accuracy, in percentage points, that still passes items 2 and 3.",
    )
    return {
        "drift": float(drift),
        "noise": float(noise),
        "tip": float(tip),
        "load": float(load),
        "tolerance": float(tolerance),
    }
