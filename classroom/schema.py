"""The tables of the class store, the schema version, and the migrations between versions.

Every table name starts with ``classroom_`` so the store can share a database with other
tables. ``classroom_schema_version`` holds one row: the version the tables are at.
A new version adds a function to :data:`MIGRATIONS` and bumps :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .codes import ANSWER_MAX_CHARS, CODE_LENGTH, EXERCISE_MAX_CHARS, NICKNAME_MAX_CHARS
from .engine import IMMEDIATE

#: The version this code writes and understands.
SCHEMA_VERSION = 1

metadata = sa.MetaData()

schema_version = sa.Table(
    "classroom_schema_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
)

classes = sa.Table(
    "classroom_classes",
    metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("key_hash", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
)

learners = sa.Table(
    "classroom_learners",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("class_code", sa.String(CODE_LENGTH), sa.ForeignKey(classes.c.code), nullable=False),
    sa.Column("nickname", sa.String(NICKNAME_MAX_CHARS), nullable=False),
    sa.Column("nickname_key", sa.String(4 * NICKNAME_MAX_CHARS), nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("class_code", "nickname_key", name="uq_classroom_learner_nickname"),
)

attempts = sa.Table(
    "classroom_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.String(32), sa.ForeignKey(learners.c.id), nullable=False),
    sa.Column("exercise", sa.String(EXERCISE_MAX_CHARS), nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("answer", sa.String(ANSWER_MAX_CHARS), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_classroom_attempts_learner", "learner_id"),
)

#: Progress of learners outside any class, by the SHA-256 digest of their token.
tokens = sa.Table(
    "classroom_tokens",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

progress = sa.Table(
    "classroom_progress",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token", sa.String(64), sa.ForeignKey(tokens.c.digest), nullable=False),
    sa.Column("exercise", sa.String(EXERCISE_MAX_CHARS), nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("answer", sa.String(ANSWER_MAX_CHARS), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_classroom_progress_token", "token"),
)

#: ``MIGRATIONS[v - 1]`` takes a database from version ``v`` to ``v + 1`` inside the open
#: transaction; so ``len(MIGRATIONS) == SCHEMA_VERSION - 1``. Version 1 needs none.
MIGRATIONS: list[Callable[[Connection], None]] = []

# Any constant: serialises schema creation across processes that share a PostgreSQL database.
_PG_LOCK_ID = 1_702_177_017


class SchemaVersionError(RuntimeError):
    """The database holds a schema version this code cannot use."""


def read_version(conn: Connection) -> int:
    """The schema version of the database behind ``conn``: 0 when it has no class store."""
    if not sa.inspect(conn).has_table(schema_version.name):
        return 0
    version = conn.execute(sa.select(schema_version.c.version)).scalar_one_or_none()
    return int(version) if version is not None else 0


def ensure_schema(
    engine: Engine,
    *,
    target: int = SCHEMA_VERSION,
    migrations: Sequence[Callable[[Connection], None]] = MIGRATIONS,
) -> int:
    """Create the tables on first use, or migrate them up to ``target``; returns the version.

    Runs in one transaction, so a failed migration leaves the database as it was. Raises
    :class:`SchemaVersionError` for a database newer than ``target`` (written by a later
    IndentLab) or one that ``migrations`` cannot bring up to ``target``.
    """
    # Two processes may open a new database at once: take the write lock before looking.
    with engine.connect() as conn, conn.execution_options(**{IMMEDIATE: True}).begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        version = read_version(conn)
        if version > target:
            raise SchemaVersionError(
                f"The class store's database has schema version {version}, newer than the "
                f"{target} this IndentLab understands: upgrade IndentLab, or point it to "
                "another database."
            )
        if version == 0:
            metadata.create_all(conn)
            conn.execute(sa.insert(schema_version).values(id=1, version=target))
            return target
        if len(migrations) < target - 1:
            raise SchemaVersionError(
                f"No migration takes the class store from schema version {version} to {target}."
            )
        for step in migrations[version - 1 : target - 1]:
            step(conn)
        if version != target:
            conn.execute(sa.update(schema_version).values(version=target))
        return target
