"""state.json with a log of its changes beside it: a write appends the documents it changed, not the whole file.

TinyDB hands its storage the whole database on every write, and AtomicJSONStorage writes all of it. state.json
keeps what outlives a round — the list of rounds, 约谈, the digests sent, tickets, the journal — so after five
years each pending note or checklist stored rewrote and fsynced some 250 KB (a province's: 2.8 MB), seven times
week one's file, and a report with a note cost twice what it did in week one.

Here a flush appends to state.jsonl, as one line (storage.event_log: one fsync, a torn last line cut off), what
changed since the last flush. TinyDB puts a new dict in place of a table's whenever it writes to it, so only a
table whose dict is not the one last written can have changed; in it, the documents that differ from a copy of
what was last written (TinyDB updates a document in place) are written, with the ids of those removed — or the
whole table, the first time a process changes it or when most of it changed. Reading replays the lines over
state.json. Once the log outgrows the snapshot, the snapshot is written afresh (atomically) and the log emptied;
a crash between the two replays changes the snapshot already holds, to the same result.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import orjson

from storage.atomic_storage import AtomicJSONStorage, StorageCorrupted, write_atomically
from storage.event_log import EventLog

COMPACT_AT = 256 * 1024  # bytes of log, at the least, before the snapshot is rewritten
_Diff = tuple[dict[str, Any], list[str]]  # a table's documents set, and the ids removed
log = logging.getLogger(__name__)


class JournaledJSONStorage(AtomicJSONStorage):
    def __init__(self, path: str | Path, deferred: bool = False) -> None:
        super().__init__(path, deferred)
        self.log = EventLog(self.path.with_suffix(".jsonl"))
        self._written: dict[str, Any] = {}  # each table's dict, as last written
        self._copies: dict[str, dict[str, Any]] = {}  # copies of the documents of the tables changed so far
        self._snapshot_size = 0

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            data = self._snapshot()
            for change in self.log.read():
                _replay(data, change, self.log.path)
            self._data = data if data or self.path.exists() or self.log.path.exists() else None
            self._written = dict(data)
            self._copies = {}
        return self._data

    def _snapshot(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        self._snapshot_size = len(raw)
        try:
            data = orjson.loads(raw) if raw.strip() else {}
        except orjson.JSONDecodeError as error:
            raise StorageCorrupted(f"数据文件 {self.path} 已损坏：{error}") from None
        if not isinstance(data, dict):
            raise StorageCorrupted(f"数据文件 {self.path} 不是表的集合")
        return data

    def flush(self) -> None:
        """What changed since the last flush, appended as one line; the snapshot rewritten once the log has grown
        past it. On failure the unwritten changes are dropped: the files are the truth."""
        if not self._dirty or self._data is None:
            return
        data = self._data
        changes, diffs = self._changes(data)
        try:
            if changes:
                self.log.append(changes)
        except BaseException:
            self._data = None
            self._written, self._copies = {}, {}
            self._dirty = False
            self.writes += 1
            raise
        self._remember(data, diffs)
        if self.log.path.stat().st_size > max(COMPACT_AT, 2 * self._snapshot_size):
            self._compact(data)

    def _changes(self, data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, _Diff]]:
        """The log line for what changed since the last flush (a table whole, or the documents set and removed),
        and each diffed table's diff."""
        changes: list[dict[str, Any]] = [{"table": name, "docs": None} for name in self._written if name not in data]
        diffs: dict[str, _Diff] = {}
        for name, docs in data.items():
            if self._written.get(name) is docs:
                continue
            before = self._copies.get(name)
            if before is None:
                changes.append({"table": name, "docs": docs})
                continue
            changed = {doc_id: doc for doc_id, doc in docs.items() if before.get(doc_id) != doc}
            removed = [doc_id for doc_id in before if doc_id not in docs]
            diffs[name] = (changed, removed)
            if 2 * (len(changed) + len(removed)) > len(docs):
                changes.append({"table": name, "docs": docs})
            elif changed or removed:
                changes.append({"table": name, "set": changed, "remove": removed})
        return changes, diffs

    def _remember(self, data: dict[str, Any], diffs: dict[str, _Diff]) -> None:
        """The copies the next flush compares against, brought up to what was just written."""
        for name, docs in data.items():
            if self._written.get(name) is docs:
                continue
            if name in diffs:
                changed, removed = diffs[name]
                self._copies[name].update((doc_id, dict(doc)) for doc_id, doc in changed.items())
                for doc_id in removed:
                    del self._copies[name][doc_id]
            else:
                self._copies[name] = {doc_id: dict(doc) for doc_id, doc in docs.items()}
        for name in [name for name in self._copies if name not in data]:
            del self._copies[name]
        self._written = dict(data)
        self._dirty = False

    def _compact(self, data: dict[str, Any]) -> None:
        """The snapshot written afresh, then the log emptied. What is written is already durable in the log:
        if either step fails, the files still read back the same, and the next flush tries again."""
        snapshot = orjson.dumps(data)
        try:
            write_atomically(self.path, snapshot)
            self._snapshot_size = len(snapshot)
            self.log.rewrite([])
        except OSError as error:
            log.warning("compacting %s failed (its log keeps every change): %s", self.path, error)

    def close(self) -> None:
        """Flushed, and state.json brought up to date: after a clean stop it holds everything by itself."""
        self.flush()
        if self._data is not None and self.log.path.exists() and self.log.path.stat().st_size:
            self._compact(self._data)
        self._data = None
        self._written, self._copies = {}, {}


def _replay(data: dict[str, Any], change: Any, source: Path) -> None:
    """One change of the log: a whole table (None: dropped), or some of its documents set and some removed."""
    if not isinstance(change, dict) or not isinstance(change.get("table"), str):
        raise StorageCorrupted(f"数据文件 {source} 的记录无法识别：{change!r}")
    name = change["table"]
    if "docs" in change:
        if change["docs"] is None:
            data.pop(name, None)
        else:
            data[name] = change["docs"]
        return
    table = data.setdefault(name, {})
    table.update(change["set"])
    for doc_id in change["remove"]:
        table.pop(doc_id, None)
