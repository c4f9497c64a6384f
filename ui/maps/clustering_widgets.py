"""The clustering controls of Find the phases: representation, features, scaling, method and k."""

from __future__ import annotations

import streamlit as st

from learners.unsupervised.correlative import ZONE_RADII

from .widgets import FEATURE_LABELS, bound

REPRESENTATIONS = ("curve features", "full curve (PCA)")


SCALINGS = ("none", "standard", "robust", "log")


METHODS = ("kmeans", "gmm", "agglomerative", "dbscan", "hdbscan")


METHOD_LABELS = {
    "kmeans": "k-means",
    "gmm": "Gaussian mixture",
    "agglomerative": "agglomerative (Ward)",
    "dbscan": "DBSCAN",
    "hdbscan": "HDBSCAN",
}


MAX_K = 8


MAX_PCS = 5


def clustering_controls() -> dict:
    """Representation, features, scaling, method and k of the phase clustering."""
    representation = bound(
        st.radio,
        "What the clustering sees",
        REPRESENTATIONS,
        key="cluster_representation",
        help="Curve features: numbers extracted from each curve (Oliver-Pharr H and E, "
        "stiffness, energies). Full curve: the loading branch resampled at fractions of "
        "P_max, compressed to its principal components (PCA).",
    )
    columns: tuple[str, ...]
    if representation == "curve features":
        chosen = bound(
            st.multiselect,
            "Features",
            list(FEATURE_LABELS),
            default=["H (GPa)", "E (GPa)"],
            key="cluster_features",
            help="Which curve features describe each indent: H and E from Oliver-Pharr, E_r "
            "the reduced modulus, S the contact stiffness (mN/nm), h_max the depth (nm), "
            "h_f/h_max and W_p/W_t (plastic share), Kick's C = P/h² of the loading.",
        )
        columns = tuple(FEATURE_LABELS[c] for c in chosen)
    else:
        n_pcs = bound(
            st.slider,
            "Principal components",
            1,
            MAX_PCS,
            2,
            1,
            key="cluster_n_pcs",
            help="How many principal components of the resampled loading curves describe "
            "each indent (PC1 carries most of the variance).",
        )
        columns = tuple(f"PC{i}" for i in range(1, int(n_pcs) + 1))
    scaling = bound(
        st.selectbox,
        "Scaling",
        SCALINGS,
        index=SCALINGS.index("log"),
        key="cluster_scaling",
        help="How each feature is scaled before clustering: none (GPa and nm mixed), "
        "standard (mean 0, sd 1), robust (median 0, interquartile range 1: outliers such "
        "as pores move it less), log (logarithm, then standard: H and E scatter by ratios).",
    )
    method = bound(
        st.selectbox,
        "Method",
        METHODS,
        index=METHODS.index("gmm"),
        format_func=METHOD_LABELS.get,
        key="cluster_method",
        help="k-means: round clusters of similar size. Gaussian mixture: elliptical "
        "clusters of any size (Constantinides et al. 2006). Agglomerative: merges nearest "
        "groups (Ward). DBSCAN / HDBSCAN: dense regions, find the number of clusters "
        "themselves and call sparse indents noise.",
    )
    k = bound(
        st.slider,
        "Number of phases k",
        1,
        MAX_K,
        2,
        1,
        key="cluster_k",
        help="How many clusters (phases) to look for. DBSCAN and HDBSCAN find their own "
        "number; k then only sets the deconvolution.",
    )
    interior = bound(
        st.toggle,
        "Count phases on interior indents (micrograph)",
        value=True,
        key="cluster_interior",
        help="Choose the number of phases only on indents whose zone of influence holds no "
        "boundary seen in the registered micrograph. Indents near a boundary measure a "
        "mixture of two phases and make BIC ask for an extra one.",
    )
    zone_radii = bound(
        st.slider,
        "Zone of influence (contact radii)",
        2.0,
        8.0,
        ZONE_RADII,
        0.5,
        key="cluster_zone_radii",
        disabled=not interior,
        help="How far from a boundary an indent must be to count as interior, in its own "
        "contact radii (from its Oliver-Pharr contact area). The plastic zone reaches 2-3 "
        "contact radii, the elastic field further; 4 keeps the modulus clear of the "
        "neighbouring phase.",
    )
    return {
        "representation": representation,
        "columns": columns,
        "scaling": scaling,
        "method": method,
        "k": int(k),
        "zone_radii": float(zone_radii) if interior else None,
    }
