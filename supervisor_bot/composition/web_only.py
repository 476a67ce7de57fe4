"""`python main.py web`: the dashboard alone, on another machine, from the database — no bot, no messenger.

It reads through a read-only store (the database refuses it any write); a decision posted on it is queued in the
database and carried out by the active bot (web.actions.carry_out_queued), whose outcome the page shows. Its
login links are the bot's (`/web`): the signing secret is shared through the database."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.assemble import assemble_reader
from supervisor_bot.composition.deployment import open_database
from supervisor_bot.composition.lifecycle import stop_signals
from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.ports.messenger import Attachment, Delivery, MessageRef
from supervisor_bot.ports.relay import ActionRelay
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.views.view import View
from supervisor_bot.web.auth import SECRET_FILE, load_secret
from supervisor_bot.web.front import WebFront, WebSettings

log = logging.getLogger("supervisor_bot")


class NoMessenger:
    """A dashboard process sends nothing: its decisions are relayed to the active bot, which does."""

    async def send(self, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery:
        raise RuntimeError("a dashboard process sends no message")

    async def edit(self, message: MessageRef, view: View) -> bool:
        raise RuntimeError("a dashboard process sends no message")

    async def send_file(self, chat: ChatId, attachment: Attachment) -> Delivery:
        raise RuntimeError("a dashboard process sends no message")

    async def answer(self, press: str, text: str = "", alert: bool = False) -> None:
        raise RuntimeError("a dashboard process sends no message")


def share_secret(data_dir: Path, relay: ActionRelay) -> None:
    """The dashboard's signing secret, the same in every process of the deployment: the first one offered to the
    database stands, and is written into each machine's data folder."""
    mine = load_secret(data_dir).hex()
    agreed = relay.shared_value("web.secret", mine)
    if agreed != mine:
        path = data_dir / SECRET_FILE
        path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(agreed)


async def serve_dashboard(settings: Settings) -> None:
    store = open_database(settings, group_commit=True, name="supervisor-bot dashboard", read_only=True)
    runner = ServiceRunner(flush=store.flush)
    try:
        await runner.call(share_secret, settings.data_dir, store)
        runtimes, clock = assemble_reader(settings, store)
        several = runtimes if len(runtimes) > 1 or any(rt.plan for rt in runtimes) else ()
        shell = Shell(runtimes[0], clock, runner, NoMessenger(), settings.data_dir / "digests", plans=several)
        front = WebFront(shell, WebSettings(settings.web_listen, settings.web_url, settings.leaders), relay=store)
        async with stop_signals() as stop, front.running():
            log.info("dashboard at %s (listening on %s), from the database, read-only", front.url, settings.web_listen)
            await stop.wait()
    finally:
        runner.shutdown()
        store.close()


def run_dashboard() -> int:
    from supervisor_bot.composition.run import configure_logging

    configure_logging()
    settings = load_settings()
    if not settings.storage.postgresql:
        raise ConfigError(
            settings.source,
            "storage.backend",
            'main.py web 只用于数据库存储（[storage] backend = "postgresql"）；使用数据目录时，看板随机器人一起运行（[web] listen）',
        )
    if not settings.web_listen:
        raise ConfigError(settings.source, "web.listen", '未设置：看板监听的地址，例如 listen = "0.0.0.0:8080"')
    asyncio.run(serve_dashboard(settings))
    return 0
