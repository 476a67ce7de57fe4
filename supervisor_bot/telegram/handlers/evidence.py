"""佐证材料: a document or a photo replying to the bot's prompt; the file is downloaded here, the rest decided
by services.evidence."""

from __future__ import annotations

from telegram import Message, Update

from supervisor_bot.app import plans
from supervisor_bot.app.evidence import show_to_bureau
from supervisor_bot.core.evidence import EvidenceRefusal, photo_name
from supervisor_bot.core.people import display_name
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.services import evidence, reporting
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, name_of, parts, reply
from supervisor_bot.views import evidence as texts
from supervisor_bot.views import messages


def _file_of(message: Message) -> tuple[str, str | None, int | None] | None:
    """(file_id, name, size) of the document, or of the photo's largest size (a photo has no name: one is made)."""
    if message.document is not None:
        document = message.document
        name = display_name(document.file_name) if document.file_name is not None else None
        return document.file_id, name, document.file_size
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, photo_name(largest.file_unique_id), largest.file_size
    return None


async def file_reply(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    message, chat, user = found
    replied = message.reply_to_message
    file = _file_of(message)
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id or file is None:
        return
    shell, front = await plans.for_note(context.shell, chat.id, replied.message_id, replied.text or ""), context.front
    file_id, name, size = file
    sent = evidence.Sent(
        chat.id,
        replied.message_id,
        name,
        size,
        message.caption or "",
        actor_of(user),
        replied.text or "",
        front.sent_at(replied.date),
    )
    outcome = await shell.runner.call(evidence.accept, shell.runtime, sent, shell.now())
    if isinstance(outcome, evidence.NotForUs):
        if outcome.in_department_chat:
            await reply(update, context, texts.NOT_FOR_EVIDENCE)
        return
    if isinstance(outcome, reporting.Refused):
        await reply(update, context, messages.REFUSALS[outcome.reason])
        return
    if isinstance(outcome, evidence.Declined):
        await reply(update, context, texts.DECLINED[outcome.reason])
        return
    dest = shell.data_dir / outcome.path
    got = await front.messenger.download(file_id, dest)
    kept = (
        await shell.runner.call(evidence.keep, shell.runtime, outcome, got, shell.now())
        if got is not None
        else evidence.Declined(EvidenceRefusal.NOT_RECEIVED)
    )
    if isinstance(kept, evidence.Declined):
        dest.unlink(missing_ok=True)
        await reply(update, context, texts.DECLINED[kept.reason])
        return
    await reply(update, context, texts.kept(kept.evidence, kept.count, name_of(user), kept.label))
    ticket = kept.ticket
    if ticket is not None and ticket.ticket is not None and ticket.ticket.message_id is not None:
        await front.messenger.edit(MessageRef(ticket.chat_id, ticket.ticket.message_id), ticket.view)
        await show_to_bureau(shell, ticket.ticket, (kept.evidence,))
