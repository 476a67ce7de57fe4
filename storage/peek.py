"""Read the stored state without touching it — for `check-config` while the bot may be running: no file is
created, truncated or rewritten (the store's own reading cuts off a torn last line; here it is skipped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from storage import binding_codec
from storage.backup import LOCK_NAME, write_lock
from storage.state_storage import _replay
from supervisor_bot.core.bindings import Binding


def _lines(path: Path) -> list[Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    events: list[Any] = []
    for line in raw.split(b"\n"):
        try:
            events += orjson.loads(line) if line.strip() else []
        except orjson.JSONDecodeError:  # a line being written this very moment
            break
    return events


def stored_state(data_dir: Path) -> dict[str, Any]:
    """state.json with its log replayed, read under the write lock when a store ever opened the folder (a
    compaction between reading the one and the other would lose the changes it folds in)."""
    if not (data_dir / LOCK_NAME).is_file():
        return _state(data_dir)
    with write_lock(data_dir):
        return _state(data_dir)


def _state(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "state.json"
    try:
        data: dict[str, Any] = orjson.loads(path.read_bytes() or b"{}")
    except (FileNotFoundError, orjson.JSONDecodeError):
        data = {}
    for change in _lines(path.with_suffix(".jsonl")):
        _replay(data, change, path)
    return data


def stored_bindings(data_dir: Path) -> list[Binding]:
    table = stored_state(data_dir).get("bindings", {})
    return [binding_codec.binding(dict(doc)) for doc in table.values()] if isinstance(table, dict) else []
