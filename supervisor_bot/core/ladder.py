"""The supervision ladder of measure 58 (加强就业督导考核，建立约谈制度), as pure decisions:
临期提醒 → 催办 → 督办 → 约谈, each once per unit per round, and the weekly digest.

`due_steps(view, now)` answers "what is due now?"; the shell sends each step and records its key, so that a
step never fires twice and a restart catches up on what it missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pendulum

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.oversight import Interview, OverdueItem
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import Cadence, Slot, day_of_month, months_back, period_key


@dataclass(frozen=True)
class LadderConfig:
    remind_workdays_before: int = 1
    escalate_workdays_after: int = 1
    interview_after_rounds: int = 2
    interview_workdays_after_escalation: int = 10
    digest_weekday: int = 4  # Friday
    digest_at: dt.time = dt.time(17, 0)
    digest_cadence: Cadence = Cadence.WEEKLY  # or MONTHLY, on digest_monthday
    digest_monthday: int = 28
    interview_lead_workdays: int = 3  # a proposed 约谈 is set this many working days ahead, at 09:30
    low_rate_below: int = 80  # the digest's 按时报送率较低的单位: those below this on-time rate (per cent)

    @property
    def digest_kind(self) -> str:
        """The digest's name as the cadence has it: 督办周报, or 督办月报."""
        return "督办月报" if self.digest_cadence is Cadence.MONTHLY else "督办周报"


@dataclass(frozen=True)
class Remind:
    """临期提醒: the working day before the due time, to the unit's chat: what is still unreported."""

    respondent: str
    measures: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"remind:{self.respondent}"


@dataclass(frozen=True)
class Urge:
    """催办: at the due time, to the unit's chat, naming the overdue items."""

    respondent: str
    items: tuple[OverdueItem, ...]

    @property
    def key(self) -> str:
        return f"urge:{self.respondent}"


@dataclass(frozen=True)
class Escalate:
    """督办: after the due time, a 督办单 to the coordinating bureau's chat."""

    respondent: str
    items: tuple[OverdueItem, ...]

    @property
    def key(self) -> str:
        return f"escalate:{self.respondent}"


@dataclass(frozen=True)
class ProposeInterview:
    """约谈: a unit overdue N rounds running, or with an item overdue M working days after 督办."""

    respondent: str
    reasons: tuple[str, ...]
    items: tuple[OverdueItem, ...]
    proposed_for: dt.datetime

    @property
    def key(self) -> str:
        return f"interview:{self.respondent}"


@dataclass(frozen=True)
class RectifyCheck:
    """The deadline a 约谈 set: a reminder the working day before, then a check at the deadline."""

    respondent: str
    deadline: dt.date
    final: bool  # False: the reminder; True: the check at the deadline
    items: tuple[OverdueItem, ...]

    @property
    def key(self) -> str:
        return f"rectify:{self.respondent}:{self.deadline.isoformat()}:{'due' if self.final else 'remind'}"


@dataclass(frozen=True)
class SendDigest:
    week: str  # the period's key: 2021-W37, or 2021-09 for a monthly digest
    scheduled: dt.datetime

    @property
    def key(self) -> str:
        return f"digest:{self.week}"


Step = Remind | Urge | Escalate | ProposeInterview | RectifyCheck | SendDigest


@dataclass(frozen=True)
class LadderView:
    """What the ladder needs to know about the live round and the recent past."""

    round: Round
    bound: frozenset[str]  # units with a live chat
    unreported: Mapping[str, tuple[int, ...]]  # unit → measures not reported yet this round
    overdue: tuple[OverdueItem, ...]  # now
    done: frozenset[str]  # keys of steps already carried out this round
    escalated_before: tuple[frozenset[str], ...]  # units escalated in each earlier round, latest first
    first_escalated: Mapping[tuple[int, str], dt.datetime] = field(
        default_factory=dict
    )  # item → first 督办 in its streak
    interviews: tuple[Interview, ...] = ()
    lasting_done: frozenset[str] = frozenset()  # keys of steps that outlive a round: digests, rectification checks
    # measure → the item as messages name it: `措施5`, `营商环境 措施一（三）` where several plans are supervised
    items: Mapping[int, str] = field(default_factory=dict)
    # several plans: the units each earlier round asked (escalated_before's rounds are then every plan's, in the
    # order they opened): a round that did not ask a unit neither adds to its streak nor breaks it
    asked_before: tuple[frozenset[str], ...] = ()


