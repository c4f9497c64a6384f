"""The instructor guide, built from one source: the timed plan of the day, and per exercise
its goal, a one-click link with the exact settings, the expected answer computed by the
app's own functions (:mod:`ui.classroom.answers`) and the common mistakes.

The Instructor guide page shows :func:`build`; the printable copy is regenerated with

    python -m ui.classroom.guide > docs/instructor_guide.md

and ``tests/classroom/test_guide.py`` fails when the committed file is out of date.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from ui.anomalies.exercise import EXERCISE_SIZE
from ui.classroom import answers
from ui.common import exercises
from ui.explain.tasks import TASKS as XP_TASKS
from ui.maps.exercise import EXERCISE_PRESET
from ui.model_sees.widgets import TASKS as SEES_TASKS
from ui.supervised.options import TASK_LABELS

#: The address used in the printed guide (the page uses the address it is served from).
DEFAULT_BASE = "http://localhost:8501"

#: The URL path of each page (as in streamlit_app.py).
PAGE_URLS = {
    "app_pages/home.py": "",
    "app_pages/indentation_curve.py": "indentation-curve",
    "app_pages/what_a_model_sees.py": "what-a-model-sees",
    "app_pages/property_maps.py": "property-maps",
    "app_pages/find_phases.py": "find-phases",
    "app_pages/classify_curves.py": "classify-curves",
    "app_pages/predict_properties.py": "predict-properties",
    "app_pages/find_bad_curves.py": "find-bad-curves",
    "app_pages/explain_decision.py": "why-did-the-model-decide",
    "app_pages/is_it_physical.py": "is-it-physical",
    "app_pages/my_data.py": "my-own-data",
}


class Slot(NamedTuple):
    """One slot of the day: ``half`` (1 or 2), ``minutes``, the ``page`` file, what to do."""

    half: int
    minutes: int
    page: str
    what: str


#: The day: two halves of 90 minutes each (plus questions).
PLAN = (
    Slot(1, 10, "app_pages/home.py", "The idea (simulated data with known truth); the primer."),
    Slot(1, 10, "app_pages/indentation_curve.py", "Break each Oliver-Pharr assumption."),
    Slot(1, 12, "app_pages/what_a_model_sees.py", "Features against the full curve; PCA."),
    Slot(1, 10, "app_pages/property_maps.py", "Grids, interface mixing, the depth rules."),
    Slot(1, 13, "app_pages/find_phases.py", "Clustering, BIC, fractions against the truth."),
    Slot(1, 15, "app_pages/classify_curves.py", "Supervised learning; splits; Clever Hans."),
    Slot(1, 8, "app_pages/predict_properties.py", "Regression of H and E; out of range."),
    Slot(1, 12, "app_pages/find_bad_curves.py", "Anomaly detection scored per defect."),
    Slot(2, 35, "app_pages/explain_decision.py", "LIME against the exact attribution."),
    Slot(2, 30, "app_pages/is_it_physical.py", "The checklist: physics or artefact?"),
    Slot(2, 15, "app_pages/my_data.py", "Own data; hardness by hand; discussion."),
    Slot(2, 10, "app_pages/home.py", "Wrap-up: the five outcomes, the class table."),
)

#: The settings each exercise's link opens: URL query parameters of the page's widgets (a
#: select box's parameter holds the option's label, as Streamlit writes it).
LINK_SETTINGS: dict[str, dict[str, object]] = {
    "model_sees.feature_pair": {
        "sees_task": SEES_TASKS[answers.PAIR_DATA["task"]][2],
        "sees_n": answers.PAIR_DATA["n"],
    },
    "maps.depth_rules": {"map_nx": answers.MAP_GRID, "map_ny": answers.MAP_GRID},
    "maps.close_phases": {"map_preset": EXERCISE_PRESET},
    "supervised.clever_hans": {"cls_task": TASK_LABELS["confounded"]},
    "anomalies.small_popins": {"bad_size_scale": EXERCISE_SIZE},
    "explain.clever_hans": {"xp_task": XP_TASKS["clever_hans"].label},
    "explain.physical": {"xp_task": XP_TASKS["phase"].label},
}

#: What learners commonly get wrong, per exercise.
MISTAKES = {
    "curve.pileup_H": "Guessing the E_r factor for H, or the sign: pile-up makes both too high.",
    "curve.pileup_E_r": "Saying +30 % as for H: E_r goes with 1 / √A, not 1 / A.",
    "model_sees.feature_pair": "Taking the two best single features (they often carry the "
    "same information); on the pop-in task, a pop-in feature that is the label in disguise.",
    "maps.depth_rules": "Checking only the spacing rule, or D of the largest phase instead "
    "of the smallest.",
    "maps.close_phases": "k-means with k = 2 on deep indents: interface mixing and equal "
    "cluster sizes hide the small β population.",
    "supervised.clever_hans": "Trusting the random-split score; adding inputs instead of "
    "removing the ones drift can change.",
    "supervised.out_of_range": "Assuming the ML model extrapolates because it won inside "
    "the training range.",
    "anomalies.small_popins": "Lowering the threshold until recall is met and ignoring the "
    "false alarms; using the physical features, where a small burst hides in the noise.",
    "explain.clever_hans": "Reading a faithful explanation of a wrong model as a physical "
    "insight; keeping E and S, which the drifting unloading also carries.",
    "explain.physical": "Taking 'uses h_max and S' as physical: they scale with the load, "
    "H and E do not.",
    "my_data.hardness": "Units: 1 mN/nm² = 10⁶ GPa; using h_max instead of h_c.",
}


def link(exercise_id: str, base: str = DEFAULT_BASE) -> str:
    """The one-click link of an exercise: its page with the exercise's settings."""
    exercise = exercises.BY_ID[exercise_id]
    query = urlencode(LINK_SETTINGS.get(exercise_id, {}))
    return f"{base.rstrip('/')}/{PAGE_URLS[exercise.page]}" + (f"?{query}" if query else "")


