"""`python main.py run` with `[messenger] kind = "wecom"`: the WeCom front (imported only then) beside the
dashboard, until a stop signal — or until another instance of the same bot takes the connection over."""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

from supervisor_bot.app.shell import Shell, ShellParts
from supervisor_bot.composition.assemble import tick_seconds
from supervisor_bot.composition.listening import listening
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.messenger import SECRET_VARIABLE
from supervisor_bot.settings.settings import Settings
from supervisor_bot.web.front import WebFront

if TYPE_CHECKING:
    from collections.abc import Callable

    from supervisor_bot.wecom.client import Endpoint

log = logging.getLogger("supervisor_bot")


def endpoint_for(settings: Settings) -> Endpoint:
    """The connection's settings; a missing secret is a configuration error before anything opens."""
    from supervisor_bot.wecom.client import Endpoint

    wecom = settings.messaging.wecom
    if not wecom.secret:
        raise ConfigError(
            "环境变量", SECRET_VARIABLE, "未设置：连接企业微信智能机器人需要其 Secret（在机器人的 API 设置中获取）"
        )
    return Endpoint(wecom.ws_url, wecom.bot_id, wecom.secret, str(wecom.ca_file or ""))


async def serve_wecom(
    settings: Settings, parts: ShellParts, stop: asyncio.Event, dashboard: Callable[[Shell], WebFront | None]
) -> None:
    from supervisor_bot.wecom.front import build_front, running

    front = build_front(parts, endpoint_for(settings))
    web = dashboard(front.shell)
    async with running(front, tick_seconds(settings)), AsyncExitStack() as fronts:
        if web is not None:
            await fronts.enter_async_context(listening(web, settings.web_listen))
            log.info("dashboard at %s (listening on %s)", web.url, settings.web_listen)
        log.info(
            "supervisor bot running on WeCom: %s as bot %s, data in %s",
            settings.messaging.wecom.ws_url,
            settings.messaging.wecom.bot_id,
            settings.data_dir,
        )
        stopped = asyncio.create_task(front.client.stopped.wait())
        asked = asyncio.create_task(stop.wait())
        await asyncio.wait({stopped, asked}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        asked.cancel()
        if front.client.taken_over:
            log.error("stopping: another instance of this bot holds the WeCom connection")
        else:
            log.info("stop requested: stopping the fronts")
