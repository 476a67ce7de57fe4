"""Each dashboard page as one call on the storage worker: who is asking, may they, and the page's values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from supervisor_bot.core.ledger import LedgerRow
from supervisor_bot.core.oversight import Interview, OverdueItem
from supervisor_bot.services.dashboard import DashboardCache, Snapshot, snapshot
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.timeline import Action, open_actions
from supervisor_bot.services.viewers import Viewer, viewer

T = TypeVar("T")


@dataclass(frozen=True)
class Looked(Generic[T]):
    viewer: Viewer
    allowed: bool
    page: T | None  # None (when allowed): no round yet, or nothing by that name


def look(
    rt: Runtime,
    cache: DashboardCache,
    leaders: frozenset[int],
    who: tuple[int, str],
    now: dt.datetime,
    allowed: Callable[[Viewer], bool],
    page: Callable[[Runtime, Snapshot], T | None],
) -> Looked[T]:
    seen = viewer(rt, leaders, *who)
    if not allowed(seen):
        return Looked(seen, False, None)
    snap = snapshot(rt, cache, now)
    return Looked(seen, True, page(rt, snap) if snap is not None else None)


@dataclass(frozen=True)
class OverdueLine:
    item: OverdueItem
    row: LedgerRow | None
    actions: tuple[Action, ...]


def overdue_lines(rt: Runtime, snap: Snapshot) -> tuple[OverdueLine, ...]:
    actions = open_actions(rt, snap)
    rows = {(r.measure, r.respondent): r for r in snap.digest.ledger}
    return tuple(
        OverdueLine(o, rows.get((o.measure, o.respondent)), actions.get((o.measure, o.respondent), ()))
        for o in snap.overdue
    )


def interviews(rt: Runtime, _: Snapshot) -> tuple[Interview, ...]:
    return tuple(sorted(rt.store.interviews(), key=lambda i: i.proposed_at, reverse=True))
