"""The Messenger port on Telegram: views to messages, retries, and what Telegram's answers mean (a chat that
is gone, one that became a supergroup, a Telegram that could not be reached)."""

from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path

from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from supervisor_bot.app.files import write_whole
from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.ports.messenger import Attachment, Delivery, MessageRef, NotSent, Sent
from supervisor_bot.telegram.keyboards import inline, markup
from supervisor_bot.telegram.retry import retriable, with_retries
from supervisor_bot.views.view import View

log = logging.getLogger("supervisor_bot")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _sent(message: Message) -> Sent:
    return Sent(MessageRef(message.chat_id, message.message_id))


def _failure(error: TelegramError, what: str, chat: ChatId) -> NotSent:
    if isinstance(error, Forbidden):
        log.warning("chat %s refuses messages: %s", chat, error.message)
        return NotSent.GONE
    log.warning("%s to chat %s failed: %s", what, chat, error)
    return NotSent.FAILED if retriable(error) else NotSent.REFUSED


class TelegramMessenger:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery:
        """A chat that became a supergroup is followed once: the result names the new chat."""
        reply = ReplyParameters(int(reply_to), allow_sending_without_reply=True) if reply_to else None
        preview = None if view.link_preview else NO_PREVIEW
        for _ in range(2):
            call = functools.partial(
                self.bot.send_message,
                chat,
                view.text,
                reply_markup=markup(view),
                reply_parameters=reply,
                link_preview_options=preview,
            )
            try:
                return _sent(await with_retries(call, "sendMessage", chat))
            except ChatMigrated as moved:
                chat = moved.new_chat_id
            except TelegramError as error:
                return _failure(error, "sendMessage", chat)
        return NotSent.REFUSED

    async def send_file(self, chat: ChatId, attachment: Attachment) -> Delivery:
        """The caption stays under Telegram's 1024 characters."""
        data = await asyncio.to_thread(attachment.path.read_bytes)
        caption, name = attachment.caption[:1024], attachment.filename
        if attachment.photo:
            call = functools.partial(self.bot.send_photo, chat, photo=data, caption=caption, filename=name)
        else:
            call = functools.partial(self.bot.send_document, chat, document=data, filename=name, caption=caption)
        what = "sendPhoto" if attachment.photo else "sendDocument"
        try:
            return _sent(await with_retries(call, what, chat))
        except TelegramError as error:
            return _failure(error, what, chat)

    async def edit(self, message: MessageRef, view: View) -> bool:
        """An edit is safe to repeat, so it is tried again when Telegram is not reached."""
        call = functools.partial(
            self.bot.edit_message_text,
            view.text,
            chat_id=message.chat,
            message_id=int(message.id),
            reply_markup=inline(view),
        )
        try:
            await with_retries(call, "editMessageText", message.chat, creates=False)
        except BadRequest as error:
            if "not modified" in error.message:
                return True
            log.warning("editing message %s in chat %s failed: %s", message.id, message.chat, error.message)
            return False
        except TelegramError as error:
            log.warning("editing message %s in chat %s failed: %s", message.id, message.chat, error)
            return False
        return True

    async def download(self, file_ref: str, dest: Path) -> int | None:
        """A file someone sent the bot (`file_ref`: its file_id), written to `dest` whole or not at all; its size
        in bytes, or None when Telegram would not give it (over 20 MB, gone) or it could not be written."""
        try:
            file = await self.bot.get_file(file_ref)
            data = await file.download_as_bytearray()
        except TelegramError as error:
            log.warning("downloading file %s failed: %s", file_ref, error)
            return None
        try:
            await asyncio.to_thread(write_whole, dest, bytes(data))
        except OSError as error:
            log.warning("writing %s failed: %s", dest, error)
            return None
        return len(data)

    async def answer(self, press: str, text: str = "", alert: bool = False) -> None:
        try:
            await self.bot.answer_callback_query(press, text=text or None, show_alert=alert)
        except TelegramError as error:  # a press answered too late (Telegram allows some seconds): nothing to do
            log.warning("answering button press %s failed: %s", press, error)
