"""The exercises of the supervised pages (make a Clever Hans model generalise; guess which
method extrapolates) and their self-checks."""

from __future__ import annotations

import math

import pandas as pd

from learners.supervised.uncertainty import Scored
from ui.common.score_text import BASELINE_NAMES, GUESSING, sentence

from .tables import bayes_accuracy, clever_hans_scores, is_fooled

GUESS_BASE = BASELINE_NAMES["classification"]

#: The exercise counts only with at least this confound (the shortcut must be there).
EXERCISE_MIN_CONFOUND = 0.8


def exercise_bar(options: dict) -> float:
    """Clean-test accuracy that counts as "generalises", from the task's settings [-].

    Half-way from chance (0.5) to :func:`bayes_accuracy`, and at least three standard errors
    of an accuracy measured on the clean test set above chance, so that a model that only
    guesses cannot pass by luck.
    """
    best = bayes_accuracy(options["signal"], options["scatter"])
    se = 0.5 / math.sqrt(options["test_n"])
    return max(0.5 + 0.5 * (best - 0.5), 0.5 + 3 * se)


def exercise_check(
    data: dict,
    scores: pd.DataFrame | None,
    fooled_before: bool,
    scored: dict[str, Scored] | None = None,
    tries: int = 1,
):
    """Feedback on "make the model generalise to the clean test set".

    ``tries``: Clever Hans runs trained in this session. The hint after a flattered run is
    graded: on the first, a question (which inputs can drift change?); from the second on,
    the physics that answers it (which inputs drift moves and which it barely does).

    ``scored``: :func:`ui.supervised.scoring.clean_test_scored` of the run. A model whose
    clean-test interval does not clear the baseline's accuracy never passes: it is told it
    is no better than guessing, whatever else holds.

    The exercise has two parts: first meet Clever Hans (a run of this session that the
    random split flatters, ``fooled_before``), then train a model whose clean-test accuracy
    reaches :func:`exercise_bar`. ``scores`` is :func:`clever_hans_scores` of the run shown.
    Returns (status, message): status "done" (success), "hint" (not yet) or "other" (the
    exercise does not apply).
    """
    if data["task"] != "confounded":
        return "other", (
            "Choose the task **Clever Hans: aged or as-received?** in the sidebar to try "
            "this exercise."
        )
    options = data["options"]
    if options["confound"] < EXERCISE_MIN_CONFOUND:
        return "other", (
            f"Set the confound back to at least {100 * EXERCISE_MIN_CONFOUND:.0f} %: the "
            "exercise is to beat the shortcut, not to measure without it."
        )
    best = bayes_accuracy(options["signal"], options["scatter"])
    bar = exercise_bar(options)
    if bar >= best:
        return "other", (
            f"With a {100 * options['signal']:.0f} % hardness difference against "
            f"{100 * options['scatter']:.0f} % scatter even a perfect model reaches only "
            f"{best:.2f}: raise the hardness difference."
        )
    if scores is None:
        return "other", "Train a model to check it on the clean test set."
    random_score, clean_score = (float(v) for v in scores["accuracy"])
    if scored is not None and not scored["clean"].beats_baseline:
        return "hint", (
            f"**Not yet: {sentence('clean-test accuracy', scored['clean'], GUESS_BASE)}.** "
            "A model must beat always answering the most frequent class before anything "
            "else about it counts. "
            + (
                "A random split flatters this one, so it learned the lab: give it inputs that "
                "drift cannot move."
                if is_fooled(scores)
                else "Give it the inputs that carry the hardness difference."
            )
        )
    fooled = is_fooled(scores)
    fooled_before = fooled_before or fooled
    if fooled:
        sharper = (
            " Sharper hint: depths, energies and the holds move with drift; Oliver-Pharr H "
            "and E barely do."
            if tries >= 2
            else ""
        )
        return "hint", (
            f"**That is Clever Hans: a random hold-out of the same days (computed for this check, "
            f"besides the headline split) says {random_score:.3f}, the clean test "
            f"{clean_score:.3f} (bar {bar:.3f}).** The model learned the lab, not the "
            f"material. Which of its inputs can thermal drift change?{sharper} Now make one "
            "that generalises: a clean-test accuracy at the bar, and a random split that no "
            "longer flatters it."
        )
    if clean_score >= bar and fooled_before:
        ceiling = ""
        if scored is not None:
            c = scored["clean"]
            ceiling = f" Its 95 % interval {c.low:.3f}–{c.high:.3f} " + (
                "contains that best: it is as good as the hardness allows."
                if c.low <= best <= c.high
                else "lies below that best."
                if c.high < best
                else "lies above that best, which only the luck of this test set allows."
            )
        return "done", (
            f"**Right: clean-test accuracy {clean_score:.3f} ≥ {bar:.3f}.** This model "
            f"generalises to a lab where drift says nothing about the class (random split "
            f"{random_score:.3f}; the best any model can do here is {best:.3f}, exactly, "
            f"from the hardness difference and its scatter).{ceiling} It uses the hardness, "
            "the physical difference, rather than the day's drift."
        )
    if clean_score >= bar:
        return "hint", (
            f"**Half done: clean-test accuracy {clean_score:.3f} ≥ {bar:.3f}.** This model is "
            "not fooled. Now meet Clever Hans: train a model the random split flatters (try "
            "the engineered curve features or the full curve) and compare its two scores."
        )
    return "hint", (
        f"**Not yet: clean-test accuracy {clean_score:.3f} < {bar:.3f}.** The model is no "
        f"longer fooled by much, but it does not find the {100 * options['signal']:.0f} % in "
        "hardness either: give it fewer, physical inputs, or a simpler model."
    )


