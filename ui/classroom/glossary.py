"""The glossary: the ML and nanoindentation terms the pages use, in one dict.

Help texts link to the Glossary page (``/glossary``); ``?glossary_search=TERM`` opens it
filtered to a term.
"""

from __future__ import annotations

#: Term -> (kind, definition); kind "indentation" or "ML".
TERMS: dict[str, tuple[str, str]] = {
    "Load-displacement curve (P-h)": (
        "indentation",
        "The load P (mN) on the tip against its displacement h (nm) into the surface, over "
        "loading, hold and unloading.",
    ),
    "Hardness H": (
        "indentation",
        "Mean contact pressure under the tip at peak load, H = P_max / A (GPa).",
    ),
    "Reduced modulus E_r": (
        "indentation",
        "The combined stiffness of sample and tip, from the unloading slope: "
        "E_r = √π S / (2 β √A); the sample's E follows by removing the diamond's compliance.",
    ),
    "Young's modulus E": ("indentation", "The sample's elastic modulus (GPa)."),
    "Contact stiffness S": (
        "indentation",
        "The slope dP/dh at the start of unloading (mN/nm).",
    ),
    "Contact depth h_c": (
        "indentation",
        "The depth over which tip and sample touch at peak load: h_c = h_max − ε P_max / S.",
    ),
    "h_max, h_f": (
        "indentation",
        "The deepest point of the test, and the residual depth after unloading (nm).",
    ),
    "Area function": (
        "indentation",
        "The projected contact area as a function of h_c; A = 24.5 h_c² for an ideal "
        "Berkovich tip, calibrated on fused silica for a real one.",
    ),
    "Oliver-Pharr method": (
        "indentation",
        "The standard analysis: fit the unloading branch, take S, compute h_c, A, H and E_r "
        "(Oliver and Pharr, J. Mater. Res. 7 (1992) 1564).",
    ),
    "Berkovich tip": ("indentation", "A three-sided diamond pyramid, the usual nanoindenter tip."),
    "Pile-up": (
        "indentation",
        "Material pushed up around the indent (soft metals): the true contact area is larger "
        "than Oliver-Pharr assumes, so H and E come out too high.",
    ),
    "Sink-in": ("indentation", "The surface bending down around the tip, as Oliver-Pharr assumes."),
    "Thermal drift": (
        "indentation",
        "The frame or sample expanding during the test: depth changes at constant load.",
    ),
    "Creep": ("indentation", "Depth growing at constant load during the hold (time-dependent)."),
    "Pop-in": (
        "indentation",
        "A sudden burst of depth at almost constant load (dislocation nucleation, cracking).",
    ),
    "Indentation size effect": (
        "indentation",
        "Hardness rising at small depths (geometrically necessary dislocations).",
    ),
    "Elastic and plastic work W_e, W_p": (
        "indentation",
        "The areas under unloading (given back) and between the branches (spent), in pJ.",
    ),
    "Grid indentation (property map)": (
        "indentation",
        "Many indents on a regular grid; spacing ≥ 10 × depth keeps them independent, and "
        "depth ≲ D / 10 keeps each inside one phase of size D.",
    ),
    "Supervised learning": (
        "ML",
        "Learning a mapping from inputs to known labels or values (classification, regression).",
    ),
    "Unsupervised learning": (
        "ML",
        "Finding structure without labels: clusters, low-dimensional projections, anomalies.",
    ),
    "Feature": (
        "ML",
        "A number computed from the raw data that a model receives (H, S, W_p / W_t, drift "
        "rate ...).",
    ),
    "Full-curve representation": (
        "ML",
        "The whole curve resampled on a common grid, given to the model instead of features.",
    ),
    "PCA": (
        "ML",
        "Principal component analysis: a few directions that carry most of the variance.",
    ),
    "Clustering": (
        "ML",
        "Grouping points by similarity: k-means, Gaussian mixture, agglomerative, DBSCAN, HDBSCAN.",
    ),
    "Gaussian mixture (GMM)": (
        "ML",
        "Clustering as a sum of Gaussians, each with its own size, shape and share.",
    ),
    "BIC": (
        "ML",
        "Bayesian information criterion: fit against complexity, to pick a number of clusters.",
    ),
    "ARI": (
        "ML",
        "Adjusted Rand index: agreement of a clustering with the truth, 1 perfect, 0 chance.",
    ),
    "Classification": ("ML", "Predicting a category (phase, material, curve quality)."),
    "Regression": ("ML", "Predicting a number (H, E)."),
    "Cross-validation": (
        "ML",
        "Scoring a model on held-out folds of the data, each in turn, to estimate how it "
        "does on new data.",
    ),
    "Spatially blocked split": (
        "ML",
        "Cross-validation whose folds are regions of the map, so neighbours do not leak "
        "between training and test.",
    ),
    "Data leakage": (
        "ML",
        "Information about the answer reaching the model in training that it will not have in use.",
    ),
    "Within-class null": (
        "ML",
        "The same map with its curves shuffled among indents of the same class: it keeps where "
        "each class is and removes what neighbours share beyond their label. Leakage is the "
        "random-vs-blocked gap beyond the null's gap.",
    ),
    "Independent maps": (
        "ML",
        "The same settings with new seeds: a new microstructure and new noise. The spread of a "
        "score over them gives a valid interval when one map has too few folds (Nadeau & "
        "Bengio 2003).",
    ),
    "Trend test (Page's L)": (
        "ML",
        "Tests whether a score rises with an ordered setting (e.g. the tip-wear rate), each "
        "map ranking the settings, rather than comparing only two settings.",
    ),
    "Clever Hans": (
        "ML",
        "A model right for the wrong reason: it uses a shortcut (e.g. drift that goes with "
        "the label in training only).",
    ),
    "Confusion matrix": ("ML", "Counts of true against predicted classes."),
    "Overfitting": ("ML", "Learning the noise of the training data: good there, poor on new data."),
    "Extrapolation": (
        "ML",
        "Predicting outside the range of the training data, where models are least reliable.",
    ),
    "Anomaly detection": (
        "ML",
        "Flagging unusual samples without labels: Isolation Forest, LOF, One-Class SVM, "
        "robust z-score ...",
    ),
    "Recall and false-alarm rate": (
        "ML",
        "The share of real defects caught, and the share of good curves flagged.",
    ),
    "LIME": (
        "ML",
        "Local interpretable model-agnostic explanations: a simple model fitted around one "
        "prediction to say which inputs drove it.",
    ),
    "Permutation importance": (
        "ML",
        "How much a model's score drops when one input is shuffled.",
    ),
    "Partial dependence": ("ML", "The model's average prediction as one input varies."),
    "Interpretability": (
        "ML",
        "Being able to say why a model decided, and to check that reason against physics.",
    ),
}


def search(query: str) -> dict[str, tuple[str, str]]:
    """The terms whose name or definition contains ``query`` (case-insensitive; all for
    an empty query)."""
    needle = (query or "").strip().casefold()
    return {
        term: entry
        for term, entry in sorted(TERMS.items(), key=lambda item: item[0].casefold())
        if needle in term.casefold() or needle in entry[1].casefold()
    }
