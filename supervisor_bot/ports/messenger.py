"""What the application needs from a messenger (Telegram today, WeCom or DingTalk later).

Chats, people and messages are named by values the messenger defines — Telegram's integers, another
messenger's strings: the application stores and compares them and never looks inside.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.views.view import View

POSSIBLE_DUPLICATE = "possible duplicate"  # the log's mark on a message that may now be in its chat twice


@dataclass(frozen=True)
class MessageRef:
    """A message the bot sent: where it is (a chat that moved is named by its new id) and its id there."""

    chat: ChatId
    id: MessageId


@dataclass(frozen=True)
class Sent:
    message: MessageRef


class NotSent(enum.Enum):
    GONE = "gone"  # the chat removed or blocked the bot: nothing more can be sent there
    REFUSED = "refused"  # the request was refused (too long, a chat that does not exist): sending again won't help
    FAILED = "failed"  # the messenger could not be reached, however often tried: the next tick tries again


Delivery = Sent | NotSent


@dataclass(frozen=True)
class Attachment:
    """A file to send: the ledger, the chart. `photo`: shown as a picture rather than a document."""

    path: Path
    filename: str
    caption: str
    photo: bool = False


class Messenger(Protocol):
    """Sending is at most once per call (retried inside while nothing can have arrived); editing may repeat."""

    async def send(self, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery: ...

    async def edit(self, message: MessageRef, view: View) -> bool: ...

    async def send_file(self, chat: ChatId, attachment: Attachment) -> Delivery: ...

    async def answer(self, press: str, text: str = "", alert: bool = False) -> None:
        """Answer a button press (`press`: the messenger's id of it) with a toast, or an alert to dismiss."""
        ...
