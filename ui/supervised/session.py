"""The models a learner trained, kept in that learner's session (never shared).

A *run* is one press of "Train": the settings, the evaluation summaries (from the shared
caches of :mod:`ui.supervised.cached`) and the learner's own fitted pipeline, trained on the
training curves of the chosen split. Runs live in ``st.session_state`` under
:data:`RUNS`, per page and keyed by the settings, so nothing a learner trained is lost on a
rerun or a visit to another page, and a later page (e.g. an explanation page) can pick up the
fitted model. Each page keeps at most :data:`MAX_RUNS` runs (the oldest go first).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from learners import curve_matrix
from ui.supervised import cached, notes

#: Session-state key of the runs: {page: OrderedDict[settings key, Run]}.
RUNS = "supervised_runs"
#: Most runs kept per page and session (a fitted forest is a few MB).
MAX_RUNS = 10


@dataclass
class Outcome:
    """A result that may be missing, with the reason (e.g. too few spatial blocks)."""

    value: object = None
    message: str | None = None


@dataclass
class Run:
    """One trained model of this session, with everything the page shows about it.

    Attributes
    ----------
    number : int
        1, 2, ... in the order the learner trained them.
    data, model : dict
        The data and model settings.
    evaluation : ui.supervised.cached.Evaluation
        Scores, predictions and split of the chosen evaluation.
    extras : dict of str to Outcome
        Further results: learning curve, random-vs-spatial comparison, clean-test check ...
    pipeline : sklearn Pipeline
        Fitted in this session on the training curves of the split (all curves for k-fold).
    inputs : list of str
        What the fitted model sees (``pipeline[:-1].get_feature_names_out()``).
    seconds : float
        Wall time of the training [s] (short when the evaluations were cached).
    """

    number: int
    data: dict
    model: dict
    evaluation: cached.Evaluation
    extras: dict[str, Outcome] = field(default_factory=dict)
    pipeline: object = None
    inputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def extra(self, name: str) -> Outcome:
        return self.extras.get(name, Outcome(None, "not computed for this run"))


def settings_key(data: dict, model: dict) -> str:
    """A stable text key of the settings (tuples and lists alike)."""
    return json.dumps({"data": data, "model": model}, sort_keys=True, default=list)


def _store(page: str) -> OrderedDict:
    runs = st.session_state.setdefault(RUNS, {})
    return runs.setdefault(page, OrderedDict())


def runs(page: str) -> list[Run]:
    """The runs of ``page`` in this session, oldest first."""
    return list(_store(page).values())


def lookup(page: str, data: dict, model: dict) -> Run | None:
    """The run trained on exactly these settings, if any."""
    return _store(page).get(settings_key(data, model))


def latest(page: str) -> Run | None:
    """The run trained most recently on ``page``, if any."""
    store = _store(page)
    return next(reversed(store.values())) if store else None


def fit_in_session(data: dict, model: dict, evaluation: cached.Evaluation):
    """The learner's own model: the pipeline fitted on the split's training curves."""
    made = cached.dataset(data)
    kind = cached.task_type(data)
    rows = np.arange(made.n)
    if evaluation.split == "random":
        rows = evaluation.split_frame.loc[evaluation.split_frame["fold"] < 0, "curve"].to_numpy()
    y = made.y
    y = y.to_numpy(dtype=float)[rows] if isinstance(y, pd.DataFrame) else np.asarray(y)[rows]
    fitted = cached.pipeline(cached.evaluation_key(model), kind)
    with threadpool_limits(limits=1):
        fitted.fit(curve_matrix(made)[rows], y)
    return fitted


def train_panel(page: str, key: str, data: dict, model: dict, extras, help: str) -> Run:
    """The "Train" button and what it says; returns the run to show.

    The run trained on these settings if there is one; a new run when the button is pressed,
    or automatically when the learner has no run on this page yet (the first visit trains on
    the defaults, or on the settings of a shared link); otherwise the latest run, under a
    warning that names the settings that changed. A training that fails shows its
    ValueError and stops the page.
    """
    run = lookup(page, data, model)
    button, status = st.columns([1, 5], vertical_alignment="center")
    pressed = button.button(
        "Train", type="primary", key=key, icon=":material/model_training:", help=help
    )
    if pressed or (run is None and not runs(page)):
        try:
            with st.spinner("Training and evaluating …"):
                run = train(page, data, model, extras)
        except ValueError as err:
            st.error(f"**This model cannot be trained on these curves.** {err}")
            st.stop()
    if run is None:
        run = latest(page)
        status.warning(notes.stale_warning(run, data, model))
    else:
        status.caption(notes.run_caption(run))
    return run


def train(page: str, data: dict, model: dict, extras: dict[str, Callable[[], object]]) -> Run:
    """Evaluate the settings, compute the extras, fit the learner's model; keep the run.

    Parameters
    ----------
    page : str
        Which page's runs (e.g. "classify").
    data, model : dict
        Data and model settings.
    extras : dict of str to callable
        Further results to compute (cached functions); one that raises ValueError is kept
        as an :class:`Outcome` with the message, so the rest of the page still shows.

    Raises
    ------
    ValueError
        When the main evaluation or the fit cannot be done with these settings.
    """
    t0 = time.perf_counter()
    evaluation = cached.evaluation(data, cached.evaluation_key(model))
    outcomes = {}
    for name, compute in extras.items():
        try:
            outcomes[name] = Outcome(compute())
        except ValueError as err:
            outcomes[name] = Outcome(None, str(err))
    fitted = fit_in_session(data, model, evaluation)
    store = _store(page)
    key = settings_key(data, model)
    store.pop(key, None)
    number = max((r.number for r in store.values()), default=0) + 1
    run = Run(
        number=number,
        data=data,
        model=model,
        evaluation=evaluation,
        extras=outcomes,
        pipeline=fitted,
        inputs=[str(f) for f in fitted[:-1].get_feature_names_out()],
        seconds=time.perf_counter() - t0,
    )
    store[key] = run
    while len(store) > MAX_RUNS:
        store.popitem(last=False)
    return run
