"""One bot per data folder: an advisory lock on `bot.lock` in it, holding the running bot's PID.

The lock is the kernel's (flock), not the file's existence: a bot that crashes or is killed leaves the file
behind, but never the lock, so the next start goes ahead.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "bot.lock"


class AlreadyRunning(RuntimeError):
    """Another bot holds the data folder."""

    def __init__(self, data_dir: Path, pid: str) -> None:
        who = f"（PID {pid}）" if pid else ""
        super().__init__(
            f"数据目录 {data_dir} 已有一个机器人在运行{who}，不能再启动一个。"
            "同一数据目录只能运行一个机器人；如需运行多个方案，请为每个方案使用各自的设置文件和数据目录（--config）。"
        )
        self.pid = pid


@contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder for as long as the block runs; raise AlreadyRunning, naming the PID, if another does."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(data_dir, os.pread(fd, 32, 0).decode("ascii", "replace").strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        os.fsync(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock
