"""The escalation ladder over storage: which steps are due, the messages each sends, and recording them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from supervisor_bot.core import ladder
from supervisor_bot.core.oversight import (
    Interview,
    closed_measures,
)
from supervisor_bot.core.people import SYSTEM, MessageId
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services.outcomes import Outgoing
from supervisor_bot.services.overdue import overdue_now, recent_rounds, supervised_units
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.tickets import escalation_view
from supervisor_bot.views import supervision as texts


def ladder_view(rt: Runtime, round_: Round, now: dt.datetime) -> ladder.LadderView:
    reports = rt.store.reports(round_.id)
    closed = closed_measures(rt.matrix, rt.store.closures(), rt.respondents.values())
    bound = frozenset(u.name for u in supervised_units(rt))
    unreported = {
        name: tuple(
            d.measure.number
            for d in rt.duties[name]
            if d.measure.number not in closed and (d.measure.number, name) not in reports
        )
        for name in bound
    }
    history = list(reversed(recent_rounds(rt, round_)))
    escalated_before, asked_before, interviews = _across_plans(rt, round_)
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
        asked_before=asked_before,
        first_escalated=first,
        interviews=interviews,
        lasting_done=frozenset(rt.store.lasting_done()),
        items={m.number: rt.item(m.number) for m in rt.matrix.measures},
    )


def _escalated(rt: Runtime, round_: Round) -> frozenset[str]:
    return frozenset(k.split(":", 1)[1] for k in rt.store.done(round_.id) if k.startswith("escalate:"))


def _across_plans(
    rt: Runtime, round_: Round
) -> tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...], tuple[Interview, ...]]:
    """The units escalated in each earlier round, latest first; with several plans, the rounds of every plan in
    the order they opened, each with the units it asked — 约谈 counts rounds in a row across plans — and every
    plan's 约谈 (one pending 约谈 per unit, whichever plan proposed it)."""
    if not rt.siblings:
        history = reversed(recent_rounds(rt, round_))
        return tuple(_escalated(rt, r) for r in history), (), tuple(rt.store.interviews())
    rounds = [(r, plan) for plan in rt.siblings for r in recent_rounds(plan, round_)]
    rounds.sort(key=lambda found: found[0].opened_at, reverse=True)
    escalated = tuple(_escalated(plan, r) for r, plan in rounds)
    asked = tuple(frozenset(plan.respondents) for _, plan in rounds)
    return escalated, asked, tuple(i for plan in rt.siblings for i in plan.store.interviews())


def due_steps(rt: Runtime, config: ladder.LadderConfig, now: dt.datetime) -> tuple[Round | None, list[ladder.Step]]:
    live = rt.current_round()
    if live is None:
        return None, []
    return live, ladder.due_steps(ladder_view(rt, live, now), now, config, rt.calendar, rt.tz)


def step_messages(rt: Runtime, round_: Round, step: ladder.Step, now: dt.datetime) -> list[Outgoing]:
    """The messages for a step (tickets are stored before they are sent: their message ids come after)."""
    binding = rt.binding_of(step.respondent) if not isinstance(step, ladder.SendDigest) else None
    unit_chat = binding.chat_id if binding is not None and binding.active else None
    bureau = [c for c in (rt.bureau_chat,) if c]
    if isinstance(step, ladder.Remind):
        return (
            [Outgoing(unit_chat, texts.remind(step.respondent, round_, step.measures, rt.tz, rt.matrix))]
            if unit_chat
            else []
        )
    if isinstance(step, ladder.Urge):
        return (
            [Outgoing(unit_chat, texts.urge(step.respondent, round_, step.items, rt.tz, rt.matrix, rt.office))]
            if unit_chat
            else []
        )
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
        return [Outgoing(bureau[0], escalation_view(rt, ticket, round_, now), ticket)]
    if isinstance(step, ladder.ProposeInterview):
        view = texts.interview_proposal(
            step.respondent, step.reasons, step.items, step.proposed_for, rt.tz, rt.matrix, rt.office
        )
        return [Outgoing(chat, view) for chat in (rt.bureau_chat, rt.leaders_chat) if chat]
    if isinstance(step, ladder.RectifyCheck):
        if not step.final:
            return [Outgoing(unit_chat, texts.rectify_remind(step.respondent, step.deadline))] if unit_chat else []
        return [
            Outgoing(chat, texts.rectify_check(step.respondent, step.deadline, step.items, rt.matrix))
            for chat in bureau
        ]
    return []


def steps_done(
    rt: Runtime,
    round_: Round,
    done: list[ladder.Step],
    now: dt.datetime,
    tickets: list[tuple[Ticket, MessageId]],
    sent: Iterable[str] = (),
) -> None:
    """Record that steps were carried out (their tickets' message ids; the intents of their messages, settled):
    none fires again. Few writes."""
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
    within = [(s.key, _named(s)) for s in done if not isinstance(s, ladder.RectifyCheck | ladder.SendDigest)]
    if within:
        rt.store.record_steps(round_.id, within, now)
    rt.store.clear_intents(sent)


def _named(step: ladder.Step) -> list[tuple[int, str]]:
    """The items a step within a round named (the 督办单's items are remembered as escalated)."""
    if isinstance(step, ladder.Urge | ladder.Escalate | ladder.ProposeInterview):
        return [(i.measure, i.respondent) for i in step.items]
    return []


def messages_for(
    rt: Runtime, round_: Round, steps: list[ladder.Step], now: dt.datetime
) -> list[tuple[ladder.Step, list[Outgoing]]]:
    return [(step, step_messages(rt, round_, step, now)) for step in steps]
