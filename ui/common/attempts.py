"""Tries of an exercise, kept in the learner's session: graded hints, and the answer only
after :data:`TRIES_BEFORE_ANSWER` tries or on request."""

from __future__ import annotations

import streamlit as st

#: Session-state key: {exercise id: list of the distinct attempts, in order}.
ATTEMPTS = "exercise_attempts"
#: Session-state key: the exercises whose answer the learner asked for.
SHOWN = "exercise_answers_shown"
#: Wrong tries after which the answer is given without being asked for.
TRIES_BEFORE_ANSWER = 3


def record(exercise: str, attempt) -> int:
    """Record ``attempt`` of ``exercise`` (a tuple is taken in any order: a pair of features
    is one attempt whichever comes first); return the number of distinct attempts so far,
    this one included (the same attempt again is not a new try)."""
    if isinstance(attempt, tuple):
        attempt = tuple(sorted(map(str, attempt)))
    store = st.session_state.setdefault(ATTEMPTS, {})
    tried = store.setdefault(exercise, [])
    if attempt not in tried:
        tried.append(attempt)
    return len(tried)


def tries(exercise: str) -> int:
    """Distinct attempts of ``exercise`` so far."""
    return len(st.session_state.get(ATTEMPTS, {}).get(exercise, []))


def answer_button(exercise: str, key: str, after: int = TRIES_BEFORE_ANSWER) -> bool:
    """A "Show the answer" button; True once pressed (kept for the session) or once the
    learner has had ``after`` tries (:data:`TRIES_BEFORE_ANSWER` unless a question with
    few choices needs fewer)."""
    shown = st.session_state.setdefault(SHOWN, set())
    if st.button(
        "Show the answer",
        key=key,
        icon=":material/lightbulb:",
        help="Gives the answer now. Without it the answer comes after "
        f"{after} different tries; each wrong try gives a sharper hint.",
    ):
        shown.add(exercise)
    return exercise in shown or tries(exercise) >= after
