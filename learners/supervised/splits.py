"""Train/test splits for honest evaluation, kept so that a page can draw them.

A split says which curves trained each model and which tested it:

- ``"random"``: one stratified train/test split (``test_size`` held out);
- ``"kfold"``: (stratified) k-fold cross-validation, shuffled;
- ``"spatial"``: k-fold over spatial blocks of an indent map (``GroupKFold`` on
  ``dataset.groups``): neighbouring indents never sit on both sides of a split;
- ``"group"``: k-fold over any groups of the dataset (e.g. the measurement day);
- ``"buffered"``: k-fold over square blocks of side ``block_um`` cut from the indent
  positions, and every training indent closer than ``buffer_um`` to a test indent dropped
  from that fold's training set (Roberts et al. 2017 [1]; Valavi et al. 2019 [3]): no test
  indent has a training indent within the buffer;
- ``"day"``, ``"tip"``: leave one measurement day (truth column ``day``) or one tip state
  (``tip_state``: before and after a chip) out;
- ``"clean_test"``: train on the whole dataset, test on its clean test set
  (``dataset.test``, the "confounded" task).

References
----------
.. [1] D. R. Roberts et al., "Cross-validation strategies for data with temporal, spatial,
   hierarchical, or phylogenetic structure", Ecography 40 (2017) 913-929.
   doi:10.1111/ecog.02881
.. [2] S. Kaufman, S. Rosset, C. Perlich, O. Stitelman, "Leakage in data mining",
   ACM Trans. Knowl. Discov. Data 6 (2012) 15. doi:10.1145/2382577.2382579
.. [3] R. Valavi, J. Elith, J. J. Lahoz-Monfort, G. Guillera-Arroita, "blockCV: An R package
   for generating spatially or environmentally separated folds for k-fold cross-validation
   of species distribution models", Methods Ecol. Evol. 10 (2019) 225.
   doi:10.1111/2041-210X.13107
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, train_test_split

#: Split kinds of :func:`make_split`.
SPLITS = ("random", "kfold", "spatial", "group", "clean_test", "buffered", "day", "tip")
#: Truth column that groups the curves of each instrument split.
INSTRUMENT_GROUPS = {"day": "day", "tip": "tip_state"}


@dataclass
class Split:
    """Which curves trained and which tested each fold.

    Attributes
    ----------
    kind : str
        One of :data:`SPLITS`.
    train, test : list of ndarray of int
        Row indices per fold. For ``"clean_test"`` the test indices are rows of
        ``dataset.test``, not of the dataset.
    fold : ndarray of int, shape (n_curves,)
        The fold in which each curve of the dataset was tested; -1 if it only trained.
    groups : ndarray or None, shape (n_curves,)
        The groups (spatial blocks, days) the split respected, if any.
    on_test_set : bool
        True when the test rows belong to ``dataset.test`` (``"clean_test"``).
    """

    kind: str
    train: list[np.ndarray]
    test: list[np.ndarray]
    fold: np.ndarray
    groups: np.ndarray | None = None
    on_test_set: bool = False

    @property
    def n_splits(self) -> int:
        """Number of folds (1 for ``"random"`` and ``"clean_test"``)."""
        return len(self.test)

    def frame(self, dataset=None) -> pd.DataFrame:
        """One row per curve of the dataset: fold, role, group and position when known.

        Parameters
        ----------
        dataset : simulator.Dataset, optional
            Adds the indent positions ``x_um``, ``y_um`` from its truth (indent maps).

        Returns
        -------
        DataFrame with columns curve, fold (-1: training only), role ("test" if ever
        tested, else "train"), group (if any), x_um and y_um (if known).
        """
        out = pd.DataFrame(
            {
                "curve": np.arange(self.fold.size),
                "fold": self.fold,
                "role": np.where(self.fold >= 0, "test", "train"),
            }
        )
        if self.groups is not None:
            out["group"] = self.groups
        truth = getattr(dataset, "truth", None)
        if truth is not None:
            for column in ("x_um", "y_um"):
                if column in truth:
                    out[column] = truth[column].to_numpy()
        return out


def make_split(
    dataset,
    split: str = "random",
    *,
    test_size: float = 0.3,
    n_splits: int = 5,
    seed: int | None = 0,
    block_um: float = 20.0,
    buffer_um: float = 0.0,
) -> Split:
    """Split a dataset's curves into training and test sets.

    Parameters
    ----------
    dataset : simulator.Dataset
        Uses ``y`` (stratification of classification tasks), ``groups``, ``task`` and
        ``test``.
    split : {"random", "kfold", "spatial", "group", "clean_test"}, default "random"
        See the module docstring.
    test_size : float, default 0.3
        Fraction of curves held out by ``"random"``, in (0, 1).
    n_splits : int, default 5
        Folds of ``"kfold"``, ``"spatial"``, ``"group"``, at least 2. ``"group"`` with fewer
        groups than folds leaves one group out per fold.
    seed : int or None, default 0
        Random state of the shuffling.
    block_um, buffer_um : float, default 20, 0
        Block side and buffer of ``"buffered"`` [um] (block > 0, buffer >= 0).

    Returns
    -------
    Split

    Raises
    ------
    ValueError
        For an unknown split or bad numbers; ``"spatial"`` without spatial blocks (only the
        ``"phase"`` task has them), ``"group"`` without groups, ``"clean_test"`` without a
        clean test set; k-fold with fewer curves or blocks than folds.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}. Got {split!r}.")
    if not (isinstance(test_size, (int, float)) and 0 < test_size < 1):
        raise ValueError(f"test_size must lie in (0, 1). Got {test_size!r}.")
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be a whole number >= 2. Got {n_splits!r}.")
    n = len(dataset.truth)
    index = np.arange(n)
    labels = _class_labels(dataset)
    if split == "clean_test":
        test = getattr(dataset, "test", None)
        if test is None:
            raise ValueError(
                "split='clean_test' needs a dataset with a clean test set (dataset.test), "
                f"as the 'confounded' task makes. Task {dataset.task!r} has none."
            )
        return Split(
            "clean_test", [index], [np.arange(len(test.truth))], np.full(n, -1), None, True
        )
    if split == "random":
        stratify = labels if labels is not None and _min_count(labels) >= 2 else None
        train, test = train_test_split(
            index, test_size=test_size, random_state=seed, stratify=stratify
        )
        return _build("random", [(np.sort(train), np.sort(test))], n)
    if split == "kfold":
        if n < n_splits:
            raise ValueError(f"n_splits = {n_splits} is more than the {n} curves.")
        if labels is not None and _min_count(labels) >= n_splits:
            folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(index, labels)
        else:
            folds = KFold(n_splits, shuffle=True, random_state=seed).split(index)
        return _build("kfold", list(folds), n)
    if split == "buffered":
        return buffered_split(dataset, block_um, buffer_um, n_splits=n_splits, seed=seed)
    if split in INSTRUMENT_GROUPS:
        column = INSTRUMENT_GROUPS[split]
        if column not in dataset.truth or dataset.truth[column].nunique() < 2:
            raise ValueError(
                f"split={split!r} needs curves of at least 2 groups in the truth column "
                f"{column!r} (a map measured over several days, or with a tip that chipped)."
            )
        groups = dataset.truth[column].to_numpy()
        k = min(int(n_splits), np.unique(groups).size)
        folds = GroupKFold(k, shuffle=True, random_state=seed).split(index, groups=groups)
        return _build(split, list(folds), n, groups)
    groups = getattr(dataset, "groups", None)
    if split == "spatial" and (groups is None or not _is_spatial(dataset)):
        raise ValueError(
            "split='spatial' needs spatial blocks: an indent map (task 'phase') whose "
            f"groups are blocks of the map. Task {dataset.task!r} has none; use 'group' "
            "for other groups."
        )
    if groups is None:
        raise ValueError(f"split='group' needs dataset.groups. Task {dataset.task!r} has none.")
    groups = np.asarray(groups)
    n_groups = np.unique(groups).size
    if n_groups < 2:
        raise ValueError(f"split={split!r} needs at least 2 groups. Got {n_groups}.")
    if split == "spatial" and n_groups < n_splits:
        raise ValueError(
            f"n_splits = {n_splits} is more than the {n_groups} spatial blocks: make the "
            "blocks smaller (block_um) or the map larger."
        )
    k = min(int(n_splits), n_groups)
    folds = GroupKFold(k, shuffle=True, random_state=seed).split(index, groups=groups)
    return _build(split, list(folds), n, groups)


