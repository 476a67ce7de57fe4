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

from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.assemble import Assembled, assemble, tick_seconds, token_for
from supervisor_bot.composition.lifecycle import application, stop_signals
from supervisor_bot.composition.listening import listening, webhook_address
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.telegram.app import build_front, quiet_http_logs
from supervisor_bot.telegram.webhook import Webhook
from supervisor_bot.web.front import WebFront, WebSettings

log = logging.getLogger("supervisor_bot")


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    quiet_http_logs()


async def serve(settings: Settings, assembled: Assembled, token: str) -> None:
    """Open the application, start its fronts, wait for a stop signal, close everything in reverse order."""
    digest_dir = settings.data_dir / "digests"
    async with (
        stop_signals() as stop,
        application(assembled.runtime, assembled.store, assembled.clock, digest_dir, assembled.runtimes) as parts,
    ):
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
        web = dashboard(settings, telegram.shell)
        with webhook_address(settings.source):  # an address the webhook cannot take: exit 2, named
            async with telegram.running(), AsyncExitStack() as fronts:
                if web is not None:
                    await fronts.enter_async_context(listening(web, settings.web_listen))
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


def run() -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    configure_logging()
    settings = load_settings()
    if settings.messaging.on_wecom:
        from supervisor_bot.composition.wecom import endpoint_for

        endpoint_for(settings)  # a missing secret is a configuration error before anything opens
        token = ""
    else:
        token = token_for(settings)  # a missing token is a configuration error before anything opens
    with data_dir_lock(settings.data_dir):  # one bot per data folder: a second refuses, naming the first's PID
        log.info("settings %s, data in %s (pid %d)", settings.source, settings.data_dir, os.getpid())
        assembled = assemble(settings, locked=True)
        for problem in assembled.problems:
            log.warning("plan: %s", problem)
        asyncio.run(serve(settings, assembled, token))
    return 0
