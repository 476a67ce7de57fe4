"""Answers kept between calls while they hold: nothing written since (the store's revision stands) and no deadline
in them passed (their term, from core.oversight.overdue_with_term). Every /status, /overdue and dashboard page
judges each item of the round; the same answer a moment later is given again instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from supervisor_bot.services.runtime import Runtime

KEPT = 256  # answers kept at most (a unit's /status keeps one of its own)


@dataclass(frozen=True)
class _Kept:
    revision: int
    at: dt.datetime
    until: dt.datetime | None  # None: until something is written
    value: Any

    def holds(self, revision: int | None, now: dt.datetime) -> bool:
        return revision == self.revision and self.at <= now and (self.until is None or now < self.until)


def recall(rt: Runtime, key: tuple[object, ...], now: dt.datetime) -> tuple[bool, Any]:
    """(True, the answer) if one kept under `key` still holds at `now`, else (False, None)."""
    kept = rt.kept.get(key)
    if isinstance(kept, _Kept) and kept.holds(rt.store.revision(), now):
        return True, kept.value
    return False, None


def keep(rt: Runtime, key: tuple[object, ...], now: dt.datetime, until: dt.datetime | None, value: Any) -> None:
    """Keep an answer worked out at `now` that holds until `until` (a store that keeps no revision: not kept)."""
    revision = rt.store.revision()
    if revision is None:
        return
    if len(rt.kept) >= KEPT:
        rt.kept.clear()
    rt.kept[key] = _Kept(revision, now, until, value)