def spatial_blocks(x_um: np.ndarray, y_um: np.ndarray, block_um: float) -> np.ndarray:
    """Id of the square block of side ``block_um`` [um] that holds each position."""
    if not (np.isfinite(block_um) and block_um > 0):
        raise ValueError(f"block_um must be > 0. Got {block_um!r}.")
    bx = np.floor((x_um - np.min(x_um)) / block_um).astype(int)
    by = np.floor((y_um - np.min(y_um)) / block_um).astype(int)
    return bx + (bx.max() + 1) * by


def buffered_split(
    dataset, block_um: float, buffer_um: float, *, n_splits: int = 5, seed: int | None = 0
) -> Split:
    """Blocked k-fold with a buffer (Roberts et al. 2017; Valavi et al. 2019).

    Blocks of side ``block_um`` [um] are cut from the nominal indent positions (truth
    ``x_um``, ``y_um``) and dealt to ``n_splits`` folds; in each fold every training indent
    closer than ``buffer_um`` [um] to any test indent is left out of training (it is neither
    trained on nor tested in that fold). Guarantee: no test indent has a training indent
    closer than ``buffer_um``.
    """
    truth = dataset.truth
    if not {"x_um", "y_um"} <= set(truth.columns):
        raise ValueError("split='buffered' needs indent positions x_um, y_um (an indent map).")
    if not (np.isfinite(buffer_um) and buffer_um >= 0):
        raise ValueError(f"buffer_um must be >= 0. Got {buffer_um!r}.")
    xy = truth[["x_um", "y_um"]].to_numpy(dtype=float)
    groups = spatial_blocks(xy[:, 0], xy[:, 1], block_um)
    n_groups = np.unique(groups).size
    if n_groups < n_splits:
        raise ValueError(
            f"n_splits = {n_splits} is more than the {n_groups} blocks of {block_um:g} um: make "
            "the blocks smaller or the map larger."
        )
    index = np.arange(len(truth))
    folds = []
    for train, test in GroupKFold(n_splits, shuffle=True, random_state=seed).split(
        index, groups=groups
    ):
        if buffer_um > 0:
            distance, _ = cKDTree(xy[test]).query(xy[train], k=1)
            train = train[distance >= buffer_um]
        if train.size == 0:
            raise ValueError(
                f"A buffer of {buffer_um:g} um leaves no training indent in a fold: make the "
                "buffer smaller or the blocks smaller."
            )
        folds.append((train, test))
    return _build("buffered", folds, len(truth), groups)


