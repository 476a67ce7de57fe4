"""Commands for everyone: /start, /help, /status, /overdue, /measure, and unknown commands."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.services import plan_queries
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import argument, reply
from supervisor_bot.views import answers, messages, plan_answers


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
    """/status: every plan summarised; `/status 营商环境` one plan; `/status 市财政局` a unit across plans."""
    shell = context.shell
    found = await shell.runner.quick(plan_queries.status_all, shell.runtimes, argument(context), shell.now())
    texts = [(rt.plan, rt.office.plan_title, answers.status_answer(a, rt.matrix, rt.office, rt.tz)) for rt, a in found]
    await reply(update, context, plan_answers.by_plan(texts))


async def overdue(update: Update, context: BotContext) -> None:
    """/overdue, grouped by plan."""
    shell = context.shell
    now = shell.now()
    found = await shell.runner.quick(plan_queries.overdue_all, shell.runtimes, now)
    texts = [(rt.plan, rt.office.plan_title, answers.overdue_answer(a, rt.matrix, rt.tz, now)) for rt, a in found]
    await reply(update, context, plan_answers.by_plan(texts))


async def measure(update: Update, context: BotContext) -> None:
    """`/measure 营商环境 3`, or `/measure 3` when one plan only has a measure 3."""
    shell = context.shell
    found = await shell.runner.quick(plan_queries.measure_all, shell.runtimes, argument(context))
    if isinstance(found, plan_queries.AmbiguousMeasure):
        await reply(update, context, plan_answers.ambiguous_measure(found.written, found.plans))
        return
    rt, answer = found
    text = answers.measure_answer(answer, rt.matrix, rt.office, rt.tz)
    await reply(update, context, plan_answers.by_plan([(rt.plan, rt.office.plan_title, text)]))


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    await reply(update, context, messages.unknown_command(command, context.shell.runtime.office))


async def private_text(update: Update, context: BotContext) -> None:
    """In a private chat the bot sees every message: point to what it understands."""
    await reply(update, context, messages.PRIVATE_TEXT)
