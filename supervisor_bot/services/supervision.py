"""The scheduled tick: ask the core what is due now, and keep storage in step with what was done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from supervisor_bot.core import tick
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.queries import items, unreported
from supervisor_bot.core.reports import AuditEntry, carry_over
from supervisor_bot.core.rounds import Opening, Round, current_round, next_round_id
from supervisor_bot.core.schedule import week_key
from supervisor_bot.services.reporting import render
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import notices
from supervisor_bot.views.view import View


def snapshot(rt: Runtime) -> tick.Snapshot:
    rounds = tuple(rt.store.rounds())
    live = current_round(rounds)
    prompted = frozenset(
        p.respondent
        for p in rt.store.prompts()
        if live is not None and p.round_id == live.id and p.message_id is not None
    )
    return tick.Snapshot(rounds, tuple(rt.store.bindings()), prompted)


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
    rt.store.delete_prompts()
    return new


def open_now(rt: Runtime, now: dt.datetime) -> tick.OpenRound:
    """A coordinator's /round: a round opened by hand, due the usual number of working days later."""
    rounds = rt.store.rounds()
    week = week_key(now, rt.tz)
    new = Round(next_round_id(week, rounds), week, now, rt.schedule.due_for(now, rt.calendar), Opening.MANUAL)
    previous = current_round(rounds)
    return tick.OpenRound(
        new, previous if previous is not None and previous.closed_at is None else None, dt.timedelta(0)
    )


@dataclass(frozen=True)
class PromptToSend:
    prompt: Prompt
    view: View


def prepare_prompt(rt: Runtime, action: tick.SendPrompt, now: dt.datetime) -> PromptToSend | None:
    """The checklist for one respondent, stored before it is sent (its message id comes after)."""
    round_ = rt.round(action.round_id)
    if round_ is None or action.respondent not in rt.duties:
        return None
    existing = next(
        (p for p in rt.store.prompts() if p.round_id == round_.id and p.respondent == action.respondent), None
    )
    prompt = existing or Prompt(format(rt.store.next_id("prompt"), "x"), round_.id, action.respondent, action.chat_id)
    prompt = replace(prompt, chat_id=action.chat_id, page=0, focus=None)
    rt.store.save_prompt(prompt)
    return PromptToSend(prompt, render(rt, prompt, round_, now))


def prompt_sent(rt: Runtime, prompt: Prompt, chat_id: int, message_id: int) -> None:
    """Telegram accepted the checklist (in `chat_id`: a migrated group has a new one)."""
    rt.store.save_prompt(replace(prompt, chat_id=chat_id, message_id=message_id))


def reminders(rt: Runtime, now: dt.datetime) -> list[tuple[int, View]]:
    """A coordinator's /remind: each bound department with unreported items is reminded in its chat."""
    live = rt.current_round()
    if live is None or not live.is_open(now):
        return []
    reports = rt.store.reports(live.id)
    out = []
    for binding in rt.store.bindings():
        if not binding.active:
            continue
        missing = unreported(items(rt.matrix, reports, only={binding.respondent}))
        if missing:
            out.append((binding.chat_id, notices.reminder(binding.respondent, live, missing, rt.tz, now)))
    return out
