"""Supervision over storage: the ladder's steps, the bureau's tickets, 约谈 records, closures, the digest."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import pendulum

from supervisor_bot.core import ladder
from supervisor_bot.core.digest import RoundRecord, State, build_digest
from supervisor_bot.core.ledger import Digest, Progress
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import (
    Closure,
    ClosureState,
    Extension,
    Interview,
    OverdueItem,
    Reason,
    Resolution,
    closed_measures,
    overdue_items,
)
from supervisor_bot.core.people import SYSTEM, Actor
from supervisor_bot.core.reports import MAX_NOTE_LENGTH, AuditEntry, Report
from supervisor_bot.core.reports import record as record_report
from supervisor_bot.core.respondents import Respondent
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt
from supervisor_bot.views import supervision as texts
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.view import View

HISTORY_ROUNDS = 6  # enough for interview streaks and the first 督办 of an item's streak


# ----------------------------------------------------------------------------------------------- the state


def _units(rt: Runtime, bound_only: bool) -> tuple[Respondent, ...]:
    active = {b.respondent for b in rt.store.bindings() if b.active}
    return tuple(u for u in rt.respondents.values() if not bound_only or u.name in active)


def _previous_round(rt: Runtime, round_: Round) -> Round | None:
    earlier = [r for r in rt.store.rounds() if r.opened_at < round_.opened_at]
    return earlier[-1] if earlier else None


def overdue_now(rt: Runtime, round_: Round, now: dt.datetime, only: str | None = None) -> list[OverdueItem]:
    """The round's overdue items at `now`, of every bound unit or `only` of one."""
    previous = _previous_round(rt, round_)
    closures = rt.store.closures()
    units = tuple(u for u in _units(rt, bound_only=True) if only is None or u.name == only)
    return overdue_items(
        rt.matrix,
        units,
        round_,
        rt.store.reports(round_.id),
        rt.store.reports(previous.id) if previous else {},
        {(e.measure, e.respondent): e for e in rt.store.extensions()},
        {(r.measure, r.respondent) for r in rt.store.resolutions(round_.id)},
        closed_measures(rt.matrix, closures, rt.respondents.values()),
        now,
        rt.tz,
    )


def _history(rt: Runtime, round_: Round) -> list[Round]:
    return [r for r in rt.store.rounds() if r.opened_at < round_.opened_at][-HISTORY_ROUNDS:]


def ladder_view(rt: Runtime, round_: Round, now: dt.datetime) -> ladder.LadderView:
    reports = rt.store.reports(round_.id)
    closed = closed_measures(rt.matrix, rt.store.closures(), rt.respondents.values())
    bound = frozenset(u.name for u in _units(rt, bound_only=True))
    unreported = {
        name: tuple(
            d.measure.number
            for d in rt.duties[name]
            if d.measure.number not in closed and (d.measure.number, name) not in reports
        )
        for name in bound
    }
    history = list(reversed(_history(rt, round_)))
    escalated_before = tuple(
        frozenset(k.split(":", 1)[1] for k in rt.store.done(r.id) if k.startswith("escalate:")) for r in history
    )
    first: dict[tuple[int, str], dt.datetime] = dict(rt.store.escalated(round_.id))
    for r in history:  # walk back while the item stays escalated round after round
        earlier = rt.store.escalated(r.id)
        for item in list(first):
            if item in earlier:
                first[item] = earlier[item]
    return ladder.LadderView(
        round=round_,
        bound=bound,
        unreported=unreported,
        overdue=tuple(overdue_now(rt, round_, now)),
        done=frozenset(rt.store.done(round_.id)),
        escalated_before=escalated_before,
        first_escalated=first,
        interviews=tuple(rt.store.interviews()),
        lasting_done=frozenset(rt.store.lasting_done()),
    )


def due_steps(rt: Runtime, config: ladder.LadderConfig, now: dt.datetime) -> tuple[Round | None, list[ladder.Step]]:
    live = rt.current_round()
    if live is None:
        return None, []
    return live, ladder.due_steps(ladder_view(rt, live, now), now, config, rt.calendar, rt.tz)


# ----------------------------------------------------------------------------------------------- the steps


@dataclass(frozen=True)
class Outgoing:
    """A message a step sends: where, what, and the ticket it carries, if any."""

    chat_id: int
    view: View
    ticket: Ticket | None = None


