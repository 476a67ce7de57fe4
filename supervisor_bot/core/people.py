"""People as the bot knows them: a Telegram user id and a display name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int
    name: str


SYSTEM = Actor(0, "督办机器人")
