"""The servers `run` starts — the dashboard (beside Telegram or WeCom), Telegram's webhook: an address one cannot
take is a configuration error."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.telegram.webhook import ListenFailed

if TYPE_CHECKING:
    from supervisor_bot.web.front import WebFront  # aiohttp's server: loaded with the dashboard, not with the bot


@asynccontextmanager
async def listening(web: WebFront, listen: str) -> AsyncIterator[WebFront]:
    """The dashboard serving; an address it cannot listen on (a port in use, a host not this machine's) is a
    configuration error — exit 2 naming the key and the address, which systemd does not restart in a loop."""
    try:
        await web.start()
    except OSError as error:
        key = "SUPERVISOR_WEB_LISTEN" if os.environ.get("SUPERVISOR_WEB_LISTEN") else "web.listen"
        why = os.strerror(error.errno) if error.errno else str(error)
        raise ConfigError("设置", key, f"督办看板无法在 {listen} 上监听（{why}）；请换一个端口或地址") from None
    try:
        yield web
    finally:
        await web.stop()


@contextmanager
def webhook_address(source: Path | str) -> Iterator[None]:
    """Telegram's webhook server inside: an address it cannot listen on is a configuration error too — exit 2
    naming `[telegram] webhook_listen` and the address."""
    try:
        yield
    except ListenFailed as failed:
        raise ConfigError(
            source,
            "telegram.webhook_listen",
            f"接收 Telegram 更新的 webhook 服务无法在 {failed.listen} 上监听（{failed.why}）；请换一个端口或地址",
        ) from None
