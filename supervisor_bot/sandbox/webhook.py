"""Webhook delivery: while a webhook is set, each pending update is posted to it in order, as Telegram does; an
answer other than 2xx (or none) leaves it pending and it is tried again shortly."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp

from .records import JsonDict
from .updates import UpdateQueue, WebhookTarget

RETRY_SECONDS = 0.2


class WebhookDelivery:
    def __init__(self, updates: UpdateQueue) -> None:
        self.updates = updates
        self.delivered = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._wake = asyncio.Event()  # of the running loop: a restarted sandbox may run in another
        self.updates.on_change = self._wake.set
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        self.updates.on_change = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                target, pending = self.updates.webhook, self.updates.pending
                if target is None or not pending:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                update = pending[0]
                if await self._post(session, target, update):
                    self.updates.confirm(int(update["update_id"]) + 1)
                    self.delivered += 1
                else:
                    await asyncio.sleep(RETRY_SECONDS)

    @staticmethod
    async def _post(session: aiohttp.ClientSession, target: WebhookTarget, update: JsonDict) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": target.secret_token} if target.secret_token else {}
        try:
            async with session.post(target.url, json=update, headers=headers) as answer:
                return 200 <= answer.status < 300
        except (aiohttp.ClientError, TimeoutError):
            return False
