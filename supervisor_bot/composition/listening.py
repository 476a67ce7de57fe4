"""The dashboard started by `run` (beside Telegram or WeCom): an address it cannot take is a configuration error."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.web.front import WebFront


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
