"""A TinyDB storage that survives a crash: write a temporary file, fsync it, rename it over the old one.

TinyDB rewrites its whole file on every write and promises nothing if the process dies half-way. Here the
old file stays intact until the new one is complete and on disk, so a file is always either the last
good state or the new one — never a torn mix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage


class StorageCorrupted(RuntimeError):
    """A data file that is not JSON: never produced by this storage, so it was edited or damaged by hand."""


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    fsync_directory(path.parent)


class AtomicJSONStorage(Storage):
    """Reads once and keeps the data in memory; every write goes to disk atomically before it returns —
    or, `deferred`, at the next `flush()` (group commit: many changes, one fsync)."""

    def __init__(self, path: str | Path, deferred: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.deferred = deferred
        self._data: dict[str, dict[str, Any]] | None = None
        self._dirty = False
        self.writes = 0  # changes handed to it, and data dropped after a failed flush: a version of what it holds

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return None
            try:
                self._data = orjson.loads(raw) if raw.strip() else None
            except orjson.JSONDecodeError as error:
                raise StorageCorrupted(f"数据文件 {self.path} 已损坏：{error}") from None
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self._dirty = True
        self.writes += 1
        if not self.deferred:
            self.flush()

    @property
    def dirty(self) -> bool:
        """Changes not on disk yet (deferred until the next flush)."""
        return self._dirty

    def flush(self) -> None:
        """Put the data on disk, atomically. On failure the unwritten changes are dropped: the file is the truth."""
        if not self._dirty or self._data is None:
            return
        try:
            write_atomically(self.path, orjson.dumps(self._data))  # UTF-8, compact, and ten times json's speed
        except BaseException:
            self._data = None
            self._dirty = False
            self.writes += 1
            raise
        self._dirty = False

    def close(self) -> None:
        self.flush()
        self._data = None
