"""Webhook mode: Telegram posts each update to the bot's own small aiohttp server (`[telegram] webhook_url`,
served on `webhook_listen` behind the office's reverse proxy) instead of the bot polling for it. Each post must
carry the secret token the bot registered with setWebhook; anything else is refused and changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Update

from supervisor_bot.telegram.context import BotApp

if TYPE_CHECKING:
    from aiohttp import web

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
log = logging.getLogger("supervisor_bot")


@dataclass(frozen=True)
class Webhook:
    url: str  # the public address Telegram posts to
    listen: str  # host:port this server listens on
    path: str  # the path of `url` the server answers on

    def secret(self, token: str) -> str:
        """The secret token registered with setWebhook, derived from the bot's token: nothing more to configure."""
        return hashlib.sha256(f"supervisor-bot webhook {token}".encode()).hexdigest()[:48]


class ListenFailed(Exception):
    """The webhook server could not take its address (a port in use, a host not this machine's)."""

    def __init__(self, listen: str, why: str) -> None:
        super().__init__(f"{listen}: {why}")
        self.listen = listen
        self.why = why


def _host_port(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "0.0.0.0", int(port)


@asynccontextmanager
async def webhook_server(app: BotApp, webhook: Webhook, allowed: Sequence[str]) -> AsyncIterator[None]:
    """The server up and the webhook registered, for as long as the block runs (aiohttp's server loads here: a
    polling bot never needs it)."""
    from aiohttp import web

    secret = webhook.secret(app.bot.token)

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return web.Response(status=403)
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400)
        await app.update_queue.put(Update.de_json(data, app.bot))
        return web.Response()

    server = web.Application(client_max_size=4 * 1024 * 1024)
    server.router.add_post(webhook.path, receive)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    try:
        host, port = _host_port(webhook.listen)
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            raise ListenFailed(webhook.listen, os.strerror(error.errno) if error.errno else str(error)) from None
        await app.bot.set_webhook(webhook.url, allowed_updates=list(allowed), secret_token=secret)
        log.info("webhook mode: Telegram posts updates to %s (listening on %s)", webhook.url, webhook.listen)
        yield
    finally:
        await runner.cleanup()
