"""Redraws of a message, latest wins, at most one a `spacing`."""

from __future__ import annotations

import asyncio
import contextlib

from supervisor_bot.ports.messenger import MessageRef, Messenger
from supervisor_bot.views.view import View

SPACING = 1.0  # seconds between two edits of one message: Telegram asks for no more than a message a second in a chat


class Redraws:
    """Redraws of a message, latest wins: an edit runs beside the handler (so the next press in the chat is not
    held up behind it); the first edit goes at once, and of the views that come within `spacing` of an edit only
    the newest is sent, when the spacing is up. A liaison pressing through a checklist sees each press answered at
    once and the checklist redrawn at most once a second, and a busy group does not run into Telegram's flood
    limits with edits of one message."""

    def __init__(self, messenger: Messenger, spacing: float = SPACING) -> None:
        self._messenger = messenger
        self._spacing = spacing
        self._latest: dict[MessageRef, View] = {}
        self._busy: set[MessageRef] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = asyncio.Event()

    def request(self, message: MessageRef, view: View) -> None:
        self._latest[message] = view
        if message not in self._busy:
            self._busy.add(message)
            task = asyncio.create_task(self._drain(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, message: MessageRef) -> None:
        """Edit with the newest view, then stay `spacing` for the next: the task ends a spacing after its last edit."""
        try:
            while (view := self._latest.pop(message, None)) is not None:
                await self._messenger.edit(message, view)
                if not self._closing.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._closing.wait(), self._spacing)
        finally:
            self._busy.discard(message)

    async def settle(self) -> None:
        """Send the newest views at once and wait for the edits in flight (at shutdown)."""
        self._closing.set()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
