"""Coordinators' commands: /invite (in a private chat), /round, /remind."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.services import binding, supervision
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.telegram.jobs import run_tick
from supervisor_bot.telegram.sending import send
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
    now = shell.now()
    action = await shell.runner.call(supervision.open_now, shell.runtime, now)
    await shell.runner.call(supervision.open_round, shell.runtime, action)
    await run_tick(context.bot, shell, now)
    prompted = sum(1 for p in await shell.runner.call(shell.runtime.store.prompts) if p.message_id is not None)
    await reply(
        update,
        context,
        f"已开启{fmt.round_name(action.round.id)}报送，截止时间{fmt.day_time(action.round.due_at, shell.runtime.tz)}，"
        f"已向{prompted}个单位发送督办清单。",
    )


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
        delivered += await send(context.bot, shell, chat_id, view) is not None
    await reply(
        update, context, f"已向{delivered}个尚有未报送事项的单位发送催报。" if due else "各单位均已报送，无需催报。"
    )
