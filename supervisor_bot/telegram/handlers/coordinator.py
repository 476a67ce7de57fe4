"""Coordinators' commands: /invite (in a private chat), /round, /remind."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.app.cycle import open_round_now
from supervisor_bot.app.delivery import deliver
from supervisor_bot.ports.messenger import Sent
from supervisor_bot.services import binding, supervision
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.views import fmt, messages


async def invite(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    _, chat, user = found
    if chat.type != chat.PRIVATE:
        await reply(update, context, messages.PRIVATE_ONLY + "\n" + messages.USAGE["invite"])
        return
    written = argument(context)
    if not written:
        await reply(update, context, messages.USAGE["invite"])
        return
    shell = context.shell
    made = await shell.runner.call(binding.invite, shell.runtime, written, actor_of(user), shell.now())
    if isinstance(made, binding.NoSuchRespondent):
        await reply(update, context, messages.no_such_respondent(made.written, made.candidates))
    else:
        await reply(update, context, messages.invite_made(made.invite, shell.runtime.tz))


async def open_round(update: Update, context: BotContext) -> None:
    if not await coordinator_only(update, context):
        return
    shell = context.shell
    action = await open_round_now(shell, shell.now())
    prompted = sum(1 for p in await shell.runner.call(shell.runtime.store.prompts) if p.message_id is not None)
    due = fmt.day_time(action.round.due_at, shell.runtime.tz)
    await reply(update, context, messages.round_opened_now(action.round.id, due, prompted))


async def remind(update: Update, context: BotContext) -> None:
    if not await coordinator_only(update, context):
        return
    shell = context.shell
    due = await shell.runner.call(supervision.reminders, shell.runtime, shell.now())
    if not due and await shell.runner.call(shell.runtime.current_round) is None:
        await reply(update, context, messages.NO_ROUND)
        return
    delivered = 0
    for chat_id, view in due:
        delivered += isinstance(await deliver(shell, chat_id, view), Sent)
    await reply(update, context, messages.reminded(delivered, len(due)))
