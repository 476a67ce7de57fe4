"""A consistent copy of the data folder while the bot runs, and the lock that makes it consistent.

The store writes its files only in `flush()` and `close()` (the deployment runs with group commit): round logs
first, then state.jsonl and, when it compacts, state.json. Both take `write.lock` in the data folder (an `flock`,
released by the kernel when a process dies, so a crash never leaves it stuck); a backup takes the same lock and
copies every file while it holds it, so it sees every flush whole or not at all. The bot waits for the copy (a
few milliseconds for a year of data) and carries on.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.imported_plan import FILE as IMPORTED

LOCK_NAME = "write.lock"
_SKIPPED_SUFFIXES = (".lock", ".pid", ".tmp")  # locks and half-written temporary files are no data
# Derived from the settings folder's plan files, not data: made again at the first start after a restore
_SKIPPED_NAMES = frozenset({IMPORTED})


@contextlib.contextmanager
def write_lock(data_dir: Path) -> Iterator[None]:
    """The data folder's write lock, held by one process (and one store) at a time for the block."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class WriteLock:
    """The store's side of the lock: one descriptor kept open, locked around each write to the files."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / LOCK_NAME
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if self._fd < 0:  # closed, and the store is used again
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@dataclass(frozen=True)
class BackupMade:
    path: Path
    files: int
    size: int  # bytes of data copied


def _data_files(data_dir: Path) -> list[Path]:
    files = [
        p
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.endswith(_SKIPPED_SUFFIXES) and p.name not in _SKIPPED_NAMES
    ]
    return sorted(files, key=lambda p: p.relative_to(data_dir).as_posix())


def make_backup(data_dir: Path, out: Path) -> BackupMade:
    """Every file of the data folder into a .tar.gz (paths relative to the folder), taken under the write lock;
    written to a temporary file and renamed, so `out` is never half an archive."""
    out = out.resolve()
    temporary = out.with_name(f".{out.name}.tmp")
    size = 0
    with write_lock(data_dir):
        files = [p for p in _data_files(data_dir) if p.resolve() != out]
        with tarfile.open(temporary, "w:gz") as archive:
            for path in files:
                archive.add(path, arcname=path.relative_to(data_dir).as_posix(), recursive=False)
                size += path.stat().st_size
    temporary.replace(out)
    return BackupMade(out, len(files), size)


def restore_backup(archive_path: Path, data_dir: Path) -> int:
    """A backup unpacked into an empty (or new) data folder; the number of files restored."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if any(data_dir.iterdir()):
        raise FileExistsError(data_dir)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        archive.extractall(data_dir, filter="data")
    return len(members)
