"""People and chats as the bot knows them: identities the messenger defines, and a display name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

ChatId: TypeAlias = int | str  # Telegram's integers; another messenger's strings
UserId: TypeAlias = int | str
MessageId: TypeAlias = int | str


@dataclass(frozen=True)
class Actor:
    user_id: UserId
    name: str


SYSTEM = Actor(0, "督办机器人")
