"""The WeCom front connected to the WeCom sandbox over a real WebSocket, on the service tests' deployment
(the Jinan plan, 市财政局 and 市教育局 bound to their groups), with people the tests act as."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pendulum

from storage.memory import MemoryStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell, ShellParts
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.wecom.client import Endpoint, WeComClient
from supervisor_bot.wecom.front import build_front
from supervisor_bot.wecom.state import Front
from supervisor_bot.wecom_sandbox.control import Control
from supervisor_bot.wecom_sandbox.server import Sandbox
from tests.service.test_weekly_cycle import (
    BUREAU,
    CHATS,
    EDU,
    FIN,
    LEADERS,
    LIAISONS,
    MONDAY,
    a_runtime,
    bind_groups,
)

__all__ = ["BUREAU", "CHATS", "EDU", "FIN", "LEADERS", "LIAISONS", "MONDAY", "Rig", "eventually", "rig"]
BOT, SECRET = "sandbox-bot", "sandbox-secret"
ZHANG, LI = str(LIAISONS[FIN].user_id), str(LIAISONS[EDU].user_id)
WANG, OUTSIDER = "wecom:wang", "wecom:zhao"  # the coordinator; someone in 市财政局's group who is no liaison
GROUPS = {
    CHATS[FIN]: [ZHANG, WANG, OUTSIDER],
    CHATS[EDU]: [LI],
    BUREAU: [WANG],
    LEADERS: [WANG],
    "wecom:new": [OUTSIDER, WANG],  # a department's group not bound yet
}


@dataclass
class Rig:
    sandbox: Sandbox
    control: Control
    front: Front
    store: MemoryStore

    @property
    def shell(self) -> Shell:
        return self.front.shell

    async def tick(self, moment: pendulum.DateTime) -> None:
        clock = self.shell.clock
        assert isinstance(clock, ManualClock)
        clock.set(moment)
        await cycle.tick(self.shell, moment)

    async def posted(self, chat: str) -> list[dict[str, Any]]:
        return await self.control.messages(chat)

    async def cards(self, chat: str) -> list[dict[str, Any]]:
        return [m["card"] for m in await self.posted(chat) if m["kind"] == "template_card"]

    async def texts(self, chat: str) -> list[str]:
        return [m["content"] for m in await self.posted(chat) if m["kind"] in ("markdown", "text")]


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait until `check` holds (the bot handles callbacks on its own time)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


async def people(control: Control) -> None:
    for user in (ZHANG, LI, WANG, OUTSIDER):
        await control.call("member", userid=user)
    for chat, members in GROUPS.items():
        await control.call("group", chatid=chat, members=members, known=chat != "wecom:new")


def endpoint(sandbox: Sandbox, secret: str = SECRET, **options: Any) -> Endpoint:
    return Endpoint(sandbox.ws_url, BOT, secret, **{"backoff": (0.2, 2.0), **options})


async def connected(client: WeComClient) -> asyncio.Task[None]:
    task = asyncio.create_task(client.run())
    await asyncio.wait_for(client.ready.wait(), 5)
    return task


@asynccontextmanager
async def rig(
    tmp_path: Path, plans: Callable[[MemoryStore], tuple[Runtime, ...]] | None = None, **options: Any
) -> AsyncIterator[Rig]:
    """The front on the sandbox; `plans`: a deployment of several plans, each plan's runtime on its view of the
    store (the groups bound as the one plan's are)."""
    sandbox = Sandbox()
    await sandbox.start()
    control = Control(sandbox.url)
    await people(control)
    store = MemoryStore()
    several = plans(store) if plans is not None else ()
    if several:
        bind_groups(store)
    runtime = a_runtime(store) if not several else several[0]
    runner = ServiceRunner(flush=store.flush)
    parts = ShellParts(runtime, ManualClock(MONDAY), runner, tmp_path / "digests", several)
    front = build_front(parts, endpoint(sandbox, **options))
    front.messenger.retry_wait = 0.01
    task = await connected(front.client)
    try:
        yield Rig(sandbox, control, front, store)
    finally:
        await front.client.stop()
        await task
        parts.runner.shutdown()
        await control.close()
        await sandbox.stop()
