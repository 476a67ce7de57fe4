"""A TinyDB storage that survives a crash: write a temporary file, fsync it, rename it over the old one.

TinyDB rewrites its whole file on every write and promises nothing if the process dies half-way. Here the
old file stays intact until the new one is complete and on disk, so a file is always either the last
good state or the new one — never a torn mix.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StorageCorrupted(RuntimeError):
    """A data file that is not JSON: never produced by this storage, so it was edited or damaged by hand."""


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    _fsync_directory(path.parent)


class AtomicJSONStorage(Storage):
    """Reads once and keeps the data in memory; every write goes to disk atomically before it returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._data: dict[str, dict[str, Any]] | None = None
        self.writes = 0

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
            try:
                self._data = json.loads(text) if text.strip() else None
            except json.JSONDecodeError as error:
                raise StorageCorrupted(f"数据文件 {self.path} 已损坏：{error}") from None
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        except BaseException:
            self._data = None  # TinyDB changed the cached data in place: forget it, the file is the truth
            raise
        self._data = data
        self.writes += 1

    def close(self) -> None:
        self._data = None
