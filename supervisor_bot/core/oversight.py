"""What supervision decides on: extensions, resolutions, closures, interviews — and which items are overdue.

An item (a measure × a responsible unit) is overdue when
- it was not reported by the round's due time (未按时报送);
- its measure has an explicit end date, it is a lead's item, and it was not reported 已完成 by then (逾期未完成);
- it was reported 有困难 two rounds in a row (连续两轮有困难).
An extension (延期) moves the date the item is measured against; a resolution (已核实) settles it for the round.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pendulum

from supervisor_bot.core.matrix import Matrix, Measure, Role
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import Respondent
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status

ItemKey = tuple[int, str]  # (measure, respondent)


class Reason(StrEnum):
    PAST_DEADLINE = "past_deadline"
    BLOCKED_TWICE = "blocked_twice"
    UNREPORTED = "unreported"

    @property
    def label(self) -> str:
        return {
            Reason.PAST_DEADLINE: "逾期未完成",
            Reason.BLOCKED_TWICE: "连续两轮有困难",
            Reason.UNREPORTED: "未按时报送",
        }[self]


@dataclass(frozen=True)
class Extension:
    """延期: the item is measured against `until` from now on."""

    measure: int
    respondent: str
    until: dt.date
    by: Actor
    at: dt.datetime
    plan: str = ""  # the plan's key


@dataclass(frozen=True)
class Resolution:
    """已核实: a coordinator settled the item for this round."""

    round_id: str
    measure: int
    respondent: str
    by: Actor
    at: dt.datetime


class ClosureState(StrEnum):
    PENDING = "pending"  # 已完成待核实
    CLOSED = "closed"  # 已销号
    RETURNED = "returned"  # 退回


@dataclass(frozen=True)
class Closure:
    """办结销号: a lead's 已完成 goes to the bureau, which closes it or sends it back with a reason."""

    measure: int
    respondent: str
    state: ClosureState
    note: str  # the department's note on completion
    reported_at: dt.datetime
    decided_by: Actor | None = None
    decided_at: dt.datetime | None = None
    reason: str = ""  # why it was sent back
    plan: str = ""  # the plan's key


@dataclass(frozen=True)
class Interview:
    """约谈: proposed by the bot, then held and recorded by a coordinator with a rectification deadline."""

    respondent: str
    proposed_at: dt.datetime
    proposed_for: dt.datetime
    reasons: tuple[str, ...]
    items: tuple[int, ...]  # measures
    held_on: dt.date | None = None
    points: str = ""
    rectify_by: dt.date | None = None
    recorded_by: Actor | None = None
    plan: str = ""  # the plan's key

    @property
    def held(self) -> bool:
        return self.held_on is not None


class Basis(StrEnum):
    """The date an item is measured against."""

    ROUND_DUE = "round_due"  # the round's due time
    MEASURE_DEADLINE = "measure_deadline"  # the measure's own end date
    EXTENSION = "extension"  # a 延期 granted from a 督办单
    BLOCKED = "blocked"  # 有困难 reported again: measured against the round

    @property
    def label(self) -> str:
        return {
            Basis.ROUND_DUE: "报送截止",
            Basis.MEASURE_DEADLINE: "完成时限",
            Basis.EXTENSION: "延期至",
            Basis.BLOCKED: "报送截止",
        }[self]


@dataclass(frozen=True)
class OverdueItem:
    measure: int
    respondent: str
    role: Role
    reason: Reason
    since: dt.datetime  # when it became overdue
    deadline: dt.date  # the date it is measured against
    leaders: tuple[str, ...] = ()  # the measure's 责任领导: whom a 约谈 concerns
    basis: Basis = Basis.ROUND_DUE


@dataclass(frozen=True)
class ItemFacts:
    """What decides whether one item (measure × unit) is overdue in a round."""

    measure: Measure
    respondent: str
    role: Role
    report: Report | None = None  # this round's
    previous: Report | None = None  # the round before's
    extension: Extension | None = None
    resolved: bool = False  # 已核实 this round
    closed: bool = False  # the measure is 销号


@dataclass(frozen=True)
class Verdict:
    """One item at one moment: the date it is measured against, and whether (why, since when) it is overdue."""

    basis: Basis
    due: dt.datetime  # the moment it is measured against
    reason: Reason | None = None  # None: not overdue
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # it holds while the time is before this (None: until something is written)

    @property
    def overdue(self) -> bool:
        return self.reason is not None


@functools.lru_cache(maxsize=4096)
def end_of_day(day: dt.date, tz: str) -> pendulum.DateTime:
    """(Kept once made: every /status judges each measure's end date, and a measure has few.)"""
    return pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, tz=tz)


def at_time_of(day: dt.date, moment: dt.datetime, tz: str) -> pendulum.DateTime:
    local = pendulum.instance(moment).in_timezone(tz)
    return pendulum.datetime(day.year, day.month, day.day, local.hour, local.minute, tz=tz)


def effective_due(round_: Round, extension: Extension | None, tz: str) -> dt.datetime:
    """The round's due time, or the extension's date at the same time of day if that is later."""
    if extension is not None and extension.until >= round_.due_at.date() - dt.timedelta(days=1):
        moved = at_time_of(extension.until, round_.due_at, tz)  # (an extension long past is not looked at)
        if moved > round_.due_at:
            return moved
    return round_.due_at


