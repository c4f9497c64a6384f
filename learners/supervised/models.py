"""Supervised models on indentation curves: a representation, scaling and a model in one Pipeline.

``make_pipeline("features", "random_forest")`` gives a scikit-learn Pipeline that takes a
curve matrix (:func:`learners.supervised.representations.curve_matrix`, shape (n_curves, 4,
n_points)) and predicts a class (classification) or H and E (regression). Every step is
fitted on the training curves only, so cross-validation of the whole Pipeline is honest.

References
----------
.. [1] F. Pedregosa et al., J. Mach. Learn. Res. 12 (2011) 2825 (scikit-learn).
.. [2] T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed.,
   Springer (2009): logistic and ridge regression, k-NN, SVM, random forests, boosting,
   neural networks.
.. [3] L. Lu et al., Proc. Natl. Acad. Sci. USA 117 (2020) 7052 (properties from curves).
   doi:10.1073/pnas.1922210117
"""

from __future__ import annotations

import numpy as np
from sklearn.base import OneToOneFeatureMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC, SVR

from ..unsupervised.map_features import SCALINGS, PositiveLogScaler, make_scaler
from .representations import representation_steps

TASK_TYPES = ("classification", "regression")
#: Classifiers of :func:`make_pipeline` and what each one is.
#: The baselines (``"most_frequent"``, ``"mean"``) ignore their inputs: every score of a real
#: model is read against theirs on the same split.
CLASSIFIERS: dict[str, str] = {
    "most_frequent": "baseline: always the most frequent class of the training curves",
    "logistic": "logistic regression (linear, L2-regularised)",
    "knn": "k-nearest neighbours (k = 5, distance-weighted)",
    "svm": "support vector machine with an RBF kernel (Platt-scaled probabilities)",
    "random_forest": "random forest (200 trees)",
    "hist_gradient_boosting": "histogram gradient boosting (100 rounds)",
    "mlp": "small neural network (one hidden layer of 32 units)",
}
#: Regressors of :func:`make_pipeline` (targets regressed in log, standardised).
REGRESSORS: dict[str, str] = {
    "mean": "baseline: always the training mean of H and of E",
    "ridge": "ridge regression (linear, L2-regularised)",
    "knn": "k-nearest neighbours (k = 5, distance-weighted)",
    "svr": "support vector regression with an RBF kernel",
    "random_forest": "random forest (200 trees)",
    "hist_gradient_boosting": "histogram gradient boosting (200 rounds)",
    "mlp": "small neural network (two hidden layers of 64 units)",
}


#: The model keys that are baselines (they ignore what they are given).
BASELINES = ("most_frequent", "mean")


def _classifier(name: str, seed: int | None):
    if name == "most_frequent":
        return DummyClassifier(strategy="most_frequent")
    if name == "logistic":
        return LogisticRegression(C=1.0, max_iter=2000)
    if name == "knn":
        return KNeighborsClassifier(n_neighbors=5, weights="distance")
    if name == "svm":
        # Platt-scaled probabilities from 5-fold internal fits (what SVC(probability=True)
        # did before scikit-learn 1.9 deprecated it); one SVC is kept for prediction.
        svc = SVC(kernel="rbf", C=1.0, gamma="scale")
        return CalibratedClassifierCV(svc, method="sigmoid", cv=5, ensemble=False)
    if name == "random_forest":
        return RandomForestClassifier(n_estimators=200, min_samples_leaf=1, random_state=seed)
    if name == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    if name == "mlp":
        return MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-3, max_iter=3000, random_state=seed)
    raise ValueError(
        f"model must be one of {', '.join(CLASSIFIERS)} for classification. Got {name!r}."
    )


def _regressor(name: str, seed: int | None):
    if name == "mean":
        return DummyRegressor(strategy="mean")
    if name == "ridge":
        return Ridge(alpha=1.0)
    if name == "knn":
        return KNeighborsRegressor(n_neighbors=5, weights="distance")
    if name == "svr":
        return MultiOutputRegressor(SVR(kernel="rbf", C=10.0, epsilon=0.01, gamma="scale"))
    if name == "random_forest":
        return RandomForestRegressor(n_estimators=200, random_state=seed)
    if name == "hist_gradient_boosting":
        return MultiOutputRegressor(HistGradientBoostingRegressor(max_iter=200, random_state=seed))
    if name == "mlp":
        return MLPRegressor(
            hidden_layer_sizes=(64, 64),
            alpha=1e-3,
            solver="lbfgs",
            max_iter=2000,
            random_state=seed,
        )
    raise ValueError(f"model must be one of {', '.join(REGRESSORS)} for regression. Got {name!r}.")


