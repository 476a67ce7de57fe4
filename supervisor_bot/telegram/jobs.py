"""The named scheduled job: every tick asks the domain what is due now, and does it."""

from __future__ import annotations

import datetime as dt

from telegram import Bot

from supervisor_bot.core import tick as core_tick
from supervisor_bot.services import supervision
from supervisor_bot.telegram.context import BotContext, Shell, log
from supervisor_bot.telegram.sending import notify_coordinators, send
from supervisor_bot.views import fmt, notices

TICK = "supervision-tick"


async def run_tick(bot: Bot, shell: Shell, now: dt.datetime | None = None) -> list[core_tick.Action]:
    """One tick at `now` (the clock's, unless a test passes one). Ticks never overlap."""
    if shell.tick_lock.locked():
        return []
    async with shell.tick_lock:
        moment = now or shell.now()
        rt = shell.runtime
        actions = await shell.runner.call(supervision.due, rt, moment)
        opened: core_tick.OpenRound | None = None
        sent = 0
        for action in actions:
            if isinstance(action, core_tick.OpenRound):
                await shell.runner.call(supervision.open_round, rt, action)
                opened = action
                late = (
                    f"，补开（原定{fmt.day_time(action.round.opened_at, rt.tz)}）"
                    if action.late_by > dt.timedelta(minutes=5)
                    else ""
                )
                log.info("round %s opened, due %s%s", action.round.id, action.round.due_at, late)
            else:
                sent += await _send_prompt(bot, shell, action, moment)
        if opened is not None:
            bound = {b.respondent for b in await shell.runner.call(rt.store.bindings) if b.active}
            unbound = [name for name in rt.respondents if name not in bound]
            await notify_coordinators(
                bot, shell, notices.round_opened(opened.round, rt.tz, sent, unbound, opened.late_by)
            )
        return actions


async def _send_prompt(bot: Bot, shell: Shell, action: core_tick.SendPrompt, now: dt.datetime) -> int:
    prepared = await shell.runner.call(supervision.prepare_prompt, shell.runtime, action, now)
    if prepared is None:
        return 0
    message = await send(bot, shell, action.chat_id, prepared.view)
    if message is None:
        return 0
    await shell.runner.call(
        supervision.prompt_sent, shell.runtime, prepared.prompt, message.chat_id, message.message_id
    )
    log.info("checklist for %s sent to chat %s (round %s)", action.respondent, message.chat_id, action.round_id)
    return 1


async def tick_job(context: BotContext) -> None:
    await run_tick(context.bot, context.shell)
