"""Each dashboard page as one call on the storage worker: who is asking, may they, and the page's values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.ledger import LedgerRow
from supervisor_bot.core.oversight import Interview, OverdueItem
from supervisor_bot.core.people import UserId
from supervisor_bot.services.dashboard import DashboardCache, Snapshot, snapshot
from supervisor_bot.services.dashboard_units import UnitPage, unit_page
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.timeline import Action, open_actions
from supervisor_bot.services.viewers import Access, Viewer, viewer
from supervisor_bot.views import fmt

T = TypeVar("T")


@dataclass(frozen=True)
class Looked(Generic[T]):
    viewer: Viewer
    allowed: bool
    page: T | None  # None (when allowed): no round yet, or nothing by that name
    round_id: str = ""  # the live round's


def look(
    rt: Runtime,
    cache: DashboardCache,
    leaders: frozenset[UserId],
    who: tuple[UserId, str],
    now: dt.datetime,
    allowed: Callable[[Viewer], bool],
    page: Callable[[Runtime, Snapshot], T | None],
) -> Looked[T]:
    seen = viewer(rt, leaders, *who)
    if not allowed(seen):
        return Looked(seen, False, None)
    snap = snapshot(rt, cache, now)
    if snap is None:
        return Looked(seen, True, None)
    return Looked(seen, True, page(rt, snap), snap.round.id)


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


class Stage(StrEnum):
    PROPOSED = "proposed"  # 拟约谈
    RECTIFYING = "rectifying"  # 整改期内
    RECTIFIED = "rectified"  # 整改期满，已无逾期事项
    NOT_RECTIFIED = "not_rectified"  # 整改期满，仍有逾期事项


@dataclass(frozen=True)
class InterviewLine:
    interview: Interview
    stage: Stage
    overdue: int  # the unit's overdue items now


def interviews(rt: Runtime, snap: Snapshot) -> tuple[InterviewLine, ...]:
    """Every 约谈, latest first, with where its rectification stands today."""
    today = fmt.local(snap.digest.generated_at, rt.tz).date()
    out = []
    for i in sorted(rt.store.interviews(), key=lambda i: i.proposed_at, reverse=True):
        late = sum(1 for o in snap.overdue if o.respondent == i.respondent)
        if not i.held:
            stage = Stage.PROPOSED
        elif i.rectify_by is None or today <= i.rectify_by:
            stage = Stage.RECTIFYING
        else:
            stage = Stage.NOT_RECTIFIED if late else Stage.RECTIFIED
        out.append(InterviewLine(i, stage, late))
    return tuple(out)


@dataclass(frozen=True)
class UnitWithFiles:
    page: UnitPage
    files: dict[int, tuple[Evidence, ...]]  # 佐证材料 by measure, in the order they came


def unit_with_files(rt: Runtime, snap: Snapshot, name: str) -> UnitWithFiles | None:
    """A unit's page with the files it sent, read afresh (a file is no change to the round's picture)."""
    page = unit_page(rt, snap, name)
    if page is None:
        return None
    files: dict[int, list[Evidence]] = {}
    senders = set(page.members_named) if page.collective else {name}
    for item in rt.store.evidence():
        if item.respondent in senders:
            files.setdefault(item.measure, []).append(item)
    return UnitWithFiles(page, {m: tuple(f) for m, f in files.items()})


@dataclass(frozen=True)
class FileLooked:
    viewer: Viewer
    allowed: bool
    evidence: Evidence | None  # None: not allowed, or no such file


def evidence_file(rt: Runtime, leaders: frozenset[UserId], who: tuple[UserId, str], number: str) -> FileLooked:
    """A 佐证材料 to download, if the viewer may see its unit: asked afresh at every download."""
    seen = viewer(rt, leaders, *who)
    found = next((e for e in rt.store.evidence() if e.id == number), None)
    if found is not None and not seen.may_see_unit(found.respondent):
        return FileLooked(seen, False, None)
    return FileLooked(seen, seen.access is not Access.NOBODY, found)
