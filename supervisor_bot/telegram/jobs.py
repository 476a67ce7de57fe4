"""The named scheduled job (python-telegram-bot's JobQueue): it only calls the application's tick."""

from __future__ import annotations

from supervisor_bot.app.cycle import tick
from supervisor_bot.telegram.context import BotContext

TICK = "supervision-tick"


async def tick_job(context: BotContext) -> None:
    await tick(context.shell)
