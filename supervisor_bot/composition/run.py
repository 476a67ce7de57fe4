"""`python main.py run`: the application and its fronts, until SIGINT or SIGTERM.

The bot polls Telegram, or whatever Bot API server TELEGRAM_BASE_URL names. The lifecycle is the application's
(composition.lifecycle), not python-telegram-bot's `run_polling`: on a stop signal the fronts stop, the store's
worker drains and the store closes, rewriting its snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import AsyncExitStack
from dataclasses import dataclass

from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.assemble import Assembled, assemble, tick_seconds, token_for
from supervisor_bot.composition.deployment import active
from supervisor_bot.composition.lifecycle import application, stop_signals
from supervisor_bot.composition.web_only import share_secret
from supervisor_bot.ports.relay import ActionRelay
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.telegram.app import build_front, quiet_http_logs
from supervisor_bot.telegram.webhook import Webhook
from supervisor_bot.web.actions import carry_out_queued
from supervisor_bot.web.front import WebFront, WebSettings

log = logging.getLogger("supervisor_bot")
EXIT_DEPOSED = 3  # another bot became the active one


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    quiet_http_logs()


@dataclass
class Deposed:
    """Set from the lock's watch when a standby took the deployment over (the database restarted meanwhile):
    the bot stops at once."""

    loop: asyncio.AbstractEventLoop | None = None
    stop: asyncio.Event | None = None
    happened: bool = False

    def __call__(self) -> None:
        self.happened = True
        if self.loop is not None and self.stop is not None:
            self.loop.call_soon_threadsafe(self.stop.set)


async def serve(settings: Settings, assembled: Assembled, token: str, deposed: Deposed | None = None) -> None:
    """Open the application, start its fronts, wait for a stop signal, close everything in reverse order."""
    digest_dir = settings.data_dir / "digests"
    async with (
        stop_signals() as stop,
        application(assembled.runtime, assembled.store, assembled.clock, digest_dir, assembled.runtimes) as parts,
    ):
        if deposed is not None:
            deposed.loop, deposed.stop = asyncio.get_running_loop(), stop
            if deposed.happened:
                return
        if settings.messaging.on_wecom:  # one front per process
            from supervisor_bot.composition.wecom import serve_wecom

            await serve_wecom(settings, parts, stop, lambda shell: dashboard(settings, shell))
            return
        network = settings.network
        webhook = (
            Webhook(network.webhook_url, network.webhook_listen, network.webhook_path) if network.webhook_url else None
        )
        telegram = build_front(
            parts,
            assembled.store,
            token=token,
            base_url=settings.base_url,
            tick_seconds=tick_seconds(settings),
            proxy=network.proxy,
            webhook=webhook,
        )
        relay = assembled.store if isinstance(assembled.store, ActionRelay) else None
        if relay is not None:  # dashboards on other machines: the same login links, their decisions carried out
            await parts.runner.call(share_secret, settings.data_dir, relay)
        web = dashboard(settings, telegram.shell)
        async with telegram.running(), AsyncExitStack() as fronts:
            if relay is not None:
                relaying = asyncio.create_task(carry_out_queued(telegram.shell, relay))
                fronts.callback(relaying.cancel)
            if web is not None:
                await fronts.enter_async_context(web.running())
                telegram.offer_login_links(web)
                log.info("dashboard at %s (listening on %s)", web.url, settings.web_listen)
            via = f" via proxy {network.proxy.split('@')[-1]}" if network.proxy else ""
            log.info("supervisor bot running: %s%s, data in %s", settings.base_url, via, settings.data_dir)
            await stop.wait()
            log.info("stop requested: stopping the fronts")


def dashboard(settings: Settings, shell: Shell) -> WebFront | None:
    """The web front over the application shell (none if `[web] listen` is empty)."""
    if not settings.web_listen:
        return None
    return WebFront(shell, WebSettings(settings.web_listen, settings.web_url, settings.leaders))


def run(standby: bool = False) -> int:
    """One active bot per deployment: a second refuses, naming the first's host and PID — or, `standby`, waits
    for it to stop and takes over, catching up as after a restart."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    configure_logging()
    settings = load_settings()
    if settings.messaging.on_wecom:
        from supervisor_bot.composition.wecom import endpoint_for

        endpoint_for(settings)  # a missing secret is a configuration error before anything opens
        token = ""
    else:
        token = token_for(settings)  # a missing token is a configuration error before anything opens
    deposed = Deposed()
    with active(settings, standby, lost=deposed):  # one active bot: a second refuses, naming the first
        where = "the database" if settings.storage.postgresql else str(settings.data_dir)
        log.info("settings %s, data in %s (pid %d)", settings.source, where, os.getpid())
        assembled = assemble(settings, locked=True)
        for problem in assembled.problems:
            log.warning("plan: %s", problem)
        asyncio.run(serve(settings, assembled, token, deposed))
    return EXIT_DEPOSED if deposed.happened else 0
