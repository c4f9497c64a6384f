"""Pure computations of the course pages: progress cells, the live class tables, and text
made safe for Markdown. No Streamlit here."""

from __future__ import annotations

import re

import pandas as pd

from ui.common import exercises

PASSED, TRIED, OPEN = "✔", "✗", "○"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(text: object) -> str:
    """``text`` with every Markdown, HTML and LaTeX character backslash-escaped, so that what
    a learner typed (a nickname, a class code) shows as typed and is never rendered."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def status_cell(page_name: str, progress: dict[str, bool]) -> str:
    """The status of the exercises on the learning-path row ``page_name`` (one or more page
    titles), for a Markdown table: ✅ passed, ✗ tried, ○ not tried yet."""
    cells = []
    for exercise in exercises.EXERCISES:
        if exercise.page_title not in page_name:
            continue
        mark = {True: PASSED, False: TRIED}.get(progress.get(exercise.id), OPEN)
        cells.append(f"{mark} {exercise.title}")
    return " · ".join(cells) or "–"


def progress_table(progress: dict[str, bool]) -> pd.DataFrame:
    """One row per exercise: page, exercise, outcomes, and status ("passed", "tried", "")."""
    return pd.DataFrame(
        {
            "page": [e.page_title for e in exercises.EXERCISES],
            "exercise": [e.title for e in exercises.EXERCISES],
            "outcomes": [", ".join(map(str, e.outcomes)) or "–" for e in exercises.EXERCISES],
            "status": [
                {True: "passed", False: "tried"}.get(progress.get(e.id), "")
                for e in exercises.EXERCISES
            ],
        }
    )


def exercise_title(exercise_id: str) -> str:
    """ "Page: title" of a known exercise id; the id itself otherwise."""
    found = exercises.BY_ID.get(exercise_id)
    return f"{found.page_title}: {found.title}" if found else exercise_id


def class_overview(summary: pd.DataFrame) -> pd.DataFrame:
    """Per exercise of the registry: how many learners passed, who passed, who tried and has
    not passed yet, and the attempts; from :meth:`classroom.Store.summary`."""
    rows = []
    for exercise in exercises.EXERCISES:
        mine = summary[summary["exercise"] == exercise.id] if len(summary) else summary
        passed = sorted(mine.loc[mine["passed"].astype(bool), "learner"]) if len(mine) else []
        failed = sorted(mine.loc[~mine["passed"].astype(bool), "learner"]) if len(mine) else []
        rows.append(
            {
                "exercise": exercise_title(exercise.id),
                "passed": len(passed),
                "who passed": ", ".join(passed),
                "not yet": len(failed),
                "who tried, not yet": ", ".join(failed),
                "attempts": int(mine["attempts"].sum()) if len(mine) else 0,
            }
        )
    return pd.DataFrame(rows)


def overview_lines(overview: pd.DataFrame) -> str:
    """A Markdown list of the exercises tried so far with their counts (no nicknames)."""
    rows = overview.rename(columns={"not yet": "not_yet"})
    return "\n".join(
        f"- {escape_markdown(row.exercise)}: **{row.passed}** passed, "
        f"**{row.not_yet}** tried and not yet"
        for row in rows.itertuples(index=False)
        if row.attempts
    )


def class_csv(summary: pd.DataFrame) -> str:
    """The class summary as CSV text, with the exercise's title beside its id. Cells that a
    spreadsheet would run as a formula (=, +, -, @ first) are prefixed with a quote."""
    table = summary.copy()
    table.insert(2, "exercise title", [exercise_title(e) for e in table["exercise"]])
    for column in ("learner", "last_answer"):
        if column in table:
            table[column] = [_no_formula(v) for v in table[column]]
    return table.to_csv(index=False)


def _no_formula(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
