"""The named scheduled job: every tick asks the domain what is due now, and does it."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Bot

from supervisor_bot.core import tick as core_tick
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.services import supervision
from supervisor_bot.telegram.context import BotContext, Shell, log
from supervisor_bot.telegram.sending import notify_coordinators, send
from supervisor_bot.views import fmt, notices

TICK = "supervision-tick"
FAN_OUT = 32  # checklists in flight at once
LATE = dt.timedelta(hours=1)  # an opening caught up this late is reported as such


async def run_tick(bot: Bot, shell: Shell, now: dt.datetime | None = None) -> list[core_tick.Action]:
    """One tick at `now` (the clock's, unless a test passes one). Ticks never overlap."""
    if shell.tick_lock.locked():
        return []
    async with shell.tick_lock:
        moment = now or shell.now()
        rt = shell.runtime
        actions = await shell.runner.call(supervision.due, rt, moment)
        opened: core_tick.OpenRound | None = None
        for action in actions:
            if isinstance(action, core_tick.OpenRound):
                await shell.runner.call(supervision.open_round, rt, action)
                opened = action
                late = f"，补开（原定{fmt.day_time(action.round.opened_at, rt.tz)}）" if action.late_by > LATE else ""
                log.info("round %s opened, due %s%s", action.round.id, action.round.due_at, late)
        prompts = [a for a in actions if isinstance(a, core_tick.SendPrompt)]
        sent = await _send_prompts(bot, shell, prompts, moment) if prompts else 0
        if opened is not None:
            bound = {b.respondent for b in await shell.runner.call(rt.store.bindings) if b.active}
            unbound = [name for name in rt.respondents if name not in bound]
            await notify_coordinators(
                bot, shell, notices.round_opened(opened.round, rt.tz, sent, unbound, opened.late_by)
            )
        return actions


async def _send_prompts(bot: Bot, shell: Shell, actions: list[core_tick.SendPrompt], now: dt.datetime) -> int:
    """Send the checklists side by side; the rate limiter keeps to Telegram's limits."""
    prepared = await shell.runner.call(supervision.prepare_prompts, shell.runtime, actions, now)
    gate = asyncio.Semaphore(FAN_OUT)

    async def one(item: supervision.PromptToSend) -> tuple[Prompt, int, int] | None:
        async with gate:
            message = await send(bot, shell, item.prompt.chat_id, item.view)
        if message is None:
            return None
        log.info(
            "checklist for %s sent to chat %s (round %s)", item.prompt.respondent, message.chat_id, item.prompt.round_id
        )
        return (item.prompt, message.chat_id, message.message_id)

    results = [r for r in await asyncio.gather(*(one(p) for p in prepared)) if r is not None]
    await shell.runner.call(supervision.prompts_sent, shell.runtime, results)
    return len(results)


async def tick_job(context: BotContext) -> None:
    await run_tick(context.bot, context.shell)
