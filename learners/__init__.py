"""IndentLab's analysis and machine learning on indentation curves.

Units throughout: load mN, displacement nm, time s, E and H GPa, energy pJ (mN nm).

Public functions
----------------
oliver_pharr : hardness and modulus of one curve (dict) or a batch (DataFrame).
curve_features : the Oliver-Pharr columns plus energies, Kick's C, pop-in, creep, drift.
map_feature_table, scale_features, resample_curves, curve_pca : feature tables of maps.
cluster_phases, choose_n_phases, deconvolve : unsupervised phase identification.
score_clustering, property_errors : clustering scored against the simulator's truth.
Detector, anomaly_inputs, anomaly_scores, detection_report : anomalous-curve detection.
"""

from .anomaly import Detector, anomaly_inputs, anomaly_scores, detection_report
from .cluster_scores import property_errors, score_clustering
from .clustering import choose_n_phases, cluster_phases
from .deconvolution import deconvolve
from .features import curve_features
from .map_features import curve_pca, map_feature_table, resample_curves, scale_features
from .oliver_pharr import oliver_pharr

__all__ = [
    "Detector",
    "anomaly_inputs",
    "anomaly_scores",
    "detection_report",
    "choose_n_phases",
    "cluster_phases",
    "curve_features",
    "curve_pca",
    "deconvolve",
    "map_feature_table",
    "oliver_pharr",
    "property_errors",
    "resample_curves",
    "scale_features",
    "score_clustering",
]
