"""The 督办台账 rows and the weekly digest, computed from the round's state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pendulum

from supervisor_bot.core import oversight
from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.ladder import LadderConfig, digest_slot, escalate_at, previous_digest_slot, remind_at
from supervisor_bot.core.ledger import (
    Digest,
    InterviewLine,
    LedgerRow,
    Level,
    Light,
    OnTime,
    Progress,
    SectionProgress,
    Upcoming,
)
from supervisor_bot.core.matrix import Matrix, Role
from supervisor_bot.core.oversight import (
    Closure,
    ClosureState,
    Extension,
    Interview,
    ItemKey,
    OverdueItem,
    effective_due,
)
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import Respondent, duties
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.core.status import UNREPORTED_LABEL, Status

_PROGRESS_OF = {
    Status.DONE: Progress.DONE,
    Status.IN_PROGRESS: Progress.IN_PROGRESS,
    Status.BLOCKED: Progress.BLOCKED,
    Status.NOT_STARTED: Progress.NOT_STARTED,
}
UPCOMING_DAYS = 30


@dataclass(frozen=True)
class RoundRecord:
    """An earlier round, for on-time rates: its round and reports."""

    round: Round
    reports: Mapping[ItemKey, Report]


@dataclass(frozen=True)
class State:
    """Everything the ledger and the digest are computed from."""

    matrix: Matrix
    units: tuple[Respondent, ...]
    round: Round
    reports: Mapping[ItemKey, Report]
    overdue: tuple[OverdueItem, ...]
    closures: Mapping[ItemKey, Closure] = field(default_factory=dict)
    extensions: Mapping[ItemKey, Extension] = field(default_factory=dict)
    done_steps: frozenset[str] = frozenset()  # ladder keys carried out this round
    escalated: Mapping[ItemKey, dt.datetime] = field(default_factory=dict)  # items in this round's 督办单
    interviews: tuple[Interview, ...] = ()
    history: tuple[RoundRecord, ...] = ()  # earlier rounds, oldest first (the live one excluded)
    unbound: tuple[str, ...] = ()  # units not yet bound to a group: listed apart, no ledger rows, no rates


def closed_measures(state: State) -> set[int]:
    return oversight.closed_measures(state.matrix, state.closures.values(), state.units)


def counted(state: State) -> tuple[Respondent, ...]:
    """The units the ledger lists and the rates rank: those bound to a group (未绑定 ones are listed apart)."""
    return tuple(u for u in state.units if u.name not in state.unbound)


def item_status(report: Report | None, closure: Closure | None) -> str:
    if closure is not None and closure.state is ClosureState.CLOSED:
        return "已销号"
    if report is None:
        return UNREPORTED_LABEL
    if report.status is Status.DONE and closure is not None and closure.state is ClosureState.PENDING:
        return "已完成待核实"
    return report.status.label


def _light(
    late: OverdueItem | None, report: Report | None, due: dt.datetime, reminder: dt.datetime | None, now: dt.datetime
) -> tuple[Light, str]:
    """Red when overdue (as `judge` decided), yellow when due soon or reported late, else green."""
    if late is not None:
        return Light.RED, late.reason.label
    if (report is None and reminder is not None and now >= reminder) or (
        report is not None and not report.carried and report.at > due
    ):
        return Light.YELLOW, ""
    return Light.GREEN, ""


def ledger(
    state: State, now: dt.datetime, config: LadderConfig, calendar: WorkCalendar, tz: str
) -> tuple[LedgerRow, ...]:
    """One row per measure × responsible unit, with its light and how far up the ladder it has gone."""
    overdue = {(o.measure, o.respondent): o for o in state.overdue}
    reminder = remind_at(state.round, config, calendar, tz)
    escalation = escalate_at(state.round, config, calendar, tz)
    pending_interviews = {i.respondent for i in state.interviews if not i.held}
    rows = []
    for unit in counted(state):
        for duty in duties(state.matrix, unit):
            m = duty.measure
            key = (m.number, unit.name)
            report = state.reports.get(key)
            closure = state.closures.get(key)
            late = overdue.get(key)
            extension = state.extensions.get(key)
            due = effective_due(state.round, extension, tz)
            light, reason = _light(late, report, due, reminder, now)
            level = Level.NONE
            if late is not None:
                if unit.name in pending_interviews:
                    level = Level.INTERVIEW
                elif key in state.escalated or (f"escalate:{unit.name}" in state.done_steps and now >= escalation):
                    level = Level.ESCALATE
                elif f"urge:{unit.name}" in state.done_steps:
                    level = Level.URGE
            elif report is None and f"remind:{unit.name}" in state.done_steps:
                level = Level.REMIND
            report_due = pendulum.instance(due).in_timezone(tz).date()
            deadline = late.deadline if late is not None else report_due
            rows.append(
                LedgerRow(
                    measure=m.number,
                    section=m.section,
                    measure_text=m.text,
                    respondent=unit.name,
                    department=unit.department,
                    role=duty.role,
                    status=item_status(report, closure),
                    note=report.note if report else "",
                    reported_at=report.at if report else None,
                    light=light,
                    level=level,
                    deadline=deadline,
                    reason=reason,
                    leaders=m.leaders,
                    deadline_text=m.deadline_text,
                    label=state.matrix.label(m.number),
                    end_date=m.end_date,
                    report_due=report_due,
                    cooperating=state.matrix.listed_only(m),
                )
            )
    rows.sort(key=lambda r: (r.measure, r.role is not Role.LEAD, r.respondent))
    return tuple(rows)


def measure_progress(state: State) -> dict[int, Progress]:
    """A measure stands where its bound lead units stand: all done, any in difficulty, any moving, or none
    reported. A measure none of whose leads is bound yet is not in it (see `lead_unbound`): it is listed apart,
    as its units are, never counted 未报送."""
    closed = closed_measures(state)
    leads: dict[int, list[Status | None]] = {}
    for unit in counted(state):
        for duty in duties(state.matrix, unit):
            if duty.role is Role.LEAD:
                report = state.reports.get((duty.measure.number, unit.name))
                leads.setdefault(duty.measure.number, []).append(report.status if report else None)
    out = {}
    unbound = set(lead_unbound(state))
    for measure in state.matrix.measures:
        statuses = leads.get(measure.number, [])
        if measure.number in unbound:
            continue
        if measure.number in closed or (statuses and all(s is Status.DONE for s in statuses)):
            out[measure.number] = Progress.DONE
        elif not statuses or all(s is None for s in statuses):
            out[measure.number] = Progress.UNREPORTED
        elif any(s is Status.BLOCKED for s in statuses):
            out[measure.number] = Progress.BLOCKED
        elif any(s in (Status.IN_PROGRESS, Status.DONE) for s in statuses):
            out[measure.number] = Progress.IN_PROGRESS
        else:
            out[measure.number] = Progress.NOT_STARTED
    return out


def lead_unbound(state: State) -> tuple[int, ...]:
    """Measures that have lead units to ask, none of them bound yet: out of every figure, listed apart."""
    asked: dict[int, list[str]] = {}
    for unit in state.units:
        for duty in duties(state.matrix, unit):
            if duty.role is Role.LEAD:
                asked.setdefault(duty.measure.number, []).append(unit.name)
    unbound = set(state.unbound)
    return tuple(m for m, names in sorted(asked.items()) if all(n in unbound for n in names))


def totals(progress: Mapping[int, Progress], measures: Iterable[int] | None = None) -> dict[Progress, int]:
    counts = dict.fromkeys(Progress, 0)
    for number, where in progress.items():
        if measures is None or number in measures:
            counts[where] += 1
    return counts


def on_time_rates(history: Sequence[RoundRecord], units: Iterable[Respondent], matrix: Matrix, tz: str) -> list[OnTime]:
    """For each unit, items reported by their due time over the rounds whose due time has passed."""
    out = []
    for unit in units:
        numbers = [d.measure.number for d in duties(matrix, unit)]
        on_time = due = 0
        for record in history:
            for number in numbers:
                report = record.reports.get((number, unit.name))
                if report is not None and report.carried:
                    continue  # already done before: nothing was asked
                due += 1
                on_time += report is not None and report.at <= record.round.due_at
        if due:
            out.append(OnTime(unit.name, on_time, due))
    out.sort(key=lambda o: (o.rate, o.respondent))
    return out


def upcoming(state: State, now: dt.datetime, tz: str) -> list[Upcoming]:
    today = pendulum.instance(now).in_timezone(tz).date()
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    found: list[Upcoming] = []
    due = pendulum.instance(state.round.due_at).in_timezone(tz)
    if due.date() >= today:
        found.append(Upcoming(due.date(), f"本轮报送截止（{due.hour:02d}:{due.minute:02d}）"))
    for measure in state.matrix.measures:
        days = {d.date: d for d in reversed(measure.shown_dates) if d.meaning.is_end}  # a day once per measure
        for day, d in sorted(days.items()):
            if today <= day <= horizon:
                found.append(Upcoming(day, f"措施{state.matrix.label(measure.number)}{d.meaning.label}"))
    for ext in state.extensions.values():
        if today <= ext.until <= horizon:
            label = state.matrix.label(ext.measure)
            found.append(Upcoming(ext.until, f"{ext.respondent}措施{label}延期至此"))
    for interview in state.interviews:
        if interview.rectify_by is not None and today <= interview.rectify_by <= horizon:
            found.append(Upcoming(interview.rectify_by, f"{interview.respondent}约谈整改期限"))
        if not interview.held and interview.proposed_for.date() >= today:
            found.append(
                Upcoming(
                    pendulum.instance(interview.proposed_for).in_timezone(tz).date(), f"拟约谈{interview.respondent}"
                )
            )
    return sorted(found, key=lambda u: (u.date, u.what))


def build_digest(
    state: State,
    now: dt.datetime,
    config: LadderConfig,
    calendar: WorkCalendar,
    tz: str,
    title: str,
    previous_totals: dict[Progress, int] | None,
    addressee: str = "",
) -> Digest:
    local = pendulum.instance(now).in_timezone(tz)
    monday = period_start(local.date(), config, calendar, tz)
    rows = ledger(state, now, config, calendar, tz)
    progress = measure_progress(state)
    sections = tuple(
        SectionProgress(
            s.number,
            s.label,
            s.title,
            totals(progress, {m.number for m in state.matrix.measures if m.section == s.number}),
        )
        for s in state.matrix.sections
    )
    past, rates = low_rates(state, now, config.low_rate_below, tz)
    held = tuple(  # held this week, or still being rectified: not every 约谈 of the past years
        InterviewLine(i.respondent, i.held_on, i.points, i.rectify_by)
        for i in state.interviews
        if i.held_on is not None and (i.held_on >= monday or i.rectify_by is None or i.rectify_by >= monday)
    )
    pending = tuple(
        InterviewLine(i.respondent, pendulum.instance(i.proposed_for).in_timezone(tz).date(), "；".join(i.reasons))
        for i in state.interviews
        if not i.held
    )
    return Digest(
        title=title,
        period_start=monday,
        period_end=local.date(),
        generated_at=now,
        round_id=state.round.id,
        sections=sections,
        totals=totals(progress),
        previous_totals=previous_totals,
        red=tuple(r for r in rows if r.light is Light.RED),
        lowest_on_time=tuple(rates),
        on_time=tuple(on_time_rates(past, counted(state), state.matrix, tz)) if past else (),
        upcoming=tuple(upcoming(state, now, tz)),
        interviews_held=held,
        interviews_pending=pending,
        ledger=rows,
        addressee=addressee,
        unbound=state.unbound,
        rated_rounds=len(past),
        low_rate_below=config.low_rate_below,
        timezone=tz,
        lead_unbound=tuple(state.matrix.label(n) for n in lead_unbound(state)),
        kind=config.digest_kind,
        period_word="月" if config.digest_cadence is Cadence.MONTHLY else "周",
    )


def low_rates(state: State, now: dt.datetime, below: int, tz: str) -> tuple[list[RoundRecord], list[OnTime]]:
    """The rounds past their due time the rates cover (none if no unit was rated), and the (at most five) units
    whose on-time rate over them is below `below` per cent, lowest first."""
    past = [r for r in state.history if r.round.due_at <= now]
    if state.round.due_at <= now:
        past.append(RoundRecord(state.round, state.reports))
    rated = on_time_rates(past, counted(state), state.matrix, tz)
    return (past if rated else []), [r for r in rated if r.rate * 100 < below][:5]


def period_start(today: dt.date, config: LadderConfig, calendar: WorkCalendar, tz: str) -> dt.date:
    """The first day a digest made `today` covers: the week's Monday, or the day after last month's digest."""
    if config.digest_cadence is Cadence.MONTHLY:
        before = previous_digest_slot(digest_slot(today, config, calendar, tz), config, calendar, tz)
        start = pendulum.instance(before.at).in_timezone(tz).date() + dt.timedelta(days=1)
        return min(start, today)
    return today - dt.timedelta(days=today.weekday())
