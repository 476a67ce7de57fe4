"""An append-only log of events, one line per batch: what a round's file and the handled updates are kept in.

Events only ever accumulate, so rather than rewrite a whole file for each change (as TinyDB does) a batch is
appended as one line — a JSON array — and fsynced: writing the 3,000th report of a round costs what the first
did. A crash can tear only the last line, and a torn line is a batch no one was told about (nothing is confirmed
before its fsync returns): it is cut off when the log is opened. Any other unreadable line means damage.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from storage.atomic_storage import StorageCorrupted, fsync_directory, write_atomically


class EventLog:
    """`deferred`: appended events wait in memory for `flush()` (group commit: many batches, one fsync).
    `kept_open`: the file stays open between flushes (a round's log, written with every press: opening it again
    after a pause cost about 0.1 ms, a third of the fsync), until `close()`; else it is opened for each flush."""

    def __init__(self, path: Path, deferred: bool = False, kept_open: bool = False) -> None:
        self.path = path
        self.deferred = deferred
        self.kept_open = kept_open
        self._pending: list[Any] = []
        self._size: int | None = None  # bytes known to be whole on disk
        self._file: BinaryIO | None = None

    def read(self) -> list[Any]:
        """Every event on disk, in order; a torn last line (a crash mid-write) is cut off first."""
        self.close()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._size = 0
            return []
        whole = raw.rfind(b"\n") + 1
        if whole < len(raw):
            with self.path.open("r+b") as handle:
                handle.truncate(whole)
                os.fsync(handle.fileno())
        events: list[Any] = []
        for number, line in enumerate(raw[:whole].splitlines(), start=1):
            try:
                batch = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise StorageCorrupted(f"数据文件 {self.path} 第{number}行已损坏：{error}") from None
            if not isinstance(batch, list):
                raise StorageCorrupted(f"数据文件 {self.path} 第{number}行不是事件列表")
            events.extend(batch)
        self._size = whole
        return events

    def append(self, events: list[Any]) -> None:
        self._pending.extend(events)
        if not self.deferred:
            self.flush()

    @property
    def dirty(self) -> bool:
        return bool(self._pending)

    def flush(self) -> None:
        """The pending events, on disk as one line. On failure the file is cut back and the events dropped."""
        if not self._pending:
            return
        if self._size is None:
            self.read()
        assert self._size is not None
        line = orjson.dumps(self._pending) + b"\n"
        self._pending = []
        new = self._size == 0 and not self.path.exists()
        if new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self._file if self._file is not None else self.path.open("ab")
        try:
            file.write(line)
            file.flush()
            _sync(file.fileno())
        except BaseException:
            try:
                file.truncate(self._size)
            finally:
                file.close()
                self._file = None
            raise
        if self.kept_open:
            self._file = file
        else:
            file.close()
        if new:
            fsync_directory(self.path.parent)
        self._size += len(line)

    def close(self) -> None:
        """The file closed (a kept-open log); what is pending stays pending."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def rewrite(self, events: list[Any]) -> None:
        """Replace the whole log with `events`, atomically (to keep a log from growing without end)."""
        self._pending = []
        self.close()  # the file is replaced: a descriptor kept would write to the old one
        data = orjson.dumps(events) + b"\n" if events else b""
        write_atomically(self.path, data)
        self._size = len(data)


def _sync(fd: int) -> None:
    """The appended line on disk. fdatasync suffices for an append (it writes the new length with the data, as
    reading the data back needs) and not the file's times, as fsync does: a press is committed sooner."""
    sync = getattr(os, "fdatasync", os.fsync)  # (macOS has only fsync)
    sync(fd)
