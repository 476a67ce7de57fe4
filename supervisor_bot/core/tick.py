"""What is due now: the pure decision the scheduled tick asks for; the shell carries it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.people import ChatId
from supervisor_bot.core.rounds import Round, current_round, round_id
from supervisor_bot.core.schedule import RoundSchedule

FIRST_ROUND_GRACE = dt.timedelta(hours=12)


@dataclass(frozen=True)
class OpenRound:
    round: Round
    closes: Round | None  # the round it replaces
    late_by: dt.timedelta  # > 0 when catching up on an opening missed while the bot was down


@dataclass(frozen=True)
class SendPrompt:
    round_id: str
    respondent: str
    chat_id: ChatId


Action = OpenRound | SendPrompt


@dataclass(frozen=True)
class Snapshot:
    rounds: tuple[Round, ...]
    bindings: tuple[Binding, ...]
    prompted: frozenset[str]  # respondents already sent the current round's checklist
    plan: str = ""  # the plan's key ("" in a one-plan deployment)


def scheduled_opening(
    snapshot: Snapshot, now: dt.datetime, schedule: RoundSchedule, calendar: WorkCalendar
) -> OpenRound | None:
    """The scheduled round to open now, if its opening has passed and no round of that week exists."""
    slot = schedule.latest_slot(now, calendar)
    if slot is None:
        return None
    opening, week = slot.at, slot.key
    if not snapshot.rounds and now - opening > FIRST_ROUND_GRACE:
        return None  # a new deployment waits for the next opening rather than open a round already late
    if any(r.week == week for r in snapshot.rounds):
        return None
    previous = current_round(snapshot.rounds)
    if previous is not None and previous.opened_at >= opening:
        return None
    new = Round(round_id(week, snapshot.plan), week, opening, schedule.due_for(opening, calendar), plan=snapshot.plan)
    return OpenRound(new, previous if previous is not None and previous.closed_at is None else None, now - opening)


def due(snapshot: Snapshot, now: dt.datetime, schedule: RoundSchedule, calendar: WorkCalendar) -> list[Action]:
    """Open the scheduled round if its time has come; ask every bound department not yet asked."""
    actions: list[Action] = []
    opening = scheduled_opening(snapshot, now, schedule, calendar)
    prompted = snapshot.prompted
    if opening is not None:
        actions.append(opening)
        live = opening.round
        prompted = frozenset()
    else:
        current = current_round(snapshot.rounds)
        if current is None or not current.is_open(now):
            return actions
        live = current
    actions.extend(
        SendPrompt(live.id, b.respondent, b.chat_id)
        for b in snapshot.bindings
        if b.active and b.respondent not in prompted
    )
    return actions
