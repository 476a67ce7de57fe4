"""Sending and editing, with what Telegram's answers mean for us: a chat that is gone, or that moved, or a
Telegram that could not be reached (tried again; see `retry`)."""

from __future__ import annotations

import asyncio
import enum
import functools
from pathlib import Path

from telegram import Bot, Message, ReplyParameters
from telegram.error import ChatMigrated, Forbidden, TelegramError

from supervisor_bot.core.people import SYSTEM
from supervisor_bot.services import binding as binding_service
from supervisor_bot.telegram.context import Shell, log
from supervisor_bot.telegram.keyboards import markup
from supervisor_bot.telegram.retry import retriable, with_retries
from supervisor_bot.views import notices
from supervisor_bot.views.view import View, split_text


class NotSent(enum.Enum):
    REFUSED = "refused"  # the chat refuses the bot, or the request is wrong: sending again will not help
    FAILED = "failed"  # Telegram could not be reached, however often tried: the next tick tries again


async def deliver(bot: Bot, shell: Shell, chat_id: int, view: View, reply_to: int | None = None) -> Message | NotSent:
    """Send a view; a removed chat is marked and coordinators told, a migrated one is followed once."""
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    for _ in range(2):
        try:
            return await with_retries(
                functools.partial(
                    bot.send_message, chat_id, view.text, reply_markup=markup(view), reply_parameters=reply
                ),
                "sendMessage",
                chat_id,
            )
        except ChatMigrated as moved:
            await shell.runner.call(
                binding_service.chat_migrated, shell.runtime, chat_id, moved.new_chat_id, shell.now()
            )
            log.info("chat %s became supergroup %s", chat_id, moved.new_chat_id)
            chat_id = moved.new_chat_id
        except Forbidden as error:
            log.warning("chat %s refuses messages: %s", chat_id, error.message)
            await chat_gone(bot, shell, chat_id)
            return NotSent.REFUSED
        except TelegramError as error:
            log.warning("sending to chat %s failed: %s", chat_id, error)
            return NotSent.FAILED if retriable(error) else NotSent.REFUSED
    return NotSent.REFUSED


async def send(bot: Bot, shell: Shell, chat_id: int, view: View, reply_to: int | None = None) -> Message | None:
    """`deliver`, for callers that only need to know whether the message went out."""
    sent = await deliver(bot, shell, chat_id, view, reply_to)
    return None if isinstance(sent, NotSent) else sent


async def send_text(bot: Bot, shell: Shell, chat_id: int, text: str, reply_to: int | None = None) -> None:
    """Long text goes out in pieces of at most 4096 characters, split at line ends."""
    for i, chunk in enumerate(split_text(text)):
        await send(bot, shell, chat_id, View(chunk), reply_to if i == 0 else None)


async def chat_gone(bot: Bot, shell: Shell, chat_id: int, title: str = "") -> None:
    """The bot can no longer write to a department's chat: stop sending there and tell the coordinators."""
    removed = await shell.runner.call(binding_service.chat_removed, shell.runtime, chat_id, SYSTEM, shell.now())
    if removed is not None:
        log.warning("removed from the chat of %s (%s)", removed.respondent, chat_id)
        await notify_coordinators(
            bot, shell, notices.chat_removed(removed.respondent, title or removed.title or str(chat_id))
        )


async def notify_coordinators(bot: Bot, shell: Shell, text: str) -> None:
    """To the coordinating bureau's chat if there is one, else to each coordinator privately."""
    rt = shell.runtime
    targets = [rt.bureau_chat] if rt.bureau_chat else sorted(rt.coordinators)
    for target in targets:
        for chunk in split_text(text):
            try:
                await with_retries(functools.partial(bot.send_message, target, chunk), "sendMessage", target)
            except TelegramError as error:
                log.warning("could not tell coordinators in %s: %s", target, error)


async def send_file(
    bot: Bot, chat_id: int, path: Path, filename: str, caption: str, photo: bool = False
) -> Message | NotSent:
    """An attachment (the ledger, the chart); the caption stays under Telegram's 1024 characters."""
    data = await asyncio.to_thread(path.read_bytes)
    try:
        if photo:
            return await with_retries(
                lambda: bot.send_photo(chat_id, photo=data, caption=caption[:1024], filename=filename),
                "sendPhoto",
                chat_id,
            )
        return await with_retries(
            lambda: bot.send_document(chat_id, document=data, filename=filename, caption=caption[:1024]),
            "sendDocument",
            chat_id,
        )
    except TelegramError as error:
        log.warning("sending %s to chat %s failed: %s", filename, chat_id, error)
        return NotSent.FAILED if retriable(error) else NotSent.REFUSED
