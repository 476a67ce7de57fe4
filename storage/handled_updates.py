"""The ids of the Telegram updates the bot has handled, so that updates redelivered after a crash are skipped.

Telegram forgets an update only when the next getUpdates confirms it; a bot killed in between receives it again.
The ids ride along with the next real write and go to disk before it: if the process dies half-way, an update
may be remembered without its effect — but then no one was told it took effect — never the other way round.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import orjson

from storage.atomic_storage import StorageCorrupted, write_atomically

KEEP = 5000  # far more than Telegram redelivers (at most a getUpdates batch of 100 is unconfirmed)


class HandledUpdates:
    def __init__(self, path: Path, keep: int = KEEP) -> None:
        self.path = path
        self._ids: deque[int] = deque(maxlen=keep)
        self._dirty = False
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        try:
            self._ids.extend(int(i) for i in orjson.loads(raw))
        except (orjson.JSONDecodeError, TypeError, ValueError) as error:
            raise StorageCorrupted(f"数据文件 {path} 已损坏：{error}") from None

    def ids(self) -> set[int]:
        return set(self._ids)

    def add(self, update_id: int) -> None:
        self._ids.append(update_id)
        self._dirty = True

    def flush(self) -> None:
        if self._dirty:
            write_atomically(self.path, orjson.dumps(list(self._ids)))
            self._dirty = False
