"""The named scheduled job: every tick asks the domain what is due now, and does it."""

from __future__ import annotations

import asyncio
import datetime as dt

import pendulum
from telegram import Bot

from supervisor_bot.core import ladder
from supervisor_bot.core import tick as core_tick
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.schedule import week_key
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.services import oversight, supervision
from supervisor_bot.services.digest_files import write_digest_files
from supervisor_bot.telegram.context import BotContext, Shell, log
from supervisor_bot.telegram.sending import notify_coordinators, send, send_file, send_text
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
        await run_ladder(bot, shell, moment)
        return actions


async def run_ladder(bot: Bot, shell: Shell, now: dt.datetime) -> list[ladder.Step]:
    """临期提醒, 催办, 督办, 约谈, 整改 and the weekly digest: each step once, recorded after it is sent."""
    rt = shell.runtime
    live, steps = await shell.runner.call(oversight.due_steps, rt, rt.ladder, now)
    if live is None:
        return []
    digests: list[ladder.SendDigest] = [s for s in steps if isinstance(s, ladder.SendDigest)]
    others: list[ladder.Step] = [s for s in steps if not isinstance(s, ladder.SendDigest)]
    if others:
        planned = await shell.runner.call(oversight.messages_for, rt, live, others, now)
        gate = asyncio.Semaphore(FAN_OUT)

        async def deliver(message: oversight.Outgoing) -> tuple[Ticket, int] | None:
            async with gate:
                sent = await send(bot, shell, message.chat_id, message.view)
            return (message.ticket, sent.message_id) if sent is not None and message.ticket is not None else None

        results = await asyncio.gather(*(deliver(m) for _, messages in planned for m in messages))
        tickets = [r for r in results if r is not None]
        await shell.runner.call(oversight.steps_done, rt, live, others, now, tickets)
        for step in others:
            log.info("%s: %s", type(step).__name__, step.key)
    for step in digests:
        await send_digest(bot, shell, now, step)
    return steps


async def send_digest(
    bot: Bot, shell: Shell, now: dt.datetime, step: ladder.SendDigest | None = None, chat_id: int | None = None
) -> bool:
    """The weekly digest to the leaders' chat (or a preview to `chat_id`): text in pieces, the ledger, the chart."""
    rt = shell.runtime
    target = chat_id or rt.leaders_chat
    previous = oversight.previous_digest_key(step.week if step else week_key(now, rt.tz))
    result = await shell.runner.call(oversight.digest, rt, rt.ladder, now, previous)
    if result is None or target is None:
        if step is not None:
            await shell.runner.call(rt.store.mark_lasting_done, step.key)
        return False
    folder = shell.digest_dir / (step.week if step else f"preview-{pendulum.instance(now):%Y%m%d%H%M%S}")
    files = await shell.runner.call(write_digest_files, result, folder)
    await send_text(bot, shell, target, files.text)
    await send_file(bot, target, files.ledger, f"督办台账{result.period_end:%Y%m%d}.xlsx", "督办台账")
    await send_file(bot, target, files.chart, f"分部分进展{result.period_end:%Y%m%d}.png", "分部分进展图", photo=True)
    if step is not None:
        await shell.runner.call(oversight.digest_sent, rt, step, result)
        log.info("digest %s sent to chat %s", step.week, target)
    return True


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
