"""督办单 (escalation tickets) in the bureau's chat: the view of one, and its 延期 and 已核实 buttons."""

from __future__ import annotations

import datetime as dt

import pendulum

from supervisor_bot.core.oversight import (
    Extension,
    OverdueItem,
    Reason,
    Resolution,
)
from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services.closures import closure_press
from supervisor_bot.services.outcomes import (
    Outgoing,
    TicketOutcome,
    TicketRefusal,
    TicketRefused,
    TicketShow,
    audit_of,
)
from supervisor_bot.services.overdue import overdue_now, previous_round
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt
from supervisor_bot.views import supervision as texts
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.view import View


def escalation_view(rt: Runtime, ticket: Ticket, round_: Round, now: dt.datetime) -> View:
    """The 督办单 as it stands: items still overdue, and those settled since it went out with how."""
    wanted = set(ticket.measures)
    late = [o for o in overdue_now(rt, round_, max(now, round_.due_at), ticket.respondent) if o.measure in wanted]
    known = {o.measure for o in late}
    # an item settled since the 督办单 went out stays listed, with how it was settled
    settled: dict[int, str] = {}
    for ext in rt.store.extensions():  # granted in this round (an older one is no settlement of this round's)
        if ext.respondent == ticket.respondent and ext.measure in wanted and ext.at >= round_.opened_at:
            settled[ext.measure] = texts.extended(ext)
    for res in rt.store.resolutions(round_.id):
        if res.respondent == ticket.respondent and res.measure in wanted:
            settled[res.measure] = texts.resolved(res)
    reports = {m: r for (m, who), r in rt.store.reports(round_.id).items() if who == ticket.respondent}
    previous = previous_round(rt, round_)
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
    still = frozenset(known & set(settled))
    return texts.escalation(
        ticket, round_, tuple(shown), rt.matrix, reports, settled, now, rt.calendar, rt.tz, rt.office, still
    )


def ticket_press(
    rt: Runtime, press: TicketPress | None, chat_id: ChatId, message_id: MessageId, actor: Actor, now: dt.datetime
) -> TicketOutcome:
    if not rt.is_coordinator(actor.user_id):
        return TicketRefused(TicketRefusal.NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if press is not None and t.id == press.ticket_id), None)
    if press is None or ticket is None or ticket.chat_id != chat_id or ticket.message_id != message_id:
        return TicketRefused(TicketRefusal.UNKNOWN)
    round_ = rt.round(ticket.round_id)
    if round_ is None:
        return TicketRefused(TicketRefusal.UNKNOWN)
    if ticket.kind is TicketKind.CLOSURE:
        return closure_press(rt, ticket, press, chat_id, actor, now)
    if press.act in (TicketAct.CLOSE, TicketAct.RETURN) or (
        press.act is not TicketAct.BACK and press.measure not in ticket.measures
    ):
        return TicketRefused(TicketRefusal.UNKNOWN)
    if press.act is TicketAct.EXTEND_CHOICES:
        return TicketShow(
            texts.extension_choices(ticket, press.measure, now, rt.calendar, rt.tz, rt.item(press.measure))
        )
    if press.act is TicketAct.EXTEND:
        until = rt.calendar.add_workdays(pendulum.instance(now).in_timezone(rt.tz).date(), press.workdays)
        ext = Extension(press.measure, ticket.respondent, until, actor, now)
        rt.store.save_extension(ext, audit_of(now, actor, chat_id, "extend", ticket, press.measure, until.isoformat()))
        binding = rt.binding_of(ticket.respondent)
        notify = (
            (Outgoing(binding.chat_id, texts.extension_notice(ext, rt.item(ext.measure))),)
            if binding and binding.active
            else ()
        )
        return TicketShow(escalation_view(rt, ticket, round_, now), f"已延期至{fmt.full_day(until)}", notify)
    if press.act is TicketAct.RESOLVE:
        res = Resolution(ticket.round_id, press.measure, ticket.respondent, actor, now)
        rt.store.save_resolution(res, audit_of(now, actor, chat_id, "resolve", ticket, press.measure, "已核实"))
        return TicketShow(escalation_view(rt, ticket, round_, now), f"{rt.item(press.measure)}已核实")
    return TicketShow(escalation_view(rt, ticket, round_, now))
