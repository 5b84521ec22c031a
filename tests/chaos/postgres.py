"""A private PostgreSQL cluster (initdb and pg_ctl) on a port of its own, in a directory of its
own: a test or a drill may stop it and start it again without touching the shared cluster.

Run as root, the cluster's commands run as the `postgres` user (PostgreSQL refuses root)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Literal

StopMode = Literal["smart", "fast", "immediate"]


def _bin_dir() -> Path:
    """The directory of initdb and pg_ctl: Debian's newest installed version, else PATH's."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not versions:
        found = shutil.which("initdb")
        if found:
            return Path(found).parent
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    return versions[-1].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePostgres:
    """A cluster of its own under `base` (a fresh temporary directory when None), listening on
    127.0.0.1:`port` (a free port when 0), trusting local connections. A context manager:
    initialised and started on entry, stopped and removed on exit."""

    def __init__(self, base: Path | None = None, port: int = 0) -> None:
        self._own_base = base is None
        self.base = Path(tempfile.mkdtemp(prefix="grid-pg-")) if base is None else base
        self.port = port or free_port()
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self._bin = _bin_dir()
        self._user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        """The URL of its `postgres` database, as the superuser."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self._bin / args[0]), *args[1:]]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> PrivatePostgres:
        self.base.mkdir(parents=True, exist_ok=True)
        if self._user is not None:
            user = pwd.getpwnam(self._user)
            os.chown(self.base, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nmax_connections = 100\n"
                "shared_buffers = 32MB\n"
            )
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: StopMode = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self, name: str) -> str:
        """A new database `name`; returns its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def close(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PrivatePostgres:
        self.init()
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
