"""The Telegram front: the python-telegram-bot Application with its handlers, the rate limiter, the named tick
and the commands, started and stopped by the application's lifecycle (not by run_polling)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from supervisor_bot.app.shell import Shell, ShellParts
from supervisor_bot.telegram.connections import bot_api_requests
from supervisor_bot.telegram.context import BotApp, BotContext, Front, UpdateLog
from supervisor_bot.telegram.handlers import (
    bureau,
    coordinator,
    evidence,
    liaison,
    membership,
    public,
    scores,
    web_login,
)
from supervisor_bot.telegram.handlers.web_login import LOGIN_LINKS, LoginLinks
from supervisor_bot.telegram.jobs import TICK, tick_job
from supervisor_bot.telegram.messenger import TelegramMessenger
from supervisor_bot.telegram.ordering import PerChatUpdateProcessor
from supervisor_bot.telegram.rate_limit import MessageRateLimiter
from supervisor_bot.telegram.redraws import SPACING, Redraws
from supervisor_bot.telegram.webhook import Webhook, webhook_server
from supervisor_bot.views import messages
from supervisor_bot.views.rounds import PATTERN as ROUND_PATTERN
from supervisor_bot.views.tickets import PATTERN as TICKET_PATTERN

SYSTEM_BUSY = messages.SYSTEM_BUSY
log = logging.getLogger("supervisor_bot")


async def _on_error(update: object, context: BotContext) -> None:
    log.error("handling an update failed", exc_info=context.error)
    if (
        isinstance(update, Update)
        and update.effective_chat is not None
        and not isinstance(context.error, TelegramError)
    ):
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(SYSTEM_BUSY, show_alert=True)
            else:
                await context.bot.send_message(update.effective_chat.id, SYSTEM_BUSY)
        except TelegramError:
            pass


def add_handlers(app: BotApp) -> None:
    # presses first: the most frequent update finds its handler without passing every command's
    app.add_handler(CallbackQueryHandler(bureau.ticket_button, pattern=TICKET_PATTERN))
    app.add_handler(CallbackQueryHandler(coordinator.round_button, pattern=ROUND_PATTERN))
    app.add_handler(CallbackQueryHandler(liaison.button))
    app.add_handler(CommandHandler("start", public.start))
    app.add_handler(CommandHandler("help", public.help_command))
    app.add_handler(CommandHandler("status", public.status))
    app.add_handler(CommandHandler("overdue", public.overdue))
    app.add_handler(CommandHandler("measure", public.measure))
    app.add_handler(CommandHandler("invite", coordinator.invite))
    app.add_handler(CommandHandler("round", coordinator.open_round))
    app.add_handler(CommandHandler("remind", coordinator.remind))
    app.add_handler(CommandHandler("bind", liaison.bind))
    app.add_handler(CommandHandler("yuetan", bureau.yuetan))
    app.add_handler(CommandHandler("digest", bureau.digest))
    app.add_handler(CommandHandler("score", scores.score))
    app.add_handler(CommandHandler("web", web_login.web))
    app.add_handler(MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, liaison.note_reply))
    app.add_handler(MessageHandler(filters.REPLY & (filters.Document.ALL | filters.PHOTO), evidence.file_reply))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    app.add_handler(ChatMemberHandler(membership.my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.COMMAND, public.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, public.private_text))
    app.add_error_handler(_on_error)


def _application(token: str, base_url: str, skip: frozenset[int], time_scale: float, proxy: str = "") -> BotApp:
    """The bot, reaching the Bot API at `base_url` (Telegram's, or the local sandbox's) with nothing patched —
    through `proxy` if one is given."""
    builder: Any = (
        Application.builder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerChatUpdateProcessor(skip.__contains__))
    )
    requests = bot_api_requests(proxy)
    builder = builder.request(requests.calls).get_updates_request(requests.updates)
    # Telegram's limits per second and per minute; a simulation whose clock runs `time_scale` times faster
    # applies them in its own (simulated) time
    builder = builder.rate_limiter(
        MessageRateLimiter(
            overall_max_rate=30,
            overall_time_period=1 / time_scale,
            group_max_rate=20,
            group_time_period=60 / time_scale,
            max_retries=5,
        )
    )
    app: BotApp = builder.build()
    add_handlers(app)
    return app


@dataclass
class TelegramFront:
    app: BotApp
    front: Front
    tick_seconds: float | None  # None: a test drives the tick itself
    webhook: Webhook | None = None  # None: long polling

    @property
    def shell(self) -> Shell:
        return self.front.shell

    def offer_login_links(self, links: LoginLinks) -> None:
        """/web answers with the dashboard's one-time login links (without a dashboard it says there is none)."""
        self.app.bot_data[LOGIN_LINKS] = links

    @asynccontextmanager
    async def running(self, poll_interval: float = 0.0, long_poll: int = 10) -> AsyncIterator[TelegramFront]:
        """Polling (or the webhook), the handlers and the named tick, from entry to exit; every edit in flight
        settled on exit."""
        app = self.app
        async with app:
            try:
                menu = messages.commands(self.front.shell.runtime.ladder.digest_kind)
                await app.bot.set_my_commands([BotCommand(n, d) for n, d in menu])
            except TelegramError as error:
                log.warning("could not register the command list: %s", error)
            if self.tick_seconds is not None and app.job_queue is not None:
                interval = dt.timedelta(seconds=self.tick_seconds)
                app.job_queue.run_repeating(tick_job, interval=interval, first=0.1, name=TICK)
            async with AsyncExitStack() as receiving:
                if self.webhook is not None:
                    await receiving.enter_async_context(webhook_server(app, self.webhook, ALLOWED_UPDATES))
                elif app.updater is not None:  # (its start deletes any webhook left set)
                    await app.updater.start_polling(
                        poll_interval=poll_interval, timeout=long_poll, allowed_updates=ALLOWED_UPDATES
                    )
                await app.start()
                try:
                    yield self
                finally:
                    await self._stop(app)

    async def _stop(self, app: BotApp) -> None:
        """Receiving stopped (the webhook server closes after this), then the application; edits settled."""
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await self.front.redraws.settle()


def build_front(
    parts: ShellParts,
    updates: UpdateLog,
    *,
    token: str,
    base_url: str,
    tick_seconds: float | None,
    time_scale: float = 1.0,
    proxy: str = "",
    webhook: Webhook | None = None,
    redraw_spacing: float = SPACING,
) -> TelegramFront:
    """The Telegram front and the application shell around its messenger; a checklist is redrawn at most once a
    `redraw_spacing` (in the simulation's time)."""
    handled = frozenset(updates.handled_updates())
    app = _application(token, base_url, handled, time_scale, proxy)
    messenger = TelegramMessenger(app.bot)
    shell = parts.shell(messenger)
    front = Front(shell, messenger, Redraws(messenger, redraw_spacing / time_scale), handled)
    app.bot_data["front"] = front
    return TelegramFront(app, front, tick_seconds, webhook)


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def quiet_http_logs() -> None:
    """httpx logs every request URL at INFO, and the URL carries the token: never let it through."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: … running instances": a long tick
