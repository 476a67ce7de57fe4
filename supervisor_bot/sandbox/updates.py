"""The bot's update queue and getUpdates long polling, with Telegram's offset semantics."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import GETUPDATES_CONFLICT, WEBHOOK_CONFLICT, ApiError
from .records import JsonDict

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}


class _LongPoll:
    """One waiting getUpdates call."""

    def __init__(self) -> None:
        self.wakeup = asyncio.Event()
        self.terminated = False


@dataclass(frozen=True)
class WebhookTarget:
    """setWebhook: where updates are posted instead of waiting for getUpdates."""

    url: str
    secret_token: str = ""


class UpdateQueue:
    """Pending updates. ``update_id`` never goes back, even across ``clear()``, so a bot keeps working."""

    def __init__(self) -> None:
        self._pending: list[JsonDict] = []
        self._history: dict[int, JsonDict] = {}  # every update queued, by id: for redelivery
        self._next_id = 1
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll: _LongPoll | None = None
        self._closed = False
        self.webhook: WebhookTarget | None = None
        self.on_change: Callable[[], None] | None = None  # the webhook's delivery, woken by a new update

    def _changed(self) -> None:
        if self._poll is not None:
            self._poll.wakeup.set()
        if self.on_change is not None:
            self.on_change()

    def set_webhook(self, target: WebhookTarget | None) -> None:
        self.webhook = target
        self._changed()

    @property
    def pending(self) -> list[JsonDict]:
        return list(self._pending)

    @property
    def allowed(self) -> frozenset[str]:
        return self._allowed

    def push(self, kind: str, payload: JsonDict) -> int | None:
        """Queue an update; like Telegram, types outside the last ``allowed_updates`` are discarded."""
        if kind not in self._allowed:
            return None
        update_id = self._next_id
        self._next_id += 1
        update = {"update_id": update_id, kind: payload}
        self._pending.append(update)
        self._history[update_id] = update
        self._changed()
        return update_id

    @property
    def last_id(self) -> int:
        """The id of the newest update queued (0 before the first)."""
        return self._next_id - 1

    def redeliver(self, update_id: int) -> None:
        """Queue an update again under its own id, as Telegram does when a bot died before confirming it."""
        update = self._history[update_id]
        if update not in self._pending:
            self._pending = sorted([*self._pending, update], key=lambda u: int(u["update_id"]))
        self._changed()

    def drop_pending(self) -> None:
        self._pending.clear()

    def clear(self) -> None:
        self._pending.clear()
        self._allowed = DEFAULT_UPDATE_TYPES
        self.webhook = None

    def set_allowed(self, allowed: Iterable[str] | None) -> None:
        """Apply ``allowed_updates``: None keeps the last setting, an empty list means the default."""
        if allowed is None:
            return
        chosen = frozenset(name for name in allowed if name in ALL_UPDATE_TYPES)
        self._allowed = chosen or DEFAULT_UPDATE_TYPES

    def confirm(self, offset: int) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last ``-offset`` updates."""
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def close(self) -> None:
        """Release a waiting long poll (server shutdown)."""
        self._closed = True
        if self._poll is not None:
            self._poll.wakeup.set()

    def reopen(self) -> None:
        self._closed = False

    async def get(
        self,
        offset: int,
        limit: int,
        timeout: float,  # noqa: ASYNC109 - the Bot API's parameter
    ) -> list[JsonDict]:
        """getUpdates: answer at once if anything is pending, else wait up to ``timeout`` seconds.

        A newer long poll ends an older one with 409 Conflict, as the real Bot API server does.
        """
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        self.confirm(offset)
        if self._pending or timeout <= 0 or self._closed:
            return self._pending[:limit]
        if self._poll is not None:
            self._poll.terminated = True
            self._poll.wakeup.set()
        poll = _LongPoll()
        self._poll = poll
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(poll.wakeup.wait(), timeout)
        finally:
            if self._poll is poll:
                self._poll = None
        if poll.terminated:
            raise ApiError(409, GETUPDATES_CONFLICT)
        return self._pending[:limit]
