"""IndentLab's analysis and machine learning on indentation curves.

Units throughout: load mN, displacement nm, time s, E and H GPa, energy pJ (mN nm).

Public functions
----------------
oliver_pharr : hardness and modulus of one curve (dict) or a batch (DataFrame).
curve_features : the Oliver-Pharr columns plus energies, Kick's C, pop-in, creep, drift.
calibrate : a tip's area function and the frame compliance from reference series.
hertz_fit : E_r from the elastic loading under a sphere, before the first pop-in.
find_popins : every pop-in (displacement burst) of every curve, with its load drop.
read_curves : curves from a lab's files (text, Hysitron, Excel workbooks, zip archives).
map_feature_table, scale_features, resample_curves, curve_pca : feature tables of maps.
cluster_phases, choose_n_phases, deconvolve : unsupervised phase identification.
micrograph_boundaries, boundary_distance_um, interior_indents : correlative micrograph.
score_clustering, property_errors : clustering scored against the simulator's truth.
make_pipeline, curve_matrix, evaluate, compare_random_vs_spatial, learning_curve_scores,
oliver_pharr_baseline, out_of_range_check : supervised learning and honest evaluation.
Detector, anomaly_inputs, anomaly_scores, detection_report : anomalous-curve detection.
explain_lime, explain_segments, exact_attribution, score_explanation : explanations and
their scorecard against the truth.

Subpackages, by what a reader looks for: :mod:`learners.curves` (Oliver-Pharr and curve
features), :mod:`learners.reading` (a learner's own files), :mod:`learners.unsupervised`
(maps, clustering, anomalies), :mod:`learners.supervised` (models and honest evaluation),
:mod:`learners.explain` (explanations and their scorecard).
"""

from simulator._lazy import lazy_attributes

#: Public name -> submodule defining it. Importing the package imports none of them:
#: each is imported on first access (``from learners import x`` or ``learners.x``), so a page
#: that needs the Oliver-Pharr analysis does not pay for scikit-learn, lime or the maps.
_SOURCES = {
    "Calibration": ".curves.calibration",
    "calibrate": ".curves.calibration",
    "curve_features": ".curves.features",
    "hertz_fit": ".curves.hertz",
    "oliver_pharr": ".curves.oliver_pharr",
    "find_popins": ".curves.popins",
    "exact_attribution": ".explain.attribution",
    "explain_lime": ".explain.attribution",
    "explain_segments": ".explain.attribution",
    "score_explanation": ".explain.scorecard",
    "read_curves": ".reading.read",
    "oliver_pharr_baseline": ".supervised.baselines",
    "out_of_range_check": ".supervised.baselines",
    "compare_random_vs_spatial": ".supervised.evaluation",
    "evaluate": ".supervised.evaluation",
    "learning_curve_scores": ".supervised.evaluation",
    "make_pipeline": ".supervised.models",
    "curve_matrix": ".supervised.representations",
    "Detector": ".unsupervised.anomaly",
    "anomaly_inputs": ".unsupervised.anomaly",
    "anomaly_scores": ".unsupervised.anomaly",
    "detection_report": ".unsupervised.anomaly",
    "property_errors": ".unsupervised.cluster_scores",
    "score_clustering": ".unsupervised.cluster_scores",
    "choose_n_phases": ".unsupervised.clustering",
    "cluster_phases": ".unsupervised.clustering",
    "boundary_distance_um": ".unsupervised.correlative",
    "interior_indents": ".unsupervised.correlative",
    "micrograph_boundaries": ".unsupervised.correlative",
    "deconvolve": ".unsupervised.deconvolution",
    "curve_pca": ".unsupervised.map_features",
    "map_feature_table": ".unsupervised.map_features",
    "resample_curves": ".unsupervised.map_features",
    "scale_features": ".unsupervised.map_features",
}
#: Submodules that dir() listed after the former eager import; imported on access.
_SUBMODULES = ("curves", "explain", "reading", "supervised", "unsupervised")

__all__ = [
    "Calibration",
    "Detector",
    "anomaly_inputs",
    "anomaly_scores",
    "boundary_distance_um",
    "calibrate",
    "choose_n_phases",
    "cluster_phases",
    "compare_random_vs_spatial",
    "curve_features",
    "curve_matrix",
    "curve_pca",
    "deconvolve",
    "detection_report",
    "evaluate",
    "exact_attribution",
    "find_popins",
    "hertz_fit",
    "explain_lime",
    "explain_segments",
    "interior_indents",
    "learning_curve_scores",
    "make_pipeline",
    "map_feature_table",
    "micrograph_boundaries",
    "oliver_pharr",
    "oliver_pharr_baseline",
    "out_of_range_check",
    "property_errors",
    "read_curves",
    "resample_curves",
    "scale_features",
    "score_explanation",
    "score_clustering",
]


__getattr__, __dir__ = lazy_attributes(__name__, _SOURCES, _SUBMODULES)
