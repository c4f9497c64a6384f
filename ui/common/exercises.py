"""Every exercise of the app with a stable id: the page it sits on, its title, the learning
outcomes it checks (numbers 1-5 of the course's list) and its goal.

The ids are stored in the class store with each attempt (``classroom``), so never rename
one: add a new id instead. The order is the learning path's.
"""

from __future__ import annotations

from typing import NamedTuple

from ui.anomalies.targets import EXERCISE_FALSE_ALARMS, EXERCISE_RECALL
from ui.curve.exercise import EXERCISE_PILEUP
from ui.maps.rules import DEPTH_RULE, EXERCISE_ARI, EXERCISE_PRESET, SPACING_RULE
from ui.my_data.exercise import EXERCISE_C0, GUESS_TOLERANCE

#: The course's five learning outcomes (curriculum), by number.
OUTCOMES = {
    1: "Explain the logic of supervised and unsupervised methods.",
    2: "Recognise how ML applies to indentation curves and to high-throughput maps.",
    3: "Choose a suitable workflow for clustering, classification, anomaly detection and "
    "full-curve analysis.",
    4: "Explain why interpretability matters in experimental nanomechanics.",
    5: "Judge critically whether an ML output is physically meaningful and defensible.",
}


class Exercise(NamedTuple):
    """One exercise: ``id`` (stable, stored), the ``page`` file it sits on, the page's
    ``page_title``, the exercise ``title``, the ``outcomes`` it checks and its ``goal``."""

    id: str
    page: str
    page_title: str
    title: str
    outcomes: tuple[int, ...]
    goal: str


#: The pages of the learning path, in order: (page file, title).
PATH_PAGES = (
    ("app_pages/home.py", "Home"),
    ("app_pages/indentation_curve.py", "Indentation curve"),
    ("app_pages/what_a_model_sees.py", "What a model sees"),
    ("app_pages/property_maps.py", "Property maps"),
    ("app_pages/find_phases.py", "Find the phases"),
    ("app_pages/classify_curves.py", "Classify curves"),
    ("app_pages/predict_properties.py", "Predict properties"),
    ("app_pages/find_bad_curves.py", "Find bad curves"),
    ("app_pages/explain_decision.py", "Why did the model decide?"),
    ("app_pages/is_it_physical.py", "Is it physically meaningful?"),
    ("app_pages/my_data.py", "My own data"),
)

EXERCISES = (
    Exercise(
        "curve.pileup_H",
        "app_pages/indentation_curve.py",
        "Indentation curve",
        "Pile-up: how far is H off?",
        (),
        "Guess by how many % Oliver-Pharr overestimates H when the true contact area is "
        f"{100 * EXERCISE_PILEUP:.0f} % larger (pile-up), before setting it.",
    ),
    Exercise(
        "curve.pileup_E_r",
        "app_pages/indentation_curve.py",
        "Indentation curve",
        "Pile-up: how far is E_r off?",
        (),
        "Guess by how many % Oliver-Pharr overestimates the reduced modulus E_r under the "
        "same pile-up.",
    ),
    Exercise(
        "model_sees.feature_pair",
        "app_pages/what_a_model_sees.py",
        "What a model sees",
        "The best pair of features",
        (2, 5),
        "Pick the two features that separate the classes best (within tolerance of the "
        "best of all pairs), then ask whether they are physics or instrument.",
    ),
    Exercise(
        "maps.depth_rules",
        "app_pages/property_maps.py",
        "Property maps",
        "The deepest map that obeys both rules",
        (2,),
        f"Find the deepest indents for which spacing ≥ {SPACING_RULE:g} × depth and depth ≲ "
        f"{DEPTH_RULE:g} × D still hold (one step deeper breaks a rule).",
    ),
    Exercise(
        "maps.close_phases",
        "app_pages/find_phases.py",
        "Find the phases",
        "Separate two close phases",
        (1, 2, 3),
        f"On {EXERCISE_PRESET}, find map and clustering settings that reach an ARI of at "
        f"least {EXERCISE_ARI:g}.",
    ),
    Exercise(
        "supervised.clever_hans",
        "app_pages/classify_curves.py",
        "Classify curves",
        "Beat Clever Hans",
        (3, 5),
        "Meet a model that the random split flatters, then train one that generalises to the "
        "clean test set.",
    ),
    Exercise(
        "supervised.out_of_range",
        "app_pages/predict_properties.py",
        "Predict properties",
        "Trust the physics or the model?",
        (1, 5),
        "Guess which gives the more accurate hardness outside the training range: the ML "
        "model or Oliver-Pharr.",
    ),
    Exercise(
        "anomalies.small_popins",
        "app_pages/find_bad_curves.py",
        "Find bad curves",
        "Catch the small pop-ins",
        (3,),
        f"Catch at least {100 * EXERCISE_RECALL:.0f} % of small pop-ins while flagging at most "
        f"{100 * EXERCISE_FALSE_ALARMS:.0f} % of the good curves.",
    ),
    Exercise(
        "explain.clever_hans",
        "app_pages/explain_decision.py",
        "Why did the model decide?",
        "An explanation that does not point at drift",
        (4, 5),
        "On the Clever Hans task, find inputs whose explanation no longer names drift and "
        "whose model holds on the clean test set.",
    ),
    Exercise(
        "explain.physical",
        "app_pages/is_it_physical.py",
        "Is it physically meaningful?",
        "Physically related is not physically meaningful",
        (4, 5),
        "On the phase task, find a model resting on H, E and quantities made from them that "
        "still fails at another peak load, and explain why.",
    ),
    Exercise(
        "my_data.hardness",
        "app_pages/my_data.py",
        "My own data",
        "Hardness by hand",
        (),
        "Work out the hardness of the sample's fused-silica curve from P_max and h_c with "
        f"A = {EXERCISE_C0:g} h_c² (within {100 * GUESS_TOLERANCE:.0f} %).",
    ),
)

BY_ID = {exercise.id: exercise for exercise in EXERCISES}


def on_page(page: str) -> tuple[Exercise, ...]:
    """The exercises on ``page`` (its file, e.g. ``"app_pages/my_data.py"``), in order."""
    return tuple(e for e in EXERCISES if e.page == page)


def next_page(page: str) -> tuple[str, str] | None:
    """(file, title) of the page after ``page`` on the learning path; None after the last."""
    files = [file for file, _ in PATH_PAGES]
    if page not in files:
        return None
    i = files.index(page)
    return PATH_PAGES[i + 1] if i + 1 < len(PATH_PAGES) else None


def outcomes_reached(passed: set[str] | frozenset[str]) -> list[int]:
    """The learning outcomes checked by at least one passed exercise (ids in ``passed``)."""
    return sorted({n for e in EXERCISES if e.id in passed for n in e.outcomes})
