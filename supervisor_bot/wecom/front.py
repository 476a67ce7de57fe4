"""The WeCom front: the long connection, the messenger over it, callbacks to handlers, and the tick — started
and stopped with the application (composition), one front per process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from supervisor_bot.app.cycle import tick
from supervisor_bot.app.shell import ShellParts
from supervisor_bot.views import mention
from supervisor_bot.wecom import commands, notes, presses
from supervisor_bot.wecom.client import Endpoint, WeComClient
from supervisor_bot.wecom.frames import Frame
from supervisor_bot.wecom.inbound import Entered, Pressed, read
from supervisor_bot.wecom.messenger import WeComMessenger
from supervisor_bot.wecom.state import Front

log = logging.getLogger("supervisor_bot")


def build_front(parts: ShellParts, endpoint: Endpoint) -> Front:
    front: Front | None = None

    async def on_frame(frame: Frame) -> None:
        assert front is not None
        await handle(front, frame)

    client = WeComClient(endpoint, on_frame)
    messenger = WeComMessenger(client)
    front = Front(parts.shell(messenger), client, messenger, endpoint.ca_file)
    return front


async def handle(front: Front, frame: Frame) -> None:
    """One callback: handled once (WeCom may deliver it twice), as a press, a file, a command or a note."""
    inbound = read(frame)
    if inbound is None or not front.first_time(inbound.msgid):
        return
    if isinstance(inbound, Entered):
        shell = front.shell
        await front.messenger.welcome(inbound.req_id, mention.welcome(shell.runtime.office, shell.today()))
    elif isinstance(inbound, Pressed):
        await presses.pressed(front, inbound)
    elif inbound.file is not None:
        await notes.file(front, inbound, inbound.file)
    elif inbound.text:
        found = commands.command_of(inbound.text)
        if found is not None:
            await commands.run(front, inbound, *found)
        else:
            await notes.note(front, inbound)
    else:
        await commands.run(front, inbound, "help", "")


async def ticking(front: Front, seconds: float) -> None:
    """The application's tick every `seconds` (what is due now, done), until cancelled."""
    while True:
        try:
            await tick(front.shell)
        except Exception:
            log.exception("tick failed")
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def running(front: Front, tick_seconds: float) -> AsyncIterator[Front]:
    """Connected and ticking for the block; on exit the connection closes and the handlers in flight finish."""
    connection = asyncio.create_task(front.client.run())
    ticks = asyncio.create_task(ticking(front, tick_seconds))
    try:
        yield front
    finally:
        ticks.cancel()
        await front.client.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await ticks
        await connection
