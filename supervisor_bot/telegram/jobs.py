"""The named scheduled job: every tick asks the domain what is due now, and does it."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Awaitable, Callable

import pendulum
from telegram import Bot, Message

from supervisor_bot.core import ladder
from supervisor_bot.core import tick as core_tick
from supervisor_bot.core.schedule import week_key
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.services import oversight, supervision
from supervisor_bot.services.digest_files import write_digest_files
from supervisor_bot.telegram.context import BotContext, Shell, log
from supervisor_bot.telegram.sending import NotSent, deliver, notify_coordinators, send, send_file
from supervisor_bot.views import fmt, notices
from supervisor_bot.views.view import View, split_text

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
    """临期提醒, 催办, 督办, 约谈, 整改 and the weekly digest: each step once, recorded as soon as it is sent.

    A step whose message Telegram could not take (after retries) is not recorded: the next tick tries again.
    """
    rt = shell.runtime
    live, steps = await shell.runner.call(oversight.due_steps, rt, rt.ladder, now)
    if live is None:
        return []
    digests: list[ladder.SendDigest] = [s for s in steps if isinstance(s, ladder.SendDigest)]
    others: list[ladder.Step] = [s for s in steps if not isinstance(s, ladder.SendDigest)]
    if others:
        planned = await shell.runner.call(oversight.messages_for, rt, live, others, now)
        gate = asyncio.Semaphore(FAN_OUT)

        async def carry_out(step: ladder.Step, messages: list[oversight.Outgoing]) -> None:
            tickets: list[tuple[Ticket, int]] = []
            async with gate:
                for message in messages:
                    sent = await deliver(bot, shell, message.chat_id, message.view)
                    if sent is NotSent.FAILED:
                        log.warning(
                            "%s: %s not carried out, Telegram unreachable; next tick", type(step).__name__, step.key
                        )
                        return
                    if isinstance(sent, Message) and message.ticket is not None:
                        tickets.append((message.ticket, sent.message_id))
            await shell.runner.call(oversight.steps_done, rt, live, [step], now, tickets)
            due = ladder.scheduled_at(step, live, rt.ladder, rt.calendar, rt.tz)
            log.info("%s: %s%s", type(step).__name__, step.key, _caught_up(shell, due, now))

        await asyncio.gather(*(carry_out(step, messages) for step, messages in planned))
    for step in digests:
        await send_digest(bot, shell, now, step)
    return steps


def _caught_up(shell: Shell, due: dt.datetime | None, now: dt.datetime) -> str:
    """A note for the log when a step is carried out well after its time (the bot was down)."""
    if due is None or now - due <= LATE:
        return ""
    return f" (caught up: due {fmt.day_time(due, shell.runtime.tz)})"


async def send_digest(
    bot: Bot, shell: Shell, now: dt.datetime, step: ladder.SendDigest | None = None, chat_id: int | None = None
) -> bool:
    """The weekly digest to the leaders' chat (or a preview to `chat_id`): text in pieces, the ledger, the chart.

    Each piece of a weekly digest is recorded once sent, so a digest cut short by Telegram is completed by the
    next tick without sending any piece twice.
    """
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
    day = f"{result.period_end:%Y%m%d}"
    pieces: list[Callable[[], Awaitable[Message | NotSent]]] = [
        functools.partial(deliver, bot, shell, target, View(chunk)) for chunk in split_text(files.text)
    ]
    pieces.append(functools.partial(send_file, bot, target, files.ledger, f"督办台账{day}.xlsx", "督办台账"))
    pieces.append(functools.partial(send_file, bot, target, files.chart, f"分部分进展{day}.png", "分部分进展图", True))
    done = await shell.runner.call(rt.store.lasting_done) if step is not None else set()
    for number, piece in enumerate(pieces, start=1):
        key = f"{step.key}#{number}" if step is not None else ""
        if key in done:
            continue
        if await piece() is NotSent.FAILED and step is not None:
            log.warning(
                "digest %s: piece %s of %s not sent, Telegram unreachable; next tick", step.week, number, len(pieces)
            )
            return False
        if step is not None:
            await shell.runner.call(rt.store.mark_lasting_done, key)
    if step is not None:
        await shell.runner.call(oversight.digest_sent, rt, step, result)
        log.info("digest %s sent to chat %s%s", step.week, target, _caught_up(shell, step.scheduled, now))
    return True


async def _send_prompts(bot: Bot, shell: Shell, actions: list[core_tick.SendPrompt], now: dt.datetime) -> int:
    """Send the checklists side by side (the rate limiter keeps to Telegram's limits); each is recorded as soon
    as Telegram has it, so a crash in the middle sends none of them twice."""
    prepared = await shell.runner.call(supervision.prepare_prompts, shell.runtime, actions, now)
    gate = asyncio.Semaphore(FAN_OUT)

    async def one(item: supervision.PromptToSend) -> bool:
        async with gate:
            message = await send(bot, shell, item.prompt.chat_id, item.view)
        if message is None:
            return False
        await shell.runner.call(
            supervision.prompts_sent, shell.runtime, [(item.prompt, message.chat_id, message.message_id)]
        )
        log.info(
            "checklist for %s sent to chat %s (round %s)", item.prompt.respondent, message.chat_id, item.prompt.round_id
        )
        return True

    return sum(await asyncio.gather(*(one(p) for p in prepared)))


async def tick_job(context: BotContext) -> None:
    await run_tick(context.bot, context.shell)
