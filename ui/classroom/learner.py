"""The learner's side of the course on Home: join a class, see what was passed, and carry the
progress to another machine as a signed file."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

import classroom
from ui.classroom import tables
from ui.common import exercises, progress
from ui.common.store import get_store, progress_secret


def notices() -> None:
    """Show the one-time notice about the learner's link, if any."""
    text = progress.notice()
    if text:
        st.warning(text)


def join_form() -> None:
    """The join box when the link invites to a class (``?class=CODE``) not yet joined."""
    code, member = progress.class_membership()
    if not code:
        return
    if member:
        st.success(
            f"You are in class **{tables.escape_markdown(code)}**: your passed exercises "
            "show in your instructor's live view.",
            icon=":material/groups:",
        )
        return
    with st.container(border=True):
        st.markdown(
            f"**Join class {tables.escape_markdown(code)}.** Choose a nickname (1-40 "
            "characters, no real name needed): your instructor sees it beside the exercises "
            "you try. Nothing else about you is stored."
        )
        nickname = st.text_input(
            "Nickname",
            key="join_nickname",
            placeholder="e.g. Ada",
            help="Shown to your instructor only, with your exercises. 1-40 printable "
            "characters; it must differ from the others in the class.",
        )
        if st.button("Join the class", key="join_button", help="Join with this nickname."):
            try:
                member = get_store().join(code, nickname)
            except ValueError as err:
                st.error(f"**Could not join.** {tables.escape_markdown(err)}")
                return
            except sa.exc.SQLAlchemyError:
                st.error("**Could not join:** the class store cannot be reached. Try again.")
                return
            progress.set_membership(code, member)
            _bring_passes(code, member)
            st.rerun()


def _bring_passes(code: str, member: str) -> None:
    """Record in the class the exercises this learner passed before joining it."""
    passed = [ex for ex, ok in progress.passed_exercises().items() if ok]
    try:
        for exercise_id in passed:
            get_store().record(code, member, exercise_id, True, "passed before joining")
    except (ValueError, sa.exc.SQLAlchemyError):
        st.toast("Your earlier passes could not be added to the class.")


def progress_panel() -> None:
    """What this learner passed, the outcomes reached, and the progress file."""
    passed = progress.passed_exercises()
    done = {ex for ex, ok in passed.items() if ok}
    reached = exercises.outcomes_reached(done)
    st.markdown(
        f"**Your progress:** {len(done)} of {len(exercises.EXERCISES)} exercises passed; "
        f"learning outcomes reached: {', '.join(map(str, reached)) or 'none yet'}."
    )
    st.caption(
        "Your progress is kept on this copy of IndentLab under the learner token in your "
        "address bar (`?learner=...`, made when you first try an exercise): reload the page, "
        "or bookmark the link and open it again after closing the tab, and it is still there. "
        "It is not a login: anyone with the link records as you, so when you share a page, "
        "delete the `learner`, `class` and `member` parts of the address. To move to another "
        "computer or copy of the app, download the progress file and upload it there."
    )
    token = progress.token()
    download, upload = st.columns(2)
    if token is not None:
        try:
            raw = classroom.progress_file.dump(get_store().progress(token), progress_secret())
        except (ValueError, sa.exc.SQLAlchemyError) as err:
            download.warning(f"The progress file cannot be made: {tables.escape_markdown(err)}")
        else:
            download.download_button(
                "Download my progress",
                raw,
                file_name="indentlab_progress.json",
                mime="application/json",
                on_click="ignore",
                key="progress_download",
                help="A small signed file (JSON) of the exercises you tried; upload it here "
                "or on another copy of IndentLab to carry your progress over.",
            )
    else:
        download.caption("Try an exercise first: then you can download your progress.")
    uploaded = upload.file_uploader(
        "Restore progress from a file",
        type=["json"],
        key="progress_upload",
        help="A file saved with *Download my progress*. A file that was edited is refused.",
    )
    if uploaded is not None:
        kind, message = restore(uploaded.getvalue())
        getattr(upload, kind)(message)


def restore(raw: bytes) -> tuple[str, str]:
    """Add the passed exercises of a progress file to this learner's progress.

    Returns ``(kind, message)``, kind "success", "info" or "error" (then nothing changed).
    Exercises already passed, and ids this app does not know, are left alone.
    """
    try:
        saved = classroom.progress_file.load(raw, progress_secret())
    except ValueError as err:
        return "error", f"**This file was not loaded; nothing changed.** {err}"
    known = {ex for ex, row in saved.items() if ex in exercises.BY_ID and _passed(row)}
    have = {ex for ex, ok in progress.passed_exercises().items() if ok}
    new = sorted(known - have)
    if not new:
        return "info", "Your progress already holds every exercise passed in this file."
    try:
        token = progress.token(create=True)
        for exercise_id in new:
            get_store().record_progress(token, exercise_id, True, "restored from a progress file")
    except (ValueError, sa.exc.SQLAlchemyError) as err:
        return "error", f"**The progress could not be restored.** {tables.escape_markdown(err)}"
    titles = ", ".join(tables.exercise_title(ex) for ex in new)
    return "success", f"Restored {len(new)} passed exercise(s): {titles}."


def _passed(row: object) -> bool:
    return isinstance(row, dict) and row.get("passed") is True
