"""One active bot per database: a session-level advisory lock, held on a connection of its own for as long as the
bot runs. The server releases it the moment that connection drops — the process died, or its machine did (the
server's keepalives below notice within seconds) — and a standby waiting for it takes over.

Who holds it is read from the server: the holding session's application_name names the host and the PID."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

from storage.postgres.connection import Unreachable, connect

DEPLOYMENT_LOCK = 0x5344_0002  # one deployment per database
PREFIX = "supervisor-bot active "
_HOLDER = (
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s AND l.objsubid = 1"
    # advisory locks are the database's own: another database's bot on the same server holds another lock
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def me() -> str:
    return f"{socket.gethostname()} {os.getpid()}"


class DeploymentLock:
    """The lock's own connection (autocommit): `take` tries once, `holder` names whoever has it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: psycopg.Connection[Any] | None = None

    def _connection(self) -> psycopg.Connection[Any]:
        if self.conn is None or self.conn.closed:
            self.conn = connect(self.url, (PREFIX + me())[:63], autocommit=True)
            for name, value in (
                ("tcp_keepalives_idle", 2),
                ("tcp_keepalives_interval", 1),
                ("tcp_keepalives_count", 3),
            ):
                self.conn.execute(f"SET {name} = {value}".encode())  # the server notices a vanished machine
        return self.conn

    def take(self) -> bool:
        row = self._connection().execute("SELECT pg_try_advisory_lock(%s)", (DEPLOYMENT_LOCK,)).fetchone()
        return bool(row and row[0])

    def first_take(self) -> bool:
        """`take`, the database's errors as Unreachable (for the caller, which knows no driver)."""
        try:
            return self.take()
        except psycopg.Error as error:
            self.close()
            raise Unreachable(error) from None

    def holder(self) -> tuple[str, str] | None:
        """(host, PID) of the process holding the lock; None if no one does."""
        row = self._connection().execute(_HOLDER, (DEPLOYMENT_LOCK,)).fetchone()
        if row is None:
            return None
        name = str(row[0])
        host, _, pid = name.removeprefix(PREFIX).rpartition(" ")
        return (host or "未知主机", pid or "未知")

    def alive(self) -> bool:
        """Still holding it: the connection answers (a dropped connection has lost the lock)."""
        try:
            self._connection().execute("SELECT 1")
            return True
        except psycopg.Error:
            self.close()
            return False

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(psycopg.Error):
                self.conn.close()
            self.conn = None


def wait_for(lock: DeploymentLock, every: float, waiting: Callable[[tuple[str, str] | None], None]) -> None:
    """A standby's wait: try every `every` seconds until the lock is ours (a lost connection is made again)."""
    while True:
        try:
            if lock.take():
                return
            waiting(lock.holder())
        except psycopg.OperationalError:
            lock.close()  # the database restarting: connect again next time
            waiting(None)
        time.sleep(every)


class Watch:
    """The active bot's watch over its lock, on a thread: every `every` seconds it checks the lock's connection;
    a dropped one (the database restarted) is made again and the lock taken back — unless a standby has taken
    it meanwhile, when `lost` is called: the bot must stop."""

    def __init__(self, lock: DeploymentLock, lost: Callable[[tuple[str, str] | None], None], every: float = 1.0):
        self.lock, self.lost, self.every = lock, lost, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="deployment-lock", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self.lock.alive():
                continue
            try:
                if self.lock.take():
                    continue
                self.lost(self.lock.holder())
                return
            except psycopg.OperationalError:
                self.lock.close()  # the database still down: try again

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
