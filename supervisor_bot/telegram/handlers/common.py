"""What every handler needs: who is speaking, where, and a reply."""

from __future__ import annotations

import logging

from telegram import Chat, Message, Update, User

from supervisor_bot.app.delivery import send_text
from supervisor_bot.core.people import Actor, display_name
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.views import messages

log = logging.getLogger("supervisor_bot")


def name_of(user: User) -> str:
    """The person's name as the bot keeps and shows it (no bidi override or other invisible character)."""
    return display_name(user.full_name)


def actor_of(user: User) -> Actor:
    return Actor(user.id, name_of(user))


def is_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def parts(update: Update) -> tuple[Message, Chat, User] | None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return None
    return message, chat, user


def argument(context: BotContext) -> str:
    return " ".join(context.args or []).strip()


async def reply(update: Update, context: BotContext, text: str) -> None:
    message = update.effective_message
    if message is not None:
        await send_text(context.shell, message.chat_id, text, reply_to=message.message_id)


async def coordinator_only(update: Update, context: BotContext) -> bool:
    """True for a coordinator; anyone else is told the command is not theirs."""
    user = update.effective_user
    if user is None or not context.shell.runtime.is_coordinator(user.id):
        await reply(update, context, messages.COORDINATORS_ONLY)
        return False
    return True
