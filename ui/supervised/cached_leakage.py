"""Cached leakage measurement of the Classify page's map task (no models kept).

:func:`map_leakage` chooses the blocks and buffer (:func:`ui.supervised.leakage_tables.
choose_blocks`), measures random k-fold against the buffered spatial split (and, when the
map was measured over several days or the tip chipped, against one day or one tip state
left out), each beside the within-class null (:func:`learners.supervised.leakage.
measure_leakage`), and the positive control: a k-NN that sees only the stage position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline as sk_make_pipeline

from learners.supervised.leakage import LeakageMeasurement, measure_leakage
from learners.supervised.leakage_maps import measure_over_maps
from learners.supervised.splits import make_split, nearest_training_um
from simulator import MICROSTRUCTURES

from . import cached, leakage_tables

#: Repeats of each cross-validation (seeds seed, seed + 1): the null needs more than one.
REPEATS = 2


@dataclass
class MapLeakage:
    """What the leakage section shows.

    Attributes
    ----------
    model, control : LeakageMeasurement
        The learner's model (with the null) and the stage-position k-NN (no null: a shuffle
        of the curves does not move positions).
    blocks : leakage_tables.BlockChoice
    nearest_um : float
        Smallest distance from a test indent to a training indent under the buffered split
        (first repeat) [um].
    random_frame, buffered_frame : DataFrame
        The two splits of the first repeat, one row per indent (fold, role, x_um, y_um).
    """

    model: LeakageMeasurement
    control: LeakageMeasurement
    blocks: leakage_tables.BlockChoice
    nearest_um: float
    random_frame: pd.DataFrame
    buffered_frame: pd.DataFrame


def blocked_splits(made) -> tuple[str, ...]:
    """The buffered split, plus per day and per tip state when the map has several."""
    out = ["buffered"]
    for kind, column in (("day", "day"), ("tip", "tip_state")):
        if column in made.truth and made.truth[column].nunique() > 1:
            out.append(kind)
    return tuple(out)


@st.cache_data(max_entries=cached.MAX_SUMMARIES, show_spinner=False)
def map_leakage(data: dict, model: dict) -> MapLeakage:
    """Leakage of the model settings on the map of the data settings (``n_splits`` folds).

    Raises ValueError when a split cannot be made (too few blocks, a buffer that leaves no
    training indent).
    """
    made = cached.dataset(data)
    k = model["n_splits"] or 5
    options = data["options"]
    choice = leakage_tables.choose_blocks(
        made,
        spacing_um=options["spacing_um"],
        grain_um=MICROSTRUCTURES[options["preset"]].grain_um,
        n_splits=k,
        blocks=data.get("blocks", {"auto": True}),
        block_um=options["block_um"],
    )
    common = dict(
        n_splits=k,
        n_repeats=REPEATS,
        seed=data["seed"],
        block_um=choice.block_um,
        buffer_um=choice.buffer_um,
    )
    measured = measure_leakage(
        cached.pipeline(model, "classification"), made, blocked=blocked_splits(made), **common
    )
    positions = made.truth[["x_um", "y_um"]].to_numpy(dtype=float)
    control = measure_leakage(
        sk_make_pipeline(KNeighborsClassifier(cached.CONTROL_NEIGHBOURS)),
        made,
        blocked=("buffered",),
        X=positions,
        null=False,
        **common,
    )
    split_options = dict(n_splits=k, seed=data["seed"], block_um=choice.block_um)
    buffered = make_split(made, "buffered", buffer_um=choice.buffer_um, **split_options)
    random = make_split(made, "kfold", n_splits=k, seed=data["seed"])
    return MapLeakage(
        model=measured,
        control=control,
        blocks=choice,
        nearest_um=float(np.nanmin(nearest_training_um(buffered, positions))),
        random_frame=random.frame(made),
        buffered_frame=leakage_tables.fold_frame(buffered, made),
    )


#: Independent maps of "repeat on more maps": fewest, default, most.
MORE_MAPS = (4, 8, 12)


@st.cache_data(max_entries=cached.MAX_SUMMARIES, show_spinner=False)
def leakage_over_maps(
    data: dict, model: dict, n_maps: int, block_um: float, buffer_um: float
) -> pd.DataFrame:
    """Per-map leakage rows (:func:`learners.supervised.leakage_maps.measure_over_maps`) on
    ``n_maps`` maps of the data settings with seeds seed, seed + 1, ...: same preset, size,
    noise and instrument, new microstructure and noise; the blocks and buffer of the
    learner's map. The maps are made here and not cached (only the summary rows are kept).
    """
    first = int(data["seed"])
    probe = cached.dataset(data)
    return measure_over_maps(
        cached.pipeline(model, "classification"),
        lambda seed: cached.build_dataset(data | {"seed": seed}),
        range(first, first + int(n_maps)),
        blocked=blocked_splits(probe),
        n_splits=model["n_splits"] or 5,
        n_repeats=REPEATS,
        block_um=block_um,
        buffer_um=buffer_um,
    )


def over_maps_request(data: dict, model: dict, n_maps: int, blocks) -> dict:
    """The arguments of :func:`leakage_over_maps` for a trained run's settings and the
    blocks chosen on its map (a :class:`ui.supervised.leakage_tables.BlockChoice`)."""
    return {
        "data": data,
        "model": cached.leakage_model(model),
        "n_maps": int(n_maps),
        "block_um": float(blocks.block_um),
        "buffer_um": float(blocks.buffer_um),
    }