def fooled_in_session(runs) -> bool:
    """Whether any Clever Hans run of this session was flattered by its random split."""
    return any(
        r.data["task"] == "confounded" and is_fooled(clever_hans_scores(r.extras)) for r in runs
    )


GUESSES = ("the ML model", "Oliver-Pharr", "about the same")


#: Wrong guesses after which the result is shown without being asked for (three choices:
#: two wrong tries leave only the answer).
GUESS_TRIES_BEFORE_ANSWER = 2


def guess_answer(check) -> str:
    """The right choice of :data:`GUESSES`: the method with the smaller median |error| of H
    outside the training range, "about the same" within a factor 1.25."""
    ml, op = check.error("out_of_range", "ML"), check.error("out_of_range", "Oliver-Pharr")
    ratio = max(ml, op) / max(min(ml, op), 1e-9)
    return "about the same" if ratio < 1.25 else ("the ML model" if ml < op else "Oliver-Pharr")


def guess_hint(check, tries: int) -> str:
    """A graded hint for a wrong guess that never names the answer: first what each method
    is, then (second try) the in-range errors and which way the test range moves pile-up."""
    if tries <= 1:
        return (
            "Hint: Oliver-Pharr is one equation for every material; its error comes from "
            "its assumptions (no pile-up, known tip), and pile-up grows with E/H. The ML "
            "model is a fit to the curves it saw. What happens to each when E/H leaves the "
            "training range?"
        )
    (a, b), (c, d) = check.train_E_over_H, check.test_E_over_H
    ml_in = check.error("in_range_pileup", "ML")
    op_in = check.error("in_range_pileup", "Oliver-Pharr")
    inside = (
        f"Inside the range, on pile-up curves, the ML model's median H error is "
        f"{100 * ml_in:.1f} % against Oliver-Pharr's {100 * op_in:.1f} %. "
        if math.isfinite(ml_in) and math.isfinite(op_in)
        else ""
    )
    if d <= a:
        shift = (
            "less pile-up than in training: Oliver-Pharr's own assumption holds better "
            "there, and the ML model's correction was learned for more pile-up."
        )
    else:
        shift = (
            "more pile-up than in training: Oliver-Pharr's error grows with it; whether the "
            "ML model's correction grows too depends on how the model extrapolates (trees "
            "and k-NN stay flat, smooth models may follow)."
        )
    return (
        f"Sharper hint: {inside}The test curves have E/H from {c:g} to {d:g} against "
        f"{a:g}-{b:g} in training, so {shift}"
    )


def guess_feedback(
    guess: str,
    check,
    beats_baseline: bool = True,
    *,
    tries: int = GUESS_TRIES_BEFORE_ANSWER,
    shown: bool = True,
) -> tuple[bool, str]:
    """Feedback on the guess "which is more accurate outside the training range?".

    ``beats_baseline``: whether the learner's model beats the training mean on its own
    split; if not, nothing is compared, and the guess is not marked right. A wrong guess
    gets a graded hint (:func:`guess_hint`), and the measured answer only after
    :data:`GUESS_TRIES_BEFORE_ANSWER` tries (``tries``: distinct guesses so far, this one
    included) or on request (``shown``); use :func:`reveals` for whether to show the result.
    """
    if not beats_baseline:
        return False, (
            f"Your model is {GUESSING}: inside its own range it does not beat always "
            "predicting the training mean. Train a model that does before asking how it "
            "extrapolates."
        )
    ml, op = check.error("out_of_range", "ML"), check.error("out_of_range", "Oliver-Pharr")
    truth = guess_answer(check)
    measured = f"measured median H error: ML {100 * ml:.1f} %, Oliver-Pharr {100 * op:.1f} %"
    if guess == truth:
        return True, f"Right: {truth} ({measured})."
    if not shown and tries < GUESS_TRIES_BEFORE_ANSWER:
        left = GUESS_TRIES_BEFORE_ANSWER - tries
        return False, (
            f"Not this one: not {guess}. {guess_hint(check, tries)} (The answer after "
            f"{left} more {'try' if left == 1 else 'tries'}, or on request.)"
        )
    return False, f"Not this time: {truth} ({measured}). Open the explanation below."


def reveals(correct: bool, tries: int, shown: bool, beats_baseline: bool = True) -> bool:
    """Whether the out-of-range result (numbers, charts, why) is shown: after a right
    guess, on request, after :data:`GUESS_TRIES_BEFORE_ANSWER` tries, or when the model is
    no better than guessing (nothing to guess about then)."""
    return correct or shown or tries >= GUESS_TRIES_BEFORE_ANSWER or not beats_baseline