def remind_at(round_: Round, config: LadderConfig, calendar: WorkCalendar, tz: str) -> dt.datetime | None:
    if config.remind_workdays_before <= 0:
        return None
    due = pendulum.instance(round_.due_at).in_timezone(tz)
    day = calendar.add_workdays(due.date(), -config.remind_workdays_before)
    moment = pendulum.datetime(day.year, day.month, day.day, due.hour, due.minute, tz=tz)
    return moment if moment > round_.opened_at else None


def escalate_at(round_: Round, config: LadderConfig, calendar: WorkCalendar, tz: str) -> dt.datetime:
    due = pendulum.instance(round_.due_at).in_timezone(tz)
    day = calendar.add_workdays(due.date(), config.escalate_workdays_after)
    return pendulum.datetime(day.year, day.month, day.day, due.hour, due.minute, tz=tz)


def digest_time(any_day: dt.date, config: LadderConfig, calendar: WorkCalendar, tz: str) -> pendulum.DateTime:
    return digest_slot(any_day, config, calendar, tz).at


def digest_slot(any_day: dt.date, config: LadderConfig, calendar: WorkCalendar, tz: str) -> Slot:
    """The digest of the period `any_day` falls in: its day if that is a working day, else the last working day
    before it in the same week (month) — 节前报送 —, else the next working day."""
    if config.digest_cadence is Cadence.MONTHLY:
        first = any_day.replace(day=1)
        nominal = day_of_month(any_day.year, any_day.month, config.digest_monthday)
    else:
        first = any_day - dt.timedelta(days=any_day.weekday())
        nominal = first + dt.timedelta(days=config.digest_weekday)
    day = nominal
    if not calendar.is_workday(day):
        earlier = [nominal - dt.timedelta(days=n) for n in range(1, (nominal - first).days + 1)]
        day = next((d for d in earlier if calendar.is_workday(d)), calendar.next_workday(nominal))
    moment = pendulum.datetime(day.year, day.month, day.day, config.digest_at.hour, config.digest_at.minute, tz=tz)
    return Slot(period_key(nominal, config.digest_cadence), moment)


def previous_digest_slot(slot: Slot, config: LadderConfig, calendar: WorkCalendar, tz: str) -> Slot:
    """The digest before `slot`'s: a week or a month earlier."""
    day = pendulum.instance(slot.at).in_timezone(tz).date()
    if config.digest_cadence is Cadence.MONTHLY:
        year, _, month = slot.key.partition("-")
        return digest_slot(months_back(dt.date(int(year), int(month), 1), 1), config, calendar, tz)
    return digest_slot(day - dt.timedelta(weeks=1), config, calendar, tz)


def _by_unit(items: tuple[OverdueItem, ...]) -> dict[str, tuple[OverdueItem, ...]]:
    grouped: dict[str, list[OverdueItem]] = {}
    for item in items:
        grouped.setdefault(item.respondent, []).append(item)
    return {unit: tuple(group) for unit, group in grouped.items()}


def due_steps(view: LadderView, now: dt.datetime, config: LadderConfig, calendar: WorkCalendar, tz: str) -> list[Step]:
    """Every ladder step due at `now` that has not been carried out."""
    r = view.round
    steps: list[Step] = []
    if not r.is_open(now):
        return steps
    reminder = remind_at(r, config, calendar, tz)
    if reminder is not None and reminder <= now < r.due_at:
        for unit, measures in sorted(view.unreported.items()):
            step = Remind(unit, measures)
            if unit in view.bound and measures and step.key not in view.done:
                steps.append(step)
    overdue = _by_unit(view.overdue)
    if now >= r.due_at:
        for unit, items in sorted(overdue.items()):
            urge = Urge(unit, items)
            if unit in view.bound and urge.key not in view.done:
                steps.append(urge)
    escalation = escalate_at(r, config, calendar, tz)
    if now >= escalation:
        for unit, items in sorted(overdue.items()):
            escalate = Escalate(unit, items)
            if escalate.key not in view.done:
                steps.append(escalate)
        steps.extend(_interviews(view, overdue, now, config, calendar, tz))
    steps.extend(_rectifications(view, overdue, now, calendar, tz))
    digest = digest_slot(pendulum.instance(now).in_timezone(tz).date(), config, calendar, tz)
    if digest.at <= now and f"digest:{digest.key}" not in view.lasting_done:
        steps.append(SendDigest(digest.key, digest.at))
    return steps


