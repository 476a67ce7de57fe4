"""A department's report on a measure in a round, the checks it must pass, and its audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import Actor, ChatId
from supervisor_bot.core.status import Status

MAX_NOTE_LENGTH = 500


@dataclass(frozen=True)
class Report:
    round_id: str
    measure: int
    respondent: str
    status: Status
    note: str
    at: dt.datetime
    actor: Actor
    chat_id: ChatId
    carried: bool = False  # 已完成 carried over from an earlier round, not reported in this one

    @property
    def key(self) -> tuple[int, str]:
        return (self.measure, self.respondent)


@dataclass(frozen=True)
class AuditEntry:
    """Who changed what, when, and from which chat."""

    at: dt.datetime
    actor: Actor
    chat_id: ChatId
    action: str  # report, note, bind, unbind, invite, round …
    round_id: str | None = None
    measure: int | None = None
    respondent: str | None = None
    before: str | None = None
    after: str | None = None
    note: str | None = None
    plan: str = ""  # the plan's key; "" for what concerns no plan (bindings) or a one-plan deployment


class Refusal(StrEnum):
    NOT_BOUND = "not_bound"  # the chat answers for no department
    NOT_LIAISON = "not_liaison"  # a stranger in the department's chat
    NOT_THEIRS = "not_theirs"  # the measure is not the department's
    WRONG_CHAT = "wrong_chat"  # a button copied from another chat
    STALE = "stale"  # a button on a message that is no longer the live checklist
    FORGED = "forged"  # callback data the bot never made
    ROUND_CLOSED = "round_closed"
    NO_ROUND = "no_round"
    NOTE_REQUIRED = "note_required"
    NOTE_TOO_LONG = "note_too_long"
    NOTHING_TO_NOTE = "nothing_to_note"  # a note on a measure with no report yet this round


def check_reporter(binding: Binding | None, respondent: str, chat_id: ChatId, actor: Actor) -> Refusal | None:
    """Reports come only from the respondent's bound chat, and only from its liaisons."""
    if binding is None or not binding.active:
        return Refusal.NOT_BOUND
    if binding.respondent != respondent or binding.chat_id != chat_id:
        return Refusal.WRONG_CHAT
    if actor.user_id not in binding.liaisons:
        return Refusal.NOT_LIAISON
    return None


def check_note(status: Status, note: str) -> Refusal | None:
    text = note.strip()
    if status.needs_note and not text:
        return Refusal.NOTE_REQUIRED
    if len(text) > MAX_NOTE_LENGTH:
        return Refusal.NOTE_TOO_LONG
    return None


def record(
    current: Report | None,
    *,
    round_id: str,
    measure: int,
    respondent: str,
    status: Status,
    note: str,
    actor: Actor,
    chat_id: ChatId,
    now: dt.datetime,
) -> tuple[Report, AuditEntry]:
    """The new report and its audit entry. A correction keeps the earlier note unless a new one is given."""
    text = note.strip() or (current.note if current is not None and current.status is status else "")
    report = Report(round_id, measure, respondent, status, text, now, actor, chat_id)
    audit = AuditEntry(
        at=now,
        actor=actor,
        chat_id=chat_id,
        action="report",
        round_id=round_id,
        measure=measure,
        respondent=respondent,
        before=current.status.value if current is not None else None,
        after=status.value,
        note=text or None,
    )
    return report, audit


def add_note(current: Report, note: str, actor: Actor, chat_id: ChatId, now: dt.datetime) -> tuple[Report, AuditEntry]:
    report = replace(current, note=note.strip(), at=now, actor=actor, chat_id=chat_id, carried=False)
    audit = AuditEntry(
        at=now,
        actor=actor,
        chat_id=chat_id,
        action="note",
        round_id=current.round_id,
        measure=current.measure,
        respondent=current.respondent,
        before=current.status.value,
        after=current.status.value,
        note=report.note,
    )
    return report, audit


def carry_over(previous: list[Report], round_id: str) -> list[Report]:
    """已完成 stays done: it is carried into the next round and need not be reported again."""
    return [replace(r, round_id=round_id, carried=True) for r in previous if r.status is Status.DONE]
