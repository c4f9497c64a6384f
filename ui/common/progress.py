"""A learner's progress: the token in the URL, recording attempts, reading what was passed.

The learner is not logged in. Their **token** (a random secret of the class store) lives in
the URL as ``?learner=...``, so a reload or the same link in a closed-and-reopened tab
brings the progress back; a learner who joined a class also carries ``?class=CODE`` and
``?member=ID`` (the learner id the class store gave them). :func:`keep_in_url` (called by
the entry file before every page) puts these parameters back after a page switch, and adds
nothing else: the pages' own URL-bound widgets keep their parameters.

A token is made only when a learner first tries an exercise, so visitors who only read
leave nothing in the store.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from ui.common import exercises
from ui.common.store import get_store

#: URL parameters: the learner token, the class code, the learner id within the class.
LEARNER, CLASS, MEMBER = "learner", "class", "member"
#: Session-state keys (private to this module).
_STATE = "_progress_identity"
_RECORDED = "_progress_recorded"
_NOTICE = "_progress_notice"
#: Longest URL value taken as a token, class code or learner id [characters].
_MAX_PARAM = 64


def _identity() -> dict:
    return st.session_state.setdefault(_STATE, {})


def keep_in_url() -> None:
    """Adopt the learner parameters of the opened link, and put them back into the URL
    when a page switch dropped them. An unknown token is dropped with a notice."""
    me = _identity()
    for param in (LEARNER, CLASS, MEMBER):
        value = st.query_params.get(param)
        if value is not None and param not in me:
            value = str(value)[:_MAX_PARAM]
            if param == LEARNER and not _token_known(value):
                st.session_state[_NOTICE] = (
                    "The learner token in this link is unknown to this copy of IndentLab: "
                    "your progress starts afresh (upload a progress file on Home to restore it)."
                )
                del st.query_params[param]
                continue
            me[param] = value
        elif value is None and param in me:
            st.query_params[param] = me[param]


def _token_known(token: str) -> bool:
    try:
        get_store().progress(token)
    except ValueError:
        return False
    return True


def notice() -> str | None:
    """A message about the learner's link or class to show once (None: nothing)."""
    return st.session_state.pop(_NOTICE, None)


def token(create: bool = False) -> str | None:
    """This learner's token; with ``create``, a new one (put into the URL) when there is none."""
    me = _identity()
    if LEARNER not in me and create:
        me[LEARNER] = get_store().new_token()
        st.query_params[LEARNER] = me[LEARNER]
    return me.get(LEARNER)


def class_membership() -> tuple[str | None, str | None]:
    """(class code, learner id) of the class this learner joined; (code, None) when the link
    only invites them (``?class=CODE``); (None, None) outside any class."""
    me = _identity()
    return me.get(CLASS), me.get(MEMBER)


def set_membership(code: str, member: str) -> None:
    """Remember that this learner joined class ``code`` as ``member`` (and say so in the URL)."""
    me = _identity()
    me[CLASS], me[MEMBER] = code, member
    st.query_params[CLASS], st.query_params[MEMBER] = code, member
    st.session_state.pop(_RECORDED, None)


def leave_class() -> None:
    """Forget the class (the learner's own progress stays)."""
    me = _identity()
    for param in (CLASS, MEMBER):
        me.pop(param, None)
        if param in st.query_params:
            del st.query_params[param]


def record(exercise_id: str, passed: bool, answer: object = None) -> None:
    """Record one attempt at ``exercise_id`` for this learner (and their class, if any).

    Pages call it each run with the exercise's current verdict; an attempt equal to the last
    one recorded in this session (same verdict, same answer), or a pass of an exercise
    already passed, is not stored again. Store errors never stop the page: a closed class
    or a store that cannot be reached shows a notice instead.
    """
    if exercise_id not in exercises.BY_ID:
        raise KeyError(f"Unknown exercise id {exercise_id!r}: add it to ui/common/exercises.py.")
    passed = bool(passed)
    answer = None if answer is None else str(answer)[:200]
    seen = st.session_state.setdefault(_RECORDED, {})
    if seen.get(exercise_id) == (passed, answer) or (passed and seen.get(exercise_id, (0,))[0]):
        return
    store = get_store()
    code, member = class_membership()
    try:
        mine = token(create=True)
        if not (passed and passed_exercises().get(exercise_id)):
            store.record_progress(mine, exercise_id, passed, answer)
        if code and member:
            store.record(code, member, exercise_id, passed, answer)
    except ValueError as err:
        st.toast(f"Not recorded for your class: {err}", icon=":material/warning:")
    except sa.exc.SQLAlchemyError:
        st.toast("Your progress could not be saved just now.", icon=":material/warning:")
        return
    seen[exercise_id] = (passed, answer)


def passed_exercises() -> dict[str, bool]:
    """Exercise id -> passed, for every exercise this learner tried (empty without a token)."""
    mine = token()
    if mine is None:
        return {}
    try:
        return {ex: bool(row["passed"]) for ex, row in get_store().progress(mine).items()}
    except (ValueError, sa.exc.SQLAlchemyError):
        return {}


def describe(settings: object) -> str:
    """A short text of the plain settings of an attempt (``k=v`` of the scalar values), kept
    with it so the instructor sees the common wrong choices."""
    if not isinstance(settings, dict):
        return str(settings)[:200]
    plain = (str, int, float, bool)
    parts = [
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in settings.items()
        if isinstance(v, plain) or v is None
    ]
    return ", ".join(parts)[:200]
