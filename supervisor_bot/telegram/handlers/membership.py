"""The bot added to or removed from a group, and groups that become supergroups."""

from __future__ import annotations

from telegram import ChatMember, Update

from supervisor_bot.app.delivery import chat_gone, deliver
from supervisor_bot.services import binding
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import log
from supervisor_bot.views import messages
from supervisor_bot.views.view import View


async def my_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    chat = change.chat
    if status in (ChatMember.LEFT, ChatMember.BANNED):
        await chat_gone(context.shell, chat.id, chat.title or "")
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR) and change.old_chat_member.status in (
        ChatMember.LEFT,
        ChatMember.BANNED,
    ):
        log.info("added to chat %s (%s)", chat.id, chat.title)
        if chat.type != chat.PRIVATE:
            rt = context.shell.runtime
            greeting = {
                rt.bureau_chat: messages.GREETING_BUREAU,
                rt.leaders_chat: messages.greeting_leaders(rt.ladder.digest_kind),
            }
            await deliver(context.shell, chat.id, View(greeting.get(chat.id, messages.GREETING)))


async def migrated(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    shell = context.shell
    moved = await shell.runner.call(
        binding.chat_migrated, shell.runtime, message.chat_id, message.migrate_to_chat_id, shell.now()
    )
    if moved is not None:
        log.info("%s's chat became supergroup %s", moved.respondent, moved.chat_id)
