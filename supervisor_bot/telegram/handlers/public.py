"""Commands for everyone: /start, /help, /status, /overdue, /measure, and unknown commands."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.services import queries
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import argument, reply
from supervisor_bot.views import answers, messages


async def start(update: Update, context: BotContext) -> None:
    shell = context.shell
    await reply(
        update, context, messages.start_text(shell.runtime.office, shell.today(), shell.runtime.ladder.digest_kind)
    )


async def help_command(update: Update, context: BotContext) -> None:
    shell = context.shell
    await reply(
        update, context, messages.help_text(shell.runtime.office, shell.today(), shell.runtime.ladder.digest_kind)
    )


async def status(update: Update, context: BotContext) -> None:
    shell, rt = context.shell, context.shell.runtime
    answer = await shell.runner.call(queries.status_of, rt, argument(context), shell.now())
    await reply(update, context, answers.status_answer(answer, rt.matrix, rt.office, rt.tz))


async def overdue(update: Update, context: BotContext) -> None:
    shell, rt = context.shell, context.shell.runtime
    now = shell.now()
    answer = await shell.runner.call(queries.overdue_of, rt, now)
    await reply(update, context, answers.overdue_answer(answer, rt.matrix, rt.tz, now))


async def measure(update: Update, context: BotContext) -> None:
    rt = context.shell.runtime
    answer = queries.measure_of(rt, argument(context))
    await reply(update, context, answers.measure_answer(answer, rt.matrix, rt.office, rt.tz))


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    await reply(update, context, messages.unknown_command(command, context.shell.runtime.office))


async def private_text(update: Update, context: BotContext) -> None:
    """In a private chat the bot sees every message: point to what it understands."""
    await reply(update, context, messages.PRIVATE_TEXT)
