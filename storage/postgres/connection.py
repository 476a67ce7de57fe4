"""Connections to the database: a small pool, and each thread's open transaction on one of them.

The URL comes from SUPERVISOR_DATABASE_URL only and is never logged: errors name the database, not the URL.
Keepalives make a dead peer noticed within seconds, on either side (the active bot's lock, a standby's wait)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

POOL_TIMEOUT = 30.0  # seconds a call waits for a connection (a database restarting) before it fails
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 2, "keepalives_interval": 1, "keepalives_count": 3}


def connect(url: str, name: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    """One connection of its own (the advisory lock's, a standby's): outside the pool."""
    options: dict[str, Any] = {"application_name": name, "connect_timeout": 10, **KEEPALIVES}
    return psycopg.connect(url, autocommit=autocommit, **options)


class Transactions:
    """Each thread's transaction on a pooled connection, from its first statement to `end` (commit or roll back).
    A connection that broke goes back to the pool, which drops it; the next transaction gets a new one."""

    def __init__(self, url: str, name: str, timeout: float = POOL_TIMEOUT) -> None:
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=4,
            timeout=timeout,
            open=False,
            check=ConnectionPool.check_connection,
            kwargs={"application_name": name, "connect_timeout": 10, **KEEPALIVES},
        )
        self._pool.open(wait=True, timeout=timeout)
        self._local = threading.local()

    def conn(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._pool.getconn()
            self._local.conn = conn
        return conn

    def end(self, commit: bool) -> None:
        """Commit (or roll back) this thread's transaction, if it has one; a failed commit rolls back and raises."""
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
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
        self.end(commit=True)
        self._pool.close()