def expected(exercise_id: str) -> str:
    """The expected answer (or the bar a setting must reach), computed now."""
    bars = answers.pass_bars()
    if exercise_id.startswith("curve.pileup_"):
        laws = answers.pileup_answers()
        quantity = exercise_id.removeprefix("curve.pileup_")
        tolerance = answers.pileup_tolerance_pct()
        return f"{laws[quantity]:+.1f} % (checked within ± {tolerance:g} percentage points)"
    if exercise_id == "my_data.hardness":
        row = answers.sample_hardness()
        return (
            f"H = {row['P_max_mN']:.4g} mN / (24.5 × ({row['hc_nm']:.4g} nm)²) = "
            f"{row['H_GPa']:.3g} GPa (within {bars['guess_tolerance']:.0%})"
        )
    if exercise_id == "model_sees.feature_pair":
        best = answers.best_pair()
        return (
            f"{best['pair']} ({best['accuracy']:.2f}); {best['n_right']} of the "
            f"{best['n_pairs']} pairs come within {bars['pair_tolerance']:.2f} of it and count"
        )
    if exercise_id == "supervised.out_of_range":
        found = answers.out_of_range_answer()
        return (
            f"{found['guess']} (median error of H outside the training range: ML "
            f"{found['ml_pct']:.1f} %, Oliver-Pharr {found['op_pct']:.1f} %)"
        )
    if exercise_id == "maps.depth_rules":
        deepest = answers.deepest_map()
        if not deepest:
            return "no step of the peak-load slider obeys both rules on this map"
        return (
            f"peak load {deepest['P_max_mN']:g} mN (h_max ≈ {deepest['h_nm']:.0f} nm: spacing "
            f"{deepest['spacing_ratio']:.1f} × the depth, depth {100 * deepest['depth_ratio']:.0f}"
            f" % of D); at {deepest['next_P_max_mN']:g} mN {' and '.join(deepest['broken'])} "
            f"fails (rules: spacing ≥ {bars['spacing_rule']:g} × h_max, h_max ≤ "
            f"{bars['depth_rule']:g} × D of the smallest phase)"
        )
    return {
        "maps.close_phases": f"ARI ≥ {bars['ari']:g}: shallow indents, Gaussian mixture, "
        "k = 2, H and E, log scaling",
        "supervised.clever_hans": "a clean-test accuracy at the page's bar, after a model "
        "the random split flattered; Oliver-Pharr H (and E) as inputs",
        "anomalies.small_popins": f"recall ≥ {bars['recall']:.0%} of pop-ins at defect size "
        f"{bars['popin_size']:g} × typical, false alarms ≤ {bars['false_alarms']:.0%}: the "
        "whole curve or its rate as input",
        "explain.clever_hans": "H alone (or H and E): LIME no longer names drift, and the "
        "clean-test accuracy holds",
        "explain.physical": f"a model on depths, stiffness or work made from H and E (nuisance "
        f"share ≤ {bars['nuisance_limit']:.0%}) that fails check 3 at another peak load",
    }[exercise_id]


def plan_table() -> str:
    """The timed plan as a Markdown table (start time within each half, page, outcomes)."""
    titles = dict(exercises.PATH_PAGES)
    lines = ["| half | time | page | what | exercises | outcomes |", "|---|---|---|---|---|---|"]
    start = {1: 0, 2: 0}
    for slot in PLAN:
        begin = start[slot.half]
        start[slot.half] += slot.minutes
        on_page = exercises.on_page(slot.page)
        outcomes = sorted({n for e in on_page for n in e.outcomes})
        lines.append(
            f"| {slot.half} | {begin // 60}:{begin % 60:02d}-{start[slot.half] // 60}:"
            f"{start[slot.half] % 60:02d} | {titles[slot.page]} | {slot.what} | "
            f"{', '.join(e.title for e in on_page) or '–'} | "
            f"{', '.join(map(str, outcomes)) or '–'} |"
        )
    return "\n".join(lines)


def build(base: str = DEFAULT_BASE) -> str:
    """The whole guide as Markdown."""
    parts = [
        "# IndentLab instructor guide",
        "",
        "Generated by `python -m ui.classroom.guide > docs/instructor_guide.md` from the "
        "app's own exercise list and functions: the expected answers below are computed, "
        "not typed. Do not edit by hand.",
        "",
        "## The day: two halves of 90 minutes",
        "",
        plan_table(),
        "",
        "Before the day: create a class on the **Instructor** page and share its join link; "
        "keep the instructor key. During each exercise, watch the live view: *tried, not "
        "yet* shows who may be stuck, *common wrong answers* what to discuss.",
        "",
        "## Learning outcomes",
        "",
        *[f"{n}. {text}" for n, text in exercises.OUTCOMES.items()],
        "",
        "## The exercises",
    ]
    for exercise in exercises.EXERCISES:
        parts += [
            "",
            f"### {exercise.page_title}: {exercise.title}",
            "",
            f"- **Id**: `{exercise.id}`; **outcomes**: "
            f"{', '.join(map(str, exercise.outcomes)) or '– (Oliver-Pharr practice)'}",
            f"- **Goal**: {exercise.goal}",
            f"- **Link**: <{link(exercise.id, base)}>",
            f"- **Expected answer**: {expected(exercise.id)}",
            f"- **Common mistakes**: {MISTAKES[exercise.id]}",
        ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(build(), end="")
