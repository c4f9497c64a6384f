"""The class store in the app: ``classroom.Store`` on Streamlit's own SQL connection.

Where the data go, first match wins:

1. ``.streamlit/secrets.toml``: ``[connections.classroom]`` with ``url = "..."`` (any
   SQLAlchemy URL, e.g. PostgreSQL for several replicas);
2. the environment variable ``INDENTLAB_STORE_URL``;
3. the SQLite file ``~/.indentlab/classroom.sqlite3`` (no set-up).

One store (engine and pool) per process and URL, shared by every session
(``st.cache_resource``). The progress file's secret comes from ``[classroom]
progress_secret`` in the secrets, else ``INDENTLAB_PROGRESS_SECRET``, else the public
development default of :mod:`classroom.progress_file`.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

import classroom
from classroom import engine

#: The name of the connection in ``st.connection`` and ``[connections.<name>]``.
CONNECTION = "classroom"


def _secret(*path: str):
    """The value of ``.streamlit/secrets.toml`` at ``path``; None when it is not set."""
    try:
        node = st.secrets
        for part in path:
            node = node[part]
    except (KeyError, FileNotFoundError):
        return None
    return node or None


def store_url() -> str | None:
    """The store's SQLAlchemy URL: ``[connections.classroom] url`` of the secrets, else
    ``INDENTLAB_STORE_URL``, else the default SQLite file. None when the secrets give the
    connection as parts (``dialect``, ``host``, ...), which ``st.connection`` assembles."""
    section = _secret("connections", CONNECTION)
    if section and section.get("url"):
        return str(section["url"])
    if section:
        return None
    return engine.default_url()


@st.cache_resource(show_spinner=False)
def _open(url: str | None) -> classroom.Store:
    """The store on ``st.connection(CONNECTION, type="sql")`` (``url`` None: the secrets'
    parts). The URL is passed explicitly so that every source above is used the same way."""
    kwargs: dict = {}
    if url is not None:
        kwargs["url"] = url
        if sa.engine.make_url(url).get_backend_name() == "sqlite":
            kwargs["connect_args"] = {
                "check_same_thread": False,
                "timeout": engine.SQLITE_BUSY_TIMEOUT_S,
            }
    connection = st.connection(CONNECTION, type="sql", **kwargs)
    return classroom.Store.from_engine(connection.engine)


def get_store() -> classroom.Store:
    """The class store of this process (opened, and its tables created, on first use)."""
    return _open(store_url())


def progress_secret() -> str | None:
    """The secret that signs progress files (None: ``classroom.progress_file``'s default)."""
    secret = _secret("classroom", "progress_secret")
    return None if secret is None else str(secret)