def step_messages(rt: Runtime, round_: Round, step: ladder.Step, now: dt.datetime) -> list[Outgoing]:
    """The messages for a step (tickets are stored before they are sent: their message ids come after)."""
    binding = rt.binding_of(step.respondent) if not isinstance(step, ladder.SendDigest) else None
    unit_chat = binding.chat_id if binding is not None and binding.active else None
    bureau = [c for c in (rt.bureau_chat,) if c]
    if isinstance(step, ladder.Remind):
        return [Outgoing(unit_chat, texts.remind(step.respondent, round_, step.measures, rt.tz))] if unit_chat else []
    if isinstance(step, ladder.Urge):
        return [Outgoing(unit_chat, texts.urge(step.respondent, round_, step.items, rt.tz))] if unit_chat else []
    if isinstance(step, ladder.Escalate):
        if not bureau:
            return []
        ticket = Ticket(
            format(rt.store.next_id("ticket"), "x"),
            TicketKind.ESCALATION,
            round_.id,
            step.respondent,
            tuple(i.measure for i in step.items),
            bureau[0],
        )
        rt.store.save_ticket(ticket)
        return [Outgoing(bureau[0], escalation_view(rt, ticket, now), ticket)]
    if isinstance(step, ladder.ProposeInterview):
        view = texts.interview_proposal(step.respondent, step.reasons, step.items, step.proposed_for, rt.tz)
        return [Outgoing(chat, view) for chat in (rt.bureau_chat, rt.leaders_chat) if chat]
    if isinstance(step, ladder.RectifyCheck):
        if not step.final:
            return [Outgoing(unit_chat, texts.rectify_remind(step.respondent, step.deadline))] if unit_chat else []
        return [Outgoing(chat, texts.rectify_check(step.respondent, step.deadline, step.items)) for chat in bureau]
    return []


def steps_done(
    rt: Runtime, round_: Round, done: list[ladder.Step], now: dt.datetime, tickets: list[tuple[Ticket, int]]
) -> None:
    """Record that steps were carried out (and their tickets' message ids): none fires again. Few writes."""
    for ticket, message_id in tickets:
        rt.store.save_ticket(replace(ticket, message_id=message_id))
    for step in done:
        if isinstance(step, ladder.ProposeInterview):
            interview = Interview(
                step.respondent, now, step.proposed_for, step.reasons, tuple(i.measure for i in step.items)
            )
            audit = AuditEntry(
                now,
                SYSTEM,
                rt.bureau_chat or 0,
                "propose_interview",
                round_.id,
                respondent=step.respondent,
                note="；".join(step.reasons),
            )
            rt.store.save_interview(interview, audit)
        elif isinstance(step, ladder.RectifyCheck | ladder.SendDigest):
            rt.store.mark_lasting_done(step.key)
    within = [
        (s.key, [(i.measure, i.respondent) for i in getattr(s, "items", ())])
        for s in done
        if not isinstance(s, ladder.RectifyCheck | ladder.SendDigest)
    ]
    if within:
        rt.store.record_steps(round_.id, within, now)


def messages_for(
    rt: Runtime, round_: Round, steps: list[ladder.Step], now: dt.datetime
) -> list[tuple[ladder.Step, list[Outgoing]]]:
    return [(step, step_messages(rt, round_, step, now)) for step in steps]


# ----------------------------------------------------------------------------------------------- tickets


def escalation_view(rt: Runtime, ticket: Ticket, now: dt.datetime) -> View:
    round_ = rt.round(ticket.round_id)
    assert round_ is not None
    wanted = set(ticket.measures)
    late = [o for o in overdue_now(rt, round_, max(now, round_.due_at), ticket.respondent) if o.measure in wanted]
    known = {o.measure for o in late}
    # an item settled since the 督办单 went out stays listed, with how it was settled
    settled: dict[int, str] = {}
    for ext in rt.store.extensions():
        if ext.respondent == ticket.respondent and ext.measure in wanted:
            settled[ext.measure] = texts.extended(ext)
    for res in rt.store.resolutions(round_.id):
        if res.respondent == ticket.respondent and res.measure in wanted:
            settled[res.measure] = texts.resolved(res)
    reports = {m: r for (m, who), r in rt.store.reports(round_.id).items() if who == ticket.respondent}
    previous = _previous_round(rt, round_)
    if previous is not None:
        for (m, who), r in rt.store.reports(previous.id).items():
            if who == ticket.respondent:
                reports.setdefault(m, r)
    shown = list(late)
    for measure in ticket.measures:
        if measure not in known:
            duty = next((d for d in rt.duties.get(ticket.respondent, ()) if d.measure.number == measure), None)
            if duty is not None:
                shown.append(
                    OverdueItem(
                        measure, ticket.respondent, duty.role, Reason.UNREPORTED, round_.due_at, round_.due_at.date()
                    )
                )
                settled.setdefault(measure, "已报送")
    shown.sort(key=lambda o: o.measure)
    return texts.escalation(ticket, round_, tuple(shown), rt.matrix, reports, settled, now, rt.calendar, rt.tz)


