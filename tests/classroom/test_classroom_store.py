"""The class store (classroom/) on SQLite and on PostgreSQL: the same tests on both.

PostgreSQL: ``INDENTLAB_TEST_POSTGRES_URL`` names a server to use; otherwise a throwaway
cluster is started from Debian's binaries (tests/pg_cluster.py), and the PostgreSQL cases
are skipped when those are missing. Each test gets its own PostgreSQL schema.
"""

from __future__ import annotations

import json
import os
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa
from classroom_load import run_workshop
from pg_cluster import TemporaryPostgres, find_bin_dir

import classroom
from classroom import progress_file, schema
from classroom.codes import ANSWER_MAX_CHARS, CODE_ALPHABET, CODE_LENGTH

TABLES = {table.name for table in schema.metadata.sorted_tables}


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL URL whose database the tests may create schemas in."""
    url = os.environ.get("INDENTLAB_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries missing (/usr/lib/postgresql/*/bin/initdb)")
    with TemporaryPostgres() as pg:
        yield pg.url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
        return
    base = sa.engine.make_url(request.getfixturevalue("postgres_url"))
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    try:
        yield base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


@pytest.fixture
def store(store_url):
    with classroom.open_store(store_url) as s:
        yield s


def row_counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in schema.metadata.tables.items()
        }


def table_names(store) -> set[str]:
    return set(sa.inspect(store.engine).get_table_names())


def test_create_join_record_summary(store):
    code, key = store.create_class("Monday workshop")
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert len(key) >= 40
    ada = store.join(code, "  Ada ")
    bob = store.join(code.lower()[:3] + "-" + code.lower()[3:], "Bob")  # as typed
    store.record(code, ada, "curve-1", False, answer="H = 90 GPa")
    store.record(code, ada, "curve-1", True, answer="H = 9.1 GPa")
    store.record(code, ada, "maps-2", False, answer=" 3 ")
    store.record(code, bob, "maps-2", False, answer="3")
    store.record(code, bob, "maps-2", False)

    summary = store.summary(code, key)
    assert list(summary.columns[:4]) == ["learner", "exercise", "passed", "attempts"]
    got = summary[["learner", "exercise", "passed", "attempts", "wrong_answers", "last_answer"]]
    assert got.values.tolist() == [
        ["Ada", "curve-1", True, 2, 1, "H = 9.1 GPa"],
        ["Ada", "maps-2", False, 1, 1, " 3 "],
        ["Bob", "maps-2", False, 2, 2, None],
    ]
    passed_at = summary["first_passed_at"]
    assert passed_at.iloc[0].tzinfo is not None and passed_at.iloc[1:].isna().all()
    assert (summary["last_attempt_at"] >= passed_at.iloc[0]).all()

    wrong = store.common_wrong_answers(code, key, "maps-2")
    assert wrong.values.tolist() == [["3", 2, 2]]
    assert store.common_wrong_answers(code, key, "curve-1").values.tolist() == [
        ["H = 90 GPa", 1, 1]
    ]
    assert store.common_wrong_answers(code, key, "nobody-did-this").empty


def test_empty_class_summary_has_columns(store):
    code, key = store.create_class("Empty")
    summary = store.summary(code, key)
    assert summary.empty
    assert {"learner", "exercise", "passed", "attempts"} <= set(summary.columns)


def test_unknown_and_closed_class(store):
    code, key = store.create_class("Tuesday")
    ada = store.join(code, "Ada")
    other = next(c for c in ("AAAAAA", "BBBBBB") if c != code)
    with pytest.raises(ValueError, match="no class with code"):
        store.join(other, "Ada")
    with pytest.raises(ValueError, match="no class with code"):
        store.join("not a code!", "Ada")
    with pytest.raises(ValueError, match="no class with code"):
        store.record(other, ada, "ex", True)
    with pytest.raises(ValueError, match="no class with code"):
        store.summary(other, key)

    second, _ = store.create_class("Wednesday")
    with pytest.raises(ValueError, match="not in class"):
        store.record(second, ada, "ex", True)  # a learner of another class
    with pytest.raises(ValueError, match="not in class"):
        store.record(code, "forged-learner-id", "ex", True)

    store.record(code, ada, "ex", True)
    store.close_class(code, key)
    store.close_class(code, key)  # closing twice is harmless
    with pytest.raises(ValueError, match="closed"):
        store.join(code, "Late")
    with pytest.raises(ValueError, match="closed"):
        store.record(code, ada, "ex", False)
    assert store.summary(code, key)["attempts"].tolist() == [1]  # still readable


def test_forged_key_is_refused(store):
    code, key = store.create_class("Keys")
    other_code, other_key = store.create_class("Other")
    for forged in ("", key[:-1], key + "x", other_key, "y" * 10_000, None):
        with pytest.raises(PermissionError, match="Wrong instructor key"):
            store.summary(code, forged)
    with pytest.raises(PermissionError):
        store.close_class(code, other_key)
    with pytest.raises(PermissionError):
        store.common_wrong_answers(code, key[:-1], "ex")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.classes.c.key_hash)).scalars().all()
    assert all(key not in h and other_key not in h for h in stored)  # only hashes are kept
    store.join(code, "Still open")  # the forged close_class did nothing


def test_nickname_rules(store):
    code, key = store.create_class("Names")
    store.join(code, "Anna")
    before = row_counts(store)
    bad = ["", "   ", "x" * 10_000, "x" * 41, "tab\there", "line\nbreak", "nul\x00", "\x1b[31m"]
    for nickname in bad:
        with pytest.raises(ValueError, match="nickname"):
            store.join(code, nickname)
    with pytest.raises(ValueError, match="already taken"):
        store.join(code, "anna")  # case-insensitive
    with pytest.raises(ValueError, match="nickname"):
        store.join(code, None)
    assert row_counts(store) == before
    assert table_names(store) >= TABLES


def test_html_and_sql_in_nickname_are_stored_as_text(store):
    code, key = store.create_class("Names")
    tricky = [
        "<script>alert(1)</script>",
        "Robert'); DROP TABLE learners;--",
        "x'); DROP TABLE classroom_learners;--",
        'x" OR 1=1; --',
        "Zoë 🙂",
    ]
    ids = [store.join(code, nickname) for nickname in tricky]
    for learner_id in ids:
        store.record(code, learner_id, "ex'); DELETE FROM classroom_attempts;--", True, "';--")
    assert table_names(store) >= TABLES
    summary = store.summary(code, key)
    assert sorted(summary["learner"]) == sorted(tricky)
    assert set(summary["exercise"]) == {"ex'); DELETE FROM classroom_attempts;--"}
    assert row_counts(store)["classroom_attempts"] == len(tricky)


def test_answers_are_cut_and_inputs_checked(store):
    code, key = store.create_class("Answers")
    ada = store.join(code, "Ada")
    store.record(code, ada, "long", False, answer="a" * 100_000)
    store.record(code, ada, "number", True, answer=9.5)
    before = row_counts(store)
    with pytest.raises(ValueError, match="passed"):
        store.record(code, ada, "ex", "yes")
    with pytest.raises(ValueError, match="exercise_id"):
        store.record(code, ada, "x" * 81, True)
    with pytest.raises(ValueError, match="exercise_id"):
        store.record(code, ada, "", True)
    with pytest.raises(ValueError, match="title"):
        store.create_class("  ")
    assert row_counts(store) == before
    summary = store.summary(code, key).set_index("exercise")
    assert summary.loc["long", "last_answer"] == "a" * ANSWER_MAX_CHARS
    assert summary.loc["number", "last_answer"] == "9.5"


def test_learner_token_progress_and_file(store):
    token = store.new_token()
    store.record_progress(token, "curve-1", False, "wrong")
    store.record_progress(token, "curve-1", True, "right")
    store.record_progress(token, "maps-2", False)
    progress = store.progress(token)
    assert {k: (v["passed"], v["attempts"], v["last_answer"]) for k, v in progress.items()} == {
        "curve-1": (True, 2, "right"),
        "maps-2": (False, 1, None),
    }
    assert progress["curve-1"]["first_passed_at"].endswith("+00:00")
    assert store.progress(store.new_token()) == {}
    with pytest.raises(ValueError, match="Unknown learner token"):
        store.progress("a-token-nobody-was-ever-given-xx")
    with pytest.raises(ValueError, match="Unknown learner token"):
        store.record_progress("short", "ex", True)
    with store.engine.connect() as conn:
        digests = conn.execute(sa.select(schema.tokens.c.digest)).scalars().all()
    assert token not in digests  # only the token's digest is stored

    raw = progress_file.dump(progress, secret="s3cret")
    assert progress_file.load(raw, secret="s3cret") == progress


def test_schema_version_and_reopen(store_url):
    with classroom.open_store(store_url) as first:
        assert first.schema_version == classroom.SCHEMA_VERSION == 1
        code, key = first.create_class("Persisted")
        first.record(code, first.join(code, "Ada"), "ex", True)
    with classroom.open_store(store_url) as again:  # an existing v1 database
        assert again.summary(code, key)["attempts"].tolist() == [1]
        with again.engine.connect() as conn:
            assert schema.read_version(conn) == 1
            assert (
                conn.execute(
                    sa.select(sa.func.count()).select_from(schema.schema_version)
                ).scalar_one()
                == 1
            )


def test_migrations_run_in_order(store_url):
    with classroom.open_store(store_url) as store:
        code, key = store.create_class("Before v2")
        engine = store.engine
        ran = []

        def to_v2(conn):
            ran.append(2)
            conn.execute(sa.text("CREATE TABLE classroom_v2_extra (id INTEGER PRIMARY KEY)"))

        assert schema.ensure_schema(engine, target=2, migrations=[to_v2]) == 2
        assert schema.ensure_schema(engine, target=2, migrations=[to_v2]) == 2
        assert ran == [2]  # once only
        assert "classroom_v2_extra" in table_names(store)
        with pytest.raises(classroom.SchemaVersionError, match="No migration"):
            schema.ensure_schema(engine, target=3, migrations=[to_v2])
        assert store.summary(code, key).empty  # a failed migration changed nothing


def test_future_schema_version_is_refused(store_url):
    with classroom.open_store(store_url) as store:
        with store.engine.begin() as conn:
            conn.execute(sa.update(schema.schema_version).values(version=99))
    with pytest.raises(classroom.SchemaVersionError, match="schema version 99, newer"):
        classroom.open_store(store_url)


def test_open_store_from_engine_and_default(store_url, tmp_path, monkeypatch):
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:  # a connection pooled before the store existed
        conn.execute(sa.text("SELECT 1"))
    with classroom.open_store(engine) as store:
        code, key = store.create_class("Engine")
        store.join(code, "Ada")
    with engine.connect() as conn:  # close() left the caller's engine usable
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.learners)).scalar() == 1
    engine.dispose()

    monkeypatch.setenv("INDENTLAB_STORE_URL", store_url)
    with classroom.open_store() as store:
        assert store.summary(code, key).empty
    monkeypatch.delenv("INDENTLAB_STORE_URL")
    monkeypatch.setenv("HOME", str(tmp_path))
    with classroom.open_store() as store:
        assert store.engine.url.database == str(tmp_path / ".indentlab" / "classroom.sqlite3")


def test_workshop_of_30_learners_at_once(store):
    code, key = store.create_class("Concurrent")
    workshop = run_workshop(store, code, n_learners=30, n_exercises=20)
    assert workshop.errors == []
    summary = store.summary(code, key)
    columns = ["learner", "exercise", "passed", "attempts", "wrong_answers"]
    pd.testing.assert_frame_equal(
        summary[columns].reset_index(drop=True), workshop.expected, check_dtype=False
    )
    assert row_counts(store)["classroom_attempts"] == workshop.n_records == 750
    assert row_counts(store)["classroom_learners"] == 30


def test_two_replicas_share_one_database(store_url):
    """Two stores (two engines, as two app processes would have) on one database at once."""
    with classroom.open_store(store_url) as a, classroom.open_store(store_url) as b:
        code, key = a.create_class("Replicas")
        workshop = run_workshop([a, b], code, n_learners=12, n_exercises=8)
        assert workshop.errors == []
        columns = ["learner", "exercise", "passed", "attempts", "wrong_answers"]
        summary = b.summary(code, key)[columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(summary, workshop.expected, check_dtype=False)


def test_many_processes_open_a_new_database_at_once(store_url):
    """Opening an empty database from several engines at once creates the tables once."""
    from concurrent.futures import ThreadPoolExecutor

    def open_one(_):
        with classroom.open_store(store_url) as store:
            return store.schema_version

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_one, range(4))) == [1, 1, 1, 1]
    with classroom.open_store(store_url) as store:
        assert table_names(store) >= TABLES
        assert row_counts(store)["classroom_schema_version"] == 1


# -- the progress file (no database) ---------------------------------------------------


def test_progress_file_round_trip_and_tampering(monkeypatch):
    progress = {"curve-1": {"passed": True, "attempts": 2, "last_answer": "Zoë <b>"}}
    raw = progress_file.dump(progress, secret="s3cret")
    assert progress_file.load(raw, secret="s3cret") == progress

    tampered = raw.replace(b'"attempts": 2', b'"attempts": 1')
    assert tampered != raw
    with pytest.raises(ValueError, match="changed after it was saved"):
        progress_file.load(tampered, secret="s3cret")
    with pytest.raises(ValueError, match="changed after it was saved"):
        progress_file.load(raw, secret="another secret")
    data = json.loads(raw)
    data["progress"]["maps-2"] = {"passed": True, "attempts": 1}
    with pytest.raises(ValueError, match="changed after it was saved"):
        progress_file.load(json.dumps(data).encode(), secret="s3cret")
    del data["signature"]
    with pytest.raises(ValueError, match="changed after it was saved"):
        progress_file.load(json.dumps(data).encode(), secret="s3cret")

    for garbled in (b"", b"\xff\xfe", b"{not json", b"[]", b'{"format": "other"}', raw[:-20]):
        with pytest.raises(ValueError, match="not an IndentLab progress file"):
            progress_file.load(garbled, secret="s3cret")
    with pytest.raises(ValueError, match="too large"):
        progress_file.load(b" " * (progress_file.MAX_BYTES + 1), secret="s3cret")
    with pytest.raises(ValueError, match="over"):
        progress_file.dump({"x": {"answer": "a" * progress_file.MAX_BYTES}}, secret="s3cret")
    with pytest.raises(ValueError, match="JSON"):
        progress_file.dump({"x": {"when": object()}}, secret="s3cret")

    # The secret: the argument, else INDENTLAB_PROGRESS_SECRET, else the public dev default.
    monkeypatch.setenv(progress_file.SECRET_ENV, "from-env")
    assert progress_file.load(progress_file.dump(progress), secret="from-env") == progress
    monkeypatch.delenv(progress_file.SECRET_ENV)
    dev = progress_file.dump(progress)
    assert progress_file.load(dev, secret=progress_file.DEV_SECRET) == progress
    with pytest.raises(ValueError, match="must not be empty"):
        progress_file.dump(progress, secret="")


# -- SQLite locking --------------------------------------------------------------------


def test_sqlite_writer_waits_for_a_lock_held_elsewhere(tmp_path):
    """Another process's write lock (here a raw sqlite3 connection) makes record wait for
    it (busy timeout), not fail with "database is locked"."""
    import sqlite3
    import threading

    path = tmp_path / "locked.sqlite3"
    with classroom.open_store(f"sqlite:///{path}") as store:
        code, key = store.create_class("Locked")
        ada = store.join(code, "Ada")
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.5, other.execute, args=("COMMIT",))
        release.start()
        store.record(code, ada, "ex", True)
        release.join()
        other.close()
        assert store.summary(code, key)["attempts"].tolist() == [1]


def test_transient_errors_are_retried_others_not(tmp_path, monkeypatch):
    import sqlite3

    from classroom import store as store_module

    monkeypatch.setattr(store_module.time, "sleep", lambda s: None)
    calls = []

    def flaky(conn):
        calls.append(1)
        if len(calls) < 3:
            raise sa.exc.OperationalError(
                "INSERT", {}, sqlite3.OperationalError("database is locked")
            )
        return "done"

    def broken(conn):
        calls.append(1)
        raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))

    with classroom.open_store(f"sqlite:///{tmp_path / 'retry.sqlite3'}") as store:
        assert store._write(flaky) == "done" and len(calls) == 3
        calls.clear()
        with pytest.raises(sa.exc.OperationalError, match="disk I/O"):
            store._write(broken)
        assert len(calls) == 1


def test_package_example_runs_and_imports_no_streamlit():
    import doctest
    import subprocess
    import sys

    assert doctest.testmod(classroom).failed == 0
    code = "import sys, classroom; print(any(m.startswith('streamlit') for m in sys.modules))"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
