"""Attempt rows -> one row per learner and exercise (pandas, no database)."""

from __future__ import annotations

import pandas as pd

#: Columns of :func:`per_exercise`, after the grouping columns.
PER_EXERCISE_COLUMNS = [
    "passed",
    "attempts",
    "wrong_answers",
    "first_passed_at",
    "last_attempt_at",
    "last_answer",
]
#: Columns of the attempt table that :func:`per_exercise` reads, besides the grouping ones.
ATTEMPT_COLUMNS = ["exercise", "passed", "answer", "at"]


def per_exercise(attempts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per ``by + ["exercise"]`` from attempt rows in the order they were made.

    ``attempts`` has the ``by`` columns and :data:`ATTEMPT_COLUMNS` (``at`` a timestamp,
    naive ones taken as UTC). Returns ``by``, ``exercise`` and :data:`PER_EXERCISE_COLUMNS`:
    ``passed`` whether any attempt passed, ``attempts`` how many, ``wrong_answers`` how many
    failed, ``first_passed_at`` the first passing attempt's time (NaT if none),
    ``last_attempt_at`` and ``last_answer`` (None if not given) of the latest attempt.
    Sorted by the grouping columns.
    """
    keys = [*by, "exercise"]
    if attempts.empty:
        return pd.DataFrame(columns=[*keys, *PER_EXERCISE_COLUMNS])
    frame = attempts.assign(
        at=pd.to_datetime(attempts["at"], utc=True), passed=attempts["passed"].astype(bool)
    )
    groups = frame.groupby(keys, sort=True)
    out = groups.agg(
        passed=("passed", "any"),
        attempts=("passed", "size"),
        last_attempt_at=("at", "max"),
    )
    out["wrong_answers"] = out["attempts"] - groups["passed"].sum()
    out["first_passed_at"] = frame[frame["passed"]].groupby(keys)["at"].min()
    last = groups.tail(1).set_index(keys)["answer"]
    out["last_answer"] = last.astype(object).where(last.notna(), None)
    out = out.reset_index()
    out["attempts"] = out["attempts"].astype("int64")
    out["wrong_answers"] = out["wrong_answers"].astype("int64")
    return out[[*keys, *PER_EXERCISE_COLUMNS]]


def wrong_answer_counts(attempts: pd.DataFrame) -> pd.DataFrame:
    """How often each wrong answer was given: columns ``answer`` (spaces trimmed),
    ``count`` (attempts) and ``learners`` (distinct ``learner_id``), most frequent first.

    ``attempts`` has ``learner_id``, ``passed`` and ``answer``; attempts that passed or
    gave no answer are not counted.
    """
    wrong = attempts[~attempts["passed"].astype(bool) & attempts["answer"].notna()]
    if wrong.empty:
        return pd.DataFrame(
            {
                "answer": pd.Series(dtype=object),
                "count": pd.Series(dtype="int64"),
                "learners": pd.Series(dtype="int64"),
            }
        )
    wrong = wrong.assign(answer=wrong["answer"].astype(str).str.strip())
    out = (
        wrong.groupby("answer")
        .agg(count=("learner_id", "size"), learners=("learner_id", "nunique"))
        .reset_index()
        .sort_values(["count", "answer"], ascending=[False, True], ignore_index=True)
    )
    return out.astype({"count": "int64", "learners": "int64"})
