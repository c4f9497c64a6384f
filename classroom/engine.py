"""Which database the class store uses, and the engine settings that make it safe to share.

``open_store(None)`` uses the URL in ``INDENTLAB_STORE_URL`` when set, else a SQLite file at
``~/.indentlab/classroom.sqlite3``. SQLite gets WAL mode, a busy timeout and ``BEGIN
IMMEDIATE`` for writes; every database gets a retry of transient lock or serialisation
errors (:func:`is_transient`).
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Environment variable holding the SQLAlchemy URL of the class store.
URL_ENV = "INDENTLAB_STORE_URL"
#: The SQLite file used when neither a URL nor ``INDENTLAB_STORE_URL`` is given.
DEFAULT_SQLITE_PATH = Path("~/.indentlab/classroom.sqlite3")
#: Execution option that makes a SQLite transaction start with ``BEGIN IMMEDIATE``.
IMMEDIATE = "classroom_immediate"
#: How long a SQLite connection waits for another writer before "database is locked" [s].
SQLITE_BUSY_TIMEOUT_S = 10.0

_PG_TRANSIENT = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def default_url() -> str:
    """``INDENTLAB_STORE_URL`` if set, else the SQLite file :data:`DEFAULT_SQLITE_PATH`
    (its folder is created)."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        return url
    path = DEFAULT_SQLITE_PATH.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (any SQLAlchemy URL), set up by :func:`configure`."""
    parsed = sa.engine.make_url(url)
    kwargs: dict = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
    else:
        kwargs["pool_pre_ping"] = True
    return configure(sa.create_engine(parsed, **kwargs))


def configure(engine: Engine) -> Engine:
    """Make ``engine`` safe for many threads; a no-op except on SQLite, and done only once.

    On SQLite every connection, when first checked out (so also connections pooled before
    this call), gets ``foreign_keys=ON``, a busy timeout, ``synchronous=NORMAL`` and
    SQLAlchemy's own transaction control; a transaction begins with ``BEGIN IMMEDIATE``
    when run with the :data:`IMMEDIATE` execution option, else with ``BEGIN``. The database
    file is switched to WAL mode (kept in the file).
    """
    if engine.dialect.name != "sqlite" or event.contains(engine, "begin", _sqlite_begin):
        return engine
    event.listen(engine, "checkout", _sqlite_checkout)
    event.listen(engine, "begin", _sqlite_begin)
    raw = engine.raw_connection()  # outside any transaction, where journal_mode may change
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
    finally:
        raw.close()
    return engine


def is_transient(exc: sa.exc.DBAPIError) -> bool:
    """Whether a failed transaction may succeed when run again: SQLite's "database is
    locked/busy", PostgreSQL's serialisation failure and deadlock."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _PG_TRANSIENT:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message


def _sqlite_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    if connection_record.info.get("classroom_sqlite"):
        return
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    connection_record.info["classroom_sqlite"] = True


def _sqlite_begin(conn) -> None:
    if conn.get_execution_options().get(IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
