"""A consistent copy of the data folder while the bot runs, and the lock that makes it consistent.

The store writes its files only in `flush()` and `close()` (the deployment runs with group commit): round logs
first, then state.jsonl and, when it compacts, state.json. Both take `write.lock` in the data folder (an `flock`,
released by the kernel when a process dies, so a crash never leaves it stuck). A copy takes the same lock only
to fix what it copies: it opens every file that is replaced whole (state.json, its log, the plans: written to a
temporary file and renamed, so an open file keeps its content) and notes the length of every append-only log
(a round's) — then lets the bot go on and reads each up to that point. It sees every flush whole or not at all,
and the bot waits for some `open`s and `stat`s, not for the copy (a province's five years are hundreds of MB).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.imported_plan import FILE as IMPORTED

LOCK_NAME = "write.lock"
_SKIPPED_SUFFIXES = (".lock", ".pid", ".tmp")  # locks and half-written temporary files are no data
# the dashboard's signing key and its sessions: never in a copy (a restored bot makes a new key, every session ends)
NOT_BACKED_UP = frozenset({"web-secret", "web-sessions.json"})
# derived from the settings folder's plan files, not data: made again at the first start after a restore
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


def _data_files(data_dir: Path, skipped_folders: tuple[str, ...] = ()) -> list[Path]:
    """The folder's data files (never a lock, a temporary file, a derived import or the dashboard's key), by name."""
    files = [
        p
        for p in data_dir.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and not p.name.endswith(_SKIPPED_SUFFIXES)
        and p.name not in _SKIPPED_NAMES
        and p.relative_to(data_dir).as_posix() not in NOT_BACKED_UP
        and p.relative_to(data_dir).parts[0] not in skipped_folders
    ]
    return sorted(files, key=lambda p: p.relative_to(data_dir).as_posix())


@dataclass(frozen=True)
class _Fixed:
    """A file as it was under the lock: its name in the folder, its length, its open descriptor (files that are
    replaced whole) or None (append-only logs, read from the path up to `size`)."""

    path: Path
    name: str
    size: int
    mtime: int
    fd: int | None

    def read(self) -> bytes:
        """The file's bytes as they were under the lock (a torn last line the bot has cut since may be missing)."""
        if self.fd is not None:
            return os.pread(self.fd, self.size, 0)
        with self.path.open("rb") as file:
            return file.read(self.size)


@contextlib.contextmanager
def _fixed(data_dir: Path, skipped_folders: tuple[str, ...] = ()) -> Iterator[list[_Fixed]]:
    """The data files as they are between two flushes: fixed under the write lock, read after it."""
    fixed: list[_Fixed] = []
    try:
        with write_lock(data_dir):
            for path in _data_files(data_dir, skipped_folders):
                name = path.relative_to(data_dir).as_posix()
                appended = name.startswith(("rounds/", "evidence/", "digests/"))  # never replaced, only added to
                fd = None if appended else os.open(path, os.O_RDONLY)
                found = os.fstat(fd) if fd is not None else path.stat()
                fixed.append(_Fixed(path, name, found.st_size, int(found.st_mtime), fd))
        yield fixed
    finally:
        for entry in fixed:
            if entry.fd is not None:
                os.close(entry.fd)


def make_backup(data_dir: Path, out: Path) -> BackupMade:
    """Every file of the data folder into a .tar.gz (paths relative to the folder), as it was at one moment
    between two flushes; written (mode 0600: it holds everything the bot knows) to a temporary file and renamed,
    so `out` is never half an archive. The dashboard's signing key is left out: whoever holds a copy cannot forge
    a session."""
    out = out.resolve()
    temporary = out.with_name(f".{out.name}.tmp")
    size = 0
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a temporary file left by an earlier attempt keeps its mode otherwise
    with os.fdopen(fd, "wb") as raw, _fixed(data_dir) as files:
        kept = [f for f in files if f.path.resolve() != out]
        with tarfile.open(fileobj=raw, mode="w:gz") as archive:
            for entry in kept:
                data = entry.read()
                info = tarfile.TarInfo(entry.name)
                info.size, info.mode, info.mtime = len(data), 0o600, entry.mtime
                archive.addfile(info, io.BytesIO(data))
                size += len(data)
        raw.flush()
        os.fsync(raw.fileno())
    temporary.replace(out)
    return BackupMade(out, len(kept), size)


def copy_for_reading(data_dir: Path, copy: Path) -> int:
    """The store's files as they were at one moment between two flushes, copied to `copy` (evidence and digests,
    which the store does not read, are left): a command that only reads opens its store on the copy, so it never
    writes the live folder. The number of files copied."""
    copy.mkdir(parents=True, exist_ok=True)
    if not data_dir.is_dir():
        return 0
    with _fixed(data_dir, skipped_folders=("evidence", "digests")) as files:
        for entry in files:
            target = copy / entry.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.read())
    return len(files)
