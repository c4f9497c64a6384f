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

from .curves.calibration import Calibration, calibrate
from .curves.features import curve_features
from .curves.hertz import hertz_fit
from .curves.oliver_pharr import oliver_pharr
from .curves.popins import find_popins
from .explain.attribution import exact_attribution, explain_lime, explain_segments
from .explain.scorecard import score_explanation
from .reading.read import read_curves
from .supervised.baselines import oliver_pharr_baseline, out_of_range_check
from .supervised.evaluation import compare_random_vs_spatial, evaluate, learning_curve_scores
from .supervised.models import make_pipeline
from .supervised.representations import curve_matrix
from .unsupervised.anomaly import Detector, anomaly_inputs, anomaly_scores, detection_report
from .unsupervised.cluster_scores import property_errors, score_clustering
from .unsupervised.clustering import choose_n_phases, cluster_phases
from .unsupervised.correlative import (
    boundary_distance_um,
    interior_indents,
    micrograph_boundaries,
)
from .unsupervised.deconvolution import deconvolve
from .unsupervised.map_features import (
    curve_pca,
    map_feature_table,
    resample_curves,
    scale_features,
)

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
