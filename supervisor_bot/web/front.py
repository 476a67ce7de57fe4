"""The dashboard's front: an aiohttp server on the bot's own event loop, beside the Telegram front.

It takes the application shell — the runtime, the service runner (every read and write runs on the storage worker
thread, never on the event loop), the bot's clock, and the messenger that tells a department's chat what a
decision made here means — and nothing of Telegram's. `start()` and `stop()` fit the application's lifecycle.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from jinja2 import Environment

from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.people import UserId
from supervisor_bot.ports.relay import ActionRelay
from supervisor_bot.services.dashboard import DashboardCache
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.web.auth import Person, Signer, load_secret


@dataclass(frozen=True)
class WebSettings:
    listen: str  # host:port; empty: no web front
    public_url: str = ""  # the address people open; empty: http://listen
    leaders: frozenset[UserId] = frozenset()


def split_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


@dataclass
class WebFront:
    shell: Shell
    settings: WebSettings
    wall: Callable[[], float] = time.time
    relay: ActionRelay | None = None  # a dashboard process without a bot: decisions go to the active one
    signer: Signer = field(init=False)
    cache: DashboardCache = field(init=False)
    templates: Environment = field(init=False)
    charts: dict[object, bytes] = field(init=False, default_factory=dict)
    caches: dict[str, DashboardCache] = field(init=False)
    environments: dict[str, Environment] = field(init=False)
    _site: web.AppRunner | None = field(init=False, default=None)
    _url: str = field(init=False, default="")

    def __post_init__(self) -> None:
        from supervisor_bot.web.render import environment

        self.signer = Signer(load_secret(self.shell.data_dir), self.wall())
        self.caches = {rt.plan: DashboardCache(rt.ladder) for rt in self.shell.runtimes}  # each plan's own
        self.environments = {rt.plan: environment(rt, self.plan_keys) for rt in self.shell.runtimes}
        self.cache = self.caches[self.runtime.plan]
        self.templates = self.environments[self.runtime.plan]

    @property
    def runtime(self) -> Runtime:
        return self.shell.runtime

    @property
    def several(self) -> bool:
        """Several plans (`[[plans]]`): every page has a plan switch (`?plan=KEY`, default all)."""
        return bool(self.shell.plans)

    @property
    def plan_keys(self) -> tuple[tuple[str, str], ...]:
        """(key, title) of each plan, for the plan switch; () for a one-plan deployment."""
        return tuple((rt.plan, rt.office.plan_title) for rt in self.shell.plans)

    def plan(self, key: str) -> Runtime | None:
        return next((rt for rt in self.shell.runtimes if rt.plan == key), None)

    def invalidate(self) -> None:
        for cache in self.caches.values():
            cache.invalidate()

    @property
    def runner(self) -> ServiceRunner:
        return self.shell.runner

    def now(self) -> dt.datetime:
        return self.shell.now()

    @property
    def url(self) -> str:
        """Where people open the dashboard: `public_url`, else the address it listens on."""
        return (self.settings.public_url or self._url).rstrip("/")

    @property
    def leaders(self) -> frozenset[UserId]:
        return self.settings.leaders

    def login_link(self, user_id: UserId, name: str) -> str:
        return f"{self.url}/login?t={self.signer.login_token(Person(user_id, name), self.wall())}"

    def application(self) -> web.Application:
        from supervisor_bot.web.app import build_app

        return build_app(self)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[WebFront]:
        """Serving from entry to exit."""
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    async def start(self) -> None:
        host, port = split_listen(self.settings.listen)
        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        self._url = f"http://{host}:{bound[1]}"
        self._site = runner

    async def stop(self) -> None:
        if self._site is not None:
            await self._site.cleanup()
            self._site = None
