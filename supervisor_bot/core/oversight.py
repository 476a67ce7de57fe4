"""What supervision decides on: extensions, resolutions, closures, interviews — and which items are overdue.

An item (a measure × a responsible unit) is overdue when
- it was not reported by the round's due time (未按时报送);
- its measure has an explicit end date, it is a lead's item, and it was not reported 已完成 by then (逾期未完成);
- it was reported 有困难 two rounds in a row (连续两轮有困难).
An extension (延期) moves the date the item is measured against; a resolution (已核实) settles it for the round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pendulum

from supervisor_bot.core.matrix import Matrix, Role
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import Respondent, duties
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

    @property
    def held(self) -> bool:
        return self.held_on is not None


@dataclass(frozen=True)
class OverdueItem:
    measure: int
    respondent: str
    role: Role
    reason: Reason
    since: dt.datetime  # when it became overdue
    deadline: dt.date
    leaders: tuple[str, ...] = ()  # the measure's 责任领导: whom a 约谈 concerns


def end_of_day(day: dt.date, tz: str) -> pendulum.DateTime:
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
    """Every overdue item of the round at `now`, in plan order, each with its most serious reason."""
    out: list[OverdueItem] = []
    for unit in units:
        for duty in duties(matrix, unit):
            key = (duty.measure.number, unit.name)
            if duty.measure.number in closed or key in resolved:
                continue
            report = reports.get(key)
            extension = extensions.get(key)
            end = duty.measure.end_date
            if end is not None and duty.role is Role.LEAD:
                deadline = max(end, extension.until) if extension else end
                if now > end_of_day(deadline, tz) and (report is None or report.status is not Status.DONE):
                    since = end_of_day(deadline, tz)
                    out.append(
                        OverdueItem(
                            key[0], unit.name, duty.role, Reason.PAST_DEADLINE, since, deadline, duty.measure.leaders
                        )
                    )
                    continue
            before = previous.get(key)
            if (
                report is not None
                and report.status is Status.BLOCKED
                and before is not None
                and before.status is Status.BLOCKED
            ):
                out.append(
                    OverdueItem(
                        key[0],
                        unit.name,
                        duty.role,
                        Reason.BLOCKED_TWICE,
                        report.at,
                        round_.due_at.date(),
                        duty.measure.leaders,
                    )
                )
                continue
            due = effective_due(round_, extension, tz)
            if report is None and now >= due:
                local = pendulum.instance(due).in_timezone(tz).date()
                out.append(
                    OverdueItem(key[0], unit.name, duty.role, Reason.UNREPORTED, due, local, duty.measure.leaders)
                )
    out.sort(key=lambda o: (o.measure, o.respondent))
    return out
