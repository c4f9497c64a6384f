"""Pure computations of the leakage section of Classify curves: how the blocks and the
buffer were chosen, and the tables the page shows (no Streamlit here).

The learners do the measuring (:mod:`learners.supervised.leakage`,
:mod:`learners.supervised.variogram`); this module picks the settings by the book from the
map and turns the measurement into rows a learner reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from learners.supervised.leakage import INTERVAL_SE, LeakageMeasurement, leakage_verdict
from learners.supervised.representations import CurveFeatures, curve_matrix
from learners.supervised.splits import spatial_blocks
from learners.supervised.variogram import (
    Variogram,
    default_block_um,
    default_buffer_um,
    empirical_variogram,
)

#: Zone of influence of an indent, in contact radii (the modulus zone of the simulator).
ZONE_RADII = 4.0
#: Names of the blocked splits in the page's tables.
SPLIT_NAMES = {
    "buffered": "buffered spatial blocks",
    "day": "one day left out",
    "tip": "one tip state left out",
}


def split_name(split):
    """The learner's name of a blocked split (a kind, or a Series of kinds)."""
    if isinstance(split, pd.Series):
        return split.map(SPLIT_NAMES).fillna(split)
    return SPLIT_NAMES.get(split, split)


@dataclass
class BlockChoice:
    """The block side and buffer of the buffered split, and why.

    Attributes
    ----------
    block_um, buffer_um : float
        What the split uses [um].
    range_um : float
        Range of spatial autocorrelation of H and E (variogram) [um].
    zone_um : float
        Zone of influence of the largest indents (4 contact radii from the Oliver-Pharr
        area) [um].
    grain_um : float
        The microstructure's grain (colony, domain) size [um].
    auto : bool
        True when chosen by the book.
    shrunk : bool
        True when the block had to be smaller than the range to give every fold a block.
    variogram : Variogram
    """

    block_um: float
    buffer_um: float
    range_um: float
    zone_um: float
    grain_um: float
    auto: bool
    shrunk: bool
    variogram: Variogram


def choose_blocks(
    made, *, spacing_um: float, grain_um: float, n_splits: int, blocks: dict, block_um: float
) -> BlockChoice:
    """Block side and buffer for the buffered split of map ``made``.

    By the book (``blocks["auto"]``): the block is at least the variogram range of the
    Oliver-Pharr log H and log E and two spacings (Roberts et al. 2017), shrunk only if the
    map would hold fewer blocks than folds; the buffer is the larger of two zones of
    influence and the grain size. By hand: ``block_um`` and ``blocks["buffer_um"]``.
    """
    values = CurveFeatures(("H_GPa", "E_GPa", "A_nm2")).fit_transform(curve_matrix(made))
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.log(values[:, :2])
    xy = made.truth[["x_um", "y_um"]].to_numpy(dtype=float)
    vario = empirical_variogram(xy[:, 0], xy[:, 1], logs)
    radius_um = np.sqrt(np.nanpercentile(values[:, 2], 90) / np.pi) / 1000
    zone_um = float(ZONE_RADII * radius_um)
    if not blocks.get("auto", True):
        return BlockChoice(
            block_um, blocks["buffer_um"], vario.range_um, zone_um, grain_um, False, False, vario
        )
    block = default_block_um(vario.range_um, spacing_um)
    shrunk = False
    while (
        block > spacing_um and np.unique(spatial_blocks(xy[:, 0], xy[:, 1], block)).size < n_splits
    ):
        block, shrunk = block - 5.0 if block > 5.0 else block / 2, True
    return BlockChoice(
        block, default_buffer_um(zone_um, grain_um), vario.range_um, zone_um, grain_um,
        True, shrunk, vario,
    )  # fmt: skip


def leakage_rows(measurement: LeakageMeasurement) -> pd.DataFrame:
    """One row per blocked split: scores, gap, null gap and leakage, each with its interval.

    Columns: split, random k-fold, blocked, gap, null gap, leakage (numbers) and "±" columns
    with the half-width of each interval (:data:`INTERVAL_SE` corrected se).
    """
    s = measurement.summary
    k = INTERVAL_SE
    out = pd.DataFrame(
        {
            "split": split_name(s["split"]),
            "random k-fold": s["random"],
            "± random": k * s["random_se"],
            "blocked": s["blocked"],
            "± blocked": k * s["blocked_se"],
            "gap": s["gap"],
            "± gap": k * s["gap_se"],
        }
    )
    if "leakage" in s:
        out["null gap"] = s["null_gap"]
        out["± null"] = k * s["null_se"]
        out["leakage"] = s["leakage"]
        out["± leakage"] = k * s["leakage_se"]
    out["most frequent class"] = measurement.baseline
    return out


def leakage_verdicts(measurement: LeakageMeasurement) -> dict[str, str]:
    """Per blocked split: "leak" (leakage above its interval), "none" (0 inside it) or
    "below" (the blocked split scores higher beyond the null)."""
    return {
        r["split"]: leakage_verdict(r["leakage"], r["leakage_se"])
        for _, r in measurement.summary.iterrows()
    }


def fold_frame(measurement_split, made) -> pd.DataFrame:
    """One row per indent of a split: fold, role (test / train / buffer) and position."""
    frame = measurement_split.frame(made)
    tested = frame["fold"].to_numpy() >= 0
    first = measurement_split.train[0] if measurement_split.train else np.array([], int)
    role = np.where(tested, "test", "train")
    if measurement_split.kind == "buffered":
        fold0 = frame["fold"].to_numpy() == 0
        in_train = np.zeros(len(frame), bool)
        in_train[first] = True
        role = np.where(fold0, "test (fold 1)", np.where(in_train, "train", "buffer (fold 1)"))
    return frame.assign(role=role)


def variogram_frame(choice: BlockChoice) -> pd.DataFrame:
    """The variogram's points with the range, block and buffer for the chart."""
    return choice.variogram.table.assign(
        range_um=choice.range_um, block_um=choice.block_um, buffer_um=choice.buffer_um
    )


def over_maps_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per blocked split of :func:`learners.supervised.leakage_maps.
    summarise_over_maps`: means over the maps with ± :data:`INTERVAL_SE` se over maps."""
    k = INTERVAL_SE
    return pd.DataFrame(
        {
            "split": split_name(summary["split"]),
            "maps": summary["n_maps"],
            "random k-fold": summary["random"],
            "± random": k * summary["random_se"],
            "blocked": summary["blocked"],
            "± blocked": k * summary["blocked_se"],
            "leakage": summary["leakage"],
            "± leakage": k * summary["leakage_se"],
            "maps leaking alone": summary["maps_leaking"],
            "most frequent class": summary["baseline"],
        }
    )
