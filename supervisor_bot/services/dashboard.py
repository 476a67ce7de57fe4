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

from supervisor_bot.core.digest import State, measure_progress, totals
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.ledger import Digest, LedgerRow, Light, OnTime, Progress
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import OverdueItem
from supervisor_bot.core.rounds import Round
from supervisor_bot.services.digests import digest as build_digest
from supervisor_bot.services.overdue import overdue_now
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt

FRESH_SECONDS = 0.5  # a picture this young is shown as it is: a press shows within a second, not one recompute each
TREND_ROUNDS = 26  # the chart: half a year of weekly rounds
RATE_ROUNDS = 13  # on-time rates: the last quarter's rounds
_LIGHT_RANK = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


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

    def unit_light(self, name: str) -> Light | None:
        rows = self.rows_by_unit.get(name, ())
        return max((r.light for r in rows), key=_LIGHT_RANK.__getitem__, default=None)


@dataclass
class DashboardCache:
    """Kept by the web front; used only on the storage worker thread (the lock makes that a rule, not luck)."""

    config: LadderConfig = field(default_factory=LadderConfig)
    summaries: dict[str, RoundSummary] = field(default_factory=dict)
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


def _summary(rt: Runtime, round_: Round) -> RoundSummary:
    reports = rt.store.reports(round_.id)
    state = State(rt.matrix, tuple(rt.respondents.values()), round_, reports, ())
    units = {}
    for name, duties in rt.duties.items():
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
    return RoundSummary(round_, totals(measure_progress(state)), units)


def _history(rt: Runtime, cache: DashboardCache, live: Round) -> tuple[RoundSummary, ...]:
    closed = [r for r in rt.store.rounds() if r.opened_at < live.opened_at][-TREND_ROUNDS:]
    for round_ in closed:
        if round_.id not in cache.summaries:
            cache.summaries[round_.id] = _summary(rt, round_)
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
        digest = build_digest(rt, cache.config, now)
        if digest is None:  # no live round after all (it closed between the two reads)
            return None
        by_unit: dict[str, list[LedgerRow]] = {}
        by_measure: dict[int, list[LedgerRow]] = {}
        for row in digest.ledger:
            by_unit.setdefault(row.respondent, []).append(row)
            by_measure.setdefault(row.measure, []).append(row)
        made = Snapshot(
            live,
            digest,
            tuple(overdue_now(rt, live, now)),
            _history(rt, cache, live),
            {k: tuple(v) for k, v in by_unit.items()},
            {k: tuple(v) for k, v in by_measure.items()},
            rt.tz,
        )
        cache.snapshot, cache.version = made, version
        return made


# ----------------------------------------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitLine:
    """A unit in the list: its light, roles, on-time rate over recent rounds and open overdue items."""

    name: str
    department: str
    light: Light | None  # None: nothing asked of it this round
    leads: int
    supports: int
    on_time: OnTime | None
    overdue: int
    members: tuple[UnitLine, ...] = ()  # a collective body's members
    score: float | None = None  # 考核: this period's score so far; None: not scored (not bound)

    @property
    def rate(self) -> float:
        return self.on_time.rate if self.on_time is not None else 1.0


def _rate(snap: Snapshot, name: str) -> OnTime | None:
    rounds = list(snap.history[-RATE_ROUNDS:])
    due = sum(s.units[name].due for s in rounds if name in s.units)
    on_time = sum(s.units[name].on_time for s in rounds if name in s.units)
    if snap.round.due_at <= snap.digest.generated_at:
        rows = snap.rows_by_unit.get(name, ())
        due += sum(1 for r in rows if r.status != "已销号")
        on_time += sum(
            1 for r in rows if r.reported_at is not None and r.reported_at <= snap.round.due_at and r.status != "已销号"
        )
    return OnTime(name, on_time, due) if due else None


def _unit_line(rt: Runtime, snap: Snapshot, name: str) -> UnitLine:
    duties = rt.duties.get(name, ())
    overdue = sum(1 for o in snap.overdue if o.respondent == name)
    return UnitLine(
        name,
        rt.respondents[name].department,
        snap.unit_light(name),
        sum(1 for d in duties if d.role is Role.LEAD),
        sum(1 for d in duties if d.role is Role.CO),
        _rate(snap, name),
        overdue,
        score=_score(snap, name),
    )


def _score(snap: Snapshot, name: str) -> float | None:
    scored = snap.digest.scores.of(name) if snap.digest.scores is not None else None
    return scored.score if scored is not None else None


def unit_lines(rt: Runtime, snap: Snapshot) -> tuple[UnitLine, ...]:
    """Every unit in registry order; a collective body is one line with its members under it."""
    groups: dict[str, list[UnitLine]] = {}
    for name, respondent in rt.respondents.items():
        groups.setdefault(respondent.department, []).append(_unit_line(rt, snap, name))
    out = []
    for department, lines in groups.items():
        if len(lines) == 1 and lines[0].name == department:
            out.append(lines[0])
            continue
        lights = [m.light for m in lines if m.light is not None]
        rates = [m.on_time for m in lines if m.on_time is not None]
        out.append(
            UnitLine(
                department,
                department,
                max(lights, key=_LIGHT_RANK.__getitem__) if lights else None,
                lines[0].leads,
                lines[0].supports,
                OnTime(department, sum(r.on_time for r in rates), sum(r.due for r in rates)) if rates else None,
                sum(m.overdue for m in lines),
                tuple(lines),
                _mean([m.score for m in lines if m.score is not None]),
            )
        )
    return tuple(out)


def _mean(scores: list[float]) -> float | None:
    """A collective body's score: its scored members' average."""
    return round(sum(scores) / len(scores), 2) if scores else None


@dataclass(frozen=True)
class UnitHistory:
    round_id: str
    due: int
    on_time: int
    done: int
    blocked: int
    unreported: int


@dataclass(frozen=True)
class UnitPage:
    line: UnitLine
    rows: tuple[LedgerRow, ...]  # this round's items, in plan order
    history: tuple[UnitHistory, ...]  # recent closed rounds, latest first


def unit_page(rt: Runtime, snap: Snapshot, name: str) -> UnitPage | None:
    if name not in rt.respondents:
        return None
    history = tuple(
        UnitHistory(s.round.id, u.due, u.on_time, u.done, u.blocked, u.unreported)
        for s in reversed(snap.history)
        if (u := s.units.get(name)) is not None
    )
    return UnitPage(_unit_line(rt, snap, name), snap.rows_by_unit.get(name, ()), history)


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
    trend = (*(TrendPoint(h.round.id, h.progress) for h in snap.history), TrendPoint(snap.round.id, digest.totals))
    return Overview(snap.round, digest, len(snap.overdue), tuple(sections), trend)
