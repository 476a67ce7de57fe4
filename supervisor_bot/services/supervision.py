"""The scheduled tick: ask the core what is due now, and keep storage in step with what was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from supervisor_bot.core import tick
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.people import SYSTEM, ChatId, MessageId
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.queries import items, unreported
from supervisor_bot.core.reports import AuditEntry, carry_over
from supervisor_bot.core.rounds import Opening, Round, current_round, next_round_id
from supervisor_bot.core.tickets import TicketKind
from supervisor_bot.services.reporting import render
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import notices, rounds
from supervisor_bot.views.view import View


def snapshot(rt: Runtime) -> tick.Snapshot:
    rounds = tuple(rt.store.rounds())
    live = current_round(rounds)
    prompted = frozenset(
        p.respondent
        for p in rt.store.prompts()
        if live is not None and p.round_id == live.id and p.message_id is not None
    )
    asked = tuple(b for b in rt.store.bindings() if b.respondent in rt.respondents)  # (a 配合 only unit: not)
    return tick.Snapshot(rounds, asked, prompted, rt.plan)


def due(rt: Runtime, now: dt.datetime) -> list[tick.Action]:
    return tick.due(snapshot(rt), now, rt.schedule, rt.calendar)


def open_round(rt: Runtime, action: tick.OpenRound) -> Round:
    """Store the new round: carry 已完成 over, close the previous round, forget the old checklists.

    Each step can be repeated after a crash with the same result, so a restart mid-way loses nothing.
    """
    new = action.round
    previous = action.closes
    if previous is not None:
        carried = carry_over(list(rt.store.reports(previous.id).values()), new.id)
        audit = [
            AuditEntry(
                new.opened_at, SYSTEM, 0, "carry", new.id, r.measure, r.respondent, None, r.status.value, r.note or None
            )
            for r in carried
        ]
        rt.store.save_reports(new.id, carried, audit)
        rt.store.save_round(previous.closed(new.opened_at))
    rt.store.save_round(new)
    _to_edit(rt, CLOSING, [p for p in rt.store.prompts() if p.round_id != new.id])
    rt.store.delete_prompts()
    keep = {new.id, previous.id} if previous is not None else {new.id}
    older = {t.round_id for t in rt.store.tickets()} - keep  # 督办单 of older rounds: their buttons expire
    rt.store.delete_tickets(older, TicketKind.ESCALATION)
    return new


def open_now(rt: Runtime, now: dt.datetime) -> tick.OpenRound:
    """A coordinator's /round: a round opened by hand, due the usual number of working days later."""
    rounds = rt.store.rounds()
    week = rt.schedule.period_of(now)
    due_at = rt.schedule.due_for(now, rt.calendar)
    new = Round(next_round_id(week, rounds, rt.plan), week, now, due_at, Opening.MANUAL, plan=rt.plan)
    previous = current_round(rounds)
    return tick.OpenRound(
        new, previous if previous is not None and previous.closed_at is None else None, dt.timedelta(0)
    )


CLOSING = "close:"  # an intent: a closed round's checklist, to be edited so that it keeps no buttons
SUPERSEDED = "resent:"  # an intent: a checklist sent again, the earlier message to lose its buttons


def _to_edit(rt: Runtime, prefix: str, prompts: list[Prompt]) -> None:
    """Remember, in the same write as the change that makes them dead, the checklists to edit (a restart
    finishes the edits)."""
    for p in prompts:
        if p.message_id is not None:
            rt.store.save_intent(Intent(f"{prefix}{p.round_id}:{p.id}:{p.message_id}", p.chat_id, p.message_id))


@dataclass(frozen=True)
class ToEdit:
    key: str
    chat_id: ChatId
    message_id: MessageId
    view: View


def dead_checklists(rt: Runtime) -> list[ToEdit]:
    """Checklists whose buttons no longer work (their round closed, or they were sent again), with the line
    each is edited to."""
    out = []
    for key, intent in rt.store.intents().items():
        prefix = CLOSING if key.startswith(CLOSING) else SUPERSEDED if key.startswith(SUPERSEDED) else ""
        round_ = rt.round(key[len(prefix) :].split(":", 1)[0]) if prefix else None
        if round_ is None or intent.message is None:
            continue
        view = (
            rounds.checklist_closed(round_, round_.closed_at, rt.tz)
            if prefix == CLOSING
            else rounds.checklist_superseded(round_)
        )
        out.append(ToEdit(key, intent.chat, intent.message, view))
    return out


