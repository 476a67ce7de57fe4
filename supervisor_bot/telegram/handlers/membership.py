"""The bot added to or removed from a group, and groups that become supergroups."""

from __future__ import annotations

from telegram import ChatMember, Update

from supervisor_bot.services import binding
from supervisor_bot.telegram.context import BotContext, log
from supervisor_bot.telegram.sending import chat_gone


async def my_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    chat = change.chat
    if status in (ChatMember.LEFT, ChatMember.BANNED):
        await chat_gone(context.bot, context.shell, chat.id, chat.title or "")
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR) and change.old_chat_member.status in (
        ChatMember.LEFT,
        ChatMember.BANNED,
    ):
        log.info("added to chat %s (%s)", chat.id, chat.title)
        if chat.type != chat.PRIVATE:
            await context.bot.send_message(
                chat.id, "您好，我是督办机器人。请本单位联络员发送 /bind 绑定码（由协调员通过 /invite 生成）完成绑定。"
            )


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
