"""Benchmark: a workshop of N learners recording at once into the class store.

Run from the repository root::

    python bench/bench_classroom.py [--learners 30] [--exercises 20] [--backend both]

For SQLite (a file in a temp folder) and PostgreSQL (a throwaway cluster from Debian's
binaries on 127.0.0.1, as the tests start it: tests/pg_cluster.py; or the server in
``INDENTLAB_TEST_POSTGRES_URL``), N threads join one class together and record their
exercises (every fourth twice: a wrong attempt first), as tests/classroom_load.py plans.
Prints the wall time, records per second, and whether the instructor's summary matched the
plan exactly (no lost or duplicated attempt). Timings depend on the machine and its load.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from classroom_load import run_workshop  # noqa: E402
from pg_cluster import TemporaryPostgres  # noqa: E402

import classroom  # noqa: E402

COLUMNS = ["learner", "exercise", "passed", "attempts", "wrong_answers"]


def bench(url: str, n_learners: int, n_exercises: int) -> dict:
    with classroom.open_store(url) as store:
        code, key = store.create_class("Benchmark workshop")
        start = time.perf_counter()
        workshop = run_workshop(store, code, n_learners, n_exercises)
        seconds = time.perf_counter() - start
        summary = store.summary(code, key)[COLUMNS].reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(summary, workshop.expected, check_dtype=False)
        matched = True
    except AssertionError:
        matched = False
    return {
        "records": workshop.n_records,
        "seconds": seconds,
        "per_s": workshop.n_records / seconds,
        "matched": matched and not workshop.errors,
        "errors": len(workshop.errors),
    }


@contextlib.contextmanager
def postgres_url():
    url = os.environ.get("INDENTLAB_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    with TemporaryPostgres() as pg:
        yield pg.url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--exercises", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()

    print(f"{args.learners} learners x {args.exercises} exercises, all threads at once")
    print(f"{'backend':<12}{'records':>9}{'time (s)':>10}{'records/s':>11}  summary matched")
    results = {}
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'classroom.sqlite3'}"
            results["sqlite"] = bench(url, args.learners, args.exercises)
    if args.backend in ("postgresql", "both"):
        with postgres_url() as url:
            results["postgresql"] = bench(url, args.learners, args.exercises)
    for name, r in results.items():
        extra = f" ({r['errors']} threads failed)" if r["errors"] else ""
        print(
            f"{name:<12}{r['records']:>9}{r['seconds']:>10.2f}{r['per_s']:>11.0f}  "
            f"{'yes' if r['matched'] else 'NO'}{extra}"
        )


if __name__ == "__main__":
    main()
