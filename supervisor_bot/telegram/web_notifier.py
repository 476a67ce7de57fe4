"""The web front's Notifier, on Telegram: the same sending and editing a button press uses."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot

from supervisor_bot.telegram.context import Shell
from supervisor_bot.telegram.redraws import edit
from supervisor_bot.telegram.sending import send
from supervisor_bot.views.view import View


@dataclass(frozen=True)
class TelegramNotifier:
    bot: Bot
    shell: Shell

    async def send(self, chat_id: int, view: View) -> None:
        await send(self.bot, self.shell, chat_id, view)

    async def edit(self, chat_id: int, message_id: int, view: View) -> None:
        await edit(self.bot, chat_id, message_id, view)