@dataclass(frozen=True)
class TicketRefused:
    text: str


@dataclass(frozen=True)
class TicketShow:
    view: View
    toast: str = ""
    notify: tuple[Outgoing, ...] = ()  # messages to the department concerned


@dataclass(frozen=True)
class AskReason:
    ticket: Ticket
    request: View


TicketOutcome = TicketRefused | TicketShow | AskReason

NOT_COORDINATOR = "只有协调员可以处理督办单和办结核实。"
UNKNOWN_TICKET = "无法识别的按钮或该单据已失效，未做任何更改。"


def _audit(
    now: dt.datetime, actor: Actor, chat: int, action: str, ticket: Ticket, measure: int | None, note: str
) -> AuditEntry:
    return AuditEntry(now, actor, chat, action, ticket.round_id, measure, ticket.respondent, None, None, note)


def ticket_press(
    rt: Runtime, press: TicketPress | None, chat_id: int, message_id: int, actor: Actor, now: dt.datetime
) -> TicketOutcome:
    if not rt.is_coordinator(actor.user_id):
        return TicketRefused(NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if press is not None and t.id == press.ticket_id), None)
    if press is None or ticket is None or ticket.chat_id != chat_id or ticket.message_id != message_id:
        return TicketRefused(UNKNOWN_TICKET)
    if ticket.kind is TicketKind.CLOSURE:
        return _closure_press(rt, ticket, press, chat_id, actor, now)
    if press.act in (TicketAct.CLOSE, TicketAct.RETURN) or (
        press.act is not TicketAct.BACK and press.measure not in ticket.measures
    ):
        return TicketRefused(UNKNOWN_TICKET)
    if press.act is TicketAct.EXTEND_CHOICES:
        return TicketShow(texts.extension_choices(ticket, press.measure, now, rt.calendar, rt.tz))
    if press.act is TicketAct.EXTEND:
        until = rt.calendar.add_workdays(pendulum.instance(now).in_timezone(rt.tz).date(), press.workdays)
        ext = Extension(press.measure, ticket.respondent, until, actor, now)
        rt.store.save_extension(ext, _audit(now, actor, chat_id, "extend", ticket, press.measure, until.isoformat()))
        binding = rt.binding_of(ticket.respondent)
        notify = (Outgoing(binding.chat_id, texts.extension_notice(ext)),) if binding and binding.active else ()
        return TicketShow(escalation_view(rt, ticket, now), f"已延期至{fmt.full_day(until)}", notify)
    if press.act is TicketAct.RESOLVE:
        res = Resolution(ticket.round_id, press.measure, ticket.respondent, actor, now)
        rt.store.save_resolution(res, _audit(now, actor, chat_id, "resolve", ticket, press.measure, "已核实"))
        return TicketShow(escalation_view(rt, ticket, now), f"措施{press.measure}已核实")
    return TicketShow(escalation_view(rt, ticket, now))


# ----------------------------------------------------------------------------------------------- closures


def on_done(rt: Runtime, report: Report, now: dt.datetime) -> Outgoing | None:
    """A lead's 已完成 goes to the bureau for verification (办结销号); returns the ticket to send."""
    duty = next((d for d in rt.duties.get(report.respondent, ()) if d.measure.number == report.measure), None)
    if duty is None or duty.role is not Role.LEAD or report.status is not Status.DONE or not rt.bureau_chat:
        return None
    existing = next(
        (c for c in rt.store.closures() if (c.measure, c.respondent) == (report.measure, report.respondent)), None
    )
    if existing is not None and existing.state is ClosureState.CLOSED:
        return None
    closure = Closure(report.measure, report.respondent, ClosureState.PENDING, report.note, report.at)
    rt.store.save_closure(
        closure,
        AuditEntry(
            now,
            report.actor,
            report.chat_id,
            "closure_requested",
            report.round_id,
            report.measure,
            report.respondent,
            None,
            "pending",
            report.note,
        ),
    )
    ticket = Ticket(
        format(rt.store.next_id("ticket"), "x"),
        TicketKind.CLOSURE,
        report.round_id,
        report.respondent,
        (report.measure,),
        rt.bureau_chat,
    )
    rt.store.save_ticket(ticket)
    return Outgoing(rt.bureau_chat, texts.closure_ticket(ticket, closure, rt.matrix, rt.tz), ticket)