def nearest_training_um(split: Split, xy_um: np.ndarray) -> np.ndarray:
    """Distance from each tested indent to its nearest training indent of the same fold
    [um] (NaN for indents never tested)."""
    out = np.full(len(xy_um), np.nan)
    for train, test in zip(split.train, split.test, strict=True):
        out[test] = cKDTree(xy_um[train]).query(xy_um[test], k=1)[0]
    return out


def _build(kind: str, folds, n: int, groups=None) -> Split:
    fold = np.full(n, -1)
    for k, (_, test) in enumerate(folds):
        fold[test] = k
    train = [np.asarray(tr) for tr, _ in folds]
    test = [np.asarray(te) for _, te in folds]
    return Split(kind, train, test, fold, None if groups is None else np.asarray(groups))


def _class_labels(dataset) -> np.ndarray | None:
    """Class labels of a classification dataset (None for regression targets)."""
    y = dataset.y
    if isinstance(y, pd.DataFrame) or getattr(dataset, "classes", None) is None:
        return None
    return np.asarray(y)


def _min_count(labels: np.ndarray) -> int:
    return int(np.unique(labels, return_counts=True)[1].min())


def _is_spatial(dataset) -> bool:
    """True when the dataset's groups are spatial blocks of an indent map."""
    return "block" in dataset.truth or "indent_map" in getattr(dataset, "extra", {})


__all__ = [
    "SPLITS",
    "Split",
    "buffered_split",
    "make_split",
    "nearest_training_um",
    "spatial_blocks",
]
