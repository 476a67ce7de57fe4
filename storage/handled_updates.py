"""The ids of the Telegram updates the bot has handled, so that updates redelivered after a crash are skipped.

Telegram forgets an update only when the next getUpdates confirms it; a bot killed in between receives it again.
The ids are not written on their own (a read-only command costs no disk write): they ride along with the next
real write — inside the same line of the round's log when there is one (so an effect and the update that caused
it reach the disk together), else in updates.jsonl just before the state file. Either way an update may at worst
be remembered without its effect — and then no one was told it took effect — never the other way round.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from pathlib import Path

from storage.atomic_storage import StorageCorrupted
from storage.event_log import EventLog

KEEP = 5000  # far more than Telegram redelivers (at most a getUpdates batch of 100 is unconfirmed)


class HandledUpdates:
    def __init__(self, path: Path, keep: int = KEEP) -> None:
        self._log = EventLog(path, deferred=True)
        self._keep = keep
        self._ids: deque[int] = deque(maxlen=keep)
        self._unsaved: list[int] = []
        events = self._log.read()
        if not all(isinstance(i, int) for i in events):
            raise StorageCorrupted(f"数据文件 {path} 含有非整数的更新编号")
        self._ids.extend(events)
        self._on_disk = len(events)  # the log is rewritten to the latest `keep` ids once it grows past 4×

    def ids(self) -> set[int]:
        return set(self._ids)

    def remember(self, ids: Iterable[int]) -> None:
        """Ids found on disk elsewhere (in a round's log)."""
        known = set(self._ids)
        self._ids.extend(i for i in ids if i not in known)

    def add(self, update_id: int) -> None:
        self._ids.append(update_id)
        self._unsaved.append(update_id)

    def take(self) -> list[int]:
        """The ids not on disk yet, for the caller to write with its own batch."""
        taken, self._unsaved = self._unsaved, []
        return taken

    def flush(self) -> None:
        """The ids not on disk yet, in this log."""
        if not self._unsaved:
            return
        self._on_disk += len(self._unsaved)
        if self._on_disk > 4 * self._keep:
            self._unsaved = []
            self._log.rewrite(list(self._ids))
            self._on_disk = len(self._ids)
        else:
            self._log.append(self.take())
            self._log.flush()
