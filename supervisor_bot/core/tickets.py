"""Messages in the bureau's chat that carry buttons: a 督办单, a request to verify a completion, a 约谈 draft."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import ChatId, MessageId


class TicketKind(StrEnum):
    ESCALATION = "escalation"  # 督办单: 延期 / 已核实 per item
    CLOSURE = "closure"  # 办结核实: 销号 / 退回


@dataclass(frozen=True)
class Ticket:
    id: str  # short: it travels in callback data
    kind: TicketKind
    round_id: str
    respondent: str
    measures: tuple[int, ...]
    chat_id: ChatId
    message_id: MessageId | None = None
    plan: str = ""  # the plan's key