class LogStandardScaler(OneToOneFeatureMixin, PositiveLogScaler):
    """A :class:`~learners.unsupervised.map_features.PositiveLogScaler` with feature names."""


def _scaling_method(scaling, task_type: str) -> str:
    if scaling is True:
        return "standard" if task_type == "classification" else "log"
    if scaling is False or scaling is None:
        return "none"
    if scaling not in SCALINGS:
        raise ValueError(
            f"scaling must be True, False or one of {', '.join(SCALINGS)}. Got {scaling!r}."
        )
    return scaling


def make_pipeline(
    representation: str,
    model: str,
    *,
    scaling: bool | str = True,
    seed: int | None = 0,
    task_type: str = "classification",
    log_targets: bool = True,
    **representation_options,
) -> Pipeline:
    """A scikit-learn Pipeline from curves to a prediction.

    Parameters
    ----------
    representation : {"op", "features", "curve", "pca"}
        What the model sees (:data:`learners.supervised.representations.REPRESENTATIONS`).
    model : str
        A key of :data:`CLASSIFIERS` (classification) or :data:`REGRESSORS` (regression).
    scaling : bool or {"standard", "log", "robust", "none"}, default True
        How the features are scaled (fitted on the training curves) before the model.
        ``"standard"``: mean 0, sd 1; ``"log"``: log of the columns that are positive, then
        standardised (hardness, modulus, depths and loads follow power laws, which the log
        makes linear); ``"robust"``: median 0, interquartile range 1; ``"none"`` or False:
        no scaling. True means ``"standard"`` for classification and ``"log"`` for
        regression. Distance- and gradient-based models (k-NN, SVM, MLP, logistic, ridge)
        need scaling; trees do not.
    seed : int or None, default 0
        Random state of every random step (PCA, forests, boosting, MLP, SVM probabilities).
    task_type : {"classification", "regression"}, default "classification"
        Regression predicts the columns of the targets (``H_GPa``, ``E_GPa``) together.
    log_targets : bool, default True
        Regression only: fit log(target), standardised, and predict exp of it (H and E are
        positive and span two decades; relative errors matter). Not for the baseline
        ``"mean"``, which predicts the arithmetic training mean.
    **representation_options
        Passed to :func:`learners.supervised.representations.representation_steps` (n_grid, on,
        n_components, features, nu).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``representation``, ``impute``, [``standardise``, ``pca``], [``scale``],
        ``model``. Input: a curve matrix of shape (n_curves, 4, n_points);
        ``pipeline[:-1].get_feature_names_out()`` names what the model sees.

    Raises
    ------
    ValueError
        For an unknown representation, model, scaling or task type (the message lists the
        allowed values).

    Examples
    --------
    >>> from simulator import make_dataset
    >>> from learners.supervised.representations import curve_matrix
    >>> d = make_dataset("material", 100, seed=0)
    >>> pipe = make_pipeline("op", "logistic").fit(curve_matrix(d), d.y)
    >>> list(pipe[:-1].get_feature_names_out())
    ['H_GPa', 'E_GPa']
    """
    if task_type not in TASK_TYPES:
        raise ValueError(f"task_type must be one of {', '.join(TASK_TYPES)}. Got {task_type!r}.")
    allowed = CLASSIFIERS if task_type == "classification" else REGRESSORS
    if model not in allowed:
        raise ValueError(
            f"model must be one of {', '.join(allowed)} for {task_type}. Got {model!r}."
        )
    method = _scaling_method(scaling, task_type)
    steps = representation_steps(representation, seed=seed, **representation_options)
    if method == "log":
        steps.append(("scale", LogStandardScaler()))
    elif method != "none":
        steps.append(("scale", make_scaler(method)))
    if task_type == "classification":
        estimator = _classifier(model, seed)
    else:
        estimator = _regressor(model, seed)
        if log_targets and model not in BASELINES:  # the baseline predicts the plain mean
            target = Pipeline(
                [
                    ("log", FunctionTransformer(np.log, np.exp, check_inverse=False)),
                    ("standardise", StandardScaler()),
                ]
            )
            estimator = TransformedTargetRegressor(regressor=estimator, transformer=target)
    steps.append(("model", estimator))
    return Pipeline(steps)


__all__ = [
    "BASELINES",
    "CLASSIFIERS",
    "REGRESSORS",
    "TASK_TYPES",
    "LogStandardScaler",
    "make_pipeline",
]
