"""What the dashboard (督办看板) shows, read from storage: the live round's picture, units, a unit's page.

Read services only: each returns frozen values the web front renders. The live round's picture (the digest's
ledger, lights and counts) is computed once per change of the stored state and reused by every page until the
next report, decision or ladder step (or the next minute: lights move with the clock) — looked at no more than
twice a second, so a busy dashboard costs the storage worker (and the liaisons' presses) little. Closed rounds do not
change: their summaries (for the trend and on-time rates) are computed once and kept.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from supervisor_bot.core.digest import State, measure_progress, totals
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.ledger import Digest, LedgerRow, Light, Progress
from supervisor_bot.core.oversight import OverdueItem
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.scoring import Scorecard
from supervisor_bot.services.digests import digest as build_digest
from supervisor_bot.services.overdue import overdue_now
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period, scorecard
from supervisor_bot.views import fmt

T = TypeVar("T")

FRESH_SECONDS = 0.5  # a picture this young is shown as it is: a press shows within a second, not one recompute each
TREND_ROUNDS = 26  # the chart: half a year of weekly rounds
RATE_ROUNDS = 13  # on-time rates: the last quarter's rounds
LIGHT_RANK = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


@dataclass(frozen=True)
class UnitRound:
    """One unit in one closed round: items asked, reported by the due time, and where they stood."""

    due: int
    on_time: int
    done: int
    blocked: int
    unreported: int


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    progress: Mapping[Progress, int]  # measures by progress
    units: Mapping[str, UnitRound]


@dataclass(frozen=True)
class Snapshot:
    """The live round at one moment: the digest (ledger rows with lights, counts) and the overdue items."""

    round: Round
    digest: Digest
    overdue: tuple[OverdueItem, ...]
    history: tuple[RoundSummary, ...]  # closed rounds, oldest first (at most TREND_ROUNDS)
    rows_by_unit: Mapping[str, tuple[LedgerRow, ...]]
    rows_by_measure: Mapping[int, tuple[LedgerRow, ...]]
    tz: str
    unbound: frozenset[str] = frozenset()  # 未绑定: no light, no rate, no ranking, never overdue, not in the trend
    progress: Mapping[Progress, int] = field(default_factory=dict)  # the live round's trend point (bound units)
    scores: Lazy[Scorecard] | None = None  # 考核, computed when a page first shows it (a rebuild stays quick)

    def unit_light(self, name: str) -> Light | None:
        rows = self.rows_by_unit.get(name, ())
        return max((r.light for r in rows), key=LIGHT_RANK.__getitem__, default=None)


class Lazy(Generic[T]):
    """A value computed on first use, then kept (used on the storage worker thread only, as the snapshot is)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make: Callable[[], T] | None = make
        self._value: T | None = None

    def get(self) -> T:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return cast(T, self._value)


@dataclass
class DashboardCache:
    """Kept by the web front; used only on the storage worker thread (the lock makes that a rule, not luck)."""

    config: LadderConfig = field(default_factory=LadderConfig)
    summaries: dict[str, RoundSummary] = field(default_factory=dict)
    summaries_unbound: frozenset[str] = frozenset()  # the units the kept summaries leave out
    snapshot: Snapshot | None = None
    version: tuple[object, ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock)
    clock: Callable[[], float] = time.monotonic
    fresh_for: float = FRESH_SECONDS
    checked_at: float = -math.inf

    def invalidate(self) -> None:
        """After a decision from the web: the next page shows it."""
        with self.lock:
            self.snapshot, self.version = None, ()


def _version(rt: Runtime, live: Round, now: dt.datetime) -> tuple[object, ...]:
    """Changes whenever anything the pages show changes: every report, decision and step writes an audit entry
    or a step key to the live round, or a row to a lasting table; lights move with the clock's minute."""
    store = rt.store
    return (
        live.id,
        live.closed_at,
        len(store.audit(live.id)),
        len(store.done(live.id)),
        len(store.interviews()),
        len(store.closures()),
        len(store.extensions()),
        tuple(sorted((b.respondent, b.active) for b in store.bindings())),
        fmt.local(now, rt.tz).replace(second=0, microsecond=0),
    )


