"""A workshop at once: N learners join one class and record their exercises in parallel
threads. Shared by tests/test_classroom_store.py and bench/bench_classroom.py."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Workshop:
    """What :func:`run_workshop` did, and the summary rows it must give."""

    expected: pd.DataFrame  # learner, exercise, passed, attempts, wrong_answers
    n_records: int
    errors: list[BaseException]


def plan(n_learners: int, n_exercises: int) -> list[tuple[str, list[tuple[str, bool, str]]]]:
    """Each learner's nickname and attempts (exercise, passed, answer), in order.

    Learner i passes exercise j unless (i + j) % 3 == 0; every fourth exercise gets a wrong
    attempt first, so it has two attempts.
    """
    out = []
    for i in range(n_learners):
        steps = []
        for j in range(n_exercises):
            exercise = f"ex{j:02d}"
            if j % 4 == 0:
                steps.append((exercise, False, f"wrong {j}"))
            passed = (i + j) % 3 != 0
            steps.append((exercise, passed, f"answer {i}-{j}" if passed else f"wrong {j}"))
        out.append((f"learner {i:02d}", steps))
    return out


def expected_summary(steps_by_learner: list[tuple[str, list[tuple[str, bool, str]]]]):
    rows = {}
    for nickname, steps in steps_by_learner:
        for exercise, passed, _ in steps:
            row = rows.setdefault((nickname, exercise), [False, 0, 0])
            row[0] |= passed
            row[1] += 1
            row[2] += not passed
    return pd.DataFrame(
        [(n, e, p, a, w) for (n, e), (p, a, w) in sorted(rows.items())],
        columns=["learner", "exercise", "passed", "attempts", "wrong_answers"],
    )


def run_workshop(store, code: str, n_learners: int = 30, n_exercises: int = 20) -> Workshop:
    """N threads, started together by a barrier: each joins ``code`` and records its plan.

    ``store`` may be a list of stores on one database (app replicas): learner i uses
    ``store[i % len(store)]``.
    """
    stores = store if isinstance(store, list | tuple) else [store]
    steps_by_learner = plan(n_learners, n_exercises)
    barrier = threading.Barrier(n_learners)
    errors: list[BaseException] = []

    def learner(nickname: str, steps: list[tuple[str, bool, str]], store) -> None:
        try:
            barrier.wait(timeout=60)
            learner_id = store.join(code, nickname)
            for exercise, passed, answer in steps:
                store.record(code, learner_id, exercise, passed, answer=answer)
        except BaseException as exc:  # reported by the caller, never lost in a thread
            errors.append(exc)

    threads = [
        threading.Thread(target=learner, args=(*item, stores[i % len(stores)]), name=item[0])
        for i, item in enumerate(steps_by_learner)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    n_records = sum(len(steps) for _, steps in steps_by_learner)
    return Workshop(expected_summary(steps_by_learner), n_records, errors)
