"""The coordinating bureau: the 督办单's and 办结核实's buttons, reasons for 退回, /yuetan and /digest."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.app import plans
from supervisor_bot.app.delivery import deliver, send_text
from supervisor_bot.app.digests import send_digest
from supervisor_bot.core.reports import Refusal
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.services import closures, interviews, tickets
from supervisor_bot.services.outcomes import AskReason, Outgoing, TicketRefused
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.views import bureau as texts
from supervisor_bot.views import messages
from supervisor_bot.views.supervision import RETURN_REQUEST, interview_recorded
from supervisor_bot.views.tickets import decode


async def _tell(context: BotContext, outgoing: tuple[Outgoing, ...]) -> None:
    for message in outgoing:
        await deliver(context.shell, message.chat_id, message.view)


async def ticket_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    front = context.front
    if not query.data:  # python-telegram-bot hands a press without data to the first handler with a pattern
        await front.messenger.answer(query.id, messages.REFUSALS[Refusal.FORGED], alert=True)
        return
    pressed = decode(query.data)
    shell = await plans.for_ticket(context.shell, pressed.ticket_id if pressed is not None else None)
    message = query.message
    outcome = await shell.runner.call(
        tickets.ticket_press,
        shell.runtime,
        pressed,
        message.chat.id,
        message.message_id,
        actor_of(query.from_user),
        shell.now(),
    )
    if isinstance(outcome, TicketRefused):
        await front.messenger.answer(query.id, texts.TICKET_REFUSALS[outcome.reason], alert=True)
        return
    if isinstance(outcome, AskReason):
        await front.messenger.answer(query.id, texts.ASK_REASON)
        await deliver(shell, message.chat.id, outcome.request)
        return
    await front.messenger.edit(MessageRef(message.chat.id, message.message_id), outcome.view)
    await front.messenger.answer(query.id, outcome.toast)
    await _tell(context, outcome.notify)


async def return_reason(update: Update, context: BotContext) -> bool:
    """A reply to the bot's request for a 退回 reason; False if the reply was not one."""
    found = parts(update)
    if found is None:
        return False
    message, chat, user = found
    replied = message.reply_to_message
    matched = RETURN_REQUEST.match(replied.text or "") if replied is not None else None
    if matched is None:
        return False
    shell = await plans.for_ticket(context.shell, matched.group(1))
    outcome = await shell.runner.call(
        closures.return_with_reason,
        shell.runtime,
        matched.group(1),
        message.text or "",
        actor_of(user),
        chat.id,
        shell.now(),
    )
    if isinstance(outcome, TicketRefused):
        await reply(update, context, texts.TICKET_REFUSALS[outcome.reason])
        return True
    if outcome.ticket.message_id is not None:
        await context.front.messenger.edit(MessageRef(outcome.ticket.chat_id, outcome.ticket.message_id), outcome.view)
    await reply(update, context, texts.returned(outcome.ticket.respondent))
    await _tell(context, outcome.notify)
    return True


async def yuetan(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    _, chat, user = found
    text = argument(context)
    shell = await plans.for_interview(context.shell, text)  # the plan whose 约谈 it is
    if not text:
        await reply(update, context, texts.yuetan_usage(shell.runtime.office, shell.today()))
        return
    outcome = await shell.runner.call(
        interviews.record_interview, shell.runtime, text, actor_of(user), chat.id, shell.now()
    )
    if isinstance(outcome, interviews.InterviewRefused):
        await reply(update, context, texts.interview_refused(outcome, shell.runtime.office, shell.today()))
        return
    record = interview_recorded(outcome.interview)
    await reply(update, context, texts.recorded(record))
    for target in outcome.tell:
        await send_text(shell, target, record)


async def digest(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    shell = context.shell
    if not await send_digest(shell, shell.now(), chat=found[1].id):
        await reply(update, context, messages.NO_ROUND)
