"""A throw-away PostgreSQL server for the tests: Debian's `postgresql` (the Makefile installs it), a cluster made by
initdb in a temporary folder, listening only on a unix socket there. As root, initdb and the server run as the
`postgres` user (the server refuses to run as root). Without the package the tests that need it skip, saying so."""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NO_SERVER = "PostgreSQL 未安装（Debian 的 postgresql 软件包；make test 会安装）：跳过 PostgreSQL 测试"
_names = itertools.count(1)


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[4]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class Server:
    """A running cluster: `url(name)` for a database on it, `fresh()` for a new empty one."""

    bin_dir: Path
    root: Path
    as_user: str | None

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.socket_dir}&user=postgres"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(database), "-c", sql],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def fresh(self) -> str:
        """A new empty database; its URL."""
        name = f"t{os.getpid()}_{next(_names)}"
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()


def start_server() -> Server | None:
    bin_dir = _bin_dir()
    if bin_dir is None:
        return None
    as_user = "postgres" if os.geteuid() == 0 else None
    if as_user is not None:
        try:
            pwd.getpwnam(as_user)
        except KeyError:
            return None
    root = Path(tempfile.mkdtemp(prefix="supervisor-pg-"))
    root.chmod(0o755)
    server = Server(bin_dir, root, as_user)
    server.socket_dir.mkdir()
    if as_user is not None:
        shutil.chown(root, as_user)
        shutil.chown(server.socket_dir, as_user)
    server.run("initdb", "-D", str(server.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
    settings = {
        "listen_addresses": "''",
        "unix_socket_directories": f"'{server.socket_dir}'",
        "fsync": "off",  # a test server: what the tests kill is the bot, never the machine
        "full_page_writes": "off",
        "max_connections": "200",
        "shared_buffers": "32MB",
    }
    with (server.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
    server.start()
    return server


@contextlib.contextmanager
def running_server() -> Iterator[Server | None]:
    server = start_server()
    try:
        yield server
    finally:
        if server is not None:
            server.stop("immediate")
            shutil.rmtree(server.root, ignore_errors=True)


def need(server: Server | None) -> Server:
    if server is None:
        pytest.skip(NO_SERVER)
    return server
