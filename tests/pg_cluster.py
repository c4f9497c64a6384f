"""A throwaway PostgreSQL server for tests and benches: Debian's binaries, loopback only.

``initdb`` refuses to run as root, so as root the cluster is made and run as the
``postgres`` user (or ``nobody``) in a fresh folder under the system temp dir that it owns.

    with TemporaryPostgres() as pg:
        engine = sqlalchemy.create_engine(pg.url)
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

DATABASE = "indentlab_test"
USER = "indentlab"


def find_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb``, or None."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        return None
    return Path(max(found, key=lambda p: int(Path(p).parts[-3]))).parent


class TemporaryPostgres:
    """Start ``postgres`` on 127.0.0.1 and a free port with a new database; :meth:`stop`
    (or leaving the ``with`` block) stops it and deletes its files."""

    def __init__(self, bin_dir: Path | None = None, *, start_timeout_s: float = 30.0) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        if self.bin_dir is None:
            raise FileNotFoundError(
                "PostgreSQL's server binaries are not installed "
                "(no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)."
            )
        self.start_timeout_s = start_timeout_s
        self.root: Path | None = None
        self.process: subprocess.Popen | None = None
        self._log = None
        self.url = ""

    def start(self) -> str:
        """Create the cluster, start the server, create :data:`DATABASE`; returns its URL."""
        self.root = Path(tempfile.mkdtemp(prefix="indentlab-pg-"))
        data, sockets = self.root / "data", self.root / "sockets"
        sockets.mkdir()
        run_as = self._unprivileged_user()
        if run_as is not None:
            for path in (self.root, sockets):
                os.chown(path, run_as.pw_uid, run_as.pw_gid)
        self._run(
            [
                self.bin_dir / "initdb",
                "-D",
                data,
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            run_as,
        )
        port = _free_port()
        self._log = log = open(self.root / "server.log", "ab")  # closed in stop()
        self.process = subprocess.Popen(
            [
                self.bin_dir / "postgres",
                "-D",
                data,
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-k",
                sockets,
                "-F",
                "-c",
                "max_connections=120",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            **_user_kwargs(run_as),
        )
        base = f"postgresql+psycopg://{USER}@127.0.0.1:{port}"
        self._wait_ready(f"{base}/postgres")
        engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
        engine.dispose()
        self.url = f"{base}/{DATABASE}"
        return self.url

    def stop(self) -> None:
        """Fast shutdown of the server (SIGINT), then remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> TemporaryPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_ready(self, url: str) -> None:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        deadline = time.monotonic() + self.start_timeout_s
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"postgres exited at start:\n{self._log_tail()}")
                try:
                    with engine.connect():
                        return
                except sa.exc.OperationalError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"postgres did not accept connections in {self.start_timeout_s} s:"
                            f"\n{self._log_tail()}"
                        ) from None
                    time.sleep(0.1)
        finally:
            engine.dispose()

    def _log_tail(self) -> str:
        return (self.root / "server.log").read_text(errors="replace")[-2000:]

    @staticmethod
    def _unprivileged_user() -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("Running as root, and there is no 'postgres' or 'nobody' user.")

    def _run(self, args: list, run_as: pwd.struct_passwd | None) -> None:
        done = subprocess.run(
            args, capture_output=True, text=True, check=False, **_user_kwargs(run_as)
        )
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed:\n{done.stdout}\n{done.stderr}")


def _user_kwargs(run_as: pwd.struct_passwd | None) -> dict:
    if run_as is None:
        return {}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LANG": "C.UTF-8"}
    return {
        "user": run_as.pw_uid,
        "group": run_as.pw_gid,
        "extra_groups": [],
        "env": env,
        "cwd": "/",
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
