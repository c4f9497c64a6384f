"""The Instructor page's pieces: create a class, open it with its key, the live view (who
passed, who tried, common wrong answers), the CSV export and closing the class.

The instructor key never goes into the URL. After *Open the class* it stays in this
browser session only (session state), so the live view can refresh itself.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from classroom import codes
from ui.classroom import tables
from ui.common import exercises
from ui.common.store import get_store

#: How often the live view refreshes itself.
REFRESH = "3s"
_OPEN = "_instructor_open_class"  # (code, key) of the class opened in this session
_NEW = "_instructor_new_class"  # (title, code, key) just created: shown once


def join_link(code: str) -> str:
    """The link learners open to join class ``code`` (this app's address + ``?class=``)."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    for suffix in ("/instructor",):
        base = base.removesuffix(suffix)
    return f"{base}/?class={code}"


def create_form() -> None:
    """Create a class: its code, the instructor key (shown once) and the join link."""
    title = st.text_input(
        "Class title",
        key="instructor_title",
        placeholder="e.g. ML for nanoindentation, Monday",
        help="Shown to nobody but you; 1-200 printable characters.",
    )
    if st.button(
        "Create a class",
        key="instructor_create",
        help="Makes a class code for learners and an instructor key for you (shown once).",
    ):
        try:
            code, key = get_store().create_class(title)
        except ValueError as err:
            st.error(f"**No class was created.** {tables.escape_markdown(err)}")
            return
        except sa.exc.SQLAlchemyError:
            st.error("**No class was created:** the class store cannot be reached.")
            return
        st.session_state[_NEW] = (code, key)
        st.session_state[_OPEN] = (code, key)
    new = st.session_state.pop(_NEW, None)
    if new:
        code, key = new
        st.success(f"Class **{code}** created and opened below.")
        st.markdown("**Instructor key** (shown only now: copy it somewhere safe):")
        st.code(key, language=None)
        st.markdown("**Join link** for your learners (they choose a nickname):")
        st.code(join_link(code), language=None)


def open_form() -> tuple[str, str] | None:
    """Open an existing class with its code and key; (code, key) of the class open now."""
    code_col, key_col = st.columns(2)
    code = code_col.text_input(
        "Class code",
        key="instructor_code",
        max_chars=20,
        placeholder="e.g. K7QM2X",
        help="The 6-character code of your class.",
    )
    key = key_col.text_input(
        "Instructor key",
        key="instructor_key",
        type="password",
        max_chars=200,
        help="The key shown once when you created the class. Without it nothing of the "
        "class is shown.",
    )
    if st.button("Open the class", key="instructor_open", help="Show this class's live view."):
        st.session_state.pop(_OPEN, None)
        try:
            get_store().summary(code, key)
        except (ValueError, PermissionError) as err:
            st.error(f"**Nothing shown.** {tables.escape_markdown(err)}")
            return None
        except sa.exc.SQLAlchemyError:
            st.error("**Nothing shown:** the class store cannot be reached.")
            return None
        st.session_state[_OPEN] = (codes.normalise_code(code), key)
    return st.session_state.get(_OPEN)


@st.fragment(run_every=REFRESH)
def live_view(code: str, key: str) -> None:
    """Per exercise: who passed, who tried and has not passed, the common wrong answers;
    refreshed every :data:`REFRESH`. Nicknames appear only in dataframes (never Markdown)."""
    store = get_store()
    try:
        summary = store.summary(code, key)
    except (ValueError, PermissionError) as err:
        st.error(f"**Nothing shown.** {tables.escape_markdown(err)}")
        return
    except sa.exc.SQLAlchemyError:
        st.warning("The class store cannot be reached just now; trying again in a moment.")
        return
    learners = summary["learner"].nunique() if len(summary) else 0
    st.markdown(
        f"**Class {tables.escape_markdown(code)}**: {learners} learner(s) with at least one "
        f"attempt. Refreshes every {REFRESH[:-1]} s."
    )
    overview = tables.class_overview(summary)
    st.markdown(tables.overview_lines(overview) or "No attempts yet.")
    st.dataframe(
        overview,
        hide_index=True,
        column_config={
            "passed": st.column_config.NumberColumn(help="Learners who passed."),
            "who tried, not yet": st.column_config.TextColumn(
                help="Learners who tried and have not passed yet: who may be stuck."
            ),
        },
    )
    tried = [e.id for e in exercises.EXERCISES if len(summary) and e.id in set(summary.exercise)]
    if tried:
        which = st.selectbox(
            "Common wrong answers of",
            tried,
            format_func=tables.exercise_title,
            key="instructor_wrong_of",
            help="The wrong answers (or settings) given to this exercise, most frequent first.",
        )
        wrong = store.common_wrong_answers(code, key, which)
        if len(wrong):
            st.dataframe(wrong, hide_index=True)
        else:
            st.caption("No wrong answers to this exercise yet.")
    st.download_button(
        "Download the class table (CSV)",
        tables.class_csv(summary),
        file_name=f"indentlab_class_{code}.csv",
        mime="text/csv",
        on_click="ignore",
        key="instructor_csv",
        help="One row per learner and exercise: passed, attempts, wrong answers, times "
        "(UTC) and the last answer.",
    )


def close_form(code: str, key: str) -> None:
    """Close the class (no new learners or answers; its table stays readable)."""
    sure = st.checkbox(
        f"Yes, close class {code}",
        key="instructor_close_sure",
        help="A closed class takes no new learners or answers. Its table stays readable.",
    )
    if st.button(
        "Close the class",
        key="instructor_close",
        disabled=not sure,
        help="Tick the box first.",
    ):
        try:
            get_store().close_class(code, key)
        except (ValueError, PermissionError) as err:
            st.error(tables.escape_markdown(err))
            return
        st.success(f"Class {code} is closed.")
