"""IndentLab's analysis and machine learning on indentation curves.

Units throughout: load mN, displacement nm, time s, E and H GPa, energy pJ (mN nm).

Public functions
----------------
oliver_pharr : hardness and modulus of one curve (dict) or a batch (DataFrame).
curve_features : the Oliver-Pharr columns plus energies, Kick's C, pop-in, creep, drift.
map_feature_table, scale_features, resample_curves, curve_pca : feature tables of maps.
cluster_phases, choose_n_phases, deconvolve : unsupervised phase identification.
score_clustering, property_errors : clustering scored against the simulator's truth.
make_pipeline, curve_matrix, evaluate, compare_random_vs_spatial, learning_curve_scores,
oliver_pharr_baseline, out_of_range_check : supervised learning and honest evaluation.
Detector, anomaly_inputs, anomaly_scores, detection_report : anomalous-curve detection.
"""

from .anomaly import Detector, anomaly_inputs, anomaly_scores, detection_report
from .baselines import oliver_pharr_baseline, out_of_range_check
from .cluster_scores import property_errors, score_clustering
from .clustering import choose_n_phases, cluster_phases
from .deconvolution import deconvolve
from .evaluation import compare_random_vs_spatial, evaluate, learning_curve_scores
from .features import curve_features
from .map_features import curve_pca, map_feature_table, resample_curves, scale_features
from .models import make_pipeline
from .oliver_pharr import oliver_pharr
from .representations import curve_matrix

__all__ = [
    "Detector",
    "anomaly_inputs",
    "anomaly_scores",
    "choose_n_phases",
    "cluster_phases",
    "compare_random_vs_spatial",
    "curve_features",
    "curve_matrix",
    "curve_pca",
    "deconvolve",
    "detection_report",
    "evaluate",
    "learning_curve_scores",
    "make_pipeline",
    "map_feature_table",
    "oliver_pharr",
    "oliver_pharr_baseline",
    "out_of_range_check",
    "property_errors",
    "resample_curves",
    "scale_features",
    "score_clustering",
]
