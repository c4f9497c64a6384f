"""Controls of the "Find bad curves" page: the campaign, the detector, the threshold, the view.

Every widget has a key (all start with ``bad_``), a ``help`` text that says what it is
physically (with units), and ``bind="query-params"``: its value lives in the URL, so a link
opens the same campaign, detector and threshold. The functions draw into the active container
and return plain dicts (numbers, strings, tuples), ready to key the cached wrappers of
:mod:`ui.anomalies.cached`.
"""

from __future__ import annotations

import streamlit as st

from learners.unsupervised.anomaly import ANOMALY_FEATURES
from simulator.datasets import ANOMALY_BASE_MATERIALS, ANOMALY_P_MAX_MN, ANOMALY_SCATTER

#: Labels of the defect types (keys of :data:`simulator.datasets.DEFECT_TYPES`).
DEFECT_NAMES = {
    "popin": "pop-in",
    "drift": "thermal drift",
    "surface_offset": "surface not found",
    "elbow": "elbow on unloading",
    "crack": "crack",
    "pore": "pore hit",
}
#: What a learner picks -> representation of :func:`learners.unsupervised.anomaly.anomaly_inputs`.
REPRESENTATIONS = {
    "physical features": "features",
    "whole curve": "curve",
    "curve rate (step to step)": "curve_rate",
}
#: Detector methods of :class:`learners.unsupervised.anomaly.Detector` and their names on the page.
DETECTORS = {
    "isolation_forest": "Isolation Forest",
    "lof": "Local Outlier Factor",
    "ocsvm": "One-class SVM",
    "elliptic_envelope": "Elliptic Envelope",
    "robust_z": "robust z-score (median / MAD)",
    "pca_residual": "PCA reconstruction error",
}
#: Detectors whose fit uses the assumed anomaly share (the others only rank).
USES_FIT_SHARE = ("ocsvm", "elliptic_envelope", "pca_residual")
#: Physical features with their unit, for the feature picker.
FEATURE_LABELS = {
    "H_GPa": "H (GPa)",
    "E_GPa": "E (GPa)",
    "hf_over_hmax": "h_f / h_max (-)",
    "Wp_over_Wt": "W_p / W_t (-)",
    "kick_C_GPa": "Kick's C (GPa)",
    "m": "unloading exponent m (-)",
    "fit_r2": "unloading fit R² (-)",
    "drift_rate_nm_per_s": "drift rate in the hold (nm/s)",
    "creep_nm": "creep in the hold (nm)",
    "initial_stiffness_mN_per_nm": "initial loading stiffness (mN/nm)",
    "popin_size_nm": "largest pop-in (nm)",
}
THRESHOLD_RULES = ("flag a share of the curves", "flag above a score")
VIEWS = ("load-displacement P–h", "displacement-time h–t")
#: Which curves the curve chart draws over the good ones.
INSPECT = (
    "flagged (highest scores)",
    "missed defects (largest first)",
    "false alarms (good curves flagged)",
    "rare but physical",
)
N_RANGE = (50, 2000)
DEFAULTS = {
    "n": 400,
    "contamination_pct": 10.0,
    "size_scale": 0.5,
    "rare_pct": 0.0,
    "share_pct": 10.0,
    "fit_share_pct": 10.0,
    "score": 0.5,
}


def representation_label(representation: str) -> str:
    """The page's name of a representation of
    :func:`learners.unsupervised.anomaly.anomaly_inputs`."""
    return next(k for k, v in REPRESENTATIONS.items() if v == representation)


