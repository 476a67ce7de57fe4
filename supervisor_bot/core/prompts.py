"""The checklist message a department gets each round, and the notes the bot is waiting for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.core.status import Status

PAGE_SIZE = 8  # measures on one page of the checklist: 49 measures are 7 pages of one message


@dataclass(frozen=True)
class Prompt:
    """One paged checklist message per respondent per round, edited in place."""

    id: str  # short: it travels in callback data
    round_id: str
    respondent: str
    chat_id: ChatId
    message_id: MessageId | None = None  # None until Telegram has accepted it
    page: int = 0
    focus: int | None = None  # the measure shown in detail, if one is
    plan: str = ""  # the plan's key


@dataclass(frozen=True)
class PendingNote:
    """The bot asked (ForceReply) for a note; a reply to that message is the note."""

    round_id: str
    respondent: str
    measure: int
    status: Status | None  # the status the note completes; None: a note on the current report
    chat_id: ChatId
    message_id: MessageId
    requested_by: Actor
    at: dt.datetime
    plan: str = ""  # the plan's key


def pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def clamp_page(page: int, count: int) -> int:
    return min(max(page, 0), pages(count) - 1)
