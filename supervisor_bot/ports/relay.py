"""What a dashboard process without a bot (`main.py web`) needs from a shared store: decisions posted there are
queued for the active bot, which carries them out as if they were posted to its own dashboard and writes back
what the page should say; and the values every process of the deployment shares (the dashboard's secret).
Only the database backend has it: on the data folder the dashboard runs inside the bot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from supervisor_bot.core.people import Actor


@dataclass(frozen=True)
class QueuedAction:
    id: int
    plan: str
    fields: dict[str, str]  # the form as posted
    actor: Actor


@dataclass(frozen=True)
class ActionOutcome:
    status: int  # the page's HTTP status
    page: str  # the page's name (data-page)
    text: str


@runtime_checkable
class ActionRelay(Protocol):
    def queue_action(self, plan: str, fields: dict[str, str], actor: Actor) -> int: ...
    def queued_actions(self) -> list[QueuedAction]: ...
    def finish_action(self, action_id: int, outcome: ActionOutcome) -> None: ...
    def action_outcome(self, action_id: int) -> ActionOutcome | None: ...
    def shared_value(self, name: str, offered: str) -> str: ...  # the value agreed on: the first one offered
