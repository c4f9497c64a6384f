"""The class store: workshop classes, the learners who joined them, their attempts, and the
progress of learners outside any class, in one SQL database (SQLAlchemy Core)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import codes, schema
from . import engine as engines
from .schema import attempts, classes, learners, progress, tokens
from .summary import ATTEMPT_COLUMNS, per_exercise, wrong_answer_counts

_T = TypeVar("_T")
#: How many times a transaction that hit a lock or serialisation error is run again.
RETRIES = 4
TITLE_MAX_CHARS = 200


class NewClass(NamedTuple):
    """A class just created: the ``code`` learners type to join, and the instructor ``key``
    (shown once: only its hash is stored)."""

    code: str
    key: str


class Store:
    """Classes, learners and attempts in the database behind one SQLAlchemy engine.

    Safe to share between threads (one Streamlit process serves every session). Open it
    with :func:`open_store` or :meth:`from_engine`. Input errors (unknown or closed class,
    bad nickname) raise ValueError with a message fit to show; a wrong instructor key
    raises PermissionError.
    """

    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        self._engine = engines.configure(engine)
        self._owns_engine = owns_engine
        self.schema_version = schema.ensure_schema(self._engine)

    @classmethod
    def from_engine(cls, engine: Engine) -> Store:
        """A store on an existing engine, e.g. ``st.connection("classroom", type="sql")
        .engine``; :meth:`close` leaves that engine open."""
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine the store writes through."""
        return self._engine

    def close(self) -> None:
        """Dispose of the engine if :func:`open_store` made it."""
        if self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- classes -------------------------------------------------------------------------

    def create_class(self, title: str) -> NewClass:
        """Create an open class; returns its code and the instructor key (keep the key: it
        is needed for :meth:`summary` and :meth:`close_class` and cannot be recovered)."""
        if (
            not isinstance(title, str)
            or not 1 <= len(title.strip()) <= TITLE_MAX_CHARS
            or not title.strip().isprintable()
        ):
            raise ValueError(
                f"A class title must have 1 to {TITLE_MAX_CHARS} printable characters."
            )
        key = codes.new_secret()
        key_hash = codes.hash_key(key)
        for _ in range(20):  # 31**6 codes: a clash is rare, and then a new code is drawn
            code = codes.new_class_code()
            row = dict(code=code, title=title.strip(), key_hash=key_hash, created_at=_now())
            try:
                self._write(lambda conn, row=row: conn.execute(sa.insert(classes).values(row)))
            except sa.exc.IntegrityError:
                continue
            return NewClass(code, key)
        raise RuntimeError("Could not find a free class code after 20 tries.")

    def close_class(self, code: str, key: str) -> None:
        """Close a class: it takes no new learners or attempts; its summary stays readable."""
        code = self._check_key(code, key)
        self._write(
            lambda conn: conn.execute(
                sa.update(classes)
                .where(classes.c.code == code, classes.c.closed_at.is_(None))
                .values(closed_at=_now())
            )
        )

    def join(self, code: str, nickname: str) -> str:
        """Join the open class ``code`` as ``nickname``; returns the new learner id.

        The nickname is stripped and must have 1-40 printable characters
        (:func:`classroom.codes.clean_nickname`). It is stored as plain text through bound
        parameters: HTML in it stays text, and the UI must escape it when showing it. A
        nickname already taken in the class (ignoring case) raises ValueError.
        """
        code = codes.normalise_code(code)
        nickname, nickname_key = codes.clean_nickname(nickname)
        learner_id = codes.new_learner_id()

        def insert(conn: Connection) -> None:
            _open_class(conn, code)
            conn.execute(
                sa.insert(learners).values(
                    id=learner_id,
                    class_code=code,
                    nickname=nickname,
                    nickname_key=nickname_key,
                    joined_at=_now(),
                )
            )

        try:
            self._write(insert)
        except sa.exc.IntegrityError:
            raise ValueError(
                f"The nickname {nickname!r} is already taken in class {code}: choose another."
            ) from None
        return learner_id

    def record(
        self,
        code: str,
        learner_id: str,
        exercise_id: str,
        passed: bool,
        answer: object = None,
    ) -> None:
        """Store one attempt of ``learner_id`` at ``exercise_id`` in class ``code``.

        ``answer`` is kept as text, cut to 500 characters. An unknown learner, a learner of
        another class, or a closed class raises ValueError.
        """
        code = codes.normalise_code(code)
        row = dict(
            learner_id=learner_id,
            exercise=codes.clean_exercise(exercise_id),
            passed=codes.clean_passed(passed),
            answer=codes.clean_answer(answer),
        )

        def insert(conn: Connection) -> None:
            _open_class(conn, code)
            found = conn.execute(
                sa.select(learners.c.class_code).where(learners.c.id == learner_id)
            ).scalar_one_or_none()
            if found != code:
                raise ValueError(f"This learner is not in class {code}: join the class again.")
            conn.execute(sa.insert(attempts).values({**row, "at": _now()}))

        if not isinstance(learner_id, str) or len(learner_id) > 32:
            raise ValueError(f"This learner is not in class {code}: join the class again.")
        self._write(insert)

    def summary(self, code: str, key: str) -> pd.DataFrame:
        """One row per learner and exercise attempted in class ``code``.

        Columns: ``learner`` (nickname), ``exercise``, ``passed`` (ever), ``attempts``,
        ``wrong_answers``, ``first_passed_at``, ``last_attempt_at`` (UTC) and
        ``last_answer``; sorted by learner and exercise. A wrong key raises PermissionError.
        """
        code = self._check_key(code, key)
        frame = self._read_attempts(
            sa.select(learners.c.nickname.label("learner"), *_attempt_columns(attempts))
            .join_from(attempts, learners)
            .where(learners.c.class_code == code)
            .order_by(attempts.c.id)
        )
        return per_exercise(frame, ["learner"])

    def common_wrong_answers(self, code: str, key: str, exercise_id: str) -> pd.DataFrame:
        """The wrong answers given to ``exercise_id`` in class ``code``, most frequent first:
        columns ``answer``, ``count`` (attempts) and ``learners`` (how many gave it)."""
        code = self._check_key(code, key)
        frame = self._read_attempts(
            sa.select(attempts.c.learner_id, attempts.c.passed, attempts.c.answer)
            .join_from(attempts, learners)
            .where(
                learners.c.class_code == code,
                attempts.c.exercise == codes.clean_exercise(exercise_id),
            )
            .order_by(attempts.c.id)
        )
        return wrong_answer_counts(frame)

    # -- a learner outside any class ---------------------------------------------------

    def new_token(self) -> str:
        """A new learner token: a secret that names one learner's progress outside a class
        (only its SHA-256 digest is stored)."""
        token = codes.new_secret()
        digest = codes.token_digest(token)
        self._write(
            lambda conn: conn.execute(sa.insert(tokens).values(digest=digest, created_at=_now()))
        )
        return token

    def record_progress(
        self, token: str, exercise_id: str, passed: bool, answer: object = None
    ) -> None:
        """Store one attempt of the learner holding ``token`` (unknown token: ValueError)."""
        digest = codes.token_digest(token)
        row = dict(
            token=digest,
            exercise=codes.clean_exercise(exercise_id),
            passed=codes.clean_passed(passed),
            answer=codes.clean_answer(answer),
        )

        def insert(conn: Connection) -> None:
            _known_token(conn, digest)
            conn.execute(sa.insert(progress).values({**row, "at": _now()}))

        self._write(insert)

    def progress(self, token: str) -> dict[str, dict[str, Any]]:
        """The progress of the learner holding ``token``, by exercise id: ``passed``,
        ``attempts``, ``wrong_answers``, ``first_passed_at`` (ISO 8601 UTC or None) and
        ``last_answer``. Plain JSON values, ready for :func:`classroom.progress_file.dump`;
        ``pandas.DataFrame.from_dict(p, orient="index")`` makes it a table."""
        digest = codes.token_digest(token)
        with self._engine.connect() as conn:
            _known_token(conn, digest)
            rows = conn.execute(
                sa.select(*_attempt_columns(progress))
                .where(progress.c.token == digest)
                .order_by(progress.c.id)
            ).all()
        table = per_exercise(pd.DataFrame(rows, columns=ATTEMPT_COLUMNS), [])
        return {
            row.exercise: {
                "passed": bool(row.passed),
                "attempts": int(row.attempts),
                "wrong_answers": int(row.wrong_answers),
                "first_passed_at": None
                if pd.isna(row.first_passed_at)
                else str(row.first_passed_at.isoformat()),
                "last_answer": row.last_answer,
            }
            for row in table.itertuples(index=False)
        }

    # -- internals -----------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in one write transaction, again after a transient lock error."""
        for attempt in range(RETRIES):
            try:
                with self._engine.connect() as conn:
                    conn = conn.execution_options(**{engines.IMMEDIATE: True})
                    with conn.begin():
                        return work(conn)
            except sa.exc.DBAPIError as exc:
                if attempt == RETRIES - 1 or not engines.is_transient(exc):
                    raise
            time.sleep(min(0.02 * 2**attempt, 1.0) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    def _check_key(self, code: str, key: str) -> str:
        """The normalised code when ``key`` is its instructor key; else PermissionError."""
        code = codes.normalise_code(code)
        with self._engine.connect() as conn:
            key_hash = conn.execute(
                sa.select(classes.c.key_hash).where(classes.c.code == code)
            ).scalar_one_or_none()
        if key_hash is None:
            raise ValueError(f"There is no class with code {code}.")
        if not codes.verify_key(key, key_hash):
            raise PermissionError(f"Wrong instructor key for class {code}.")
        return code

    def _read_attempts(self, query: sa.Select) -> pd.DataFrame:
        with self._engine.connect() as conn:
            result = conn.execute(query)
            return pd.DataFrame(result.all(), columns=list(result.keys()))


def _attempt_columns(table: sa.Table) -> list[sa.Column]:
    return [table.c[name] for name in ATTEMPT_COLUMNS]


def _open_class(conn: Connection, code: str) -> None:
    closed_at = conn.execute(
        sa.select(classes.c.closed_at).where(classes.c.code == code)
    ).one_or_none()
    if closed_at is None:
        raise ValueError(f"There is no class with code {code}: check the code.")
    if closed_at[0] is not None:
        raise ValueError(f"Class {code} is closed: it takes no new learners or answers.")


def _known_token(conn: Connection, digest: str) -> None:
    found = conn.execute(sa.select(tokens.c.digest).where(tokens.c.digest == digest)).first()
    if found is None:
        raise ValueError("Unknown learner token: start again with a new token.")


def _now() -> datetime:
    return datetime.now(UTC)


def open_store(url: str | Engine | None = None) -> Store:
    """Open (creating tables on first use) the class store at ``url``.

    ``url`` is any SQLAlchemy URL (``"sqlite:///path.sqlite3"``,
    ``"postgresql+psycopg://user:pw@host/db"``), an existing Engine (see
    :meth:`Store.from_engine`), or None for ``INDENTLAB_STORE_URL`` or else the SQLite file
    ``~/.indentlab/classroom.sqlite3``.
    """
    if isinstance(url, Engine):
        return Store.from_engine(url)
    return Store(engines.create_engine(url or engines.default_url()), owns_engine=True)
