"""Redraws of a message, latest wins."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from supervisor_bot.telegram.keyboards import inline
from supervisor_bot.telegram.retry import with_retries
from supervisor_bot.views.view import View

log = logging.getLogger("supervisor_bot")


async def edit(bot: Bot, chat_id: int, message_id: int, view: View) -> bool:
    """Edit a message in place (an edit is safe to repeat, so it is tried again when Telegram is not reached)."""
    try:
        await with_retries(
            lambda: bot.edit_message_text(view.text, chat_id=chat_id, message_id=message_id, reply_markup=inline(view)),
            "editMessageText",
            chat_id,
            creates=False,
        )
    except BadRequest as error:
        if "not modified" in error.message:
            return True
        log.warning("editing message %s in chat %s failed: %s", message_id, chat_id, error.message)
        return False
    except TelegramError as error:
        log.warning("editing message %s in chat %s failed: %s", message_id, chat_id, error)
        return False
    return True


class Redraws:
    """Redraws of a message, latest wins: an edit runs beside the handler (so the next press in the chat is not
    held up behind it), and of views that pile up while one edit is in flight only the newest is sent."""

    def __init__(self) -> None:
        self._latest: dict[tuple[int, int], View] = {}
        self._busy: set[tuple[int, int]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def request(self, bot: Bot, chat_id: int, message_id: int, view: View) -> None:
        key = (chat_id, message_id)
        self._latest[key] = view
        if key not in self._busy:
            self._busy.add(key)
            task = asyncio.create_task(self._drain(bot, key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, bot: Bot, key: tuple[int, int]) -> None:
        try:
            while key in self._latest:
                await edit(bot, key[0], key[1], self._latest.pop(key))
        finally:
            self._busy.discard(key)

    async def settle(self) -> None:
        """Wait for the edits in flight (at shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
