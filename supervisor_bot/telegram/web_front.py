"""The dashboard beside the Telegram front: started after the Application starts, stopped before it stops, on
the same event loop; /web hands out its login links."""

from __future__ import annotations

from supervisor_bot.settings.settings import Settings
from supervisor_bot.telegram.context import BotApp, Shell, log
from supervisor_bot.telegram.handlers.web_login import LOGIN_LINKS
from supervisor_bot.telegram.web_notifier import TelegramNotifier
from supervisor_bot.web.front import WebFront, WebSettings


def web_front(app: BotApp, shell: Shell, settings: Settings) -> WebFront | None:
    """Attach the dashboard to the application's lifecycle (nothing if `[web] listen` is empty)."""
    if not settings.web_listen:
        return None
    front = WebFront(
        shell.runtime,
        shell.runner,
        shell.now,
        TelegramNotifier(app.bot, shell),
        WebSettings(settings.web_listen, settings.web_url, settings.leaders, settings.data_dir, shell.digest_dir),
    )
    app.bot_data[LOGIN_LINKS] = front
    started, stopping = app.post_init, app.post_stop

    async def post_init(application: BotApp) -> None:
        if started is not None:
            await started(application)
        await front.start()
        log.info("dashboard at %s (listening on %s)", front.url, settings.web_listen)

    async def post_stop(application: BotApp) -> None:
        await front.stop()
        if stopping is not None:
            await stopping(application)

    app.post_init, app.post_stop = post_init, post_stop
    return front
