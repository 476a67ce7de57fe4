"""Redraws of a message, latest wins, at most one a `spacing`; a view is drawn only when its edit goes out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from supervisor_bot.ports.messenger import MessageRef, Messenger
from supervisor_bot.views.view import View

SPACING = 1.0  # seconds between two edits of one message: Telegram asks for no more than a message a second in a chat

Drawing = Callable[[], Awaitable[View | None]]
"""The message's view as it stands when the edit goes out (None: nothing to show any more)."""

log = logging.getLogger("supervisor_bot")


def ready(view: View) -> Drawing:
    """A view worked out already (one that shows a moment, such as a status awaiting its note)."""

    async def draw() -> View:
        return view

    return draw


class Redraws:
    """Redraws of a message, latest wins: an edit runs beside the handler (so the next press in the chat is not
    held up behind it, and its answer is not held up behind drawing the view); the first edit goes at once, and
    of the drawings that come within `spacing` of an edit only the newest is drawn and sent, when the spacing is
    up. A liaison pressing through a checklist sees each press answered at once and the checklist redrawn at most
    once a second, and a busy group does not run into Telegram's flood limits with edits of one message."""

    def __init__(self, messenger: Messenger, spacing: float = SPACING) -> None:
        self._messenger = messenger
        self._spacing = spacing
        self._latest: dict[MessageRef, Drawing] = {}
        self._busy: set[MessageRef] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = asyncio.Event()

    def request(self, message: MessageRef, drawing: Drawing) -> None:
        self._latest[message] = drawing
        if message not in self._busy:
            self._busy.add(message)
            task = asyncio.create_task(self._drain(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, message: MessageRef) -> None:
        """Edit with the newest drawing, then stay `spacing` for the next: the task ends a spacing after its last
        edit."""
        try:
            while (drawing := self._latest.pop(message, None)) is not None:
                await self._edit(message, drawing)
                if not self._closing.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._closing.wait(), self._spacing)
        finally:
            self._busy.discard(message)

    async def _edit(self, message: MessageRef, drawing: Drawing) -> None:
        try:
            view = await drawing()
        except Exception:  # a redraw is never worth a press: the checklist shows its last view
            log.exception("drawing message %s in chat %s failed", message.id, message.chat)
            return
        if view is not None:
            await self._messenger.edit(message, view)

    async def settle(self) -> None:
        """Send the newest views at once and wait for the edits in flight (at shutdown)."""
        self._closing.set()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
