"""办结销号: a lead's 已完成 goes to the bureau, who 销号 it or 退回 it with a reason the department sees."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import (
    Closure,
    ClosureState,
)
from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.core.reports import MAX_NOTE_LENGTH, AuditEntry, Report
from supervisor_bot.core.reports import record as record_report
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services.outcomes import (
    AskReason,
    Outgoing,
    TicketOutcome,
    TicketRefusal,
    TicketRefused,
    TicketShow,
    audit_of,
)
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt
from supervisor_bot.views import supervision as texts
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.view import View


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
    return Outgoing(
        rt.bureau_chat, texts.closure_ticket(ticket, closure, rt.matrix, rt.tz, evidence=_files(rt, closure)), ticket
    )


def _files(rt: Runtime, closure: Closure) -> tuple[Evidence, ...]:
    """The 佐证材料 the unit sent for the measure, shown with the 已完成 the bureau verifies."""
    return tuple(e for e in rt.store.evidence() if e.key == (closure.measure, closure.respondent))


def ticket_sent(rt: Runtime, ticket: Ticket, message_id: MessageId) -> None:
    rt.store.save_ticket(replace(ticket, message_id=message_id))


def _closure_of(rt: Runtime, ticket: Ticket) -> Closure | None:
    return next(
        (c for c in rt.store.closures() if (c.measure, c.respondent) == (ticket.measures[0], ticket.respondent)), None
    )


def closure_press(
    rt: Runtime, ticket: Ticket, press: TicketPress, chat_id: ChatId, actor: Actor, now: dt.datetime
) -> TicketOutcome:
    closure = _closure_of(rt, ticket)
    if closure is None or press.act not in (TicketAct.CLOSE, TicketAct.RETURN):
        return TicketRefused(TicketRefusal.UNKNOWN)
    if closure.state is not ClosureState.PENDING:
        return TicketRefused(TicketRefusal.DECIDED)
    if press.act is TicketAct.RETURN:
        return AskReason(ticket, texts.return_reason_request(ticket, closure, rt.item(closure.measure)))
    closed = replace(closure, state=ClosureState.CLOSED, decided_by=actor, decided_at=now)
    rt.store.save_closure(closed, audit_of(now, actor, chat_id, "close", ticket, closure.measure, "销号"))
    binding = rt.binding_of(ticket.respondent)
    notify = (
        (Outgoing(binding.chat_id, texts.closed_notice(closed, rt.item(closed.measure))),)
        if binding and binding.active
        else ()
    )
    decided = f"✅ 已销号（{actor.name}，{fmt.short(now, rt.tz)}）"
    return TicketShow(
        texts.closure_ticket(ticket, closed, rt.matrix, rt.tz, decided, _files(rt, closed)), "已销号", notify
    )


@dataclass(frozen=True)
class Returned:
    ticket: Ticket
    view: View  # the ticket, decided
    notify: tuple[Outgoing, ...]


def return_with_reason(
    rt: Runtime, ticket_id: str, reason: str, actor: Actor, chat_id: ChatId, now: dt.datetime
) -> Returned | TicketRefused:
    """退回: the department sees the reason, and its 已完成 becomes 推进中 again."""
    if not rt.is_coordinator(actor.user_id):
        return TicketRefused(TicketRefusal.NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if t.id == ticket_id), None)
    closure = _closure_of(rt, ticket) if ticket is not None else None
    if ticket is None or closure is None or closure.state is not ClosureState.PENDING:
        return TicketRefused(TicketRefusal.UNKNOWN)
    if not reason.strip():
        return TicketRefused(TicketRefusal.EMPTY_REASON)
    if len(reason.strip()) > MAX_NOTE_LENGTH:  # it goes to the department inside a message of its own
        return TicketRefused(TicketRefusal.LONG_REASON)
    returned = replace(closure, state=ClosureState.RETURNED, decided_by=actor, decided_at=now, reason=reason.strip())
    rt.store.save_closure(returned, audit_of(now, actor, chat_id, "return", ticket, closure.measure, reason.strip()))
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
    notify = (
        (Outgoing(binding.chat_id, texts.returned_notice(returned, rt.item(returned.measure))),)
        if binding and binding.active
        else ()
    )
    decided = f"↩️ 已退回（{actor.name}，{fmt.short(now, rt.tz)}）：{reason.strip()}"
    return Returned(
        ticket, texts.closure_ticket(ticket, returned, rt.matrix, rt.tz, decided, _files(rt, returned)), notify
    )


RETURN_REQUEST = re.compile(r"^【办结核实B([0-9a-z]+)】请回复本消息")
