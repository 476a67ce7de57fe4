"""Connections to the database: a small pool, and each thread's open transaction on one of them.

The URL comes from SUPERVISOR_DATABASE_URL only and is never logged: errors name the database, not the URL.
Keepalives make a dead peer noticed within seconds, on either side (the active bot's lock, a standby's wait)."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool


class Unreachable(RuntimeError):
    """The database cannot be reached (or refused us): the first line of what the driver said, without the URL."""

    def __init__(self, error: BaseException) -> None:
        lines = str(error).strip().splitlines()
        super().__init__(lines[0] if lines else type(error).__name__)


POOL_TIMEOUT = 30.0  # seconds a call waits for a connection (a database restarting) before it fails
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 2, "keepalives_interval": 1, "keepalives_count": 3}


def connect(url: str, name: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    """One connection of its own (the advisory lock's, a standby's): outside the pool."""
    options: dict[str, Any] = {"application_name": name, "connect_timeout": 10, **KEEPALIVES}
    return psycopg.connect(url, autocommit=autocommit, **options)


def _configure(conn: psycopg.Connection[Any]) -> None:
    """jsonb read with orjson: documents decode several times faster than with the standard library's json."""
    set_json_loads(orjson.loads, conn)


class Transactions:
    """The store's one open transaction on a pooled connection, from its first statement to `end` (commit or roll
    back), shared by every thread as the files' group commit is: whoever flushes makes durable what any thread
    wrote. `lock` is held around each call of the store. A connection that broke goes back to the pool, which
    drops it; the next transaction gets a new one."""

    def __init__(self, url: str, name: str, timeout: float = POOL_TIMEOUT, read_only: bool = False) -> None:
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=4,
            timeout=timeout,
            open=False,
            check=ConnectionPool.check_connection,
            configure=_configure,
            kwargs={"application_name": name, "connect_timeout": 10, **KEEPALIVES, **options},
        )
        self._pool.open(wait=True, timeout=timeout)
        self.lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None

    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            self._conn = self._pool.getconn()
        return self._conn

    def end(self, commit: bool) -> None:
        """Commit (or roll back) the transaction, if one is open; a failed commit rolls back and raises."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if commit:
                conn.commit()
            else:
                conn.rollback()
        except BaseException:
            with contextlib.suppress(psycopg.Error):  # the connection is gone: the pool drops it
                conn.rollback()
            raise
        finally:
            self._pool.putconn(conn)

    def close(self) -> None:
        with self.lock:
            try:
                self.end(commit=True)
            finally:
                self._pool.close()


class _Transactional(Protocol):
    group_commit: bool
    tx: Transactions


P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S", bound=_Transactional)


def operation(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """A call of the store's port: its own transaction unless the store commits in groups (then `flush` does)."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self.tx.lock:
            try:
                result = method(self, *args, **kwargs)
            except BaseException:
                if not self.group_commit:
                    self.tx.end(commit=False)
                raise
            if not self.group_commit:
                self.tx.end(commit=True)
            return result

    return run
