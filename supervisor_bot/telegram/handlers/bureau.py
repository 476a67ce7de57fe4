"""The coordinating bureau: the 督办单's and 办结核实's buttons, reasons for 退回, /yuetan and /digest."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.core.reports import Refusal
from supervisor_bot.services import oversight
from supervisor_bot.telegram.context import BotContext, Shell
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.telegram.jobs import send_digest
from supervisor_bot.telegram.redraws import edit
from supervisor_bot.telegram.sending import send, send_text
from supervisor_bot.views import messages
from supervisor_bot.views import supervision as texts
from supervisor_bot.views.tickets import decode


async def _deliver(context: BotContext, shell: Shell, outgoing: tuple[oversight.Outgoing, ...]) -> None:
    for message in outgoing:
        await send(context.bot, shell, message.chat_id, message.view)


async def ticket_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    if not query.data:  # python-telegram-bot hands a press without data to the first handler with a pattern
        await query.answer(messages.REFUSALS[Refusal.FORGED], show_alert=True)
        return
    shell = context.shell
    message = query.message
    outcome = await shell.runner.call(
        oversight.ticket_press,
        shell.runtime,
        decode(query.data),
        message.chat.id,
        message.message_id,
        actor_of(query.from_user),
        shell.now(),
    )
    if isinstance(outcome, oversight.TicketRefused):
        await query.answer(outcome.text, show_alert=True)
        return
    if isinstance(outcome, oversight.AskReason):
        await query.answer("请回复机器人的提示消息说明退回理由")
        await send(context.bot, shell, message.chat.id, outcome.request)
        return
    await edit(context.bot, message.chat.id, message.message_id, outcome.view)
    await query.answer(outcome.toast or None)
    await _deliver(context, shell, outcome.notify)


async def return_reason(update: Update, context: BotContext) -> bool:
    """A reply to the bot's request for a 退回 reason; False if the reply was not one."""
    found = parts(update)
    if found is None:
        return False
    message, chat, user = found
    replied = message.reply_to_message
    matched = oversight.RETURN_REQUEST.match(replied.text or "") if replied is not None else None
    if matched is None:
        return False
    shell = context.shell
    outcome = await shell.runner.call(
        oversight.return_with_reason,
        shell.runtime,
        matched.group(1),
        message.text or "",
        actor_of(user),
        chat.id,
        shell.now(),
    )
    if isinstance(outcome, oversight.TicketRefused):
        await reply(update, context, outcome.text)
        return True
    if outcome.ticket.message_id is not None:
        await edit(context.bot, outcome.ticket.chat_id, outcome.ticket.message_id, outcome.view)
    await reply(update, context, f"已退回，{outcome.ticket.respondent}将收到退回理由。")
    await _deliver(context, shell, outcome.notify)
    return True


async def yuetan(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    _, chat, user = found
    shell = context.shell
    if not await coordinator_only(update, context):
        return
    text = argument(context)
    if not text:
        await reply(update, context, oversight.YUETAN_USAGE)
        return
    outcome = await shell.runner.call(
        oversight.record_interview, shell.runtime, text, actor_of(user), chat.id, shell.now()
    )
    if isinstance(outcome, str):
        await reply(update, context, outcome)
        return
    record = texts.interview_recorded(outcome)
    await reply(update, context, "已记录。\n" + record)
    rt = shell.runtime
    binding = await shell.runner.call(rt.binding_of, outcome.respondent)
    targets = [c for c in (rt.bureau_chat, rt.leaders_chat) if c and c != chat.id]
    if binding is not None and binding.active:
        targets.append(binding.chat_id)
    for target in targets:
        await send_text(context.bot, shell, target, record)


async def digest(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    chat = found[1]
    shell = context.shell
    if not await coordinator_only(update, context):
        return
    if not await send_digest(context.bot, shell, shell.now(), chat_id=chat.id):
        await reply(update, context, messages.NO_ROUND)
