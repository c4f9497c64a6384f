"""What the supervised pages offer: the labels of tasks, representations, models and splits,
and the settings the controls give at their defaults."""

from __future__ import annotations

from learners.supervised.representations import CURVE_BRANCHES, ENGINEERED_FEATURES
from simulator.datasets import DEFAULT_MATERIALS, DEFECT_TYPES

#: Tasks of the Classify page and how they are named there.
TASK_LABELS = {
    "phase": "Phase from curve (indent map)",
    "material": "Material from curve",
    "quality": "Curve quality (good or which defect)",
    "confounded": "Clever Hans: aged or as-received?",
}


#: Representations and how the pages name them.
REPRESENTATION_LABELS = {
    "op": "Oliver-Pharr H and E",
    "features": "Engineered curve features",
    "curve": "Full curve (resampled)",
    "pca": "Full curve, principal components",
}


#: On the Clever Hans task the Oliver-Pharr representation is the physics-based contrast.
OP_CONTRAST_LABEL = "Oliver-Pharr H and E (physics-based contrast)"


MODEL_LABELS = {
    "most_frequent": "Baseline: always the most frequent class",
    "mean": "Baseline: always the training mean",
    "logistic": "Logistic regression",
    "ridge": "Ridge regression",
    "knn": "k-nearest neighbours",
    "svm": "Support vector machine (RBF)",
    "svr": "Support vector regression (RBF)",
    "random_forest": "Random forest",
    "hist_gradient_boosting": "Gradient boosting (histogram)",
    "mlp": "Small neural network (MLP)",
}


SPLIT_LABELS = {
    "random": "Random train/test split",
    "kfold": "k-fold cross-validation",
    "spatial": "Spatially blocked k-fold (maps only)",
    "group": "Grouped k-fold: leave one group out",
    "clean_test": "Train on all, test on the clean test set",
}


#: Splits of the Predict page (its curves have neither map blocks, groups nor a clean set).
REGRESSION_SPLITS = ("random", "kfold")


BRANCH_LABELS = {
    "loading": "loading",
    "hold": "hold at peak load",
    "unloading": "unloading",
    "drift_hold": "drift hold (10 % load)",
}


QUALITY_LABEL_MODES = {"type": "which defect (7 classes)", "binary": "good or defect (2 classes)"}


SCENARIO_LABELS = {
    "harder": "train on piling-up metals, test on harder materials",
    "softer": "train on moderate E/H, test on very soft metals",
}


MISCLASSIFIED_AXES = ("load-displacement (P-h)", "displacement-time (h-t)")


#: Default of every control of the Classify page, by key (also its URL parameter).
CLS_DEFAULTS: dict = {
    "cls_task": "phase",
    "cls_n": 300,
    "cls_noise": 1.0,
    "cls_seed": 0,
    "cls_preset": "dual-phase steel",
    "cls_spacing_um": 4.0,
    "cls_block_um": 20.0,
    "cls_tip_wear": 0.0,
    "cls_chip_nm": 0.0,
    "cls_drift_wander": 0.0,
    "cls_days": 1,
    "cls_auto_blocks": True,
    "cls_buffer_um": 0.0,
    "cls_materials": list(DEFAULT_MATERIALS),
    "cls_scatter_pct": 8.0,
    "cls_imbalance": 1.0,
    "cls_defects": list(DEFECT_TYPES),
    "cls_defect_rate_pct": 50,
    "cls_size_scale": 1.0,
    "cls_label_mode": "type",
    "cls_signal_pct": 4.0,
    "cls_confound_pct": 90,
    "cls_representation": "op",
    "cls_features": list(ENGINEERED_FEATURES),
    "cls_branches": list(CURVE_BRANCHES),
    "cls_components": 8,
    "cls_model": "logistic",
    "cls_split": "kfold",
    "cls_test_pct": 30,
    "cls_folds": 5,
}


#: Default of every control of the Predict page.
PROP_DEFAULTS: dict = {
    "prop_n": 300,
    "prop_E_range": (50.0, 450.0),
    "prop_ratio_range": (10.0, 100.0),
    "prop_pileup": True,
    "prop_pileup_max_pct": 40,
    "prop_noise": 1.0,
    "prop_seed": 0,
    "prop_representation": "features",
    "prop_model": "ridge",
    "prop_split": "kfold",
    "prop_test_pct": 30,
    "prop_folds": 5,
    "prop_scenario": "harder",
}


#: Tip wear rates offered on the Classify page [nm of radius per 100 indents].
TIP_WEAR_RATES = (0.0, 0.25, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0)
#: Radius a chip adds to the tip [nm], as offered; time per indent [s]; drift correlation
#: time [s].
CHIP_SIZES_NM = (0.0, 25.0, 50.0, 100.0, 200.0)
INDENT_S = 60.0
DRIFT_TAU_S = 600.0


#: Scatter of the Clever Hans task (log-normal sd of H between curves) [-].
CONFOUNDED_SCATTER = 0.06


#: The clean test set of the Clever Hans task has at least this many curves.
CLEAN_TEST_MIN = 600


N_RANGE = (40, 1000)


def default_data(task: str) -> dict:
    """The data settings the controls give at their defaults for ``task``."""
    if task == "properties":
        d = PROP_DEFAULTS
        return {
            "task": "properties",
            "n": d["prop_n"],
            "noise": d["prop_noise"],
            "seed": d["prop_seed"],
            "options": {
                "E_GPa": d["prop_E_range"],
                "E_over_H": d["prop_ratio_range"],
                "pileup": d["prop_pileup"],
                "pileup_max": d["prop_pileup_max_pct"] / 100.0,
            },
        }
    d = CLS_DEFAULTS
    options = {
        "phase": {
            "preset": d["cls_preset"],
            "spacing_um": d["cls_spacing_um"],
            "block_um": d["cls_block_um"],
            "session": None,
        },
        "material": {
            "materials": tuple(d["cls_materials"]),
            "scatter": d["cls_scatter_pct"] / 100.0,
            "class_weights": None,
        },
        "quality": {
            "defect_types": tuple(d["cls_defects"]),
            "defect_rate": d["cls_defect_rate_pct"] / 100.0,
            "size_scale": d["cls_size_scale"],
            "label_mode": d["cls_label_mode"],
        },
        "confounded": {
            "signal": d["cls_signal_pct"] / 100.0,
            "confound": d["cls_confound_pct"] / 100.0,
            "scatter": CONFOUNDED_SCATTER,
            "test_n": max(d["cls_n"], CLEAN_TEST_MIN),
        },
    }[task]
    data = {
        "task": task,
        "n": d["cls_n"],
        "noise": d["cls_noise"],
        "seed": d["cls_seed"],
        "options": options,
    }
    if task == "phase":
        data["blocks"] = {"auto": d["cls_auto_blocks"], "buffer_um": d["cls_buffer_um"]}
    return data


def default_model(page: str) -> dict:
    """The model settings the controls give at their defaults ("classify" or "properties")."""
    prefix, d = ("cls", CLS_DEFAULTS) if page == "classify" else ("prop", PROP_DEFAULTS)
    model = {
        "representation": d[f"{prefix}_representation"],
        "features": None,
        "branches": None,
        "n_components": None,
        "model": d[f"{prefix}_model"],
        "split": d[f"{prefix}_split"],
        "test_size": d[f"{prefix}_test_pct"] / 100.0 if d[f"{prefix}_split"] == "random" else None,
        "n_splits": d[f"{prefix}_folds"],
    }
    if page != "classify":
        model["scenario"] = d["prop_scenario"]
    return model