def campaign_controls() -> dict:
    """Number of curves, contamination, defect mix, size scale, rare share and seed, as the
    keyword arguments of ``simulator.make_dataset("anomalies", ...)``."""
    n = st.number_input(
        "Number of curves",
        min_value=N_RANGE[0],
        max_value=N_RANGE[1],
        value=DEFAULTS["n"],
        step=50,
        key="bad_n",
        bind="query-params",
        help="Indents in the campaign (50 to 2000), each a full load-hold-unload test on "
        f"{' and '.join(ANOMALY_BASE_MATERIALS)} with {ANOMALY_P_MAX_MN:g} mN peak load; E "
        f"and H scatter by {100 * ANOMALY_SCATTER:g} % from indent to indent.",
    )
    contamination = st.slider(
        "Defective curves (%)",
        0.0,
        40.0,
        DEFAULTS["contamination_pct"],
        1.0,
        key="bad_contamination",
        bind="query-params",
        help="True share of curves with one defect each, in %: the truth the detector does "
        "not know (real campaigns: a few % to 20 %).",
    )
    defects = st.multiselect(
        "Defect mix",
        list(DEFECT_NAMES),
        default=list(DEFECT_NAMES),
        format_func=DEFECT_NAMES.get,
        key="bad_defects",
        bind="query-params",
        help="Kinds of bad curve in the campaign, shared out evenly: pop-in (load in mN), "
        "thermal drift (nm/s), surface not found (zero-point error, nm), elbow on unloading "
        "(nm), crack burst (nm), pore hit (pore fraction under the tip).",
    )
    size_scale = st.slider(
        "Defect size (× typical)",
        0.0,
        3.0,
        DEFAULTS["size_scale"],
        0.05,
        key="bad_size_scale",
        bind="query-params",
        help="Multiplies every defect's typical size range (× 1: pop-in at 0.2-0.6 mN, "
        "drift 0.15-0.4 nm/s, zero-point error 15-40 nm, elbow and crack 15-40 nm, pore "
        "fraction 0.3-0.6); each curve draws its size from the scaled range. See the "
        "[Glossary](/glossary?glossary_search=pop-in) for the terms.",
    )
    rare = st.slider(
        "Rare but physical curves (%)",
        0.0,
        20.0,
        DEFAULTS["rare_pct"],
        1.0,
        key="bad_rare",
        bind="query-params",
        help="Share of good but unusual curves, in %: half a pop-in at 1-2 mN in a "
        "defect-free grain, half a hard inclusion (H × 2.5, E × 1.6). Not defects: a good "
        "detector should keep them.",
    )
    seed = st.number_input(
        "Random seed",
        min_value=0,
        max_value=2**31 - 1,
        value=0,
        step=1,
        key="bad_seed",
        bind="query-params",
        help="Seed of the campaign (materials scatter, defect sizes, noise) and of the "
        "randomised detectors: the same seed and settings give the same result for everyone.",
    )
    return {
        "n": int(n),
        "contamination": round(float(contamination) / 100.0, 4),
        "defect_types": tuple(defects),
        "size_scale": round(float(size_scale), 4),
        "rare_fraction": round(float(rare) / 100.0, 4),
        "seed": int(seed),
    }


