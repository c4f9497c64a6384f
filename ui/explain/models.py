"""The models the explanation pages explain, kept in the learner's session.

A model trained on these pages is fitted once per settings and kept in ``st.session_state``
under :data:`STORE` (at most :data:`MAX_MODELS`, the oldest go first): it belongs to the
learner, never to the shared caches. A model the learner trained on "Classify curves" is
offered too: that page keeps its runs under ``st.session_state["supervised_runs"]
["classify"]`` (see :mod:`ui.supervised.session`), each with its data settings, model
settings, evaluation split and fitted pipeline.

Every model comes as a :class:`Choice` whose ``ref`` is the plain *model reference* that keys
:mod:`ui.explain.cached`.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import streamlit as st
from sklearn.base import is_classifier

from learners.supervised.models import CLASSIFIERS
from ui.explain import cached, tasks

#: Session-state key of the models trained here: OrderedDict[settings text, Choice].
STORE = "explain_models"
#: Most models kept per session (a fitted forest is a few MB).
MAX_MODELS = 6
#: Where "Classify curves" keeps its runs (ui.supervised.session.RUNS) and its page name.
CLASSIFY_RUNS, CLASSIFY_PAGE = "supervised_runs", "classify"
#: The option that trains a model here.
TRAIN_HERE = "train here"


@dataclass
class Choice:
    """A fitted classifier to explain.

    Attributes
    ----------
    label : str
        What it is, for the learner.
    ref : dict
        Model reference (key, data, train, pool_data, pool) for :mod:`ui.explain.cached`.
    pipeline : sklearn Pipeline
    inputs : str or None
        The key of :data:`ui.explain.tables.INPUTS` when trained here.
    seconds : float
        Wall time of the fit [s] (0 when it was already in the session).
    """

    label: str
    ref: dict
    pipeline: object
    inputs: str | None = None
    seconds: float = 0.0


def _text(key: dict) -> str:
    return json.dumps(key, sort_keys=True, default=list)


def train_here(task: str, inputs: str, model: str, n: int, seed: int) -> Choice:
    """The model with these settings, fitted on 75 % of the curves (kept in the session).

    Raises
    ------
    ValueError
        From the simulator or the learners, for settings they reject.
    """
    data = tasks.data_settings(task, n, seed)
    key = {"source": "here", "data": data, "inputs": inputs, "model": model}
    store = st.session_state.setdefault(STORE, OrderedDict())
    text = _text(key)
    if text in store:
        store.move_to_end(text)
        found = store[text]
        return Choice(found.label, found.ref, found.pipeline, found.inputs, 0.0)
    train, test = cached.split_rows(data, tasks.TEST_SIZE)
    t0 = time.perf_counter()
    pipeline = cached.fit(data, train, inputs, model)
    label = (
        f"{CLASSIFIERS[model].split(' (')[0]} on {tasks.INPUTS[inputs][0]}, "
        f"task: {tasks.TASKS[task].label}"
    )
    ref = {"key": key, "data": data, "train": train, "pool_data": data, "pool": test}
    choice = Choice(label, ref, pipeline, inputs, time.perf_counter() - t0)
    store[text] = choice
    while len(store) > MAX_MODELS:
        store.popitem(last=False)
    return choice


def classify_choices() -> dict[str, Choice]:
    """The classifiers trained on "Classify curves" in this session, by label.

    The curves to explain are the run's held-out curves when it used a random split, and
    otherwise fresh curves of the same settings (seed + 1), since the run's final model was
    fitted on all of its curves.
    """
    runs = st.session_state.get(CLASSIFY_RUNS, {}).get(CLASSIFY_PAGE, {})
    choices = {}
    for run in list(runs.values()):
        pipeline = getattr(run, "pipeline", None)
        data, model = getattr(run, "data", None), getattr(run, "model", None)
        if pipeline is None or not isinstance(data, dict) or not is_classifier(pipeline):
            continue
        evaluation = getattr(run, "evaluation", None)
        frame = getattr(evaluation, "split_frame", None)
        split = getattr(evaluation, "split", None)
        if split == "random" and frame is not None:
            fold = frame["fold"].to_numpy()
            curve = frame["curve"].to_numpy()
            train = tuple(int(i) for i in curve[fold < 0])
            pool = tuple(int(i) for i in curve[fold >= 0])
            pool_data = data
        else:
            pool_data = {**data, "seed": data["seed"] + 1}
            train = tuple(range(data["n"]))
            pool = tuple(range(data["n"]))
        if not pool:
            continue
        key = {"source": "classify", "settings": _text({"data": data, "model": model})}
        ref = {"key": key, "data": data, "train": train, "pool_data": pool_data, "pool": pool}
        label = (
            f"Classify curves, run {run.number}: {model.get('model')} on "
            f"{model.get('representation')} ({data['task']} task)"
        )
        choices[label] = Choice(label, ref, pipeline)
    return choices


def pool_rows(choice: Choice) -> np.ndarray:
    """The dataset rows of the curves to explain."""
    return np.asarray(choice.ref["pool"])
