"""What a test sees of the bot: its outgoing log, the messages as they stand, its answers, its updates."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from .records import CallbackAnswer, JsonDict, OutgoingRecord, copied
from .world import World, commands_key


class BotObservations:
    """The Sandbox's part that watches what the bot did; ``world`` is the Sandbox's."""

    world: World

    def outgoing(self, chat_id: int | None = None, *, after: int = 0) -> list[OutgoingRecord]:
        """Every recorded bot action (sends, edits, deletes, callback answers), oldest first; ``after`` skips
        the first records (a ``mark()``), so that a watcher reads each record once."""
        return [r for r in self.world.log[after:] if chat_id is None or r.chat_id == chat_id]

    def sent(self, chat_id: int | None = None, *, after: int = 0) -> list[OutgoingRecord]:
        """Only the records that created messages (sendMessage, sendDocument, sendPhoto)."""
        return [r for r in self.outgoing(chat_id, after=after) if r.is_send]

    def mark(self) -> int:
        """The current length of the outgoing log; pass it as ``after=`` to wait only for newer records."""
        return len(self.world.log)

    def messages_in(self, chat_id: int) -> list[JsonDict]:
        """Current state (after edits and deletions) of every message in the chat, by message_id."""
        return self.world.messages_in(chat_id)

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        """Current state of one message, or None if it does not exist (any more)."""
        found = self.world.message(chat_id, message_id)
        return None if found is None else copied(found)

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        return self.world.answers.get(query_id)

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """Commands the bot registered with setMyCommands for that scope and language."""
        return copied(self.world.commands.get(commands_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates the bot has not confirmed yet."""
        return self.world.updates.pending

    @property
    def last_update_id(self) -> int:
        """The id of the newest update queued for the bot."""
        return self.world.updates.last_id

    def redeliver(self, update_id: int) -> None:
        """Send an update again, as Telegram does after a bot died before confirming it."""
        self.world.updates.redeliver(update_id)

    async def wait_for(
        self,
        predicate: Callable[[OutgoingRecord], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented API
        *,
        after: int = 0,
    ) -> OutgoingRecord:
        """The first outgoing record (from index ``after``) satisfying ``predicate``, waiting up to ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = after
        while True:
            found = self.world.find_records(predicate, index)
            if found is not None:
                return found
            index = max(after, len(self.world.log))
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{r.method}({r.chat_id}): {r.text or r.caption!r}" for r in self.world.log[-5:]]
                raise TimeoutError(f"no matching outgoing record within {timeout}s; last records: {recent}")
            with contextlib.suppress(TimeoutError):
                await self.world.changed.wait(remaining)

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented API
    ) -> CallbackAnswer:
        """The bot's answer to a pressed button, waiting up to ``timeout`` seconds for it (looked up by its id: the
        wait costs the same however long the log has grown, as a press's measured round trip must)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while query_id not in self.world.answers:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"button press {query_id} not answered within {timeout}s")
            with contextlib.suppress(TimeoutError):
                await self.world.changed.wait(remaining)
        return self.world.answers[query_id]
