"""The typed context every callback gets: `context.shell` holds the runtime, the clock and the runner."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
from telegram.ext import Application, CallbackContext, ExtBot

from supervisor_bot.clock import Clock
from supervisor_bot.services.runner import ServiceRunner
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.telegram.redraws import Redraws

log = logging.getLogger("supervisor_bot")


@dataclass
class Shell:
    runtime: Runtime
    clock: Clock
    runner: ServiceRunner = field(init=False)
    tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    digest_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "supervisor-digests")

    redraws: Redraws = field(init=False)
    handled_before: frozenset[int] = field(init=False)  # updates handled before a restart: skip them if resent

    def __post_init__(self) -> None:
        store = self.runtime.store
        self.handled_before = frozenset(store.handled_updates())
        self.runner = ServiceRunner(flush=store.flush, handled=store.mark_update_handled)
        self.redraws = Redraws()

    def now(self) -> pendulum.DateTime:
        return self.clock.now()

    def sent_at(self, telegram_date: dt.datetime) -> pendulum.DateTime:
        """A message's date on the bot's clock (a fast clock runs ahead of Telegram's real one)."""
        return self.clock.at_real(telegram_date)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def shell(self) -> Shell:
        shell = self.application.bot_data["shell"]
        assert isinstance(shell, Shell)
        return shell


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