def detector_controls() -> dict:
    """Representation, features, detector and its parameters, as a plain detector dict:
    ``representation``, ``features`` (tuple; empty unless features), ``method``,
    ``n_components`` and ``fit_share`` (fixed where the method does not use them, so that
    caches share results)."""
    label = st.radio(
        "What the detector sees",
        list(REPRESENTATIONS),
        key="bad_representation",
        bind="query-params",
        help="Physical features: 11 numbers per curve from its analysis (H in GPa, drift "
        "rate in nm/s, pop-in size in nm ...). Whole curve: displacement h / h_top at each of "
        "the protocol's time points (h_top: median depth at peak load, nm/nm). Curve rate: "
        "the step of h / h_top from each sample to the next, so a burst stays local.",
    )
    representation = REPRESENTATIONS[label]
    features = st.multiselect(
        "Physical features used",
        list(FEATURE_LABELS),
        default=list(ANOMALY_FEATURES),
        format_func=FEATURE_LABELS.get,
        key="bad_features",
        bind="query-params",
        disabled=representation != "features",
        help="Which curve features the detector gets (only with 'physical features'); each "
        "is standardised to unit variance first. Drop one to see which defects hide.",
    )
    method = st.selectbox(
        "Detector",
        list(DETECTORS),
        format_func=DETECTORS.get,
        key="bad_detector",
        bind="query-params",
        help="Unsupervised: none sees the truth. Isolation Forest: short random-split paths; "
        "LOF: low local density; One-class SVM: outside a kernel boundary; Elliptic "
        "Envelope: far in a robust Mahalanobis distance; robust z: largest |x − median| / "
        "(1.4826 MAD) over the inputs; PCA: error of rebuilding the input from k components.",
    )
    components = st.slider(
        "PCA components k",
        1,
        30,
        1,
        1,
        key="bad_components",
        bind="query-params",
        disabled=method != "pca_residual",
        help="Principal components the PCA keeps to rebuild each input (PCA detector only). "
        "Good curves vary along few modes (stiffness, hardness); too many components "
        "rebuild the anomalies too.",
    )
    fit_share = st.slider(
        "Anomaly share assumed in the fit (%)",
        1.0,
        40.0,
        DEFAULTS["fit_share_pct"],
        1.0,
        key="bad_fit_share",
        bind="query-params",
        disabled=method not in USES_FIT_SHARE,
        help="The detector's contamination parameter, in % (One-class SVM's ν, the Elliptic "
        "Envelope's outlier share, the share the PCA leaves out when it refits). The others "
        "only rank curves and ignore it.",
    )
    return {
        "representation": representation,
        "features": tuple(features) if representation == "features" else (),
        "method": method,
        "n_components": int(components) if method == "pca_residual" else 1,
        "fit_share": round(float(fit_share) / 100.0, 4) if method in USES_FIT_SHARE else 0.1,
    }


def threshold_controls() -> dict:
    """The threshold rule: a flagged share [-] or a score (dimensionless)."""
    rule = st.radio(
        "Threshold rule",
        THRESHOLD_RULES,
        key="bad_rule",
        bind="query-params",
        help="Flag a share: the curves with the highest scores, as many as the share says "
        "(what you do when you expect, say, 10 % bad curves). Flag above a score: every "
        "curve whose score exceeds a number you read off the histogram.",
    )
    share = st.slider(
        "Flagged share (%)",
        0.5,
        50.0,
        DEFAULTS["share_pct"],
        0.5,
        key="bad_share",
        bind="query-params",
        disabled=rule != THRESHOLD_RULES[0],
        help="Percentage of the curves to flag, highest scores first.",
    )
    score = st.number_input(
        "Score threshold",
        value=DEFAULTS["score"],
        step=0.01,
        format="%.4f",
        key="bad_score",
        bind="query-params",
        disabled=rule != THRESHOLD_RULES[1],
        help="Flag curves whose anomaly score is above this value. Scores are dimensionless "
        "and each detector has its own scale: read a value off the histogram (hover a bar).",
    )
    if rule == THRESHOLD_RULES[0]:
        return {"rule": "share", "share": round(float(share) / 100.0, 5), "score": None}
    return {"rule": "score", "share": None, "score": float(score)}


def view_controls() -> dict:
    """Which curves to draw over the good ones, and in which plane."""
    left, right = st.columns(2)
    inspect = left.selectbox(
        "Curves to draw",
        INSPECT,
        key="bad_inspect",
        bind="query-params",
        help="Up to eight curves drawn in colour over grey good curves: the flagged ones "
        "(highest anomaly score first), defects the detector missed (largest true size "
        "first), good curves it flagged, or the rare but physical ones.",
    )
    view = right.radio(
        "Plane",
        VIEWS,
        horizontal=True,
        key="bad_view",
        bind="query-params",
        help="Load P (mN) against displacement h (nm), or displacement h (nm) against time "
        "t (s): drift and the hold show best over time.",
    )
    return {"inspect": inspect, "view": "P-h" if view == VIEWS[0] else "h-t"}
