"""Coordinators' commands: /invite (in a private chat), /round, /remind."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.app.cycle import open_round_now, remind_now
from supervisor_bot.services import binding
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.views import fmt, messages


async def invite(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    _, chat, user = found
    if chat.type != chat.PRIVATE:
        await reply(
            update, context, messages.PRIVATE_ONLY + "\n" + messages.usage("invite", context.shell.runtime.office)
        )
        return
    written = argument(context)
    if not written:
        await reply(update, context, messages.usage("invite", context.shell.runtime.office))
        return
    shell = context.shell
    made = await shell.runner.call(binding.invite, shell.runtime, written, actor_of(user), shell.now())
    if isinstance(made, binding.NoSuchRespondent):
        await reply(
            update,
            context,
            messages.no_such_respondent(
                made.written, made.candidates, shell.runtime.office, suggestion=made.suggestion
            ),
        )
    else:
        await reply(update, context, messages.invite_made(made.invite, shell.runtime.tz))


async def open_round(update: Update, context: BotContext) -> None:
    if not await coordinator_only(update, context):
        return
    shell = context.shell
    opened = await open_round_now(shell, shell.now())
    due = fmt.day_time(opened.round.due_at, shell.runtime.tz)
    await reply(update, context, messages.round_opened_now(opened.round.id, due, opened.prompted))


async def remind(update: Update, context: BotContext) -> None:
    if not await coordinator_only(update, context):
        return
    reminded = await remind_now(context.shell, context.shell.now())
    if reminded is None:
        await reply(update, context, messages.NO_ROUND)
    else:
        await reply(update, context, messages.reminded(reminded.delivered, reminded.due))