def ticket_sent(rt: Runtime, ticket: Ticket, message_id: int) -> None:
    rt.store.save_ticket(replace(ticket, message_id=message_id))


def _closure_of(rt: Runtime, ticket: Ticket) -> Closure | None:
    return next(
        (c for c in rt.store.closures() if (c.measure, c.respondent) == (ticket.measures[0], ticket.respondent)), None
    )


def _closure_press(
    rt: Runtime, ticket: Ticket, press: TicketPress, chat_id: int, actor: Actor, now: dt.datetime
) -> TicketOutcome:
    closure = _closure_of(rt, ticket)
    if closure is None or press.act not in (TicketAct.CLOSE, TicketAct.RETURN):
        return TicketRefused(UNKNOWN_TICKET)
    if closure.state is not ClosureState.PENDING:
        return TicketRefused("该事项已处理，不能重复操作。")
    if press.act is TicketAct.RETURN:
        return AskReason(ticket, texts.return_reason_request(ticket, closure))
    closed = replace(closure, state=ClosureState.CLOSED, decided_by=actor, decided_at=now)
    rt.store.save_closure(closed, _audit(now, actor, chat_id, "close", ticket, closure.measure, "销号"))
    binding = rt.binding_of(ticket.respondent)
    notify = (Outgoing(binding.chat_id, texts.closed_notice(closed)),) if binding and binding.active else ()
    decided = f"✅ 已销号（{actor.name}，{fmt.short(now, rt.tz)}）"
    return TicketShow(texts.closure_ticket(ticket, closed, rt.matrix, rt.tz, decided), "已销号", notify)


@dataclass(frozen=True)
class Returned:
    ticket: Ticket
    view: View  # the ticket, decided
    notify: tuple[Outgoing, ...]


def return_with_reason(
    rt: Runtime, ticket_id: str, reason: str, actor: Actor, chat_id: int, now: dt.datetime
) -> Returned | TicketRefused:
    """退回: the department sees the reason, and its 已完成 becomes 推进中 again."""
    if not rt.is_coordinator(actor.user_id):
        return TicketRefused(NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if t.id == ticket_id), None)
    closure = _closure_of(rt, ticket) if ticket is not None else None
    if ticket is None or closure is None or closure.state is not ClosureState.PENDING:
        return TicketRefused(UNKNOWN_TICKET)
    if not reason.strip():
        return TicketRefused("退回理由不能为空，请重新回复。")
    if len(reason.strip()) > MAX_NOTE_LENGTH:  # it goes to the department inside a message of its own
        return TicketRefused(f"退回理由过长（不超过{MAX_NOTE_LENGTH}字），请精简后重新回复。")
    returned = replace(closure, state=ClosureState.RETURNED, decided_by=actor, decided_at=now, reason=reason.strip())
    rt.store.save_closure(returned, _audit(now, actor, chat_id, "return", ticket, closure.measure, reason.strip()))
    live = rt.current_round()
    if live is not None:
        current = rt.store.reports(live.id).get((closure.measure, closure.respondent))
        report, audit = record_report(
            current,
            round_id=live.id,
            measure=closure.measure,
            respondent=closure.respondent,
            status=Status.IN_PROGRESS,
            note=f"退回：{reason.strip()}",
            actor=actor,
            chat_id=chat_id,
            now=now,
        )
        rt.store.save_reports(live.id, [report], [audit])
    binding = rt.binding_of(ticket.respondent)
    notify = (Outgoing(binding.chat_id, texts.returned_notice(returned)),) if binding and binding.active else ()
    decided = f"↩️ 已退回（{actor.name}，{fmt.short(now, rt.tz)}）：{reason.strip()}"
    return Returned(ticket, texts.closure_ticket(ticket, returned, rt.matrix, rt.tz, decided), notify)


RETURN_REQUEST = re.compile(r"^【办结核实B([0-9a-z]+)】请回复本消息")


# ----------------------------------------------------------------------------------------------- 约谈


