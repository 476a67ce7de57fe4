"""The Telegram front's state, and the typed context every callback gets: `context.front`, `context.shell`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

import pendulum
from telegram.ext import Application, CallbackContext, ExtBot

from supervisor_bot.app.shell import Shell
from supervisor_bot.telegram.messenger import TelegramMessenger
from supervisor_bot.telegram.redraws import Redraws


class UpdateLog(Protocol):
    """The Telegram updates already handled: after a crash Telegram sends the unconfirmed ones again. The store
    keeps them (written with the next write, in the same line as the update's effects: see the service runner)."""

    def handled_updates(self) -> set[int]: ...
    def mark_update_handled(self, update_id: int) -> None: ...


@dataclass
class Front:
    shell: Shell  # the application: every decision is a call into it
    messenger: TelegramMessenger
    redraws: Redraws
    handled_before: frozenset[int]  # updates handled before a restart: skip them if sent again

    def sent_at(self, telegram_date: dt.datetime) -> pendulum.DateTime:
        """A message's date on the bot's clock (a fast clock runs ahead of Telegram's real one)."""
        return self.shell.clock.at_real(telegram_date)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def front(self) -> Front:
        front: Front = self.application.bot_data["front"]
        return front

    @property
    def shell(self) -> Shell:
        return self.front.shell


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
