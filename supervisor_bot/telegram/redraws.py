"""Redraws of a message, latest wins."""

from __future__ import annotations

import asyncio

from supervisor_bot.ports.messenger import MessageRef, Messenger
from supervisor_bot.views.view import View


class Redraws:
    """Redraws of a message, latest wins: an edit runs beside the handler (so the next press in the chat is not
    held up behind it), and of views that pile up while one edit is in flight only the newest is sent."""

    def __init__(self, messenger: Messenger) -> None:
        self._messenger = messenger
        self._latest: dict[MessageRef, View] = {}
        self._busy: set[MessageRef] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def request(self, message: MessageRef, view: View) -> None:
        self._latest[message] = view
        if message not in self._busy:
            self._busy.add(message)
            task = asyncio.create_task(self._drain(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, message: MessageRef) -> None:
        try:
            while message in self._latest:
                await self._messenger.edit(message, self._latest.pop(message))
        finally:
            self._busy.discard(message)

    async def settle(self) -> None:
        """Wait for the edits in flight (at shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
