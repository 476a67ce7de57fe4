"""Updates from one chat are handled in order; different chats are handled side by side; an update handled
before a crash, and sent again by Telegram because its receipt was never confirmed, is not handled twice.

A liaison's button press and the note they type next must be applied in that order, but one department
waiting out Telegram's 20-messages-a-minute limit in its group must not hold up the other 46.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from supervisor_bot.app.runner import HANDLING

log = logging.getLogger("supervisor_bot")


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self, handled_before: Callable[[int], bool] = lambda _: False, max_concurrent_updates: int = 256
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._handled_before = handled_before
        self._locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        if self._handled_before(update.update_id):
            log.info("update %s was handled before the restart: not applied again", update.update_id)
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            return
        HANDLING.set(update.update_id)  # this task's storage calls record the update as handled
        chat = update.effective_chat
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