def _summary(rt: Runtime, round_: Round, unbound: frozenset[str]) -> RoundSummary:
    """A closed round's figures over the units bound now (a unit not bound is in no figure, past or present)."""
    reports = rt.store.reports(round_.id)
    units = {}
    for name, duties in rt.duties.items():
        if name in unbound:
            continue
        due = on_time = done = blocked = unreported = 0
        for duty in duties:
            report = reports.get((duty.measure.number, name))
            if report is None:
                unreported += 1
            elif report.status.value == "done":
                done += 1
            elif report.status.value == "blocked":
                blocked += 1
            if report is not None and report.carried:
                continue
            due += 1
            on_time += report is not None and report.at <= round_.due_at
        units[name] = UnitRound(due, on_time, done, blocked, unreported)
    return RoundSummary(round_, _progress(rt, round_, unbound), units)


def _progress(rt: Runtime, round_: Round, unbound: frozenset[str]) -> dict[Progress, int]:
    """Measures by progress as the bound units reported them: the trend leaves the 未绑定 out."""
    bound = tuple(r for r in rt.respondents.values() if r.name not in unbound)
    return totals(measure_progress(State(rt.matrix, bound, round_, rt.store.reports(round_.id), ())))


def _history(rt: Runtime, cache: DashboardCache, live: Round, unbound: frozenset[str]) -> tuple[RoundSummary, ...]:
    closed = [r for r in rt.store.rounds() if r.opened_at < live.opened_at][-TREND_ROUNDS:]
    if cache.summaries_unbound != unbound:  # a unit bound or unbound since: every round's figures change
        cache.summaries.clear()
        cache.summaries_unbound = unbound
    for round_ in closed:
        if round_.id not in cache.summaries:
            cache.summaries[round_.id] = _summary(rt, round_, unbound)
    wanted = {r.id for r in closed}
    for stale in [k for k in cache.summaries if k not in wanted]:
        del cache.summaries[stale]
    return tuple(cache.summaries[r.id] for r in closed)


def snapshot(rt: Runtime, cache: DashboardCache, now: dt.datetime) -> Snapshot | None:
    """The live round's picture, recomputed only when the stored state (or the minute) changed."""
    live = rt.current_round()
    if live is None:
        return None
    with cache.lock:
        moment = cache.clock()
        if (
            cache.snapshot is not None
            and cache.snapshot.round.id == live.id
            and moment - cache.checked_at < cache.fresh_for
        ):
            return cache.snapshot
        cache.checked_at = moment
        version = _version(rt, live, now)
        if cache.snapshot is not None and cache.version == version:
            return cache.snapshot
        digest = build_digest(rt, cache.config, now, scored=False)
        if digest is None:  # no live round after all (it closed between the two reads)
            return None
        by_unit: dict[str, list[LedgerRow]] = {}
        by_measure: dict[int, list[LedgerRow]] = {}
        for row in digest.ledger:
            by_unit.setdefault(row.respondent, []).append(row)
            by_measure.setdefault(row.measure, []).append(row)
        unbound = frozenset(digest.unbound)
        made = Snapshot(
            live,
            digest,
            tuple(overdue_now(rt, live, now)),
            _history(rt, cache, live, unbound),
            {k: tuple(v) for k, v in by_unit.items()},
            {k: tuple(v) for k, v in by_measure.items()},
            rt.tz,
            unbound,
            _progress(rt, live, unbound),
            Lazy(lambda: scorecard(rt, current_period(rt, now), now)),
        )
        cache.snapshot, cache.version = made, version
        return made


# ----------------------------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class SectionLights:
    label: str
    title: str
    measures: Mapping[Progress, int]
    green: int
    yellow: int
    red: int


@dataclass(frozen=True)
class TrendPoint:
    round_id: str
    counts: Mapping[Progress, int]


@dataclass(frozen=True)
class Overview:
    round: Round
    digest: Digest  # totals, red items, upcoming deadlines, 约谈
    overdue_items: int
    sections: tuple[SectionLights, ...]
    trend: tuple[TrendPoint, ...]  # oldest first, the live round last
    unbound: tuple[str, ...] = ()  # 未绑定: listed apart ("尚未绑定工作群的单位"), in no figure above


def overview(rt: Runtime, snap: Snapshot) -> Overview:
    digest = snap.digest
    sections = []
    for s in digest.sections:
        lights = [r.light for r in digest.ledger if r.section == s.number]
        sections.append(
            SectionLights(
                s.label,
                s.title,
                s.counts,
                lights.count(Light.GREEN),
                lights.count(Light.YELLOW),
                lights.count(Light.RED),
            )
        )
    trend = (*(TrendPoint(h.round.id, h.progress) for h in snap.history), TrendPoint(snap.round.id, snap.progress))
    return Overview(snap.round, digest, len(snap.overdue), tuple(sections), trend, digest.unbound)
