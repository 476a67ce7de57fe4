"""The ladder's steps carried out: 临期提醒, 催办, 督办单, 约谈建议, 整改 — each once, recorded as soon as sent."""

from __future__ import annotations

import asyncio
import datetime as dt

from supervisor_bot.app.delivery import deliver_once, settle
from supervisor_bot.app.digests import send_digest
from supervisor_bot.app.shell import Shell, as_scheduled, caught_up, log
from supervisor_bot.core import ladder
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.people import MessageId
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.ports.messenger import NotSent, Sent
from supervisor_bot.services import ladder as ladder_service
from supervisor_bot.services import plan_digests
from supervisor_bot.services.outcomes import Outgoing


async def run_ladder(shell: Shell, now: dt.datetime) -> list[ladder.Step]:
    """Each due step once. A step whose message the messenger could not take is not recorded: the next tick
    tries again."""
    rt = shell.runtime
    live, steps = await shell.runner.call(ladder_service.due_steps, rt, rt.ladder, now)
    if live is None:
        return []
    digests = [s for s in steps if isinstance(s, ladder.SendDigest)]
    others: list[ladder.Step] = [s for s in steps if not isinstance(s, ladder.SendDigest)]
    if others:
        planned = await shell.runner.call(ladder_service.messages_for, rt, live, others, now)
        known = await shell.runner.call(rt.store.intents)

        async def one(step: ladder.Step, messages: list[Outgoing]) -> None:
            async with shell.send_window.slot():  # a step's messages from the intent to the result stored
                await _carry_out(shell, live, step, messages, known, now)

        await asyncio.gather(*(one(step, messages) for step, messages in planned))
    lead = not shell.plans or rt is plan_digests.lead(shell.runtimes)  # several plans: one digest, sent by one
    for step in digests if lead else []:
        await send_digest(shell, now, step)
    return steps


async def _carry_out(
    shell: Shell, live: Round, step: ladder.Step, messages: list[Outgoing], known: dict[str, Intent], now: dt.datetime
) -> None:
    rt = shell.runtime
    tickets: list[tuple[Ticket, MessageId]] = []
    keys: list[str] = []
    for number, message in enumerate(messages, start=1):
        key = f"{step.key}>{number}"
        result = await deliver_once(shell, key, message.chat_id, message.view, known)
        if result is NotSent.FAILED:
            log.warning("%s: %s not carried out, messenger unreachable; next tick", type(step).__name__, step.key)
            return
        keys.append(key)
        if isinstance(result, Sent):
            if message.ticket is not None:
                tickets.append((message.ticket, result.message.id))
            if number < len(messages):  # the rest may be cut short: this one is not to be sent again
                await settle(shell, key, result)
    due = ladder.scheduled_at(step, live, rt.ladder, rt.calendar, rt.tz)
    await shell.runner.call(ladder_service.steps_done, rt, live, [step], as_scheduled(due, now), tickets, keys)
    log.info("%s: %s%s", type(step).__name__, step.key, caught_up(shell, due, now))
