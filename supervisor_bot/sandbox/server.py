"""The Sandbox: a local Telegram Bot API server plus the in-process API a test uses to act as people."""

from __future__ import annotations

import asyncio
import signal
from types import TracebackType
from typing import Self

from aiohttp import web

from .acting import PeopleActions
from .botapi import TOKEN_RE, BotApi
from .control import ControlApi
from .faults import Fault, FaultEvent, FaultKind
from .limits import Clock, RateLimits
from .observing import BotObservations
from .records import JsonDict
from .webhook import WebhookDelivery
from .world import BotIdentity, Notifier, World

DEFAULT_TOKEN = "7000000001:AAsandbox-supervisor-bot-token"
DEFAULT_PORT = 8081
_LOOPBACK = "127.0.0.1"


class Sandbox(PeopleActions, BotObservations):
    """A fake Telegram: python-telegram-bot talks to it through ``base_url``; tests act as people."""

    def __init__(
        self,
        host: str = _LOOPBACK,
        port: int = 0,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "supervisor_sandbox_bot",
        bot_first_name: str = "督办机器人",
        privacy_mode: bool = True,
        limits: RateLimits | None = None,
        clock: Clock | None = None,
        callback_ttl: float = 15.0,
        seed: int | None = 0,
    ) -> None:
        if host not in (_LOOPBACK, "localhost"):
            raise ValueError("the sandbox only listens on 127.0.0.1")
        if not TOKEN_RE.fullmatch(token):
            raise ValueError("token must look like 123456:ABC… (digits, colon, 20+ of [A-Za-z0-9_-])")
        self.host = _LOOPBACK
        self.port = port
        self.world = World(
            BotIdentity(token, bot_first_name, bot_username),
            privacy_mode=privacy_mode,
            limits=limits,
            clock=clock,
            callback_ttl=callback_ttl,
            seed=seed,
        )
        self._closing = asyncio.Event()
        self.webhook = WebhookDelivery(self.world.updates)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # --- lifecycle -------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(BotApi(self.world, self._closing).routes())
        app.add_routes(ControlApi(self).routes())
        return app

    async def start(self) -> str:
        """Start listening; returns the base url, e.g. ``http://127.0.0.1:8081``."""
        if self._runner is not None:
            raise RuntimeError("sandbox already started")
        self._closing = asyncio.Event()  # fresh events: a restart may run in another event loop
        self.world.changed = Notifier()
        self.world.updates.reopen()
        runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.webhook.start()
        port = runner.addresses[0][1]
        self._url = f"http://{self.host}:{port}"
        return self._url

    async def stop(self) -> None:
        """Stop listening; waiting long polls and injected delays end at once."""
        self._closing.set()
        self.world.updates.close()
        await self.webhook.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("sandbox not started")
        return self._url

    @property
    def bot_api_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_url``."""
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        return self.world.bot.token

    @property
    def bot_user(self) -> JsonDict:
        return self.world.bot.user()

    def reset(self) -> None:
        """Forget users, chats, messages, logs, faults and limits; the bot and update ids stay."""
        self.world.reset()

    # --- faults and limits -----------------------------------------------

    def inject_fault(
        self,
        kind: FaultKind | str,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        count: int | None = 1,
        probability: float | None = None,
        delay: float = 0.0,
        retry_after: int = 5,
        status: int = 502,
    ) -> int:
        """Arm a fault for the next ``count`` matching calls (None: no limit), each hit with ``probability``.

        Kinds: "delay", "429", "5xx", "drop", "drop_after" (see FaultKind). Returns the fault id.
        """
        fault = Fault(
            kind=FaultKind(kind),
            method=method,
            chat_id=chat_id,
            count=count,
            probability=probability,
            delay=delay,
            retry_after=retry_after,
            status=status,
        )
        return self.world.faults.add(fault)

    def clear_faults(self) -> None:
        self.world.faults.clear()

    @property
    def fault_log(self) -> list[FaultEvent]:
        return list(self.world.faults.log)

    def set_limits(self, limits: RateLimits) -> None:
        self.world.limiter.limits = limits
        self.world.limiter.reset()


def run_forever(host: str = _LOOPBACK, port: int = DEFAULT_PORT) -> None:
    """Serve a sandbox until Ctrl-C or SIGTERM (blocking)."""
    asyncio.run(_serve(host, port))


async def _serve(host: str, port: int) -> None:
    sandbox = Sandbox(host, port)
    url = await sandbox.start()
    print(f"Telegram Bot API sandbox: {url}  (base_url={url}/bot  token={sandbox.token})", flush=True)
    print("督办机器人沙箱已启动，按 Ctrl-C 停止 / Sandbox running, press Ctrl-C to stop", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        await sandbox.stop()
        print("沙箱已停止 / Sandbox stopped", flush=True)
