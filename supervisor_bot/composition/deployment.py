"""The deployment's store and its one-active-bot rule, for the backend the settings choose: the data folder (its
`bot.lock`) or the database (an advisory lock, see storage.postgres.lock). psycopg is imported only for the
database."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from storage.tinydb_store import TinyStore
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.composition.lock import AlreadyRunning, data_dir_lock
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings
from supervisor_bot.settings.storage import where

if TYPE_CHECKING:
    from storage.postgres.store import PgStore

log = logging.getLogger("supervisor_bot")
STANDBY_POLL = 1.0  # seconds between a standby's tries: it takes over within a second or two of the lock's release


class DatabaseHeld(AlreadyRunning):
    """Another bot is the active one on the database."""

    def __init__(self, database: str, holder: tuple[str, str] | None) -> None:
        host, pid = holder or ("未知主机", "未知")
        RuntimeError.__init__(
            self,
            f"数据库 {database} 已有一个机器人在运行（主机 {host}，PID {pid}），不能再启动一个。"
            "如需备用机器人，请加 --standby 启动：它等待，并在运行中的机器人退出后接替。",
        )
        self.pid = pid
        self.host = host


def open_store(settings: Settings, group_commit: bool = False) -> DurableStore:
    if settings.storage.postgresql:
        return open_database(settings, group_commit)
    return TinyStore(settings.data_dir, group_commit=group_commit)


def open_database(
    settings: Settings, group_commit: bool = False, name: str = "supervisor-bot", read_only: bool = False
) -> PgStore:
    from storage.postgres.connection import Unreachable
    from storage.postgres.store import PgStore

    url = settings.storage.url()
    try:
        return PgStore(url, group_commit=group_commit, name=name, files=settings.data_dir, read_only=read_only)
    except Unreachable as error:
        raise ConfigError("数据库", where(url), f"无法连接或初始化：{error}") from None


@contextmanager
def active(settings: Settings, standby: bool = False, lost: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Be the deployment's one active bot for as long as the block runs. Another active: AlreadyRunning, naming it —
    or, `standby`, wait until it is gone. `lost` is called (on another thread) if the lock is lost to a standby."""
    if not settings.storage.postgresql:
        if standby:
            raise ConfigError(settings.source, "storage.backend", '--standby 需要 [storage] backend = "postgresql"')
        with data_dir_lock(settings.data_dir):
            yield
        return
    with _database_lock(settings, standby, lost):
        yield


@contextmanager
def _database_lock(settings: Settings, standby: bool, lost: Callable[[], None]) -> Iterator[None]:
    from storage.postgres.connection import Unreachable
    from storage.postgres.lock import DeploymentLock, Watch, wait_for

    url = settings.storage.url()
    lock = DeploymentLock(url)
    try:
        if not lock.first_take():
            if not standby:
                raise DatabaseHeld(where(url), lock.holder())
            said = threading.Event()

            def waiting(holder: tuple[str, str] | None) -> None:
                if not said.is_set():
                    log.info("standby: waiting for the active bot (%s) to stop", " pid ".join(holder or ("?", "?")))
                    said.set()

            wait_for(lock, STANDBY_POLL, waiting)
            log.info("standby: the active bot is gone; taking over")
    except Unreachable as error:
        lock.close()
        raise ConfigError("数据库", where(url), f"无法连接：{error}") from None
    except BaseException:
        lock.close()
        raise

    def taken(holder: tuple[str, str] | None) -> None:
        log.error("the deployment lock was lost to %s: stopping", " pid ".join(holder or ("?", "?")))
        lost()

    watch = Watch(lock, taken)
    try:
        yield
    finally:
        watch.stop()
        lock.close()