def closed_measures(matrix: Matrix, closures: Iterable[Closure], units: Iterable[Respondent]) -> set[int]:
    """Measures whose every lead unit has had its 已完成 verified (销号)."""
    closed_items = {(c.measure, c.respondent) for c in closures if c.state is ClosureState.CLOSED}
    if not closed_items:
        return set()
    leads: dict[int, set[str]] = {}
    for unit in units:
        for measure, role in matrix.roles_of(unit.department):
            if role is Role.LEAD:
                leads.setdefault(measure.number, set()).add(unit.name)
    return {m for m, names in leads.items() if names and all((m, n) in closed_items for n in names)}


def judge(facts: ItemFacts, round_: Round, now: dt.datetime, tz: str) -> Verdict:
    """The one rule for "overdue", used by /status, /overdue, the ladder, the 督办单, the digest, the ledger and
    the dashboard's lights. In order of seriousness:
    - a lead's item past its measure's end date (or a later 延期) without 已完成: 逾期未完成, from the end of that day;
    - 有困难 this round and the round before: 连续两轮有困难, from this round's report;
    - not reported by the round's due time (or a later 延期 at the same time of day): 未按时报送, from that moment.
    A measure 销号 and an item 已核实 this round are never overdue."""
    due = effective_due(round_, facts.extension, tz)
    basis = Basis.EXTENSION if due != round_.due_at else Basis.ROUND_DUE
    if facts.closed or facts.resolved:
        return Verdict(basis, due)
    end = facts.measure.end_date
    report = facts.report
    late_at = None  # when a lead's item not 已完成 becomes 逾期未完成
    if end is not None and facts.role is Role.LEAD and (report is None or report.status is not Status.DONE):
        extended = facts.extension is not None and facts.extension.until > end
        deadline = facts.extension.until if extended and facts.extension is not None else end
        limit = end_of_day(deadline, tz)
        if now > limit:
            return Verdict(Basis.EXTENSION if extended else Basis.MEASURE_DEADLINE, limit, Reason.PAST_DEADLINE, limit)
        late_at = limit
    before = facts.previous.status if facts.previous is not None else None
    if report is not None and report.status is Status.BLOCKED and before is Status.BLOCKED:
        return Verdict(Basis.BLOCKED, round_.due_at, Reason.BLOCKED_TWICE, report.at, late_at)
    if report is None and now >= due:
        return Verdict(basis, due, Reason.UNREPORTED, due, late_at)
    return Verdict(basis, due, until=_earliest(late_at, due if report is None else None))


def _earliest(*moments: dt.datetime | None) -> dt.datetime | None:
    return min((m for m in moments if m is not None), default=None)


def overdue_item(facts: ItemFacts, verdict: Verdict, tz: str) -> OverdueItem | None:
    """The verdict as an overdue item (None when the item is not overdue)."""
    if verdict.reason is None or verdict.since is None:
        return None
    day = pendulum.instance(verdict.due).in_timezone(tz).date()
    m = facts.measure
    return OverdueItem(
        m.number, facts.respondent, facts.role, verdict.reason, verdict.since, day, m.leaders, verdict.basis
    )


def overdue_items(
    matrix: Matrix,
    units: Iterable[Respondent],
    round_: Round,
    reports: Mapping[ItemKey, Report],
    previous: Mapping[ItemKey, Report],
    extensions: Mapping[ItemKey, Extension],
    resolved: set[ItemKey],
    closed: set[int],
    now: dt.datetime,
    tz: str,
) -> list[OverdueItem]:
    """Every overdue item of the round at `now` (as `judge` decides), in plan order."""
    found, _ = overdue_with_term(matrix, units, round_, reports, previous, extensions, resolved, closed, now, tz)
    return found


def overdue_with_term(
    matrix: Matrix,
    units: Iterable[Respondent],
    round_: Round,
    reports: Mapping[ItemKey, Report],
    previous: Mapping[ItemKey, Report],
    extensions: Mapping[ItemKey, Extension],
    resolved: set[ItemKey],
    closed: set[int],
    now: dt.datetime,
    tz: str,
) -> tuple[list[OverdueItem], dt.datetime | None]:
    """overdue_items, and its term: until when the list holds as time passes (None: until something is written)."""
    out: list[OverdueItem] = []
    until: dt.datetime | None = None
    for unit in units:
        for measure, role in matrix.roles_of(unit.department):  # its duties, as core.respondents.duties
            key = (measure.number, unit.name)
            # what judge() would find not overdue at its first test is not judged: a settled item, or a unit's
            # duty the plan does not ask about (it has them without a Duty made for each)
            if measure.number in closed or key in resolved or not matrix.asks(role):
                continue
            facts = ItemFacts(measure, unit.name, role, reports.get(key), previous.get(key), extensions.get(key))
            verdict = judge(facts, round_, now, tz)
            if verdict.until is not None and (until is None or verdict.until < until):
                until = verdict.until
            if verdict.reason is not None:
                item = overdue_item(facts, verdict, tz)
                if item is not None:
                    out.append(item)
    out.sort(key=lambda o: (o.measure, o.respondent))
    return out, until