@dataclass(frozen=True)
class StillOpen:
    """/round while a round is open: what is open."""

    round: Round
    reported: int  # items reported this round (not carried over)
    expected: int  # items asked of the units with a checklist
    prompted: int  # checklists sent


def still_open(rt: Runtime, now: dt.datetime) -> StillOpen | None:
    live = rt.current_round()
    if live is None or not live.is_open(now):
        return None
    prompts = [p for p in rt.store.prompts() if p.round_id == live.id and p.message_id is not None]
    asked = {p.respondent for p in prompts}
    reported = sum(1 for r in rt.store.reports(live.id).values() if not r.carried)
    expected = sum(len(rt.duties.get(name, ())) for name in asked)
    return StillOpen(live, reported, expected, len(prompts))


def resend(rt: Runtime, round_id: str, now: dt.datetime) -> list[tick.SendPrompt] | None:
    """The open round's checklists again, to every bound unit; None if `round_id` is no longer the open round.
    The earlier messages are remembered, to lose their buttons."""
    live = rt.current_round()
    if live is None or live.id != round_id or not live.is_open(now):
        return None
    _to_edit(rt, SUPERSEDED, [p for p in rt.store.prompts() if p.round_id == live.id])
    return [tick.SendPrompt(live.id, b.respondent, b.chat_id) for b in rt.plan_bindings() if b.active]


def edited(rt: Runtime, keys: list[str]) -> None:
    rt.store.clear_intents(keys)


@dataclass(frozen=True)
class PromptToSend:
    prompt: Prompt
    view: View


def prepare_prompts(rt: Runtime, actions: list[tick.SendPrompt], now: dt.datetime) -> list[PromptToSend]:
    """The checklists to send, stored before they are sent (their message ids come after) — in one write."""
    existing = {(p.round_id, p.respondent): p for p in rt.store.prompts()}
    wanted = [a for a in actions if a.respondent in rt.duties and rt.round(a.round_id) is not None]
    fresh = [a for a in wanted if (a.round_id, a.respondent) not in existing]
    first = rt.store.next_id("prompt", len(fresh)) if fresh else 0
    numbers = {(a.round_id, a.respondent): first + i for i, a in enumerate(fresh)}
    prepared = []
    for action in wanted:
        round_ = rt.round(action.round_id)
        if round_ is None:  # filtered out above
            continue
        key = (action.round_id, action.respondent)
        prompt = existing.get(key) or Prompt(format(numbers[key], "x"), round_.id, action.respondent, action.chat_id)
        prompt = replace(prompt, chat_id=action.chat_id, page=0, focus=None, plan=rt.plan)  # as the store keeps it
        rt.views.pop(prompt.id, None)
        prepared.append(PromptToSend(prompt, render(rt, prompt, round_, now)))
    if prepared:
        rt.store.save_prompts([p.prompt for p in prepared])
    return prepared


def prompts_sent(rt: Runtime, sent: list[tuple[Prompt, ChatId, MessageId]], settled: Iterable[str] = ()) -> None:
    """The messenger took these checklists: (prompt, chat — a migrated group has a new one, message id); their
    intents are settled in the same write."""
    if sent:
        rt.store.save_prompts(
            [replace(prompt, chat_id=chat_id, message_id=message_id) for prompt, chat_id, message_id in sent]
        )
    rt.store.clear_intents(settled)


def prompted(rt: Runtime) -> int:
    """Checklists of the live rounds sent so far."""
    return sum(1 for p in rt.store.prompts() if p.message_id is not None)


def reminders(rt: Runtime, now: dt.datetime) -> list[tuple[ChatId, View]]:
    """A coordinator's /remind: each bound department with unreported items is reminded in its chat."""
    live = rt.current_round()
    if live is None or not live.is_open(now):
        return []
    reports = rt.store.reports(live.id)
    out = []
    for binding in rt.plan_bindings():
        if not binding.active:
            continue
        missing = unreported(items(rt.matrix, reports, only={binding.respondent}))
        if missing:
            out.append((binding.chat_id, notices.reminder(binding.respondent, live, missing, rt.tz, now, rt.matrix)))
    return out
