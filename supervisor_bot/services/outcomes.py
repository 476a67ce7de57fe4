"""What the supervision services hand back: messages to send, and what a ticket's button comes to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.core.people import Actor, ChatId
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.outcomes.tickets import TicketRefusal
from supervisor_bot.views.view import View

__all__ = ["AskReason", "Outgoing", "TicketRefusal", "TicketRefused", "TicketShow"]


@dataclass(frozen=True)
class Outgoing:
    """A message a service decided to send: where, what, and the ticket it carries, if any."""

    chat_id: ChatId
    view: View
    ticket: Ticket | None = None


@dataclass(frozen=True)
class TicketRefused:
    reason: TicketRefusal


@dataclass(frozen=True)
class TicketShow:
    view: View  # the ticket as it now stands
    toast: str = ""
    notify: tuple[Outgoing, ...] = ()  # messages to the department concerned


@dataclass(frozen=True)
class AskReason:
    ticket: Ticket
    request: View


TicketOutcome = TicketRefused | TicketShow | AskReason


def audit_of(
    now: dt.datetime, actor: Actor, chat: ChatId, action: str, ticket: Ticket, measure: int | None, note: str
) -> AuditEntry:
    """A decision on a ticket, for the audit trail of the ticket's round."""
    return AuditEntry(now, actor, chat, action, ticket.round_id, measure, ticket.respondent, None, None, note)