YUETAN_USAGE = (
    "用法：/yuetan 单位 约谈日期 约谈要点 整改期限YYYY-MM-DD\n"
    "例如：/yuetan 市民营经济局 2021-09-28 明确专人负责，每周按时报送 整改期限2021-10-15"
)
_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_YEAR = 366  # days


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def record_interview(rt: Runtime, text: str, actor: Actor, chat_id: int, now: dt.datetime) -> Interview | str:
    """/yuetan 部门 日期 要点 整改期限YYYY-MM-DD: the interview held, and the deadline the bot then tracks."""
    parts = text.split(maxsplit=2)
    if len(parts) < 3:
        return YUETAN_USAGE
    names = rt.find_respondent(parts[0])
    if len(names) != 1:
        return f"未找到唯一对应的单位“{parts[0]}”。\n{YUETAN_USAGE}"
    held = re.fullmatch(_DATE, parts[1])
    held_on = _date(held) if held else None
    if held_on is None:
        return f"约谈日期“{parts[1]}”无法识别。\n{YUETAN_USAGE}"
    rest = parts[2]
    deadline_match = re.search(r"整改期限[:：]?\s*" + _DATE, rest) or re.match(_DATE + r"\s+", rest)
    rectify_by = _date(deadline_match) if deadline_match else None
    if rectify_by is None:
        return f"请写明整改期限。\n{YUETAN_USAGE}"
    if rectify_by < held_on:
        return f"整改期限不能早于约谈日期。\n{YUETAN_USAGE}"
    # the ladder tracks the deadline working day by working day: 0001-01-01 or 9999-12-31 would stop every tick
    today = fmt.local(now, rt.tz).date()
    if abs((held_on - today).days) > _YEAR:
        return f"约谈日期“{parts[1]}”应在今天前后一年之内。\n{YUETAN_USAGE}"
    if (rectify_by - held_on).days > _YEAR:
        return f"整改期限应在约谈日期后一年之内。\n{YUETAN_USAGE}"
    points = (
        (rest[: deadline_match.start()] + rest[deadline_match.end() :]).strip(" ，,；;。") if deadline_match else rest
    )
    if not points:
        return f"请写明约谈要点。\n{YUETAN_USAGE}"
    unit = names[0]
    pending = next((i for i in rt.store.interviews() if i.respondent == unit and not i.held), None)
    base = pending or Interview(unit, now, now, ("协调员直接约谈",), ())
    interview = replace(base, held_on=held_on, points=points, rectify_by=rectify_by, recorded_by=actor)
    rt.store.save_interview(
        interview,
        AuditEntry(
            now, actor, chat_id, "interview", respondent=unit, note=f"{held_on}；{points}；整改期限{rectify_by}"
        ),
    )
    return interview


# ----------------------------------------------------------------------------------------------- the digest


def digest_title(round_: Round | None, now: dt.datetime, tz: str) -> str:
    name = fmt.round_name(round_.id) if round_ is not None else fmt.full_day(fmt.local(now, tz).date())
    return f"分工方案落实情况督办周报（{name}）"


def digest(
    rt: Runtime, config: ladder.LadderConfig, now: dt.datetime, previous_key: str | None = None
) -> Digest | None:
    live = rt.current_round()
    if live is None:
        return None
    history = [RoundRecord(r, rt.store.reports(r.id)) for r in _history(rt, live)]
    closures = {(c.measure, c.respondent): c for c in rt.store.closures()}
    state = State(
        matrix=rt.matrix,
        units=tuple(rt.respondents.values()),
        round=live,
        reports=rt.store.reports(live.id),
        overdue=tuple(overdue_now(rt, live, now)),
        closures=closures,
        extensions={(e.measure, e.respondent): e for e in rt.store.extensions()},
        done_steps=frozenset(rt.store.done(live.id)),
        escalated=rt.store.escalated(live.id),
        interviews=tuple(rt.store.interviews()),
        history=tuple(history),
    )
    previous = rt.store.digest_totals(previous_key) if previous_key else None
    previous_totals = {Progress(k): v for k, v in previous.items()} if previous else None
    return build_digest(state, now, config, rt.calendar, rt.tz, digest_title(live, now, rt.tz), previous_totals)


def previous_digest_key(week: str) -> str:
    """`2021-W37` → the key of the week before's digest, `digest:2021-W36` (across a year end too)."""
    year, _, number = week.partition("-W")
    before = dt.date.fromisocalendar(int(year), int(number), 1) - dt.timedelta(weeks=1)
    iso = before.isocalendar()
    return f"digest:{iso.year}-W{iso.week:02d}"


def digest_sent(rt: Runtime, step: ladder.SendDigest, result: Digest) -> None:
    rt.store.mark_lasting_done(step.key, {k.value: v for k, v in result.totals.items()})