def _interviews(
    view: LadderView,
    overdue: dict[str, tuple[OverdueItem, ...]],
    now: dt.datetime,
    config: LadderConfig,
    calendar: WorkCalendar,
    tz: str,
) -> list[ProposeInterview]:
    pending = {i.respondent for i in view.interviews if not i.held}
    out = []
    for unit, items in sorted(overdue.items()):
        step_key = f"interview:{unit}"
        if unit in pending or step_key in view.done:
            continue
        reasons = []
        streak = 1
        for n, escalated in enumerate(view.escalated_before):
            if n < len(view.asked_before) and unit not in view.asked_before[n]:
                continue  # another plan's round, not the unit's
            if unit not in escalated:
                break
            streak += 1
        if streak >= config.interview_after_rounds:
            reasons.append(f"连续{streak}轮逾期未报送或未完成")
        for item in items:
            first = view.first_escalated.get((item.measure, item.respondent))
            if first is not None:
                since = pendulum.instance(first).in_timezone(tz)
                day = calendar.add_workdays(since.date(), config.interview_workdays_after_escalation)
                limit = since.replace(year=day.year, month=day.month, day=day.day)  # at the 督办's time of day,
                if now >= limit:  # in office hours, not at midnight
                    reasons.append(
                        f"{view.items.get(item.measure, f'措施{item.measure}')}督办后"
                        f"{config.interview_workdays_after_escalation}个工作日仍未整改"
                    )
                    break
        if reasons:
            day = calendar.add_workdays(pendulum.instance(now).in_timezone(tz).date(), config.interview_lead_workdays)
            proposed = pendulum.datetime(day.year, day.month, day.day, 9, 30, tz=tz)
            out.append(ProposeInterview(unit, tuple(reasons), items, proposed))
    return out


def _rectifications(
    view: LadderView, overdue: dict[str, tuple[OverdueItem, ...]], now: dt.datetime, calendar: WorkCalendar, tz: str
) -> list[RectifyCheck]:
    out = []
    today = pendulum.instance(now).in_timezone(tz)
    for interview in view.interviews:
        if interview.rectify_by is None or interview.plan != view.round.plan:  # each plan checks its own
            continue
        deadline = interview.rectify_by
        items = overdue.get(interview.respondent, ())
        final = RectifyCheck(interview.respondent, deadline, True, items)
        if final.key in view.lasting_done:  # checked: nothing more to do (years of 约谈 are skipped at once)
            continue
        remind = RectifyCheck(interview.respondent, deadline, False, items)
        at_eve, at_deadline = _rectify_times(deadline, calendar, tz)
        if at_eve <= today < at_deadline and remind.key not in view.lasting_done:
            out.append(remind)
        if today >= at_deadline and final.key not in view.lasting_done:
            out.append(final)
    return out


def _rectify_times(deadline: dt.date, calendar: WorkCalendar, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """The reminder (09:00 the working day before) and the check (17:00 on the day) of a rectification."""
    eve = calendar.add_workdays(deadline, -1)
    return (
        pendulum.datetime(eve.year, eve.month, eve.day, 9, 0, tz=tz),
        pendulum.datetime(deadline.year, deadline.month, deadline.day, 17, 0, tz=tz),
    )


def scheduled_at(
    step: Step, round_: Round, config: LadderConfig, calendar: WorkCalendar, tz: str
) -> dt.datetime | None:
    """When a step was due to be carried out (None: a 约谈 proposal follows a condition, not a time)."""
    if isinstance(step, Remind):
        return remind_at(round_, config, calendar, tz)
    if isinstance(step, Urge):
        return round_.due_at
    if isinstance(step, Escalate):
        return escalate_at(round_, config, calendar, tz)
    if isinstance(step, SendDigest):
        return step.scheduled
    if isinstance(step, RectifyCheck):
        return _rectify_times(step.deadline, calendar, tz)[step.final]
    return None
